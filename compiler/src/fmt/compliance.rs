//! Controls, threats and frameworks.

use super::printer::Printer;
use crate::syntax::ast::{
    Control, ControlClause, Framework, RequirementDecl, Threat, ThreatClause,
};

impl Printer<'_> {
    pub(super) fn control(&mut self, c: &Control) {
        self.header(c.doc.as_ref(), &c.annotations);
        self.kw("control");
        self.sp();
        self.ident(&c.id);
        if let Some(title) = &c.title {
            self.space_or_break_before(2, |p| p.string(title));
            self.string(title);
        }
        self.sp();
        self.block(&c.clauses, c.span.end, false, Self::control_clause);
    }

    pub(super) fn control_clause(&mut self, c: &ControlClause) {
        match c {
            ControlClause::Owner(s) => {
                self.kw("owner");
                self.sp();
                self.string(s);
            }
            ControlClause::Satisfies(refs) => {
                self.kw("satisfies");
                self.sp();
                self.fill(refs, 0, |p, r| {
                    p.path(&r.framework);
                    p.kw(".");
                    p.string(&r.id);
                });
            }
            ControlClause::EnforcedBy(paths) => {
                self.kw("enforced");
                self.sp();
                self.kw("by");
                self.sp();
                self.paths(paths);
            }
            ControlClause::Evidence {
                path,
                category,
                retained,
                produced_by,
                ..
            } => {
                self.kw("evidence");
                self.sp();
                self.string(path);
                if let Some(category) = category {
                    self.space_or_break(|p| {
                        p.kw("category");
                        p.sp();
                        p.ident(category);
                    });
                    self.kw("category");
                    self.sp();
                    self.ident(category);
                }
                if let Some((duration, span)) = retained {
                    self.space_or_break(|p| {
                        p.kw("retained");
                        p.sp();
                        p.leaf(*span, duration);
                    });
                    self.kw("retained");
                    self.sp();
                    self.leaf(*span, duration);
                }
                if let Some(producer) = produced_by {
                    self.space_or_break(|p| {
                        p.kw("produced");
                        p.sp();
                        p.kw("by");
                        p.sp();
                        p.expr(producer);
                    });
                    self.kw("produced");
                    self.sp();
                    self.kw("by");
                    self.sp();
                    self.expr(producer);
                }
            }
            ControlClause::Error(span) => self.fail(*span),
        }
    }

    pub(super) fn threat(&mut self, t: &Threat) {
        self.header(t.doc.as_ref(), &t.annotations);
        self.kw("threat");
        self.sp();
        self.ident(&t.id);
        if let Some(title) = &t.title {
            self.space_or_break_before(2, |p| p.string(title));
            self.string(title);
        }
        self.sp();
        self.block(&t.clauses, t.span.end, false, Self::threat_clause);
    }

    pub(super) fn threat_clause(&mut self, c: &ThreatClause) {
        let (keyword, value) = match c {
            ThreatClause::Subsystem(s) => {
                self.kw("subsystem");
                self.sp();
                self.string(s);
                return;
            }
            ThreatClause::MitigatedBy(ids) => {
                self.kw("mitigated");
                self.sp();
                self.kw("by");
                self.sp();
                self.paths(ids);
                return;
            }
            ThreatClause::Error(span) => {
                self.fail(*span);
                return;
            }
            ThreatClause::Category(id) => ("category", id),
            ThreatClause::Likelihood(id) => ("likelihood", id),
            ThreatClause::Impact(id) => ("impact", id),
        };
        self.kw(keyword);
        self.sp();
        self.ident(value);
    }

    pub(super) fn framework(&mut self, f: &Framework) {
        self.header(f.doc.as_ref(), &f.annotations);
        self.kw("framework");
        self.sp();
        self.ident(&f.name);
        if let Some(title) = &f.title {
            self.space_or_break_before(2, |p| p.string(title));
            self.string(title);
        }
        self.sp();
        self.block(&f.requirements, f.span.end, false, Self::requirement);
    }

    pub(super) fn requirement(&mut self, r: &RequirementDecl) {
        self.flush_before(r.span.start);
        self.kw("requirement");
        self.sp();
        self.string(&r.id);
        let brace = if r.attributes.is_empty() { 0 } else { 2 };
        self.space_or_break_before(brace, |p| p.string(&r.title));
        self.string(&r.title);
        if !r.attributes.is_empty() || self.pending_before(r.span.end) {
            self.sp();
            self.object_body(&r.attributes, r.span.end);
        }
    }
}
