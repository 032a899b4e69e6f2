//! The rego target: snapshots of the summit bundle, and unit tests of conditions, verdicts and
//! the bundle files. `tests/opa` runs the emitted bundle in the real OPA.

use std::io::Read as _;

use charter::ir::Model;

use super::Rego;
use crate::testing::{model, model_of, summit};
use crate::{Options, OutputFile, Target};

fn emit(model: &Model) -> Vec<OutputFile> {
    Rego.emit(model, &Options::default()).unwrap()
}

fn text<'a>(files: &'a [OutputFile], path: &str) -> &'a str {
    let file = files.iter().find(|f| f.path == path).unwrap_or_else(|| {
        let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
        panic!("no {path} in {paths:?}")
    });
    std::str::from_utf8(&file.bytes).unwrap()
}

const DEMO_PREFIX: &str = "package demo\n\n\
    ordered enum Level { low, mid, high }\n\
    entity User { id: string, level: Level, admin: bool, tags: map<string, string>, \
    nick: string?, seen: timestamp, grace: duration, roles: set<string> }\n\
    entity Doc { id: string, level: Level, owner: string? }\n\
    context Req { mfa: bool, at: timestamp }\n\
    action read, write on Doc by User\n";

fn demo_policy(rules: &str) -> String {
    let files = emit(&model(&format!(
        "{DEMO_PREFIX}policy p on Doc by User with Req version \"2.0.0\"\n  \
         default deny \"no rule allowed it\"\n{{\n{rules}\n}}\n"
    )));
    text(&files, "charter/demo/p/policy.rego").to_string()
}

#[test]
fn snapshot_of_a_summit_policy() {
    let files = emit(&summit());
    insta::assert_snapshot!(
        "dataset_access",
        text(&files, "charter/summit/policy/dataset_access/policy.rego")
    );
}

#[test]
fn snapshot_of_the_summit_router_and_data() {
    let files = emit(&summit());
    insta::assert_snapshot!("router", text(&files, "charter/router/router.rego"));
    insta::assert_snapshot!("egress", text(&files, "charter/router/egress.rego"));
    insta::assert_snapshot!("data", text(&files, "data.json"));
}

#[test]
fn the_summit_bundle_has_every_file() {
    let files = emit(&summit());
    let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            ".manifest",
            "bundle.tar.gz",
            "charter/router/egress.rego",
            "charter/router/router.rego",
            "charter/schema/schema.rego",
            "charter/summit/policy/dataset_access/policy.rego",
            "charter/summit/policy/export_control/policy.rego",
            "charter/summit/policy/privileged_operations/policy.rego",
            "charter/summit/policy/provenance_enforcement/policy.rego",
            "charter/summit/policy/release_gate/policy.rego",
            "data.json",
        ]
    );
    let manifest: serde_json::Value = serde_json::from_str(text(&files, ".manifest")).unwrap();
    assert_eq!(
        manifest["roots"],
        serde_json::json!([
            "charter/summit/policy",
            "charter/router",
            "charter/schema",
            "charter/enums",
            "charter/routes"
        ])
    );
    assert_eq!(manifest["rego_version"], 1);
    assert_eq!(
        manifest["metadata"],
        serde_json::json!({"package": "summit", "version": "2.1.0"})
    );
    let provenance = text(
        &files,
        "charter/summit/policy/provenance_enforcement/policy.rego",
    );
    // The input's shape first, then enforced denies, then the envelope, then the allows
    // (docs/decisions.md).
    let position = |rule_id: &str| {
        provenance
            .find(&format!("\"rule_id\": \"{rule_id}\""))
            .unwrap()
    };
    assert!(position("input_invalid") < position("cross_tenant_write"));
    assert!(position("cross_tenant_write") < position("provenance_missing"));
    assert!(position("provenance_missing") < position("provenance_invalid"));
    assert!(position("provenance_invalid") < position("attested_write"));
    assert!(
        !text(&files, "charter/summit/policy/dataset_access/policy.rego")
            .contains("provenance_missing")
    );
}

#[test]
fn the_output_is_deterministic() {
    let model = summit();
    assert_eq!(emit(&model), emit(&model));
}

#[test]
fn rules_carry_their_effect_and_reason() {
    let rego = demo_policy(
        "/// Admins only.\n  allow admins when subject.admin because \"admins \\\"may\\\"\"",
    );
    assert!(
        rego.contains("package charter.demo.p\n\nimport data.charter.schema\nimport rego.v1\n")
    );
    assert!(
        rego.contains("# Admins only.\n# allow admins: admins \"may\"\nadmins if {\n\tinput.subject.admin == true\n}\n"),
        "{rego}"
    );
}

