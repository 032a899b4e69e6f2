//! Plain comments: finding them in the source, classifying their surroundings, and emitting
//! each one exactly once, in source order, as the printer passes the token after it.

use logos::Logos;

use super::printer::Printer;
use crate::diagnostics::codes;
use crate::syntax::lex::Tok;
use crate::syntax::{Parsed, Span};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum LexKind {
    Token,
    Comment,
    Doc,
}

#[derive(Debug, Clone, Copy)]
pub(super) struct Lexeme {
    pub(super) start: u32,
    pub(super) end: u32,
    pub(super) kind: LexKind,
}

/// Every token, comment and doc comment of `text`, in order.
pub(super) fn scan(text: &str) -> Vec<Lexeme> {
    let mut out = Vec::new();
    let mut lexer = Tok::lexer(text);
    while let Some(result) = lexer.next() {
        let span = Span::from_range(lexer.span());
        let kind = match result {
            Ok(Tok::Comment(_)) => LexKind::Comment,
            Ok(Tok::DocComment(_)) => LexKind::Doc,
            Ok(_) => LexKind::Token,
            Err(()) => continue,
        };
        out.push(Lexeme {
            start: span.start,
            end: span.end,
            kind,
        });
    }
    out
}

/// A comment to re-emit, with what the source says about its surroundings.
#[derive(Debug, Clone)]
pub(super) struct Comment {
    pub(super) start: u32,
    pub(super) text: String,
    /// On the same line as the token before it.
    pub(super) trailing: bool,
    /// A blank line separates it from what comes before it.
    pub(super) blank_before: bool,
    /// A blank line separates it from what comes after it.
    pub(super) blank_after: bool,
}

pub(super) fn slice(text: &str, lo: u32, hi: u32) -> &str {
    text.get(lo as usize..hi as usize).unwrap_or("")
}

pub(super) fn newlines(text: &str, lo: u32, hi: u32) -> usize {
    slice(text, lo, hi).matches('\n').count()
}

/// The plain comments, plus the doc comments no node took, sorted and classified.
pub(super) fn collect_comments(parsed: &Parsed, text: &str, lexemes: &[Lexeme]) -> Vec<Comment> {
    let dangling: Vec<Span> = parsed
        .diagnostics
        .iter()
        .filter(|d| d.code == codes::W0001)
        .map(|d| d.primary.span)
        .collect();
    let mut raw: Vec<(u32, u32, String)> = parsed
        .comments
        .iter()
        .map(|c| (c.span.start, c.span.end, c.text.clone()))
        .collect();
    for lx in lexemes.iter().filter(|l| l.kind == LexKind::Doc) {
        if dangling
            .iter()
            .any(|d| d.start <= lx.start && lx.end <= d.end)
        {
            raw.push((
                lx.start,
                lx.end,
                slice(text, lx.start, lx.end).trim_end().to_string(),
            ));
        }
    }
    raw.sort_by_key(|c| c.0);
    raw.dedup_by_key(|c| c.0);
    raw.into_iter()
        .map(|(start, end, text_of)| {
            let i = lexemes.partition_point(|l| l.start < start);
            let prev = i.checked_sub(1).and_then(|j| lexemes.get(j));
            let next_i = lexemes.partition_point(|l| l.start < end);
            let next = lexemes.get(next_i);
            let trailing =
                prev.is_some_and(|p| p.kind == LexKind::Token && newlines(text, p.end, start) == 0);
            let blank_before = prev.is_some_and(|p| newlines(text, p.end, start) >= 2);
            let blank_after = next.is_some_and(|n| newlines(text, end, n.start) >= 2);
            Comment {
                start,
                text: text_of,
                trailing,
                blank_before,
                blank_after,
            }
        })
        .collect()
}

impl Printer<'_> {
    pub(super) fn flush_before(&mut self, pos: u32) {
        while let Some(c) = self.comments.get(self.next) {
            if c.start >= pos {
                break;
            }
            let c = c.clone();
            self.next += 1;
            self.emit(&c);
        }
    }

    pub(super) fn flush_all(&mut self) {
        self.flush_before(u32::MAX);
    }

    pub(super) fn emit(&mut self, c: &Comment) {
        let mid_line = !self.line.is_empty() && !self.need_nl;
        if c.trailing && !self.line.is_empty() && !self.commented {
            let kept = self.line.trim_end().len();
            self.line.truncate(kept);
            self.line.push(' ');
            self.line.push_str(&c.text);
            self.need_nl = true;
            self.commented = true;
            self.space = false;
            if mid_line {
                self.cont = true;
            }
            return;
        }
        if mid_line {
            self.cont = true;
        }
        self.need_nl = true;
        self.space = false;
        let structural = !self.cont;
        if structural && c.blank_before {
            self.blank = true;
        }
        self.write(&c.text);
        self.need_nl = true;
        self.commented = true;
        if structural && c.blank_after {
            self.blank = true;
        }
    }

    /// True when a comment not yet emitted starts before `pos`.
    pub(super) fn pending_before(&self, pos: u32) -> bool {
        self.comments.get(self.next).is_some_and(|c| c.start < pos)
    }

    /// True when some comment starts strictly between `lo` and `hi`.
    pub(super) fn comment_within(&self, lo: u32, hi: u32) -> bool {
        self.comments.iter().any(|c| lo < c.start && c.start < hi)
    }
}
