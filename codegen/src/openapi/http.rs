//! HTTP details: the `Deprecation` (RFC 9745) and `Sunset` (RFC 8594) header values, the verdict
//! header, structured-field strings (RFC 9651) and status reason phrases.

use charter::ir::{Deprecation, Effect, Policy};
use charter::literal::Date;
use serde_json::{Map, Value as Json, json};

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
        "Deprecation".into(),
        json!({
            "description": description,
            "schema": { "type": "string", "const": value },
            "example": value,
        }),
    );
    if let Some(sunset) = d.sunset {
        let value = http_date(sunset);
        headers.insert(
            "Sunset".into(),
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
        let example = format!(
            "allow={}, decider={}, rule_id={}, reason={}, policy_version={}, canary=()",
            if allow { "?1" } else { "?0" },
            sf_string(&p.name.to_string()),
            sf_string(rule),
            sf_string(reason),
            sf_string(&p.version),
        );
        out.insert("example".into(), json!(example));
    }
    Json::Object(out)
}

/// The reason phrase of a status code (RFC 9110 and the registry), or a generic one.
pub fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        204 => "No Content",
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
        _ if status < 500 => "Client Error",
        _ => "Server Error",
    }
}
