//! The block declarations: services and operations, controls, threats, test suites and
//! frameworks, as `grammar.lalrpop` writes them.

use super::super::Span;
use super::super::ast::{
    CaseItem, Control, ControlClause, ErrorResponse, Expr, ExprKind, Framework, OpClause,
    Operation, Param, Path, RequirementDecl, RequirementRef, Role, Service, TestCase, TestSuite,
    Threat, ThreatClause,
};
use super::super::lex::{Tok as T, unescape};
use super::{Parser, tight};

impl Parser<'_, '_> {
    pub(super) fn service(&mut self) -> Option<Service> {
        let (lo, _, _) = self.expect(T::Service)?;
        let name = self.ident()?;
        let version = if self.eat(T::Version) {
            Some(self.str_lit()?)
        } else {
            None
        };
        let base = if self.eat(T::At) {
            Some(self.str_lit()?)
        } else {
            None
        };
        let ops = self.braced(Self::operation)?;
        Some(Service {
            doc: None,
            annotations: Vec::new(),
            name,
            version,
            base,
            ops,
            span: Span::new(lo, self.end()),
        })
    }

    fn operation(&mut self) -> Option<Operation> {
        let lo = self.lo();
        let annotations = self.annotations()?;
        let (op_lo, _, _) = self.expect(T::Op)?;
        let name = self.ident()?;
        let method = self.ident()?;
        let path = self.str_lit()?;
        self.expect(T::LParen)?;
        let params = self.comma(T::RParen, Self::param)?;
        self.expect(T::RParen)?;
        let result = if self.eat(T::Arrow) {
            Some(self.ty()?)
        } else {
            None
        };
        let mut clauses = Vec::new();
        while let Some(T::Errors | T::Requires | T::Guarded | T::Graphql) = self.peek() {
            clauses.push(self.op_clause()?);
        }
        let doc = self.docs.take(lo).or_else(|| self.docs.take(op_lo));
        Some(Operation {
            doc,
            annotations,
            name,
            method,
            path,
            params,
            result,
            clauses,
            span: Span::new(lo, self.end()),
        })
    }

    fn param(&mut self) -> Option<Param> {
        let lo = self.lo();
        let annotations = self.annotations()?;
        let name = self.ident()?;
        self.expect(T::Colon)?;
        let ty = self.ty()?;
        let default = if self.eat(T::Eq) {
            Some(self.expr()?)
        } else {
            None
        };
        Some(Param {
            annotations,
            name,
            ty,
            default,
            span: Span::new(lo, self.end()),
        })
    }

    fn op_clause(&mut self) -> Option<OpClause> {
        let (lo, tok, _) = self.bump()?;
        Some(match tok {
            T::Errors => {
                self.expect(T::LBrace)?;
                let list = self.comma(T::RBrace, Self::error_response)?;
                self.expect(T::RBrace)?;
                OpClause::Errors(list, Span::new(lo, self.end()))
            }
            T::Requires => {
                self.expect(T::Provenance)?;
                OpClause::RequiresProvenance(Span::new(lo, self.end()))
            }
            T::Guarded => {
                self.expect(T::By)?;
                let policy = self.path()?;
                self.expect(T::Action)?;
                let action = self.ident()?;
                OpClause::GuardedBy {
                    policy,
                    action,
                    span: Span::new(lo, self.end()),
                }
            }
            T::Graphql => {
                let kind = self.ident()?;
                OpClause::Graphql(kind, Span::new(lo, self.end()))
            }
            _ => return None,
        })
    }

    fn error_response(&mut self) -> Option<ErrorResponse> {
        let &(lo, T::Int(status), hi) = self.tokens.get(self.pos)? else {
            return None;
        };
        self.pos += 1;
        self.expect(T::Colon)?;
        let ty = self.ty()?;
        Some(ErrorResponse {
            status: status.replace('_', "").parse().ok(),
            status_text: status.to_string(),
            status_span: Span::new(lo, hi),
            ty,
        })
    }

    pub(super) fn control(&mut self) -> Option<Control> {
        let (lo, _, _) = self.expect(T::Control)?;
        let id = self.id()?;
        let title = self.opt_str()?;
        let clauses = self.braced(Self::control_clause)?;
        Some(Control {
            doc: None,
            annotations: Vec::new(),
            id,
            title,
            clauses,
            span: Span::new(lo, self.end()),
        })
    }

    fn control_clause(&mut self) -> Option<ControlClause> {
        let (lo, tok, _) = self.bump()?;
        Some(match tok {
            T::Owner => ControlClause::Owner(self.str_lit()?),
            T::Satisfies => ControlClause::Satisfies(self.sep1(Self::requirement_ref)?),
            T::Enforced => {
                self.expect(T::By)?;
                ControlClause::EnforcedBy(self.sep1(Self::path)?)
            }
            T::Evidence => {
                let path = self.str_lit()?;
                let category = if self.eat(T::Category) {
                    Some(self.ident()?)
                } else {
                    None
                };
                let retained = if self.eat(T::Retained) {
                    match self.bump()? {
                        (dlo, T::Duration(d), dhi) => Some((d.to_string(), Span::new(dlo, dhi))),
                        _ => return None,
                    }
                } else {
                    None
                };
                let produced_by = if self.eat(T::Produced) {
                    self.expect(T::By)?;
                    Some(self.producer_ref()?)
                } else {
                    None
                };
                ControlClause::Evidence {
                    path,
                    category,
                    retained,
                    produced_by,
                    span: Span::new(lo, self.end()),
                }
            }
            _ => return None,
        })
    }

