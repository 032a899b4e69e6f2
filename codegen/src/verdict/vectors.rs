//! The signed-verdict test vectors (`tests/sdk/vectors/verdicts.json`): written by this
//! reference implementation, checked here, and answered alike by every SDK runtime (the
//! TypeScript one in `tests/sdk/`). Regenerate with `CHARTER_UPDATE_VECTORS=1 cargo test -p
//! charter-codegen verdict`.

#![expect(
    clippy::disallowed_methods,
    reason = "the test reads, and on request rewrites, the committed vectors"
)]

use p256::ecdsa::SigningKey;
use serde_json::{Value as Json, json};
use sha2::Digest as _;

use super::{Binding, Key, check, private_jwk, public_jwk, sfv};

const VERDICT: &str = "allow=?1, decider=\"summit.policy.dataset_access\", \
    rule_id=\"read_within_clearance\", reason=\"same-tenant read within clearance\", \
    policy_version=\"1.4.0\", canary=()";
const DENY: &str = "allow=?0, decider=\"summit.policy.dataset_access\", rule_id=\"default\", \
    reason=%\"refus%c3%a9\", policy_version=\"1.4.0\", canary=(\"strict_export\")";
const TRACE: &str = "4bf92f3577b34da6a3ce929d0e0e4736";
const OTHER_TRACE: &str = "0af7651916cd43dd8448eb211c80319c";
const BODY: &str = "{\"dataset\":\"d-7\",\"rows\":3}";

/// A fixed key: the scalar is SHA-256 of `seed`.
fn key(seed: &str) -> SigningKey {
    SigningKey::from_slice(&sha2::Sha256::digest(seed.as_bytes())).unwrap()
}

struct Request {
    method: &'static str,
    path: &'static str,
    trace_id: &'static str,
    body: Option<&'static str>,
}

impl Request {
    fn binding(&self) -> Binding<'_> {
        Binding {
            method: self.method,
            path: self.path,
            trace_id: self.trace_id,
            body: self.body.map(str::as_bytes),
        }
    }
    fn json(&self) -> Json {
        let mut out =
            json!({ "method": self.method, "path": self.path, "trace_id": self.trace_id });
        if let Some(body) = self.body {
            out["body"] = json!(body);
        }
        out
    }
}

const GET: Request = Request {
    method: "GET",
    path: "/v1/datasets/d-7?fields=name&limit=10",
    trace_id: TRACE,
    body: None,
};
const POST: Request = Request {
    method: "POST",
    path: "/v1/datasets/d-7/rows",
    trace_id: TRACE,
    body: Some(BODY),
};

/// Replaces the `index`th dot-separated part of a compact JWS.
fn replace_part(jws: &str, index: usize, part: &str) -> String {
    let mut parts: Vec<&str> = jws.split('.').collect();
    parts[index] = part;
    parts.join(".")
}

fn b64(text: &str) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(text)
}

/// A case: name, what it shows, verdict header, the request the client sent, the signature
/// header, the expected outcome.
type Case<'a> = (
    &'a str,
    &'a str,
    Option<&'a str>,
    &'a Request,
    Option<String>,
    &'a str,
);

