//! Whole-workspace results: every diagnostic, the merged model, and the checks that need
//! more than one file (one package per folder, no import cycles).
//!
//! Diagnostics are gathered in two layers, so that an edit re-runs only what it touched:
//! [`file_diagnostics`] (one file's syntax errors, analysis and E2014, a query per file) and
//! [`workspace_checks`] (the checks across files, read from span-free summaries: package
//! names and `use` targets). [`diagnostics`] is their sorted union; the language server
//! publishes per file from the two layers without assembling it.

use std::collections::{BTreeMap, BTreeSet};

use super::{analyze_file, file_names};
use crate::db::{Db, SourceFile, Workspace, parse};
use crate::diagnostics::{Diagnostic, codes};
use crate::ir;
use crate::stdlib::STD_PREFIX;
use crate::syntax::ast;

/// Every diagnostic of the workspace, sorted: the load problems, every file's
/// [`file_diagnostics`], then the [`workspace_checks`].
#[salsa::tracked(returns(ref))]
pub fn diagnostics(db: &dyn Db, ws: Workspace) -> Vec<Diagnostic> {
    let per_file = ws
        .files(db)
        .iter()
        .flat_map(|file| file_diagnostics(db, ws, *file).iter().cloned());
    assemble(db, ws, per_file)
}

/// [`diagnostics`] from every file's [`file_diagnostics`] given in the order of the
/// workspace's files: the load problems, those, then the [`workspace_checks`], sorted.
pub fn assemble(
    db: &dyn Db,
    ws: Workspace,
    per_file: impl IntoIterator<Item = Diagnostic>,
) -> Vec<Diagnostic> {
    let mut all: Vec<Diagnostic> = ws.load_diagnostics(db).clone();
    all.extend(per_file);
    all.extend(workspace_checks(db, ws).iter().cloned());
    crate::diagnostics::sort(&mut all);
    all
}

/// One file's own diagnostics, sorted: its syntax errors, its analysis, and `@wire` or
/// `@nullable` on its records and enums that a policy reads (E2014). Only the file's own tree,
/// its analysis and span-free workspace facts are read, so an edit re-runs it for the edited
/// file (and the files whose analysis it changed) only.
#[salsa::tracked(returns(ref))]
pub fn file_diagnostics(db: &dyn Db, ws: Workspace, file: SourceFile) -> Vec<Diagnostic> {
    let analysis = analyze_file(db, ws, file);
    own_diagnostics(db, ws, file, analysis.diagnostics.iter().cloned())
}

/// [`file_diagnostics`] without keeping the file's analysis: it is made, read and dropped on
/// the calling thread, and nothing is memoised but what it reads (`charter check`, which needs
/// no model: [`crate::db::Database::check_files`]).
pub fn file_diagnostics_unkept(db: &dyn Db, ws: Workspace, file: SourceFile) -> Vec<Diagnostic> {
    let analysis = super::check::analyze(db, ws, file);
    own_diagnostics(db, ws, file, analysis.diagnostics)
}

fn own_diagnostics(
    db: &dyn Db,
    ws: Workspace,
    file: SourceFile,
    analysis: impl IntoIterator<Item = Diagnostic>,
) -> Vec<Diagnostic> {
    let mut out: Vec<Diagnostic> = parse(db, file).diagnostics.clone();
    out.extend(analysis);
    out.extend(super::wire::policy_inputs(db, ws, file));
    crate::diagnostics::sort(&mut out);
    out
}

/// The checks across files, in report order (not sorted): no source files (E9005), one package
/// per folder (E1008), import cycles (E1006) and the `[compliance] require` gates (E9002,
/// E5009). They read package names and `use` targets, which carry no spans, and a file's tree
/// only to place a diagnostic; so an edit that does not change what a file declares or imports
/// does not re-run them.
#[salsa::tracked(returns(ref))]
pub fn workspace_checks(db: &dyn Db, ws: Workspace) -> Vec<Diagnostic> {
    let mut all = Vec::new();
    let user_files = ws
        .files(db)
        .iter()
        .filter(|file| !file.path(db).starts_with(STD_PREFIX))
        .count();
    if user_files == 0 && !ws.load_diagnostics(db).iter().any(Diagnostic::is_error) {
        all.push(
            Diagnostic::error(codes::E9005, "no source files", crate::config::MANIFEST, crate::syntax::Span::default())
                .with_label("no `.charter` file in the source folders")
                .with_help("add `.charter` files under the folders `[build] sources` lists (default: the workspace root)"),
        );
    }
    all.extend(folder_packages(db, ws));
    all.extend(import_cycles(db, ws));
    all.extend(coverage_gates(db, ws));
    all
}

/// The package each `use` of a file names, in the order of its `use` lines (no spans: an edit
/// elsewhere in the file leaves it equal).
#[salsa::tracked(returns(ref))]
pub fn file_imports(db: &dyn Db, file: SourceFile) -> Vec<String> {
    parse(db, file)
        .file
        .items
        .iter()
        .filter_map(|item| match item {
            ast::Item::Use(u) => Some(u.prefix.text()),
            _ => None,
        })
        .collect()
}

