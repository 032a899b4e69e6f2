//! Declarations: `package`, `use`, records, enums, aliases, entities, actions, contexts and
//! policies with their rules, as `grammar.lalrpop` writes them.

use super::super::ast::{
    ActionDecl, Alias, ContextDecl, Entity, Enum, Field, Item, Package, Path, Policy, Record, Rule,
    Use, UseName, Variant,
};
use super::super::lex::Tok as T;
use super::super::{Span, attach};
use super::{Parser, is_id, tight};

impl Parser<'_, '_> {
    /// `Item`: `package`, `use`, or a declaration with its annotations and doc comment.
    pub(super) fn item(&mut self) -> Option<Item> {
        let lo = self.lo();
        match self.peek()? {
            T::Package => {
                self.pos += 1;
                let path = self.path()?;
                Some(Item::Package(Package {
                    path,
                    span: Span::new(lo, self.end()),
                }))
            }
            T::Use => self.use_decl().map(Item::Use),
            _ => {
                let annotations = self.annotations()?;
                let mut item = self.decl()?;
                attach(&mut item, annotations, self.docs, lo);
                Some(item)
            }
        }
    }

    fn use_decl(&mut self) -> Option<Use> {
        let (lo, _, _) = self.expect(T::Use)?;
        let path_lo = self.lo();
        let mut segments = vec![self.id()?];
        while self.at(T::Dot) {
            match self.nth(1) {
                Some(tok) if is_id(tok) => {
                    self.pos += 1;
                    segments.push(self.id()?);
                }
                Some(T::LBrace) => {
                    let (_, _, dot_end) = self.bump()?;
                    let prefix = Path {
                        segments,
                        span: Span::new(path_lo, dot_end.saturating_sub(1)),
                    };
                    self.pos += 1;
                    let names = self.comma(T::RBrace, Self::use_name)?;
                    self.expect(T::RBrace)?;
                    return Some(Use {
                        prefix,
                        names,
                        braced: true,
                        span: Span::new(lo, self.end()),
                    });
                }
                _ => return None,
            }
        }
        let alias = if self.eat(T::As) {
            Some(self.ident()?)
        } else {
            None
        };
        let hi = self.end();
        let name = segments.pop();
        let span = match (segments.first(), segments.last()) {
            (Some(first), Some(last)) => first.span.to(last.span),
            _ => Span::new(lo, hi),
        };
        let names = name
            .map(|name| vec![UseName { name, alias }])
            .unwrap_or_default();
        Some(Use {
            prefix: Path { segments, span },
            names,
            braced: false,
            span: Span::new(lo, hi),
        })
    }

    fn use_name(&mut self) -> Option<UseName> {
        let name = self.id()?;
        let alias = if self.eat(T::As) {
            Some(self.id()?)
        } else {
            None
        };
        Some(UseName { name, alias })
    }

