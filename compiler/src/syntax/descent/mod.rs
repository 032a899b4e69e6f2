//! The fast path of the parser: a hand-written recursive descent over one declaration's tokens.
//!
//! It implements the productions of `grammar.lalrpop` one for one (same actions, same spans, same
//! doc comments taken) and decides with the same one token of lookahead, so every declaration it
//! accepts is one the grammar derives, with the same tree: the grammar is LR(1), hence
//! unambiguous. It gives up (`None`) at the first token it does not expect, and then `parse`
//! runs the LALRPOP parser on the same tokens, which produces the tree or the diagnostic exactly
//! as before. So the descent never decides a diagnostic, only saves time on valid declarations
//! (LALRPOP moves every value through its symbol stack; this builds each node in place).
//! `compiler/tests/parser.rs` compares the two on every file of the repository and on mutated
//! ones. Recursion is bounded by [`MAX_DEPTH`]: deeper input goes to the grammar, whose stack
//! is on the heap.

mod clauses;
mod exprs;
mod items;

use super::Span;
use super::ast::{Annotation, AnnotationArg, Effect, Ident, Item, Path, StrLit};
use super::lex::{DocMap, Tok as T, unescape};
use super::split::Token;

/// The deepest nesting of expressions and types the descent follows before it hands the
/// declaration to the grammar.
const MAX_DEPTH: u32 = 200;

/// Parses one declaration, or `None` when the grammar must decide (a syntax error, or nesting
/// deeper than [`MAX_DEPTH`]). On `None`, every doc comment taken is put back.
pub(super) fn item(tokens: &[Token<'_>], docs: &DocMap) -> Option<Item> {
    docs.begin();
    let mut parser = Parser {
        tokens,
        pos: 0,
        docs,
        depth: 0,
    };
    let item = parser.item().filter(|_| parser.pos == tokens.len());
    docs.end(item.is_some());
    item
}

struct Parser<'t, 'a> {
    tokens: &'t [Token<'a>],
    pos: usize,
    docs: &'t DocMap,
    depth: u32,
}

/// The text of a token the grammar's `Name` accepts: an identifier, or a keyword that never
/// starts an expression.
fn name_text<'a>(tok: T<'a>) -> Option<&'a str> {
    Some(match tok {
        T::Ident(s) => s,
        T::Package => "package",
        T::Use => "use",
        T::As => "as",
        T::Record => "record",
        T::Enum => "enum",
        T::Ordered => "ordered",
        T::Open => "open",
        T::Type => "type",
        T::Entity => "entity",
        T::Action => "action",
        T::Context => "context",
        T::Policy => "policy",
        T::Service => "service",
        T::Op => "op",
        T::Control => "control",
        T::Threat => "threat",
        T::Test => "test",
        T::Framework => "framework",
        T::Allow => "allow",
        T::Deny => "deny",
        T::Default => "default",
        T::With => "with",
        T::Provenance => "provenance",
        T::On => "on",
        T::By => "by",
        T::Version => "version",
        T::At => "at",
        T::Errors => "errors",
        T::Requires => "requires",
        T::Guarded => "guarded",
        T::Graphql => "graphql",
        T::Owner => "owner",
        T::Satisfies => "satisfies",
        T::Enforced => "enforced",
        T::Evidence => "evidence",
        T::Retained => "retained",
        T::Produced => "produced",
        T::Subsystem => "subsystem",
        T::Category => "category",
        T::Likelihood => "likelihood",
        T::Impact => "impact",
        T::Mitigated => "mitigated",
        T::Subject => "subject",
        T::Resource => "resource",
        T::Expect => "expect",
        _ => return None,
    })
}

/// `v` without spare capacity: the trees stay in salsa's memo for the whole check, and the
/// lists of large nodes (fields, rules, operations, ...) would otherwise keep up to half their
/// room empty.
fn tight<X>(mut v: Vec<X>) -> Vec<X> {
    v.shrink_to_fit();
    v
}

/// Whether `tok` can start the grammar's `Id` (a name or a dashed id): the start of a path.
fn is_id(tok: T<'_>) -> bool {
    matches!(tok, T::DashIdent(_)) || name_text(tok).is_some()
}

