//! The report on `examples/summit` (snapshots), and each metric recomputed here from the model
//! or from the other targets' outputs (crosswalk CSV, calendar JSON), not from the report's code.

use std::collections::{BTreeMap, BTreeSet};

use charter::config::Gates;
use charter::literal::Date;

use super::{EvidenceFound, GateStatus, Inputs, Report, build, json, markdown};
use crate::testing::summit;
use crate::{Options, Target};

fn day(text: &str) -> Date {
    Date::parse(text).unwrap()
}

fn summit_report(gates: &Gates) -> Report {
    build(
        &summit(),
        &Inputs {
            today: day("2026-12-07"),
            gates,
            evidence: None,
            contracts: None,
            drift: None,
        },
    )
}

fn file(files: &[crate::OutputFile], path: &str) -> String {
    let f = files.iter().find(|f| f.path == path).unwrap();
    String::from_utf8(f.bytes.clone()).unwrap()
}

#[test]
fn summit_markdown() {
    insta::assert_snapshot!(
        "summit_markdown",
        markdown(&summit_report(&Gates::default()))
    );
}

#[test]
fn summit_json() {
    let text = json(&summit_report(&Gates::default()));
    let value: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(value["format_version"], 1);
    insta::assert_snapshot!("summit_json", text);
}

#[test]
fn verdicts_match_the_model() {
    let model = summit();
    let report = summit_report(&Gates::default());
    let ops: Vec<_> = model.services.iter().flat_map(|s| &s.ops).collect();
    let guarded = ops.iter().filter(|o| o.guard.is_some()).count() as u64;
    let public = ops
        .iter()
        .filter(|o| o.guard.is_none() && o.public.is_some())
        .count() as u64;
    assert_eq!(report.verdicts.operations, ops.len() as u64);
    assert_eq!(report.verdicts.guarded, guarded);
    assert_eq!(report.verdicts.public, public);
    let silent: BTreeSet<String> = model
        .services
        .iter()
        .flat_map(|s| s.ops.iter().map(move |o| (s, o)))
        .filter(|(_, o)| o.guard.is_none() && o.public.is_none())
        .map(|(s, o)| format!("{}.{}", s.name, o.name))
        .collect();
    let listed: BTreeSet<String> = report
        .verdicts
        .services
        .iter()
        .flat_map(|s| &s.unguarded)
        .map(|o| format!("{}.{}", o.service, o.operation))
        .collect();
    assert_eq!(listed, silent);
    assert!(public > 0 && !silent.is_empty(), "summit shows both kinds");
}

#[test]
fn compliance_matches_the_crosswalk_csv() {
    let model = summit();
    let report = summit_report(&Gates::default());
    let files = crate::crosswalk::Crosswalk
        .emit(&model, &Options::default())
        .unwrap();
    let csv = file(&files, "crosswalk.csv");
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    // framework -> requirement -> covered
    let mut seen: BTreeMap<String, BTreeMap<String, bool>> = BTreeMap::new();
    for record in reader.records() {
        let r = record.unwrap();
        let covered = &r[8] != "uncovered";
        let entry = seen
            .entry(r[0].to_string())
            .or_default()
            .entry(r[1].to_string())
            .or_insert(false);
        *entry |= covered;
    }
    let from_csv: BTreeMap<String, (u64, u64)> = seen
        .into_iter()
        .map(|(f, reqs)| {
            let covered = reqs.values().filter(|c| **c).count() as u64;
            (f, (covered, reqs.len() as u64))
        })
        .collect();
    let from_report: BTreeMap<String, (u64, u64)> = report
        .compliance
        .frameworks
        .iter()
        .map(|f| (f.framework.clone(), (f.covered, f.requirements)))
        .collect();
    assert_eq!(from_report, from_csv);
    let with_evidence = model
        .controls
        .iter()
        .filter(|c| !c.evidence.is_empty())
        .count() as u64;
    assert_eq!(report.compliance.controls_with_evidence, with_evidence);
    assert_eq!(report.compliance.controls, model.controls.len() as u64);
}

#[test]
fn sunsets_match_the_calendar_json() {
    let model = summit();
    let today = day("2026-12-07");
    let files = crate::calendar::Calendar
        .emit(&model, &Options::default())
        .unwrap();
    let doc: serde_json::Value = serde_json::from_str(&file(&files, "deprecations.json")).unwrap();
    let mut upcoming = Vec::new();
    let mut past = Vec::new();
    for e in doc["events"].as_array().unwrap() {
        if e["event"] != "sunset" {
            continue;
        }
        let date = day(e["date"].as_str().unwrap());
        let days = date.days_since_epoch() - today.days_since_epoch();
        let name = e["name"].as_str().unwrap().to_string();
        if days < 0 {
            past.push(name);
        } else if days <= 90 {
            upcoming.push(name);
        }
    }
    for (window, gates) in [
        (90, Gates::default()),
        (
            400,
            Gates {
                sunset_window_days: 400,
                ..Gates::default()
            },
        ),
    ] {
        let report = summit_report(&gates);
        let names =
            |list: &[super::Sunset]| list.iter().map(|s| s.name.clone()).collect::<Vec<_>>();
        assert_eq!(names(&report.contracts.sunsets_past), past);
        if window == 90 {
            assert_eq!(names(&report.contracts.sunsets_upcoming), upcoming);
            assert!(!upcoming.is_empty());
        } else {
            assert!(report.contracts.sunsets_upcoming.len() > upcoming.len());
        }
    }
}

