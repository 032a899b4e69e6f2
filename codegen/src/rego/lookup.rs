//! The model's fields and aliases by name, hashed once for the whole bundle: the policy modules
//! read a field's default at every step of every attribute path, and the model's own lookups
//! (`Model::record`, `Model::alias`) scan a list each time. The walk is `charter::eval`'s
//! (`step_defaults_in`, `base_in`), given these maps as its `Declarations`; the tests compare the
//! answers with the model's own lookups, including which declaration wins when names repeat in
//! a model that was not checked.

use std::collections::HashMap;

use charter::eval;
use charter::ir::{self, Alias, Field, Model, Policy, QualName, Root, Type};

pub struct Lookup<'m> {
    /// A record's fields, else an entity's, else a context's (as `eval::validate::fields`),
    /// the first declaration of each name.
    fields: HashMap<&'m QualName, &'m [Field]>,
    aliases: HashMap<&'m QualName, &'m Alias>,
}

impl<'m> Lookup<'m> {
    pub fn new(model: &'m Model) -> Self {
        let mut fields = HashMap::new();
        let records = model.records.iter().map(|r| (&r.name, r.fields.as_slice()));
        let entities = model
            .entities
            .iter()
            .map(|e| (&e.name, e.fields.as_slice()));
        let contexts = model
            .contexts
            .iter()
            .map(|c| (&c.name, c.fields.as_slice()));
        for (name, list) in records.chain(entities).chain(contexts) {
            fields.entry(name).or_insert(list);
        }
        let mut aliases = HashMap::new();
        for a in &model.aliases {
            aliases.entry(&a.name).or_insert(a);
        }
        Lookup { fields, aliases }
    }

    /// `charter::eval::base`: aliases resolved, refinements and `?` removed.
    pub fn base(&self, ty: &'m Type) -> Type {
        eval::base_in(self, ty).clone()
    }

    /// `charter::eval::step_defaults`, through the maps.
    pub fn step_defaults(
        &self,
        policy: &'m Policy,
        root: Root,
        attrs: &[charter::Name],
    ) -> Vec<Option<ir::Value>> {
        eval::step_defaults_in(self, policy, root, attrs)
    }
}

impl<'m> eval::Declarations<'m> for Lookup<'m> {
    fn fields(&self, name: &QualName) -> Option<&'m [Field]> {
        self.fields.get(name).copied()
    }

    fn alias(&self, name: &QualName) -> Option<&'m Alias> {
        self.aliases.get(name).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::summit;

    /// Every attribute path up to three steps from each root of each policy, through the
    /// fields the model declares and a name it does not.
    fn paths(lookup: &Lookup<'_>, start: &QualName) -> Vec<Vec<charter::Name>> {
        let mut out = Vec::new();
        let mut frontier = vec![(start.clone(), Vec::<charter::Name>::new())];
        for _ in 0..3 {
            let mut next = Vec::new();
            for (name, prefix) in frontier {
                let fields = lookup.fields.get(&name).copied().unwrap_or_default();
                let mut missing = prefix.clone();
                missing.push("no_such_field".into());
                out.push(missing);
                for f in fields {
                    let mut path = prefix.clone();
                    path.push(f.name.clone());
                    out.push(path.clone());
                    if let Type::Named(inner, _) = eval::base_in(lookup, &f.ty) {
                        next.push((inner.clone(), path));
                    }
                }
            }
            frontier = next;
        }
        out
    }

    fn agrees_with_eval(model: &Model) -> usize {
        let lookup = Lookup::new(model);
        let mut compared = 0;
        for policy in &model.policies {
            let roots = [
                (Root::Subject, policy.subjects.first()),
                (Root::Resource, Some(&policy.resource)),
                (Root::Context, policy.context.as_ref()),
            ];
            for (root, start) in roots {
                let Some(start) = start else { continue };
                for attrs in paths(&lookup, start) {
                    assert_eq!(
                        lookup.step_defaults(policy, root, &attrs),
                        eval::step_defaults(model, policy, root, &attrs),
                        "{} {attrs:?}",
                        policy.name
                    );
                    compared += 1;
                }
            }
        }
        let types = (model.records.iter().flat_map(|r| &r.fields))
            .chain(model.entities.iter().flat_map(|e| &e.fields))
            .chain(model.contexts.iter().flat_map(|c| &c.fields))
            .map(|f| &f.ty)
            .chain(model.aliases.iter().map(|a| &a.ty));
        for ty in types {
            assert_eq!(lookup.base(ty), eval::base(model, ty));
            compared += 1;
        }
        compared
    }

    #[test]
    fn the_defaults_and_bases_are_evals() {
        let model = summit();
        assert!(agrees_with_eval(&model) > 100);
    }

    #[test]
    fn repeated_names_resolve_as_eval_resolves_them() {
        // A model that was not checked: a second record and an entity named as a record, and
        // a second alias of a name. The first record wins, as in `Model::record`.
        let mut model = summit();
        let mut records = model.records.clone();
        for r in &mut records {
            for f in &mut r.fields {
                f.default = None;
            }
        }
        model.records.extend(records);
        let entities: Vec<_> = model
            .entities
            .iter()
            .cloned()
            .zip(&model.records)
            .map(|(mut e, r)| {
                e.name = r.name.clone();
                e
            })
            .collect();
        model.entities.extend(entities);
        let mut aliases = model.aliases.clone();
        for a in &mut aliases {
            a.ty = Type::Prim(charter::ir::Prim::Bool);
        }
        model.aliases.extend(aliases);
        assert!(agrees_with_eval(&model) > 100);
    }
}
