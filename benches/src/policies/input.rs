//! Random inputs for one policy, as raw JSON text: valid ones built from its schema (boundary
//! numbers, timestamps across years 0001–9999, defaults left out, open-enum values the schema
//! does not list) and malformed ones (one or two mutations of a valid input: a missing or
//! `null` attribute, a wrong type, numbers beyond 64 bits or any float, extra attributes,
//! roots that are not objects, unknown actions, bad enums, timestamps, dates, durations).

use super::Counts;
use super::json::{J, Step};
use super::pools::{self, chance, pick};
use super::schema::{Field, Schema, Shape, Ty};
use crate::Rng;

/// One generated input.
pub struct Input {
    pub text: String,
    /// The construct names this input exercised.
    pub tags: Vec<String>,
    /// The router's variant of a valid input: with `input.policy`, `input.resource_type`, both
    /// or neither (the caller works out which policy the route names, if any).
    pub router_text: Option<String>,
}

/// Where in the input a value sits, and what the schema says of it.
#[derive(Clone)]
pub(super) enum Site {
    /// An attribute: its type and whether it is required (no `?`, no default).
    Field(Vec<Step>, Ty, bool),
    /// An element of a list, set or map.
    Elem(Vec<Step>, Ty),
    /// An object of a declared type (entity, record, context).
    Object(Vec<Step>),
    /// An attribute with a default, given.
    Defaulted(Vec<Step>),
}

pub(super) struct Builder<'a> {
    pub(super) s: &'a Schema,
    pub(super) sites: Vec<Site>,
    pub(super) tags: Vec<String>,
    /// Records entered on the way to the value being built, and how deep a chain of a
    /// recursive record may go in this input (a few, or around the validators' limit of 32).
    nesting: usize,
    budget: usize,
}

/// A random input for the policy over `s` named `policy` (its full name).
pub fn input(s: &Schema, policy: &str, rng: &mut Rng, counts: &mut Counts) -> Input {
    let budget = if chance(rng, 1, 4) {
        pick(rng, &[29, 30, 31, 32, 33, 34, 40])
    } else {
        rng.below(4)
    };
    let mut b = Builder {
        s,
        sites: Vec::new(),
        tags: Vec::new(),
        nesting: 0,
        budget,
    };
    let subject_index = rng.below(s.subjects.len());
    let actions: Vec<&'static str> = s
        .actions
        .iter()
        .filter(|(_, by)| by.contains(&subject_index) || chance(rng, 1, 10))
        .flat_map(|(names, _)| names.iter().copied())
        .collect();
    let action = if actions.is_empty() {
        pick(rng, &s.all_actions())
    } else {
        pick(rng, &actions)
    };
    let subject = s
        .subjects
        .get(subject_index)
        .map(|d| d.fields.clone())
        .unwrap_or_default();
    let subject = b.object(rng, &subject, vec![Step::Key("subject".into())]);
    let resource = b.object(rng, &s.resource.fields, vec![Step::Key("resource".into())]);
    let mut top = vec![
        ("action".to_string(), J::str(action)),
        ("subject".to_string(), subject),
        ("resource".to_string(), resource),
    ];
    match &s.context {
        Some(c) => {
            if c.fields
                .iter()
                .all(|f| f.default.is_some() || matches!(f.ty, Ty::Optional(_)))
                && chance(rng, 1, 6)
            {
                b.tag("input.context_omitted");
            } else {
                let context = b.object(rng, &c.fields, vec![Step::Key("context".into())]);
                top.push(("context".to_string(), context));
            }
        }
        None => {
            if chance(rng, 1, 2) {
                top.push(("context".to_string(), J::Obj(Vec::new())));
            }
        }
    }
    if chance(rng, 1, 4) {
        let at = rng.below(top.len() + 1);
        let moved = top.remove(0);
        top.insert(at.min(top.len()), moved);
    }
    let mut value = J::Obj(top);
    let mut valid = true;
    let mutations = match rng.below(20) {
        0..=10 => 0,
        11..=17 => 1,
        _ => 2,
    };
    for _ in 0..mutations {
        valid &= !b.mutate(rng, &mut value, s);
    }
    if valid {
        b.tag("input.valid");
    }
    // The router's variants: `input.policy` named (with or without `input.resource_type`),
    // only `input.resource_type`, or only the action (every policy deciding it applies).
    let router_text = match &value {
        J::Obj(fields) if chance(rng, 1, 5) => {
            let mut routed = fields.clone();
            let mode = rng.below(5);
            if mode < 2 {
                routed.insert(0, ("policy".into(), J::str(policy)));
                b.tag("input.router_policy");
            }
            if mode == 4 {
                // A name that decides nothing here: the router denies (`policy_not_applicable`).
                let bogus = pick(rng, &["fuzz.nope.p", "", "FUZZ"]);
                let bogus = if chance(rng, 1, 2) {
                    s.package.clone()
                } else {
                    bogus.to_string()
                };
                routed.insert(0, ("policy".into(), J::Str(bogus)));
                b.tag("input.router_policy_unknown");
            }
            if mode == 1 || mode == 2 {
                routed.push((
                    "resource_type".into(),
                    J::Str(format!("{}.{}", s.package, s.resource.name)),
                ));
                b.tag("input.router_resource_type");
            }
            if mode == 3 {
                b.tag("input.router_action_only");
            }
            b.tag("input.router");
            Some(J::Obj(routed).text())
        }
        _ => None,
    };
    for t in &b.tags {
        counts.add(t);
    }
    Input {
        text: value.text(),
        tags: b.tags,
        router_text,
    }
}

