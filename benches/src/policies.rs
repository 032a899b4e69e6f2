//! Random policies over a fixed entity schema, with random inputs full of edge cases (missing
//! attributes, empty sets, equal ordered-enum levels, boundary numbers, bad provenance), for the
//! property test that the native evaluator and the real OPA agree.

use serde_json::{Value as Json, json};

use crate::Rng;

/// The schema every generated policy reads.
pub const SCHEMA: &str = r#"package fuzz.schema

use std.provenance.Provenance

ordered enum Tier { low, mid, high }

enum Color { red, green, blue }

enum Role { admin, analyst, guest }

record Badge {
  number: int
}

entity Subj {
  level: int
  score: float
  team: string
  active: bool
  tier: Tier
  color: Color
  roles: set<Role>
  age: int?
  badge: Badge?
}

entity Res {
  team: string
  tier: Tier
  size: int
  tags: set<string>
  labels: map<string, string>
  expires: date?
  created: timestamp
}

context Ctx {
  mfa: bool
  ip: string?
  provenance: Provenance?
}

action read, write, delete on Res by Subj

record Payload with provenance {
  id: string
}
"#;

/// One generated policy: its source and its full name.
pub struct GeneratedPolicy {
    pub name: String,
    pub source: String,
}

/// A random atom of a condition: (text, depends on provenance?).
fn atom(rng: &mut Rng) -> String {
    let n = rng.below(40);
    let team = choose(rng, &["ops", "data", "sec"]);
    let tier = choose(rng, &["low", "mid", "high"]);
    match rng.below(22) {
        0 => format!("subject.level >= {n}"),
        1 => format!("subject.level < {n}"),
        2 => format!("subject.score > 0.{}", rng.below(10)),
        3 => format!("subject.team == \"{team}\""),
        4 => "subject.team == resource.team".to_string(),
        5 => "subject.tier >= resource.tier".to_string(),
        6 => format!("subject.tier == Tier.{tier}"),
        7 => format!("resource.tier <= {tier}"),
        8 => "Role.admin in subject.roles".to_string(),
        9 => format!("\"{team}\" in resource.tags"),
        10 => "subject.active".to_string(),
        11 => format!("has subject.age and subject.age > {n}"),
        12 => "subject.age == none".to_string(),
        13 => "action == read".to_string(),
        14 => "action in [write, delete]".to_string(),
        15 => format!("resource.size <= {}", n * 3),
        16 => "subject.color != Color.red".to_string(),
        17 => "has resource.expires and resource.expires < 2027-01-01".to_string(),
        18 => "context.mfa".to_string(),
        19 => format!("\"{team}\" in resource.labels"),
        20 => "has subject.badge and subject.badge.number == subject.level".to_string(),
        _ => "has context.provenance and context.provenance.confidence >= 0.5".to_string(),
    }
}

fn condition(rng: &mut Rng, depth: u32) -> String {
    if depth == 0 || rng.below(3) == 0 {
        return atom(rng);
    }
    match rng.below(4) {
        0 => format!(
            "{} and {}",
            condition(rng, depth - 1),
            condition(rng, depth - 1)
        ),
        1 => format!(
            "({} or {})",
            condition(rng, depth - 1),
            condition(rng, depth - 1)
        ),
        2 => format!("not ({})", condition(rng, depth - 1)),
        _ => atom(rng),
    }
}

/// A random policy named `p{index}` in package `fuzz.p{index}`; every fourth one guards an
/// operation that requires provenance.
pub fn policy(index: usize, rng: &mut Rng) -> GeneratedPolicy {
    let rules = 3 + rng.below(10);
    policy_with_rules(index, rules, rng)
}

