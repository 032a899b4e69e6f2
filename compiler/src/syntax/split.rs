//! Cutting a file's tokens into top-level declarations before parsing, so a syntax error costs
//! exactly its declaration; and what can be saved of a declaration that did not parse.

use std::ops::Range;

use super::lex::{self, Tok as T};
use super::{Span, ast};

pub type Token<'a> = (usize, lex::Tok<'a>, usize);

/// The declaration keywords, for did-you-mean on a misspelt one.
pub const DECL_KEYWORDS: &[&str] = &[
    "package",
    "use",
    "record",
    "enum",
    "ordered",
    "open",
    "type",
    "entity",
    "action",
    "context",
    "policy",
    "service",
    "control",
    "threat",
    "test",
    "framework",
];

fn starts_decl(tok: &T<'_>) -> bool {
    matches!(
        tok,
        T::Package
            | T::Use
            | T::Record
            | T::Enum
            | T::Ordered
            | T::Open
            | T::Type
            | T::Entity
            | T::Action
            | T::Context
            | T::Policy
            | T::Service
            | T::Control
            | T::Threat
            | T::Test
            | T::Framework
            | T::AtSign
    )
}

/// Tokens after which a name is expected: a keyword there is a name.
fn expects_name(tok: Option<&T<'_>>) -> bool {
    matches!(
        tok,
        Some(
            T::Comma
                | T::Dot
                | T::On
                | T::By
                | T::With
                | T::As
                | T::Eq
                | T::Colon
                | T::Lt
                | T::AtSign
                | T::Version
                | T::At
                | T::Package
                | T::Use
                | T::Action
                | T::Type
                | T::Entity
                | T::Record
                | T::Enum
                | T::Context
                | T::Policy
                | T::Service
                | T::Control
                | T::Threat
                | T::Test
                | T::Framework
        )
    )
}

fn is_name(tok: &T<'_>) -> bool {
    matches!(tok, T::Ident(_) | T::DashIdent(_))
        || (!lex::keyword_text(tok).is_empty()
            && lex::keyword_text(tok)
                .chars()
                .all(|c| c.is_ascii_lowercase()))
}

/// Splits a file's tokens into top-level declarations. A new declaration starts:
/// - at a declaration keyword (or the `@` of a first annotation) outside brackets, unless the
///   keyword stands where a name is expected (`action test, deploy on ...`, `package a.policy`);
/// - after a `}` that closes a declaration's body;
/// - after the path of a `package` or `use` declaration;
/// - inside an unclosed body, at a line that starts like a top-level declaration
///   (`record Name`, `policy name`, ...: a keyword that never starts a member, not followed by
///   `:`), so an unclosed `{` costs only its own declaration.
pub fn split(tokens: &[Token<'_>], text: &str) -> Vec<Range<usize>> {
    let mut chunks = Vec::new();
    let mut start = 0;
    let mut depth: usize = 0;
    let mut only_annotations = false;
    let mut path_decl = false;
    let mut closed = false;
    // The previous token, with keywords in name position read as names.
    let mut prev: Option<T<'_>> = None;
    for (i, (_, tok, _)) in tokens.iter().enumerate() {
        let name_position = expects_name(prev.as_ref());
        let is_at = matches!(tok, T::AtSign);
        if depth > 0 && i > start && restarts_declaration(tokens, i, text) {
            // The body before this line was never closed.
            chunks.push(start..i);
            start = i;
            depth = 0;
            only_annotations = false;
            path_decl = matches!(tok, T::Package | T::Use);
            closed = false;
            prev = None;
        }
        let name_position = name_position && start != i;
        if depth == 0 && i > start {
            let keyword_start = starts_decl(tok)
                && !name_position
                && !(matches!(prev, Some(T::Ordered | T::Open))
                    && matches!(tok, T::Open | T::Enum));
            let path_end = path_decl
                && matches!(prev, Some(T::Ident(_) | T::DashIdent(_)))
                && !matches!(tok, T::Dot | T::As | T::LBrace);
            let boundary = if only_annotations {
                if keyword_start && !is_at {
                    only_annotations = false;
                }
                false
            } else {
                closed || path_end || keyword_start
            };
            if boundary {
                chunks.push(start..i);
                start = i;
                only_annotations = is_at;
                path_decl = matches!(tok, T::Package | T::Use);
            }
        } else if i == start {
            only_annotations = is_at;
            path_decl = matches!(tok, T::Package | T::Use);
        }
        closed = false;
        match tok {
            T::LBrace | T::LParen | T::LBracket => depth += 1,
            T::RBrace | T::RParen | T::RBracket => {
                depth = depth.saturating_sub(1);
                closed = depth == 0 && matches!(tok, T::RBrace);
            }
            _ => {}
        }
        prev = if name_position && is_name(tok) {
            Some(T::Ident(""))
        } else {
            Some(*tok)
        };
    }
    if start < tokens.len() {
        chunks.push(start..tokens.len());
    }
    chunks
}

/// Whether token `i` starts a line and reads like the start of a top-level declaration.
fn restarts_declaration(tokens: &[Token<'_>], i: usize, text: &str) -> bool {
    let Some(&(lo, tok, _)) = tokens.get(i) else {
        return false;
    };
    let never_a_member = matches!(
        tok,
        T::Package
            | T::Record
            | T::Enum
            | T::Ordered
            | T::Entity
            | T::Policy
            | T::Service
            | T::Control
            | T::Threat
            | T::Framework
    );
    if !never_a_member {
        return false;
    }
    let line_start = match i.checked_sub(1).and_then(|p| tokens.get(p)) {
        Some(&(_, _, prev_end)) => text.get(prev_end..lo).is_some_and(|gap| gap.contains('\n')),
        None => true,
    };
    let second = tokens.get(i + 1).map(|t| t.1);
    let third = tokens.get(i + 2).map(|t| t.1);
    // The head of a declaration: `record Name {`, `policy name on`, `control ID "title"`, ...
    let head = match (tok, second) {
        (T::Ordered, Some(T::Enum | T::Open)) => true,
        (_, Some(T::Ident(_) | T::DashIdent(_))) => matches!(
            third,
            Some(T::LBrace | T::With | T::On | T::Version | T::At | T::Str(_) | T::Dot) | None
        ),
        _ => false,
    };
    line_start && head
}

/// The first token of a declaration after its annotations.
pub fn leading<'a>(tokens: &[Token<'a>]) -> Option<Token<'a>> {
    let mut depth = 0usize;
    let mut after_at = false;
    for &(lo, tok, hi) in tokens {
        match tok {
            T::AtSign => after_at = true,
            T::LParen => depth += 1,
            T::RParen => depth = depth.saturating_sub(1),
            _ if depth > 0 => {}
            _ if after_at => after_at = false,
            _ => return Some((lo, tok, hi)),
        }
    }
    None
}

