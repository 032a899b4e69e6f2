//! Syntax tree to typed model: name index, signatures, per-file analysis, workspace checks.
//!
//! The queries are layered so an edit re-does as little as possible:
//! - [`file_names`]: a file's package and declared names, without spans. An edit inside a body
//!   leaves it equal, so salsa backdates it and nothing downstream of the index re-runs.
//! - [`index`]: every package's names, from all files' `file_names`.
//! - [`file_sigs`]: a file's declarations' public shape (fields and their types, enum values,
//!   policy rules), without spans. Other files' analyses read only these.
//! - [`analyze_file`]: diagnostics and the typed model of one file, from its own tree, the index
//!   and the signatures of what it references.
//! - [`model`] and [`diagnostics`]: the whole workspace.

mod actions;
mod check;
mod compliance;
mod contract;
mod lint;
mod policy;
mod scope;
mod sigs;
mod tests;
mod types;
mod values;
mod wire;
mod workspace;

use std::collections::BTreeMap;

use crate::db::{Db, SourceFile, Workspace, parse};
use crate::diagnostics::Diagnostic;
use crate::ir::{self, Kind};
use crate::syntax::ast;

pub use actions::{ActionTable, FileActions, action_table, file_actions};
pub use scope::Scope;
pub use sigs::{FieldSig, FileSigs, Sig};
pub use workspace::{
    assemble, diagnostics, file_diagnostics, file_diagnostics_unkept, file_imports, model,
    workspace_checks,
};

/// A file's package and the names it declares: what the index needs, nothing more.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct FileNames {
    pub package: Option<String>,
    /// Declared names with their kind; `true` marks a declaration that did not parse.
    pub decls: Vec<(String, Kind, bool)>,
}

#[salsa::tracked(returns(ref))]
pub fn file_names(db: &dyn Db, file: SourceFile) -> FileNames {
    let parsed = parse(db, file);
    let mut names = FileNames::default();
    for item in &parsed.file.items {
        match item {
            ast::Item::Package(p) if names.package.is_none() => names.package = Some(p.path.text()),
            ast::Item::Error(e) => {
                if let (Some(kind), Some(name)) =
                    (e.keyword.as_deref().and_then(keyword_kind), &e.name)
                {
                    names.decls.push((name.name.to_string(), kind, true));
                }
            }
            other => {
                if let Some((name, kind)) = declared(other) {
                    names.decls.push((name.name.to_string(), kind, false));
                }
            }
        }
    }
    names
}

fn keyword_kind(keyword: &str) -> Option<Kind> {
    Some(match keyword {
        "record" => Kind::Record,
        "enum" => Kind::Enum,
        "type" => Kind::Alias,
        "entity" => Kind::Entity,
        "context" => Kind::Context,
        "policy" => Kind::Policy,
        "service" => Kind::Service,
        "control" => Kind::Control,
        "threat" => Kind::Threat,
        "framework" => Kind::Framework,
        _ => return None,
    })
}

/// The `use` declarations of a file.
pub fn uses(file: &ast::File) -> Vec<&ast::Use> {
    file.items
        .iter()
        .filter_map(|i| match i {
            ast::Item::Use(u) => Some(u),
            _ => None,
        })
        .collect()
}

/// The names of imports written without `use` (a syntax error): uses of them are not reported
/// again as unknown.
pub fn unimported(file: &ast::File) -> impl Iterator<Item = String> + '_ {
    file.items.iter().filter_map(|item| match item {
        ast::Item::Error(e) if e.keyword.as_deref() == Some("use") => {
            e.name.as_ref().map(|n| n.name.to_string())
        }
        _ => None,
    })
}

/// The name and kind an item declares in its package's namespace.
pub fn declared(item: &ast::Item) -> Option<(&ast::Ident, Kind)> {
    Some(match item {
        ast::Item::Record(x) => (&x.name, Kind::Record),
        ast::Item::Enum(x) => (&x.name, Kind::Enum),
        ast::Item::Alias(x) => (&x.name, Kind::Alias),
        ast::Item::Entity(x) => (&x.name, Kind::Entity),
        ast::Item::Context(x) => (&x.name, Kind::Context),
        ast::Item::Policy(x) => (&x.name, Kind::Policy),
        ast::Item::Service(x) => (&x.name, Kind::Service),
        ast::Item::Control(x) => (&x.id, Kind::Control),
        ast::Item::Threat(x) => (&x.id, Kind::Threat),
        ast::Item::Framework(x) => (&x.name, Kind::Framework),
        ast::Item::Package(_)
        | ast::Item::Use(_)
        | ast::Item::Action(_)
        | ast::Item::Test(_)
        | ast::Item::Error(_) => return None,
    })
}