fn vectors() -> Json {
    let k1 = key("charter verdict test key k1");
    let k2 = key("charter verdict test key k2");
    let sign = |verdict: &str, request: &Request, kid: &str, key: &SigningKey| {
        super::sign(verdict, request.binding(), kid, key)
    };
    let get_signed = sign(VERDICT, &GET, "k1", &k1);
    let post_signed = sign(VERDICT, &POST, "k1", &k1);
    let mut flipped = get_signed.clone().into_bytes();
    let last = flipped.len() - 2;
    flipped[last] = if flipped[last] == b'A' { b'B' } else { b'A' };
    let flipped = String::from_utf8(flipped).unwrap();
    let other_payload = b64(&super::payload(DENY, GET.binding()));
    let garbled =
        "allow=yes, decider=\"summit.policy.dataset_access\", rule_id=\"r\", reason=\"x\"";
    let no_decider = "allow=?1, rule_id=\"r\", reason=\"x\"";
    let unsigned_header = |header: &str, request: &Request| {
        let payload = b64(&super::payload(VERDICT, request.binding()));
        format!(
            "{}.{payload}.{}",
            b64(header),
            get_signed.rsplit('.').next().unwrap()
        )
    };
    // (name, what it shows, verdict header, request the client sent, signature, outcome)
    let cases: Vec<Case> = vec![
        (
            "valid-get",
            "a GET with a query, signed by k1",
            Some(VERDICT),
            &GET,
            Some(get_signed.clone()),
            "valid",
        ),
        (
            "valid-post",
            "a POST with a body, signed by k1",
            Some(VERDICT),
            &POST,
            Some(post_signed.clone()),
            "valid",
        ),
        (
            "valid-deny",
            "a denial whose reason is a Display String and with a canary",
            Some(DENY),
            &GET,
            Some(sign(DENY, &GET, "k1", &k1)),
            "valid",
        ),
        (
            "missing-verdict",
            "no Charter-Verdict header",
            None,
            &GET,
            Some(get_signed.clone()),
            "missing",
        ),
        (
            "malformed-verdict",
            "`allow` is not a boolean (the signature over it is valid)",
            Some(garbled),
            &GET,
            Some(sign(garbled, &GET, "k1", &k1)),
            "malformed",
        ),
        (
            "verdict-without-decider",
            "a required member is absent",
            Some(no_decider),
            &GET,
            Some(sign(no_decider, &GET, "k1", &k1)),
            "malformed",
        ),
        (
            "unsigned",
            "no Charter-Verdict-Signature header",
            Some(VERDICT),
            &GET,
            None,
            "unsigned",
        ),
        (
            "unknown-key",
            "signed by k2, which the client does not know",
            Some(VERDICT),
            &GET,
            Some(sign(VERDICT, &GET, "k2", &k2)),
            "unknown-key",
        ),
        (
            "wrong-key",
            "signed by k2's private key under k1's key id",
            Some(VERDICT),
            &GET,
            Some(sign(VERDICT, &GET, "k1", &k2)),
            "bad-signature",
        ),
        (
            "tampered-verdict",
            "the verdict was changed after signing (the signature covers the denial)",
            Some(VERDICT),
            &GET,
            Some(sign(DENY, &GET, "k1", &k1)),
            "bad-signature",
        ),
        (
            "tampered-signature",
            "one character of the signature changed",
            Some(VERDICT),
            &GET,
            Some(flipped),
            "bad-signature",
        ),
        (
            "tampered-payload",
            "the payload swapped for another, the signature kept",
            Some(DENY),
            &GET,
            Some(replace_part(&get_signed, 1, &other_payload)),
            "bad-signature",
        ),
        (
            "not-a-jws",
            "two parts only",
            Some(VERDICT),
            &GET,
            Some(get_signed.rsplit_once('.').unwrap().0.to_string()),
            "bad-signature",
        ),
        (
            "alg-none",
            "the header says `none`",
            Some(VERDICT),
            &GET,
            Some(unsigned_header(
                "{\"alg\":\"none\",\"kid\":\"k1\",\"typ\":\"charter-verdict+jws\"}",
                &GET,
            )),
            "bad-signature",
        ),
        (
            "wrong-type",
            "the header's `typ` is not charter-verdict+jws",
            Some(VERDICT),
            &GET,
            Some(unsigned_header(
                "{\"alg\":\"ES256\",\"kid\":\"k1\",\"typ\":\"JWT\"}",
                &GET,
            )),
            "bad-signature",
        ),
        (
            "replay-other-path",
            "the GET's signed verdict replayed onto another path",
            Some(VERDICT),
            &Request {
                path: "/v1/datasets/d-8?fields=name&limit=10",
                ..GET
            },
            Some(get_signed.clone()),
            "wrong-request",
        ),
        (
            "replay-other-query",
            "the GET's signed verdict replayed onto another query",
            Some(VERDICT),
            &Request {
                path: "/v1/datasets/d-7?fields=name&limit=11",
                ..GET
            },
            Some(get_signed.clone()),
            "wrong-request",
        ),
        (
            "replay-other-method",
            "the GET's signed verdict replayed onto a DELETE",
            Some(VERDICT),
            &Request {
                method: "DELETE",
                ..GET
            },
            Some(get_signed.clone()),
            "wrong-request",
        ),
        (
            "replay-other-trace",
            "the GET's signed verdict replayed onto another trace",
            Some(VERDICT),
            &Request {
                trace_id: OTHER_TRACE,
                ..GET
            },
            Some(get_signed),
            "wrong-request",
        ),
        (
            "replay-other-body",
            "the POST's signed verdict replayed onto another body",
            Some(VERDICT),
            &Request {
                body: Some("{\"dataset\":\"d-7\",\"rows\":4}"),
                ..POST
            },
            Some(post_signed.clone()),
            "wrong-request",
        ),
        (
            "replay-without-body",
            "the POST's signed verdict replayed onto a POST without a body",
            Some(VERDICT),
            &Request { body: None, ..POST },
            Some(post_signed),
            "wrong-request",
        ),
    ];
    let keys = [Key {
        kid: "k1".into(),
        key: *k1.verifying_key(),
    }];
    let cases: Vec<Json> = cases
        .into_iter()
        .map(
            |(name, description, verdict, request, signature, outcome)| {
                let got = check(verdict, signature.as_deref(), request.binding(), &keys)
                    .err()
                    .map_or("valid", super::Refusal::name);
                assert_eq!(got, outcome, "{name}");
                json!({
                    "name": name,
                    "description": description,
                    "verdict": verdict,
                    "signature": signature,
                    "request": request.json(),
                    "expected": outcome,
                })
            },
        )
        .collect();
    json!({
        "description": "Signed-verdict test vectors (docs/sdk.md, \"Signed verdicts\"). A client configured with `verification_keys` receives a guarded response with the `verdict` (Charter-Verdict; null: absent) and `signature` (Charter-Verdict-Signature; null: absent) headers for the `request` it sent (`body`: UTF-8 text, hashed as its bytes; absent: no body). It parses the verdict (missing, malformed), then verifies the signature (unsigned, unknown-key, bad-signature, wrong-request); `expected` is the first refusal, or `valid`. `signing_keys` hold the private JWKs that signed (ES256, RFC 6979 nonces). `parse` lists header values and the verdict each holds, or `malformed`.",
        "signature_header": super::SIGNATURE_HEADER,
        "verification_keys": [public_jwk("k1", k1.verifying_key())],
        "signing_keys": [private_jwk("k1", &k1), private_jwk("k2", &k2)],
        "cases": cases,
        "parse": parse_cases(),
    })
}