#[test]
fn or_at_the_top_becomes_one_definition_each() {
    let rego = demo_policy("deny d when action == read or subject.admin because \"r\"");
    assert!(
        rego.contains(
            "d if {\n\tinput.action == \"read\"\n}\n\nd if {\n\tinput.subject.admin == true\n}\n"
        ),
        "{rego}"
    );
}

#[test]
fn nested_or_and_not_become_helper_rules() {
    let rego = demo_policy(
        "deny d when subject.admin and not (action == read or has resource.owner) \
         because \"r\"",
    );
    assert!(
        rego.contains("d if {\n\tinput.subject.admin == true\n\tnot d_or_1\n}\n"),
        "{rego}"
    );
    assert!(
        rego.contains("d_or_1 if {\n\tinput.action == \"read\"\n}\n"),
        "{rego}"
    );
    assert!(
        rego.contains("d_or_1 if {\n\tinput.resource.owner != null\n}\n"),
        "{rego}"
    );
}

#[test]
fn every_negated_comparison_goes_through_a_rule() {
    // OPA evaluates `not input.x != null` as false when `input.x` is undefined.
    let rego = demo_policy("deny d when not has resource.owner because \"r\"");
    assert!(
        rego.contains(
            "d if {\n\tnot d_not_1\n}\n\nd_not_1 if {\n\tinput.resource.owner != null\n}\n"
        ),
        "{rego}"
    );
    let rego = demo_policy("deny d when resource.owner == none because \"r\"");
    assert!(rego.contains("\tnot d_not_1\n"), "{rego}");
    let rego = demo_policy("deny d when resource.owner != none because \"r\"");
    assert!(
        rego.contains("d if {\n\tinput.resource.owner != null\n}\n"),
        "{rego}"
    );
}

#[test]
fn double_negation_cancels() {
    let rego = demo_policy("deny d when not not subject.admin because \"r\"");
    assert!(
        rego.contains("d if {\n\tinput.subject.admin == true\n}\n"),
        "{rego}"
    );
}

#[test]
fn ordered_enums_compare_by_position_from_data() {
    let files = emit(&model(&format!(
        "{DEMO_PREFIX}policy p on Doc by User with Req version \"2.0.0\" default deny \"no\" {{\n\
         allow a when subject.level >= resource.level and resource.level < Level.high \
         because \"r\"\n}}\n"
    )));
    let rego = text(&files, "charter/demo/p/policy.rego");
    assert!(rego.contains(
        "\tdata.charter.enums[\"demo.Level\"][input.subject.level] >= \
         data.charter.enums[\"demo.Level\"][input.resource.level]\n"
    ));
    assert!(rego.contains(
        "\tdata.charter.enums[\"demo.Level\"][input.resource.level] < \
         data.charter.enums[\"demo.Level\"].high\n"
    ));
    let data: serde_json::Value = serde_json::from_str(text(&files, "data.json")).unwrap();
    assert_eq!(
        data["charter"]["enums"]["demo.Level"],
        serde_json::json!({"low": 0, "mid": 1, "high": 2})
    );
}

#[test]
fn timestamps_and_durations_use_their_helpers() {
    let rego = demo_policy(
        "deny late when subject.seen > context.at because \"late\"\n\
         deny long when subject.grace >= 30d because \"long\"",
    );
    assert!(rego.contains("\t_instant(input.subject.seen) > _instant(input.context.at)\n"));
    assert!(rego.contains("\t_duration_s(input.subject.grace) >= _duration_s(\"30d\")\n"));
    // The instant is computed, not parsed by OPA's clock (which stops at 2262).
    assert!(rego.contains("_instant(s) := [seconds, trim_right(fraction, \"0\")] if {"));
    assert!(!rego.contains("parse_rfc3339"));
    assert!(rego.contains("_duration_s(d) := seconds if {"));
    assert!(rego.contains("_int(s) := to_number(digits) if {"));
    // Helpers only where needed.
    let plain = demo_policy("deny d when subject.admin because \"r\"");
    assert!(!plain.contains("_instant") && !plain.contains("_duration_s"));
}

