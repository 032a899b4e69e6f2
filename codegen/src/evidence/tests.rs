//! The evidence target: snapshots of the summit index, with and without a status, and unit
//! tests of categories, producers and the status setting.

use super::{EvidenceIndex, category};
pub(crate) use crate::testing::{model, summit};
use crate::{Options, OutputFile, Target};

fn text<'a>(files: &'a [OutputFile], path: &str) -> &'a str {
    let file = files.iter().find(|f| f.path == path).unwrap();
    std::str::from_utf8(&file.bytes).unwrap()
}

fn with_status(json: &str) -> Options {
    Options {
        evidence: Some(serde_json::from_str(json).unwrap()),
        ..Options::default()
    }
}

const SUMMIT_STATUS: &str = r#"{
  "audit/ga-evidence/api/deprecation-calendar": {"exists": true, "sha256": "aa", "files": 1},
  "audit/ga-evidence/governance/decision-logs": {"exists": true, "sha256": "bb", "files": 3},
  "audit/ga-evidence/cicd/signatures": {"exists": false, "sha256": null, "files": 0}
}"#;

#[test]
fn summit_index_unchecked() {
    let files = EvidenceIndex.emit(&summit(), &Options::default()).unwrap();
    let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(paths, ["COMPLIANCE_EVIDENCE_INDEX.md", "index.json"]);
    insta::assert_snapshot!(
        "summit_index_md",
        text(&files, "COMPLIANCE_EVIDENCE_INDEX.md")
    );
    insta::assert_snapshot!("summit_index_json", text(&files, "index.json"));
}

