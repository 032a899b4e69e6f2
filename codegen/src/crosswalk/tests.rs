//! The crosswalk target: snapshots of the summit outputs, the Markdown read back against the
//! CSV, coverage recomputed independently from the model, and small models for the edge cases.
//! `tests/opa/test_oscal.py` validates the OSCAL output against the OSCAL models (trestle).

use std::collections::{BTreeMap, BTreeSet};

use charter::ir::Model;

use super::Crosswalk;
pub(super) use crate::testing::{model, model_of, summit};
use crate::{Options, OutputFile, Target};

fn emit(model: &Model) -> Vec<OutputFile> {
    Crosswalk.emit(model, &Options::default()).unwrap()
}

fn text<'a>(files: &'a [OutputFile], path: &str) -> &'a str {
    let file = files.iter().find(|f| f.path == path).unwrap();
    std::str::from_utf8(&file.bytes).unwrap()
}

/// The CSV as records, header first.
fn csv_records(files: &[OutputFile]) -> Vec<Vec<String>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text(files, "crosswalk.csv").as_bytes());
    reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

/// Every table of the Markdown, as (the last `##` heading before it, rows of cell texts with
/// the header row first).
fn markdown_tables(md: &str) -> Vec<(String, Vec<Vec<String>>)> {
    use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
    let mut tables = Vec::new();
    let mut heading = String::new();
    let mut in_h2 = false;
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut cell: Option<String> = None;
    for event in Parser::new_ext(md, Options::ENABLE_TABLES) {
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                in_h2 = level == pulldown_cmark::HeadingLevel::H2;
                if in_h2 {
                    heading.clear();
                }
            }
            Event::End(TagEnd::Heading(_)) => in_h2 = false,
            Event::Start(Tag::Table(_)) => rows.clear(),
            Event::End(TagEnd::Table) => tables.push((heading.clone(), std::mem::take(&mut rows))),
            Event::Start(Tag::TableHead | Tag::TableRow) => rows.push(Vec::new()),
            Event::Start(Tag::TableCell) => cell = Some(String::new()),
            Event::End(TagEnd::TableCell) => rows.last_mut().unwrap().push(cell.take().unwrap()),
            Event::Text(t) | Event::Code(t) => {
                if let Some(c) = cell.as_mut() {
                    c.push_str(&t);
                } else if in_h2 {
                    heading.push_str(&t);
                }
            }
            Event::Html(t) | Event::InlineHtml(t) => panic!("unexpected HTML {t}"),
            _ => {}
        }
    }
    tables
}

fn split(cell: &str) -> Vec<String> {
    if cell == "—" {
        Vec::new()
    } else {
        cell.split(", ").map(str::to_string).collect()
    }
}

#[test]
fn snapshots_of_the_summit_crosswalk() {
    let files = emit(&summit());
    let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "crosswalk.csv",
            "crosswalk.json",
            "crosswalk.md",
            "oscal/component-definition.json"
        ]
    );
    insta::assert_snapshot!("crosswalk_md", text(&files, "crosswalk.md"));
    insta::assert_snapshot!("crosswalk_csv", text(&files, "crosswalk.csv"));
    insta::assert_snapshot!("crosswalk_json", text(&files, "crosswalk.json"));
    insta::assert_snapshot!(
        "component_definition",
        text(&files, "oscal/component-definition.json")
    );
}

#[test]
fn the_output_is_deterministic() {
    let model = summit();
    assert_eq!(emit(&model), emit(&model));
    // Declaration order of the controls does not matter.
    let mut reversed = model.clone();
    reversed.controls.reverse();
    assert_eq!(emit(&model), emit(&reversed));
}

