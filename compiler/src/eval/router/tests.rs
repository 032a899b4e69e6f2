use super::*;
use crate::testing::checked_model;

/// Two policies decide `read` on `Doc` (one allows admins, one denies the unapproved), one decides
/// `read` on `Log`, and nothing decides `write`'s other resource.
const SOURCE: &str = "package demo\n\
    entity User { id: string, admin: bool }\n\
    entity Doc { id: string, approved: bool }\n\
    entity Log { id: string }\n\
    action read on Doc by User\n\
    action read_log on Log by User\n\
    action write on Doc by User\n\
    policy a on Doc by User version \"1.0.0\" default deny \"a: closed\" {\n  \
      allow admins when subject.admin because \"a: admins read\"\n}\n\
    policy b on Doc by User version \"2.0.0\" default allow \"b: open\" {\n  \
      deny unapproved when action == read and not resource.approved because \"b: unapproved\"\n}\n\
    policy c on Log by User version \"3.0.0\" default allow \"c: open\" {\n  \
      deny nobody when action == read_log and not subject.admin because \"c: admins only\"\n}\n";

fn model() -> Model {
    let (config, _) =
        crate::workspace::manifest("[package]\nname = \"demo\"\nversion = \"9.9.9\"\n");
    checked_model(config, vec![("src/demo.charter".into(), SOURCE.into())]).unwrap()
}

fn routed(input: &str) -> (Verdict, Vec<String>) {
    let model = model();
    let input = Json::parse(input).unwrap();
    let routed = route(&model, &input);
    let names = routed
        .decisions
        .iter()
        .map(|(p, _)| p.name.to_string())
        .collect();
    (routed.verdict, names)
}

const ADMIN: &str = r#""subject": {"id": "u", "admin": true}"#;
const USER: &str = r#""subject": {"id": "u", "admin": false}"#;
const APPROVED: &str = r#""resource": {"id": "d", "approved": true}"#;
const UNAPPROVED: &str = r#""resource": {"id": "d", "approved": false}"#;