    /// `Decl`: the declarations that may carry annotations (filled in by `attach`).
    fn decl(&mut self) -> Option<Item> {
        let lo = self.lo();
        Some(match self.peek()? {
            T::Record => {
                self.pos += 1;
                let name = self.ident()?;
                let with_provenance = self.eat(T::With);
                if with_provenance {
                    self.expect(T::Provenance)?;
                }
                let fields = self.braced_fields()?;
                Item::Record(Record {
                    doc: None,
                    annotations: Vec::new(),
                    name,
                    with_provenance,
                    fields,
                    span: Span::new(lo, self.end()),
                })
            }
            T::Ordered | T::Open | T::Enum => {
                let ordered = self.eat(T::Ordered);
                let open = self.eat(T::Open);
                self.expect(T::Enum)?;
                let name = self.ident()?;
                self.expect(T::LBrace)?;
                let mut variants = Vec::new();
                while !self.at(T::RBrace) {
                    variants.push(self.variant()?);
                    self.eat(T::Comma);
                }
                self.pos += 1;
                Item::Enum(Enum {
                    doc: None,
                    annotations: Vec::new(),
                    ordered,
                    open,
                    name,
                    variants: tight(variants),
                    span: Span::new(lo, self.end()),
                })
            }
            T::Type => {
                self.pos += 1;
                let name = self.ident()?;
                self.expect(T::Eq)?;
                let ty = self.ty()?;
                Item::Alias(Alias {
                    doc: None,
                    annotations: Vec::new(),
                    name,
                    ty,
                    span: Span::new(lo, self.end()),
                })
            }
            T::Entity => {
                self.pos += 1;
                let name = self.ident()?;
                let fields = self.braced_fields()?;
                Item::Entity(Entity {
                    doc: None,
                    annotations: Vec::new(),
                    name,
                    fields,
                    span: Span::new(lo, self.end()),
                })
            }
            T::Action => {
                self.pos += 1;
                let names = self.sep1(Self::ident)?;
                self.expect(T::On)?;
                let resource = self.path()?;
                self.expect(T::By)?;
                let subjects = self.sep1(Self::path)?;
                Item::Action(ActionDecl {
                    doc: None,
                    annotations: Vec::new(),
                    names,
                    resource,
                    subjects,
                    span: Span::new(lo, self.end()),
                })
            }
            T::Context => {
                self.pos += 1;
                let name = self.ident()?;
                let fields = self.braced_fields()?;
                Item::Context(ContextDecl {
                    doc: None,
                    annotations: Vec::new(),
                    name,
                    fields,
                    span: Span::new(lo, self.end()),
                })
            }
            T::Policy => Item::Policy(Box::new(self.policy()?)),
            T::Service => Item::Service(self.service()?),
            T::Control => Item::Control(self.control()?),
            T::Threat => Item::Threat(self.threat()?),
            T::Test => Item::Test(self.test_suite()?),
            T::Framework => Item::Framework(self.framework()?),
            _ => return None,
        })
    }

    /// `"{" FieldList "}"`: fields, each optionally followed by a comma.
    fn braced_fields(&mut self) -> Option<Vec<Field>> {
        self.expect(T::LBrace)?;
        let mut fields = Vec::new();
        while !self.at(T::RBrace) {
            fields.push(self.field()?);
            self.eat(T::Comma);
        }
        self.pos += 1;
        Some(tight(fields))
    }

    fn field(&mut self) -> Option<Field> {
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
        let doc = self
            .docs
            .take(lo)
            .or_else(|| self.docs.take(name.span.start as usize));
        Some(Field {
            doc,
            annotations,
            name,
            ty,
            default,
            span: Span::new(lo, self.end()),
        })
    }

    fn variant(&mut self) -> Option<Variant> {
        let lo = self.lo();
        let annotations = self.annotations()?;
        let name = self.ident()?;
        let doc = self
            .docs
            .take(lo)
            .or_else(|| self.docs.take(name.span.start as usize));
        Some(Variant {
            doc,
            annotations,
            name,
        })
    }

    fn policy(&mut self) -> Option<Policy> {
        let (lo, _, _) = self.expect(T::Policy)?;
        let name = self.ident()?;
        self.expect(T::On)?;
        let resource = self.path()?;
        self.expect(T::By)?;
        let subjects = self.sep1(Self::path)?;
        let context = if self.eat(T::With) {
            Some(self.path()?)
        } else {
            None
        };
        let version = if self.eat(T::Version) {
            Some(self.str_lit()?)
        } else {
            None
        };
        let (default_lo, _, _) = self.expect(T::Default)?;
        let default_effect = self.effect()?;
        let default_span = Span::new(default_lo, self.end());
        let default_reason = self.opt_str()?;
        let rules = self.braced(Self::rule)?;
        Some(Policy {
            doc: None,
            annotations: Vec::new(),
            name,
            resource,
            subjects,
            context,
            version,
            default_effect,
            default_span,
            default_reason,
            rules,
            span: Span::new(lo, self.end()),
        })
    }

    fn rule(&mut self) -> Option<Rule> {
        let lo = self.lo();
        let annotations = self.annotations()?;
        let effect_lo = self.lo();
        let effect = self.effect()?;
        let name = self.ident()?;
        let condition = if self.eat(T::When) {
            Some(self.expr()?)
        } else {
            None
        };
        let reason = if self.eat(T::Because) {
            Some(self.str_lit()?)
        } else {
            None
        };
        let doc = self.docs.take(lo).or_else(|| self.docs.take(effect_lo));
        Some(Rule {
            doc,
            annotations,
            effect,
            name,
            condition,
            reason,
            span: Span::new(lo, self.end()),
        })
    }
}
