//! The contract-evolution corpus: every `tests/evolution/cases/*.case` file is one before/after
//! pair with its expected classification. A case starts from `tests/evolution/base.charter`:
//!
//! ```text
//! # what the case shows
//! versions 1.0.0 2.0.0       (optional: the package versions old and new; default these)
//! today 2027-01-01           (optional: the day the rules are applied; default this)
//! --- old find               (optional, repeatable: edits that make OLD from the base)
//! --- old with
//! --- find                   (repeatable: edits that make NEW from OLD)
//! --- with
//! --- expect                 (every change: KIND SEVERITY PATH, one a line)
//! --- verdict                (the rule diagnostics' codes, one a line; empty for none)
//! ```
//!
//! Each `find` text must occur exactly once. The changes must be exactly the expected ones,
//! and every change kind must be expected by some case.

#![expect(
    clippy::disallowed_methods,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    reason = "tests fail loudly"
)]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use charter::db::Database;
use charter::evolution::{diff, kinds, semver};
use charter::ir::Model;
use charter::literal::Date;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/evolution")
}

pub struct Case {
    pub name: String,
    pub title: String,
    pub versions: (String, String),
    pub today: Date,
    pub old_edits: Vec<(String, String)>,
    pub edits: Vec<(String, String)>,
    pub expect: BTreeSet<(String, String, String)>,
    pub verdict: Option<Vec<String>>,
}

fn parse(name: &str, text: &str) -> Case {
    let mut case = Case {
        name: name.to_string(),
        title: String::new(),
        versions: ("1.0.0".into(), "2.0.0".into()),
        today: Date::parse("2027-01-01").unwrap(),
        old_edits: Vec::new(),
        edits: Vec::new(),
        expect: BTreeSet::new(),
        verdict: None,
    };
    let mut section: Option<String> = None;
    let mut body = String::new();
    let mut pending_find: Option<String> = None;
    let mut pending_old_find: Option<String> = None;
    let mut flush = |section: &Option<String>, body: &str, case: &mut Case| {
        let body = body.strip_suffix('\n').unwrap_or(body).to_string();
        match section.as_deref() {
            None => {}
            Some("old find") => pending_old_find = Some(body),
            Some("old with") => case.old_edits.push((
                pending_old_find
                    .take()
                    .expect("`old with` after `old find`"),
                body,
            )),
            Some("find") => pending_find = Some(body),
            Some("with") => case
                .edits
                .push((pending_find.take().expect("`with` after `find`"), body)),
            Some("expect") => {
                for line in body.lines().filter(|l| !l.trim().is_empty()) {
                    let parts: Vec<&str> = line.split_whitespace().collect();
                    assert_eq!(parts.len(), 3, "{name}: bad expect line {line:?}");
                    case.expect
                        .insert((parts[0].into(), parts[1].into(), parts[2].into()));
                }
            }
            Some("verdict") => {
                case.verdict = Some(
                    body.lines()
                        .map(str::trim)
                        .filter(|l| !l.is_empty())
                        .map(String::from)
                        .collect(),
                );
            }
            Some(other) => panic!("{name}: unknown section `{other}`"),
        }
    };
    for line in text.lines() {
        if let Some(s) = line.strip_prefix("--- ") {
            flush(&section, &body, &mut case);
            section = Some(s.trim().to_string());
            body.clear();
        } else if section.is_some() {
            body.push_str(line);
            body.push('\n');
        } else if let Some(t) = line.strip_prefix("# ") {
            case.title = t.to_string();
        } else if let Some(v) = line.strip_prefix("versions ") {
            let (a, b) = v.trim().split_once(' ').expect("two versions");
            case.versions = (a.into(), b.into());
        } else if let Some(d) = line.strip_prefix("today ") {
            case.today = Date::parse(d.trim()).expect("a date");
        }
    }
    flush(&section, &body, &mut case);
    case
}

fn apply(name: &str, mut text: String, edits: &[(String, String)]) -> String {
    for (find, with) in edits {
        assert_eq!(
            text.matches(find.as_str()).count(),
            1,
            "{name}: `find` must occur exactly once: {find:?}"
        );
        text = text.replacen(find.as_str(), with, 1);
    }
    text
}

fn model(name: &str, version: &str, source: &str) -> Model {
    let db = Database::default();
    let (config, diags) = charter::workspace::manifest(&format!(
        "[package]\nname = \"demo\"\nversion = \"{version}\"\n"
    ));
    assert!(diags.is_empty(), "{diags:?}");
    let inputs = vec![charter::workspace::Input {
        path: "demo.charter".into(),
        text: source.into(),
    }];
    let ws = charter::workspace::create(&db, config, inputs, Vec::new());
    let errors: Vec<_> = charter::semantics::diagnostics(&db, ws)
        .iter()
        .filter(|d| d.is_error())
        .collect();
    assert!(
        errors.is_empty(),
        "{name}: side does not compile: {errors:#?}"
    );
    charter::semantics::model(&db, ws).clone()
}

fn cases() -> Vec<(Case, String, String)> {
    let base = std::fs::read_to_string(root().join("base.charter")).unwrap();
    let mut paths: Vec<PathBuf> = std::fs::read_dir(root().join("cases"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "case"))
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|p| {
            let name = p.file_stem().unwrap().to_string_lossy().to_string();
            let case = parse(&name, &std::fs::read_to_string(p).unwrap());
            let old = apply(&name, base.clone(), &case.old_edits);
            let new = apply(&name, old.clone(), &case.edits);
            (case, old, new)
        })
        .collect()
}

