//! The model's fields and aliases by name, hashed once for the whole bundle: the policy modules
//! read a field's default at every step of every attribute path, and the model's own lookups
//! (`Model::record`, `Model::alias`) scan a list each time. The answers are those of
//! `charter::eval::step_defaults` and `charter::eval::base` (compared in the tests), including
//! which declaration wins when names repeat in a model that was not checked.

use std::collections::HashMap;

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
    pub fn base(&self, ty: &Type) -> Type {
        self.base_ref(ty).clone()
    }

    fn base_ref<'t>(&'t self, ty: &'t Type) -> &'t Type {
        charter::api::index::base(ty, |name| self.aliases.get(name).copied())
    }

    /// `charter::eval::step_defaults`: for each step of `root.attrs`, the default of the field
    /// it names (the subject's first step reads the first subject entity).
    pub fn step_defaults(
        &self,
        policy: &Policy,
        root: Root,
        attrs: &[charter::Name],
    ) -> Vec<Option<ir::Value>> {
        (1..=attrs.len())
            .map(|n| {
                attrs
                    .get(..n)
                    .and_then(|steps| self.field_at(policy, root, steps))
                    .and_then(|f| f.default.clone())
            })
            .collect()
    }

    /// The field the last step of `root.attrs` names, following record types.
    fn field_at(
        &self,
        policy: &'m Policy,
        root: Root,
        attrs: &[charter::Name],
    ) -> Option<&'m Field> {
        let mut name = match root {
            Root::Subject => policy.subjects.first(),
            Root::Resource => Some(&policy.resource),
            Root::Context => policy.context.as_ref(),
        }?;
        let (last, before) = attrs.split_last()?;
        for attr in before {
            let field = self.fields.get(name)?.iter().find(|f| &f.name == attr)?;
            name = match self.base_ref(&field.ty) {
                Type::Named(next, _) => next,
                _ => return None,
            };
        }
        self.fields.get(name)?.iter().find(|f| &f.name == last)
    }
}

#[cfg(test)]
mod tests {
    use charter::eval;

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
                    if let Type::Named(inner, _) = lookup.base_ref(&f.ty) {
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
