//! The native side of docs/decisions.md, table-driven: each case is a policy source, a raw JSON
//! input and the verdict the page gives it. tests/opa decides the same cases in the real OPA.

#![expect(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::panic,
    reason = "tests fail loudly"
)]

use charter::db::Database;
use charter::eval::{self, Json};

const SCHEMA: &str = "package t\n\
    ordered enum Level { low, mid, high }\n\
    entity User { n: int, xs: list<int>, at: timestamp, level: Level, flag: bool = true, \
      tags: map<string, int>, score: float in 0.0..1.0, nick: string?, \
      since: timestamp = \"2262-01-01T00:00:00Z\" }\n\
    entity Doc { id: string }\n\
    context Req { mfa: bool = false }\n\
    action read on Doc by User\n";

fn decide(rules: &str, input: &str) -> eval::Verdict {
    let source = format!(
        "{SCHEMA}policy p on Doc by User with Req default deny \"closed\" {{\n{rules}\n}}\n"
    );
    let db = Database::default();
    let ws = charter::workspace::from_sources(&db, &[("src/t.charter", source.as_str())]);
    let errors: Vec<_> = charter::semantics::diagnostics(&db, ws)
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.message.clone())
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
    let model = charter::semantics::model(&db, ws);
    let input = Json::parse(input).unwrap_or_else(|e| panic!("{input}: {e}"));
    eval::decide(model, &model.policies[0], &input)
}

/// A valid subject with `extra` fields (raw JSON text of `"k": v, ...`) replaced or added; raw
/// text, so that numbers reach the evaluator as written.
fn input(extra: &str) -> String {
    let mut fields: Vec<(String, String)> = [
        ("n", "0"),
        ("xs", "[]"),
        ("at", "\"2026-01-01T00:00:00Z\""),
        ("level", "\"low\""),
        ("tags", "{}"),
        ("score", "0.5"),
    ]
    .iter()
    .map(|(k, v)| ((*k).to_string(), (*v).to_string()))
    .collect();
    for pair in extra.split(", \"").filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once("\": ").unwrap();
        let k = k.trim_start_matches('"').to_string();
        fields.retain(|(name, _)| *name != k);
        fields.push((k, v.to_string()));
    }
    let body: Vec<String> = fields
        .iter()
        .map(|(k, v)| format!("\"{k}\": {v}"))
        .collect();
    format!(
        r#"{{"action": "read", "subject": {{{}}}, "resource": {{"id": "d"}}}}"#,
        body.join(", ")
    )
}

