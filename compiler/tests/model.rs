//! The typed model of the summit example: what backends will read. Counts are computed from the
//! source text independently of the compiler, so a dropped declaration fails here.

#![expect(clippy::expect_used, reason = "tests fail loudly")]

use charter::db::Database;

mod support;
use charter::ir::{self, Cond, Kind, Operand, ParamLocation, Type, Value};

fn summit() -> (Vec<(String, String)>, ir::Model) {
    let files = support::charter_files(&support::example("summit").join("src"));
    let db = Database::default();
    let sources: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    let ws = charter::workspace::from_sources(&db, &sources);
    assert!(charter::semantics::diagnostics(&db, ws).is_empty());
    let model = charter::semantics::model(&db, ws).clone();
    (files, model)
}

/// How many lines of the sources start (after indentation) with `prefix`.
fn count_lines(files: &[(String, String)], prefix: &str) -> usize {
    files
        .iter()
        .flat_map(|(_, t)| t.lines())
        .filter(|l| l.trim_start().starts_with(prefix))
        .count()
}

#[test]
fn every_declaration_reaches_the_model() {
    let (files, model) = summit();
    let user_records = model
        .records
        .iter()
        .filter(|r| !r.name.package.starts_with("std."))
        .count();
    assert_eq!(user_records, count_lines(&files, "record "));
    assert_eq!(model.entities.len(), count_lines(&files, "entity "));
    let context_decls = files
        .iter()
        .flat_map(|(_, t)| t.lines())
        .filter(|l| {
            l.starts_with("context ") && l.chars().nth(8).is_some_and(|c| c.is_ascii_uppercase())
        })
        .count();
    assert_eq!(model.contexts.len(), context_decls);
    assert_eq!(model.policies.len(), count_lines(&files, "policy "));
    assert_eq!(model.services.len(), count_lines(&files, "service "));
    assert_eq!(model.controls.len(), count_lines(&files, "control "));
    assert_eq!(model.threats.len(), count_lines(&files, "threat "));
    let ops: usize = model.services.iter().map(|s| s.ops.len()).sum();
    assert_eq!(ops, count_lines(&files, "op "));
    let rules: usize = model.policies.iter().map(|p| p.rules.len()).sum();
    assert_eq!(
        rules,
        count_lines(&files, "allow ") + count_lines(&files, "deny ")
    );
    let cases = files
        .iter()
        .flat_map(|(_, t)| t.lines())
        .filter(|l| l.trim_start().starts_with('"') && l.trim_end().ends_with('{'))
        .count();
    assert_eq!(model.tests.len(), cases);
    assert_eq!(model.frameworks.len(), 4);
}

#[test]
fn doc_comments_flow_into_the_model() {
    let (_, model) = summit();
    for r in model
        .records
        .iter()
        .filter(|r| !r.name.package.starts_with("std."))
    {
        assert!(
            r.doc.as_deref().is_some_and(|d| !d.is_empty()),
            "record {} has no doc",
            r.name
        );
    }
    for p in &model.policies {
        assert!(p.doc.is_some(), "policy {} has no doc", p.name);
        for rule in &p.rules {
            assert!(
                rule.doc.is_some(),
                "rule {}.{} has no doc",
                p.name,
                rule.name
            );
        }
    }
    for s in &model.services {
        for op in &s.ops {
            assert!(op.doc.is_some(), "op {}.{} has no doc", s.name, op.name);
        }
    }
}

#[test]
fn provenance_records_carry_the_envelope_first() {
    let (_, model) = summit();
    let with: Vec<&ir::Record> = model.records.iter().filter(|r| r.with_provenance).collect();
    assert!(!with.is_empty());
    for r in with {
        let first = &r.fields[0];
        assert_eq!(first.name, "provenance");
        assert_eq!(
            first.ty,
            Type::Named(
                ir::QualName::new("std.provenance", "Provenance"),
                Kind::Record
            )
        );
    }
    for s in &model.services {
        for op in s.ops.iter().filter(|o| o.requires_provenance) {
            let body = op.params.iter().find(|p| p.location == ParamLocation::Body);
            assert!(
                body.is_some() || op.result.is_some(),
                "{}.{}",
                s.name,
                op.name
            );
        }
    }
}

#[test]
fn deprecations_have_checked_dates_and_replacements_that_exist() {
    let (_, model) = summit();
    let mut seen = 0;
    for s in &model.services {
        for op in &s.ops {
            if let Some(d) = &op.deprecated {
                seen += 1;
                if let Some(sunset) = d.sunset {
                    assert!(sunset.days_since_epoch() - d.since.days_since_epoch() >= 180);
                }
                if let Some(to) = &d.replacement {
                    assert!(
                        s.ops.iter().any(|o| o.name == to),
                        "{} replaces with missing {to}",
                        op.name
                    );
                }
            }
        }
    }
    assert!(
        seen >= 2,
        "summit deprecates at least two operations on a schedule"
    );
}

#[test]
fn policies_are_typed_condition_trees() {
    let (_, model) = summit();
    fn paths(c: &Cond, out: &mut Vec<(ir::Root, Vec<String>, Type)>) {
        match c {
            Cond::Not(inner) => paths(inner, out),
            Cond::And(parts) | Cond::Or(parts) => parts.iter().for_each(|p| paths(p, out)),
            Cond::Compare { lhs, rhs, .. }
            | Cond::In {
                elem: lhs,
                collection: rhs,
            } => {
                for o in [lhs, rhs] {
                    if let Operand::Path { root, attrs, ty } = o {
                        out.push((
                            *root,
                            attrs.iter().map(ToString::to_string).collect(),
                            ty.clone(),
                        ));
                    }
                }
            }
            Cond::Truthy(Operand::Path { root, attrs, ty }) => out.push((
                *root,
                attrs.iter().map(ToString::to_string).collect(),
                ty.clone(),
            )),
            _ => {}
        }
    }
    for p in &model.policies {
        assert!(!p.actions.is_empty(), "{} decides nothing", p.name);
        let mut found = Vec::new();
        for r in &p.rules {
            paths(&r.condition, &mut found);
        }
        for (root, attrs, ty) in found {
            assert!(!attrs.is_empty(), "{}: bare root {root:?}", p.name);
            assert_ne!(
                ty,
                Type::Error,
                "{}: {root:?}.{attrs:?} has no type",
                p.name
            );
        }
    }
    assert!(
        model
            .policies
            .iter()
            .flat_map(|p| &p.rules)
            .any(|r| r.canary),
        "summit has canary rules"
    );
}

#[test]
fn test_cases_are_typed_values() {
    let (_, model) = summit();
    for t in &model.tests {
        assert!(matches!(t.subject, Value::Object(_)), "{}", t.name);
        assert!(matches!(t.resource, Value::Object(_)), "{}", t.name);
        let policy = model.policy(&t.policy).unwrap();
        assert!(policy.actions.contains(&t.action), "{}", t.name);
        if let Some(Some(rule)) = &t.expect_rule {
            let r = policy.rules.iter().find(|r| r.name == rule).unwrap();
            assert_eq!(r.effect, t.expect_effect, "{}", t.name);
        }
    }
}
