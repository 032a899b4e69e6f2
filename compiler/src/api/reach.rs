//! Reachability: the named types that flow into operations (requests: parameters, bodies,
//! policy inputs) and out of them (responses: results, errors), transitively through records,
//! entities, contexts, aliases and collections. One walk for every target.

use std::collections::BTreeMap;

use super::index::{Decl, Index};
use crate::ir::{Operation, QualName, Type};

/// The directions a type travels in: a set of [`Dir::REQUEST`] and [`Dir::RESPONSE`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, PartialOrd, Ord)]
pub struct Dir(u8);

impl Dir {
    pub const NONE: Dir = Dir(0);
    /// Clients send it.
    pub const REQUEST: Dir = Dir(1);
    /// Clients receive it.
    pub const RESPONSE: Dir = Dir(2);
    pub const BOTH: Dir = Dir(3);

    pub fn contains(self, other: Dir) -> bool {
        self.0 & other.0 == other.0
    }

    pub fn is_request(self) -> bool {
        self.contains(Dir::REQUEST)
    }

    pub fn is_response(self) -> bool {
        self.contains(Dir::RESPONSE)
    }

    pub fn is_none(self) -> bool {
        self == Dir::NONE
    }

    pub fn union(self, other: Dir) -> Dir {
        Dir(self.0 | other.0)
    }

    pub fn name(self) -> &'static str {
        match self.0 {
            0 => "none",
            1 => "request",
            2 => "response",
            _ => "both",
        }
    }
}

/// Every named type `ty` mentions directly (not through declarations).
pub fn names_in<'t>(ty: &'t Type, out: &mut Vec<&'t QualName>) {
    names_through(ty, Maps::Enter, out);
}

/// Whether a walk enters the value type of `map<string, T>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Maps {
    /// `T` is reached (JSON Schema, OpenAPI, the evolution flow).
    Enter,
    /// A map is opaque (GraphQL writes it as its `JSON` scalar).
    Opaque,
}

fn names_through<'t>(ty: &'t Type, maps: Maps, out: &mut Vec<&'t QualName>) {
    let mut stack = vec![ty];
    while let Some(ty) = stack.pop() {
        match ty {
            Type::Named(name, _) => out.push(name),
            Type::Map(t) if maps == Maps::Enter => stack.push(t),
            Type::Optional(t) | Type::List(t) | Type::Set(t) | Type::Refined(t, _) => {
                stack.push(t);
            }
            Type::Map(_) | Type::Prim(_) | Type::Error => {}
        }
    }
}

/// The types of an operation: its parameters (request), its result and errors (response).
pub fn operation_types(op: &Operation) -> impl Iterator<Item = (&Type, Dir)> {
    op.params
        .iter()
        .map(|p| (&p.ty, Dir::REQUEST))
        .chain(op.result.iter().map(|t| (t, Dir::RESPONSE)))
        .chain(op.errors.iter().map(|(_, t)| (t, Dir::RESPONSE)))
}

/// The named types reached from some seeds, with their directions, in name order.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Reach<'m> {
    pub dirs: BTreeMap<&'m QualName, Dir>,
}

impl<'m> Reach<'m> {
    /// Walks from `seeds` through the declarations `index` knows, into maps.
    pub fn walk(index: &Index<'m>, seeds: impl IntoIterator<Item = (&'m Type, Dir)>) -> Self {
        Reach::walk_with(index, seeds, Maps::Enter)
    }

    /// Walks from `seeds` through the declarations `index` knows. Every name met is in the
    /// result, including names that do not resolve (only in a model with errors).
    pub fn walk_with(
        index: &Index<'m>,
        seeds: impl IntoIterator<Item = (&'m Type, Dir)>,
        maps: Maps,
    ) -> Self {
        let mut work: Vec<(&'m QualName, Dir)> = Vec::new();
        let mut names = Vec::new();
        let mut seed = |ty: &'m Type, dir: Dir, work: &mut Vec<(&'m QualName, Dir)>| {
            names.clear();
            names_through(ty, maps, &mut names);
            work.extend(names.iter().map(|n| (*n, dir)));
        };
        for (ty, dir) in seeds {
            seed(ty, dir, &mut work);
        }
        let mut reach = Reach::default();
        while let Some((name, dir)) = work.pop() {
            let have = reach.dirs.entry(name).or_default();
            if have.contains(dir) {
                continue;
            }
            *have = have.union(dir);
            match index.get(name) {
                Some(Decl::Record(r)) => r.fields.iter().for_each(|f| seed(&f.ty, dir, &mut work)),
                Some(Decl::Entity(s) | Decl::Context(s)) => {
                    s.fields.iter().for_each(|f| seed(&f.ty, dir, &mut work));
                }
                Some(Decl::Alias(a)) => seed(&a.ty, dir, &mut work),
                Some(Decl::Enum(_) | Decl::Service(_)) | None => {}
            }
        }
        reach
    }

    /// What a service's operations reach.
    pub fn of_service(index: &Index<'m>, service: &'m crate::ir::Service) -> Self {
        Reach::walk(index, service.ops.iter().flat_map(operation_types))
    }

    /// What every operation of the model reaches, and the attributes of every entity and
    /// context (policy inputs, which clients send).
    pub fn of_model(index: &Index<'m>) -> Self {
        let model = index.model();
        let ops = model
            .services
            .iter()
            .flat_map(|s| &s.ops)
            .flat_map(operation_types);
        let inputs = model
            .entities
            .iter()
            .chain(&model.contexts)
            .flat_map(|s| &s.fields)
            .map(|f| (&f.ty, Dir::REQUEST));
        Reach::walk(index, ops.chain(inputs))
    }

    /// The directions of `name`; [`Dir::NONE`] when nothing reaches it.
    pub fn dir(&self, name: &QualName) -> Dir {
        self.dirs.get(name).copied().unwrap_or_default()
    }
}
