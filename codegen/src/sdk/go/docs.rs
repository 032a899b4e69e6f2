//! Go doc comments (`// ` lines, `//` between paragraphs, a `Deprecated:` paragraph that gopls
//! and staticcheck recognise) and gofmt's column alignment of struct fields and constants.

use charter::ir::Deprecation;

use crate::sdk::deprecation_text;

/// Appends a doc comment at `indent` holding `paragraphs` (empty ones skipped), then a
/// `Deprecated:` paragraph when `deprecated`; nothing when all are empty.
pub fn doc(out: &mut String, indent: &str, paragraphs: &[&str], deprecated: Option<&Deprecation>) {
    let mut body: Vec<String> = Vec::new();
    let paragraph = |lines: Vec<String>, body: &mut Vec<String>| {
        if !body.is_empty() {
            body.push(String::new());
        }
        body.extend(lines);
    };
    for text in paragraphs.iter().filter(|t| !t.trim().is_empty()) {
        paragraph(text.lines().map(clean).collect(), &mut body);
    }
    if let Some(d) = deprecated {
        paragraph(
            vec![format!(
                "Deprecated: {}",
                clean(&deprecation_text(d).replace('\n', " "))
            )],
            &mut body,
        );
    }
    for line in body {
        out.push_str(indent);
        if line.is_empty() {
            out.push_str("//\n");
        } else {
            out.push_str("// ");
            out.push_str(&line);
            out.push('\n');
        }
    }
}

/// Marks a line as a list item of a generated list (`  - ` in the comment).
pub const ITEM: char = '\u{0}';

/// A line of comment text, in a form gofmt keeps as it is: blanks around it dropped (so it is
/// never a code block or list), tabs and carriage returns as spaces, and `` and '' (which
/// gofmt turns into curly quotes) split by a space. A line starting with [`ITEM`] is a list
/// item.
fn clean(line: &str) -> String {
    let item = line.starts_with(ITEM);
    let mut text: String = line
        .trim_start_matches(ITEM)
        .chars()
        .map(|c| if c == '\r' || c == '\t' { ' ' } else { c })
        .collect();
    while text.contains("``") || text.contains("''") {
        text = text.replace("``", "` `").replace("''", "' '");
    }
    let text = text.trim();
    if item {
        format!("  - {text}")
    } else {
        text.to_string()
    }
}

/// Appends `rows` (cells of one line each) aligned as gofmt aligns them: every cell but the
/// last of a line is padded to its column's widest cell plus one space. `rows` form one
/// alignment section (no comment or blank line between them).
pub fn aligned(out: &mut String, indent: &str, rows: &[Vec<String>]) {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let mut widths = vec![0; columns];
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            if i + 1 < row.len()
                && let Some(w) = widths.get_mut(i)
            {
                *w = (*w).max(cell.chars().count());
            }
        }
    }
    for row in rows {
        out.push_str(indent);
        for (i, cell) in row.iter().enumerate() {
            out.push_str(cell);
            if i + 1 < row.len() {
                let width = widths.get(i).copied().unwrap_or(0);
                out.push_str(&" ".repeat(width - cell.chars().count() + 1));
            }
        }
        out.push('\n');
    }
}