fn verdict_json(v: &sfv::Verdict) -> Json {
    let mut out = json!({
        "allow": v.allow, "decider": v.decider, "rule_id": v.rule_id, "reason": v.reason,
    });
    if let Some(p) = &v.policy {
        out["policy_version"] = json!(p);
    }
    if let Some(c) = v.confidence {
        out["confidence"] = json!(c);
    }
    if let Some(c) = &v.canary {
        out["canary"] = json!(c);
    }
    out
}

fn parse_cases() -> Vec<Json> {
    let headers = [
        VERDICT,
        DENY,
        "allow, decider=\"p\", rule_id=\"r\", reason=\"\"",
        "allow, decider=\"p\", rule_id=r, reason=\"\"",
        "allow=?1,decider=\"p\",rule_id=\"r\",reason=\"a \\\"quoted\\\" \\\\ reason\"",
        "allow=?0;signed, decider=\"p\";v=1, rule_id=\"r\", reason=\"x\", extra=(1 2.5 :AQID: @1772323200 tok/en);k",
        "allow=?0, allow=?1, decider=\"p\", rule_id=\"r\", reason=\"x\"",
        "allow=?1, decider=\"p\", rule_id=\"r\", reason=\"x\", confidence=0.875",
        "allow=?1, decider=\"p\", rule_id=\"r\", reason=\"x\", confidence=1",
        "allow=?1,\tdecider=\"p\", rule_id=\"r\", reason=\"x\"",
        "",
        "allow=?1, decider=\"p\", rule_id=\"r\", reason=\"x\",",
        "allow=?1, decider=\"p\", rule_id=\"r\", reason=\"x\" junk",
        "allow=1, decider=\"p\", rule_id=\"r\", reason=\"x\"",
        "Allow=?1, decider=\"p\", rule_id=\"r\", reason=\"x\"",
        "allow=?1, decider=\"p\", rule_id=\"r\", reason=\"bad \\n escape\"",
        "allow=?1, decider=\"p\", rule_id=\"r\", reason=\"unclosed",
        "allow=?1, decider=\"p\", rule_id=\"r\", reason=%\"caf%C3%A9\"",
        "allow=?1, decider=\"p\", rule_id=\"r\", reason=%\"%ff\"",
        "allow=?1, decider=\"p\", rule_id=\"r\", reason=\"x\", canary=(\"a\" b)",
        "allow=?1, decider=\"p\", rule_id=\"r\", reason=\"x\", canary=(\"a\"",
        "allow=?1, decider=\"p\", rule_id=\"r\", reason=\"x\", confidence=0.1234",
        "allow=?1, decider=\"p\", rule_id=\"r\", reason=\"x\", confidence=\"high\"",
        "allow=?1, decider=\"p\", rule_id=\"r\", reason=\"x\", policy_version=2",
        "allow=?1, decider=\"p\", rule_id=\"r\", reason=\"x\", n=1234567890123456",
    ];
    headers
        .iter()
        .map(|h| {
            let expected = sfv::parse_verdict(h).map_or(json!("malformed"), |v| verdict_json(&v));
            json!({ "header": h, "expected": expected })
        })
        .collect()
}