#[test]
fn every_applicable_policy_decides_and_a_denial_wins() {
    // Both allow: the first in model order is named.
    let (v, names) = routed(&format!(r#"{{"action": "read", {ADMIN}, {APPROVED}}}"#));
    assert_eq!(names, ["demo.a", "demo.b"]);
    assert!(v.allow);
    assert_eq!(
        (v.decider.as_str(), v.rule_id.as_str()),
        ("demo.a", "admins")
    );
    // `b` denies while `a` allows: `b`'s denial decides.
    let (v, _) = routed(&format!(r#"{{"action": "read", {ADMIN}, {UNAPPROVED}}}"#));
    assert!(!v.allow);
    assert_eq!(
        (v.decider.as_str(), v.rule_id.as_str()),
        ("demo.b", "unapproved")
    );
    assert_eq!(v.policy_version, "2.0.0");
    // Both deny: the first denial in model order (`a`'s default).
    let (v, _) = routed(&format!(r#"{{"action": "read", {USER}, {UNAPPROVED}}}"#));
    assert_eq!(
        (v.decider.as_str(), v.rule_id.as_str()),
        ("demo.a", "default")
    );
}

#[test]
fn a_policy_the_input_does_not_fit_denies() {
    // A resource that fits neither `Doc`: both policies deny it, the first one is named.
    let (v, names) = routed(&format!(
        r#"{{"action": "read", {ADMIN}, "resource": {{"id": 1}}}}"#
    ));
    assert_eq!(names, ["demo.a", "demo.b"]);
    assert!(!v.allow);
    assert_eq!(
        (v.decider.as_str(), v.rule_id.as_str()),
        ("demo.a", "input_invalid")
    );
}

#[test]
fn input_policy_narrows_to_that_policy() {
    let (v, names) = routed(&format!(
        r#"{{"action": "read", "policy": "demo.a", {ADMIN}, {UNAPPROVED}}}"#
    ));
    assert_eq!(names, ["demo.a"]);
    assert!(v.allow);
    let (v, names) = routed(&format!(
        r#"{{"action": "read", "policy": "demo.c", {ADMIN}, {APPROVED}}}"#
    ));
    assert!(names.is_empty());
    assert_eq!(
        (
            v.allow,
            v.decider.as_str(),
            v.rule_id.as_str(),
            v.reason.as_str()
        ),
        (
            false,
            ROUTER,
            POLICY_NOT_APPLICABLE,
            "policy `demo.c` does not decide `read`"
        )
    );
    assert_eq!(v.policy_version, "9.9.9");
    let (v, _) = routed(r#"{"action": "read", "policy": "demo.a", "resource_type": "demo.Log"}"#);
    assert_eq!(
        v.reason,
        "policy `demo.a` does not decide `read` on `demo.Log`"
    );
}

#[test]
fn no_policy_and_several_resource_types_are_router_denials() {
    let (v, _) = routed(r#"{"action": "delete"}"#);
    assert_eq!(
        (v.rule_id.as_str(), v.reason.as_str()),
        (NO_POLICY, "no policy decides `delete`")
    );
    let (v, _) = routed(r#"{"action": "read", "resource_type": "demo.Log"}"#);
    assert_eq!(v.reason, "no policy decides `read` on `demo.Log`");
    let (v, names) = routed(&format!(
        r#"{{"action": "read_log", "resource_type": "demo.Log", {ADMIN}, "resource": {{"id": "l"}}}}"#
    ));
    assert_eq!(
        (names, v.allow, v.decider.as_str()),
        (vec!["demo.c".to_string()], true, "demo.c")
    );
}

#[test]
fn several_resource_types_need_resource_type() {
    let source = SOURCE
        .replace(
            "action read_log on Log by User",
            "action read on Log by User",
        )
        .replace("action == read_log", "action == read");
    let (config, _) =
        crate::workspace::manifest("[package]\nname = \"demo\"\nversion = \"1.0.0\"\n");
    let model = checked_model(config, vec![("src/demo.charter".into(), source)]).unwrap();
    let v = route(&model, &Json::parse(r#"{"action": "read"}"#).unwrap()).verdict;
    assert_eq!(v.rule_id, RESOURCE_TYPE_REQUIRED);
    assert_eq!(
        v.reason,
        "`read` is decided on several resource types (demo.Doc, demo.Log): name one in `resource_type`"
    );
    let input = Json::parse(r#"{"action": "read", "resource_type": "demo.Log", "subject": {"id": "u", "admin": true}, "resource": {"id": "l"}}"#).unwrap();
    let routed = route(&model, &input);
    assert_eq!(routed.verdict.decider, "demo.c");
    assert_eq!(routed.decisions.len(), 1);
}

#[test]
fn malformed_inputs_are_router_denials() {
    for (input, reason) in [
        ("[]", "input invalid: $: the input must be an object"),
        ("{}", "input invalid: $.action: missing"),
        (
            r#"{"action": 1}"#,
            "input invalid: $.action: expected string, found number",
        ),
        (
            r#"{"action": "read", "policy": null}"#,
            "input invalid: $.policy: expected string, found null",
        ),
        (
            r#"{"action": "read", "resource_type": []}"#,
            "input invalid: $.resource_type: expected string, found array",
        ),
        // The fields in path order: `action` before `policy`.
        (r#"{"policy": false}"#, "input invalid: $.action: missing"),
    ] {
        let (v, names) = routed(input);
        assert!(names.is_empty(), "{input}");
        assert_eq!(
            (
                v.allow,
                v.decider.as_str(),
                v.rule_id.as_str(),
                v.reason.as_str()
            ),
            (false, ROUTER, ROUTER_INPUT_INVALID, reason),
            "{input}"
        );
        assert!(v.canary.is_empty());
    }
}

#[test]
fn several_policies_each_read_their_own_context() {
    let source = "package demo\n\
        entity User { id: string }\n\
        entity Doc { id: string }\n\
        context Mfa { mfa: bool }\n\
        context Ticket { ticket: string? }\n\
        action read on Doc by User\n\
        policy a on Doc by User with Mfa default deny \"a\" {\n  \
          allow mfa when context.mfa because \"a: mfa\"\n}\n\
        policy b on Doc by User with Ticket default deny \"b\" {\n  \
          allow ticket when has context.ticket because \"b: ticket\"\n}\n";
    let (config, _) =
        crate::workspace::manifest("[package]\nname = \"demo\"\nversion = \"1.0.0\"\n");
    let model = checked_model(config, vec![("src/demo.charter".into(), source.into())]).unwrap();
    let decide = |context: &str| {
        let text = format!(
            r#"{{"action": "read", "subject": {{"id": "u"}}, "resource": {{"id": "d"}}, "context": {context}}}"#
        );
        route(&model, &Json::parse(&text).unwrap()).verdict
    };
    // One context object with both policies' attributes: each reads its own.
    let v = decide(r#"{"mfa": true, "ticket": "T-1"}"#);
    assert_eq!(
        (v.allow, v.decider.as_str(), v.rule_id.as_str()),
        (true, "demo.a", "mfa")
    );
    let v = decide(r#"{"mfa": true}"#);
    assert_eq!(
        (v.allow, v.decider.as_str(), v.rule_id.as_str()),
        (false, "demo.b", "default")
    );
    // `a` still requires its own attribute.
    let v = decide(r#"{"ticket": "T-1"}"#);
    assert_eq!(
        (v.decider.as_str(), v.rule_id.as_str()),
        ("demo.a", "input_invalid")
    );
    // An attribute neither declares is the router's problem.
    let v = decide(r#"{"mfa": true, "ticket": "T-1", "zz": 1, "aa": 2}"#);
    assert_eq!(
        (v.rule_id.as_str(), v.reason.as_str()),
        (
            ROUTER_INPUT_INVALID,
            "input invalid: $.context.aa: not an attribute of any applicable policy's context"
        )
    );
    // Naming one policy: its own rules, unknown attributes as it reports them.
    let text = r#"{"action": "read", "policy": "demo.a", "subject": {"id": "u"}, "resource": {"id": "d"}, "context": {"mfa": true, "ticket": "T"}}"#;
    let v = route(&model, &Json::parse(text).unwrap()).verdict;
    assert_eq!(
        (v.decider.as_str(), v.rule_id.as_str()),
        ("demo.a", "input_invalid")
    );
}
