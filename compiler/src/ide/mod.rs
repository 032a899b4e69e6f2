//! Editor queries over the database, with no IO and no protocol types: what is at an offset,
//! where it is declared, who uses it, how to rename it, what to complete, the outline of a file.
//! `charter-lsp` converts positions and messages; the logic lives here, tested in Rust.
//!
//! Offsets are byte offsets into a file's text; [`line_index`] converts them to the (line,
//! UTF-16 column) positions editors use.

mod complete;
mod hover;
pub mod line_index;
mod outline;
mod resolve;
#[cfg(test)]
mod tests;

use crate::db::{Db, SourceFile, Workspace};
use crate::stdlib::STD_PREFIX;
use crate::syntax::Span;
use crate::syntax::lex::Tok;

pub use complete::{Completion, CompletionKind, completions};
pub use hover::hover;
pub use outline::{
    Symbol, SymbolKind, TokenKind, document_symbols, folding_ranges, semantic_tokens,
    workspace_symbols,
};
pub use resolve::{Member, Occurrence, Target, occurrences};

/// A place in the workspace.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Location {
    pub file: SourceFile,
    pub span: Span,
}

/// The file of a workspace with this path.
pub fn file_by_path(db: &dyn Db, ws: Workspace, path: &str) -> Option<SourceFile> {
    ws.files(db).iter().copied().find(|f| f.path(db) == path)
}

/// The name under the cursor: a span that contains `offset` or ends at it.
pub fn occurrence_at(
    db: &dyn Db,
    ws: Workspace,
    file: SourceFile,
    offset: usize,
) -> Option<&Occurrence> {
    let list = occurrences(db, ws, file);
    let at = |o: &&Occurrence| (o.span.start as usize) <= offset && offset < o.span.end as usize;
    let touching = |o: &&Occurrence| o.span.end as usize == offset;
    list.iter().find(at).or_else(|| list.iter().find(touching))
}

/// Where a target is declared.
pub fn def_site(db: &dyn Db, ws: Workspace, target: &Target) -> Option<Location> {
    let owner = match target {
        Target::Decl(q) | Target::Member(q, _, _) => q,
    };
    let files = ws.files(db);
    let first = crate::semantics::index(db, ws)
        .lookup(&owner.package, &owner.name)
        .and_then(|site| files.get(site.file))
        .copied();
    // Actions are declared wherever their `action` line is: search every file after the
    // owner's.
    first
        .into_iter()
        .chain(files.iter().copied())
        .find_map(|file| {
            occurrences(db, ws, file)
                .iter()
                .find(|o| o.def && &o.target == target)
                .map(|o| Location { file, span: o.span })
        })
}

/// Go to definition.
pub fn definition(db: &dyn Db, ws: Workspace, file: SourceFile, offset: usize) -> Option<Location> {
    let target = occurrence_at(db, ws, file, offset)?.target.clone();
    def_site(db, ws, &target)
}

/// Every occurrence of the target under the cursor, in workspace file order; the declaration
/// too when `include_decl`.
pub fn references(
    db: &dyn Db,
    ws: Workspace,
    file: SourceFile,
    offset: usize,
    include_decl: bool,
) -> Vec<Location> {
    let Some(target) = occurrence_at(db, ws, file, offset).map(|o| o.target.clone()) else {
        return Vec::new();
    };
    references_of(db, ws, &target, include_decl)
}

pub fn references_of(
    db: &dyn Db,
    ws: Workspace,
    target: &Target,
    include_decl: bool,
) -> Vec<Location> {
    let mut out = Vec::new();
    for file in ws.files(db) {
        for o in occurrences(db, ws, *file) {
            if &o.target == target && (include_decl || !o.def) {
                out.push(Location {
                    file: *file,
                    span: o.span,
                });
            }
        }
    }
    out
}

/// The first token at `offset`, for messages about keywords.
fn token_at(text: &str, offset: usize) -> Option<(Span, Tok<'_>)> {
    use logos::Logos;
    let mut lexer = Tok::lexer(text);
    while let Some(tok) = lexer.next() {
        let range = lexer.span();
        if range.start > offset {
            return None;
        }
        if offset <= range.end
            && let Ok(tok) = tok
        {
            return Some((Span::from_range(range), tok));
        }
    }
    None
}

