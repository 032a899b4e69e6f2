//! Coverage gates: `[compliance] require` in charter.toml (E5009, and E9002 for bad entries).
//! The corpus harness runs with the default manifest, so these build workspaces with a config.

use charter::db::Database;
use charter::diagnostics::Diagnostic;
use charter::workspace::{self, Input};

const HEAD: &str = "[package]\nname = \"t\"\nversion = \"0.1.0\"\n\n";

const SOURCE: &str = r#"package t

use std.frameworks.{soc2, iso27001, gdpr, hipaa}

control ACC-01 "Access control" {
  satisfies soc2."CC6.1", soc2."CC6.2", gdpr."32(1)(b)", hipaa."164.312(a)(2)(i)", iso27001."5.15"
  evidence "audit/access" retained 365d
}
"#;

/// The errors of a workspace with `manifest` (after the `[package]` table) and `SOURCE`.
fn check(compliance: &str) -> (String, Vec<Diagnostic>) {
    check_source(compliance, SOURCE)
}

/// [`check`] with another source file.
fn check_source(compliance: &str, source: &str) -> (String, Vec<Diagnostic>) {
    let text = format!("{HEAD}{compliance}");
    let (config, load) = workspace::manifest(&text);
    let db = Database::default();
    let input = Input {
        path: "main.charter".to_string(),
        text: source.to_string(),
    };
    let ws = workspace::create(&db, config, vec![input], load);
    let errors = charter::semantics::diagnostics(&db, ws)
        .iter()
        .filter(|d| d.is_error())
        .cloned()
        .collect();
    (text, errors)
}

/// The text of charter.toml under a diagnostic's primary span.
fn at<'a>(text: &'a str, d: &Diagnostic) -> &'a str {
    &text[d.primary.span.start as usize..d.primary.span.end as usize]
}

fn summary(errors: &[Diagnostic]) -> Vec<String> {
    errors
        .iter()
        .map(|d| format!("{}: {}", d.code.as_str(), d.message))
        .collect()
}

#[test]
fn covered_gates_pass() {
    let (_, errors) = check(
        "[compliance]\nrequire = [\"soc2:CC6.1\", \"gdpr:32(1)(b)\", \"iso27001:A.5.15\", \"iso27001:5.15\", \"hipaa:164.312(a)(2)(i)\"]\n",
    );
    assert!(errors.is_empty(), "{:?}", summary(&errors));
}

/// A control that did not parse says nothing about coverage: its syntax error is the one error.
#[test]
fn a_broken_control_is_not_reported_again_as_a_coverage_gap() {
    let source = SOURCE.replace("retained 365d", "retained 6 years");
    let (_, errors) = check_source("[compliance]\nrequire = [\"soc2:CC6.1\"]\n", &source);
    assert_eq!(
        summary(&errors),
        ["E0003: unexpected number `6`"],
        "{:?}",
        summary(&errors)
    );
    assert!(
        errors[0].help.iter().any(|h| h.contains("`6y`")),
        "{:?}",
        errors[0].help
    );
}

#[test]
fn no_gate_no_error() {
    let (_, errors) = check("");
    assert!(errors.is_empty(), "{:?}", summary(&errors));
}

#[test]
fn prefix_gate_lists_the_uncovered_ids() {
    let (text, errors) = check("[compliance]\nrequire = [\"soc2:CC6*\"]\n");
    assert_eq!(errors.len(), 1, "{:?}", summary(&errors));
    let d = &errors[0];
    assert_eq!(d.code.as_str(), "E5009");
    assert_eq!(d.primary.file, "charter.toml");
    assert_eq!(at(&text, d), "\"soc2:CC6*\"");
    assert_eq!(
        d.message,
        "6 required requirements of `soc2` not covered by any control"
    );
    let label = d.primary.message.clone();
    assert_eq!(
        label,
        "not covered: `CC6.3`, `CC6.4`, `CC6.5`, `CC6.6`, `CC6.7`, `CC6.8`"
    );
    assert!(
        d.help
            .as_deref()
            .unwrap_or_default()
            .contains("satisfies soc2.\"CC6.3\""),
        "{:?}",
        d.help
    );
}