/// A random policy with exactly `rules` rules.
pub fn policy_with_rules(index: usize, rules: usize, rng: &mut Rng) -> GeneratedPolicy {
    let mut s = format!(
        "package fuzz.p{index}\n\nuse fuzz.schema.{{Subj, Res, Ctx, Tier, Color, Role, Payload}}\n\n/// Generated policy {index}.\npolicy p{index} on Res by Subj with Ctx\n  default {} \"no rule matched\"\n{{\n",
        if rng.below(4) == 0 { "allow" } else { "deny" }
    );
    for r in 0..rules {
        let effect = if rng.below(2) == 0 { "allow" } else { "deny" };
        if rng.below(6) == 0 {
            s.push_str("  @canary\n");
        }
        s.push_str(&format!(
            "  {effect} r{r}\n    when {}\n    because \"rule {r} of policy {index}\"\n\n",
            condition(rng, 3)
        ));
    }
    s.push_str("}\n");
    // Uses of the imports, so none is unused.
    s.push_str(&format!(
        "\nrecord Uses{index} {{\n  t: Tier\n  c: Color\n  r: Role\n}}\n"
    ));
    if index.is_multiple_of(4) {
        s.push_str(&format!(
            "\nservice S{index} {{\n  op put POST \"/p{index}\" (body: Payload) -> Payload\n    requires provenance\n    guarded by p{index} action write\n}}\n"
        ));
    } else {
        s.push_str(&format!(
            "\nservice S{index} {{\n  op put POST \"/p{index}\" (body: Payload) -> Payload\n}}\n"
        ));
    }
    GeneratedPolicy {
        name: format!("fuzz.p{index}.p{index}"),
        source: s,
    }
}

fn choose<'a>(rng: &mut Rng, xs: &[&'a str]) -> &'a str {
    let i = rng.below(xs.len());
    xs.get(i).copied().unwrap_or_default()
}

fn maybe(rng: &mut Rng, value: impl FnOnce(&mut Rng) -> Json) -> Option<Json> {
    // One attribute in ten is missing.
    if rng.below(10) == 0 {
        None
    } else {
        Some(value(rng))
    }
}

fn insert(map: &mut serde_json::Map<String, Json>, key: &str, value: Option<Json>) {
    if let Some(v) = value {
        map.insert(key.to_string(), v);
    }
}