fn path() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/sdk/vectors/verdicts.json")
}

#[test]
fn the_committed_vectors_are_the_reference_answers() {
    let text = format!("{}\n", serde_json::to_string_pretty(&vectors()).unwrap());
    if std::env::var_os("CHARTER_UPDATE_VECTORS").is_some() {
        std::fs::create_dir_all(path().parent().unwrap()).unwrap();
        std::fs::write(path(), &text).unwrap();
    }
    let committed = std::fs::read_to_string(path()).unwrap_or_default();
    assert!(
        committed == text,
        "tests/sdk/vectors/verdicts.json differs from what the reference writes; \
         rerun with CHARTER_UPDATE_VECTORS=1 and review the diff"
    );
}

#[test]
fn the_committed_vectors_verify_as_labelled() {
    let vectors: Json = serde_json::from_str(&std::fs::read_to_string(path()).unwrap()).unwrap();
    let keys: Vec<Key> = vectors["verification_keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|jwk| Key {
            kid: jwk["kid"].as_str().unwrap().into(),
            key: super::key_from_jwk(jwk).unwrap(),
        })
        .collect();
    for case in vectors["cases"].as_array().unwrap() {
        let request = &case["request"];
        let binding = Binding {
            method: request["method"].as_str().unwrap(),
            path: request["path"].as_str().unwrap(),
            trace_id: request["trace_id"].as_str().unwrap(),
            body: request
                .get("body")
                .and_then(Json::as_str)
                .map(str::as_bytes),
        };
        let got = check(
            case["verdict"].as_str(),
            case["signature"].as_str(),
            binding,
            &keys,
        )
        .err()
        .map_or("valid", super::Refusal::name);
        assert_eq!(got, case["expected"], "{}", case["name"]);
    }
    for case in vectors["parse"].as_array().unwrap() {
        let header = case["header"].as_str().unwrap();
        let got = sfv::parse_verdict(header).map_or(json!("malformed"), |v| verdict_json(&v));
        assert_eq!(got, case["expected"], "{header}");
    }
}

#[test]
fn private_jwks_round_trip_and_sign_what_they_verify() {
    let k = key("charter verdict test key k1");
    let jwk = private_jwk("k1", &k);
    assert_eq!(super::key_from_jwk(&jwk).unwrap(), *k.verifying_key());
    let signed = super::sign(VERDICT, POST.binding(), "k1", &k);
    let keys = [Key {
        kid: "k1".into(),
        key: *k.verifying_key(),
    }];
    assert_eq!(
        super::verify(VERDICT, Some(&signed), POST.binding(), &keys),
        Ok(())
    );
}

#[test]
fn the_openapi_example_signature_is_the_valid_get_vector() {
    let vectors = vectors();
    let case = vectors["cases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "valid-get")
        .unwrap();
    assert_eq!(
        case["signature"],
        json!(charter::api::http::VERDICT_SIGNATURE_EXAMPLE)
    );
}