#[test]
fn long_lists_are_cut_at_ten() {
    let (_, errors) = check("[compliance]\nrequire = [\"soc2:CC*\"]\n");
    assert_eq!(errors.len(), 1, "{:?}", summary(&errors));
    let label = errors[0].primary.message.clone();
    assert_eq!(label.matches('`').count(), 20, "{label}");
    assert!(label.ends_with(" more"), "{label}");
    assert!(label.starts_with("not covered: `CC1.1`, "), "{label}");
}

#[test]
fn attribute_gates() {
    // Every Physical control of ISO 27001 is uncovered; A.5.15 is Organizational.
    let (text, errors) =
        check("[compliance]\nrequire = [\"iso27001:theme=Physical\", \"soc2:category=CC6\"]\n");
    let found: Vec<(&str, &str)> = errors
        .iter()
        .map(|d| (d.code.as_str(), at(&text, d)))
        .collect();
    assert_eq!(
        found,
        [
            ("E5009", "\"iso27001:theme=Physical\""),
            ("E5009", "\"soc2:category=CC6\""),
        ],
        "{:?}",
        summary(&errors)
    );
    assert!(errors[0].message.starts_with("14 required requirements"));
    assert!(errors[1].message.starts_with("6 required requirements"));
}

#[test]
fn implementation_specification_covers_its_standard() {
    // 164.312(a)(2)(i) covers its parent 164.312(a)(1), but not its siblings.
    let (_, errors) = check("[compliance]\nrequire = [\"hipaa:164.312(a)(1)\"]\n");
    assert!(errors.is_empty(), "{:?}", summary(&errors));
    let (_, errors) = check("[compliance]\nrequire = [\"hipaa:parent=164.312(a)(1)\"]\n");
    assert_eq!(errors.len(), 1, "{:?}", summary(&errors));
    assert_eq!(
        errors[0].primary.message,
        "not covered: `164.312(a)(2)(ii)`, `164.312(a)(2)(iii)`, `164.312(a)(2)(iv)`"
    );
    let (_, errors) = check("[compliance]\nrequire = [\"hipaa:kind=standard\"]\n");
    assert_eq!(errors.len(), 1, "{:?}", summary(&errors));
    let label = errors[0].primary.message.clone();
    assert!(!label.contains("164.312(a)(1)"), "{label}");
}

#[test]
fn unknown_framework_and_empty_selection_are_e9002() {
    let (text, errors) = check(
        "[compliance]\nrequire = [\"pci:7.1\", \"soc2:ZZ*\", \"gdpr:99\", \"soc2:colour=blue\"]\n",
    );
    let found: Vec<(&str, &str)> = errors
        .iter()
        .map(|d| (d.code.as_str(), at(&text, d)))
        .collect();
    assert_eq!(
        found,
        [
            ("E9002", "\"pci:7.1\""),
            ("E9002", "\"soc2:ZZ*\""),
            ("E9002", "\"gdpr:99\""),
            ("E9002", "\"soc2:colour=blue\""),
        ],
        "{:?}",
        summary(&errors)
    );
    assert_eq!(errors[0].message, "unknown framework `pci`");
}

#[test]
fn malformed_entries_are_e9002() {
    let (text, errors) = check(
        "[compliance]\nrequire = [\"soc2\", \"soc2:\", \":CC6.1\", \"soc2:C*C\", \"soc2:=x\"]\n",
    );
    let found: Vec<(&str, &str)> = errors
        .iter()
        .map(|d| (d.code.as_str(), at(&text, d)))
        .collect();
    assert_eq!(
        found,
        [
            ("E9002", "\"soc2\""),
            ("E9002", "\"soc2:\""),
            ("E9002", "\":CC6.1\""),
            ("E9002", "\"soc2:C*C\""),
            ("E9002", "\"soc2:=x\""),
        ],
        "{:?}",
        summary(&errors)
    );
}

#[test]
fn unknown_compliance_key_is_e9002() {
    let (_, errors) = check("[compliance]\nrequires = [\"soc2:CC6.1\"]\n");
    assert_eq!(summary(&errors), ["E9002: invalid charter.toml"]);
}