#[test]
fn every_case_is_classified_as_expected() {
    let mut failures = Vec::new();
    for (case, old, new) in cases() {
        let om = model(&case.name, &case.versions.0, &old);
        let nm = model(&case.name, &case.versions.1, &new);
        let changes = diff(&om, &nm);
        let got: BTreeSet<(String, String, String)> = changes
            .iter()
            .map(|c| {
                (
                    c.kind.id.to_string(),
                    c.kind.severity.as_str().to_string(),
                    c.path.clone(),
                )
            })
            .collect();
        if got != case.expect {
            failures.push(format!(
                "{}: expected {:?}\n  got {:?}",
                case.name, case.expect, got
            ));
        }
        let report = semver::check(&om, &nm, changes, case.today);
        let verdict = case
            .verdict
            .as_ref()
            .unwrap_or_else(|| panic!("{}: no `--- verdict`", case.name));
        {
            let codes: Vec<String> = report
                .diagnostics
                .iter()
                .map(|d| d.code.as_str().to_string())
                .collect();
            let mut want = verdict.clone();
            want.sort();
            let mut codes_sorted = codes.clone();
            codes_sorted.sort();
            if codes_sorted != want {
                failures.push(format!(
                    "{}: expected verdict {want:?}, got {codes:?}: {:#?}",
                    case.name, report.diagnostics
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_corpus_covers_every_kind() {
    let mut seen = BTreeSet::new();
    for (case, _, _) in cases() {
        for (kind, _, _) in &case.expect {
            seen.insert(kind.clone());
        }
    }
    let missing: Vec<&str> = kinds::ALL
        .iter()
        .map(|k| k.id)
        .filter(|id| !seen.contains(*id))
        .collect();
    assert!(
        missing.is_empty(),
        "kinds without a corpus case: {missing:?}"
    );
    assert!(kinds::ALL.len() >= 50);
}

#[test]
fn kind_ids_and_slugs_are_unique_and_well_formed() {
    let ids: BTreeSet<&str> = kinds::ALL.iter().map(|k| k.id).collect();
    let slugs: BTreeSet<&str> = kinds::ALL.iter().map(|k| k.slug).collect();
    assert_eq!(ids.len(), kinds::ALL.len());
    assert_eq!(slugs.len(), kinds::ALL.len());
    for k in kinds::ALL {
        assert!(k.id.len() == 5 && k.id.starts_with('C'), "{}", k.id);
        assert!(k.id[1..].bytes().all(|b| b.is_ascii_digit()), "{}", k.id);
    }
}

#[test]
fn identical_versions_have_no_changes() {
    let base = std::fs::read_to_string(root().join("base.charter")).unwrap();
    let a = model("base", "1.0.0", &base);
    let b = model("base", "1.0.0", &base);
    assert!(diff(&a, &b).is_empty());
}

fn lifecycle_codes(source: &str, today: Option<&str>) -> Vec<(String, String)> {
    let m = model("lifecycle", "1.0.0", source);
    charter::evolution::lifecycle::warnings(&m, today.map(|d| Date::parse(d).unwrap()))
        .iter()
        .map(|d| (d.code.as_str().to_string(), d.message.clone()))
        .collect()
}

const LIFECYCLE: &str = r#"package demo

@deprecated(since: 2026-01-01, sunset: 2026-12-01, note: "use Page")
record OldPage { id: string }

record Page { id: string }

@deprecated(since: 2026-01-01, sunset: 2027-12-01)
enum Kind { a, b }

record Holder {
  kind: Kind
  @deprecated(since: 2026-01-01, sunset: 2027-12-01)
  old_kind: Kind?
}

service Pages version "1.0.0" at "/pages" {
  op get GET "/v2/pages/{id}" (id: string) -> OldPage
  @deprecated(since: 2026-01-01, sunset: 2026-12-01, use: get_v1)
  op get_v0 GET "/v0/pages/{id}" (id: string) -> OldPage
  @deprecated(since: 2026-01-01, sunset: 2027-12-01, use: get)
  op get_v1 GET "/v1/pages/{id}" (id: string) -> Page
}
"#;

#[test]
fn deprecated_declarations_still_used_are_warned_about() {
    let got = lifecycle_codes(LIFECYCLE, None);
    let w7151: BTreeSet<&str> = got
        .iter()
        .filter(|(c, _)| c == "W7151")
        .map(|(_, m)| m.as_str())
        .collect();
    assert_eq!(
        w7151,
        BTreeSet::from([
            "field `demo.Holder.kind` uses the deprecated `demo.Kind`",
            "operation `demo.Pages.get` uses the deprecated `demo.OldPage`",
            "`demo.Pages.get_v0` points clients to `get_v1`, which is deprecated too",
        ]),
        "{got:?}"
    );
    assert!(got.iter().all(|(c, _)| c != "W7150"), "no date, no W7150");
}

#[test]
fn passed_sunsets_are_warned_about_only_with_a_date() {
    let before = lifecycle_codes(LIFECYCLE, Some("2026-11-30"));
    assert!(before.iter().all(|(c, _)| c != "W7150"), "{before:?}");
    let after = lifecycle_codes(LIFECYCLE, Some("2026-12-02"));
    let passed: BTreeSet<&str> = after
        .iter()
        .filter(|(c, _)| c == "W7150")
        .map(|(_, m)| m.as_str())
        .collect();
    assert_eq!(
        passed,
        BTreeSet::from([
            "the sunset of `demo.OldPage` (2026-12-01) has passed (2026-12-02)",
            "the sunset of `demo.Pages.get_v0` (2026-12-01) has passed (2026-12-02)",
        ])
    );
}