#[test]
fn summit_index_checked() {
    let files = EvidenceIndex
        .emit(&summit(), &with_status(SUMMIT_STATUS))
        .unwrap();
    insta::assert_snapshot!(
        "summit_index_checked_md",
        text(&files, "COMPLIANCE_EVIDENCE_INDEX.md")
    );
    let json: serde_json::Value = serde_json::from_str(text(&files, "index.json")).unwrap();
    assert_eq!(json["status_checked"], true);
    let missing = json["missing"].as_array().unwrap();
    // Every path but the two present ones is missing, including those the status omits.
    let total: usize = json["categories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["items"].as_array().unwrap().len())
        .sum();
    assert_eq!(missing.len(), total - 2);
    assert!(
        missing
            .iter()
            .any(|m| m["path"] == "audit/ga-evidence/cicd/signatures")
    );
    let governance = json["categories"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["category"] == "governance")
        .unwrap();
    let logs = governance["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["path"] == "audit/ga-evidence/governance/decision-logs")
        .unwrap();
    assert_eq!(logs["exists"], true);
    assert_eq!(logs["sha256"], "bb");
    assert_eq!(logs["files"], 3);
    assert_eq!(logs["control"]["id"], "GOV-01");
    assert_eq!(logs["produced_by"][0], "summit.policy.dataset_access");
}

#[test]
fn output_is_deterministic() {
    let model = summit();
    let a = EvidenceIndex
        .emit(&model, &with_status(SUMMIT_STATUS))
        .unwrap();
    let b = EvidenceIndex
        .emit(&model, &with_status(SUMMIT_STATUS))
        .unwrap();
    assert_eq!(a, b);
}

#[test]
fn categories() {
    assert_eq!(category("audit/ga-evidence/api/contract-diffs"), "api");
    assert_eq!(category("audit/ga-evidence/api"), "api");
    assert_eq!(category("audit/ga-evidence/"), "other");
    assert_eq!(category("audit/other/x"), "other");
    assert_eq!(category("reports/x"), "other");
}

const DEMO: &str = "package demo\n\n\
    use std.frameworks.{soc2}\n\
    entity User { id: string }\n\
    action read on User by User\n\
    policy p on User by User default deny \"no\" {\n  allow self when subject.id == resource.id because \"self\"\n}\n\
    control C-02 \"Second\" {\n  satisfies soc2.\"CC6.1\"\n  enforced by p\n  \
    evidence \"misc/report.pdf\"\n  evidence \"audit/ga-evidence/logs/b\" retained 1d produced by \"ci\"\n}\n\
    control C-01 \"First | piped\" {\n  satisfies soc2.\"CC8.1\", soc2.\"CC6.1\"\n  \
    evidence \"audit/ga-evidence/logs/a\" retained 2w\n}\n";

#[test]
fn producers_fall_back_to_enforcing_policies() {
    let files = EvidenceIndex
        .emit(&model(DEMO), &Options::default())
        .unwrap();
    let json: serde_json::Value = serde_json::from_str(text(&files, "index.json")).unwrap();
    let categories = json["categories"].as_array().unwrap();
    let names: Vec<&str> = categories
        .iter()
        .map(|c| c["category"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["logs", "other"]);
    let logs = categories[0]["items"].as_array().unwrap();
    assert_eq!(logs[0]["path"], "audit/ga-evidence/logs/a");
    assert_eq!(logs[0]["producer_source"], "none");
    assert_eq!(logs[0]["retention_days"], 14);
    assert_eq!(
        logs[0]["requirements"],
        serde_json::json!([{"framework": "soc2", "id": "CC6.1"}, {"framework": "soc2", "id": "CC8.1"}])
    );
    assert_eq!(logs[1]["produced_by"], serde_json::json!(["ci"]));
    let other = &categories[1]["items"][0];
    assert_eq!(other["produced_by"], serde_json::json!(["demo.p"]));
    assert_eq!(other["producer_source"], "enforced_by");
    assert!(other.get("exists").is_none());
    assert!(json.get("missing").is_none());
    let md = text(&files, "COMPLIANCE_EVIDENCE_INDEX.md");
    assert!(md.contains("C-01 First \\| piped"), "{md}");
    assert!(md.contains("`demo.p` (enforced by)"), "{md}");
    assert!(!md.contains("## Missing evidence"), "{md}");
}

#[test]
fn missing_evidence_has_its_own_section() {
    let status = r#"{"audit/ga-evidence/logs/a": {"exists": true, "sha256": "00ff", "files": 1}}"#;
    let files = EvidenceIndex
        .emit(&model(DEMO), &with_status(status))
        .unwrap();
    let md = text(&files, "COMPLIANCE_EVIDENCE_INDEX.md");
    let missing = md.split("## Missing evidence").nth(1).unwrap();
    assert!(
        missing.contains("`audit/ga-evidence/logs/b`: C-02 Second"),
        "{md}"
    );
    assert!(missing.contains("`misc/report.pdf`: C-02 Second"), "{md}");
    assert!(!missing.contains("logs/a"), "{md}");
    assert!(md.contains("present, 1 file, sha256 `00ff`"), "{md}");
}

#[test]
fn attestations_are_the_cicd_category_s_artefacts() {
    let attested = super::Attested {
        path: "ci/attestations/rego.intoto.jsonl".into(),
        sha256: "ab".repeat(32),
        target: "rego".into(),
        signed: true,
        subjects: 12,
    };
    let options = Options {
        attestations: vec![attested.clone()],
        ..Options::default()
    };
    let files = EvidenceIndex.emit(&summit(), &options).unwrap();
    let md = text(&files, "COMPLIANCE_EVIDENCE_INDEX.md");
    assert!(md.contains("## Build attestations (cicd)"), "{md}");
    assert!(
        md.contains(&format!(
            "| `ci/attestations/rego.intoto.jsonl` | `rego` | yes (DSSE) | 12 | `{}` |",
            attested.sha256
        )),
        "{md}"
    );
    let json: serde_json::Value = serde_json::from_str(text(&files, "index.json")).unwrap();
    assert_eq!(json["attestations"]["category"], "cicd");
    assert_eq!(json["attestations"]["items"][0]["sha256"], attested.sha256);
    assert_eq!(json["attestations"]["items"][0]["subjects"], 12);
    // Without attestations, neither the section nor the member.
    let plain = EvidenceIndex.emit(&summit(), &Options::default()).unwrap();
    assert!(!text(&plain, "COMPLIANCE_EVIDENCE_INDEX.md").contains("Build attestations"));
    assert!(!text(&plain, "index.json").contains("\"attestations\""));
}
