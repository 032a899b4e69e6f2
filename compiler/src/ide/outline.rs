//! The shape of a file: symbols (with their members), semantic token classes, folding ranges.

use logos::Logos;

use super::resolve::{Member, Target, occurrences};
use crate::db::{Db, SourceFile, Workspace, parse};
use crate::ir::Kind;
use crate::syntax::lex::Tok;
use crate::syntax::{Span, ast};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SymbolKind {
    Declaration(Kind),
    Field,
    EnumValue,
    Rule,
    Operation,
    Action,
    Requirement,
    Test,
}

/// One entry of a file's outline.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Symbol {
    pub name: String,
    pub kind: SymbolKind,
    /// The whole declaration.
    pub span: Span,
    /// The name.
    pub name_span: Span,
    pub children: Vec<Symbol>,
}

fn sym(name: &str, kind: SymbolKind, span: Span, name_span: Span) -> Symbol {
    Symbol {
        name: name.to_string(),
        kind,
        span,
        name_span,
        children: Vec::new(),
    }
}

fn field_syms(fields: &[ast::Field]) -> Vec<Symbol> {
    fields
        .iter()
        .map(|f| sym(&f.name.name, SymbolKind::Field, f.span, f.name.span))
        .collect()
}

/// The declarations of a file, with their members.
pub fn document_symbols(db: &dyn Db, file: SourceFile) -> Vec<Symbol> {
    let mut out = Vec::new();
    for item in &parse(db, file).file.items {
        let span = item.span();
        let mut s = match item {
            ast::Item::Action(a) => {
                for n in &a.names {
                    out.push(sym(&n.name, SymbolKind::Action, span, n.span));
                }
                continue;
            }
            ast::Item::Test(t) => sym(
                &format!("test {}", t.policy.text()),
                SymbolKind::Test,
                span,
                t.policy.span,
            ),
            other => match crate::semantics::declared(other) {
                Some((name, kind)) => {
                    sym(&name.name, SymbolKind::Declaration(kind), span, name.span)
                }
                None => continue,
            },
        };
        s.children = match item {
            ast::Item::Record(r) => field_syms(&r.fields),
            ast::Item::Entity(r) => field_syms(&r.fields),
            ast::Item::Context(r) => field_syms(&r.fields),
            ast::Item::Enum(e) => e
                .variants
                .iter()
                .map(|v| {
                    sym(
                        &v.name.name,
                        SymbolKind::EnumValue,
                        v.name.span,
                        v.name.span,
                    )
                })
                .collect(),
            ast::Item::Policy(p) => p
                .rules
                .iter()
                .map(|r| sym(&r.name.name, SymbolKind::Rule, r.span, r.name.span))
                .collect(),
            ast::Item::Service(sv) => sv
                .ops
                .iter()
                .map(|o| sym(&o.name.name, SymbolKind::Operation, o.span, o.name.span))
                .collect(),
            ast::Item::Framework(f) => f
                .requirements
                .iter()
                .map(|r| sym(&r.id.value, SymbolKind::Requirement, r.span, r.id.span))
                .collect(),
            ast::Item::Test(t) => t
                .cases
                .iter()
                .map(|c| sym(&c.name.value, SymbolKind::Test, c.span, c.name.span))
                .collect(),
            _ => Vec::new(),
        };
        out.push(s);
    }
    out
}

/// Declarations of the whole workspace whose name contains `query` (ignoring case), as
/// (file, symbol) pairs in workspace order, at most `limit`.
pub fn workspace_symbols(
    db: &dyn Db,
    ws: Workspace,
    query: &str,
    limit: usize,
) -> Vec<(SourceFile, Symbol)> {
    let query = query.to_lowercase();
    let mut out = Vec::new();
    for file in ws.files(db) {
        // Cheap filter first: the names the index already has.
        let names = crate::semantics::file_names(db, *file);
        if !names
            .decls
            .iter()
            .any(|(n, _, _)| n.to_lowercase().contains(&query))
        {
            continue;
        }
        for s in document_symbols(db, *file) {
            if s.name.to_lowercase().contains(&query)
                && matches!(s.kind, SymbolKind::Declaration(_))
            {
                out.push((
                    *file,
                    Symbol {
                        children: Vec::new(),
                        ..s
                    },
                ));
                if out.len() >= limit {
                    return out;
                }
            }
        }
    }
    out
}

