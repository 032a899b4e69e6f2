//! The printer: lazily built lines, indentation, token look-up and the pieces every declaration
//! shares (names, paths, doc comments, annotations, blocks).

use super::comments::{Comment, slice};
use super::{CONT, FormatError, INDENT, WIDTH};
use crate::syntax::Span;
use crate::syntax::ast::{Annotation, Ident, Path, StrLit};
use crate::syntax::lex::quote;

/// Lines are built lazily: a line break requested by the layout (`newline`) happens only when the
/// next text is written, so a trailing comment can still be appended to the line it belongs to.
pub(super) struct Printer<'a> {
    pub(super) text: &'a str,
    /// Source token spans, for locating keywords and punctuation the tree has no span for.
    pub(super) toks: Vec<(u32, u32)>,
    pub(super) comments: Vec<Comment>,
    /// The first comment not yet emitted.
    pub(super) next: usize,
    /// The end of the last source token printed.
    pub(super) cursor: u32,
    pub(super) out: String,
    pub(super) line: String,
    pub(super) indent: usize,
    /// A line break is due before the next text.
    pub(super) need_nl: bool,
    /// The next line continues a construct a comment broke: indent it by `CONT` more.
    pub(super) cont: bool,
    /// A space is due before the next text on the same line.
    pub(super) space: bool,
    /// A blank line is due before the next line.
    pub(super) blank: bool,
    /// No blank line right after an opening brace.
    pub(super) no_blank: bool,
    /// The current line ends in a comment: nothing more may go on it.
    pub(super) commented: bool,
    /// Measuring: never break a line for width (see [`Printer::measure`]).
    pub(super) flat: bool,
    pub(super) failed: Option<Span>,
}

impl<'a> Printer<'a> {
    pub(super) fn new(text: &'a str, toks: Vec<(u32, u32)>, comments: Vec<Comment>) -> Self {
        Printer {
            text,
            toks,
            comments,
            next: 0,
            cursor: 0,
            out: String::new(),
            line: String::new(),
            indent: 0,
            need_nl: false,
            cont: false,
            space: false,
            blank: false,
            no_blank: false,
            commented: false,
            flat: false,
            failed: None,
        }
    }

    pub(super) fn finish(mut self) -> Result<String, FormatError> {
        if let Some(span) = self.failed {
            return Err(FormatError::Unparsed(span));
        }
        self.commit();
        let trimmed = self.out.trim_end_matches('\n').len();
        self.out.truncate(trimmed);
        if !self.out.is_empty() {
            self.out.push('\n');
        }
        Ok(self.out)
    }

    pub(super) fn fail(&mut self, span: Span) {
        self.failed.get_or_insert(span);
    }

