//! Expressions and types, as `grammar.lalrpop` writes them: `or` over `and` over `not` over
//! one comparison of two operands; types with `?`, generic arguments, ranges and patterns.

use super::super::ast::{BinOp, Expr, ExprKind, Ident, TypeExpr, TypeKind};
use super::super::lex::{Tok as T, unescape};
use super::super::{Span, bin};
use super::{Parser, is_id, name_text};

impl Parser<'_, '_> {
    /// `Expr` (`OrExpr`): a left-associative chain of `or`, walked iteratively.
    pub(super) fn expr(&mut self) -> Option<Expr> {
        self.enter()?;
        let lo = self.lo();
        let mut left = self.and_expr()?;
        while self.eat(T::Or) {
            let right = self.and_expr()?;
            left = bin(BinOp::Or, left, right, lo, self.end());
        }
        self.leave();
        Some(left)
    }

    fn and_expr(&mut self) -> Option<Expr> {
        let lo = self.lo();
        let mut left = self.not_expr()?;
        while self.eat(T::And) {
            let right = self.not_expr()?;
            left = bin(BinOp::And, left, right, lo, self.end());
        }
        Some(left)
    }

    fn not_expr(&mut self) -> Option<Expr> {
        if !self.at(T::Not) {
            return self.cmp_expr();
        }
        self.enter()?;
        let (lo, _, _) = self.bump()?;
        let inner = self.not_expr()?;
        self.leave();
        Some(Expr {
            kind: ExprKind::Not(Box::new(inner)),
            span: Span::new(lo, self.end()),
        })
    }

    fn cmp_expr(&mut self) -> Option<Expr> {
        let lo = self.lo();
        let left = self.operand()?;
        let op = match self.peek() {
            Some(T::EqEq) => BinOp::Eq,
            Some(T::NotEq) => BinOp::Ne,
            Some(T::Lt) => BinOp::Lt,
            Some(T::Le) => BinOp::Le,
            Some(T::Gt) => BinOp::Gt,
            Some(T::Ge) => BinOp::Ge,
            Some(T::In) => BinOp::In,
            _ => return Some(left),
        };
        self.pos += 1;
        let right = self.operand()?;
        Some(bin(op, left, right, lo, self.end()))
    }

    fn operand(&mut self) -> Option<Expr> {
        let lo = self.lo();
        let kind = match self.peek()? {
            T::Int(_)
            | T::Float(_)
            | T::Str(_)
            | T::Date(_)
            | T::Duration(_)
            | T::True
            | T::False
            | T::None => return self.literal(),
            T::Minus => {
                self.pos += 1;
                ExprKind::Neg(Box::new(self.number()?))
            }
            T::LBrace => {
                self.pos += 1;
                ExprKind::Object(None, self.object_fields()?)
            }
            T::LBracket => {
                self.pos += 1;
                let items = self.comma(T::RBracket, Self::expr)?;
                self.expect(T::RBracket)?;
                ExprKind::List(items)
            }
            T::Has => {
                self.pos += 1;
                ExprKind::Has(self.path()?)
            }
            T::LParen => {
                self.pos += 1;
                let inner = self.expr()?;
                self.expect(T::RParen)?;
                ExprKind::Paren(Box::new(inner))
            }
            tok if is_id(tok) => {
                let path = self.path()?;
                if self.eat(T::LBrace) {
                    ExprKind::Object(Some(Box::new(path)), self.object_fields()?)
                } else {
                    ExprKind::Path(path)
                }
            }
            _ => return None,
        };
        Some(Expr {
            kind,
            span: Span::new(lo, self.end()),
        })
    }

    /// `Comma<ObjectField> "}"`, after the `{`.
    pub(super) fn object_fields(&mut self) -> Option<Vec<(Ident, Expr)>> {
        let fields = self.comma(T::RBrace, Self::object_field)?;
        self.expect(T::RBrace)?;
        Some(fields)
    }

    fn object_field(&mut self) -> Option<(Ident, Expr)> {
        let key = self.ident()?;
        self.expect(T::Colon)?;
        let value = self.expr()?;
        Some((key, value))
    }

    /// `Literal`: a number, string, date, duration, `true`, `false` or `none`.
    pub(super) fn literal(&mut self) -> Option<Expr> {
        let &(lo, tok, hi) = self.tokens.get(self.pos)?;
        let kind = match tok {
            T::Int(n) => ExprKind::Int(n.to_string()),
            T::Float(n) => ExprKind::Float(n.to_string()),
            T::Str(s) => ExprKind::Str(unescape(s)),
            T::Date(d) => ExprKind::Date(d.to_string()),
            T::Duration(d) => ExprKind::Duration(d.to_string()),
            T::True => ExprKind::Bool(true),
            T::False => ExprKind::Bool(false),
            T::None => ExprKind::None,
            _ => return None,
        };
        self.pos += 1;
        Some(Expr {
            kind,
            span: Span::new(lo, hi),
        })
    }

    fn number(&mut self) -> Option<Expr> {
        match self.peek()? {
            T::Int(_) | T::Float(_) => self.literal(),
            _ => None,
        }
    }

    /// `Type`: a base type, optionally `in MIN..MAX` or `matching "pattern"`.
    pub(super) fn ty(&mut self) -> Option<TypeExpr> {
        self.enter()?;
        let lo = self.lo();
        let base = self.base_type()?;
        let kind = if self.eat(T::In) {
            let min = if self.at(T::DotDot) {
                None
            } else {
                Some(Box::new(self.range_bound()?))
            };
            self.expect(T::DotDot)?;
            let max = match self.peek() {
                Some(T::Int(_) | T::Float(_) | T::Minus) => Some(Box::new(self.range_bound()?)),
                _ => None,
            };
            TypeKind::Range(Box::new(base), min, max)
        } else if self.eat(T::Matching) {
            TypeKind::Matching(Box::new(base), Box::new(self.str_lit()?))
        } else {
            self.leave();
            return Some(base);
        };
        self.leave();
        Some(TypeExpr {
            kind,
            span: Span::new(lo, self.end()),
        })
    }

    fn range_bound(&mut self) -> Option<Expr> {
        if !self.at(T::Minus) {
            return self.number();
        }
        let (lo, _, _) = self.bump()?;
        let n = self.number()?;
        Some(Expr {
            kind: ExprKind::Neg(Box::new(n)),
            span: Span::new(lo, self.end()),
        })
    }

    /// `BaseType`: a path, `ctor<T, ...>`, either followed by any number of `?`.
    fn base_type(&mut self) -> Option<TypeExpr> {
        let lo = self.lo();
        let generic =
            self.peek().is_some_and(|t| name_text(t).is_some()) && self.nth(1) == Some(T::Lt);
        let mut ty = if generic {
            let ctor = self.ident()?;
            self.pos += 1;
            let args = self.sep1(Self::ty)?;
            self.expect(T::Gt)?;
            TypeExpr {
                kind: TypeKind::Generic(Box::new(ctor), args),
                span: Span::new(lo, self.end()),
            }
        } else {
            let path = self.path()?;
            TypeExpr {
                kind: TypeKind::Named(path),
                span: Span::new(lo, self.end()),
            }
        };
        while self.eat(T::Question) {
            ty = TypeExpr {
                kind: TypeKind::Optional(Box::new(ty)),
                span: Span::new(lo, self.end()),
            };
        }
        Some(ty)
    }
}
