//! `charter fmt`: the one canonical layout of a Charter file.
//!
//! The formatter prints the syntax tree again, in a fixed layout: 2-space indentation, one blank
//! line between top-level declarations (consecutive `use` lines stay together), one member per
//! line, rules and operations separated by blank lines, doc comments as `/// ` lines and
//! annotations on their own lines above their node. Literals are printed as written (strings are
//! re-quoted with [`crate::syntax::lex::quote`]) and parentheses are kept, so the formatted file parses to the same tree.
//!
//! Plain `//` comments are not in the tree. They are kept in one sorted list with a cursor: before
//! any token is printed, every comment that precedes that token in the source is emitted. A comment
//! on the same line as the token before it stays a trailing comment on that line; any other comment
//! gets its own line at the current indentation. A comment that ends a block is emitted before the
//! block's `}`; the rest are emitted at the end of the file. Since the cursor only moves forward,
//! every comment is emitted exactly once and in source order. Doc comments that document nothing
//! (warning W0001) are not in the tree either; they are kept verbatim, like plain comments.
//!
//! Lines are kept within [`WIDTH`] columns: a list that does not fit continues after a comma, a
//! clause that does not fit starts a new line, continued lines indented by [`CONT`]
//! ([`printer::Printer::fill`], [`printer::Printer::space_or_break`]). A single token wider than
//! the limit (a string, a comment) is never split, and doc comments are kept as written.
//!
//! Layout decisions depend only on the tree, the printed width and on which tokens each comment
//! sits between, which the formatter preserves: so formatting is idempotent.

mod comments;
mod compliance;
mod conditions;
mod exprs;
mod items;
mod policies;
mod printer;
mod services;
#[cfg(test)]
mod tests;

use std::fmt;

use crate::diagnostics::Diagnostic;
use crate::syntax::{Parsed, Span, parse};
use comments::{LexKind, collect_comments, scan};
use printer::Printer;

pub use conditions::{RuleCondition, rule_conditions};

/// The column limit used for the layout decisions that depend on width.
const WIDTH: usize = 100;
/// One level of indentation.
const INDENT: usize = 2;
/// Extra indentation of a line that a comment broke in the middle of a construct.
const CONT: usize = 4;

/// Why a file could not be formatted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormatError {
    /// The file has syntax errors (these diagnostics); a file that does not parse is left alone.
    Syntax(Vec<Diagnostic>),
    /// A node that did not parse. Only possible when the diagnostics were dropped.
    Unparsed(Span),
}

impl fmt::Display for FormatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FormatError::Syntax(errors) => {
                let n = errors.len();
                write!(f, "cannot format a file with {n} syntax error")?;
                if n != 1 {
                    write!(f, "s")?;
                }
                if let Some(first) = errors.first() {
                    write!(f, " (first: {} {})", first.code.as_str(), first.message)?;
                }
                Ok(())
            }
            FormatError::Unparsed(span) => {
                write!(
                    f,
                    "cannot format text that did not parse (bytes {}..{})",
                    span.start, span.end
                )
            }
        }
    }
}

impl std::error::Error for FormatError {}

/// Formats a parsed file. `text` must be the text `parsed` was parsed from. Refuses files with
/// syntax errors.
pub fn format(parsed: &Parsed, text: &str) -> Result<String, FormatError> {
    let errors: Vec<Diagnostic> = parsed
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .cloned()
        .collect();
    if !errors.is_empty() {
        return Err(FormatError::Syntax(errors));
    }
    let lexemes = scan(text);
    let comments = collect_comments(parsed, text, &lexemes);
    let toks = lexemes
        .iter()
        .filter(|l| l.kind == LexKind::Token)
        .map(|l| (l.start, l.end))
        .collect();
    let mut printer = Printer::new(text, toks, comments);
    printer.file(&parsed.file);
    printer.finish()
}

/// Parses `text` (named `path` in diagnostics) and formats it.
pub fn format_text(path: &str, text: &str) -> Result<String, FormatError> {
    format(&parse(path, text), text)
}