impl Builder<'_> {
    pub(super) fn tag(&mut self, t: &str) {
        if !self.tags.iter().any(|x| x == t) {
            self.tags.push(t.to_string());
        }
    }

    fn object(&mut self, rng: &mut Rng, fields: &[Field], path: Vec<Step>) -> J {
        self.record(rng, fields, path, None)
    }

    /// An object of `fields`; in record `current`, a field holding `current` again continues
    /// the chain once (until the input's nesting budget is spent) and is left empty otherwise.
    fn record(
        &mut self,
        rng: &mut Rng,
        fields: &[Field],
        path: Vec<Step>,
        current: Option<usize>,
    ) -> J {
        self.sites.push(Site::Object(path.clone()));
        let mut out = Vec::new();
        let mut continued = false;
        for f in fields {
            let mut p = path.clone();
            p.push(Step::Key(f.name.clone()));
            if let Some(me) = current
                && self.holds(&f.ty, me)
            {
                let go = !continued && self.nesting < self.budget;
                continued |= go;
                let inner = match &f.ty {
                    Ty::Optional(inner) => inner.as_ref(),
                    other => other,
                };
                match (self.s.shape(inner).0, go) {
                    (Shape::Record(_), true) => {
                        self.sites.push(Site::Field(p.clone(), f.ty.clone(), false));
                        out.push((f.name.clone(), self.value(rng, inner, p)));
                    }
                    (Shape::List(t) | Shape::Set(t), true) => {
                        let mut q = p.clone();
                        q.push(Step::Index(0));
                        let t = t.clone();
                        let item = self.value(rng, &t, q);
                        out.push((f.name.clone(), J::Arr(vec![item])));
                    }
                    (Shape::List(_) | Shape::Set(_), false)
                        if f.default.is_none() || chance(rng, 1, 2) =>
                    {
                        out.push((f.name.clone(), J::Arr(Vec::new())));
                    }
                    _ => {}
                }
                continue;
            }
            let required = f.default.is_none() && !matches!(f.ty, Ty::Optional(_));
            if f.default.is_some() {
                if chance(rng, 1, 2) {
                    self.tag("input.default_omitted");
                    continue;
                }
                self.sites.push(Site::Defaulted(p.clone()));
            }
            if let Ty::Optional(inner) = &f.ty {
                match rng.below(8) {
                    0 | 1 => {
                        self.tag("input.optional_absent");
                        continue;
                    }
                    2 => {
                        self.tag("input.optional_null");
                        out.push((f.name.clone(), J::Null));
                        continue;
                    }
                    _ => {
                        self.sites.push(Site::Field(p.clone(), f.ty.clone(), false));
                        out.push((f.name.clone(), self.value(rng, inner, p)));
                        continue;
                    }
                }
            }
            self.sites
                .push(Site::Field(p.clone(), f.ty.clone(), required));
            out.push((f.name.clone(), self.value(rng, &f.ty, p)));
        }
        J::Obj(out)
    }

    /// Whether `ty` is record `me`, optional or in a collection.
    fn holds(&self, ty: &Ty, me: usize) -> bool {
        match self.s.shape(ty).0 {
            Shape::Record(i) => i == me,
            Shape::List(t) | Shape::Set(t) | Shape::Map(t) => {
                matches!(self.s.shape(t).0, Shape::Record(i) if i == me)
            }
            _ => false,
        }
    }

    /// A valid value of `ty`.
    pub(super) fn value(&mut self, rng: &mut Rng, ty: &Ty, path: Vec<Step>) -> J {
        if let Some(r) = self.s.refinement(ty) {
            if let Some(range) = r.range() {
                self.tag("input.refinement_inside");
                return J::num(pick(rng, range.inside));
            }
            if let Some(p) = r.pattern() {
                self.tag("input.refinement_inside");
                return J::str(pick(rng, p.matching));
            }
        }
        let (shape, _) = self.s.shape(ty);
        match shape {
            Shape::Prim(p) => self.prim(rng, p),
            Shape::Enum(i) => {
                let e = self.s.enums.get(i);
                if e.is_some_and(|e| e.open) && chance(rng, 1, 5) {
                    self.tag("input.open_enum_unknown");
                    return J::str("zz_unlisted");
                }
                J::str(e.map(|e| pick(rng, e.values)).unwrap_or_default())
            }
            Shape::Record(_) | Shape::Provenance => {
                if matches!(shape, Shape::Provenance) {
                    return self.provenance(rng, path);
                }
                let fields = self.s.fields_of(&shape).unwrap_or_default();
                self.nesting += 1;
                if self.nesting >= 30 {
                    self.tag("input.nesting_deep");
                }
                let current = match shape {
                    Shape::Record(i) => Some(i),
                    _ => None,
                };
                let object = self.record(rng, &fields, path, current);
                self.nesting -= 1;
                object
            }
            Shape::List(t) | Shape::Set(t) => {
                let n = rng.below(4);
                let mut items: Vec<J> = (0..n)
                    .map(|i| {
                        let mut p = path.clone();
                        p.push(Step::Index(i));
                        self.sites.push(Site::Elem(p.clone(), t.clone()));
                        self.value(rng, t, p)
                    })
                    .collect();
                if n == 0 {
                    self.tag("input.empty_collection");
                }
                if matches!(shape, Shape::Set(_))
                    && chance(rng, 1, 8)
                    && let Some(first) = items.first().cloned()
                {
                    self.tag("input.set_duplicate");
                    items.push(first);
                }
                J::Arr(items)
            }
            Shape::Map(t) => {
                let mut fields: Vec<(String, J)> = Vec::new();
                for _ in 0..rng.below(4) {
                    let k = pick(rng, pools::MAP_KEYS);
                    if fields.iter().any(|(x, _)| x == k) {
                        continue;
                    }
                    let mut p = path.clone();
                    p.push(Step::Key(k.to_string()));
                    self.sites.push(Site::Elem(p.clone(), t.clone()));
                    let v = self.value(rng, t, p);
                    fields.push((k.to_string(), v));
                }
                J::Obj(fields)
            }
        }
    }
}
