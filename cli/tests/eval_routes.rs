//! `charter eval` without `--policy` (the router) and with `--egress`: the binary's output and
//! exit codes (the decisions themselves: `charter::eval::{router, egress}` and tests/opa).

#![expect(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests fail loudly"
)]

mod support;
use support::{charter, stderr};

const MANIFEST: &[u8] = b"[package]\nname = \"t\"\nversion = \"0.1.0\"\n";
const SOURCE: &[u8] = b"package t\n\n\
entity User { id: string, admin: bool }\n\
entity Doc { id: string }\n\
action read on Doc by User\n\n\
record Event with provenance {\n  id: string\n}\n\n\
service Events version \"1.0.0\" at \"/events\" {\n  op get GET \"/v1/events/{id}\" (id: string) -> Event\n}\n\n\
policy a on Doc by User default allow \"a: open\" {\n  deny outsiders when not subject.admin because \"a: admins only\"\n}\n\n\
policy b on Doc by User default allow \"b: open\" {}\n";

fn workspace() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("charter.toml"), MANIFEST).unwrap();
    std::fs::create_dir_all(dir.path().join("src")).unwrap();
    std::fs::write(dir.path().join("src/t.charter"), SOURCE).unwrap();
    dir
}

fn json_of(out: &std::process::Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", stderr(out)))
}

#[test]
fn without_policy_the_router_decides_and_names_every_applicable_policy() {
    let ws = workspace();
    let args = |admin: &str| {
        vec![
            "eval".to_string(),
            "--action".into(),
            "read".into(),
            "--subject".into(),
            format!("{{\"id\": \"u\", \"admin\": {admin}}}"),
            "--resource".into(),
            "{\"id\": \"d\"}".into(),
            "--format".into(),
            "json".into(),
        ]
    };
    let run = |admin: &str| {
        let args = args(admin);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        charter(&args, ws.path())
    };
    let out = run("false");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let doc = json_of(&out);
    assert_eq!(doc["verdict"]["allow"], false);
    assert_eq!(doc["policy"], "t.a");
    assert_eq!(doc["verdict"]["rule_id"], "outsiders");
    assert_eq!(doc["policies"], serde_json::json!(["t.a", "t.b"]));
    assert_eq!(doc["decisions"][1]["verdict"]["allow"], true);
    let doc = json_of(&run("true"));
    assert_eq!(
        (doc["verdict"]["allow"].clone(), doc["policy"].clone()),
        (true.into(), "t.a".into())
    );
    // Text: the verdict, then each policy's rules.
    let text = charter(
        &[
            "eval",
            "--action",
            "read",
            "--subject",
            "{\"id\": \"u\", \"admin\": false}",
            "--resource",
            "{\"id\": \"d\"}",
        ],
        ws.path(),
    );
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(
        text.starts_with("deny by outsiders (t.a): a: admins only\n2 policies apply"),
        "{text}"
    );
    assert!(text.contains("\npolicy t.b:\n"), "{text}");
}

#[test]
fn the_router_denies_explicitly() {
    let ws = workspace();
    let out = charter(&["eval", "--action", "fly", "--format", "json"], ws.path());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let doc = json_of(&out);
    assert_eq!(doc["verdict"]["rule_id"], "charter.router.no_policy");
    assert_eq!(doc["verdict"]["decider"], "charter.router");
    assert_eq!(doc["policy"], "charter.router");
    let out = charter(&["eval", "--format", "json"], ws.path());
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        json_of(&out)["verdict"]["reason"],
        "input invalid: $.action: missing"
    );
    let out = charter(
        &[
            "eval",
            "--action",
            "read",
            "--resource-type",
            "t.User",
            "--format",
            "json",
        ],
        ws.path(),
    );
    assert_eq!(
        json_of(&out)["verdict"]["reason"],
        "no policy decides `read` on `t.User`"
    );
}

#[test]
fn egress_checks_a_response() {
    let ws = workspace();
    let response = ws.path().join("response.json");
    std::fs::write(&response, b"{\"id\": \"e\"}").unwrap();
    let response = response.to_string_lossy().into_owned();
    let out = charter(
        &[
            "eval",
            "--egress",
            "--service",
            "t.Events",
            "--operation",
            "get",
            "--response",
            &response,
        ],
        ws.path(),
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8(out.stdout.clone()).unwrap(),
        "deny by charter.egress.response_invalid (charter.egress): response invalid: \
         $.response.provenance: missing required attribute of `Event`\n"
    );
    assert!(
        stderr(&out)
            .contains("error: $.response.provenance: missing required attribute of `Event`")
    );
    let out = charter(
        &[
            "eval",
            "--egress",
            "--service",
            "t.Events",
            "--operation",
            "nope",
            "--format",
            "json",
        ],
        ws.path(),
    );
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        json_of(&out)["verdict"]["rule_id"],
        "charter.egress.unknown_operation"
    );
    // `--egress` decides no request: the request's flags are refused.
    let out = charter(&["eval", "--egress", "--policy", "a"], ws.path());
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
}