#[test]
fn verdicts_follow_the_semantics_page() {
    let cases: &[(&str, String, bool, &str)] = &[
        // Negative literals on either side.
        (
            "allow a when -1 in subject.xs because \"r\"",
            input(r#""xs": [-1]"#),
            true,
            "a",
        ),
        (
            "allow a when -5 < subject.n because \"r\"",
            input(r#""n": -4"#),
            true,
            "a",
        ),
        (
            "allow a when -5 < subject.n because \"r\"",
            input(r#""n": -5"#),
            false,
            "default",
        ),
        // Timestamps across the whole range, offsets applied.
        (
            "allow a when subject.at > subject.since because \"r\"",
            input(r#""at": "2262-01-02T00:00:00Z""#),
            true,
            "a",
        ),
        (
            "allow a when subject.at < subject.since because \"r\"",
            input(r#""at": "0001-01-01T00:00:00.999999999999Z", "since": "0001-01-01T00:00:01Z""#),
            true,
            "a",
        ),
        (
            "allow a when subject.at < subject.since because \"r\"",
            input(r#""at": "2026-01-01T00:30:00+01:00", "since": "2026-01-01T00:00:00Z""#),
            true,
            "a",
        ),
        // Defaults stand in for omitted fields; a field given as null is not defaulted.
        (
            "allow a when subject.flag because \"r\"",
            input(""),
            true,
            "a",
        ),
        (
            "deny a when not context.mfa because \"r\"",
            input(""),
            false,
            "a",
        ),
        (
            "allow a when has subject.flag because \"r\"",
            input(""),
            true,
            "a",
        ),
        // Numbers compare exactly.
        (
            "allow a when subject.score < 1 because \"r\"",
            input(r#""score": 0.99999999999999999"#),
            true,
            "a",
        ),
        (
            "allow a when subject.n == 1 because \"r\"",
            input(r#""n": 1.0"#),
            true,
            "a",
        ),
        (
            "allow a when subject.n == 1 because \"r\"",
            input(r#""n": 1e0"#),
            true,
            "a",
        ),
        // Malformed input is denied, naming its first problem.
        (
            "allow a because \"r\"",
            input(r#""score": 1.0000000000000001"#),
            false,
            "input_invalid",
        ),
        (
            "allow a because \"r\"",
            input(r#""n": 9223372036854775808"#),
            false,
            "input_invalid",
        ),
        (
            "allow a because \"r\"",
            input(r#""n": 9223372036854775807"#),
            true,
            "a",
        ),
        (
            "allow a because \"r\"",
            input(r#""flag": null"#),
            false,
            "input_invalid",
        ),
        ("allow a because \"r\"", input(r#""nick": null"#), true, "a"),
        (
            "allow a because \"r\"",
            input(r#""level": "top""#),
            false,
            "input_invalid",
        ),
        (
            "allow a because \"r\"",
            input(r#""tags": {"a": 1.5}"#),
            false,
            "input_invalid",
        ),
        (
            "allow a because \"r\"",
            input(r#""at": "2026-02-29T00:00:00Z""#),
            false,
            "input_invalid",
        ),
        (
            "allow a because \"r\"",
            "[]".to_string(),
            false,
            "input_invalid",
        ),
    ];
    for (rules, text, allow, rule_id) in cases {
        let v = decide(rules, text);
        assert_eq!(
            (v.allow, v.rule_id.as_str()),
            (*allow, *rule_id),
            "{rules}\n{text}\n{v:?}"
        );
    }
}

#[test]
fn the_first_problem_in_path_order_names_the_reason() {
    let text = r#"{"action": "write", "subject": {"n": "x", "xs": [1, "a", 2, "b"], "extra": 1}, "resource": {}}"#;
    let v = decide("allow a because \"r\"", text);
    assert_eq!(
        v.reason,
        "input invalid: $.action: not an action that `t.p` decides"
    );
    let db = Database::default();
    let source = format!("{SCHEMA}policy p on Doc by User default deny \"no\" {{}}\n");
    let ws = charter::workspace::from_sources(&db, &[("src/t.charter", source.as_str())]);
    let model = charter::semantics::model(&db, ws);
    let problems = eval::validate(model, &model.policies[0], &Json::parse(text).unwrap());
    let listed: Vec<String> = problems
        .iter()
        .map(|p| format!("{} {}", p.path_text(), p.message))
        .collect();
    // Step by step: names by their bytes, indexes by value, a path before its extensions.
    assert_eq!(
        listed,
        [
            "$.action not an action that `t.p` decides",
            "$.resource.id missing required attribute of `Doc`",
            "$.subject.at missing required attribute of `User`",
            "$.subject.extra unknown attribute of `User`",
            "$.subject.level missing required attribute of `User`",
            "$.subject.n expected int, found string",
            "$.subject.score missing required attribute of `User`",
            "$.subject.tags missing required attribute of `User`",
            "$.subject.xs[1] expected int, found string",
            "$.subject.xs[3] expected int, found string",
        ]
    );
}

#[test]
fn collections_of_refined_or_aliased_items_compare_with_plain_ones() {
    let source = "package t\n\
        type Small = int in 0..100\n\
        entity User { a: list<int in 0..100>, b: list<int>, c: set<Small> }\n\
        entity Doc { id: string }\n\
        action read on Doc by User\n\
        policy p on Doc by User default deny \"closed\" {\n\
          allow same when subject.a == subject.b and subject.c == subject.b because \"r\"\n\
        }\n";
    let db = Database::default();
    let ws = charter::workspace::from_sources(&db, &[("src/t.charter", source)]);
    let errors: Vec<_> = charter::semantics::diagnostics(&db, ws)
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.message.clone())
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
    let model = charter::semantics::model(&db, ws);
    let input = Json::parse(
        r#"{"action": "read", "subject": {"a": [1, 2], "b": [1, 2.0], "c": [1, 2]}, "resource": {"id": "d"}}"#,
    )
    .unwrap();
    assert!(eval::decide(model, &model.policies[0], &input).allow);
}