/// The typed model of the whole workspace.
#[salsa::tracked(returns(ref))]
pub fn model(db: &dyn Db, ws: Workspace) -> ir::Model {
    let config = ws.config(db);
    let mut model = ir::Model {
        package: config.name.clone(),
        version: config.version.clone(),
        ..ir::Model::default()
    };
    // Each file's model is cloned out of the database on every core (a build's serial step
    // otherwise: about a tenth of `build --target rego` at 100k lines), then moved in, in the
    // files' order, into lists reserved at their final length.
    let parts: Vec<&ir::Model> = ws
        .files(db)
        .iter()
        .map(|file| &analyze_file(db, ws, *file).model)
        .collect();
    let threads = std::thread::available_parallelism().ok();
    model.reserve(&parts);
    for part in crate::parallel::map(&parts, threads, |part| (*part).clone()) {
        model.append(part);
    }
    // Which operations guarded by each policy require provenance.
    let mut needs: BTreeMap<ir::QualName, Vec<String>> = BTreeMap::new();
    for service in &model.services {
        for op in &service.ops {
            if let (Some(guard), true) = (&op.guard, op.requires_provenance) {
                needs
                    .entry(guard.policy.clone())
                    .or_default()
                    .push(format!("{}.{}", service.name, op.name));
            }
        }
    }
    for policy in &mut model.policies {
        if let Some(list) = needs.remove(&policy.name) {
            policy.requires_provenance_for = list;
        }
    }
    model
}

fn folder(path: &str) -> &str {
    path.rfind('/').map_or("", |i| path.get(..i).unwrap_or(""))
}

/// Files of one folder must declare one package (the first file's, in path order).
fn folder_packages(db: &dyn Db, ws: Workspace) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut first: BTreeMap<&str, (String, &str)> = BTreeMap::new();
    for file in ws.files(db) {
        let path = file.path(db);
        let Some(package) = &file_names(db, *file).package else {
            continue;
        };
        match first.get(folder(path)) {
            None => {
                first.insert(folder(path), (package.clone(), path));
            }
            Some((expected, other)) if expected != package => {
                let span = parse(db, *file)
                    .file
                    .items
                    .iter()
                    .find_map(|i| match i {
                        ast::Item::Package(p) => Some(p.path.span),
                        _ => None,
                    })
                    .unwrap_or_default();
                out.push(
                    Diagnostic::error(codes::E1008, format!("package `{package}` differs from its folder's package `{expected}`"), path, span)
                        .with_label(format!("`{other}` in the same folder declares `{expected}`"))
                        .with_help("one folder holds one package: move the file, or change its package declaration"),
                );
            }
            Some(_) => {}
        }
    }
    out
}

/// Packages whose imports form a cycle: reported once per cycle, at a `use` on it. The graph
/// comes from [`file_imports`]; a file's tree is read only to place a cycle's diagnostic.
fn import_cycles(db: &dyn Db, ws: Workspace) -> Vec<Diagnostic> {
    // Edges: package -> (imported package, file position, which `use` of the file).
    type Edge = (String, usize, usize);
    let files = ws.files(db);
    let mut edges: BTreeMap<String, Vec<Edge>> = BTreeMap::new();
    for (i, file) in files.iter().enumerate() {
        let Some(package) = file_names(db, *file).package.clone() else {
            continue;
        };
        for (k, target) in file_imports(db, *file).iter().enumerate() {
            if *target != package && !target.starts_with("std.") && target != "std" {
                edges
                    .entry(package.clone())
                    .or_default()
                    .push((target.clone(), i, k));
            }
        }
    }
    let mut out = Vec::new();
    let mut reported: BTreeSet<BTreeSet<String>> = BTreeSet::new();
    for start in edges.keys() {
        // Depth-first search for a path back to `start`.
        let mut stack: Vec<(String, Vec<Edge>)> = vec![(start.clone(), Vec::new())];
        let mut visited: BTreeSet<String> = BTreeSet::new();
        while let Some((node, path)) = stack.pop() {
            for (next, file, k) in edges.get(&node).map(Vec::as_slice).unwrap_or(&[]) {
                let mut path = path.clone();
                path.push((next.clone(), *file, *k));
                if next == start {
                    let members: BTreeSet<String> =
                        path.iter().map(|(p, _, _)| p.clone()).collect();
                    if reported.insert(members) {
                        let chain: Vec<String> = std::iter::once(start.clone())
                            .chain(path.iter().map(|(p, _, _)| p.clone()))
                            .collect();
                        if let Some(&(_, i, k)) = path.first()
                            && let Some(file) = files.get(i)
                        {
                            let span = parse(db, *file)
                                .file
                                .items
                                .iter()
                                .filter_map(|item| match item {
                                    ast::Item::Use(u) => Some(u.span),
                                    _ => None,
                                })
                                .nth(k)
                                .unwrap_or_default();
                            out.push(
                                Diagnostic::error(
                                    codes::E1006,
                                    format!("import cycle: {}", chain.join(" → ")),
                                    file.path(db),
                                    span,
                                )
                                .with_label("this import closes a cycle")
                                .with_help(
                                    "move the shared declarations into a package both can import",
                                ),
                            );
                        }
                    }
                } else if visited.insert(next.clone()) {
                    stack.push((next.clone(), path));
                }
            }
        }
    }
    out
}