#[test]
fn membership_in_maps_tests_keys() {
    let rego = demo_policy(
        "allow a when \"team\" in subject.tags and \"x\" in subject.roles \
         and action in [read, write] because \"r\"",
    );
    assert!(rego.contains(
        "\tis_object(input.subject.tags)\n\t\"team\" in object.keys(input.subject.tags)\n\
         \t\"x\" in input.subject.roles\n\tinput.action in [\"read\", \"write\"]\n"
    ));
}

#[test]
fn the_verdict_follows_the_decision_order() {
    let rego = demo_policy(
        "allow first_allow when subject.admin because \"a\"\n\
         deny first_deny when not context.mfa because \"d\"\n\
         @canary deny maybe_deny when action == write because \"c\"\n\
         @canary allow maybe_allow when action == read because \"c2\"",
    );
    let deny = rego.find("\"rule_id\": \"first_deny\"").unwrap();
    let allow = rego.find("\"rule_id\": \"first_allow\"").unwrap();
    let default = rego.find("\"rule_id\": \"default\"").unwrap();
    assert!(deny < allow && allow < default, "{rego}");
    assert!(!rego.contains("\"rule_id\": \"maybe_deny\""));
    assert!(rego.contains(
        "canary := [name | some name in [\"maybe_deny\"]; name in matches] if {\n\
         \tdecision.allow\n\
         } else := [name | some name in [\"maybe_allow\"]; name in matches] if {\n\
         \tdecision.rule_id == \"default\"\n\
         } else := []\n"
    ));
    assert!(rego.contains("\t\"decider\": \"demo.p\",\n\t\"rule_id\": decision.rule_id,\n"));
    assert!(rego.contains("\t\"policy_version\": \"2.0.0\",\n"));
}

#[test]
fn canary_allows_do_not_apply_when_the_default_allows() {
    let files = emit(&model(&format!(
        "{DEMO_PREFIX}policy p on Doc by User version \"1.0.0\" default allow \"ok\" {{\n\
         @canary allow maybe when subject.admin because \"c\"\n}}\n"
    )));
    let rego = text(&files, "charter/demo/p/policy.rego");
    assert!(rego.contains("canary := []\n"), "{rego}");
    assert!(rego.contains(
        "} else := {\"allow\": true, \"rule_id\": \"default\", \"reason\": \"ok\"} if {\n\
         \tinput_valid\n}\n"
    ));
}

#[test]
fn rule_names_rego_reserves_are_renamed() {
    let rego = demo_policy(
        "deny if when subject.admin because \"k\"\n\
         deny count when not subject.admin because \"b\"\n\
         deny verdict when action == read because \"v\"",
    );
    assert!(rego.contains("rule_if if {"));
    assert!(rego.contains("rule_count if {"));
    assert!(rego.contains("rule_verdict if {"));
    assert!(rego.contains("matches contains \"if\" if {\n\tinput_valid\n\trule_if\n}\n"));
    assert!(rego.contains("\"rule_id\": \"count\""));
}

#[test]
fn the_router_asks_every_policy_in_model_order() {
    let files = emit(&model(&format!(
        "{DEMO_PREFIX}policy q on Doc by User version \"1.0.0\" default deny \"no\" {{}}\n\
         policy p on Doc by User version \"1.0.0\" default deny \"no\" {{}}\n"
    )));
    let router = text(&files, "charter/router/router.rego");
    assert!(router.contains("package charter.router\n"));
    assert!(router.contains("_order := [\"demo.q\", \"demo.p\"]\n"));
    for p in ["p", "q"] {
        assert!(router.contains(&format!(
            "\tv := data.charter.demo.{p}.verdict with input.context as narrowed\n\
             }} else := data.charter.demo.{p}.verdict\n"
        )));
        assert!(router.contains(&format!("\t\"demo.{p}\": [],\n")));
    }
    // Never undefined: a default, and the router's own denials by rule id.
    assert!(router.contains("default verdict := {"));
    for rule_id in [
        "charter.router.input_invalid",
        "charter.router.policy_not_applicable",
        "charter.router.resource_type_required",
        "charter.router.no_policy",
        "charter.router.undecided",
    ] {
        assert!(
            router.contains(&format!("\"rule_id\": \"{rule_id}\"")),
            "{rule_id}"
        );
    }
    let data: serde_json::Value = serde_json::from_str(text(&files, "data.json")).unwrap();
    assert_eq!(
        data["charter"]["routes"]["read"],
        serde_json::json!({"demo.Doc": ["demo.q", "demo.p"]})
    );
}

