//! The standard library's framework catalogues agree, row for row, with the catalogue data they
//! were rendered from (`tests/data/frameworks/*.csv`, copied from the project's shared data; see
//! its README), and the standard library checks clean.

#![expect(
    clippy::disallowed_methods,
    reason = "tests read their fixtures from the repository"
)]
#![expect(clippy::panic, reason = "tests fail loudly")]

use std::collections::BTreeMap;
use std::path::Path;

use charter::db::Database;
use charter::ir;

/// A minimal CSV reader: commas, double-quoted fields with `""` escapes.
fn read_csv(path: &Path) -> Vec<BTreeMap<String, String>> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut rows: Vec<Vec<String>> = Vec::new();
    for line in text.lines().filter(|l| !l.is_empty()) {
        let mut fields = Vec::new();
        let mut field = String::new();
        let mut quoted = false;
        let mut chars = line.chars().peekable();
        while let Some(c) = chars.next() {
            match (c, quoted) {
                ('"', true) if chars.peek() == Some(&'"') => {
                    field.push('"');
                    chars.next();
                }
                ('"', _) => quoted = !quoted,
                (',', false) => fields.push(std::mem::take(&mut field)),
                (c, _) => field.push(c),
            }
        }
        fields.push(field);
        rows.push(fields);
    }
    let header = rows.remove(0);
    rows.into_iter()
        .map(|r| header.iter().cloned().zip(r).collect())
        .collect()
}

fn data(file: &str) -> Vec<BTreeMap<String, String>> {
    read_csv(
        &Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/data/frameworks")
            .join(file),
    )
}

fn model() -> ir::Model {
    let db = Database::default();
    let ws = charter::workspace::from_sources(&db, &[("main.charter", "package main\n")]);
    let diagnostics = charter::semantics::diagnostics(&db, ws);
    assert!(
        diagnostics.is_empty(),
        "the standard library has diagnostics: {diagnostics:#?}"
    );
    charter::semantics::model(&db, ws).clone()
}

fn framework<'a>(model: &'a ir::Model, name: &str) -> &'a ir::Framework {
    model
        .frameworks
        .iter()
        .find(|f| f.name.name == name)
        .unwrap_or_else(|| panic!("no framework {name}"))
}

fn attr<'a>(r: &'a ir::Requirement, key: &str) -> Option<&'a str> {
    r.attributes
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
}

#[test]
fn soc2_matches_its_data() {
    let model = model();
    let fw = framework(&model, "soc2");
    let rows = data("soc2-tsc-2017.csv");
    assert_eq!(rows.len(), 61);
    assert_eq!(fw.requirements.len(), rows.len());
    for (row, req) in rows.iter().zip(&fw.requirements) {
        assert_eq!(req.id, row["id"]);
        assert_eq!(req.title, row["short_name"]);
        assert_eq!(attr(req, "category"), Some(row["category"].as_str()));
        assert_eq!(
            attr(req, "category_title"),
            Some(row["category_title"].as_str())
        );
    }
}

#[test]
fn iso27001_matches_its_data_and_accepts_both_spellings() {
    let model = model();
    let fw = framework(&model, "iso27001");
    let rows = data("iso27001-2022-annex-a.csv");
    assert_eq!(rows.len(), 93);
    assert_eq!(fw.requirements.len(), 93);
    for (row, req) in rows.iter().zip(&fw.requirements) {
        assert_eq!(req.id, row["id"]);
        assert_eq!(req.title, row["title"]);
        assert_eq!(attr(req, "theme"), Some(row["theme"].as_str()));
        assert_eq!(
            req.aliases,
            vec![row["id"].trim_start_matches("A.").to_string()]
        );
        assert_eq!(
            attr(req, "new_in_2022") == Some("true"),
            !row["new_in_2022"].is_empty()
        );
    }
    let themes: BTreeMap<&str, usize> = fw.requirements.iter().fold(BTreeMap::new(), |mut m, r| {
        *m.entry(attr(r, "theme").unwrap_or("")).or_default() += 1;
        m
    });
    assert_eq!(
        themes.values().copied().collect::<Vec<_>>(),
        vec![37, 8, 14, 34],
        "{themes:?}"
    );
}

#[test]
fn gdpr_matches_its_data() {
    let model = model();
    let fw = framework(&model, "gdpr");
    let rows = data("gdpr-art32.csv");
    assert_eq!(fw.requirements.len(), 8);
    for (row, req) in rows.iter().zip(&fw.requirements) {
        assert_eq!(req.id, row["paragraph"]);
        assert_eq!(req.title, row["short_title"]);
        assert_eq!(req.aliases, vec![row["id"].clone()]);
    }
}

#[test]
fn hipaa_matches_its_data_with_parents_and_flags() {
    let model = model();
    let fw = framework(&model, "hipaa");
    let rows = data("hipaa-security-rule.csv");
    assert_eq!(rows.len(), 65);
    assert_eq!(fw.requirements.len(), 65);
    for (row, req) in rows.iter().zip(&fw.requirements) {
        assert_eq!(req.id, row["id"]);
        assert_eq!(req.title, row["title"]);
        let kind = if row["kind"] == "S" {
            "standard"
        } else {
            "implementation_specification"
        };
        assert_eq!(attr(req, "kind"), Some(kind));
        let ra = match row["ra"].as_str() {
            "R" => Some("required"),
            "A" => Some("addressable"),
            _ => None,
        };
        assert_eq!(attr(req, "ra"), ra);
        assert_eq!(
            req.parent.as_deref(),
            Some(row["parent"].as_str()).filter(|p| !p.is_empty())
        );
    }
}

#[test]
fn a_mapping_to_a_missing_requirement_is_an_error_with_a_suggestion() {
    let db = Database::default();
    let src = "package m\nuse std.frameworks.{iso27001}\ncontrol C-1 \"c\" {\n  satisfies iso27001.\"A.5.151\", iso27001.\"5.15\"\n  evidence \"audit/x\"\n}\n";
    let ws = charter::workspace::from_sources(&db, &[("m.charter", src)]);
    let diagnostics = charter::semantics::diagnostics(&db, ws);
    assert_eq!(diagnostics.len(), 1, "{diagnostics:#?}");
    assert_eq!(diagnostics[0].code.as_str(), "E5002");
    assert_eq!(
        diagnostics[0].help.as_deref(),
        Some("did you mean `A.5.15`?")
    );
    let model = charter::semantics::model(&db, ws);
    assert_eq!(
        model.controls[0].mappings,
        vec![ir::Mapping {
            framework: "iso27001".into(),
            requirement: "A.5.15".into()
        }]
    );
}