    fn producer_ref(&mut self) -> Option<Expr> {
        let lo = self.lo();
        let kind = match self.peek()? {
            T::Str(s) => {
                self.pos += 1;
                ExprKind::Str(unescape(s))
            }
            _ => ExprKind::Path(self.path()?),
        };
        Some(Expr {
            kind,
            span: Span::new(lo, self.end()),
        })
    }

    /// `soc2."CC6.1"`: the framework's path ends before its last dot.
    fn requirement_ref(&mut self) -> Option<RequirementRef> {
        let lo = self.lo();
        let mut segments = vec![self.id()?];
        let framework = loop {
            let (_, _, dot_end) = self.expect(T::Dot)?;
            if self.at_str() {
                break Path {
                    segments,
                    span: Span::new(lo, dot_end.saturating_sub(1)),
                };
            }
            segments.push(self.id()?);
        };
        let id = self.str_lit()?;
        Some(RequirementRef {
            framework,
            id,
            span: Span::new(lo, self.end()),
        })
    }

    pub(super) fn threat(&mut self) -> Option<Threat> {
        let (lo, _, _) = self.expect(T::Threat)?;
        let id = self.id()?;
        let title = self.opt_str()?;
        self.expect(T::LBrace)?;
        let mut clauses = Vec::new();
        while !self.at(T::RBrace) {
            let (_, tok, _) = self.bump()?;
            clauses.push(match tok {
                T::Subsystem => ThreatClause::Subsystem(self.str_lit()?),
                T::Category => ThreatClause::Category(self.ident()?),
                T::Likelihood => ThreatClause::Likelihood(self.ident()?),
                T::Impact => ThreatClause::Impact(self.ident()?),
                T::Mitigated => {
                    self.expect(T::By)?;
                    ThreatClause::MitigatedBy(self.sep1(Self::path)?)
                }
                _ => return None,
            });
        }
        self.pos += 1;
        Some(Threat {
            doc: None,
            annotations: Vec::new(),
            id,
            title,
            clauses: tight(clauses),
            span: Span::new(lo, self.end()),
        })
    }

    pub(super) fn test_suite(&mut self) -> Option<TestSuite> {
        let (lo, _, _) = self.expect(T::Test)?;
        let policy = self.path()?;
        let cases = self.braced(Self::test_case)?;
        Some(TestSuite {
            doc: None,
            annotations: Vec::new(),
            policy,
            cases,
            span: Span::new(lo, self.end()),
        })
    }

    fn test_case(&mut self) -> Option<TestCase> {
        let lo = self.lo();
        let name = self.str_lit()?;
        let items = self.braced(Self::case_item)?;
        let doc = self.docs.take(lo);
        Some(TestCase {
            doc,
            name,
            items,
            span: Span::new(lo, self.end()),
        })
    }

    fn case_item(&mut self) -> Option<CaseItem> {
        let (lo, tok, _) = self.bump()?;
        Some(match tok {
            T::Subject | T::Resource | T::Context => {
                let role = match tok {
                    T::Subject => Role::Subject,
                    T::Resource => Role::Resource,
                    _ => Role::Context,
                };
                let ty = if self.peek().is_some_and(super::is_id) {
                    Some(self.path()?)
                } else {
                    None
                };
                let object_lo = self.lo();
                self.expect(T::LBrace)?;
                let fields = self.object_fields()?;
                let hi = self.end();
                CaseItem::Value {
                    role,
                    ty: ty.clone(),
                    value: Expr {
                        kind: ExprKind::Object(ty.map(Box::new), fields),
                        span: Span::new(object_lo, hi),
                    },
                    span: Span::new(lo, hi),
                }
            }
            T::Action => {
                let action = self.ident()?;
                CaseItem::Action(action, Span::new(lo, self.end()))
            }
            T::Expect => {
                let effect = self.effect()?;
                let by = if self.eat(T::By) {
                    Some(self.ident()?)
                } else {
                    None
                };
                CaseItem::Expect {
                    effect,
                    by,
                    span: Span::new(lo, self.end()),
                }
            }
            _ => return None,
        })
    }

    pub(super) fn framework(&mut self) -> Option<Framework> {
        let (lo, _, _) = self.expect(T::Framework)?;
        let name = self.ident()?;
        let title = self.opt_str()?;
        let requirements = self.braced(Self::requirement_decl)?;
        Some(Framework {
            doc: None,
            annotations: Vec::new(),
            name,
            title,
            requirements,
            span: Span::new(lo, self.end()),
        })
    }

    fn requirement_decl(&mut self) -> Option<RequirementDecl> {
        let (lo, _, _) = self.expect(T::Requirement)?;
        let id = self.str_lit()?;
        let title = self.str_lit()?;
        let attributes = if self.eat(T::LBrace) {
            self.object_fields()?
        } else {
            Vec::new()
        };
        Some(RequirementDecl {
            id,
            title,
            attributes,
            span: Span::new(lo, self.end()),
        })
    }
}