#[test]
fn nested_packages_share_one_root() {
    let (config, _) =
        charter::workspace::manifest("[package]\nname = \"n\"\nversion = \"1.0.0\"\n");
    let shared = "entity E { id: string }\naction act on E by E\n";
    let m = model_of(
        config,
        vec![
            (
                "src/a.charter".into(),
                format!("package acme\n{shared}policy p on E by E version \"1.0.0\" default deny \"no\" {{}}\n"),
            ),
            (
                "src/b/b.charter".into(),
                "package acme.sub\nuse acme.E\npolicy q on E by E version \"1.0.0\" default deny \"no\" {}\n"
                    .into(),
            ),
        ],
    );
    let roots = super::bundle::roots(&m).unwrap();
    assert_eq!(
        roots,
        [
            "charter/acme",
            "charter/router",
            "charter/schema",
            "charter/enums",
            "charter/routes"
        ]
    );
}

/// The checker refuses policies in the packages whose roots the bundle keeps (E3006), so
/// `bundle::roots` never fails on a checked model.
#[test]
fn the_checker_reserves_the_bundle_roots() {
    let reserved: Vec<&str> = [
        super::bundle::ROUTER_ROOT,
        super::schema::ROOT,
        super::bundle::ENUMS_ROOT,
        super::bundle::ROUTES_ROOT,
    ]
    .iter()
    .map(|root| root.strip_prefix("charter/").unwrap())
    .collect();
    assert_eq!(reserved, charter::ir::BUNDLE_RESERVED_PACKAGES);
}

#[test]
fn a_package_on_a_bundle_root_is_an_error() {
    let text = format!(
        "{}policy p on Doc by User version \"1.0.0\" default deny \"no\" {{}}\n",
        DEMO_PREFIX.replace("package demo", "package router")
    );
    // The checker refuses it (E3006); the bundle still refuses a model nobody checked.
    let db = charter::db::Database::default();
    let ws = charter::workspace::from_sources(&db, &[("router.charter", text.as_str())]);
    let codes: Vec<&str> = charter::semantics::diagnostics(&db, ws)
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.code.as_str())
        .collect();
    assert_eq!(codes, ["E3006"]);
    let m = charter::semantics::model(&db, ws).clone();
    let error = Rego.emit(&m, &Options::default()).unwrap_err();
    assert!(
        error.message.contains("charter/router"),
        "{}",
        error.message
    );
}

#[test]
fn the_revision_hashes_every_other_file() {
    let a = OutputFile::text("a.rego", "package a");
    let b = OutputFile::text("data.json", "{}");
    let rev = super::bundle::revision(&[a.clone(), b.clone()]);
    assert_eq!(rev.len(), 64);
    assert_eq!(rev, super::bundle::revision(&[b.clone(), a.clone()]));
    assert_ne!(
        rev,
        super::bundle::revision(&[a.clone(), OutputFile::text("data.json", "{ }")])
    );
    // Moving bytes between the path and the content changes the digest.
    assert_ne!(
        super::bundle::revision(&[OutputFile::text("ab", "c")]),
        super::bundle::revision(&[OutputFile::text("a", "bc")])
    );
}

#[test]
fn the_archive_is_deterministic_and_holds_every_file() {
    let files = emit(&summit());
    let archive = files.iter().find(|f| f.path == "bundle.tar.gz").unwrap();
    // gzip header: magic, deflate, no flags, mtime 0, no extra flags (level 6: neither the
    // fastest nor the best), unknown OS.
    assert_eq!(
        archive.bytes.get(..10).unwrap(),
        [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255]
    );
    // The same files give the same archive.
    assert_eq!(emit(&summit()), files);
    let mut tar = tar::Archive::new(flate2::read::GzDecoder::new(archive.bytes.as_slice()));
    let mut inside = Vec::new();
    for entry in tar.entries().unwrap() {
        let mut entry = entry.unwrap();
        let header = entry.header();
        assert_eq!(header.mtime().unwrap(), 0);
        assert_eq!(header.uid().unwrap(), 0);
        assert_eq!(header.gid().unwrap(), 0);
        assert_eq!(header.mode().unwrap(), 0o644);
        let path = entry.path().unwrap().to_string_lossy().into_owned();
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).unwrap();
        inside.push(OutputFile { path, bytes });
    }
    let loose: Vec<OutputFile> = files
        .into_iter()
        .filter(|f| f.path != "bundle.tar.gz")
        .collect();
    assert_eq!(inside, loose);
}