/// Whether the cursor's name can be renamed: its span, or why not.
pub fn prepare_rename(
    db: &dyn Db,
    ws: Workspace,
    file: SourceFile,
    offset: usize,
) -> Result<Span, String> {
    let Some(occurrence) = occurrence_at(db, ws, file, offset) else {
        if let Some((_, tok)) = token_at(file.text(db), offset)
            && !matches!(tok, Tok::Ident(_) | Tok::DashIdent(_))
            && crate::syntax::lex::keyword_text(&tok)
                .chars()
                .all(char::is_alphabetic)
        {
            return Err(format!(
                "`{}` is a keyword and cannot be renamed",
                crate::syntax::lex::keyword_text(&tok)
            ));
        }
        return Err("there is no declared name here to rename".to_string());
    };
    let target = occurrence.target.clone();
    let span = occurrence.span;
    let declared_in_std = def_site(db, ws, &target)
        .is_none_or(|site| site.file.path(db).starts_with(STD_PREFIX))
        || file.path(db).starts_with(STD_PREFIX);
    if declared_in_std {
        let name = match &target {
            Target::Decl(q) => q.to_string(),
            Target::Member(q, _, m) => format!("{q}.{m}"),
        };
        return Err(format!(
            "`{name}` belongs to the standard library and cannot be renamed"
        ));
    }
    if matches!(target, Target::Member(_, Member::Requirement, _)) {
        return Err("framework requirement ids are fixed by their framework".to_string());
    }
    Ok(span)
}

/// The edits renaming the cursor's name to `new_name` everywhere: (file, span, replacement).
pub fn rename(
    db: &dyn Db,
    ws: Workspace,
    file: SourceFile,
    offset: usize,
    new_name: &str,
) -> Result<Vec<(Location, String)>, String> {
    prepare_rename(db, ws, file, offset)?;
    let target = occurrence_at(db, ws, file, offset)
        .map(|o| o.target.clone())
        .ok_or_else(|| "there is no declared name here to rename".to_string())?;
    let dashed_ok = matches!(&target, Target::Decl(q) if matches!(
        crate::semantics::index(db, ws).lookup(&q.package, &q.name).map(|s| s.kind),
        Some(crate::ir::Kind::Control | crate::ir::Kind::Threat)
    ));
    check_name(new_name, dashed_ok)?;
    Ok(references_of(db, ws, &target, true)
        .into_iter()
        .map(|loc| (loc, new_name.to_string()))
        .collect())
}

/// A new name must be one identifier token, not a keyword.
fn check_name(name: &str, dashed_ok: bool) -> Result<(), String> {
    use logos::Logos;
    let mut lexer = Tok::lexer(name);
    let first = lexer.next();
    let whole = lexer.span() == (0..name.len()) && lexer.next().is_none();
    match first {
        Some(Ok(Tok::Ident(_))) if whole => Ok(()),
        Some(Ok(Tok::DashIdent(_))) if whole && dashed_ok => Ok(()),
        Some(Ok(tok))
            if whole && !matches!(tok, Tok::Ident(_) | Tok::DashIdent(_) | Tok::Str(_)) =>
        {
            Err(format!("`{name}` is a keyword"))
        }
        _ => Err(format!("`{name}` is not a valid name")),
    }
}

/// Packages other than the file's own that declare `name`: candidates for a missing `use`.
pub fn import_candidates(db: &dyn Db, ws: Workspace, file: SourceFile, name: &str) -> Vec<String> {
    let own = crate::semantics::file_names(db, file).package.clone();
    crate::semantics::index(db, ws)
        .packages
        .iter()
        .filter(|(package, info)| Some(*package) != own.as_ref() && info.decls.contains_key(name))
        .map(|(package, _)| package.clone())
        .collect()
}

/// Where a new `use` line goes: the start of the line after the last `use`, or after the
/// `package` line.
pub fn use_insertion(db: &dyn Db, file: SourceFile) -> usize {
    let text = file.text(db);
    let after = crate::db::parse(db, file)
        .file
        .items
        .iter()
        .filter(|i| {
            matches!(
                i,
                crate::syntax::ast::Item::Use(_) | crate::syntax::ast::Item::Package(_)
            )
        })
        .map(|i| i.span().end as usize)
        .max()
        .unwrap_or(0);
    text.get(after..)
        .and_then(|rest| rest.find('\n'))
        .map_or(text.len(), |i| after + i + 1)
}
