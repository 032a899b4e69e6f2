//! The threats target: snapshots of the summit register, and unit tests of scoring, ordering
//! and unmitigated threats.

use super::{Threats, rating};
use crate::evidence::tests::{model, summit};
use crate::{Options, OutputFile, Target};

fn text<'a>(files: &'a [OutputFile], path: &str) -> &'a str {
    let file = files.iter().find(|f| f.path == path).unwrap();
    std::str::from_utf8(&file.bytes).unwrap()
}

#[test]
fn summit_register() {
    let files = Threats.emit(&summit(), &Options::default()).unwrap();
    let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(paths, ["threats.json", "threats.md"]);
    insta::assert_snapshot!("summit_threats_md", text(&files, "threats.md"));
    insta::assert_snapshot!("summit_threats_json", text(&files, "threats.json"));
}

#[test]
fn ratings() {
    assert_eq!(rating("low"), Some(1));
    assert_eq!(rating("medium"), Some(2));
    assert_eq!(rating("high"), Some(3));
    assert_eq!(rating("critical"), Some(4));
    assert_eq!(rating("extreme"), None);
}

const DEMO: &str = "package demo\n\n\
    use std.frameworks.{soc2, iso27001}\n\
    control C-01 \"First\" {\n  satisfies soc2.\"CC8.1\", iso27001.\"A.8.32\"\n  evidence \"audit/ga-evidence/x/a\"\n}\n\
    control C-02 \"Second\" {\n  satisfies soc2.\"CC8.1\", soc2.\"CC6.1\"\n  evidence \"audit/ga-evidence/x/b\"\n}\n\
    threat T-03 \"Low risk\" {\n  subsystem \"ci\"\n  category tampering\n  likelihood low\n  impact low\n  mitigated by C-02\n}\n\
    threat T-02 \"High risk\" {\n  subsystem \"ci\"\n  category tampering\n  likelihood high\n  impact critical\n  mitigated by C-02, C-01\n}\n\
    threat T-01 \"Also low\" {\n  subsystem \"ci\"\n  category tampering\n  likelihood low\n  impact low\n  mitigated by C-01\n}\n\
    threat A-01 \"Nobody mitigates\" {\n  subsystem \"api\"\n  category spoofing\n  likelihood medium\n  impact medium\n}\n\
    threat U-01 \"No subsystem, no ratings\" {\n  category spoofing\n  mitigated by C-01\n}\n";

#[test]
fn sorted_by_subsystem_risk_and_id() {
    let files = Threats.emit(&model(DEMO), &Options::default()).unwrap();
    let json: serde_json::Value = serde_json::from_str(text(&files, "threats.json")).unwrap();
    let order: Vec<(String, String, serde_json::Value)> = json["subsystems"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| {
            let name = s["subsystem"].as_str().unwrap().to_string();
            s["threats"].as_array().unwrap().iter().map(move |t| {
                (
                    name.clone(),
                    t["id"].as_str().unwrap().to_string(),
                    t["risk"].clone(),
                )
            })
        })
        .collect();
    let expected = [
        ("api", "A-01", serde_json::json!(4)),
        ("ci", "T-02", serde_json::json!(12)),
        ("ci", "T-01", serde_json::json!(1)),
        ("ci", "T-03", serde_json::json!(1)),
        ("unassigned", "U-01", serde_json::Value::Null),
    ];
    let expected: Vec<(String, String, serde_json::Value)> = expected
        .into_iter()
        .map(|(s, id, r)| (s.to_string(), id.to_string(), r))
        .collect();
    assert_eq!(order, expected);
    let t02 = &json["subsystems"][1]["threats"][0];
    assert_eq!(
        t02["mitigated_by"],
        serde_json::json!([{"id": "C-02", "title": "Second"}, {"id": "C-01", "title": "First"}])
    );
    assert_eq!(
        t02["requirements"],
        serde_json::json!([
            {"framework": "iso27001", "id": "A.8.32"},
            {"framework": "soc2", "id": "CC6.1"},
            {"framework": "soc2", "id": "CC8.1"},
        ])
    );
    assert_eq!(json["unmitigated"], serde_json::json!(["A-01"]));
}

#[test]
fn unmitigated_threats_have_their_own_section() {
    let files = Threats.emit(&model(DEMO), &Options::default()).unwrap();
    let md = text(&files, "threats.md");
    let section = md.split("## Unmitigated threats").nth(1).unwrap();
    assert!(
        section.contains("- A-01 Nobody mitigates (api, risk 4)"),
        "{md}"
    );
    assert!(!section.contains("T-0"), "{md}");
    assert!(md.contains("| **none** |"), "{md}");
    assert!(
        md.contains("| U-01 No subsystem, no ratings | spoofing | - | - | - |"),
        "{md}"
    );
}

#[test]
fn summit_has_every_threat_mitigated() {
    let files = Threats.emit(&summit(), &Options::default()).unwrap();
    let json: serde_json::Value = serde_json::from_str(text(&files, "threats.json")).unwrap();
    assert_eq!(json["unmitigated"], serde_json::json!([]));
    let count: usize = json["subsystems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["threats"].as_array().unwrap().len())
        .sum();
    assert_eq!(count, summit().threats.len());
}
