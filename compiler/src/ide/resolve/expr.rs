//! Expressions in conditions, defaults and test values: attribute paths walked through field
//! types, bare enum values resolved against the type expected where they stand, actions.

use super::{Env, Member, Target, Walker, field_type};
use crate::ir::{Kind, QualName, Type};
use crate::semantics::{self, Sig};
use crate::syntax::ast;

impl Walker<'_> {
    /// The declared type a (possibly aliased) type names, if any.
    fn named(&self, t: &Type) -> Option<QualName> {
        match t.unwrap_optional() {
            Type::Named(q, Kind::Alias) => match self.sig(q).as_deref() {
                Some(Sig::Alias { ty }) => self.named(ty),
                _ => None,
            },
            Type::Named(q, _) => Some(q.clone()),
            Type::Refined(inner, _) => self.named(inner),
            _ => None,
        }
    }

    fn element(t: &Type) -> Option<&Type> {
        match t.unwrap_optional() {
            Type::List(e) | Type::Set(e) | Type::Map(e) => Some(e),
            _ => None,
        }
    }

    /// Walks an expression; `expected` is the type a bare name there should be a value of.
    /// Returns the type of a path expression, when known.
    pub(super) fn expr(
        &mut self,
        e: &ast::Expr,
        env: &Env,
        expected: Option<&Type>,
    ) -> Option<Type> {
        match &e.kind {
            ast::ExprKind::Path(p) | ast::ExprKind::Has(p) => self.path(p, env, expected),
            ast::ExprKind::List(items) => {
                let elem = expected.and_then(Self::element);
                for i in items {
                    self.expr(i, env, elem);
                }
                None
            }
            ast::ExprKind::Object(ty, fields) => {
                let owner = match ty {
                    Some(p) => self.decl_path(p).map(|(q, _)| q),
                    None => expected.and_then(|t| self.named(t)),
                };
                let sig = owner.as_ref().and_then(|q| self.sig(q));
                for (key, value) in fields {
                    let field = field_type(sig.as_deref(), &key.name);
                    if let (Some(owner), Some(_)) = (&owner, &field) {
                        self.push(
                            key.span,
                            Target::Member(owner.clone(), Member::Field, key.name.to_string()),
                            false,
                        );
                    }
                    self.expr(value, env, field.as_ref());
                }
                None
            }
            ast::ExprKind::Not(inner) | ast::ExprKind::Neg(inner) | ast::ExprKind::Paren(inner) => {
                self.expr(inner, env, expected)
            }
            ast::ExprKind::Binary(op, l, r) => {
                // Walk the side whose type is known first, so a bare enum value on the other
                // side resolves against it.
                let lt = self.expr_type(l, env);
                let rt = self.expr_type(r, env);
                if *op == ast::BinOp::In {
                    self.expr(l, env, rt.as_ref().and_then(Self::element));
                    self.expr(r, env, None);
                } else {
                    self.expr(l, env, rt.as_ref());
                    self.expr(r, env, lt.as_ref());
                }
                None
            }
            _ => None,
        }
    }

    /// The type of an attribute path, without recording anything.
    fn expr_type(&mut self, e: &ast::Expr, env: &Env) -> Option<Type> {
        let ast::ExprKind::Path(p) = &e.kind else {
            return None;
        };
        let mark = self.out.len();
        let t = self.path(p, env, None);
        self.out.truncate(mark);
        t
    }

    fn path(&mut self, p: &ast::Path, env: &Env, expected: Option<&Type>) -> Option<Type> {
        let (first, rest) = p.segments.split_first()?;
        let root = match first.name.as_str() {
            "subject" => env.subjects.clone(),
            "resource" => env.resource.iter().cloned().collect(),
            "context" => env.context.iter().cloned().collect(),
            _ => Vec::new(),
        };
        if env.policy.is_some() && !root.is_empty() {
            // Attribute navigation: each segment is a field of the type before it.
            let mut current: Vec<QualName> = root;
            let mut ty = None;
            for seg in rest {
                let found = current.iter().find_map(|owner| {
                    field_type(self.sig(owner).as_deref(), &seg.name).map(|t| (owner.clone(), t))
                });
                let (owner, t) = found?;
                self.push(
                    seg.span,
                    Target::Member(owner, Member::Field, seg.name.to_string()),
                    false,
                );
                current = self.named(&t).into_iter().collect();
                ty = Some(t);
            }
            return ty.or_else(|| {
                current
                    .first()
                    .map(|q| Type::Named(q.clone(), Kind::Record))
            });
        }
        if rest.is_empty() {
            // A bare name: an enum value of the expected type, an action, or a declaration.
            if let Some(owner) = expected.and_then(|t| self.named(t))
                && let Some(Sig::Enum { variants, .. }) = self.sig(&owner).as_deref()
                && variants.iter().any(|v| v.as_str() == first.name.as_str())
            {
                self.push(
                    first.span,
                    Target::Member(owner.clone(), Member::Variant, first.name.to_string()),
                    false,
                );
                return Some(Type::Named(owner, Kind::Enum));
            }
            if let Some(resource) = &env.resource
                && semantics::actions(self.db, self.ws)
                    .get(resource)
                    .is_some_and(|list| list.iter().any(|a| a.name == first.name))
            {
                self.push(
                    first.span,
                    Target::Member(resource.clone(), Member::Action, first.name.to_string()),
                    false,
                );
                return None;
            }
        }
        // The longest prefix naming a declaration, then an enum value after it.
        for k in (1..=p.segments.len()).rev() {
            let Some(prefix) = p.segments.get(..k) else {
                continue;
            };
            let Some((name, kind)) = self.lookup(prefix) else {
                continue;
            };
            if let Some(last) = prefix.last() {
                self.push(last.span, Target::Decl(name.clone()), false);
            }
            if let (Kind::Enum, Some(variant)) = (kind, p.segments.get(k)) {
                self.push(
                    variant.span,
                    Target::Member(name.clone(), Member::Variant, variant.name.to_string()),
                    false,
                );
                return Some(Type::Named(name, Kind::Enum));
            }
            return None;
        }
        None
    }
}
