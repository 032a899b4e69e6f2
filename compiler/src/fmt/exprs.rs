//! Type expressions and expressions.

use super::printer::Printer;
use crate::syntax::ast::{Expr, ExprKind, TypeExpr, TypeKind};
use crate::syntax::lex::quote;

impl Printer<'_> {
    pub(super) fn ty(&mut self, t: &TypeExpr) {
        match &t.kind {
            TypeKind::Named(p) => self.path(p),
            TypeKind::Optional(inner) => {
                self.ty(inner);
                self.kw("?");
            }
            TypeKind::Generic(ctor, args) => {
                self.ident(ctor);
                self.kw("<");
                self.fill(args, 1, Self::ty);
                self.kw(">");
            }
            TypeKind::Range(base, min, max) => {
                self.ty(base);
                self.sp();
                self.kw("in");
                self.sp();
                if let Some(min) = min {
                    self.expr(min);
                }
                self.kw("..");
                if let Some(max) = max {
                    self.expr(max);
                }
            }
            TypeKind::Matching(base, pattern) => {
                self.ty(base);
                self.sp();
                self.kw("matching");
                self.sp();
                self.string(pattern);
            }
            TypeKind::Error => self.fail(t.span),
        }
    }

    pub(super) fn expr(&mut self, e: &Expr) {
        match &e.kind {
            ExprKind::Bool(b) => self.leaf(e.span, if *b { "true" } else { "false" }),
            ExprKind::None => self.leaf(e.span, "none"),
            ExprKind::Int(s) | ExprKind::Float(s) | ExprKind::Date(s) | ExprKind::Duration(s) => {
                self.leaf(e.span, s);
            }
            ExprKind::Str(s) => self.leaf(e.span, &quote(s)),
            ExprKind::Path(p) => self.path(p),
            ExprKind::List(items) => {
                self.kw("[");
                self.fill(items, 1, Self::expr);
                self.kw("]");
            }
            ExprKind::Object(ty, fields) => {
                if let Some(ty) = ty {
                    self.path(ty);
                    self.sp();
                }
                self.object_flat(fields);
            }
            ExprKind::Not(inner) => {
                self.kw("not");
                self.sp();
                self.expr(inner);
            }
            ExprKind::Neg(inner) => {
                self.kw("-");
                self.expr(inner);
            }
            ExprKind::Has(p) => {
                self.kw("has");
                self.sp();
                self.path(p);
            }
            ExprKind::Binary(op, l, r) => {
                self.expr(l);
                self.sp();
                self.kw(op.as_str());
                self.space_or_break(|p| p.expr(r));
                self.expr(r);
            }
            ExprKind::Paren(inner) => {
                self.kw("(");
                self.expr(inner);
                self.kw(")");
            }
            ExprKind::Error => self.fail(e.span),
        }
    }
}
