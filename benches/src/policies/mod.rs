//! Random well-typed workspaces and random inputs for the property test that the native
//! evaluator and the real OPA decide alike (`tests/opa/test_property.py`).
//!
//! Every policy gets its own package and its own random schema ([`schema`]): every primitive
//! type, ordered, unordered and open enums, lists, sets and maps, optionals and defaults, nested
//! records, aliases with refinements, one to three subject entities, a context, sometimes the
//! provenance envelope and an operation that `requires provenance`. Its rules ([`cond`]) compare
//! paths with each other and with literals of every spelling on either side of every operator.
//! Inputs ([`input`], [`mutate`]) are raw JSON text, valid or malformed, so that numbers keep
//! their exact spelling. [`Counts`] records how often each construct was generated, so the
//! test can fail when one never was.

mod atoms;
pub mod cond;
pub mod input;
pub mod json;
mod mutate;
pub mod names;
pub mod pools;
pub mod random_schema;
mod scalars;
pub mod schema;
pub mod values;

#[cfg(test)]
mod tests;

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::Rng;
use pools::{chance, pick};

/// How often each construct was generated.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counts(pub BTreeMap<String, u64>);

impl Counts {
    pub fn add(&mut self, name: &str) {
        *self.0.entry(name.to_string()).or_default() += 1;
    }

    pub fn merge(&mut self, other: &Counts) {
        for (k, v) in &other.0 {
            *self.0.entry(k.clone()).or_default() += v;
        }
    }

    pub fn get(&self, name: &str) -> u64 {
        self.0.get(name).copied().unwrap_or(0)
    }
}

/// One generated policy: its package's source (schema, policy, service), its full name, and
/// the schema its inputs are generated from.
pub struct GeneratedPolicy {
    pub name: String,
    pub source: String,
    pub schema: schema::Schema,
    /// The constructs this program uses.
    pub counts: Counts,
}

/// A random policy `p{index}` over its own random schema in package `fuzz.p{index}`.
pub fn policy(index: usize, rng: &mut Rng) -> GeneratedPolicy {
    let rules = rng.range(2, 10);
    policy_with_rules(index, rules, rng)
}

/// A random policy with exactly `rules` rules.
pub fn policy_with_rules(index: usize, rules: usize, rng: &mut Rng) -> GeneratedPolicy {
    let mut counts = Counts::default();
    let s = random_schema::schema(index, rng, &mut counts);
    let mut src = s.render();
    let name = if chance(rng, 1, 8) {
        counts.add("name.tricky_policy");
        pick(rng, pools::TRICKY_POLICY_NAMES).to_string()
    } else {
        format!("p{index}")
    };
    let subjects: Vec<&str> = s.subjects.iter().map(|d| d.name.as_str()).collect();
    let default_allow = chance(rng, 1, 3);
    counts.add(if default_allow {
        "policy.default_allow"
    } else {
        "policy.default_deny"
    });
    let _ = write!(
        src,
        "/// Generated policy {index}.\npolicy {name} on {} by {}",
        s.resource.name,
        subjects.join(", ")
    );
    if let Some(c) = &s.context {
        let _ = write!(src, " with {}", c.name);
    }
    if chance(rng, 1, 4) {
        counts.add("policy.version");
        let _ = write!(
            src,
            " version \"{}\"",
            pick(rng, &["2.0.0", "0.1.0-rc.1", "1.2.3+build.5"])
        );
    }
    let effect = if default_allow { "allow" } else { "deny" };
    match rng.below(4) {
        0 => {
            counts.add("policy.default_without_reason");
            let _ = write!(src, "\n  default {effect}\n{{\n");
        }
        _ => {
            let _ = write!(
                src,
                "\n  default {effect} \"no rule matched \\\"{index}\\\"\"\n{{\n"
            );
        }
    }
    let g = cond::Gen::new(&s);
    let mut used_names: Vec<&str> = Vec::new();
    for r in 0..rules {
        let effect = if chance(rng, 3, 5) { "allow" } else { "deny" };
        if chance(rng, 1, 6) {
            counts.add("rule.canary");
            src.push_str("  @canary\n");
        }
        counts.add(&format!("rule.{effect}"));
        let rule = match pick(rng, pools::TRICKY_NAMES) {
            tricky if chance(rng, 1, 6) && !used_names.contains(&tricky) => {
                used_names.push(tricky);
                counts.add("name.tricky_rule");
                tricky.to_string()
            }
            _ => format!("r{r}"),
        };
        let _ = write!(src, "  {effect} {rule}");
        if chance(rng, 1, 15) {
            counts.add("rule.without_when");
        } else {
            // Deep conditions now and then; a policy of many rules keeps them small (the
            // checker's limit is 1,000 operators per declaration).
            let depth = if rules > 12 {
                2
            } else {
                pick(rng, &[1, 2, 2, 3, 3, 4])
            };
            let (condition, _) = g.condition(rng, depth, &Vec::new(), &mut counts);
            let _ = write!(src, "\n    when {condition}");
        }
        let reason = match rng.below(8) {
            0 => {
                counts.add("lit.string_escape");
                format!("rule {r} \\\"quoted\\\" \\\\ back\\tslash")
            }
            1 => format!("règle {r} ✓"),
            _ => format!("rule {r} of policy {index}"),
        };
        let _ = write!(src, "\n    because \"{reason}\"\n\n");
    }
    src.push_str("}\n");
    if s.provenance {
        counts.add("service.requires_provenance");
        let action = pick(rng, &s.all_actions());
        let _ = write!(
            src,
            "\nrecord Payload with provenance {{\n  id: string\n}}\n\nservice S {{\n  op put POST \"/p{index}\" (body: Payload) -> Payload\n    requires provenance\n    guarded by {name} action {action}\n}}\n"
        );
    } else if chance(rng, 1, 4) {
        let action = pick(rng, &s.all_actions());
        let _ = write!(
            src,
            "\nrecord Payload {{\n  id: string\n}}\n\nservice S {{\n  op put POST \"/p{index}\" (body: Payload) -> Payload\n    guarded by {name} action {action}\n}}\n"
        );
    }
    GeneratedPolicy {
        name: format!("fuzz.p{index}.{name}"),
        source: src,
        schema: s,
        counts,
    }
}
