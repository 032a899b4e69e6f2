//! Files, `use` lines and the type declarations: records, entities, contexts, aliases, enums,
//! actions.

use super::WIDTH;
use super::printer::Printer;
use crate::syntax::ast::{
    ActionDecl, Alias, ContextDecl, Entity, Enum, Field, File, Item, Record, Use, Variant,
};

impl Printer<'_> {
    pub(super) fn file(&mut self, file: &File) {
        let mut prev_use = false;
        for (i, item) in file.items.iter().enumerate() {
            let is_use = matches!(item, Item::Use(_));
            if i > 0 {
                if is_use && prev_use {
                    self.newline();
                } else {
                    self.blank_line();
                }
            }
            self.item(item);
            prev_use = is_use;
        }
        self.newline();
        self.flush_all();
    }

    pub(super) fn item(&mut self, item: &Item) {
        self.flush_before(item.span().start);
        match item {
            Item::Package(x) => {
                self.kw("package");
                self.sp();
                self.path(&x.path);
            }
            Item::Use(x) => self.use_decl(x),
            Item::Record(x) => self.record(x),
            Item::Enum(x) => self.enum_decl(x),
            Item::Alias(x) => self.alias(x),
            Item::Entity(x) => self.entity(x),
            Item::Action(x) => self.action(x),
            Item::Context(x) => self.context(x),
            Item::Policy(x) => self.policy(x),
            Item::Service(x) => self.service(x),
            Item::Control(x) => self.control(x),
            Item::Threat(x) => self.threat(x),
            Item::Test(x) => self.test_suite(x),
            Item::Framework(x) => self.framework(x),
            Item::Error(x) => self.fail(x.span),
        }
    }

    pub(super) fn use_decl(&mut self, u: &Use) {
        self.kw("use");
        self.sp();
        for seg in &u.prefix.segments {
            self.ident(seg);
            self.kw(".");
        }
        if u.braced {
            self.kw("{");
        }
        self.fill(&u.names, usize::from(u.braced), |p, n| {
            p.ident(&n.name);
            if let Some(alias) = &n.alias {
                p.sp();
                p.kw("as");
                p.sp();
                p.ident(alias);
            }
        });
        if u.braced {
            self.kw("}");
        }
    }

    pub(super) fn fields(&mut self, fields: &[Field], end: u32) {
        self.block(fields, end, false, |p, f| {
            p.field(f);
            p.keep_comma_after_doc();
        });
    }

    /// The layout drops the optional commas between fields. A doc comment that documents nothing
    /// and sits before such a comma would then run into the next field's doc comment (or become
    /// it); the comma is kept in that case, which keeps the two apart.
    pub(super) fn keep_comma_after_doc(&mut self) {
        let Some((comma, _)) = self.find_tok(",") else {
            return;
        };
        let dangling_doc = self
            .comments
            .get(self.next..)
            .unwrap_or_default()
            .iter()
            .take_while(|c| c.start < comma)
            .any(|c| c.text.starts_with("///"));
        if dangling_doc {
            self.kw(",");
        }
    }

    pub(super) fn field(&mut self, f: &Field) {
        self.flush_before(f.span.start);
        self.header(f.doc.as_ref(), &f.annotations);
        self.ident(&f.name);
        self.kw(":");
        self.sp();
        self.ty(&f.ty);
        if let Some(default) = &f.default {
            self.sp();
            self.kw("=");
            self.space_or_break(|p| p.expr(default));
            self.expr(default);
        }
    }

    pub(super) fn record(&mut self, r: &Record) {
        self.header(r.doc.as_ref(), &r.annotations);
        self.kw("record");
        self.sp();
        self.ident(&r.name);
        if r.with_provenance {
            self.sp();
            self.kw("with");
            self.sp();
            self.kw("provenance");
        }
        self.sp();
        self.fields(&r.fields, r.span.end);
    }

    pub(super) fn entity(&mut self, e: &Entity) {
        self.header(e.doc.as_ref(), &e.annotations);
        self.kw("entity");
        self.sp();
        self.ident(&e.name);
        self.sp();
        self.fields(&e.fields, e.span.end);
    }

    pub(super) fn context(&mut self, c: &ContextDecl) {
        self.header(c.doc.as_ref(), &c.annotations);
        self.kw("context");
        self.sp();
        self.ident(&c.name);
        self.sp();
        self.fields(&c.fields, c.span.end);
    }

    pub(super) fn alias(&mut self, a: &Alias) {
        self.header(a.doc.as_ref(), &a.annotations);
        self.kw("type");
        self.sp();
        self.ident(&a.name);
        self.sp();
        self.kw("=");
        self.sp();
        self.ty(&a.ty);
    }

    pub(super) fn enum_decl(&mut self, e: &Enum) {
        self.header(e.doc.as_ref(), &e.annotations);
        if e.ordered {
            self.kw("ordered");
            self.sp();
        }
        if e.open {
            self.kw("open");
            self.sp();
        }
        self.kw("enum");
        self.sp();
        self.ident(&e.name);
        self.sp();
        let plain = e
            .variants
            .iter()
            .all(|v| v.doc.is_none() && v.annotations.is_empty());
        let names = self.measure(|p| {
            for (i, v) in e.variants.iter().enumerate() {
                if i > 0 {
                    p.write(", ");
                }
                p.write(&v.name.name);
            }
        });
        // `{ ` + names + ` }`
        let fits = self.column() + names + 4 <= WIDTH;
        self.kw("{");
        let pending = self.pending_before(e.span.end);
        if e.variants.is_empty() && !pending {
            self.kw("}");
            return;
        }
        if plain && fits && !pending {
            self.sp();
            for (i, v) in e.variants.iter().enumerate() {
                if i > 0 {
                    self.kw(",");
                    self.sp();
                }
                self.ident(&v.name);
            }
            self.sp();
            self.kw("}");
            return;
        }
        self.block_open();
        for (i, v) in e.variants.iter().enumerate() {
            if i > 0 {
                self.newline();
            }
            self.variant(v);
            self.kw(",");
        }
        self.block_close(e.span.end);
    }

    pub(super) fn variant(&mut self, v: &Variant) {
        let start = v
            .annotations
            .first()
            .map_or(v.name.span.start, |a| a.span.start);
        self.flush_before(start);
        self.header(v.doc.as_ref(), &v.annotations);
        self.ident(&v.name);
    }

    pub(super) fn action(&mut self, a: &ActionDecl) {
        self.header(a.doc.as_ref(), &a.annotations);
        self.kw("action");
        self.sp();
        self.idents(&a.names);
        self.space_or_break(|p| {
            p.kw("on");
            p.sp();
            p.path(&a.resource);
        });
        self.kw("on");
        self.sp();
        self.path(&a.resource);
        self.space_or_break(|p| {
            p.kw("by");
            p.sp();
            p.paths(a.subjects.get(..1).unwrap_or_default());
        });
        self.kw("by");
        self.sp();
        self.paths(&a.subjects);
    }
}
