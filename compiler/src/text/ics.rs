//! iCalendar (RFC 5545) TEXT values.

/// A TEXT value escaped (RFC 5545 §3.3.11): `\` `;` `,` get a backslash, a line break (`\r\n`,
/// `\n` or `\r`) is `\n`. TEXT may hold no other control character, and has no escape for
/// them: like every character [`super::is_unsafe`] reports but a tab, they become U+FFFD.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push_str("\\n");
            }
            '\n' => out.push_str("\\n"),
            '\t' => out.push('\t'),
            c if super::is_unsafe(c) => out.push('\u{fffd}'),
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_values() {
        let cases = [
            ("a,b;c\\d\ne\r\nf\rg", "a\\,b\\;c\\\\d\\ne\\nf\\ng"),
            ("plain: text", "plain: text"),
            (
                "tab\tnul\0 bidi\u{202e} ls\u{2028}",
                "tab\tnul\u{fffd} bidi\u{fffd} ls\u{fffd}",
            ),
            ("END:VCALENDAR", "END:VCALENDAR"),
        ];
        for (text, escaped) in cases {
            assert_eq!(escape(text), escaped, "{text:?}");
        }
    }
}