#[test]
fn threats_and_provenance_match_the_model() {
    let model = summit();
    let report = summit_report(&Gates::default());
    let rating = |t: Option<&str>| match t {
        Some("low") => Some(1u64),
        Some("medium") => Some(2),
        Some("high") => Some(3),
        Some("critical") => Some(4),
        _ => None,
    };
    let mut weight = 0;
    let mut mitigated = 0;
    for t in &model.threats {
        let w = match (rating(t.likelihood.as_deref()), rating(t.impact.as_deref())) {
            (Some(l), Some(i)) => l * i,
            _ => 1,
        };
        weight += w;
        if !t.mitigated_by.is_empty() {
            mitigated += w;
        }
    }
    assert_eq!(report.threats.weight, weight);
    assert_eq!(report.threats.mitigated_weight, mitigated);
    // Summit's `ingest` requires provenance; `validate` takes the same events without it.
    let validated: Vec<&str> = report
        .provenance
        .details
        .iter()
        .filter(|d| d.validated)
        .map(|d| d.op.operation.as_str())
        .collect();
    let requiring: Vec<&str> = model
        .services
        .iter()
        .flat_map(|s| &s.ops)
        .filter(|o| o.requires_provenance)
        .map(|o| o.name.as_str())
        .collect();
    assert_eq!(validated, requiring);
}

#[test]
fn policy_tests_match_charter_test_coverage() {
    let model = summit();
    let report = summit_report(&Gates::default());
    let total_rules: usize = model.policies.iter().map(|p| p.rules.len()).sum();
    assert_eq!(
        report.policy_tests.iter().map(|p| p.rules).sum::<u64>(),
        total_rules as u64
    );
    for p in &report.policy_tests {
        assert_eq!(p.exercised + p.never_exercised.len() as u64, p.rules);
    }
}

#[test]
fn gates_off_and_not_measured_never_fail() {
    let mut gates = Gates::default();
    for value in gates.thresholds.values_mut() {
        *value = None;
    }
    let report = summit_report(&gates);
    assert!(report.passed);
    assert!(report.gates.iter().all(|g| g.status == GateStatus::Off));
    let report = summit_report(&Gates::default());
    let status = |name: &str| report.gates.iter().find(|g| g.gate == name).unwrap().status;
    assert_eq!(status("drift"), GateStatus::NotMeasured);
    assert_eq!(status("contracts"), GateStatus::NotMeasured);
    assert_eq!(status("evidence_present"), GateStatus::NotMeasured);
}

#[test]
fn evidence_present_and_stale() {
    let model = summit();
    let mut found = BTreeMap::new();
    let paths: Vec<(String, Option<u64>)> = model
        .controls
        .iter()
        .flat_map(|c| &c.evidence)
        .map(|e| (e.path.clone(), e.retention_days))
        .collect();
    // The first path missing, the second older than its retention, the rest fresh.
    for (i, (path, days)) in paths.iter().enumerate() {
        let f = match i {
            0 => EvidenceFound {
                exists: false,
                age_days: None,
            },
            1 => EvidenceFound {
                exists: true,
                age_days: Some(days.unwrap() + 1),
            },
            _ => EvidenceFound {
                exists: true,
                age_days: Some(0),
            },
        };
        found.insert(path.clone(), f);
    }
    let gates = Gates::default();
    let report = build(
        &model,
        &Inputs {
            today: day("2026-12-07"),
            gates: &gates,
            evidence: Some(&found),
            contracts: None,
            drift: None,
        },
    );
    let e = report.compliance.evidence.as_ref().unwrap();
    assert_eq!(e.declared, paths.len() as u64);
    assert_eq!(e.present, paths.len() as u64 - 1);
    assert_eq!(e.stale.len(), 1);
    assert_eq!(e.stale[0].path, paths[1].0);
    let failed: Vec<&str> = report.failed().map(|g| g.gate).collect();
    assert!(failed.contains(&"evidence_present") && failed.contains(&"evidence_stale"));
}

#[test]
fn hello_passes_every_default_gate() {
    let model = crate::testing::workspace("examples/hello");
    let gates = Gates::default();
    let report = build(
        &model,
        &Inputs {
            today: day("2026-12-07"),
            gates: &gates,
            evidence: None,
            contracts: None,
            drift: None,
        },
    );
    assert!(report.passed, "{}", markdown(&report));
}

#[test]
fn user_text_is_escaped_in_markdown() {
    let model = crate::testing::model_of(
        charter::config::Config::default(),
        vec![(
            "a.charter".into(),
            "package a\n\nrecord R { id: string }\n\nservice S {\n  @public(\"<script>|x\")\n  op h GET \"/h\" () -> R\n}\n\nthreat T-1 \"<b>| leak\" {\n  likelihood high\n  impact high\n}\n".into(),
        )],
    );
    let gates = Gates::default();
    let md = markdown(&build(
        &model,
        &Inputs {
            today: day("2026-12-07"),
            gates: &gates,
            evidence: None,
            contracts: None,
            drift: None,
        },
    ));
    assert!(!md.contains("<script>") && !md.contains("<b>"), "{md}");
    assert!(md.contains("\\<script\\>\\|x"), "{md}");
    assert!(md.contains("`T-1` \\<b\\>\\| leak (risk 9)"), "{md}");
}