/// The last bracket of a declaration that is never closed.
pub fn unclosed<'a>(tokens: &[Token<'a>]) -> Option<Token<'a>> {
    let mut open: Vec<Token<'a>> = Vec::new();
    for &token in tokens {
        match token.1 {
            T::LBrace | T::LParen | T::LBracket => open.push(token),
            T::RBrace | T::RParen | T::RBracket => {
                open.pop();
            }
            _ => {}
        }
    }
    open.last().copied()
}

/// Why a declaration is too deep or too long to analyse.
pub struct TooDeep {
    pub span: Span,
    pub message: String,
    pub help: String,
}

/// Nesting and length limits, so that no input can exhaust the stack of the recursive stages.
pub const MAX_NESTING: usize = 64;
pub const MAX_CHAIN: usize = 1_000;

pub fn too_deep(tokens: &[Token<'_>]) -> Option<TooDeep> {
    let mut depth = 0usize;
    let mut prefix_run = 0usize;
    let mut question_run = 0usize;
    let mut generics = 0usize;
    let mut chain = 0usize;
    let mut prev: Option<T<'_>> = None;
    for &(lo, tok, hi) in tokens {
        let generic_open =
            matches!(tok, T::Lt) && matches!(prev, Some(T::Ident("list" | "set" | "map")));
        prev = Some(tok);
        if generic_open {
            generics += 1;
            if generics > MAX_NESTING {
                return Some(TooDeep {
                    span: Span::new(lo, hi),
                    message: format!("type arguments nested more than {MAX_NESTING} deep"),
                    help: "name the inner types with `type` aliases".into(),
                });
            }
        } else if matches!(tok, T::Gt) && generics > 0 {
            generics -= 1;
        }
        if matches!(tok, T::Question) {
            question_run += 1;
            if question_run > MAX_NESTING {
                return Some(TooDeep {
                    span: Span::new(lo, hi),
                    message: format!("more than {MAX_NESTING} `?` in a row"),
                    help: "a type is optional once: write one `?`".into(),
                });
            }
        } else {
            question_run = 0;
        }
        match tok {
            T::LBrace | T::LParen | T::LBracket => {
                depth += 1;
                if depth > MAX_NESTING {
                    return Some(TooDeep {
                        span: Span::new(lo, hi),
                        message: format!("brackets nested more than {MAX_NESTING} deep"),
                        help: "flatten the expression or value; split it into named declarations"
                            .into(),
                    });
                }
            }
            T::RBrace | T::RParen | T::RBracket => depth = depth.saturating_sub(1),
            _ => {}
        }
        if matches!(tok, T::Not | T::Minus) {
            prefix_run += 1;
            if prefix_run > MAX_NESTING {
                return Some(TooDeep {
                    span: Span::new(lo, hi),
                    message: format!("more than {MAX_NESTING} `not` or `-` in a row"),
                    help: "`not not x` is `x`: remove the pairs".into(),
                });
            }
        } else {
            prefix_run = 0;
        }
        if matches!(
            tok,
            T::And | T::Or | T::In | T::EqEq | T::NotEq | T::Lt | T::Le | T::Gt | T::Ge
        ) {
            chain += 1;
            if chain > MAX_CHAIN {
                return Some(TooDeep {
                    span: Span::new(lo, hi),
                    message: format!("more than {MAX_CHAIN} operators in one declaration"),
                    help: "split the declaration: conditions over several rules, values over several declarations".into(),
                });
            }
        }
    }
    None
}

/// What can be saved of a declaration that did not parse: its span, keyword and name. A
/// misspelt keyword (`entiy`) is read as the keyword it is closest to.
/// The name a declaration written as `a.b.Name` or `import a.b.Name` means to import: an import
/// whose `use` is missing or misspelt.
fn unimported(tokens: &[Token<'_>]) -> Option<ast::Ident> {
    let rest = match tokens {
        [(_, T::Ident("import"), _), tail @ ..] => tail,
        all => all,
    };
    let mut last = None;
    let mut segments = 0;
    let mut want_name = true;
    for &(lo, tok, hi) in rest {
        match (want_name, tok) {
            (true, tok) if is_name(&tok) => {
                let name = match tok {
                    T::Ident(s) | T::DashIdent(s) => s,
                    other => lex::keyword_text(&other),
                };
                last = Some(ast::Ident {
                    name: crate::Name::new(name),
                    span: Span::new(lo, hi),
                });
                segments += 1;
                want_name = false;
            }
            (false, T::Dot) => want_name = true,
            _ => return None,
        }
    }
    last.filter(|_| segments >= 2 && !want_name)
}

pub fn salvage(tokens: &[Token<'_>]) -> ast::ErrorItem {
    let lo = tokens.first().map_or(0, |t| t.0);
    let hi = tokens.last().map_or(lo, |t| t.2);
    let mut keyword = None;
    let mut name = None;
    let first = leading(tokens);
    let at = first
        .and_then(|f| tokens.iter().position(|t| t.0 == f.0))
        .unwrap_or(0);
    if let Some(imported) = tokens.get(at..).and_then(unimported) {
        return ast::ErrorItem {
            span: Span::new(lo, hi),
            keyword: Some("use".to_string()),
            name: Some(imported),
        };
    }
    let mut rest = tokens.iter().skip(at);
    if let Some((_, tok, _)) = rest.next() {
        keyword = match tok {
            T::Ident(word) => crate::diagnostics::did_you_mean(word, DECL_KEYWORDS.iter().copied())
                .map(str::to_string),
            T::Ordered | T::Open => Some("enum".to_string()),
            other if starts_decl(other) => Some(lex::keyword_text(other).to_string()),
            _ => None,
        };
        let mut rest = rest.skip_while(|(_, t, _)| {
            matches!(t, T::Open | T::Enum) && keyword.as_deref() == Some("enum")
        });
        // A name written as a string (`control "C-1"`) still names the broken declaration.
        let quoted_name = |tok: &T<'_>| match tok {
            T::Str(s) => {
                let inner = s.trim_matches('"');
                (!inner.is_empty()
                    && inner
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')))
                .then(|| inner.to_string())
            }
            _ => None,
        };
        if keyword.is_some()
            && let Some(&(nlo, tok, nhi)) = rest.next()
            && (is_name(&tok) || quoted_name(&tok).is_some())
        {
            let text = match tok {
                T::Ident(s) | T::DashIdent(s) => s.to_string(),
                T::Str(_) => quoted_name(&tok).unwrap_or_default(),
                other => lex::keyword_text(&other).to_string(),
            };
            name = Some(ast::Ident {
                name: crate::Name::from(text),
                span: Span::new(nlo, nhi),
            });
        }
    }
    ast::ErrorItem {
        span: Span::new(lo, hi),
        keyword,
        name,
    }
}
