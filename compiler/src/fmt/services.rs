//! Services and their operations.

use super::comments::slice;
use super::printer::Printer;
use super::{INDENT, WIDTH};
use crate::syntax::ast::{ErrorResponse, OpClause, Operation, Param, Service};

impl Printer<'_> {
    pub(super) fn service(&mut self, s: &Service) {
        self.header(s.doc.as_ref(), &s.annotations);
        self.kw("service");
        self.sp();
        self.ident(&s.name);
        if let Some(version) = &s.version {
            self.space_or_break(|p| {
                p.kw("version");
                p.sp();
                p.string(version);
            });
            self.kw("version");
            self.sp();
            self.string(version);
        }
        if let Some(base) = &s.base {
            self.space_or_break_before(2, |p| {
                p.kw("at");
                p.sp();
                p.string(base);
            });
            self.kw("at");
            self.sp();
            self.string(base);
        }
        self.sp();
        self.block(&s.ops, s.span.end, true, Self::operation);
    }

    pub(super) fn operation(&mut self, op: &Operation) {
        self.flush_before(op.span.start);
        self.header(op.doc.as_ref(), &op.annotations);
        self.kw("op");
        self.sp();
        self.ident(&op.name);
        self.sp();
        self.ident(&op.method);
        self.sp();
        self.string(&op.path);
        self.sp();
        self.kw("(");
        let params = self.measure(|p| p.params_flat(&op.params));
        let result = op
            .result
            .as_ref()
            .map_or(0, |ty| 4 + self.measure(|p| p.ty(ty)));
        let long = self.column() + params + 1 + result > WIDTH;
        let commented = match (op.params.first(), op.params.last()) {
            (Some(first), Some(last)) => {
                self.comment_within(first.span.start, self.close_pos(last.span.end))
            }
            _ => false,
        };
        if !op.params.is_empty() && (long || commented) {
            self.indent += INDENT;
            for param in &op.params {
                self.newline();
                self.param(param);
                self.kw(",");
            }
            self.indent = self.indent.saturating_sub(INDENT);
            self.newline();
        } else {
            self.params_flat(&op.params);
        }
        self.kw(")");
        if let Some(ty) = &op.result {
            self.sp();
            self.kw("->");
            self.sp();
            self.ty(ty);
        }
        self.indent += INDENT;
        for clause in &op.clauses {
            self.newline();
            self.op_clause(clause);
        }
        self.indent = self.indent.saturating_sub(INDENT);
    }

    pub(super) fn params_flat(&mut self, params: &[Param]) {
        for (i, param) in params.iter().enumerate() {
            if i > 0 {
                self.kw(",");
                self.sp();
            }
            self.param(param);
        }
    }

    /// A parameter; its annotations inline before it (`@wire("StartTime>") start: timestamp?`).
    pub(super) fn param(&mut self, p: &Param) {
        for a in &p.annotations {
            self.annotation(a);
            self.sp();
        }
        self.ident(&p.name);
        self.kw(":");
        self.sp();
        self.ty(&p.ty);
        if let Some(default) = &p.default {
            self.sp();
            self.kw("=");
            self.sp();
            self.expr(default);
        }
    }

    pub(super) fn op_clause(&mut self, c: &OpClause) {
        match c {
            OpClause::Errors(list, _) => {
                self.kw("errors");
                self.sp();
                self.kw("{");
                if !list.is_empty() {
                    self.sp();
                }
                self.fill(list, 2, Self::error_response);
                if !list.is_empty() {
                    self.sp();
                }
                self.kw("}");
            }
            OpClause::RequiresProvenance(_) => {
                self.kw("requires");
                self.sp();
                self.kw("provenance");
            }
            OpClause::GuardedBy { policy, action, .. } => {
                self.kw("guarded");
                self.sp();
                self.kw("by");
                self.sp();
                self.path(policy);
                self.space_or_break(|p| {
                    p.kw("action");
                    p.sp();
                    p.ident(action);
                });
                self.kw("action");
                self.sp();
                self.ident(action);
            }
            OpClause::Graphql(kind, _) => {
                self.kw("graphql");
                self.sp();
                self.ident(kind);
            }
            OpClause::Error(span) => self.fail(*span),
        }
    }

    pub(super) fn error_response(&mut self, e: &ErrorResponse) {
        let written = slice(self.text, e.status_span.start, e.status_span.end);
        let status = if written.is_empty() {
            e.status_text.clone()
        } else {
            written.to_string()
        };
        self.leaf(e.status_span, &status);
        self.kw(":");
        self.sp();
        self.ty(&e.ty);
    }
}
