//! `charter fmt`: the one canonical layout of a Charter file.
//!
//! The formatter prints the syntax tree again, in a fixed layout: 2-space indentation, one blank
//! line between top-level declarations (consecutive `use` lines stay together), one member per
//! line, rules and operations separated by blank lines, doc comments as `/// ` lines and
//! annotations on their own lines above their node. Literals are printed as written (strings are
//! re-quoted with [`quote`]) and parentheses are kept, so the formatted file parses to the same tree.
//!
//! Plain `//` comments are not in the tree. They are kept in one sorted list with a cursor: before
//! any token is printed, every comment that precedes that token in the source is emitted. A comment
//! on the same line as the token before it stays a trailing comment on that line; any other comment
//! gets its own line at the current indentation. A comment that ends a block is emitted before the
//! block's `}`; the rest are emitted at the end of the file. Since the cursor only moves forward,
//! every comment is emitted exactly once and in source order. Doc comments that document nothing
//! (warning W0001) are not in the tree either; they are kept verbatim, like plain comments.
//!
//! Layout decisions depend only on the tree, the printed width and on which tokens each comment
//! sits between, which the formatter preserves: so formatting is idempotent.

use std::fmt;

use logos::Logos;

use crate::diagnostics::{Diagnostic, codes};
use crate::syntax::ast::{
    ActionDecl, Alias, Annotation, BinOp, CaseItem, ContextDecl, Control, ControlClause, Entity,
    Enum, ErrorResponse, Expr, ExprKind, Field, File, Framework, Ident, Item, OpClause, Operation,
    Param, Path, Policy, Record, RequirementDecl, Rule, Service, StrLit, TestCase, TestSuite,
    Threat, ThreatClause, TypeExpr, TypeKind, Use, Variant,
};
use crate::syntax::lex::{Tok, quote};
use crate::syntax::{Parsed, Span, parse};

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

// ------------------------------------------------------------------------------------ source scan

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LexKind {
    Token,
    Comment,
    Doc,
}

#[derive(Debug, Clone, Copy)]
struct Lexeme {
    start: u32,
    end: u32,
    kind: LexKind,
}

/// Every token, comment and doc comment of `text`, in order.
fn scan(text: &str) -> Vec<Lexeme> {
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
struct Cmt {
    start: u32,
    text: String,
    /// On the same line as the token before it.
    trailing: bool,
    /// A blank line separates it from what comes before it.
    blank_before: bool,
    /// A blank line separates it from what comes after it.
    blank_after: bool,
}

fn slice(text: &str, lo: u32, hi: u32) -> &str {
    text.get(lo as usize..hi as usize).unwrap_or("")
}

fn newlines(text: &str, lo: u32, hi: u32) -> usize {
    slice(text, lo, hi).matches('\n').count()
}

/// The plain comments, plus the doc comments no node took, sorted and classified.
fn collect_comments(parsed: &Parsed, text: &str, lexemes: &[Lexeme]) -> Vec<Cmt> {
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
            Cmt {
                start,
                text: text_of,
                trailing,
                blank_before,
                blank_after,
            }
        })
        .collect()
}

// ------------------------------------------------------------------------------------ printer

/// Lines are built lazily: a line break requested by the layout (`newline`) happens only when the
/// next text is written, so a trailing comment can still be appended to the line it belongs to.
struct Printer<'a> {
    text: &'a str,
    /// Source token spans, for locating keywords and punctuation the tree has no span for.
    toks: Vec<(u32, u32)>,
    comments: Vec<Cmt>,
    /// The first comment not yet emitted.
    next: usize,
    /// The end of the last source token printed.
    cursor: u32,
    out: String,
    line: String,
    indent: usize,
    /// A line break is due before the next text.
    need_nl: bool,
    /// The next line continues a construct a comment broke: indent it by `CONT` more.
    cont: bool,
    /// A space is due before the next text on the same line.
    space: bool,
    /// A blank line is due before the next line.
    blank: bool,
    /// No blank line right after an opening brace.
    no_blank: bool,
    /// The current line ends in a comment: nothing more may go on it.
    commented: bool,
    failed: Option<Span>,
}

