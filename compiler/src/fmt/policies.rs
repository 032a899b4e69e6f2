//! Policies, rules and their conditions, and the policy test suites.

use super::printer::Printer;
use super::{INDENT, WIDTH};
use crate::syntax::ast::{
    BinOp, CaseItem, Expr, ExprKind, Ident, Policy, Rule, TestCase, TestSuite,
};

impl Printer<'_> {
    pub(super) fn policy(&mut self, p: &Policy) {
        self.header(p.doc.as_ref(), &p.annotations);
        self.kw("policy");
        self.sp();
        self.ident(&p.name);
        self.space_or_break(|q| {
            q.kw("on");
            q.sp();
            q.path(&p.resource);
        });
        self.kw("on");
        self.sp();
        self.path(&p.resource);
        self.space_or_break(|q| {
            q.kw("by");
            q.sp();
            q.paths(p.subjects.get(..1).unwrap_or_default());
        });
        self.kw("by");
        self.sp();
        self.paths(&p.subjects);
        if let Some(ctx) = &p.context {
            self.space_or_break(|q| {
                q.kw("with");
                q.sp();
                q.path(ctx);
            });
            self.kw("with");
            self.sp();
            self.path(ctx);
        }
        if let Some(version) = &p.version {
            self.space_or_break(|q| {
                q.kw("version");
                q.sp();
                q.string(version);
            });
            self.kw("version");
            self.sp();
            self.string(version);
        }
        self.indent += INDENT;
        self.newline();
        self.kw("default");
        self.sp();
        self.kw(p.default_effect.as_str());
        if let Some(reason) = &p.default_reason {
            self.sp();
            self.string(reason);
        }
        self.indent = self.indent.saturating_sub(INDENT);
        self.newline();
        self.block(&p.rules, p.span.end, true, Self::rule);
    }

    pub(super) fn rule(&mut self, r: &Rule) {
        self.flush_before(r.span.start);
        self.header(r.doc.as_ref(), &r.annotations);
        self.kw(r.effect.as_str());
        self.sp();
        self.ident(&r.name);
        let base = self.indent;
        self.indent = base + INDENT;
        if let Some(cond) = &r.condition {
            self.newline();
            self.kw("when");
            self.sp();
            self.condition(cond);
        }
        if let Some(reason) = &r.reason {
            self.newline();
            self.kw("because");
            self.sp();
            self.string(reason);
        }
        self.indent = base;
    }

    /// A rule condition: a long (or commented) top-level `and`/`or` chain gets one operand per
    /// line, the operators right-aligned under `when`.
    pub(super) fn condition(&mut self, e: &Expr) {
        let ExprKind::Binary(op @ (BinOp::And | BinOp::Or), _, _) = &e.kind else {
            self.expr(e);
            return;
        };
        let mut parts = Vec::new();
        chain(e, *op, &mut parts);
        let flat = self.measure(|p| p.expr(e));
        let long = self.column() + flat > WIDTH;
        if parts.len() < 2 || !(long || self.comment_within(e.span.start, e.span.end)) {
            self.expr(e);
            return;
        }
        let when_indent = self.indent;
        let op_text = op.as_str();
        for (i, part) in parts.iter().enumerate() {
            if i > 0 {
                self.newline();
                // Comments before the operator line up with `when`.
                if let Some((start, _)) = self.find_tok(op_text) {
                    self.flush_before(start);
                }
                // `when` is 4 wide: `and`/`or` end where it ends.
                self.indent = when_indent + 4usize.saturating_sub(op_text.len());
                self.kw(op_text);
                self.sp();
            }
            self.expr(part);
            self.indent = when_indent;
        }
    }

    pub(super) fn test_suite(&mut self, t: &TestSuite) {
        self.header(t.doc.as_ref(), &t.annotations);
        self.kw("test");
        self.sp();
        self.path(&t.policy);
        self.sp();
        self.block(&t.cases, t.span.end, true, Self::test_case);
    }

    pub(super) fn test_case(&mut self, c: &TestCase) {
        self.flush_before(c.span.start);
        self.doc(c.doc.as_ref());
        self.string(&c.name);
        self.sp();
        self.block(&c.items, c.span.end, false, Self::case_item);
    }

    pub(super) fn case_item(&mut self, item: &CaseItem) {
        match item {
            CaseItem::Value {
                role, ty, value, ..
            } => {
                self.kw(role.as_str());
                self.sp();
                if let Some(ty) = ty {
                    self.path(ty);
                    self.sp();
                }
                match &value.kind {
                    ExprKind::Object(_, fields) => self.object_body(fields, value.span.end),
                    _ => self.fail(value.span),
                }
            }
            CaseItem::Action(action, _) => {
                self.kw("action");
                self.sp();
                self.ident(action);
            }
            CaseItem::Expect { effect, by, .. } => {
                self.kw("expect");
                self.sp();
                self.kw(effect.as_str());
                if let Some(by) = by {
                    self.sp();
                    self.kw("by");
                    self.sp();
                    self.ident(by);
                }
            }
            CaseItem::Error(span) => self.fail(*span),
        }
    }

    /// `{ k: v, ... }` on one line when it fits and holds no comment, else one entry per line.
    pub(super) fn object_body(&mut self, fields: &[(Ident, Expr)], end: u32) {
        let flat = self.measure(|p| p.object_flat(fields));
        let fits = self.column() + flat <= WIDTH;
        self.kw("{");
        let pending = self.pending_before(end);
        if fields.is_empty() && !pending {
            self.kw("}");
            return;
        }
        if fits && !pending {
            self.sp();
            self.object_entries(fields);
            self.sp();
            self.kw("}");
            return;
        }
        self.block_open();
        for (i, (key, value)) in fields.iter().enumerate() {
            if i > 0 {
                self.newline();
            }
            self.ident(key);
            self.kw(":");
            self.sp();
            self.expr(value);
            self.kw(",");
        }
        self.block_close(end);
    }

    pub(super) fn object_flat(&mut self, fields: &[(Ident, Expr)]) {
        self.kw("{");
        if !fields.is_empty() {
            self.sp();
            self.object_entries(fields);
            self.sp();
        }
        self.kw("}");
    }

    pub(super) fn object_entries(&mut self, fields: &[(Ident, Expr)]) {
        self.fill(fields, 2, |p, (key, value)| {
            p.ident(key);
            p.kw(":");
            p.sp();
            p.expr(value);
        });
    }
}

/// The operands of a left-nested chain of `op`: `a and b and c` gives `[a, b, c]`.
fn chain<'e>(e: &'e Expr, op: BinOp, out: &mut Vec<&'e Expr>) {
    match &e.kind {
        ExprKind::Binary(o, l, r) if *o == op => {
            chain(l, op, out);
            out.push(r);
        }
        _ => out.push(e),
    }
}