#[test]
fn the_markdown_tables_are_the_csv_rows() {
    let model = summit();
    let files = emit(&model);
    let records = csv_records(&files);
    assert_eq!(records[0], super::rows::HEADER);
    // framework title -> framework name
    let names: BTreeMap<String, String> = model
        .frameworks
        .iter()
        .map(|f| (f.title.clone(), f.name.name.to_string()))
        .collect();
    // From the CSV: (framework, requirement) -> (title, controls, policies, evidence).
    type Cells = (String, Vec<String>, BTreeSet<String>, BTreeSet<String>);
    let mut expected: BTreeMap<(String, String), Cells> = BTreeMap::new();
    let mut order: Vec<(String, String)> = Vec::new();
    for r in records.iter().skip(1).filter(|r| r[8] == "covered") {
        let key = (r[0].clone(), r[1].clone());
        if !expected.contains_key(&key) {
            order.push(key.clone());
        }
        let entry = expected.entry(key).or_default();
        entry.0 = r[2].clone();
        entry.1.push(if r[5] == "direct" {
            r[3].clone()
        } else {
            format!("{} ({})", r[3], r[5].replace(';', "; "))
        });
        entry.2.extend(
            r[6].split(';')
                .filter(|s| !s.is_empty())
                .map(str::to_string),
        );
        entry.3.extend(
            r[7].split(';')
                .filter(|s| !s.is_empty())
                .map(str::to_string),
        );
    }
    let mut seen: Vec<(String, String)> = Vec::new();
    let mut found: BTreeMap<(String, String), Cells> = BTreeMap::new();
    for (heading, rows) in markdown_tables(text(&files, "crosswalk.md")) {
        if rows[0] != super::markdown::TABLE_HEADER {
            continue;
        }
        let title = heading.rsplit_once(" (").unwrap().0;
        let framework = names[title].clone();
        for row in &rows[1..] {
            let key = (framework.clone(), row[0].clone());
            seen.push(key.clone());
            let cells = (
                row[1].clone(),
                split(&row[2]),
                split(&row[3]).into_iter().collect(),
                split(&row[4]).into_iter().collect(),
            );
            assert!(found.insert(key, cells).is_none());
        }
    }
    assert_eq!(seen, order);
    assert_eq!(found, expected);
}

#[test]
fn coverage_matches_an_independent_count() {
    let model = summit();
    let files = emit(&model);
    let json: serde_json::Value = serde_json::from_str(text(&files, "crosswalk.json")).unwrap();
    // The catalogue sizes: the rows of the catalogues in compiler/tests/data/frameworks/.
    let totals = [("soc2", 61), ("iso27001", 93), ("gdpr", 8), ("hipaa", 65)];
    let data =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../compiler/tests/data/frameworks");
    for (name, file) in [
        ("soc2", "soc2-tsc-2017.csv"),
        ("iso27001", "iso27001-2022-annex-a.csv"),
        ("gdpr", "gdpr-art32.csv"),
        ("hipaa", "hipaa-security-rule.csv"),
    ] {
        let rows = csv::Reader::from_path(data.join(file))
            .unwrap()
            .records()
            .count();
        assert_eq!((name, rows), *totals.iter().find(|t| t.0 == name).unwrap());
    }
    let frameworks = json["frameworks"].as_array().unwrap();
    let order: Vec<&str> = frameworks
        .iter()
        .map(|f| f["framework"].as_str().unwrap())
        .collect();
    assert_eq!(order, ["soc2", "iso27001", "gdpr", "hipaa"]);
    for (name, total) in totals {
        let fw = model
            .frameworks
            .iter()
            .find(|f| f.name.name == name)
            .unwrap();
        // Covered: mapped directly, or the parent of a mapped requirement.
        let mut covered = BTreeSet::new();
        for m in model.controls.iter().flat_map(|c| &c.mappings) {
            if m.framework == name {
                covered.insert(m.requirement.clone());
                let req = fw
                    .requirements
                    .iter()
                    .find(|r| r.id == m.requirement)
                    .unwrap();
                covered.extend(req.parent.clone());
            }
        }
        let entry = frameworks.iter().find(|f| f["framework"] == name).unwrap();
        assert_eq!(entry["total"], total, "{name}");
        assert_eq!(entry["covered"], covered.len(), "{name}");
        // Per group, recounted from the catalogue attribute.
        let attribute = match name {
            "soc2" => Some("category"),
            "iso27001" => Some("theme"),
            "hipaa" => Some("safeguard"),
            _ => None,
        };
        let mut groups: BTreeMap<String, (usize, usize)> = BTreeMap::new();
        for r in &fw.requirements {
            let key = attribute
                .and_then(|a| r.attributes.iter().find(|(k, _)| k == a))
                .map_or("all".to_string(), |(_, v)| v.clone());
            let g = groups.entry(key).or_default();
            g.0 += usize::from(covered.contains(&r.id));
            g.1 += 1;
        }
        let got: BTreeMap<String, (usize, usize)> = entry["groups"]
            .as_array()
            .unwrap()
            .iter()
            .map(|g| {
                (
                    g["group"].as_str().unwrap().to_string(),
                    (
                        g["covered"].as_u64().unwrap() as usize,
                        g["total"].as_u64().unwrap() as usize,
                    ),
                )
            })
            .collect();
        assert_eq!(got, groups, "{name}");
        // The CSV: one row per uncovered requirement, one per covered pair.
        let records = csv_records(&files);
        let uncovered = records
            .iter()
            .filter(|r| r[0] == name && r[8] == "uncovered")
            .count();
        assert_eq!(uncovered, total - covered.len(), "{name}");
        let pairs: usize = model
            .controls
            .iter()
            .map(|c| {
                fw.requirements
                    .iter()
                    .filter(|r| {
                        c.mappings.iter().any(|m| {
                            m.framework == name
                                && (m.requirement == r.id
                                    || fw.requirements.iter().any(|q| {
                                        q.id == m.requirement && q.parent.as_ref() == Some(&r.id)
                                    }))
                        })
                    })
                    .count()
            })
            .sum();
        let covered_rows = records
            .iter()
            .filter(|r| r[0] == name && r[8] == "covered")
            .count();
        assert_eq!(covered_rows, pairs, "{name}");
    }
    // The JSON rows are the CSV rows, with multi-values as arrays.
    let records = csv_records(&files);
    let rows = json["rows"].as_array().unwrap();
    assert_eq!(rows.len() + 1, records.len());
    for (row, record) in rows.iter().zip(records.iter().skip(1)) {
        let fields: Vec<String> = super::rows::HEADER
            .iter()
            .map(|h| match &row[*h] {
                serde_json::Value::Array(items) => items
                    .iter()
                    .map(|i| i.as_str().unwrap())
                    .collect::<Vec<_>>()
                    .join(";"),
                v => v.as_str().unwrap().to_string(),
            })
            .collect();
        assert_eq!(&fields, record);
    }
}

