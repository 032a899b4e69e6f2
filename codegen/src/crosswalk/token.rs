//! OSCAL-safe tokens for requirement ids. OSCAL's `control-id` is a token
//! (`^(\p{L}|_)(\p{L}|\p{N}|[.\-_])*$`); parentheses are not allowed and it must start with a
//! letter. The mapping, kept readable and one-to-one within a catalogue:
//!
//! 1. lowercase: `CC6.1` → `cc6.1`, `A.5.15` → `a.5.15`;
//! 2. each parenthesised part `(x)` becomes `-x`: `164.312(a)(1)` → `164.312-a-1`,
//!    `32(1)(b)` → `32-1-b`; any other character outside `[a-z0-9._-]` becomes `-`;
//! 3. a token that does not start with a letter is prefixed with the framework name and `-`:
//!    `hipaa-164.312-a-1`, `gdpr-32-1-b`.
//!
//! The display id stays in the `label` prop of the implemented requirement.

pub fn token(framework: &str, id: &str) -> String {
    let mut out = String::with_capacity(id.len() + framework.len() + 1);
    for c in id.chars().flat_map(char::to_lowercase) {
        match c {
            'a'..='z' | '0'..='9' | '.' | '_' | '-' => out.push(c),
            ')' => {}
            _ => out.push('-'),
        }
    }
    if !out.starts_with(|c: char| c.is_ascii_lowercase() || c == '_') {
        let prefix: String = framework
            .chars()
            .flat_map(char::to_lowercase)
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
            .collect();
        let prefix = if prefix.starts_with(|c: char| c.is_ascii_lowercase()) {
            prefix
        } else {
            format!("x{prefix}")
        };
        out = format!("{prefix}-{out}");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::token;

    #[test]
    fn examples() {
        assert_eq!(token("soc2", "CC6.1"), "cc6.1");
        assert_eq!(token("soc2", "PI1.2"), "pi1.2");
        assert_eq!(token("iso27001", "A.5.15"), "a.5.15");
        assert_eq!(token("gdpr", "32(1)(b)"), "gdpr-32-1-b");
        assert_eq!(token("gdpr", "32(4)"), "gdpr-32-4");
        assert_eq!(token("hipaa", "164.312(a)(1)"), "hipaa-164.312-a-1");
        assert_eq!(
            token("hipaa", "164.308(a)(1)(ii)(A)"),
            "hipaa-164.308-a-1-ii-a"
        );
        assert_eq!(token("9fw", "1 2"), "x9fw-1-2");
    }
}
