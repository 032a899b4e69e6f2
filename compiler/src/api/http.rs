//! The HTTP rules of every HTTP target (OpenAPI now, SDKs later): the success status, the
//! content type, the `traceparent`, `Charter-Verdict` and `Charter-Verdict-Signature` headers,
//! the `Deprecation` (RFC 9745) and `Sunset` (RFC 8594) header values, structured-field strings
//! (RFC 9651) and reason phrases.

use crate::ir::{Deprecation, Effect, Operation, Policy, Service};
use crate::literal::Date;

/// The content type of every request and response body.
pub const CONTENT_TYPE: &str = "application/json";

/// The W3C Trace Context request header every operation takes (version `00`).
pub const TRACEPARENT: &str = "traceparent";

/// What a `traceparent` value matches: `version-trace_id-parent_id-trace_flags`.
pub const TRACEPARENT_PATTERN: &str = "^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$";

/// An example `traceparent` value.
pub const TRACEPARENT_EXAMPLE: &str = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

/// The response header carrying the verdict of the policy that guards an operation.
pub const VERDICT_HEADER: &str = "Charter-Verdict";

/// The response header carrying a compact JWS (ES256) over the [`VERDICT_HEADER`] value bound to
/// the request it answers (docs/sdk.md, "Signed verdicts").
pub const VERDICT_SIGNATURE_HEADER: &str = "Charter-Verdict-Signature";

/// What a [`VERDICT_SIGNATURE_HEADER`] value matches: three base64url parts (a compact JWS).
pub const VERDICT_SIGNATURE_PATTERN: &str = "^[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+$";

/// An example [`VERDICT_SIGNATURE_HEADER`] value: the `valid-get` case of the signed-verdict
/// test vectors (`tests/sdk/vectors/verdicts.json`), a real ES256 signature by their key `k1`.
pub const VERDICT_SIGNATURE_EXAMPLE: &str = concat!(
    "eyJhbGciOiJFUzI1NiIsImtpZCI6ImsxIiwidHlwIjoiY2hhcnRlci12ZXJkaWN0K2p3cyJ9.",
    "eyJtZXRob2QiOiJHRVQiLCJwYXRoIjoiL3YxL2RhdGFzZXRzL2QtNz9maWVsZHM9bmFtZSZsaW1pdD0x",
    "MCIsInRyYWNlX2lkIjoiNGJmOTJmMzU3N2IzNGRhNmEzY2U5MjlkMGUwZTQ3MzYiLCJ2ZXJkaWN0Ijoi",
    "YWxsb3c9PzEsIGRlY2lkZXI9XCJzdW1taXQucG9saWN5LmRhdGFzZXRfYWNjZXNzXCIsIHJ1bGVfaWQ9",
    "XCJyZWFkX3dpdGhpbl9jbGVhcmFuY2VcIiwgcmVhc29uPVwic2FtZS10ZW5hbnQgcmVhZCB3aXRoaW4g",
    "Y2xlYXJhbmNlXCIsIHBvbGljeV92ZXJzaW9uPVwiMS40LjBcIiwgY2FuYXJ5PSgpIn0",
    ".jgrmYsokjCYg_sWrCY7bjzxwgiTt-whAy1JM3tkvDpCYvLOPxEGdvTyztsy3ZjPe4TZX-EFd9ph5bcFcqkD1_g",
);

/// The RFC 9745 response header of a deprecated operation.
pub const DEPRECATION_HEADER: &str = "Deprecation";

/// The RFC 8594 response header of an operation with a sunset date.
pub const SUNSET_HEADER: &str = "Sunset";

/// The status of a successful call: [`Operation::success_status`] (the declared `@status`, else
/// `200` with a result and `204 No Content` without one).
pub fn success_status(op: &Operation) -> u16 {
    op.success_status()
}

/// Whether responses carry the [`VERDICT_HEADER`]: the operation is `guarded by` a policy.
pub fn sends_verdict(op: &Operation) -> bool {
    op.guard.is_some()
}