impl<'a> Parser<'_, 'a> {
    fn peek(&self) -> Option<T<'a>> {
        self.tokens.get(self.pos).map(|t| t.1)
    }

    fn nth(&self, n: usize) -> Option<T<'a>> {
        self.tokens.get(self.pos + n).map(|t| t.1)
    }

    /// `{ item* }`: the items up to the closing brace, which is consumed, without spare
    /// capacity; `None` as soon as an item gives up.
    fn braced<X>(&mut self, mut item: impl FnMut(&mut Self) -> Option<X>) -> Option<Vec<X>> {
        self.expect(T::LBrace)?;
        let mut items = Vec::new();
        while !self.at(T::RBrace) {
            items.push(item(self)?);
        }
        self.pos += 1;
        Some(tight(items))
    }

    fn at(&self, tok: T<'_>) -> bool {
        self.peek() == Some(tok)
    }

    fn at_str(&self) -> bool {
        matches!(self.peek(), Some(T::Str(_)))
    }

    /// The start of the next token (the grammar's `@L`).
    fn lo(&self) -> usize {
        self.tokens
            .get(self.pos)
            .map_or_else(|| self.end(), |t| t.0)
    }

    /// The end of the last token consumed (the grammar's `@R`).
    fn end(&self) -> usize {
        self.pos
            .checked_sub(1)
            .and_then(|i| self.tokens.get(i))
            .map_or(0, |t| t.2)
    }

    fn bump(&mut self) -> Option<Token<'a>> {
        let token = self.tokens.get(self.pos).copied()?;
        self.pos += 1;
        Some(token)
    }

    fn eat(&mut self, tok: T<'_>) -> bool {
        let hit = self.at(tok);
        if hit {
            self.pos += 1;
        }
        hit
    }

    fn expect(&mut self, tok: T<'_>) -> Option<Token<'a>> {
        if self.at(tok) { self.bump() } else { None }
    }

    /// One more level of recursion, or `None` past [`MAX_DEPTH`].
    fn enter(&mut self) -> Option<()> {
        self.depth += 1;
        (self.depth <= MAX_DEPTH).then_some(())
    }

    fn leave(&mut self) {
        self.depth = self.depth.saturating_sub(1);
    }

    /// `Comma<X>` followed by `close` (not consumed): items separated by `,`, a trailing comma
    /// allowed, possibly none.
    fn comma<X>(
        &mut self,
        close: T<'_>,
        mut one: impl FnMut(&mut Self) -> Option<X>,
    ) -> Option<Vec<X>> {
        let mut items = Vec::new();
        while !self.at(close) {
            items.push(one(self)?);
            if !self.eat(T::Comma) {
                break;
            }
        }
        Some(tight(items))
    }

    /// `Sep1<X>`: one or more, separated by `,`, no trailing comma.
    fn sep1<X>(&mut self, mut one: impl FnMut(&mut Self) -> Option<X>) -> Option<Vec<X>> {
        let mut items = vec![one(self)?];
        while self.eat(T::Comma) {
            items.push(one(self)?);
        }
        Some(tight(items))
    }

    /// `Ident`: a `Name`.
    fn ident(&mut self) -> Option<Ident> {
        let &(lo, tok, hi) = self.tokens.get(self.pos)?;
        let name = name_text(tok)?;
        self.pos += 1;
        Some(Ident {
            name: crate::Name::new(name),
            span: Span::new(lo, hi),
        })
    }

    /// `Id`: a `Name` or a dashed id (`GOV-01`).
    fn id(&mut self) -> Option<Ident> {
        let &(lo, tok, hi) = self.tokens.get(self.pos)?;
        let name = match tok {
            T::DashIdent(s) => s,
            other => name_text(other)?,
        };
        self.pos += 1;
        Some(Ident {
            name: crate::Name::new(name),
            span: Span::new(lo, hi),
        })
    }

    /// `Path`: ids separated by dots.
    fn path(&mut self) -> Option<Path> {
        let lo = self.lo();
        // Counted first, so the tree holds no spare capacity.
        let mut count = 1;
        while self.nth(2 * count - 1) == Some(T::Dot) && self.nth(2 * count).is_some_and(is_id) {
            count += 1;
        }
        let mut segments = Vec::with_capacity(count);
        segments.push(self.id()?);
        while self.at(T::Dot) && self.nth(1).is_some_and(is_id) {
            self.pos += 1;
            segments.push(self.id()?);
        }
        Some(Path {
            segments,
            span: Span::new(lo, self.end()),
        })
    }

    /// `Str`: a string literal, decoded.
    fn str_lit(&mut self) -> Option<StrLit> {
        match self.tokens.get(self.pos)? {
            &(lo, T::Str(s), hi) => {
                self.pos += 1;
                Some(StrLit {
                    value: unescape(s),
                    span: Span::new(lo, hi),
                })
            }
            _ => None,
        }
    }

    fn opt_str(&mut self) -> Option<Option<StrLit>> {
        if self.at_str() {
            self.str_lit().map(Some)
        } else {
            Some(None)
        }
    }

    fn effect(&mut self) -> Option<Effect> {
        let effect = match self.peek()? {
            T::Allow => Effect::Allow,
            T::Deny => Effect::Deny,
            _ => return None,
        };
        self.pos += 1;
        Some(effect)
    }

    fn annotations(&mut self) -> Option<Vec<Annotation>> {
        let mut list = Vec::new();
        while self.at(T::AtSign) {
            list.push(self.annotation()?);
        }
        Some(list)
    }

    fn annotation(&mut self) -> Option<Annotation> {
        let (lo, _, _) = self.expect(T::AtSign)?;
        let name = self.ident()?;
        let mut args = Vec::new();
        if self.eat(T::LParen) {
            args = self.comma(T::RParen, Self::annotation_arg)?;
            self.expect(T::RParen)?;
        }
        Some(Annotation {
            name,
            args,
            span: Span::new(lo, self.end()),
        })
    }

    fn annotation_arg(&mut self) -> Option<AnnotationArg> {
        if self.peek().is_some_and(|t| name_text(t).is_some()) {
            let key = self.ident()?;
            self.expect(T::Colon)?;
            let value = self.expr()?;
            Some(AnnotationArg {
                key: Some(key),
                value,
            })
        } else {
            let value = self.literal()?;
            Some(AnnotationArg { key: None, value })
        }
    }
}
