//! Which named types flow into a service (request: parameters, bodies, policy inputs) and out
//! of it (response: results, errors), transitively through records, aliases and collections.

use std::collections::BTreeMap;

use crate::ir::{Model, QualName, Type};

pub const REQUEST: u8 = 1;
pub const RESPONSE: u8 = 2;

/// Direction bits by type name.
#[derive(Debug, Default, Clone)]
pub struct Flow {
    pub dirs: BTreeMap<QualName, u8>,
}

/// Every named type `ty` mentions.
pub fn names_in<'t>(ty: &'t Type, out: &mut Vec<&'t QualName>) {
    match ty {
        Type::Named(name, _) => out.push(name),
        Type::Optional(t) | Type::List(t) | Type::Set(t) | Type::Map(t) | Type::Refined(t, _) => {
            names_in(t, out);
        }
        Type::Prim(_) | Type::Error => {}
    }
}

fn seed<'m>(ty: &'m Type, dir: u8, work: &mut Vec<(&'m QualName, u8)>) {
    let mut names = Vec::new();
    names_in(ty, &mut names);
    work.extend(names.into_iter().map(|n| (n, dir)));
}

impl Flow {
    pub fn of(model: &Model) -> Flow {
        let mut work: Vec<(&QualName, u8)> = Vec::new();
        for service in &model.services {
            for op in &service.ops {
                for p in &op.params {
                    seed(&p.ty, REQUEST, &mut work);
                }
                if let Some(result) = &op.result {
                    seed(result, RESPONSE, &mut work);
                }
                for (_, ty) in &op.errors {
                    seed(ty, RESPONSE, &mut work);
                }
            }
        }
        for shape in model.entities.iter().chain(&model.contexts) {
            for f in &shape.fields {
                seed(&f.ty, REQUEST, &mut work);
            }
        }
        let mut flow = Flow::default();
        while let Some((name, dir)) = work.pop() {
            let have = flow.dirs.entry(name.clone()).or_insert(0);
            if *have & dir == dir {
                continue;
            }
            *have |= dir;
            if let Some(r) = model.record(name) {
                for f in &r.fields {
                    seed(&f.ty, dir, &mut work);
                }
            } else if let Some(a) = model.aliases.iter().find(|a| &a.name == name) {
                seed(&a.ty, dir, &mut work);
            }
        }
        flow
    }

    /// The directions of `name` in either model; a type no operation or policy input reaches
    /// counts as both (it may be used by another workspace).
    pub fn dir(old: &Flow, new: &Flow, name: &QualName) -> u8 {
        let d = old.dirs.get(name).copied().unwrap_or(0) | new.dirs.get(name).copied().unwrap_or(0);
        if d == 0 { REQUEST | RESPONSE } else { d }
    }
}