    /// The width of `f`'s output printed flat, without comments.
    pub(super) fn measure(&self, f: impl FnOnce(&mut Printer<'a>)) -> usize {
        let mut scratch = Printer::new(self.text, Vec::new(), Vec::new());
        scratch.flat = true;
        f(&mut scratch);
        scratch.commit();
        scratch.out.trim_end().chars().count()
    }

    /// The column the next text would start at.
    pub(super) fn column(&self) -> usize {
        if self.line.is_empty() || self.need_nl {
            self.indent + if self.cont { CONT } else { 0 }
        } else {
            self.line.chars().count() + usize::from(self.space)
        }
    }

    // ---------------------------------------------------------------- low level

    pub(super) fn commit(&mut self) {
        if !self.line.is_empty() {
            self.out.push_str(self.line.trim_end());
            self.out.push('\n');
            self.line.clear();
        }
        self.need_nl = false;
        self.commented = false;
    }

    pub(super) fn write(&mut self, s: &str) {
        if self.need_nl || self.commented {
            self.commit();
        }
        if self.line.is_empty() {
            if self.blank && !self.no_blank && !self.out.is_empty() {
                self.out.push('\n');
            }
            self.blank = false;
            self.no_blank = false;
            let n = self.indent + if self.cont { CONT } else { 0 };
            self.line.extend(std::iter::repeat_n(' ', n));
        } else if self.space {
            self.line.push(' ');
        }
        self.space = false;
        self.line.push_str(s);
    }

    pub(super) fn sp(&mut self) {
        self.space = true;
    }

    pub(super) fn newline(&mut self) {
        self.need_nl = true;
        self.cont = false;
        self.space = false;
    }

    pub(super) fn blank_line(&mut self) {
        self.newline();
        self.blank = true;
    }

    // ---------------------------------------------------------------- breaking for width

    /// Continues the current construct on the next line, indented by `CONT` more.
    fn continue_on_next_line(&mut self) {
        self.need_nl = true;
        self.cont = true;
        self.space = false;
    }

    /// A space before `next`, or, when `next` would pass the column limit, a line break with
    /// continuation indent. Nothing is broken at the start of a line, nor while measuring, so a
    /// single token wider than the limit stays as it is.
    pub(super) fn space_or_break(&mut self, next: impl FnOnce(&mut Printer<'a>)) {
        self.space_or_break_before(0, next);
    }

    /// [`Printer::space_or_break`] for `next` followed by `after` more columns.
    pub(super) fn space_or_break_before(
        &mut self,
        after: usize,
        next: impl FnOnce(&mut Printer<'a>),
    ) {
        let at_start = self.need_nl || self.line.trim().is_empty();
        if !self.flat && !at_start {
            let width = self.measure(next) + after;
            if self.column() + 1 + width > WIDTH {
                self.continue_on_next_line();
                return;
            }
        }
        self.sp();
    }

    /// `items` separated by `, `, as many on a line as fit; the others continue on the next lines
    /// with continuation indent. `tail` is the width of the text that must follow the last item
    /// on its line (a closing bracket).
    pub(super) fn fill<T>(
        &mut self,
        items: &[T],
        tail: usize,
        mut each: impl FnMut(&mut Printer<'a>, &T),
    ) {
        let n = items.len();
        for (i, item) in items.iter().enumerate() {
            if i > 0 {
                self.kw(",");
                // The comma after the item, or the tail after the last one.
                let after = if i + 1 == n { tail } else { 1 };
                self.space_or_break_before(after, |p| each(p, item));
            }
            each(self, item);
        }
    }

    pub(super) fn tok_text(&self, tok: (u32, u32)) -> &'a str {
        slice(self.text, tok.0, tok.1)
    }

    /// The source token `s` about to be printed: the next token after the cursor (skipping one
    /// comma the layout drops), when it is `s`.
    pub(super) fn find_tok(&self, s: &str) -> Option<(u32, u32)> {
        let i = self.toks.partition_point(|t| t.0 < self.cursor);
        let first = *self.toks.get(i)?;
        let tok = if self.tok_text(first) == "," && s != "," {
            *self.toks.get(i + 1)?
        } else {
            first
        };
        (self.tok_text(tok) == s).then_some(tok)
    }

    /// The start of the first token at or after `pos` that is not a comma.
    pub(super) fn close_pos(&self, pos: u32) -> u32 {
        let i = self.toks.partition_point(|t| t.0 < pos);
        self.toks
            .get(i..)
            .unwrap_or_default()
            .iter()
            .find(|t| self.tok_text(**t) != ",")
            .map_or(u32::MAX, |t| t.0)
    }

    /// A keyword or punctuation token: emits the comments before it first.
    pub(super) fn kw(&mut self, s: &str) {
        if let Some((start, end)) = self.find_tok(s) {
            self.flush_before(start);
            self.cursor = self.cursor.max(end);
        }
        self.write(s);
    }

    /// A token the tree has a span for.
    pub(super) fn leaf(&mut self, span: Span, s: &str) {
        self.flush_before(span.start);
        self.write(s);
        self.cursor = self.cursor.max(span.end);
    }

    // ---------------------------------------------------------------- shared pieces

    pub(super) fn ident(&mut self, id: &Ident) {
        self.leaf(id.span, &id.name);
    }

    pub(super) fn string(&mut self, s: &StrLit) {
        self.leaf(s.span, &quote(&s.value));
    }

    pub(super) fn path(&mut self, p: &Path) {
        for (i, seg) in p.segments.iter().enumerate() {
            if i > 0 {
                self.kw(".");
            }
            self.ident(seg);
        }
    }

    pub(super) fn paths(&mut self, ps: &[Path]) {
        self.fill(ps, 0, Printer::path);
    }

    pub(super) fn idents(&mut self, ids: &[Ident]) {
        self.fill(ids, 0, Printer::ident);
    }

    pub(super) fn doc(&mut self, doc: Option<&crate::Name>) {
        let Some(doc) = doc else { return };
        for line in doc.split('\n') {
            if line.is_empty() {
                self.write("///");
            } else {
                self.write("/// ");
                self.write(line);
            }
            self.newline();
        }
    }

    /// Doc comment, then one annotation per line.
    pub(super) fn header(&mut self, doc: Option<&crate::Name>, annotations: &[Annotation]) {
        self.doc(doc);
        for a in annotations {
            self.annotation(a);
            self.newline();
        }
    }

    pub(super) fn annotation(&mut self, a: &Annotation) {
        self.kw("@");
        self.ident(&a.name);
        // `@name()` is `@name`, unless comments sit between the parentheses.
        if a.args.is_empty() && !self.pending_before(a.span.end) {
            return;
        }
        self.kw("(");
        self.fill(&a.args, 1, |p, arg| {
            if let Some(key) = &arg.key {
                p.ident(key);
                p.kw(":");
                p.sp();
            }
            p.expr(&arg.value);
        });
        self.kw(")");
    }

    /// After a `{` was written: start the block's lines.
    pub(super) fn block_open(&mut self) {
        self.indent += INDENT;
        self.newline();
        self.no_blank = true;
    }

    /// Emits the comments left in the block that ends at `end`, then its `}`.
    pub(super) fn block_close(&mut self, end: u32) {
        self.newline();
        self.flush_before(end);
        self.indent = self.indent.saturating_sub(INDENT);
        self.blank = false;
        self.newline();
        self.kw("}");
    }

    /// `{ a b c }` as a block of one member per line, `sep_blank` choosing blank lines between
    /// them; `{}` when there is nothing inside, not even a comment.
    pub(super) fn block<T>(
        &mut self,
        members: &[T],
        end: u32,
        sep_blank: bool,
        mut each: impl FnMut(&mut Self, &T),
    ) {
        self.kw("{");
        if members.is_empty() && !self.pending_before(end) {
            self.kw("}");
            return;
        }
        self.block_open();
        for (i, m) in members.iter().enumerate() {
            if i > 0 {
                if sep_blank {
                    self.blank_line();
                } else {
                    self.newline();
                }
            }
            each(self, m);
        }
        self.block_close(end);
    }
}
