//! Where in an imported document a warning or error is: the file, the line and column with the
//! byte range they stand for, and (OpenAPI) the JSON pointer of the node. Structured, so that the
//! CLI renders importer problems as ordinary diagnostics against the document's text.

use std::sync::Arc;

use charter::diagnostics::{Code, Diagnostic, Severity};
use charter::ide::line_index::LineIndex;
use charter::syntax::Span;

/// A place in an imported document.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Location {
    /// The document's name as the importer was given it (shared by every location in it: an
    /// import may warn 100,000 times).
    pub file: Arc<str>,
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
            file: file.into(),
            at: None,
            pointer: None,
        }
    }

    /// A position in the document.
    pub fn at(file: &str, at: Position) -> Self {
        Location {
            file: file.into(),
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
    index: LineIndex,
}

impl<'t> Lines<'t> {
    pub fn new(text: &'t str) -> Self {
        Lines {
            text,
            index: LineIndex::new(text),
        }
    }

    /// The position of `line:column` (both from 1, the column in characters). A column past the
    /// end of its line is the line break; a line past the end is the text's end.
    pub fn position(&self, line: usize, column: usize) -> Position {
        let start = line.checked_sub(1).and_then(|i| self.index.line_start(i));
        let Some(start) = start else {
            let end = self.text.len();
            return Position {
                line,
                column,
                span: Span::new(end, end),
            };
        };
        // Walk at most `column` characters: a document may be one long line.
        let rest = self.text.get(start..).unwrap_or_default();
        let mut end = rest.len();
        let mut found = None;
        for (i, (b, c)) in rest.char_indices().enumerate() {
            if c == '\n' {
                end = b;
                break;
            }
            if i + 1 == column.max(1) {
                found = Some((b, c.len_utf8()));
                break;
            }
        }
        let (offset, width) = found.unwrap_or((end, usize::from(end < rest.len())));
        Position {
            line,
            column,
            span: Span::new(start + offset, start + offset + width),
        }
    }
}

/// Character indices to positions, for a reader that reports them in increasing order (the
/// YAML parser's markers): each call walks on from the previous one, so a whole document costs
/// one pass even when it is a single line.
#[derive(Debug, Clone)]
pub struct Cursor<'t> {
    text: &'t str,
    chars: usize,
    byte: usize,
}

impl<'t> Cursor<'t> {
    pub fn new(text: &'t str) -> Self {
        Cursor {
            text,
            chars: 0,
            byte: 0,
        }
    }

    /// The position of the character at `index` (counted in characters), which is at
    /// `line:column` (both from 1).
    pub fn position(&mut self, index: usize, line: usize, column: usize) -> Position {
        if index < self.chars {
            self.chars = 0;
            self.byte = 0;
        }
        let mut rest = self.text.get(self.byte..).unwrap_or_default().chars();
        while self.chars < index {
            let Some(c) = rest.next() else { break };
            self.byte += c.len_utf8();
            self.chars += 1;
        }
        let width = rest.next().map_or(0, char::len_utf8);
        Position {
            line,
            column,
            span: Span::new(self.byte, self.byte + width),
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
        let mut cursor = Cursor::new("ab\nçd\n\nx");
        assert_eq!(cursor.position(4, 2, 2).span, Span::new(5, 6));
        assert_eq!(cursor.position(3, 2, 1).span, Span::new(3, 5));
        assert_eq!(cursor.position(7, 4, 1).span, Span::new(8, 9));
        assert_eq!(cursor.position(8, 4, 2).span, Span::new(9, 9));
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