#[test]
fn modules_made_on_several_threads_are_the_same_bytes() {
    let model = summit();
    let one = emit(&model);
    let tests = super::RegoTests.emit(&model, &Options::default()).unwrap();
    assert!(tests.len() > 1, "{tests:?}");
    for threads in [2, 3, 64] {
        let options = Options {
            threads: std::num::NonZeroUsize::new(threads),
            ..Options::default()
        };
        assert_eq!(Rego.emit(&model, &options).unwrap(), one, "{threads}");
        assert_eq!(super::RegoTests.emit(&model, &options).unwrap(), tests);
    }
}

#[test]
fn no_emitted_line_starts_with_a_minus() {
    // A line starting with `-` continues the expression above it in OPA's parser, and `opa fmt`
    // removes the parentheses around a negative literal: a negative left side is swapped to the
    // right, or read from a one-element array.
    let files = emit(&model(
        "package demo\n\
         entity User { n: int, xs: list<int>, f: float in -1.5..-0.5, level: int = -3 }\n\
         entity Doc { id: string }\n\
         action read on Doc by User\n\
         policy p on Doc by User default allow \"open\" {\n\
         deny a when subject.n == 1 and -1 in subject.xs because \"a\"\n\
         deny b when -5 < subject.n and -2.5e-3 <= subject.f because \"b\"\n\
         deny c when not (-1 == subject.n) or subject.level < -2 because \"c\"\n}\n",
    ));
    for f in files.iter().filter(|f| f.path.ends_with(".rego")) {
        let text = std::str::from_utf8(&f.bytes).unwrap();
        for line in text.lines() {
            assert!(!line.trim_start().starts_with('-'), "{}: {line}", f.path);
        }
    }
    let rego = text(&files, "charter/demo/p/policy.rego");
    assert!(rego.contains("\t[-1][0] in input.subject.xs\n"), "{rego}");
    assert!(rego.contains("\tinput.subject.n > -5\n"), "{rego}");
    assert!(rego.contains("\tinput.subject.f >= -0.0025\n"), "{rego}");
    assert!(rego.contains("\tinput.subject.n == -1\n"), "{rego}");
    let schema = text(&files, "charter/schema/schema.rego");
    assert!(schema.contains("\tx >= -1.5\n\tx <= -0.5\n"), "{schema}");
}

#[test]
fn defaults_stand_in_for_omitted_fields() {
    let rego = demo_policy_with(
        "entity Who { id: string, mfa: bool = true, inner: Inner = { depth: 2 } }\n\
         record Inner { depth: int = 1 }\n",
        "Who",
        "deny a when subject.mfa because \"a\"\n  deny b when subject.inner.depth > 1 because \"b\"",
    );
    assert!(
        rego.contains("\t_default(input.subject, \"mfa\", true) == true\n"),
        "{rego}"
    );
    assert!(
        rego.contains(
            "\t_default(_default(input.subject, \"inner\", {\"depth\": 2}), \"depth\", 1) > 1\n"
        ),
        "{rego}"
    );
    assert!(rego.contains("_default(o, k, d) := object.get(o, k, d) if is_object(o)"));
}

#[test]
fn the_input_is_validated_first_and_the_decision_fails_closed() {
    let rego = demo_policy("allow a when subject.admin because \"a\"");
    assert!(rego.contains(
        "default decision := {\"allow\": false, \"rule_id\": \"input_invalid\", \
         \"reason\": \"input invalid: the input could not be checked\"}\n"
    ));
    assert!(rego.contains(
        "decision := {\"allow\": false, \"rule_id\": \"input_invalid\", \
         \"reason\": schema.reason(input_problems)} if {\n\tcount(input_problems) > 0\n"
    ));
    // No branch after the first decides without a valid input; the default branch neither.
    let chain = rego.split("decision := ").nth(2).unwrap();
    let branches = chain.split("} else := ").count();
    assert_eq!(
        chain.matches("\tinput_valid\n").count(),
        branches - 1,
        "{rego}"
    );
}

fn demo_policy_with(decls: &str, subject: &str, rules: &str) -> String {
    let files = emit(&model(&format!(
        "{DEMO_PREFIX}{decls}action act on Doc by {subject}\n\
         policy p on Doc by {subject} version \"1.0.0\" default deny \"no\"\n{{\n{rules}\n}}\n"
    )));
    text(&files, "charter/demo/p/policy.rego").to_string()
}
