//! HTTP details as OpenAPI objects: the `Deprecation` (RFC 9745) and `Sunset` (RFC 8594)
//! response headers and the verdict and verdict signature headers. Their values and the rules
//! behind them are `charter::api::http`'s.

use charter::api::http::{
    DEPRECATION_HEADER, SUNSET_HEADER, VERDICT_SIGNATURE_EXAMPLE, VERDICT_SIGNATURE_PATTERN,
    deprecation_value, http_date, verdict_example,
};
use charter::ir::{Deprecation, Policy};
use serde_json::{Map, Value as Json, json};

/// Every argument of `@deprecated`, as `x-charter-deprecation`.
pub fn deprecation_extension(d: &Deprecation) -> Json {
    let mut out = Map::new();
    out.insert("since".into(), json!(d.since.to_string()));
    if let Some(sunset) = d.sunset {
        out.insert("sunset".into(), json!(sunset.to_string()));
    }
    if let Some(replacement) = &d.replacement {
        out.insert("use".into(), json!(replacement));
    }
    if let Some(note) = &d.note {
        out.insert("note".into(), json!(note));
    }
    if let Some(version) = &d.version {
        out.insert("version".into(), json!(version));
    }
    Json::Object(out)
}

/// The `Deprecation` and `Sunset` response headers of a deprecated operation.
pub fn deprecation_headers(d: &Deprecation, headers: &mut Map<String, Json>) {
    let value = deprecation_value(d.since);
    let mut description = format!(
        "RFC 9745: this operation is deprecated since {} (`{value}`).",
        d.since
    );
    if let Some(replacement) = &d.replacement {
        description.push_str(&format!(" Use the operation `{replacement}` instead."));
    }
    if let Some(note) = &d.note {
        description.push(' ');
        description.push_str(note);
    }
    headers.insert(
        DEPRECATION_HEADER.into(),
        json!({
            "description": description,
            "schema": { "type": "string", "const": value },
            "example": value,
        }),
    );
    if let Some(sunset) = d.sunset {
        let value = http_date(sunset);
        headers.insert(
            SUNSET_HEADER.into(),
            json!({
                "description": format!(
                    "RFC 8594: the operation goes away on {sunset} (`{value}`)."
                ),
                "schema": { "type": "string", "const": value },
                "example": value,
            }),
        );
    }
}

/// The `Charter-Verdict` response header: the verdict of the guarding policy, with an example
/// taken from `policy` (its first `allow` rule, or its default).
pub fn verdict_header(policy: Option<&Policy>) -> Json {
    let description = "The verdict of the policy that guards the operation (`std.verdict.Verdict`), \
        as a structured-field dictionary (RFC 9651): `allow` (boolean, `?1` or `?0`), `decider` \
        (string: the policy's full name), `rule_id` (string: the deciding rule, or `default`), \
        `reason` (string: the deciding rule's `because` text; a Display String `%\"...\"` when \
        it is not ASCII), `policy_version` (string) and `canary` (inner list of strings: the \
        canary rules that would have changed the outcome). Sent on every response, allowed or \
        denied.";
    let mut out = Map::new();
    out.insert("description".into(), json!(description));
    out.insert("schema".into(), json!({ "type": "string" }));
    if let Some(p) = policy {
        let example = verdict_example(p);
        out.insert("example".into(), json!(example));
    }
    Json::Object(out)
}

/// The `Charter-Verdict-Signature` response header: a compact JWS (ES256) over the verdict bound
/// to the request it answers (docs/sdk.md, "Signed verdicts"), sent by services that sign.
pub fn verdict_signature_header() -> Json {
    json!({
        "description": "A compact JWS (RFC 7515, ES256, protected header \
            `{\"alg\":\"ES256\",\"kid\":KID,\"typ\":\"charter-verdict+jws\"}`) whose payload \
            binds the `Charter-Verdict` value to the request it answers: its method, path and \
            query, `traceparent` trace id and the SHA-256 digest of its body. Sent when the \
            service signs its verdicts; a client configured with verification keys refuses a \
            guarded response whose verdict is unsigned, signed by an unknown key, tampered \
            with, or signed for another request. See the SDK documentation (docs/sdk.md, \
            \"Signed verdicts\").",
        "required": false,
        "schema": {
            "type": "string",
            "pattern": VERDICT_SIGNATURE_PATTERN,
        },
        "example": VERDICT_SIGNATURE_EXAMPLE,
    })
}