/// Semantic token classes (see `docs/lsp.md` for the legend).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TokenKind {
    Keyword,
    String,
    Number,
    Comment,
    Operator,
    Type,
    Enum,
    EnumMember,
    Property,
    Function,
    Method,
    Namespace,
    Variable,
    Decorator,
}

fn kind_token(kind: Kind) -> TokenKind {
    match kind {
        Kind::Enum => TokenKind::Enum,
        Kind::Record | Kind::Alias | Kind::Entity | Kind::Context => TokenKind::Type,
        Kind::Policy => TokenKind::Function,
        Kind::Service | Kind::Framework => TokenKind::Namespace,
        Kind::Control | Kind::Threat => TokenKind::Variable,
    }
}

/// Every token of the file with its class, in order; single-line spans.
pub fn semantic_tokens(db: &dyn Db, ws: Workspace, file: SourceFile) -> Vec<(Span, TokenKind)> {
    let text = file.text(db);
    let occ = occurrences(db, ws, file);
    let index = crate::semantics::index(db, ws);
    let mut next = 0;
    let mut out = Vec::new();
    let mut lexer = Tok::lexer(text);
    let mut after_at = false;
    while let Some(tok) = lexer.next() {
        let span = Span::from_range(lexer.span());
        let Ok(tok) = tok else {
            continue;
        };
        let kind = match tok {
            Tok::Str(_) | Tok::UnterminatedStr(_) => TokenKind::String,
            Tok::Int(_) | Tok::Float(_) | Tok::Date(_) | Tok::Duration(_) => TokenKind::Number,
            Tok::DocComment(_) | Tok::Comment(_) => TokenKind::Comment,
            Tok::AtSign => {
                after_at = true;
                continue;
            }
            Tok::Ident(_) | Tok::DashIdent(_) if after_at => TokenKind::Decorator,
            Tok::Ident(_) | Tok::DashIdent(_) => {
                while occ.get(next).is_some_and(|o| o.span.end <= span.start) {
                    next += 1;
                }
                match occ.get(next).filter(|o| o.span.start == span.start) {
                    Some(o) => match &o.target {
                        Target::Decl(q) => index
                            .lookup(&q.package, &q.name)
                            .map_or(TokenKind::Variable, |s| kind_token(s.kind)),
                        Target::Member(_, m, _) => match m {
                            Member::Field => TokenKind::Property,
                            Member::Variant => TokenKind::EnumMember,
                            Member::Rule => TokenKind::Function,
                            Member::Op | Member::Action => TokenKind::Method,
                            Member::Requirement => TokenKind::String,
                        },
                    },
                    None => TokenKind::Variable,
                }
            }
            other => {
                let text = crate::syntax::lex::keyword_text(&other);
                if text.chars().all(char::is_alphabetic) {
                    TokenKind::Keyword
                } else if matches!(
                    other,
                    Tok::Lt | Tok::Gt | Tok::Le | Tok::Ge | Tok::EqEq | Tok::NotEq | Tok::Arrow
                ) {
                    TokenKind::Operator
                } else {
                    after_at = false;
                    continue;
                }
            }
        };
        after_at = false;
        out.push((span, kind));
    }
    out
}

/// Spans worth folding: declarations, their members with bodies, test cases, runs of `use`.
pub fn folding_ranges(db: &dyn Db, file: SourceFile) -> Vec<Span> {
    let mut out = Vec::new();
    let mut uses: Option<Span> = None;
    for item in &parse(db, file).file.items {
        if let ast::Item::Use(u) = item {
            uses = Some(uses.map_or(u.span, |s| s.to(u.span)));
            continue;
        }
        out.extend(uses.take());
        out.push(item.span());
        match item {
            ast::Item::Policy(p) => out.extend(p.rules.iter().map(|r| r.span)),
            ast::Item::Test(t) => out.extend(t.cases.iter().map(|c| c.span)),
            ast::Item::Framework(f) => out.extend(f.requirements.iter().map(|r| r.span)),
            _ => {}
        }
    }
    out.extend(uses);
    out
}