impl<'a> Printer<'a> {
    fn new(text: &'a str, toks: Vec<(u32, u32)>, comments: Vec<Cmt>) -> Self {
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
            failed: None,
        }
    }

    fn finish(mut self) -> Result<String, FormatError> {
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

    fn fail(&mut self, span: Span) {
        self.failed.get_or_insert(span);
    }

    /// The width of `f`'s output printed flat, without comments.
    fn measure(&self, f: impl FnOnce(&mut Printer<'a>)) -> usize {
        let mut scratch = Printer::new(self.text, Vec::new(), Vec::new());
        f(&mut scratch);
        scratch.commit();
        scratch.out.trim_end().chars().count()
    }

    /// The column the next text would start at.
    fn column(&self) -> usize {
        if self.line.is_empty() || self.need_nl {
            self.indent + if self.cont { CONT } else { 0 }
        } else {
            self.line.chars().count() + usize::from(self.space)
        }
    }

    // ---------------------------------------------------------------- low level

    fn commit(&mut self) {
        if !self.line.is_empty() {
            self.out.push_str(self.line.trim_end());
            self.out.push('\n');
            self.line.clear();
        }
        self.need_nl = false;
        self.commented = false;
    }

    fn write(&mut self, s: &str) {
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

    fn sp(&mut self) {
        self.space = true;
    }

    fn newline(&mut self) {
        self.need_nl = true;
        self.cont = false;
        self.space = false;
    }

    fn blank_line(&mut self) {
        self.newline();
        self.blank = true;
    }

    // ---------------------------------------------------------------- comments

    fn flush_before(&mut self, pos: u32) {
        while let Some(c) = self.comments.get(self.next) {
            if c.start >= pos {
                break;
            }
            let c = c.clone();
            self.next += 1;
            self.emit(&c);
        }
    }

    fn flush_all(&mut self) {
        self.flush_before(u32::MAX);
    }

    fn emit(&mut self, c: &Cmt) {
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
    fn pending_before(&self, pos: u32) -> bool {
        self.comments.get(self.next).is_some_and(|c| c.start < pos)
    }

    /// True when some comment starts strictly between `lo` and `hi`.
    fn comment_within(&self, lo: u32, hi: u32) -> bool {
        self.comments.iter().any(|c| lo < c.start && c.start < hi)
    }

    fn tok_text(&self, tok: (u32, u32)) -> &'a str {
        slice(self.text, tok.0, tok.1)
    }

    /// The source token `s` about to be printed: the next token after the cursor (skipping one
    /// comma the layout drops), when it is `s`.
    fn find_tok(&self, s: &str) -> Option<(u32, u32)> {
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
    fn close_pos(&self, pos: u32) -> u32 {
        let i = self.toks.partition_point(|t| t.0 < pos);
        self.toks
            .get(i..)
            .unwrap_or_default()
            .iter()
            .find(|t| self.tok_text(**t) != ",")
            .map_or(u32::MAX, |t| t.0)
    }

    /// A keyword or punctuation token: emits the comments before it first.
    fn kw(&mut self, s: &str) {
        if let Some((start, end)) = self.find_tok(s) {
            self.flush_before(start);
            self.cursor = self.cursor.max(end);
        }
        self.write(s);
    }

    /// A token the tree has a span for.
    fn leaf(&mut self, span: Span, s: &str) {
        self.flush_before(span.start);
        self.write(s);
        self.cursor = self.cursor.max(span.end);
    }

    // ---------------------------------------------------------------- shared pieces

    fn ident(&mut self, id: &Ident) {
        self.leaf(id.span, &id.name);
    }

    fn string(&mut self, s: &StrLit) {
        self.leaf(s.span, &quote(&s.value));
    }

    fn path(&mut self, p: &Path) {
        for (i, seg) in p.segments.iter().enumerate() {
            if i > 0 {
                self.kw(".");
            }
            self.ident(seg);
        }
    }

    fn paths(&mut self, ps: &[Path]) {
        for (i, p) in ps.iter().enumerate() {
            if i > 0 {
                self.kw(",");
                self.sp();
            }
            self.path(p);
        }
    }

    fn idents(&mut self, ids: &[Ident]) {
        for (i, id) in ids.iter().enumerate() {
            if i > 0 {
                self.kw(",");
                self.sp();
            }
            self.ident(id);
        }
    }

    fn doc(&mut self, doc: Option<&String>) {
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
    fn header(&mut self, doc: Option<&String>, annotations: &[Annotation]) {
        self.doc(doc);
        for a in annotations {
            self.annotation(a);
            self.newline();
        }
    }

    fn annotation(&mut self, a: &Annotation) {
        self.kw("@");
        self.ident(&a.name);
        // `@name()` is `@name`, unless comments sit between the parentheses.
        if a.args.is_empty() && !self.pending_before(a.span.end) {
            return;
        }
        self.kw("(");
        for (i, arg) in a.args.iter().enumerate() {
            if i > 0 {
                self.kw(",");
                self.sp();
            }
            if let Some(key) = &arg.key {
                self.ident(key);
                self.kw(":");
                self.sp();
            }
            self.expr(&arg.value);
        }
        self.kw(")");
    }

    /// After a `{` was written: start the block's lines.
    fn block_open(&mut self) {
        self.indent += INDENT;
        self.newline();
        self.no_blank = true;
    }

    /// Emits the comments left in the block that ends at `end`, then its `}`.
    fn block_close(&mut self, end: u32) {
        self.newline();
        self.flush_before(end);
        self.indent = self.indent.saturating_sub(INDENT);
        self.blank = false;
        self.newline();
        self.kw("}");
    }

    /// `{ a b c }` as a block of one member per line, `sep_blank` choosing blank lines between
    /// them; `{}` when there is nothing inside, not even a comment.
    fn block<T>(
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

    // ---------------------------------------------------------------- files and items

    fn file(&mut self, file: &File) {
        let mut prev_use = false;
        for (i, item) in file.items.iter().enumerate() {
            let is_use = matches!(item, Item::Use(_));
            if i > 0 {
                if is_use && prev_use {
                    self.newline();
                } else {
                    self.blank_line();
                }
            }
            self.item(item);
            prev_use = is_use;
        }
        self.newline();
        self.flush_all();
    }

    fn item(&mut self, item: &Item) {
        self.flush_before(item.span().start);
        match item {
            Item::Package(x) => {
                self.kw("package");
                self.sp();
                self.path(&x.path);
            }
            Item::Use(x) => self.use_decl(x),
            Item::Record(x) => self.record(x),
            Item::Enum(x) => self.enum_decl(x),
            Item::Alias(x) => self.alias(x),
            Item::Entity(x) => self.entity(x),
            Item::Action(x) => self.action(x),
            Item::Context(x) => self.context(x),
            Item::Policy(x) => self.policy(x),
            Item::Service(x) => self.service(x),
            Item::Control(x) => self.control(x),
            Item::Threat(x) => self.threat(x),
            Item::Test(x) => self.test_suite(x),
            Item::Framework(x) => self.framework(x),
            Item::Error(x) => self.fail(x.span),
        }
    }

    fn use_decl(&mut self, u: &Use) {
        self.kw("use");
        self.sp();
        for seg in &u.prefix.segments {
            self.ident(seg);
            self.kw(".");
        }
        if u.braced {
            self.kw("{");
        }
        for (i, n) in u.names.iter().enumerate() {
            if i > 0 {
                self.kw(",");
                self.sp();
            }
            self.ident(&n.name);
            if let Some(alias) = &n.alias {
                self.sp();
                self.kw("as");
                self.sp();
                self.ident(alias);
            }
        }
        if u.braced {
            self.kw("}");
        }
    }

    fn fields(&mut self, fields: &[Field], end: u32) {
        self.block(fields, end, false, |p, f| {
            p.field(f);
            p.keep_comma_after_doc();
        });
    }

    /// The layout drops the optional commas between fields. A doc comment that documents nothing
    /// and sits before such a comma would then run into the next field's doc comment (or become
    /// it); the comma is kept in that case, which keeps the two apart.
    fn keep_comma_after_doc(&mut self) {
        let Some((comma, _)) = self.find_tok(",") else {
            return;
        };
        let dangling_doc = self
            .comments
            .get(self.next..)
            .unwrap_or_default()
            .iter()
            .take_while(|c| c.start < comma)
            .any(|c| c.text.starts_with("///"));
        if dangling_doc {
            self.kw(",");
        }
    }

    fn field(&mut self, f: &Field) {
        self.flush_before(f.span.start);
        self.header(f.doc.as_ref(), &f.annotations);
        self.ident(&f.name);
        self.kw(":");
        self.sp();
        self.ty(&f.ty);
        if let Some(default) = &f.default {
            self.sp();
            self.kw("=");
            self.sp();
            self.expr(default);
        }
    }

    fn record(&mut self, r: &Record) {
        self.header(r.doc.as_ref(), &r.annotations);
        self.kw("record");
        self.sp();
        self.ident(&r.name);
        if r.with_provenance {
            self.sp();
            self.kw("with");
            self.sp();
            self.kw("provenance");
        }
        self.sp();
        self.fields(&r.fields, r.span.end);
    }

    fn entity(&mut self, e: &Entity) {
        self.header(e.doc.as_ref(), &e.annotations);
        self.kw("entity");
        self.sp();
        self.ident(&e.name);
        self.sp();
        self.fields(&e.fields, e.span.end);
    }

    fn context(&mut self, c: &ContextDecl) {
        self.header(c.doc.as_ref(), &c.annotations);
        self.kw("context");
        self.sp();
        self.ident(&c.name);
        self.sp();
        self.fields(&c.fields, c.span.end);
    }

    fn alias(&mut self, a: &Alias) {
        self.header(a.doc.as_ref(), &a.annotations);
        self.kw("type");
        self.sp();
        self.ident(&a.name);
        self.sp();
        self.kw("=");
        self.sp();
        self.ty(&a.ty);
    }

    fn enum_decl(&mut self, e: &Enum) {
        self.header(e.doc.as_ref(), &e.annotations);
        if e.ordered {
            self.kw("ordered");
            self.sp();
        }
        if e.open {
            self.kw("open");
            self.sp();
        }
        self.kw("enum");
        self.sp();
        self.ident(&e.name);
        self.sp();
        let plain = e
            .variants
            .iter()
            .all(|v| v.doc.is_none() && v.annotations.is_empty());
        let names = self.measure(|p| {
            for (i, v) in e.variants.iter().enumerate() {
                if i > 0 {
                    p.write(", ");
                }
                p.write(&v.name.name);
            }
        });
        // `{ ` + names + ` }`
        let fits = self.column() + names + 4 <= WIDTH;
        self.kw("{");
        let pending = self.pending_before(e.span.end);
        if e.variants.is_empty() && !pending {
            self.kw("}");
            return;
        }
        if plain && fits && !pending {
            self.sp();
            for (i, v) in e.variants.iter().enumerate() {
                if i > 0 {
                    self.kw(",");
                    self.sp();
                }
                self.ident(&v.name);
            }
            self.sp();
            self.kw("}");
            return;
        }
        self.block_open();
        for (i, v) in e.variants.iter().enumerate() {
            if i > 0 {
                self.newline();
            }
            self.variant(v);
            self.kw(",");
        }
        self.block_close(e.span.end);
    }

    fn variant(&mut self, v: &Variant) {
        let start = v
            .annotations
            .first()
            .map_or(v.name.span.start, |a| a.span.start);
        self.flush_before(start);
        self.header(v.doc.as_ref(), &v.annotations);
        self.ident(&v.name);
    }

    fn action(&mut self, a: &ActionDecl) {
        self.header(a.doc.as_ref(), &a.annotations);
        self.kw("action");
        self.sp();
        self.idents(&a.names);
        self.sp();
        self.kw("on");
        self.sp();
        self.path(&a.resource);
        self.sp();
        self.kw("by");
        self.sp();
        self.paths(&a.subjects);
    }

    // ---------------------------------------------------------------- policies

    fn policy(&mut self, p: &Policy) {
        self.header(p.doc.as_ref(), &p.annotations);
        self.kw("policy");
        self.sp();
        self.ident(&p.name);
        self.sp();
        self.kw("on");
        self.sp();
        self.path(&p.resource);
        self.sp();
        self.kw("by");
        self.sp();
        self.paths(&p.subjects);
        if let Some(ctx) = &p.context {
            self.sp();
            self.kw("with");
            self.sp();
            self.path(ctx);
        }
        if let Some(version) = &p.version {
            self.sp();
            self.kw("version");
            self.sp();
            self.string(version);
        }
        self.indent += INDENT;
        self.newline();
        self.kw("default");
        self.sp();
        self.kw(p.default_effect.as_str());
        if let Some(reason) = &p.default_reason {
            self.sp();
            self.string(reason);
        }
        self.indent = self.indent.saturating_sub(INDENT);
        self.newline();
        self.block(&p.rules, p.span.end, true, Self::rule);
    }

    fn rule(&mut self, r: &Rule) {
        self.flush_before(r.span.start);
        self.header(r.doc.as_ref(), &r.annotations);
        self.kw(r.effect.as_str());
        self.sp();
        self.ident(&r.name);
        let base = self.indent;
        self.indent = base + INDENT;
        if let Some(cond) = &r.condition {
            self.newline();
            self.kw("when");
            self.sp();
            self.condition(cond);
        }
        if let Some(reason) = &r.reason {
            self.newline();
            self.kw("because");
            self.sp();
            self.string(reason);
        }
        self.indent = base;
    }

    /// A rule condition: a long (or commented) top-level `and`/`or` chain gets one operand per
    /// line, the operators right-aligned under `when`.
    fn condition(&mut self, e: &Expr) {
        let ExprKind::Binary(op @ (BinOp::And | BinOp::Or), _, _) = &e.kind else {
            self.expr(e);
            return;
        };
        let mut parts = Vec::new();
        chain(e, *op, &mut parts);
        let flat = self.measure(|p| p.expr(e));
        let long = self.column() + flat > WIDTH;
        if parts.len() < 2 || !(long || self.comment_within(e.span.start, e.span.end)) {
            self.expr(e);
            return;
        }
        let when_indent = self.indent;
        let op_text = op.as_str();
        for (i, part) in parts.iter().enumerate() {
            if i > 0 {
                self.newline();
                // Comments before the operator line up with `when`.
                if let Some((start, _)) = self.find_tok(op_text) {
                    self.flush_before(start);
                }
                // `when` is 4 wide: `and`/`or` end where it ends.
                self.indent = when_indent + 4usize.saturating_sub(op_text.len());
                self.kw(op_text);
                self.sp();
            }
            self.expr(part);
            self.indent = when_indent;
        }
    }

    // ---------------------------------------------------------------- services

    fn service(&mut self, s: &Service) {
        self.header(s.doc.as_ref(), &s.annotations);
        self.kw("service");
        self.sp();
        self.ident(&s.name);
        if let Some(version) = &s.version {
            self.sp();
            self.kw("version");
            self.sp();
            self.string(version);
        }
        if let Some(base) = &s.base {
            self.sp();
            self.kw("at");
            self.sp();
            self.string(base);
        }
        self.sp();
        self.block(&s.ops, s.span.end, true, Self::operation);
    }

    fn operation(&mut self, op: &Operation) {
        self.flush_before(op.span.start);
        self.header(op.doc.as_ref(), &op.annotations);
        self.kw("op");
        self.sp();
        self.ident(&op.name);
        self.sp();
        self.ident(&op.method);
        self.sp();
        self.string(&op.path);
        self.sp();
        self.kw("(");
        let params = self.measure(|p| p.params_flat(&op.params));
        let result = op
            .result
            .as_ref()
            .map_or(0, |ty| 4 + self.measure(|p| p.ty(ty)));
        let long = self.column() + params + 1 + result > WIDTH;
        let commented = match (op.params.first(), op.params.last()) {
            (Some(first), Some(last)) => {
                self.comment_within(first.span.start, self.close_pos(last.span.end))
            }
            _ => false,
        };
        if !op.params.is_empty() && (long || commented) {
            self.indent += INDENT;
            for param in &op.params {
                self.newline();
                self.param(param);
                self.kw(",");
            }
            self.indent = self.indent.saturating_sub(INDENT);
            self.newline();
        } else {
            self.params_flat(&op.params);
        }
        self.kw(")");
        if let Some(ty) = &op.result {
            self.sp();
            self.kw("->");
            self.sp();
            self.ty(ty);
        }
        self.indent += INDENT;
        for clause in &op.clauses {
            self.newline();
            self.op_clause(clause);
        }
        self.indent = self.indent.saturating_sub(INDENT);
    }

    fn params_flat(&mut self, params: &[Param]) {
        for (i, param) in params.iter().enumerate() {
            if i > 0 {
                self.kw(",");
                self.sp();
            }
            self.param(param);
        }
    }

    fn param(&mut self, p: &Param) {
        self.ident(&p.name);
        self.kw(":");
        self.sp();
        self.ty(&p.ty);
        if let Some(default) = &p.default {
            self.sp();
            self.kw("=");
            self.sp();
            self.expr(default);
        }
    }

    fn op_clause(&mut self, c: &OpClause) {
        match c {
            OpClause::Errors(list, _) => {
                self.kw("errors");
                self.sp();
                self.kw("{");
                if !list.is_empty() {
                    self.sp();
                }
                for (i, e) in list.iter().enumerate() {
                    if i > 0 {
                        self.kw(",");
                        self.sp();
                    }
                    self.error_response(e);
                }
                if !list.is_empty() {
                    self.sp();
                }
                self.kw("}");
            }
            OpClause::RequiresProvenance(_) => {
                self.kw("requires");
                self.sp();
                self.kw("provenance");
            }
            OpClause::GuardedBy { policy, action, .. } => {
                self.kw("guarded");
                self.sp();
                self.kw("by");
                self.sp();
                self.path(policy);
                self.sp();
                self.kw("action");
                self.sp();
                self.ident(action);
            }
            OpClause::Graphql(kind, _) => {
                self.kw("graphql");
                self.sp();
                self.ident(kind);
            }
            OpClause::Error(span) => self.fail(*span),
        }
    }

    fn error_response(&mut self, e: &ErrorResponse) {
        let written = slice(self.text, e.status_span.start, e.status_span.end);
        let status = if written.is_empty() {
            e.status_text.clone()
        } else {
            written.to_string()
        };
        self.leaf(e.status_span, &status);
        self.kw(":");
        self.sp();
        self.ty(&e.ty);
    }

    // ---------------------------------------------------------------- controls, threats

    fn control(&mut self, c: &Control) {
        self.header(c.doc.as_ref(), &c.annotations);
        self.kw("control");
        self.sp();
        self.ident(&c.id);
        if let Some(title) = &c.title {
            self.sp();
            self.string(title);
        }
        self.sp();
        self.block(&c.clauses, c.span.end, false, Self::control_clause);
    }

    fn control_clause(&mut self, c: &ControlClause) {
        match c {
            ControlClause::Owner(s) => {
                self.kw("owner");
                self.sp();
                self.string(s);
            }
            ControlClause::Satisfies(refs) => {
                self.kw("satisfies");
                self.sp();
                for (i, r) in refs.iter().enumerate() {
                    if i > 0 {
                        self.kw(",");
                        self.sp();
                    }
                    self.path(&r.framework);
                    self.kw(".");
                    self.string(&r.id);
                }
            }
            ControlClause::EnforcedBy(paths) => {
                self.kw("enforced");
                self.sp();
                self.kw("by");
                self.sp();
                self.paths(paths);
            }
            ControlClause::Evidence {
                path,
                retained,
                produced_by,
                ..
            } => {
                self.kw("evidence");
                self.sp();
                self.string(path);
                if let Some((duration, span)) = retained {
                    self.sp();
                    self.kw("retained");
                    self.sp();
                    self.leaf(*span, duration);
                }
                if let Some(producer) = produced_by {
                    self.sp();
                    self.kw("produced");
                    self.sp();
                    self.kw("by");
                    self.sp();
                    self.expr(producer);
                }
            }
            ControlClause::Error(span) => self.fail(*span),
        }
    }

    fn threat(&mut self, t: &Threat) {
        self.header(t.doc.as_ref(), &t.annotations);
        self.kw("threat");
        self.sp();
        self.ident(&t.id);
        if let Some(title) = &t.title {
            self.sp();
            self.string(title);
        }
        self.sp();
        self.block(&t.clauses, t.span.end, false, Self::threat_clause);
    }

    fn threat_clause(&mut self, c: &ThreatClause) {
        let (keyword, value) = match c {
            ThreatClause::Subsystem(s) => {
                self.kw("subsystem");
                self.sp();
                self.string(s);
                return;
            }
            ThreatClause::MitigatedBy(ids) => {
                self.kw("mitigated");
                self.sp();
                self.kw("by");
                self.sp();
                self.paths(ids);
                return;
            }
            ThreatClause::Error(span) => {
                self.fail(*span);
                return;
            }
            ThreatClause::Category(id) => ("category", id),
            ThreatClause::Likelihood(id) => ("likelihood", id),
            ThreatClause::Impact(id) => ("impact", id),
        };
        self.kw(keyword);
        self.sp();
        self.ident(value);
    }

    // ---------------------------------------------------------------- tests, frameworks

    fn test_suite(&mut self, t: &TestSuite) {
        self.header(t.doc.as_ref(), &t.annotations);
        self.kw("test");
        self.sp();
        self.path(&t.policy);
        self.sp();
        self.block(&t.cases, t.span.end, true, Self::test_case);
    }

    fn test_case(&mut self, c: &TestCase) {
        self.flush_before(c.span.start);
        self.doc(c.doc.as_ref());
        self.string(&c.name);
        self.sp();
        self.block(&c.items, c.span.end, false, Self::case_item);
    }

    fn case_item(&mut self, item: &CaseItem) {
        match item {
            CaseItem::Value {
                role, ty, value, ..
            } => {
                self.kw(role.as_str());
                self.sp();
                if let Some(ty) = ty {
                    self.path(ty);
                    self.sp();
                }
                match &value.kind {
                    ExprKind::Object(_, fields) => self.object_body(fields, value.span.end),
                    _ => self.fail(value.span),
                }
            }
            CaseItem::Action(action, _) => {
                self.kw("action");
                self.sp();
                self.ident(action);
            }
            CaseItem::Expect { effect, by, .. } => {
                self.kw("expect");
                self.sp();
                self.kw(effect.as_str());
                if let Some(by) = by {
                    self.sp();
                    self.kw("by");
                    self.sp();
                    self.ident(by);
                }
            }
            CaseItem::Error(span) => self.fail(*span),
        }
    }

    /// `{ k: v, ... }` on one line when it fits and holds no comment, else one entry per line.
    fn object_body(&mut self, fields: &[(Ident, Expr)], end: u32) {
        let flat = self.measure(|p| p.object_flat(fields));
        let fits = self.column() + flat <= WIDTH;
        self.kw("{");
        let pending = self.pending_before(end);
        if fields.is_empty() && !pending {
            self.kw("}");
            return;
        }
        if fits && !pending {
            self.sp();
            self.object_entries(fields);
            self.sp();
            self.kw("}");
            return;
        }
        self.block_open();
        for (i, (key, value)) in fields.iter().enumerate() {
            if i > 0 {
                self.newline();
            }
            self.ident(key);
            self.kw(":");
            self.sp();
            self.expr(value);
            self.kw(",");
        }
        self.block_close(end);
    }

    fn object_flat(&mut self, fields: &[(Ident, Expr)]) {
        self.kw("{");
        if !fields.is_empty() {
            self.sp();
            self.object_entries(fields);
            self.sp();
        }
        self.kw("}");
    }

    fn object_entries(&mut self, fields: &[(Ident, Expr)]) {
        for (i, (key, value)) in fields.iter().enumerate() {
            if i > 0 {
                self.kw(",");
                self.sp();
            }
            self.ident(key);
            self.kw(":");
            self.sp();
            self.expr(value);
        }
    }

    fn framework(&mut self, f: &Framework) {
        self.header(f.doc.as_ref(), &f.annotations);
        self.kw("framework");
        self.sp();
        self.ident(&f.name);
        if let Some(title) = &f.title {
            self.sp();
            self.string(title);
        }
        self.sp();
        self.block(&f.requirements, f.span.end, false, Self::requirement);
    }

    fn requirement(&mut self, r: &RequirementDecl) {
        self.flush_before(r.span.start);
        self.kw("requirement");
        self.sp();
        self.string(&r.id);
        self.sp();
        self.string(&r.title);
        if !r.attributes.is_empty() || self.pending_before(r.span.end) {
            self.sp();
            self.object_body(&r.attributes, r.span.end);
        }
    }

    // ---------------------------------------------------------------- types and expressions

    fn ty(&mut self, t: &TypeExpr) {
        match &t.kind {
            TypeKind::Named(p) => self.path(p),
            TypeKind::Optional(inner) => {
                self.ty(inner);
                self.kw("?");
            }
            TypeKind::Generic(ctor, args) => {
                self.ident(ctor);
                self.kw("<");
                for (i, arg) in args.iter().enumerate() {
                    if i > 0 {
                        self.kw(",");
                        self.sp();
                    }
                    self.ty(arg);
                }
                self.kw(">");
            }
            TypeKind::Range(base, min, max) => {
                self.ty(base);
                self.sp();
                self.kw("in");
                self.sp();
                if let Some(min) = min {
                    self.expr(min);
                }
                self.kw("..");
                if let Some(max) = max {
                    self.expr(max);
                }
            }
            TypeKind::Matching(base, pattern) => {
                self.ty(base);
                self.sp();
                self.kw("matching");
                self.sp();
                self.string(pattern);
            }
            TypeKind::Error => self.fail(t.span),
        }
    }

    fn expr(&mut self, e: &Expr) {
        match &e.kind {
            ExprKind::Bool(b) => self.leaf(e.span, if *b { "true" } else { "false" }),
            ExprKind::None => self.leaf(e.span, "none"),
            ExprKind::Int(s) | ExprKind::Float(s) | ExprKind::Date(s) | ExprKind::Duration(s) => {
                self.leaf(e.span, s);
            }
            ExprKind::Str(s) => self.leaf(e.span, &quote(s)),
            ExprKind::Path(p) => self.path(p),
            ExprKind::List(items) => {
                self.kw("[");
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        self.kw(",");
                        self.sp();
                    }
                    self.expr(item);
                }
                self.kw("]");
            }
            ExprKind::Object(ty, fields) => {
                if let Some(ty) = ty {
                    self.path(ty);
                    self.sp();
                }
                self.object_flat(fields);
            }
            ExprKind::Not(inner) => {
                self.kw("not");
                self.sp();
                self.expr(inner);
            }
            ExprKind::Neg(inner) => {
                self.kw("-");
                self.expr(inner);
            }
            ExprKind::Has(p) => {
                self.kw("has");
                self.sp();
                self.path(p);
            }
            ExprKind::Binary(op, l, r) => {
                self.expr(l);
                self.sp();
                self.kw(op.as_str());
                self.sp();
                self.expr(r);
            }
            ExprKind::Paren(inner) => {
                self.kw("(");
                self.expr(inner);
                self.kw(")");
            }
            ExprKind::Error => self.fail(e.span),
        }
    }
}

/// The operands of a left-nested chain of `op`: `a and b and c` gives `[a, b, c]`.
fn chain<'e>(e: &'e Expr, op: BinOp, out: &mut Vec<&'e Expr>) {
    match &e.kind {
        ExprKind::Binary(o, l, r) if *o == op => {
            chain(l, op, out);
            out.push(r);
        }
        _ => out.push(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every declaration kind, written untidily, with comments in odd places.
    const SAMPLE: &str = r#"// file header

package acme.data   // the package
use std.provenance.Provenance
use acme.identity.{User, Group as Team}  // braced
use acme.other.Thing as Other

/// A person.
/// Second line.
@approved_breaking("rename")
record Person with provenance {
  /// The name.
  name: string,   // trailing on a field
  @deprecated(since: 2026-03-01, sunset: 2027-06-30, use: trace, note: "gone \"soon\"")
  age: int in 0..150 = 18
  // a comment between fields

  tags: list<string>? , score: float in -1.0..1.0 = -0.5
  email: string matching "^[a-z]+@[a-z]+\\.com$"
  meta: map<string, list<int>>
  // last in the block
}

record Empty {}

record EmptyWithComment {
  // nothing here yet
}

ordered enum Level { low, medium, high }
open enum Kind {
  /// first
  a,
  @deprecated(since: 2026-01-01)
  b
  c, // after c
}

type Score = float in 0.0..1.0
type Id = string matching "^[0-9]+$"

entity Dataset { owner: string tenant: string level: Level = Level.low }
entity User { id: string, tenant: string, roles: set<string>, manager: string? }

action read, export on Dataset by User, acme.svc.Service

context Request { ip: string
  at: timestamp }

/// Who can read.
policy data_access on Dataset by User with Request version "1.2.0" default deny "no rule allowed this" {
  allow owner_reads when subject.id == resource.owner because "owners read"
  // between rules
  @canary
  deny cross_tenant when not (subject.tenant == resource.tenant) because "tenants are separate"
  allow long_rule when subject.tenant == resource.tenant and resource.level <= Level.medium and action in [read, export] and has subject.manager because "long conditions break"
  allow mixed when (subject.id == "a" or subject.id == "b") and context.ip != "0.0.0.0" or false because "mixed"
  deny nothing
}

service Catalog version "2.1.0" at "/api" {
  /// Lists.
  op list GET "/items" (limit: int = 10, cursor: string? = none) -> list<Dataset>
    errors { 400: BadRequest, 404: NotFound } requires provenance guarded by data_access action read graphql query
  @deprecated(since: 2026-03-01, use: list)
  op old GET "/old" () // no params
  op create POST "/items/{id}" (id: string, body: Dataset, dry_run: bool = false, reason: string = "none given", extra: int = 1_000) -> Dataset
    errors {}
}

control GOV-01 "Access is reviewed" {
  owner "security"  // who
  satisfies soc2."CC6.1", iso27001."A.5.15"
  enforced by data_access
  evidence "evidence/access.json" retained 365d produced by data_access
  evidence "evidence/ci.log" produced by "pipeline"
}

threat T-01 "Token theft" { subsystem "ci" category supply_chain likelihood medium impact high mitigated by GOV-01, GOV-02 }

test data_access {
  /// The happy path.
  "owner reads" {
    subject User { id: "u1", tenant: "t1", roles: ["admin", "dev"] }
    resource Dataset { owner: "u1", tenant: "t1" }
    action read
    context { ip: "10.0.0.1", at: "2026-01-01T00:00:00Z" }
    expect allow by owner_reads
  }
  "stranger" { subject { id: "u2", tenant: "t2", roles: [] } resource Dataset { owner: "u1", tenant: "t1", level: Level.high, note: "a fairly long note to push this over the limit" } action read expect deny by default }
  "bare" { expect deny }
}

framework soc2 "SOC 2" {
  requirement "CC6.1" "Logical access" { category: "security", since: 2017-01-01 }
  requirement "CC6.2" "Provisioning"
  requirement "CC6.3" "Empty" {}
}
// end of file
"#;

    fn ok(result: Result<String, FormatError>) -> String {
        assert!(result.is_ok(), "formatting failed: {result:?}");
        result.unwrap_or_default()
    }

    /// `Debug` output with every `Span { start: .., end: .. }` replaced by `Span`.
    fn erase_spans(debug: &str) -> String {
        let mut out = String::with_capacity(debug.len());
        let mut rest = debug;
        while let Some((before, after)) = rest.split_once("Span { start: ") {
            out.push_str(before);
            out.push_str("Span");
            rest = after.split_once('}').map_or("", |(_, tail)| tail);
        }
        out.push_str(rest);
        out
    }

    fn tree(parsed: &Parsed) -> String {
        erase_spans(&format!("{:?}", parsed.file))
    }

    /// Plain comments plus doc comments that document nothing, sorted.
    fn all_comments(parsed: &Parsed, text: &str) -> Vec<String> {
        let lexemes = scan(text);
        let mut texts: Vec<String> = collect_comments(parsed, text, &lexemes)
            .into_iter()
            .map(|c| c.text)
            .collect();
        texts.sort();
        texts
    }

    /// Formats `src` and checks the three properties; returns the formatted text.
    fn check(src: &str) -> String {
        let before = parse("test.charter", src);
        let formatted = ok(format(&before, src));
        let after = parse("test.charter", &formatted);
        assert!(
            !after.diagnostics.iter().any(Diagnostic::is_error),
            "formatted text does not parse: {:?}\n{formatted}",
            after.diagnostics
        );
        // Meaning: the same tree, spans aside.
        assert_eq!(
            tree(&before),
            tree(&after),
            "tree changed:\n--- input\n{src}\n--- output\n{formatted}"
        );
        // Comments: the same multiset.
        let (want, got) = (all_comments(&before, src), all_comments(&after, &formatted));
        let lost: Vec<&String> = want.iter().filter(|c| !got.contains(c)).collect();
        let new: Vec<&String> = got.iter().filter(|c| !want.contains(c)).collect();
        assert!(
            want == got,
            "comments changed: lost {lost:?}, new {new:?}\n--- output\n{formatted}"
        );
        // The same warnings (a dangling doc comment stays dangling).
        let codes_of = |p: &Parsed| p.diagnostics.iter().map(|d| d.code).collect::<Vec<_>>();
        assert_eq!(codes_of(&before), codes_of(&after), "{formatted}");
        // Idempotent.
        let again = ok(format(&after, &formatted));
        assert_eq!(
            formatted, again,
            "not idempotent:\n--- input\n{src}\n--- once\n{formatted}\n--- twice\n{again}"
        );
        formatted
    }

    #[test]
    fn sample_properties() {
        let out = check(SAMPLE);
        assert!(out.ends_with("// end of file\n"), "{out}");
        assert!(!out.contains('\t'));
    }

    #[test]
    fn erase_spans_keeps_everything_else() {
        let a = parse(
            "a",
            "policy p on R by S default deny { allow r when a == b because \"x\" }",
        );
        let b = parse(
            "b",
            "policy p on R by S   default deny {\n allow r when a == b because \"x\" }",
        );
        let c = parse(
            "c",
            "policy p on R by S default deny { allow r when a != b because \"x\" }",
        );
        let d = parse(
            "d",
            "policy p on R by S default deny { allow r when (a == b) because \"x\" }",
        );
        assert_eq!(tree(&a), tree(&b));
        assert_ne!(tree(&a), tree(&c));
        assert_ne!(tree(&a), tree(&d));
        assert!(!tree(&a).contains("start:"));
    }

    #[test]
    fn canonical_layout() {
        let src = "package   a.b\nuse x.Y\n\n\nuse x.{Z,W as V,}\nrecord R{a:int,b:string?=none}\n\
                   enum E{x,y}\ntype T=list<R>\n";
        let want = "package a.b\n\nuse x.Y\nuse x.{Z, W as V}\n\nrecord R {\n  a: int\n  b: string? = none\n}\n\n\
                    enum E { x, y }\n\ntype T = list<R>\n";
        assert_eq!(check(src), want);
    }

    #[test]
    fn policy_layout() {
        let src = "policy p on R by S, U with C version \"1\" default deny \"no\" {\n\
                   @canary allow a when x == 1 because \"one\" deny b because \"b\" }";
        let want = "policy p on R by S, U with C version \"1\"\n  default deny \"no\"\n{\n  @canary\n  allow a\n    when x == 1\n    because \"one\"\n\n  deny b\n    because \"b\"\n}\n";
        assert_eq!(check(src), want);
    }

    #[test]
    fn long_chains_break_under_when() {
        let src = "policy p on R by S default deny {\n allow a when subject.tenant == resource.tenant and resource.level <= Level.medium and has subject.manager because \"x\"\n allow b when subject.alpha_beta_gamma == 1 or subject.delta_epsilon_zeta == 2 or subject.eta_theta_iota == 3 because \"y\" }";
        let want = "policy p on R by S\n  default deny\n{\n  allow a\n    when subject.tenant == resource.tenant\n     and resource.level <= Level.medium\n     and has subject.manager\n    because \"x\"\n\n  allow b\n    when subject.alpha_beta_gamma == 1\n      or subject.delta_epsilon_zeta == 2\n      or subject.eta_theta_iota == 3\n    because \"y\"\n}\n";
        assert_eq!(check(src), want);
    }

    #[test]
    fn short_chain_with_comment_breaks() {
        let src = "policy p on R by S default deny {\n allow a when x == 1 // first\n and y == 2 because \"x\" }";
        let want = "policy p on R by S\n  default deny\n{\n  allow a\n    when x == 1 // first\n     and y == 2\n    because \"x\"\n}\n";
        assert_eq!(check(src), want);
    }

    #[test]
    fn long_enum_goes_one_per_line() {
        let names: Vec<String> = (0..20).map(|i| format!("variant_{i}")).collect();
        let src = format!("enum E {{ {} }}", names.join(" "));
        let out = check(&src);
        assert!(
            out.starts_with("enum E {\n  variant_0,\n  variant_1,\n"),
            "{out}"
        );
        assert!(out.ends_with("  variant_19,\n}\n"), "{out}");
    }

    #[test]
    fn service_layout() {
        let src = "service S at \"/x\" { op a GET \"/a\" () -> T errors { 404: NF } guarded by p action read op b POST \"/b\" (body: Alpha, dry_run: bool = false, reason: string = \"none given at all\", extra: int = 1_000) }";
        let want = "service S at \"/x\" {\n  op a GET \"/a\" () -> T\n    errors { 404: NF }\n    guarded by p action read\n\n  op b POST \"/b\" (\n    body: Alpha,\n    dry_run: bool = false,\n    reason: string = \"none given at all\",\n    extra: int = 1_000,\n  )\n}\n";
        assert_eq!(check(src), want);
    }

    #[test]
    fn controls_threats_tests_frameworks() {
        let src = "control C-1 \"t\" { owner \"o\" satisfies soc2.\"CC6.1\" enforced by p evidence \"e\" retained 30d }\n\
                   threat T-1 { category tampering mitigated by C-1 }\n\
                   test p { \"c\" { subject User { id: \"1\" } action read expect allow by r } }\n\
                   framework f { requirement \"1\" \"one\" { k: 1 } }";
        let want = "control C-1 \"t\" {\n  owner \"o\"\n  satisfies soc2.\"CC6.1\"\n  enforced by p\n  evidence \"e\" retained 30d\n}\n\n\
                    threat T-1 {\n  category tampering\n  mitigated by C-1\n}\n\n\
                    test p {\n  \"c\" {\n    subject User { id: \"1\" }\n    action read\n    expect allow by r\n  }\n}\n\n\
                    framework f {\n  requirement \"1\" \"one\" { k: 1 }\n}\n";
        assert_eq!(check(src), want);
    }

    #[test]
    fn comments_keep_their_places() {
        let src = "// head\n\npackage a // trailing\n\n// lead of record\n\nrecord R { // after brace\n  a: int // on a\n  // before b\n  b: int\n  // closing\n} // after record\n// tail\n";
        let want = "// head\n\npackage a // trailing\n\n// lead of record\n\nrecord R { // after brace\n  a: int // on a\n  // before b\n  b: int\n  // closing\n} // after record\n// tail\n";
        let out = check(src);
        assert_eq!(out, want);
    }

    #[test]
    fn strings_are_requoted_and_literals_kept() {
        let src = "record R { a: string = \"tab\\there \\\"q\\\" back\\\\slash\" b: int = 1_000 c: float = 1.50e3 d: date = 2026-01-01 e: duration = 30d }";
        let out = check(src);
        assert!(
            out.contains("a: string = \"tab\\there \\\"q\\\" back\\\\slash\""),
            "{out}"
        );
        assert!(out.contains("b: int = 1_000"), "{out}");
        assert!(out.contains("c: float = 1.50e3"), "{out}");
        assert!(out.contains("d: date = 2026-01-01"), "{out}");
        assert!(out.contains("e: duration = 30d"), "{out}");
    }

    #[test]
    fn dangling_doc_comments_are_kept() {
        let src = "/// documents nothing\npackage a\n\nrecord R {\n  a: int\n  /// at the end\n}\n/// trailing doc\n";
        let out = check(src);
        assert!(out.contains("/// documents nothing\npackage a"), "{out}");
        assert!(out.contains("  /// at the end\n}"), "{out}");
        assert!(out.ends_with("/// trailing doc\n"), "{out}");
    }

    #[test]
    fn refuses_files_with_syntax_errors() {
        let result = format_text("bad.charter", "record R { a: }\nrecord S { b: int }");
        assert!(
            matches!(&result, Err(FormatError::Syntax(errors)) if !errors.is_empty()),
            "{result:?}"
        );
        let message = result.err().map(|e| e.to_string()).unwrap_or_default();
        assert!(
            message.starts_with("cannot format a file with 1 syntax error"),
            "{message}"
        );
    }

    #[test]
    fn crlf_input() {
        let src = "record R { // c\r\n  a: int\r\n\r\n  // d\r\n  b: int\r\n}\r\n";
        assert_eq!(
            check(src),
            "record R { // c\n  a: int\n\n  // d\n  b: int\n}\n"
        );
    }

    #[test]
    fn comment_before_operator_aligns_with_when() {
        let src = "policy p on R by S default deny { allow a when x == 1\n// why\nand y == 2 because \"r\" }";
        let want = "policy p on R by S\n  default deny\n{\n  allow a\n    when x == 1\n    // why\n     and y == 2\n    because \"r\"\n}\n";
        assert_eq!(check(src), want);
    }

    #[test]
    fn empty_and_comment_only_files() {
        assert_eq!(check(""), "");
        assert_eq!(check("\n\n"), "");
        assert_eq!(
            check("// only\n\n\n// comments\n"),
            "// only\n\n// comments\n"
        );
    }

    /// Inserts `insert(k)` after the end of every token of `src` (between any two tokens).
    fn with_comment_in_every_gap(src: &str, mut insert: impl FnMut(usize) -> String) -> String {
        let ends: Vec<usize> = scan(src)
            .iter()
            .filter(|l| l.kind == LexKind::Token)
            .map(|l| l.end as usize)
            .collect();
        let mut out = String::new();
        let mut last = 0;
        for (k, end) in ends.into_iter().enumerate() {
            out.push_str(src.get(last..end).unwrap_or_default());
            out.push_str(&insert(k));
            last = end;
        }
        out.push_str(src.get(last..).unwrap_or_default());
        out
    }

    #[test]
    fn trailing_comment_after_every_token() {
        let src = with_comment_in_every_gap(SAMPLE, |k| format!(" // t{k}\n"));
        check(&src);
    }

    #[test]
    fn own_line_comment_after_every_token() {
        let src = with_comment_in_every_gap(SAMPLE, |k| format!("\n// o{k}\n"));
        check(&src);
    }

    #[test]
    fn blank_lines_around_comments_after_every_token() {
        let src = with_comment_in_every_gap(SAMPLE, |k| format!("\n\n// b{k}\n\n// c{k}\n"));
        check(&src);
    }

    #[test]
    fn doc_comment_after_every_token() {
        // Each one either documents the node after it or documents nothing (W0001); formatting
        // must keep both kinds, and must not turn one kind into the other.
        let src = with_comment_in_every_gap(SAMPLE, |k| format!("\n/// d{k}\n"));
        check(&src);
        let src = with_comment_in_every_gap(SAMPLE, |k| format!(" /// d{k}\n// c{k}\n"));
        check(&src);
    }

    #[test]
    fn mixed_comments_in_random_gaps() {
        const SNIPPETS: [&str; 7] = [
            " // t\n",
            "\n// o\n",
            "\n\n// b\n\n",
            "\n/// d\n",
            " /// d\n// c\n",
            "// x\n// y\n",
            "\n\n\n",
        ];
        for seed in 0..64u64 {
            // A small linear congruential generator: reproducible, no dependency.
            let mut state = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            let src = with_comment_in_every_gap(SAMPLE, |k| {
                state = state
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1_442_695_040_888_963_407);
                let roll = (state >> 33) % 24;
                let pick = usize::try_from(roll).unwrap_or(0);
                SNIPPETS
                    .get(pick)
                    .map(|s| s.replace("// ", &format!("// {seed}.{k} ")))
                    .unwrap_or_default()
            });
            check(&src);
        }
    }

    fn charter_files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                charter_files(&path, out);
            } else if path.extension().is_some_and(|e| e == "charter") {
                out.push(path);
            }
        }
    }

    /// Every `.charter` file of the repository: formatted with the three properties, or refused
    /// when it has syntax errors (the error corpus).
    #[test]
    fn repository_files() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let mut files = Vec::new();
        for dir in ["examples", "stdlib", "compiler/tests"] {
            charter_files(&root.join(dir), &mut files);
        }
        files.sort();
        for file in files {
            let text = std::fs::read_to_string(&file).unwrap_or_default();
            let parsed = parse("f.charter", &text);
            if parsed.diagnostics.iter().any(Diagnostic::is_error) {
                assert!(
                    matches!(format(&parsed, &text), Err(FormatError::Syntax(_))),
                    "{file:?}"
                );
            } else {
                check(&text);
                check(&with_comment_in_every_gap(&text, |k| format!(" // t{k}\n")));
            }
        }
    }

    #[test]
    fn comments_in_every_gap_of_formatted_output() {
        let once = check(SAMPLE);
        let src = with_comment_in_every_gap(&once, |k| {
            if k % 2 == 0 {
                format!(" // t{k}\n")
            } else {
                format!("\n  // o{k}\n")
            }
        });
        check(&src);
    }
}
