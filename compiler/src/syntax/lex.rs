//! The lexer: `logos` turns text into tokens; this module adds what the parser needs around it.
//!
//! Doc comments (`///`) and plain comments (`//`) never reach the parser. Doc comments are
//! collected into a [`DocMap`] keyed by the offset of the token they precede, so grammar actions
//! can attach them to the declaration that starts there; plain comments are kept for `fmt`.
//! Characters that start no token are reported and skipped, so lexing never fails.

use std::cell::RefCell;
use std::collections::BTreeMap;

use logos::Logos;

use super::Span;

/// One token. Keywords are their own variants so the grammar can name them; the grammar's
/// `AnyIdent` accepts most keywords wherever a name is expected, so `version` or `owner` stay
/// usable as field names.
#[derive(Logos, Debug, Clone, Copy, PartialEq, Eq)]
#[logos(skip r"[ \t\r\n\f\u{feff}]+")]
pub enum Tok<'input> {
    #[token("package")]
    Package,
    #[token("use")]
    Use,
    #[token("as")]
    As,
    #[token("record")]
    Record,
    #[token("enum")]
    Enum,
    #[token("ordered")]
    Ordered,
    #[token("open")]
    Open,
    #[token("type")]
    Type,
    #[token("entity")]
    Entity,
    #[token("action")]
    Action,
    #[token("context")]
    Context,
    #[token("policy")]
    Policy,
    #[token("service")]
    Service,
    #[token("op")]
    Op,
    #[token("control")]
    Control,
    #[token("threat")]
    Threat,
    #[token("test")]
    Test,
    #[token("framework")]
    Framework,
    #[token("requirement")]
    Requirement,
    #[token("allow")]
    Allow,
    #[token("deny")]
    Deny,
    #[token("when")]
    When,
    #[token("because")]
    Because,
    #[token("default")]
    Default,
    #[token("with")]
    With,
    #[token("provenance")]
    Provenance,
    #[token("on")]
    On,
    #[token("by")]
    By,
    #[token("version")]
    Version,
    #[token("at")]
    At,
    #[token("errors")]
    Errors,
    #[token("requires")]
    Requires,
    #[token("guarded")]
    Guarded,
    #[token("graphql")]
    Graphql,
    #[token("owner")]
    Owner,
    #[token("satisfies")]
    Satisfies,
    #[token("enforced")]
    Enforced,
    #[token("evidence")]
    Evidence,
    #[token("retained")]
    Retained,
    #[token("produced")]
    Produced,
    #[token("subsystem")]
    Subsystem,
    #[token("category")]
    Category,
    #[token("likelihood")]
    Likelihood,
    #[token("impact")]
    Impact,
    #[token("mitigated")]
    Mitigated,
    #[token("subject")]
    Subject,
    #[token("resource")]
    Resource,
    #[token("expect")]
    Expect,
    #[token("matching")]
    Matching,
    #[token("and")]
    And,
    #[token("or")]
    Or,
    #[token("not")]
    Not,
    #[token("in")]
    In,
    #[token("has")]
    Has,
    #[token("true")]
    True,
    #[token("false")]
    False,
    #[token("none")]
    None,

    #[token("{")]
    LBrace,
    #[token("}")]
    RBrace,
    #[token("(")]
    LParen,
    #[token(")")]
    RParen,
    #[token("[")]
    LBracket,
    #[token("]")]
    RBracket,
    #[token("<")]
    Lt,
    #[token(">")]
    Gt,
    #[token("<=")]
    Le,
    #[token(">=")]
    Ge,
    #[token("==")]
    EqEq,
    #[token("!=")]
    NotEq,
    #[token("=")]
    Eq,
    #[token(":")]
    Colon,
    #[token(",")]
    Comma,
    #[token(".")]
    Dot,
    #[token("..")]
    DotDot,
    #[token("?")]
    Question,
    #[token("->")]
    Arrow,
    #[token("@")]
    AtSign,
    #[token("-")]
    Minus,
    /// `&&`, `||` and `!` are not Charter: read as `and`, `or`, `not`, and reported.
    #[token("&&")]
    AmpAmp,
    #[token("||")]
    PipePipe,
    #[token("!")]
    Bang,

    #[regex(r"[A-Za-z_][A-Za-z0-9_]*", |lex| lex.slice())]
    Ident(&'input str),
    /// Identifiers with hyphens, such as control ids (`GOV-01`).
    #[regex(r"[A-Za-z_][A-Za-z0-9_]*(-[A-Za-z0-9_]+)+", |lex| lex.slice())]
    DashIdent(&'input str),
    #[regex(r"[0-9][0-9_]*", |lex| lex.slice(), priority = 3)]
    Int(&'input str),
    #[regex(r"[0-9][0-9_]*\.[0-9][0-9_]*([eE][+-]?[0-9]+)?", |lex| lex.slice())]
    Float(&'input str),
    #[regex(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", |lex| lex.slice())]
    Date(&'input str),
    #[regex(r"[0-9]+(d|h|m|s|w|y)", |lex| lex.slice())]
    Duration(&'input str),
    /// A string literal with its quotes; escapes are decoded by [`unescape`].
    #[regex(r#""([^"\\\n]|\\[^\n])*""#, |lex| lex.slice())]
    Str(&'input str),
    /// A string that runs into the end of its line: reported, then parsed as a string.
    #[regex(r#""([^"\\\n]|\\[^\n])*"#, |lex| lex.slice(), priority = 1)]
    UnterminatedStr(&'input str),

    /// `///` followed by anything but a fourth `/` (`////` lines are plain comments).
    #[regex(r"///([^/\n][^\n]*)?", |lex| lex.slice(), allow_greedy = true, priority = 10)]
    DocComment(&'input str),
    #[regex(r"//[^\n]*", |lex| lex.slice(), allow_greedy = true, priority = 5)]
    Comment(&'input str),
}

impl std::fmt::Display for Tok<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Tok::Ident(s) | Tok::DashIdent(s) => write!(f, "identifier `{s}`"),
            Tok::Int(s) | Tok::Float(s) => write!(f, "number `{s}`"),
            Tok::Date(s) => write!(f, "date `{s}`"),
            Tok::Duration(s) => write!(f, "duration `{s}`"),
            Tok::Str(s) | Tok::UnterminatedStr(s) => write!(f, "string {s}"),
            Tok::DocComment(_) => write!(f, "doc comment"),
            Tok::Comment(_) => write!(f, "comment"),
            other => write!(f, "`{}`", keyword_text(other)),
        }
    }
}

/// The source text of a fixed token (keywords and punctuation).
pub fn keyword_text(tok: &Tok<'_>) -> &'static str {
    use Tok::*;
    match tok {
        Package => "package",
        Use => "use",
        As => "as",
        Record => "record",
        Enum => "enum",
        Ordered => "ordered",
        Open => "open",
        Type => "type",
        Entity => "entity",
        Action => "action",
        Context => "context",
        Policy => "policy",
        Service => "service",
        Op => "op",
        Control => "control",
        Threat => "threat",
        Test => "test",
        Framework => "framework",
        Requirement => "requirement",
        Allow => "allow",
        Deny => "deny",
        When => "when",
        Because => "because",
        Default => "default",
        With => "with",
        Provenance => "provenance",
        On => "on",
        By => "by",
        Version => "version",
        At => "at",
        Errors => "errors",
        Requires => "requires",
        Guarded => "guarded",
        Graphql => "graphql",
        Owner => "owner",
        Satisfies => "satisfies",
        Enforced => "enforced",
        Evidence => "evidence",
        Retained => "retained",
        Produced => "produced",
        Subsystem => "subsystem",
        Category => "category",
        Likelihood => "likelihood",
        Impact => "impact",
        Mitigated => "mitigated",
        Subject => "subject",
        Resource => "resource",
        Expect => "expect",
        Matching => "matching",
        And => "and",
        Or => "or",
        Not => "not",
        In => "in",
        Has => "has",
        True => "true",
        False => "false",
        None => "none",
        LBrace => "{",
        RBrace => "}",
        LParen => "(",
        RParen => ")",
        LBracket => "[",
        RBracket => "]",
        Lt => "<",
        Gt => ">",
        Le => "<=",
        Ge => ">=",
        EqEq => "==",
        NotEq => "!=",
        Eq => "=",
        Colon => ":",
        Comma => ",",
        Dot => ".",
        DotDot => "..",
        Question => "?",
        Arrow => "->",
        AtSign => "@",
        Minus => "-",
        AmpAmp => "&&",
        PipePipe => "||",
        Bang => "!",
        Ident(_) | DashIdent(_) | Int(_) | Float(_) | Date(_) | Duration(_) | Str(_)
        | UnterminatedStr(_) | DocComment(_) | Comment(_) => "",
    }
}

/// A problem found while lexing; the lexer has already recovered from it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LexProblem {
    UnexpectedChar(char),
    UnterminatedString,
    /// An operator from another language, with the Charter word for it.
    ForeignOperator(&'static str, &'static str),
    /// A bidirectional control character (Trojan Source, CVE-2021-42574), anywhere in the text.
    Bidi(char),
}

/// Whether `c` is a bidirectional embedding, override or isolate control (U+202A–U+202E,
/// U+2066–U+2069): text that displays in another order than it is read.
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// A doc comment waiting in a [`DocMap`]: the offset it is keyed at, its span and its text.
type DocEntry = (u32, (Span, String));

/// Doc comments waiting for the declaration they document, keyed by the offset of the first
/// token after them. Parser actions take them as they build nodes; what is left documents
/// nothing and is reported.
#[derive(Debug, Default)]
pub struct DocMap {
    docs: RefCell<BTreeMap<u32, (Span, String)>>,
    /// While a tentative parse runs (the descent parser): what it took, so a declaration it
    /// gives up on can be parsed again by the grammar with every doc comment in place.
    journal: RefCell<Option<Vec<DocEntry>>>,
}

impl DocMap {
    /// Takes the doc comment that ends right before `offset`, if any.
    /// The text becomes a [`crate::Name`], so the typed model shares it with the tree.
    pub fn take(&self, offset: usize) -> Option<crate::Name> {
        let key = u32::try_from(offset).ok()?;
        let (span, text) = self.docs.borrow_mut().remove(&key)?;
        if let Some(journal) = self.journal.borrow_mut().as_mut() {
            journal.push((key, (span, text.clone())));
        }
        Some(crate::Name::from(text))
    }

    /// Starts recording what [`DocMap::take`] takes.
    pub(super) fn begin(&self) {
        *self.journal.borrow_mut() = Some(Vec::new());
    }

    /// Stops recording; unless `keep`, puts back everything taken since [`DocMap::begin`].
    pub(super) fn end(&self, keep: bool) {
        if let Some(journal) = self.journal.borrow_mut().take()
            && !keep
        {
            self.docs.borrow_mut().extend(journal);
        }
    }

    /// Drops the doc comments of a declaration that did not parse (keys in `lo..=hi`).
    pub fn discard(&self, lo: usize, hi: usize) {
        let (Ok(lo), Ok(hi)) = (u32::try_from(lo), u32::try_from(hi)) else {
            return;
        };
        self.docs.borrow_mut().retain(|k, _| *k < lo || *k > hi);
    }

    /// The doc comments no declaration took.
    pub fn into_dangling(self) -> Vec<Span> {
        self.docs
            .into_inner()
            .into_values()
            .map(|(span, _)| span)
            .collect()
    }
}

/// A plain `//` comment, kept for the formatter.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Comment {
    pub span: Span,
    pub text: String,
}

/// The result of lexing one file.
pub struct Lexed<'input> {
    pub tokens: Vec<(usize, Tok<'input>, usize)>,
    pub docs: DocMap,
    pub comments: Vec<Comment>,
    pub problems: Vec<(Span, LexProblem)>,
}

/// Lexes `text`. Never fails: unknown characters are reported and skipped.
pub fn lex(text: &str) -> Lexed<'_> {
    let mut tokens = Vec::with_capacity(text.len() / 5);
    let mut comments = Vec::new();
    let mut problems = Vec::new();
    let mut docs = BTreeMap::new();
    let mut pending_doc: Option<(Span, String)> = None;
    // Trojan Source: reported wherever they are (comments and strings included). Every such
    // character is encoded with a leading 0xE2 byte, so text without one is not decoded.
    if text.as_bytes().contains(&0xE2) {
        for (at, c) in text.char_indices().filter(|(_, c)| is_bidi_control(*c)) {
            problems.push((Span::new(at, at + c.len_utf8()), LexProblem::Bidi(c)));
        }
    }
    let mut lexer = Tok::lexer(text);
    while let Some(result) = lexer.next() {
        let range = lexer.span();
        let span = Span::from_range(range.clone());
        match result {
            Ok(Tok::DocComment(raw)) => {
                let line = raw.strip_prefix("///").unwrap_or(raw);
                let line = line.strip_prefix(' ').unwrap_or(line).trim_end();
                match &mut pending_doc {
                    Some((doc_span, doc)) => {
                        doc.push('\n');
                        doc.push_str(line);
                        doc_span.end = span.end;
                    }
                    None => pending_doc = Some((span, line.to_string())),
                }
            }
            Ok(Tok::Comment(raw)) => comments.push(Comment {
                span,
                text: raw.trim_end().to_string(),
            }),
            Ok(tok) => {
                if let Some(doc) = pending_doc.take() {
                    docs.insert(span.start, doc);
                }
                let tok = match tok {
                    Tok::UnterminatedStr(s) => {
                        problems.push((span, LexProblem::UnterminatedString));
                        Tok::Str(s)
                    }
                    Tok::AmpAmp => {
                        problems.push((span, LexProblem::ForeignOperator("&&", "and")));
                        Tok::And
                    }
                    Tok::PipePipe => {
                        problems.push((span, LexProblem::ForeignOperator("||", "or")));
                        Tok::Or
                    }
                    Tok::Bang => {
                        problems.push((span, LexProblem::ForeignOperator("!", "not")));
                        Tok::Not
                    }
                    other => other,
                };
                tokens.push((range.start, tok, range.end));
            }
            Err(()) => {
                let ch = text
                    .get(range.start..)
                    .and_then(|rest| rest.chars().next())
                    .unwrap_or('\u{fffd}');
                problems.push((span, LexProblem::UnexpectedChar(ch)));
            }
        }
    }
    if let Some((span, doc)) = pending_doc {
        // A doc comment at the end of the file documents nothing; key it past the end so no
        // node can take it.
        docs.insert(span.end.saturating_add(1), (span, doc));
    }
    Lexed {
        tokens,
        docs: DocMap {
            docs: RefCell::new(docs),
            journal: RefCell::new(None),
        },
        comments,
        problems,
    }
}

/// Decodes the escapes of a string literal given with its quotes.
pub fn unescape(raw: &str) -> String {
    let inner = raw.strip_prefix('"').unwrap_or(raw);
    let inner = inner.strip_suffix('"').unwrap_or(inner);
    if !inner.contains('\\') {
        return inner.to_string();
    }
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('0') => out.push('\0'),
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}

/// Encodes `text` as a string literal, the inverse of [`unescape`].
pub use crate::text::quote::charter as quote;
