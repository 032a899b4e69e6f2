//! `crosswalk --diff`: pairs of small models (controls added, removed, re-mapped; evidence
//! changed; a HIPAA implementation specification covering its standard) and a snapshot of the
//! Markdown for a realistic change to the summit example.

use charter::ir::Model;

use super::diff::{ControlRef, Diff, MappingRef, ReqRef, diff, markdown};
use super::tests::{model, model_of};

const CATALOGUE: &str = "package demo\n\n\
    framework fw \"Demo framework\" {\n  \
      requirement \"S1\" \"Standard one\" { safeguard: \"Admin\" }\n  \
      requirement \"S1(a)\" \"Spec a\" { safeguard: \"Admin\", parent: \"S1\" }\n  \
      requirement \"S2\" \"Standard two\" { safeguard: \"Tech\" }\n  \
      requirement \"S3\" \"Standard three\" { safeguard: \"Tech\" }\n\
    }\n\n";

fn demo(controls: &str) -> Model {
    model(&format!("{CATALOGUE}{controls}"))
}

fn req(id: &str, title: &str) -> ReqRef {
    ReqRef {
        id: id.into(),
        title: title.into(),
    }
}

fn mapping(requirement: &str, title: &str) -> MappingRef {
    MappingRef {
        framework: "fw".into(),
        requirement: requirement.into(),
        title: Some(title.into()),
    }
}

/// The `fw` framework's gained and lost requirement ids.
fn fw_change(d: &Diff) -> (Vec<&str>, Vec<&str>) {
    d.frameworks
        .iter()
        .find(|f| f.name == "fw")
        .map(|f| {
            (
                f.gained.iter().map(|r| r.id.as_str()).collect(),
                f.lost.iter().map(|r| r.id.as_str()).collect(),
            )
        })
        .unwrap_or_default()
}

#[test]
fn identical_models_have_no_diff() {
    let m = demo("control A-1 \"Ay\" {\n  satisfies fw.\"S2\"\n}\n");
    let d = diff(&m, &m);
    assert!(d.is_empty(), "{d:?}");
    let md = markdown(&d, "HEAD", ".");
    assert!(md.contains("No change in compliance coverage."), "{md}");
}

#[test]
fn adding_a_control_gains_coverage() {
    let old = demo("control A-1 \"Ay\" {\n  satisfies fw.\"S2\"\n}\n");
    let new = demo(
        "control A-1 \"Ay\" {\n  satisfies fw.\"S2\"\n}\n\n\
         control B-1 \"Bee\" {\n  satisfies fw.\"S3\"\n  evidence \"logs/b\" retained 1d\n}\n",
    );
    let d = diff(&old, &new);
    assert_eq!(fw_change(&d), (vec!["S3"], vec![]));
    assert_eq!(
        d.controls_added,
        [ControlRef {
            id: "B-1".into(),
            title: "Bee".into(),
            mappings: vec![mapping("S3", "Standard three")],
            evidence: vec!["logs/b".into()],
        }]
    );
    assert!(d.controls_removed.is_empty() && d.remapped.is_empty() && d.evidence.is_empty());
    let fw = d.frameworks.iter().find(|f| f.name == "fw").unwrap();
    assert_eq!(fw.before, Some((1, 4)));
    assert_eq!(fw.after, Some((2, 4)));
    assert_eq!(fw.gained, [req("S3", "Standard three")]);
    assert_eq!((d.gained(), d.lost()), (1, 0));
    // The standard catalogues did not change.
    assert_eq!(d.frameworks.len(), 1);
}

#[test]
fn removing_a_control_loses_only_what_nothing_else_covers() {
    let old = demo(
        "control A-1 \"Ay\" {\n  satisfies fw.\"S2\"\n}\n\n\
         control B-1 \"Bee\" {\n  satisfies fw.\"S2\", fw.\"S3\"\n}\n",
    );
    let new = demo("control A-1 \"Ay\" {\n  satisfies fw.\"S2\"\n}\n");
    let d = diff(&old, &new);
    assert_eq!(fw_change(&d), (vec![], vec!["S3"]));
    assert_eq!(d.controls_removed.len(), 1);
    assert_eq!(d.controls_removed[0].id, "B-1");
    assert_eq!(
        d.controls_removed[0].mappings,
        [
            mapping("S2", "Standard two"),
            mapping("S3", "Standard three")
        ]
    );
    assert!(d.controls_added.is_empty());
    let md = markdown(&d, "main", ".");
    assert!(
        md.contains("**0 requirements gained coverage, 1 requirement lost coverage.**"),
        "{md}"
    );
    assert!(
        md.contains("### Requirements that lost coverage (1)"),
        "{md}"
    );
    assert!(md.contains("| S3 | Standard three |"), "{md}");
    assert!(md.contains("### Controls removed (1)"), "{md}");
}

#[test]
fn remapping_a_control_lists_requirements_added_and_removed() {
    let old = demo("control A-1 \"Ay\" {\n  satisfies fw.\"S2\"\n}\n");
    let new = demo("control A-1 \"Ay\" {\n  satisfies fw.\"S3\"\n}\n");
    let d = diff(&old, &new);
    assert_eq!(fw_change(&d), (vec!["S3"], vec!["S2"]));
    assert_eq!(d.remapped.len(), 1);
    assert_eq!(d.remapped[0].id, "A-1");
    assert_eq!(d.remapped[0].added, [mapping("S3", "Standard three")]);
    assert_eq!(d.remapped[0].removed, [mapping("S2", "Standard two")]);
    assert!(d.controls_added.is_empty() && d.controls_removed.is_empty());
    let md = markdown(&d, "HEAD~1", ".");
    assert!(
        md.contains("| A-1 | Ay | fw S3 — Standard three | fw S2 — Standard two |"),
        "{md}"
    );
}

