//! The one Markdown escaper of every Markdown output (`crosswalk.md`, `threats.md`,
//! `deprecations.md`, `COMPLIANCE_EVIDENCE_INDEX.md`, the `diff --format markdown` report, the
//! changelog): user text is written with [`text`], or inside a code span with [`code`], so that
//! it reads back as exactly that text in any CommonMark/GFM renderer, never as HTML, a link,
//! emphasis or a new table cell or line (see `docs/output.md`).

/// Text for a table cell or a line: `|`, `<`, `>`, `&`, backticks, `\` and Markdown's inline
/// punctuation are backslash-escaped; line breaks become spaces, other control characters and
/// bidirectional controls U+FFFD.
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
        out.push(plain(c));
    }
    out
}

/// What Markdown, which has no escape for them, shows for a character: a line break (`\n`, `\r`,
/// U+2028, U+2029) is a space, a tab stays, and any other character [`super::is_unsafe`]
/// reports (controls, U+FEFF, bidirectional controls) is U+FFFD.
fn plain(c: char) -> char {
    match c {
        '\n' | '\r' | '\u{2028}' | '\u{2029}' => ' ',
        '\t' => c,
        c if super::is_unsafe(c) => '\u{fffd}',
        c => c,
    }
}

/// The longest run of backticks in `text`.
fn longest_backtick_run(text: &str) -> usize {
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
    longest
}

/// A code span holding `text` literally: the fence is one backtick longer than the longest run
/// of backticks in it, `|` is escaped (GFM tables split cells on it even inside code spans), and
/// line breaks become spaces (other control characters U+FFFD, as in [`text`]).
pub fn code(text: &str) -> String {
    let flat: String = text.chars().map(plain).collect();
    let longest = longest_backtick_run(&flat);
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
    let fence = "`".repeat((longest_backtick_run(text) + 1).max(3));
    let newline = if text.ends_with('\n') { "" } else { "\n" };
    format!("{fence}{info}\n{text}{newline}{fence}")
}

/// Appends one table row, `| a | b |`: the cells are written as given (already escaped).
pub fn row(out: &mut String, cells: &[String]) {
    out.push('|');
    for c in cells {
        out.push(' ');
        out.push_str(c);
        out.push_str(" |");
    }
    out.push('\n');
}

/// Appends a table's header row (the names escaped with [`text`]) and its `|---|` line.
pub fn header(out: &mut String, names: &[&str]) {
    row(out, &names.iter().map(|n| text(n)).collect::<Vec<_>>());
    out.push('|');
    for _ in names {
        out.push_str("---|");
    }
    out.push('\n');
}

/// Appends a `## heading` section that lists `items` as `- item` lines (written as given, already
/// escaped), or the sentence `none` when there are none.
pub fn list_section(out: &mut String, heading: &str, none: &str, items: &[String]) {
    out.push_str("## ");
    out.push_str(heading);
    out.push_str("\n\n");
    if items.is_empty() {
        out.push_str(none);
        out.push('\n');
    }
    for item in items {
        out.push_str("- ");
        out.push_str(item);
        out.push('\n');
    }
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
    fn hostile_text_stays_text() {
        let cases = [
            ("a | b", "a \\| b", "`a \\| b`"),
            ("``x``", "\\`\\`x\\`\\`", "``` ``x`` ```"),
            (
                "one\ntwo\r\nthree\u{2028}",
                "one two  three ",
                "`one two  three `",
            ),
            ("*/ \"\"\" ${x}", "\\*/ \"\"\" ${x}", "`*/ \"\"\" ${x}`"),
            (
                "nul\0 bell\u{7} tab\t",
                "nul\u{fffd} bell\u{fffd} tab\t",
                "`nul\u{fffd} bell\u{fffd} tab\t`",
            ),
            (
                "\u{202e}evil\u{2066}",
                "\u{fffd}evil\u{fffd}",
                "`\u{fffd}evil\u{fffd}`",
            ),
            (
                "<img src=x onerror=alert(1)>",
                "\\<img src=x onerror=alert(1)\\>",
                "`<img src=x onerror=alert(1)>`",
            ),
        ];
        for (input, as_text, as_code) in cases {
            assert_eq!(text(input), as_text, "{input:?}");
            assert_eq!(code(input), as_code, "{input:?}");
        }
        let mut table = String::new();
        header(&mut table, &["a|b", "c"]);
        row(&mut table, &[text("x\ny"), code("z")]);
        assert_eq!(table, "| a\\|b | c |\n|---|---|\n| x y | `z` |\n");
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
