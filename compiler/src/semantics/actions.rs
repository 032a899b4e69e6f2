//! The workspace's action declarations, built so that an edit costs what it touched.
//!
//! [`file_actions`] is a per-file summary read from the tree alone: the file's package, its
//! `use` declarations and its action declarations, without spans. It does not read the name
//! index, so it keeps the durability of its file: after an edit of one buffer, every other
//! file's summary is reused without looking at what it read, and the edited file's is equal
//! (backdated) unless an action or an import changed. [`action_table`] resolves the summaries
//! against the index; it runs again only when a summary or the index changed, and is otherwise
//! verified by one check per file.

use std::collections::BTreeMap;

use super::sigs::ActionSig;
use super::{Scope, index};
use crate::Name;
use crate::db::{Db, SourceFile, Workspace, parse};
use crate::ir::{Kind, QualName};
use crate::syntax::{Span, ast};

/// One file's action declarations and what resolving them needs, span-free. Empty for a file
/// without a package or without action declarations.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct FileActions {
    package: String,
    uses: Vec<ast::Use>,
    unimported: Vec<String>,
    decls: Vec<ActionDecl>,
    /// An `action` declaration did not parse.
    broken: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct ActionDecl {
    names: Vec<Name>,
    resource: ast::Path,
    subjects: Vec<ast::Path>,
}

impl FileActions {
    fn is_empty(&self) -> bool {
        self.decls.is_empty() && !self.broken
    }
}

fn unspanned_ident(ident: &mut ast::Ident) {
    ident.span = Span::default();
}

fn unspanned_path(path: &ast::Path) -> ast::Path {
    let mut path = path.clone();
    path.span = Span::default();
    path.segments.iter_mut().for_each(unspanned_ident);
    path
}

fn unspanned_use(u: &ast::Use) -> ast::Use {
    let mut u = u.clone();
    u.span = Span::default();
    u.prefix = unspanned_path(&u.prefix);
    for name in &mut u.names {
        unspanned_ident(&mut name.name);
        if let Some(alias) = &mut name.alias {
            unspanned_ident(alias);
        }
    }
    u
}

/// A file's [`FileActions`], from its tree only.
#[salsa::tracked(returns(ref))]
pub fn file_actions(db: &dyn Db, file: SourceFile) -> FileActions {
    let parsed = parse(db, file);
    let items = &parsed.file.items;
    let Some(package) = items.iter().find_map(|i| match i {
        ast::Item::Package(p) => Some(p.path.text()),
        _ => None,
    }) else {
        return FileActions::default();
    };
    let mut out = FileActions::default();
    for item in items {
        match item {
            ast::Item::Action(a) => out.decls.push(ActionDecl {
                names: a.names.iter().map(|n| n.name.clone()).collect(),
                resource: unspanned_path(&a.resource),
                subjects: a.subjects.iter().map(unspanned_path).collect(),
            }),
            ast::Item::Error(e) if e.keyword.as_deref() == Some("action") => out.broken = true,
            _ => {}
        }
    }
    if out.is_empty() {
        return FileActions::default();
    }
    out.package = package;
    out.uses = super::uses(&parsed.file)
        .into_iter()
        .map(unspanned_use)
        .collect();
    out.unimported = super::unimported(&parsed.file).collect();
    out
}

/// Every action of the workspace by resource (in file order, then declaration order), and
/// whether every action declaration parsed and resolved.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct ActionTable {
    pub by_resource: BTreeMap<QualName, Vec<ActionSig>>,
    pub complete: bool,
}

#[salsa::tracked(returns(ref))]
pub fn action_table(db: &dyn Db, ws: Workspace) -> ActionTable {
    let index = index(db, ws);
    let mut table = ActionTable {
        complete: true,
        ..ActionTable::default()
    };
    // Diagnostics of resolution are the analysis's to report; here they are dropped.
    let mut sink = Vec::new();
    for file in ws.files(db) {
        let summary = file_actions(db, *file);
        if summary.is_empty() {
            continue;
        }
        table.complete &= !summary.broken;
        let uses: Vec<&ast::Use> = summary.uses.iter().collect();
        let mut scope = Scope::new(summary.package.clone(), index, &uses, "", &mut sink);
        scope.broken.extend(summary.unimported.iter().cloned());
        for decl in &summary.decls {
            let Some(resource) = scope.resolve_kind(&decl.resource, &[Kind::Entity], "", &mut sink)
            else {
                table.complete = false;
                continue;
            };
            let subjects: Vec<QualName> = decl
                .subjects
                .iter()
                .filter_map(|s| scope.resolve_kind(s, &[Kind::Entity], "", &mut sink))
                .collect();
            if subjects.len() != decl.subjects.len() {
                table.complete = false;
            }
            for name in &decl.names {
                let list = table.by_resource.entry(resource.clone()).or_default();
                list.push(ActionSig {
                    name: name.to_string(),
                    resource: resource.clone(),
                    subjects: subjects.clone(),
                });
            }
        }
        sink.clear();
    }
    table
}