#[test]
fn evidence_added_and_removed_per_control() {
    let old = demo(
        "control A-1 \"Ay\" {\n  satisfies fw.\"S2\"\n  evidence \"logs/old\" retained 1d\n  \
         evidence \"logs/kept\" retained 1d\n}\n",
    );
    let new = demo(
        "control A-1 \"Ay\" {\n  satisfies fw.\"S2\"\n  evidence \"logs/kept\" retained 1d\n  \
         evidence \"logs/new_one\" retained 1d\n}\n",
    );
    let d = diff(&old, &new);
    assert!(d.frameworks.is_empty(), "{d:?}");
    assert!(d.remapped.is_empty());
    assert_eq!(d.evidence.len(), 1);
    assert_eq!(d.evidence[0].added, ["logs/new_one"]);
    assert_eq!(d.evidence[0].removed, ["logs/old"]);
    let md = markdown(&d, "old", "new");
    assert!(md.contains("### Evidence changes (1)"), "{md}");
    assert!(
        md.contains("| A-1 | Ay | logs/new_one | logs/old |"),
        "{md}"
    );
    assert!(md.contains("**0 requirements gained coverage, 0 requirements lost coverage.**"));
}

#[test]
fn a_hipaa_specification_mapping_covers_its_standard() {
    let old = demo("control A-1 \"Ay\" {\n  satisfies fw.\"S2\"\n}\n");
    let new = demo("control A-1 \"Ay\" {\n  satisfies fw.\"S2\", fw.\"S1(a)\"\n}\n");
    let d = diff(&old, &new);
    // The specification and, through it, its standard.
    assert_eq!(fw_change(&d), (vec!["S1", "S1(a)"], vec![]));
    assert_eq!(d.remapped[0].added, [mapping("S1(a)", "Spec a")]);
    // Against the real HIPAA catalogue too.
    let old = model(
        "package demo\n\nuse std.frameworks.hipaa\n\ncontrol A-1 \"Ay\" {\n  satisfies hipaa.\"164.312(d)\"\n}\n",
    );
    let new = model(
        "package demo\n\nuse std.frameworks.hipaa\n\ncontrol A-1 \"Ay\" {\n  satisfies hipaa.\"164.312(d)\", \
         hipaa.\"164.308(a)(1)(ii)(A)\"\n}\n",
    );
    let d = diff(&old, &new);
    let hipaa = d.frameworks.iter().find(|f| f.name == "hipaa").unwrap();
    let gained: Vec<&str> = hipaa.gained.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(gained, ["164.308(a)(1)", "164.308(a)(1)(ii)(A)"]);
    assert!(hipaa.lost.is_empty());
}

#[test]
fn the_diff_is_deterministic_and_symmetric() {
    let a = demo(
        "control Z-1 \"Zed\" {\n  satisfies fw.\"S2\"\n}\n\n\
         control A-1 \"Ay\" {\n  satisfies fw.\"S3\"\n}\n",
    );
    let b = demo("control M-1 \"Em\" {\n  satisfies fw.\"S1\", fw.\"S2\"\n}\n");
    let forward = diff(&a, &b);
    assert_eq!(forward, diff(&a, &b));
    let backward = diff(&b, &a);
    assert_eq!(fw_change(&forward).0, fw_change(&backward).1);
    assert_eq!(fw_change(&forward).1, fw_change(&backward).0);
    let ids: Vec<&str> = forward
        .controls_removed
        .iter()
        .map(|c| c.id.as_str())
        .collect();
    assert_eq!(ids, ["A-1", "Z-1"]);
    assert_eq!(forward.controls_removed, backward.controls_added);
}

/// Reads the summit example with `edit` applied to each (path, text) source file.
fn summit_edited(edit: impl Fn(&str, String) -> String) -> Model {
    let (config, mut files) = crate::testing::summit_files(edit);
    files.sort();
    model_of(config, files)
}

#[test]
fn summit_pull_request_markdown() {
    let old = super::tests::summit();
    let new = summit_edited(|path, text| match path {
        "src/compliance/governance.charter" => {
            let start = text.find("/// Role grants are reviewed").unwrap();
            let end = text[start..].find("}\n").unwrap() + start + 2;
            let mut text = format!("{}{}", &text[..start], &text[end + 1..]);
            text = text.replace(
                "hipaa.\"164.308(a)(8)\", hipaa.\"164.316(b)(2)(iii)\"",
                "hipaa.\"164.308(a)(1)(ii)(A)\", hipaa.\"164.316(b)(2)(iii)\"",
            );
            text = text.replace(
                "evidence \"audit/ga-evidence/governance/export-decisions\"",
                "evidence \"audit/ga-evidence/governance/export_approvals\"",
            );
            text.push_str(
                "\n/// Incidents follow a written plan, rehearsed twice a year.\n\
                 control IR-01 \"Incident response plan\" {\n  owner \"Security\"\n  \
                 satisfies iso27001.\"A.5.25\", soc2.\"CC7.5\"\n  \
                 evidence \"audit/ga-evidence/incident/tabletop-reports\" retained 365d\n}\n",
            );
            text
        }
        "src/compliance/threats.charter" => text.replace("GOV-04, ", ""),
        _ => text,
    });
    let d = diff(&old, &new);
    assert!(d.lost() > 0 && d.gained() > 0, "{d:?}");
    insta::assert_snapshot!(markdown(&d, "HEAD~1", "examples/summit"));
}