/// A random input: mostly well typed, with missing attributes, nulls, empty collections, equal
/// ordered-enum levels, boundary numbers and good, bad or missing provenance.
pub fn input(rng: &mut Rng) -> Json {
    let tiers = ["low", "mid", "high"];
    let teams = ["ops", "data", "sec"];
    let pick = |rng: &mut Rng, xs: &[&str]| Json::String(choose(rng, xs).to_string());
    let mut subject = serde_json::Map::new();
    let level = i64::try_from(rng.below(40)).unwrap_or(0);
    insert(&mut subject, "level", maybe(rng, |_| json!(level)));
    insert(
        &mut subject,
        "score",
        maybe(rng, |rng| {
            json!(f64::from(u32::try_from(rng.below(11)).unwrap_or(0)) / 10.0)
        }),
    );
    insert(&mut subject, "team", maybe(rng, |rng| pick(rng, &teams)));
    insert(
        &mut subject,
        "active",
        maybe(rng, |rng| json!(rng.below(2) == 0)),
    );
    insert(&mut subject, "tier", maybe(rng, |rng| pick(rng, &tiers)));
    insert(
        &mut subject,
        "color",
        maybe(rng, |rng| pick(rng, &["red", "green", "blue"])),
    );
    let roles: Vec<Json> = ["admin", "analyst", "guest"]
        .iter()
        .filter(|_| rng.below(3) == 0)
        .map(|r| json!(r))
        .collect();
    insert(&mut subject, "roles", maybe(rng, |_| Json::Array(roles)));
    match rng.below(3) {
        0 => insert(&mut subject, "age", Some(json!(rng.below(40)))),
        1 => insert(&mut subject, "age", Some(Json::Null)),
        _ => {}
    }
    if rng.below(2) == 0 {
        let number = if rng.below(2) == 0 {
            level
        } else {
            i64::try_from(rng.below(40)).unwrap_or(0)
        };
        subject.insert("badge".into(), json!({ "number": number }));
    }
    let mut resource = serde_json::Map::new();
    insert(&mut resource, "team", maybe(rng, |rng| pick(rng, &teams)));
    insert(&mut resource, "tier", maybe(rng, |rng| pick(rng, &tiers)));
    insert(
        &mut resource,
        "size",
        maybe(rng, |rng| json!(rng.below(120))),
    );
    let tags: Vec<Json> = teams
        .iter()
        .filter(|_| rng.below(2) == 0)
        .map(|t| json!(t))
        .collect();
    insert(&mut resource, "tags", maybe(rng, |_| Json::Array(tags)));
    let mut labels = serde_json::Map::new();
    for t in teams {
        if rng.below(3) == 0 {
            labels.insert(t.to_string(), json!("x"));
        }
    }
    insert(
        &mut resource,
        "labels",
        maybe(rng, |_| Json::Object(labels)),
    );
    if rng.below(2) == 0 {
        let dates = ["2026-12-31", "2027-01-01", "2027-01-02"];
        resource.insert("expires".into(), pick(rng, &dates));
    }
    insert(
        &mut resource,
        "created",
        maybe(rng, |_| json!("2026-05-01T10:00:00Z")),
    );
    let mut context = serde_json::Map::new();
    insert(
        &mut context,
        "mfa",
        maybe(rng, |rng| json!(rng.below(2) == 0)),
    );
    if rng.below(2) == 0 {
        context.insert("ip".into(), json!("10.0.0.1"));
    }
    let provenance = match rng.below(6) {
        0 => None,
        1 => Some(Json::Null),
        2 => Some(
            json!({ "origin": "x", "actor": "y", "timestamp": "2026-01-01T00:00:00Z", "confidence": 1.5, "simulated": false }),
        ),
        3 => Some(
            json!({ "origin": "x", "actor": "y", "timestamp": "not a time", "confidence": 0.5, "simulated": false }),
        ),
        4 => Some(
            json!({ "origin": "x", "timestamp": "2026-01-01T00:00:00Z", "confidence": 0.2, "simulated": true }),
        ),
        _ => Some(
            json!({ "origin": "x", "actor": "y", "timestamp": "2026-01-01T00:00:00+02:00", "confidence": if rng.below(2) == 0 { 0.5 } else { 0.49 }, "simulated": false }),
        ),
    };
    insert(&mut context, "provenance", provenance);
    json!({
        "action": choose(rng, &["read", "write", "delete"]),
        "subject": subject,
        "resource": resource,
        "context": context,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use charter::db::Database;

    #[test]
    fn generated_policies_check_without_errors_and_inputs_decide() {
        let mut files = vec![("src/schema/schema.charter".to_string(), SCHEMA.to_string())];
        for i in 0..24 {
            let mut rng = Rng::new(9, i as u64);
            files.push((format!("src/p{i}/p{i}.charter"), policy(i, &mut rng).source));
        }
        let db = Database::default();
        let ws = crate::load(&db, &files);
        let errors: Vec<_> = charter::semantics::diagnostics(&db, ws)
            .iter()
            .filter(|d| d.is_error())
            .cloned()
            .collect();
        assert!(errors.is_empty(), "{errors:#?}");
        let model = charter::semantics::model(&db, ws);
        assert_eq!(model.policies.len(), 24);
        let mut rng = Rng::new(3, 0);
        let mut allowed = 0;
        for p in &model.policies {
            for _ in 0..20 {
                if charter::eval::evaluate(model, p, &input(&mut rng))
                    .verdict
                    .allow
                {
                    allowed += 1;
                }
            }
        }
        // The generator must exercise both outcomes.
        assert!(allowed > 20 && allowed < 460, "{allowed} of 480 allowed");
    }
}