#[test]
fn hipaa_specifications_count_for_their_standard() {
    let files = emit(&summit());
    let records = csv_records(&files);
    let find = |req: &str, control: &str| {
        records
            .iter()
            .find(|r| r[0] == "hipaa" && r[1] == req && r[3] == control)
            .map(|r| r[5].clone())
    };
    // OBS-03 maps two specifications of the contingency plan.
    assert_eq!(
        find("164.308(a)(7)", "OBS-03").as_deref(),
        Some("via 164.308(a)(7)(ii)(A);via 164.308(a)(7)(ii)(D)")
    );
    // GOV-02 maps the standard's specification only; API-02 the standard itself.
    assert_eq!(
        find("164.312(a)(1)", "GOV-02").as_deref(),
        Some("via 164.312(a)(2)(ii)")
    );
    assert_eq!(find("164.312(a)(1)", "API-02").as_deref(), Some("direct"));
    // INT-01 maps the integrity standard and its specification.
    assert_eq!(
        find("164.312(c)(1)", "INT-01").as_deref(),
        Some("direct;via 164.312(c)(2)")
    );
    let md = text(&files, "crosswalk.md");
    assert!(md.contains("GOV-02 (via 164.312(a)(2)(ii))"), "{md}");
}

#[test]
fn oscal_tokens_are_unique_and_uuids_stable() {
    let model = summit();
    for fw in &model.frameworks {
        let tokens: BTreeSet<String> = fw
            .requirements
            .iter()
            .map(|r| super::token::token(&fw.name.name, &r.id))
            .collect();
        assert_eq!(tokens.len(), fw.requirements.len(), "{}", fw.name.name);
        for t in &tokens {
            assert!(t.starts_with(|c: char| c.is_ascii_lowercase()), "{t}");
            assert!(
                t.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || ".-_".contains(c)),
                "{t}"
            );
        }
    }
    let files = emit(&model);
    let doc: serde_json::Value =
        serde_json::from_str(text(&files, "oscal/component-definition.json")).unwrap();
    let cd = &doc["component-definition"];
    assert_eq!(cd["metadata"]["oscal-version"], "1.1.2");
    assert_eq!(cd["metadata"]["last-modified"], "1970-01-01T00:00:00Z");
    let uuid = cd["uuid"].as_str().unwrap();
    let parsed = uuid::Uuid::parse_str(uuid).unwrap();
    assert_eq!(parsed.get_version_num(), 5);
    assert_eq!(
        parsed,
        uuid::Uuid::new_v5(&super::oscal::NAMESPACE, b"component-definition:summit")
    );
    let impls = cd["components"][0]["control-implementations"]
        .as_array()
        .unwrap();
    let sources: Vec<&str> = impls
        .iter()
        .map(|i| i["source"].as_str().unwrap())
        .collect();
    assert_eq!(
        sources,
        [
            "SOC 2 Trust Services Criteria (2017)",
            "ISO/IEC 27001:2022 Annex A",
            "GDPR Article 32 (security of processing)",
            "HIPAA Security Rule (45 CFR Part 164 Subpart C, 2013)"
        ]
    );
    // Every UUID differs.
    let all: Vec<String> = text(&files, "oscal/component-definition.json")
        .lines()
        .filter_map(|l| l.trim().strip_prefix("\"uuid\": \""))
        .map(str::to_string)
        .collect();
    let unique: BTreeSet<&String> = all.iter().collect();
    assert_eq!(unique.len(), all.len());

    let mut options = Options {
        source_date: Some(1_700_000_000),
        ..Options::default()
    };
    let dated = Crosswalk.emit(&model, &options).unwrap();
    let doc: serde_json::Value =
        serde_json::from_str(text(&dated, "oscal/component-definition.json")).unwrap();
    assert_eq!(
        doc["component-definition"]["metadata"]["last-modified"],
        "2023-11-14T22:13:20Z"
    );
    options.source_date = Some(i64::MAX);
    assert!(Crosswalk.emit(&model, &options).is_err());
}

