use super::*;
use crate::testing::checked_model;

const SOURCE: &str = "package demo\n\
    record Event with provenance { id: string }\n\
    record Page { items: list<Event>, next: string? }\n\
    record Plain { id: string }\n\
    service Events version \"1.0.0\" at \"/events\" {\n  \
      op get GET \"/v1/events/{id}\" (id: string) -> Event\n  \
      op list GET \"/v1/events\" () -> Page\n  \
      op plain GET \"/v1/plain\" () -> Plain\n  \
      op delete DELETE \"/v1/events/{id}\" (id: string)\n\
    }\n";

const ENVELOPE: &str = r#"{"origin": "o", "actor": "a", "timestamp": "2026-01-01T00:00:00Z", "confidence": 0.5, "simulated": false}"#;

fn check_text(input: &str) -> Verdict {
    let (config, _) =
        crate::workspace::manifest("[package]\nname = \"demo\"\nversion = \"3.0.0\"\n");
    let model = checked_model(config, vec![("src/demo.charter".into(), SOURCE.into())]).unwrap();
    check(&model, &Json::parse(input).unwrap()).0
}

fn of(operation: &str, response: &str) -> Verdict {
    check_text(&format!(
        r#"{{"service": "demo.Events", "operation": "{operation}", "response": {response}}}"#
    ))
}

#[test]
fn the_operations_checked_are_those_whose_result_reaches_provenance() {
    let (config, _) =
        crate::workspace::manifest("[package]\nname = \"demo\"\nversion = \"3.0.0\"\n");
    let model = checked_model(config, vec![("src/demo.charter".into(), SOURCE.into())]).unwrap();
    let names: Vec<&str> = checked_operations(&model)
        .iter()
        .map(|(_, op)| op.name.as_str())
        .collect();
    assert_eq!(names, ["get", "list"]);
}

#[test]
fn valid_envelopes_allow() {
    let v = of(
        "get",
        &format!(r#"{{"provenance": {ENVELOPE}, "id": "e"}}"#),
    );
    assert_eq!(
        (v.allow, v.rule_id.as_str(), v.decider.as_str()),
        (true, VALID, EGRESS)
    );
    let v = of(
        "list",
        &format!(r#"{{"items": [{{"provenance": {ENVELOPE}, "id": "e"}}]}}"#),
    );
    assert!(v.allow, "{v:?}");
    assert_eq!(v.policy_version, "3.0.0");
}

#[test]
fn the_first_offender_in_path_order_denies() {
    let v = of(
        "list",
        &format!(
            r#"{{"items": [{{"provenance": {ENVELOPE}, "id": "e"}}, {{"id": "f"}}, {{"provenance": null, "id": "g"}}]}}"#
        ),
    );
    assert_eq!(
        (v.allow, v.rule_id.as_str(), v.reason.as_str()),
        (
            false,
            RESPONSE_INVALID,
            "response invalid: $.response.items[1].provenance: missing required attribute of `Event`"
        )
    );
    let bad = ENVELOPE.replace("0.5", "1.5");
    let v = of("get", &format!(r#"{{"provenance": {bad}, "id": "e"}}"#));
    assert_eq!(
        v.reason,
        "response invalid: $.response.provenance.confidence: does not satisfy `float in 0.0..1.0`"
    );
    let v = of("get", "null");
    assert_eq!(
        v.reason,
        "response invalid: $.response: expected a `Event` object, found null"
    );
}

#[test]
fn no_provenance_unknown_and_malformed() {
    let v = of("plain", "{}");
    assert_eq!((v.allow, v.rule_id.as_str()), (true, NO_PROVENANCE));
    assert_eq!(
        v.reason,
        "the result of `demo.Events.plain` carries no provenance"
    );
    assert_eq!(of("delete", "null").rule_id, NO_PROVENANCE);
    let v = of("nope", "{}");
    assert_eq!((v.allow, v.rule_id.as_str()), (false, UNKNOWN_OPERATION));
    assert_eq!(v.reason, "no operation `nope` in service `demo.Events`");
    let v = check_text(r#"{"service": "demo.Nope", "operation": "get"}"#);
    assert_eq!(v.reason, "no service `demo.Nope`");
    for (input, reason) in [
        ("[]", "input invalid: $: the input must be an object"),
        (
            r#"{"service": "demo.Events"}"#,
            "input invalid: $.operation: missing",
        ),
        (
            r#"{"operation": 1}"#,
            "input invalid: $.operation: expected string, found number",
        ),
        (
            r#"{"operation": "get"}"#,
            "input invalid: $.service: missing",
        ),
    ] {
        let v = check_text(input);
        assert_eq!(
            (v.allow, v.rule_id.as_str(), v.reason.as_str()),
            (false, EGRESS_INPUT_INVALID, reason)
        );
    }
}

#[test]
fn members_are_read_by_wire_name_and_nullable_ones_may_be_null() {
    let source = "package demo\n\
        enum Grade { @wire(\"LOW\") low, high }\n\
        record Wired with provenance {\n  \
          @wire(\"event-id\") event_id: string\n  \
          @nullable note: string\n  \
          grade: Grade = low\n\
        }\n\
        service Events version \"1.0.0\" at \"/events\" {\n  \
          op wired GET \"/v1/wired\" () -> Wired\n\
        }\n";
    let (config, _) =
        crate::workspace::manifest("[package]\nname = \"demo\"\nversion = \"3.0.0\"\n");
    let model = checked_model(config, vec![("src/demo.charter".into(), source.into())]).unwrap();
    let verdict = |response: &str| {
        let input = format!(
            r#"{{"service": "demo.Events", "operation": "wired", "response": {response}}}"#
        );
        check(&model, &Json::parse(&input).unwrap()).0
    };
    let v = verdict(&format!(
        r#"{{"provenance": {ENVELOPE}, "event-id": "e", "note": null, "grade": "LOW"}}"#
    ));
    assert!(v.allow, "{v:?}");
    let v = verdict(&format!(
        r#"{{"provenance": {ENVELOPE}, "event_id": "e", "note": "n"}}"#
    ));
    // `event-id` sorts before `event_id`: the missing wire name is the first problem.
    assert_eq!(
        v.reason,
        "response invalid: $.response.event-id: missing required attribute of `Wired`"
    );
    let v = verdict(&format!(r#"{{"provenance": {ENVELOPE}, "event-id": "e"}}"#));
    assert_eq!(
        v.reason,
        "response invalid: $.response.note: missing required attribute of `Wired`"
    );
    let v = verdict(&format!(
        r#"{{"provenance": {ENVELOPE}, "event-id": "e", "note": "n", "grade": "low"}}"#
    ));
    assert_eq!(
        v.reason,
        "response invalid: $.response.grade: not a value of `Grade`"
    );
    let v = verdict(&format!(
        r#"{{"provenance": {ENVELOPE}, "event-id": null, "note": "n"}}"#
    ));
    assert_eq!(
        v.reason,
        "response invalid: $.response.event-id: expected string, found null"
    );
}