/// One declaration site in the index.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Site {
    pub kind: Kind,
    /// Position of the file in [`Workspace::files`].
    pub file: usize,
    /// The declaration did not parse: uses of it are not reported again.
    pub broken: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct PackageInfo {
    /// Files declaring this package, by position in the workspace.
    pub files: Vec<usize>,
    /// Names, each with every site that declares it (more than one is a duplicate).
    pub decls: BTreeMap<String, Vec<Site>>,
}

/// Every package of the workspace and the names it declares.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Index {
    pub packages: BTreeMap<String, PackageInfo>,
}

impl Index {
    pub fn lookup(&self, package: &str, name: &str) -> Option<&Site> {
        self.packages.get(package)?.decls.get(name)?.first()
    }
}

#[salsa::tracked(returns(ref))]
pub fn index(db: &dyn Db, ws: Workspace) -> Index {
    let mut index = Index::default();
    for (i, file) in ws.files(db).iter().enumerate() {
        let names = file_names(db, *file);
        let Some(package) = &names.package else {
            continue;
        };
        let info = index.packages.entry(package.clone()).or_default();
        info.files.push(i);
        for (name, kind, broken) in &names.decls {
            info.decls.entry(name.clone()).or_default().push(Site {
                kind: *kind,
                file: i,
                broken: *broken,
            });
        }
    }
    index
}

/// The public shape of one file's declarations (see [`sigs`]).
#[salsa::tracked(returns(ref))]
pub fn file_sigs(db: &dyn Db, ws: Workspace, file: SourceFile) -> FileSigs {
    sigs::build(db, ws, file)
}

/// What analysing one file produced.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct FileAnalysis {
    pub diagnostics: Vec<Diagnostic>,
    pub model: ir::Model,
}

/// (`lru`: see [`crate::db::Database::set_retention`].)
#[salsa::tracked(returns(ref), lru = 0)]
pub fn analyze_file(db: &dyn Db, ws: Workspace, file: SourceFile) -> FileAnalysis {
    check::analyze(db, ws, file)
}

pub(crate) fn set_analysis_retention(db: &mut dyn Db, analyses: usize) {
    analyze_file::set_lru_capacity(db, analyses);
}

/// All actions declared in the workspace, by resource (see [`action_table`]).
pub fn actions(db: &dyn Db, ws: Workspace) -> &BTreeMap<ir::QualName, Vec<sigs::ActionSig>> {
    &action_table(db, ws).by_resource
}

/// Whether every action declaration of the workspace parsed and resolved. When one did not, an
/// action missing from a policy may be declared there: such errors are not reported.
pub fn actions_complete(db: &dyn Db, ws: Workspace) -> bool {
    action_table(db, ws).complete
}

/// The actions a policy with this resource and these subjects decides, sorted.
pub fn decided_actions(
    db: &dyn Db,
    ws: Workspace,
    resource: &ir::QualName,
    subjects: &[ir::QualName],
) -> Vec<String> {
    let mut names: Vec<String> = actions(db, ws)
        .get(resource)
        .map(|list| {
            list.iter()
                .filter(|a| a.subjects.iter().any(|s| subjects.contains(s)))
                .map(|a| a.name.clone())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names.dedup();
    names
}

/// Looks up the signature of a declaration anywhere in the workspace.
pub fn sig_of(db: &dyn Db, ws: Workspace, name: &ir::QualName) -> Option<std::sync::Arc<Sig>> {
    let site = index(db, ws).lookup(&name.package, &name.name)?;
    let file = ws.files(db).get(site.file)?;
    file_sigs(db, ws, *file)
        .decls
        .get(name.name.as_str())
        .cloned()
}