/// True when a control declaration (or a declaration whose keyword could not be read) did not
/// parse, or one of its clauses did not.
fn has_broken_control(db: &dyn Db, ws: Workspace) -> bool {
    ws.files(db).iter().any(|file| {
        parse(db, *file).file.items.iter().any(|item| match item {
            ast::Item::Error(e) => e.keyword.as_deref().is_none_or(|k| k == "control"),
            ast::Item::Control(c) => c
                .clauses
                .iter()
                .any(|clause| matches!(clause, ast::ControlClause::Error(_))),
            _ => false,
        })
    })
}

/// The `[compliance] require` gates of charter.toml: each entry must name a framework and
/// select at least one of its requirements (E9002), and every selected requirement must be
/// covered by a control's `satisfies` (E5009). A mapping to a requirement also covers its
/// `parent` (a HIPAA implementation specification covers its standard). One diagnostic per
/// entry, at the entry's span in charter.toml. Nothing is said while a control did not parse:
/// its `satisfies` are unknown, and its syntax error is the thing to fix.
fn coverage_gates(db: &dyn Db, ws: Workspace) -> Vec<Diagnostic> {
    use crate::config::{MANIFEST, Selector, gate};
    let required = &ws.config(db).required;
    if required.is_empty() || has_broken_control(db, ws) {
        return Vec::new();
    }
    let model = model(db, ws);
    let mut out = Vec::new();
    for (entry, span) in required {
        let Ok(gate) = gate(entry) else {
            continue; // reported by the manifest parser
        };
        let frameworks: Vec<&ir::Framework> = model
            .frameworks
            .iter()
            .filter(|f| f.name.name == gate.framework || f.name.to_string() == gate.framework)
            .collect();
        let Some(first) = frameworks.first() else {
            let mut known: Vec<&str> = model
                .frameworks
                .iter()
                .map(|f| f.name.name.as_str())
                .collect();
            known.sort_unstable();
            known.dedup();
            out.push(
                Diagnostic::error(
                    codes::E9002,
                    format!("unknown framework `{}`", gate.framework),
                    MANIFEST,
                    *span,
                )
                .with_label("no framework of this name")
                .with_help(format!(
                    "the frameworks are {}",
                    known
                        .iter()
                        .map(|k| format!("`{k}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
            );
            continue;
        };
        let name = first.name.name.as_str();
        let covered: BTreeSet<&str> = model
            .controls
            .iter()
            .flat_map(|c| &c.mappings)
            .filter(|m| m.framework == name)
            .flat_map(|m| {
                let parent = frameworks
                    .iter()
                    .flat_map(|f| &f.requirements)
                    .find(|r| r.id == m.requirement)
                    .and_then(|r| r.parent.as_deref());
                std::iter::once(m.requirement.as_str()).chain(parent)
            })
            .collect();
        let selected: Vec<&str> = frameworks
            .iter()
            .flat_map(|f| &f.requirements)
            .filter(|r| match gate.selector {
                Selector::Id(id) => r.id == id || r.aliases.iter().any(|a| a == id),
                Selector::Prefix(prefix) => r.id.starts_with(prefix),
                Selector::Attribute(key, value) => {
                    (key == "parent" && r.parent.as_deref() == Some(value))
                        || r.attributes.iter().any(|(k, v)| k == key && v == value)
                }
            })
            .map(|r| r.id.as_str())
            .collect();
        if selected.is_empty() {
            out.push(
                Diagnostic::error(codes::E9002, format!("`{entry}` selects no requirement of `{name}`"), MANIFEST, *span)
                    .with_label("matches nothing in the catalogue")
                    .with_help("check the id, prefix or attribute against the framework catalogue (`std.frameworks`)"),
            );
            continue;
        }
        let uncovered: Vec<&str> = selected
            .into_iter()
            .filter(|id| !covered.contains(id))
            .collect();
        let Some(example) = uncovered.first() else {
            continue;
        };
        let shown: Vec<String> = uncovered
            .iter()
            .take(10)
            .map(|id| format!("`{id}`"))
            .collect();
        let more = uncovered.len().saturating_sub(shown.len());
        let label = if more > 0 {
            format!("not covered: {} and {more} more", shown.join(", "))
        } else {
            format!("not covered: {}", shown.join(", "))
        };
        let count = uncovered.len();
        let noun = if count == 1 {
            "requirement"
        } else {
            "requirements"
        };
        out.push(
            Diagnostic::error(codes::E5009, format!("{count} required {noun} of `{name}` not covered by any control"), MANIFEST, *span)
                .with_label(label)
                .with_help(format!("map a control to it with `satisfies {name}.\"{example}\"`, or narrow the requirement in charter.toml")),
        );
    }
    out
}