const DEMO: &str = "package demo\n\n\
    framework fw \"Demo | framework\" {\n  \
      requirement \"S1\" \"Standard *one*\" { safeguard: \"Admin\" }\n  \
      requirement \"S1(a)\" \"Spec a | pipe\" { safeguard: \"Admin\", parent: \"S1\" }\n  \
      requirement \"S2\" \"Standard two\" { safeguard: \"Tech\" }\n\
    }\n\n\
    control Z-1 \"Zed\" {\n  satisfies fw.\"S1(a)\"\n  evidence \"a|b/_x_\" retained 1d\n}\n\n\
    control A-1 \"Ay\" {\n  satisfies fw.\"S1\"\n}\n";

#[test]
fn cells_escape_pipes_and_read_back() {
    let files = emit(&model(DEMO));
    let md = text(&files, "crosswalk.md");
    assert!(
        md.contains("| S1(a) | Spec a \\| pipe | Z-1 | — | a\\|b/\\_x\\_ |"),
        "{md}"
    );
    assert!(
        md.contains("| S1 | Standard \\*one\\* | A-1, Z-1 (via S1(a)) | — | a\\|b/\\_x\\_ |"),
        "{md}"
    );
    assert!(md.contains("- S2 Standard two"), "{md}");
    let tables = markdown_tables(md);
    let table = tables
        .iter()
        .find(|(_, rows)| rows[0] == super::markdown::TABLE_HEADER)
        .unwrap();
    assert_eq!(table.1[2][1], "Spec a | pipe");
    assert_eq!(table.1[2][4], "a|b/_x_");
    assert_eq!(table.1[1][1], "Standard *one*");
    // The standard library's catalogues are always in the model; keep the demo framework.
    let records: Vec<Vec<String>> = csv_records(&files)
        .into_iter()
        .filter(|r| r[0] == "fw")
        .collect();
    assert_eq!(
        records,
        [
            vec![
                "fw",
                "S1",
                "Standard *one*",
                "A-1",
                "Ay",
                "direct",
                "",
                "",
                "covered"
            ],
            vec![
                "fw",
                "S1",
                "Standard *one*",
                "Z-1",
                "Zed",
                "via S1(a)",
                "",
                "a|b/_x_",
                "covered"
            ],
            vec![
                "fw",
                "S1(a)",
                "Spec a | pipe",
                "Z-1",
                "Zed",
                "direct",
                "",
                "a|b/_x_",
                "covered"
            ],
            vec!["fw", "S2", "Standard two", "", "", "", "", "", "uncovered"],
        ]
    );
    let json: serde_json::Value = serde_json::from_str(text(&files, "crosswalk.json")).unwrap();
    let fw = json["frameworks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["framework"] == "fw")
        .unwrap();
    assert_eq!(
        fw["groups"],
        serde_json::json!([
            {"group": "Admin", "covered": 2, "total": 2},
            {"group": "Tech", "covered": 0, "total": 1}
        ])
    );
}

/// Only the frameworks the workspace maps to are listed (issue 19, item 4): a catalogue no
/// control maps to would be all uncovered rows.
#[test]
fn a_framework_no_control_maps_to_is_not_listed() {
    let files = emit(&model(
        "package demo\n\nframework fw \"F\" {\n  requirement \"R1\" \"One\" {}\n}\n\n\
         framework gw \"G\" {\n  requirement \"S1\" \"Uno\" {}\n  requirement \"S2\" \"Dos\" {}\n}\n\n\
         control C-1 \"One\" {\n  owner \"x\"\n  satisfies gw.\"S1\"\n  evidence \"audit/x\"\n}\n",
    ));
    let md = text(&files, "crosswalk.md");
    assert!(md.contains("Coverage: 1 of 2 requirements (50%)."), "{md}");
    assert!(!md.contains("R1"), "{md}");
    let csv = text(&files, "crosswalk.csv");
    assert!(csv.lines().skip(1).all(|l| l.starts_with("gw,")), "{csv}");
    assert_eq!(csv.lines().count(), 3, "{csv}");
}

#[test]
fn a_model_without_controls_lists_no_framework() {
    let files = emit(&model(
        "package demo\n\nframework fw \"F\" {\n  requirement \"R1\" \"One\" {}\n}\n",
    ));
    let md = text(&files, "crosswalk.md");
    assert!(!md.contains("Coverage:"), "{md}");
    assert!(!md.contains("R1"), "{md}");
    let doc: serde_json::Value =
        serde_json::from_str(text(&files, "oscal/component-definition.json")).unwrap();
    assert!(
        doc["component-definition"]["components"][0]
            .get("control-implementations")
            .is_none()
    );
}

/// CSV formula injection (OWASP): a cell beginning with `=`, `+`, `-`, `@`, a tab or a carriage
/// return is prefixed with `'`; the CSV still reads back as one record per row.
#[test]
fn csv_cells_cannot_start_a_formula() {
    let hostile = "package demo\n\n\
        framework fw \"Demo\" {\n  \
          requirement \"R1\" \"+1 calls\" { safeguard: \"Admin\" }\n  \
          requirement \"R2\" \"-2, \\\"quoted\\\"\" { safeguard: \"Admin\" }\n\
        }\n\n\
        control Z-1 \"=cmd|' /C calc'!A0\" {\n  satisfies fw.\"R1\"\n  evidence \"@SUM(A1)\" retained 1d\n}\n\n\
        control A-1 \"\\tTabbed =HYPERLINK(1)\" {\n  satisfies fw.\"R2\"\n}\n";
    let files = emit(&model(hostile));
    let records: Vec<Vec<String>> = csv_records(&files)
        .into_iter()
        .filter(|r| r[0] == "fw")
        .collect();
    assert_eq!(records.len(), 2, "{records:?}");
    let r1 = records.iter().find(|r| r[1] == "R1").unwrap();
    assert_eq!(r1[2], "'+1 calls");
    assert_eq!(r1[4], "'=cmd|' /C calc'!A0");
    assert_eq!(r1[7], "'@SUM(A1)");
    let r2 = records.iter().find(|r| r[1] == "R2").unwrap();
    assert_eq!(r2[2], "'-2, \"quoted\"");
    assert_eq!(r2[4], "'\tTabbed =HYPERLINK(1)");
    for record in csv_records(&files) {
        for cell in record {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "{cell}"
            );
        }
    }
}
