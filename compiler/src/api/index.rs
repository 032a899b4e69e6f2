//! The name index of a model and alias expansion.

use std::collections::HashMap;

use crate::ir::{Alias, Enum, Field, Kind, Model, QualName, Record, Service, Shape, Type};

/// How many aliases in a row are expanded before giving up: deeper chains (which the checker
/// refuses as cycles) end in `Type::Error`.
pub const ALIAS_DEPTH: usize = 64;

/// A declaration a name can refer to in a contract.
#[derive(Debug, Clone, Copy)]
pub enum Decl<'m> {
    Record(&'m Record),
    Enum(&'m Enum),
    Alias(&'m Alias),
    Entity(&'m Shape),
    Context(&'m Shape),
    Service(&'m Service),
}

impl<'m> Decl<'m> {
    /// The fields of a record, an entity or a context.
    pub fn fields(self) -> Option<&'m [Field]> {
        match self {
            Decl::Record(r) => Some(&r.fields),
            Decl::Entity(s) | Decl::Context(s) => Some(&s.fields),
            Decl::Enum(_) | Decl::Alias(_) | Decl::Service(_) => None,
        }
    }
}

/// A type with its outer aliases expanded, remembering the first alias it went through
/// (`pkg.Email` = `string matching ...`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Expanded<'t> {
    pub ty: &'t Type,
    pub alias: Option<&'t QualName>,
}

/// Every record, enum, alias, entity, context and service of a model by qualified name.
#[derive(Debug)]
pub struct Index<'m> {
    model: &'m Model,
    decls: HashMap<&'m QualName, Decl<'m>>,
}

/// Stands for a chain of aliases that does not end.
static ERROR: Type = Type::Error;

/// `ty` with its outer aliases expanded, by the one rule: `alias` finds an alias's definition
/// ([`Index::alias`], or `Model::alias` where an index would cost more than it saves); an alias
/// it does not find stays as it is; a chain longer than [`ALIAS_DEPTH`] is `Type::Error`.
pub fn expand<'t>(ty: &'t Type, alias: impl Fn(&QualName) -> Option<&'t Alias>) -> Expanded<'t> {
    let mut out = Expanded { ty, alias: None };
    for _ in 0..ALIAS_DEPTH {
        let Type::Named(name, Kind::Alias) = out.ty else {
            return out;
        };
        let Some(found) = alias(name) else {
            return out;
        };
        out.alias = out.alias.or(Some(name));
        out.ty = &found.ty;
    }
    match out.ty {
        Type::Named(_, Kind::Alias) => Expanded {
            ty: &ERROR,
            alias: out.alias,
        },
        _ => out,
    }
}

/// The base of a type: aliases expanded and refinements and `?` removed, by the same rule as
/// [`Index::expand`] ([`ALIAS_DEPTH`] steps; an alias that does not resolve, or a chain that does
/// not end, is `Type::Error`). `alias` finds an alias's definition: [`Index::alias`], or
/// `Model::alias` where building an index would cost more than it saves (the evaluator, per
/// decision).
pub fn base<'t>(ty: &'t Type, alias: impl Fn(&QualName) -> Option<&'t Alias>) -> &'t Type {
    let mut current = ty;
    for _ in 0..ALIAS_DEPTH {
        current = match current {
            Type::Optional(inner) | Type::Refined(inner, _) => inner,
            Type::Named(name, Kind::Alias) => match alias(name) {
                Some(a) => &a.ty,
                None => return &ERROR,
            },
            other => return other,
        };
    }
    &ERROR
}

impl<'m> Index<'m> {
    pub fn new(model: &'m Model) -> Self {
        let mut decls = HashMap::new();
        let mut add = |name: &'m QualName, decl: Decl<'m>| {
            // The first declaration wins, as in `Model::record` (duplicates are E-diagnostics).
            decls.entry(name).or_insert(decl);
        };
        for r in &model.records {
            add(&r.name, Decl::Record(r));
        }
        for e in &model.enums {
            add(&e.name, Decl::Enum(e));
        }
        for a in &model.aliases {
            add(&a.name, Decl::Alias(a));
        }
        for s in &model.entities {
            add(&s.name, Decl::Entity(s));
        }
        for s in &model.contexts {
            add(&s.name, Decl::Context(s));
        }
        for s in &model.services {
            add(&s.name, Decl::Service(s));
        }
        Index { model, decls }
    }

    pub fn model(&self) -> &'m Model {
        self.model
    }

    pub fn get(&self, name: &QualName) -> Option<Decl<'m>> {
        self.decls.get(name).copied()
    }

    pub fn record(&self, name: &QualName) -> Option<&'m Record> {
        match self.get(name)? {
            Decl::Record(r) => Some(r),
            _ => None,
        }
    }

    pub fn enumeration(&self, name: &QualName) -> Option<&'m Enum> {
        match self.get(name)? {
            Decl::Enum(e) => Some(e),
            _ => None,
        }
    }

    pub fn alias(&self, name: &QualName) -> Option<&'m Alias> {
        match self.get(name)? {
            Decl::Alias(a) => Some(a),
            _ => None,
        }
    }

    pub fn service(&self, name: &QualName) -> Option<&'m Service> {
        match self.get(name)? {
            Decl::Service(s) => Some(s),
            _ => None,
        }
    }

    /// The fields of a record, an entity or a context.
    pub fn fields(&self, name: &QualName) -> Option<&'m [Field]> {
        self.get(name)?.fields()
    }

    /// [`base`] through this index.
    pub fn base<'t>(&'t self, ty: &'t Type) -> &'t Type {
        base(ty, |name| self.alias(name))
    }

    /// `ty` with its outer aliases expanded (an alias may itself be optional or refined).
    pub fn expand<'t>(&'t self, ty: &'t Type) -> Expanded<'t> {
        self.expand_until(ty, |_| false)
    }

    /// [`Index::expand`], stopping at aliases `keep` names (GraphQL keeps `ID`). An alias that
    /// did not resolve stays as it is; a chain longer than [`ALIAS_DEPTH`] is `Type::Error`.
    pub fn expand_until<'t>(
        &'t self,
        ty: &'t Type,
        keep: impl Fn(&QualName) -> bool,
    ) -> Expanded<'t> {
        expand(ty, |name| if keep(name) { None } else { self.alias(name) })
    }
}