/// The deprecation of an operation: its own, or its service's.
pub fn deprecation<'m>(service: &'m Service, op: &'m Operation) -> Option<&'m Deprecation> {
    op.deprecated.as_deref().or(service.deprecated.as_deref())
}

/// Seconds since the Unix epoch of `date` at 00:00:00 UTC.
pub fn unix_seconds(date: Date) -> i64 {
    date.days_since_epoch() * 86_400
}

/// The `Deprecation` header value (RFC 9745): a structured-field date, `@<unix seconds>`.
pub fn deprecation_value(since: Date) -> String {
    format!("@{}", unix_seconds(since))
}

/// The `Sunset` header value (RFC 8594): the IMF-fixdate of the day at 00:00:00 GMT, such as
/// `Wed, 30 Jun 2027 00:00:00 GMT`.
pub fn http_date(date: Date) -> String {
    const DAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    // 1970-01-01 was a Thursday.
    let weekday = usize::try_from((date.days_since_epoch() + 4).rem_euclid(7)).unwrap_or(0);
    let month = usize::try_from(date.month.saturating_sub(1)).unwrap_or(0);
    format!(
        "{}, {:02} {} {:04} 00:00:00 GMT",
        DAYS.get(weekday).copied().unwrap_or("Thu"),
        date.day,
        MONTHS.get(month).copied().unwrap_or("Jan"),
        date.year
    )
}

/// A structured-field string (RFC 9651 §3.3.3), or a Display String (§3.3.8, `%"..."`, UTF-8
/// percent-encoded) when the text is not printable ASCII.
pub fn sf_string(text: &str) -> String {
    if text.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        let mut out = String::from("\"");
        for c in text.chars() {
            if c == '"' || c == '\\' {
                out.push('\\');
            }
            out.push(c);
        }
        out.push('"');
        out
    } else {
        let mut out = String::from("%\"");
        for b in text.bytes() {
            if b == b'%' || b == b'"' || !(0x20..0x7f).contains(&b) {
                out.push_str(&format!("%{b:02x}"));
            } else {
                out.push(char::from(b));
            }
        }
        out.push('"');
        out
    }
}

/// An example `Charter-Verdict` value from `policy`: its first enforced `allow` rule, or its
/// default.
pub fn verdict_example(p: &Policy) -> String {
    let (allow, rule, reason) = match p
        .rules
        .iter()
        .find(|r| r.effect == Effect::Allow && !r.canary)
    {
        Some(r) => (true, r.name.as_str(), r.reason.as_str()),
        None => (
            p.default_effect == Effect::Allow,
            "default",
            p.default_reason.as_str(),
        ),
    };
    format!(
        "allow={}, decider={}, rule_id={}, reason={}, policy_version={}, canary=()",
        if allow { "?1" } else { "?0" },
        sf_string(&p.name.to_string()),
        sf_string(rule),
        sf_string(reason),
        sf_string(&p.version),
    )
}

/// The reason phrase of a status code (RFC 9110 and the registry), or a generic one.
pub fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        201 => "Created",
        202 => "Accepted",
        203 => "Non-Authoritative Information",
        204 => "No Content",
        205 => "Reset Content",
        206 => "Partial Content",
        207 => "Multi-Status",
        400 => "Bad Request",
        401 => "Unauthorized",
        402 => "Payment Required",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        406 => "Not Acceptable",
        408 => "Request Timeout",
        409 => "Conflict",
        410 => "Gone",
        412 => "Precondition Failed",
        413 => "Content Too Large",
        415 => "Unsupported Media Type",
        422 => "Unprocessable Content",
        423 => "Locked",
        428 => "Precondition Required",
        429 => "Too Many Requests",
        451 => "Unavailable For Legal Reasons",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ if status < 300 => "Success",
        _ if status < 500 => "Client Error",
        _ => "Server Error",
    }
}
