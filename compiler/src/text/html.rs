//! HTML text and attribute values.

/// Text for an HTML element's content: `&`, `<` and `>` as character references, and every
/// character [`super::is_unsafe`] reports but tab, line feed and carriage return as U+FFFD (a
/// character reference would still reach the reader as a control).
pub fn text(text: &str) -> String {
    escape(text, false)
}

/// A double- or single-quoted attribute value: also `"` and `'` as character references.
pub fn attribute(text: &str) -> String {
    escape(text, true)
}

fn escape(text: &str, attribute: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if attribute => out.push_str("&quot;"),
            '\'' if attribute => out.push_str("&#39;"),
            c if super::is_unsafe(c) && !matches!(c, '\t' | '\n' | '\r') => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_is_never_markup() {
        let cases = [
            (
                "<script>alert(1)</script>",
                "&lt;script&gt;alert(1)&lt;/script&gt;",
                "&lt;script&gt;alert(1)&lt;/script&gt;",
            ),
            ("a & b", "a &amp; b", "a &amp; b"),
            ("&amp;", "&amp;amp;", "&amp;amp;"),
            (
                "\" onload='x'",
                "\" onload='x'",
                "&quot; onload=&#39;x&#39;",
            ),
            ("`${x}` | *a*", "`${x}` | *a*", "`${x}` | *a*"),
            ("nul\0", "nul\u{fffd}", "nul\u{fffd}"),
            (
                "\u{202e}bidi\u{7}",
                "\u{fffd}bidi\u{fffd}",
                "\u{fffd}bidi\u{fffd}",
            ),
            ("a\tb\nc\r\n", "a\tb\nc\r\n", "a\tb\nc\r\n"),
        ];
        for (input, as_text, as_attribute) in cases {
            assert_eq!(text(input), as_text, "{input:?}");
            assert_eq!(attribute(input), as_attribute, "{input:?}");
        }
    }
}
