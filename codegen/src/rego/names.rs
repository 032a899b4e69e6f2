//! Rego spelling: identifiers, references, string and number literals.

use charter::naming::REGO as KEYWORDS;

/// Names a rule must not take in a policy module: the module's own documents and the built-ins
/// it calls (a rule of that name would shadow the built-in). Helper names are in
/// [`super::helpers::NAMES`].
const RESERVED: [&str; 42] = [
    "_extreme_numbers",
    "verdict",
    "decision",
    "canary",
    "matches",
    "input_problems",
    "input_valid",
    "_subject_problems",
    // The import of `data.charter.schema`.
    "schema",
    "concat",
    "count",
    "future",
    "is_boolean",
    "is_number",
    "is_object",
    "is_string",
    "object",
    "print",
    "regex",
    "rego",
    "startswith",
    "substring",
    "time",
    "to_number",
    "trim_left",
    "trim_prefix",
    // The built-ins behind operators: `<` is `lt`, `==` is `equal`, `in` is `internal.member_2`.
    "and",
    "assign",
    "div",
    "eq",
    "equal",
    "gt",
    "gte",
    "internal",
    "lt",
    "lte",
    "minus",
    "mul",
    "neq",
    "or",
    "plus",
    "rem",
];

/// Whether `name` is written bare in Rego: `[A-Za-z_][A-Za-z0-9_]*`.
pub use charter::naming::is_identifier;

/// A Rego string literal (Rego strings use JSON's escapes).
pub use charter::text::quote::string;

/// `base.step` when `step` is an identifier, `base["step"]` otherwise.
pub fn dot(base: &str, step: &str) -> String {
    if is_identifier(step) {
        format!("{base}.{step}")
    } else {
        format!("{base}[{}]", string(step))
    }
}

/// A number as written, when it is a valid Rego (JSON) number; otherwise its `f64` value.
pub fn number(text: &str) -> String {
    let text = text.replace('_', "");
    if is_json_number(&text) {
        return text;
    }
    let value: f64 = text.parse().unwrap_or(f64::NAN);
    if value.is_finite() {
        format!("{value}")
    } else {
        "null".to_string()
    }
}

fn is_json_number(text: &str) -> bool {
    let body = text.strip_prefix('-').unwrap_or(text);
    let (mantissa, exponent) = match body.find(['e', 'E']) {
        Some(at) => (body.get(..at).unwrap_or(""), body.get(at + 1..)),
        None => (body, None),
    };
    let (int, fraction) = match mantissa.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (mantissa, None),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let int_ok = digits(int) && (int == "0" || !int.starts_with('0'));
    let fraction_ok = fraction.is_none_or(digits);
    let exponent_ok = exponent.is_none_or(|e| digits(e.strip_prefix(['+', '-']).unwrap_or(e)));
    int_ok && fraction_ok && exponent_ok
}

/// Hands out rule names that are valid, unreserved and unique within one module.
#[derive(Debug, Default)]
pub struct Names {
    taken: charter::naming::Names,
}

impl Names {
    /// The name for `wanted`: a name that is not an identifier, or is a keyword or reserved, gets
    /// a `rule_` prefix; then the one collision rule ([`charter::naming::Names`]).
    pub fn claim(&mut self, wanted: &str) -> String {
        let mut base = if is_identifier(wanted) {
            wanted.to_string()
        } else {
            let cleaned: String = wanted
                .chars()
                .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
                .collect();
            format!("rule_{cleaned}")
        };
        if KEYWORDS.contains(&base.as_str())
            || RESERVED.contains(&base.as_str())
            || super::helpers::NAMES.contains(&base.as_str())
        {
            base = format!("rule_{base}");
        }
        self.taken.claim(&base)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_and_refs() {
        assert!(is_identifier("low_confidence"));
        assert!(!is_identifier("GOV-01"));
        assert!(!is_identifier("1x"));
        assert_eq!(dot("input.subject", "tenant"), "input.subject.tenant");
        assert_eq!(dot("input.subject", "a-b"), "input.subject[\"a-b\"]");
    }

    #[test]
    fn strings_are_escaped() {
        assert_eq!(string("say \"hi\"\n"), "\"say \\\"hi\\\"\\n\"");
    }

    #[test]
    fn numbers_stay_as_written_when_valid() {
        assert_eq!(number("0.8"), "0.8");
        assert_eq!(number("1_000"), "1000");
        assert_eq!(number("-2.5e3"), "-2.5e3");
        assert_eq!(number("007.5"), "7.5");
    }

    #[test]
    fn names_avoid_keywords_reserved_and_duplicates() {
        let mut names = Names::default();
        assert_eq!(names.claim("cross_tenant"), "cross_tenant");
        assert_eq!(names.claim("if"), "rule_if");
        assert_eq!(names.claim("verdict"), "rule_verdict");
        assert_eq!(names.claim("count"), "rule_count");
        assert_eq!(names.claim("input_valid"), "rule_input_valid");
        assert_eq!(names.claim("schema"), "rule_schema");
        assert_eq!(names.claim("cross_tenant"), "cross_tenant_2");
        assert_eq!(names.claim("GOV-01"), "rule_GOV_01");
    }
}
