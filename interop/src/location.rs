//! Where in an imported document a warning or error is: the file, the line and column with the
//! byte range they stand for, and (OpenAPI) the JSON pointer of the node. Structured, so that the
//! CLI renders importer problems as ordinary diagnostics against the document's text.

use charter::diagnostics::{Code, Diagnostic, Severity};
use charter::syntax::Span;

/// A place in an imported document.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Location {
    /// The document's name as the importer was given it.
    pub file: String,
    /// The line, column and bytes; `None` when the reading kept no positions (the lenient YAML
    /// reading) or the problem is the whole document (too large).
    pub at: Option<Position>,
    /// The JSON pointer of the node (without the leading `#`), for OpenAPI documents.
    pub pointer: Option<String>,
}

/// A position in a document: line and column (both from 1, the column in characters) and the
/// byte range of the character there (empty at the end of a line or of the document).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Position {
    pub line: usize,
    pub column: usize,
    pub span: Span,
}

impl Location {
    /// The whole document, with no position.
    pub fn file(file: &str) -> Self {
        Location {
            file: file.to_string(),
            at: None,
            pointer: None,
        }
    }

    /// A position in the document.
    pub fn at(file: &str, at: Position) -> Self {
        Location {
            file: file.to_string(),
            at: Some(at),
            pointer: None,
        }
    }

    /// A diagnostic whose primary span is this location (the document's start when it has no
    /// position), with the JSON pointer as a note.
    pub fn diagnostic(&self, code: Code, severity: Severity, message: String) -> Diagnostic {
        let span = self.at.map(|p| p.span).unwrap_or_default();
        let mut d = Diagnostic::new(code, severity, message, &self.file, span);
        if let Some(pointer) = &self.pointer {
            d.note(format!("at #{pointer}"));
        }
        d
    }
}

/// `FILE:LINE:COL (#/json/pointer)`, `FILE:LINE:COL`, `FILE (#/json/pointer)` or `FILE`: the
/// form of the `location` field of `charter import --format json` (docs/import.md).
impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.file)?;
        if let Some(at) = &self.at {
            write!(f, ":{}:{}", at.line, at.column)?;
        }
        if let Some(pointer) = &self.pointer {
            write!(f, " (#{pointer})")?;
        }
        Ok(())
    }
}

/// The starts of a text's lines, to turn a line and column into a [`Position`].
#[derive(Debug, Clone)]
pub struct Lines<'t> {
    text: &'t str,
    starts: Vec<usize>,
}

impl<'t> Lines<'t> {
    pub fn new(text: &'t str) -> Self {
        let mut starts = vec![0];
        starts.extend(
            text.bytes()
                .enumerate()
                .filter(|(_, b)| *b == b'\n')
                .map(|(i, _)| i + 1),
        );
        Lines { text, starts }
    }

    /// The position of `line:column` (both from 1, the column in characters). A column past the
    /// end of its line is the line break; a line past the end is the text's end.
    pub fn position(&self, line: usize, column: usize) -> Position {
        let start = line
            .checked_sub(1)
            .and_then(|i| self.starts.get(i))
            .copied();
        let Some(start) = start else {
            let end = self.text.len();
            return Position {
                line,
                column,
                span: Span::new(end, end),
            };
        };
        let rest = self.text.get(start..).unwrap_or_default();
        let line_text = rest.split_inclusive('\n').next().unwrap_or_default();
        let (offset, width) = line_text
            .char_indices()
            .nth(column.saturating_sub(1))
            .map_or(
                (
                    line_text.trim_end_matches('\n').len(),
                    usize::from(line_text.ends_with('\n')),
                ),
                |(b, c)| (b, c.len_utf8()),
            );
        Position {
            line,
            column,
            span: Span::new(start + offset, start + offset + width),
        }
    }

    /// The position of a byte offset (the start of a character).
    pub fn offset(&self, offset: usize) -> Position {
        let line = self.starts.partition_point(|s| *s <= offset).max(1);
        let start = self.starts.get(line - 1).copied().unwrap_or_default();
        let before = self.text.get(start..offset).unwrap_or_default();
        let width = self
            .text
            .get(offset..)
            .and_then(|t| t.chars().next())
            .map_or(0, char::len_utf8);
        Position {
            line,
            column: before.chars().count() + 1,
            span: Span::new(offset, offset + width),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_lines_columns_and_bytes() {
        let lines = Lines::new("ab\nçd\n\nx");
        let p = lines.position(2, 2);
        assert_eq!((p.line, p.column, p.span), (2, 2, Span::new(5, 6)));
        assert_eq!(lines.position(2, 1).span, Span::new(3, 5));
        assert_eq!(lines.position(2, 9).span, Span::new(6, 7));
        assert_eq!(lines.position(3, 1).span, Span::new(7, 8));
        assert_eq!(lines.position(9, 1).span, Span::new(9, 9));
        let o = lines.offset(5);
        assert_eq!((o.line, o.column, o.span), (2, 2, Span::new(5, 6)));
        assert_eq!(lines.offset(0).line, 1);
        assert_eq!(lines.offset(8).line, 4);
    }

    #[test]
    fn locations_print_as_before() {
        let lines = Lines::new("a\nbc\n");
        let mut l = Location::at("f.yaml", lines.position(2, 2));
        assert_eq!(l.to_string(), "f.yaml:2:2");
        l.pointer = Some("/a/b".into());
        assert_eq!(l.to_string(), "f.yaml:2:2 (#/a/b)");
        l.at = None;
        assert_eq!(l.to_string(), "f.yaml (#/a/b)");
        assert_eq!(Location::file("f").to_string(), "f");
    }
}
