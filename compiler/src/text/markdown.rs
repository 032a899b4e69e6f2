//! The one Markdown escaper of every Markdown output (`crosswalk.md`, `threats.md`,
//! `deprecations.md`, `COMPLIANCE_EVIDENCE_INDEX.md`, the `diff --format markdown` report, the
//! changelog): user text is written with [`text`], or inside a code span with [`code`], so that
//! it reads back as exactly that text in any CommonMark/GFM renderer, never as HTML, a link,
//! emphasis or a new table cell or line (see `docs/output.md`).

/// Text for a table cell or a line: `|`, `<`, `>`, `&`, backticks, `\` and Markdown's inline
/// punctuation are backslash-escaped; line breaks become spaces.
pub fn text(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    for (i, &c) in chars.iter().enumerate() {
        let escape = match c {
            '\\' | '|' | '*' | '`' | '[' | ']' | '<' | '>' | '~' | '&' => true,
            // `_` only emphasises at a word boundary; keep `dataset_access` readable.
            '_' => {
                let before = i.checked_sub(1).and_then(|j| chars.get(j));
                let after = chars.get(i + 1);
                !(before.is_some_and(|c| c.is_alphanumeric())
                    && after.is_some_and(|c| c.is_alphanumeric()))
            }
            _ => false,
        };
        if escape {
            out.push('\\');
        }
        if matches!(c, '\n' | '\r' | '\u{2028}' | '\u{2029}') {
            out.push(' ');
        } else {
            out.push(c);
        }
    }
    out
}

/// A code span holding `text` literally: the fence is one backtick longer than the longest run
/// of backticks in it, `|` is escaped (GFM tables split cells on it even inside code spans), and
/// line breaks become spaces.
pub fn code(text: &str) -> String {
    let flat: String = text
        .chars()
        .map(|c| {
            if matches!(c, '\n' | '\r' | '\u{2028}' | '\u{2029}') {
                ' '
            } else {
                c
            }
        })
        .collect();
    let mut longest = 0;
    let mut run = 0;
    for c in flat.chars() {
        if c == '`' {
            run += 1;
            longest = longest.max(run);
        } else {
            run = 0;
        }
    }
    let fence = "`".repeat(longest + 1);
    let body = flat.replace('|', "\\|");
    // A span starting or ending with a backtick needs a space between it and the fence.
    if longest > 0 || body.starts_with(' ') && body.ends_with(' ') && !body.trim().is_empty() {
        format!("{fence} {body} {fence}")
    } else {
        format!("{fence}{body}{fence}")
    }
}

/// A fenced code block holding `text` literally: the fence is longer than any run of backticks
/// in it (at least three), so nothing inside can close it.
pub fn fenced(info: &str, text: &str) -> String {
    let mut longest = 0;
    let mut run = 0;
    for c in text.chars() {
        if c == '`' {
            run += 1;
            longest = longest.max(run);
        } else {
            run = 0;
        }
    }
    let fence = "`".repeat((longest + 1).max(3));
    let newline = if text.ends_with('\n') { "" } else { "\n" };
    format!("{fence}{info}\n{text}{newline}{fence}")
}

/// Charter's own messages quote names in backticks (`` field `x` added ``): each quoted part
/// becomes a [`code`] span and the rest [`text`], so the quoting survives and nothing in the
/// quoted user text is read as Markdown. With an odd number of backticks, all of it is [`text`].
pub fn inline(message: &str) -> String {
    let parts: Vec<&str> = message.split('`').collect();
    if parts.len().is_multiple_of(2) {
        return text(message);
    }
    parts
        .iter()
        .enumerate()
        .map(|(i, part)| if i % 2 == 1 { code(part) } else { text(part) })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_escapes_html_tables_and_line_breaks() {
        assert_eq!(
            text("<script>alert(1)</script> | a & b\nnext `x` [l](u)"),
            "\\<script\\>alert(1)\\</script\\> \\| a \\& b next \\`x\\` \\[l\\](u)"
        );
        assert_eq!(text("dataset_access"), "dataset_access");
        assert_eq!(text("_x_"), "\\_x\\_");
        assert_eq!(text("![i](u)"), "!\\[i\\](u)");
    }

    #[test]
    fn inline_keeps_quoted_names_as_code() {
        assert_eq!(inline("field `x` added"), "field `x` added");
        assert_eq!(inline("rule `<b>|` & <i>"), "rule `<b>\\|` \\& \\<i\\>");
        assert_eq!(inline("odd ` tick <"), "odd \\` tick \\<");
    }

    #[test]
    fn fences_are_longer_than_what_they_hold() {
        assert_eq!(fenced("text", "a\n"), "```text\na\n```");
        assert_eq!(fenced("", "x ```` y"), "`````\nx ```` y\n`````");
    }

    #[test]
    fn code_spans_hold_any_text() {
        assert_eq!(code("a.b"), "`a.b`");
        assert_eq!(code("a|b"), "`a\\|b`");
        assert_eq!(code("x`<b>`y"), "`` x`<b>`y ``");
        assert_eq!(code("line\nbreak"), "`line break`");
    }
}
