//! Name resolution for one file: its package, its imports, and qualified names.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};

use super::{Index, Site};
use crate::diagnostics::{Diagnostic, codes, suggestion};
use crate::ir::{Kind, QualName};
use crate::syntax::{Span, ast};

/// One imported name.
#[derive(Debug, Clone)]
pub struct Import {
    pub target: QualName,
    pub site: Site,
    pub span: Span,
}

/// What a file can see: its own package's names, its imports, and any qualified name.
#[derive(Debug)]
pub struct Scope<'a> {
    pub package: String,
    pub index: &'a Index,
    pub imports: BTreeMap<String, Import>,
    /// Imports that some reference used (for the unused-import warning).
    pub used: RefCell<BTreeSet<String>>,
    /// Names of imports that failed (unknown package or name): uses of them say nothing more.
    pub broken: BTreeSet<String>,
}

/// The outcome of resolving a name.
pub enum Resolved {
    Found(QualName, Site),
    /// Not found; the diagnostic is ready to report.
    Missing(Box<Diagnostic>),
    /// The name belongs to a declaration that did not parse: say nothing more.
    Broken,
}

impl<'a> Scope<'a> {
    /// Builds the scope of a file, reporting problems with its `use` declarations.
    pub fn new(
        package: String,
        index: &'a Index,
        uses: &[&ast::Use],
        file: &str,
        diags: &mut Vec<Diagnostic>,
    ) -> Self {
        let mut imports = BTreeMap::new();
        let mut broken = BTreeSet::new();
        for u in uses {
            let package_name = u.prefix.text();
            let Some(info) = index.packages.get(&package_name) else {
                let known: Vec<&str> = index.packages.keys().map(String::as_str).collect();
                diags.push(
                    Diagnostic::error(
                        codes::E1003,
                        format!("unknown package `{package_name}`"),
                        file,
                        u.prefix.span,
                    )
                    .with_label("no file declares this package")
                    .with_help(suggestion(
                        &package_name,
                        known,
                        "check the package name, or add a file that declares it",
                    )),
                );
                broken.extend(
                    u.names
                        .iter()
                        .map(|n| n.alias.as_ref().unwrap_or(&n.name).name.to_string()),
                );
                continue;
            };
            for name in &u.names {
                let Some(site) = info
                    .decls
                    .get(name.name.name.as_str())
                    .and_then(|s| s.first())
                else {
                    let known: Vec<&str> = info.decls.keys().map(String::as_str).collect();
                    diags.push(
                        Diagnostic::error(
                            codes::E1004,
                            format!(
                                "`{}` is not declared in package `{package_name}`",
                                name.name.name
                            ),
                            file,
                            name.name.span,
                        )
                        .with_label("not found in this package")
                        .with_help(suggestion(
                            &name.name.name,
                            known,
                            "check the spelling, or declare it in that package",
                        )),
                    );
                    broken.insert(name.alias.as_ref().unwrap_or(&name.name).name.to_string());
                    continue;
                };
                let local = name.alias.as_ref().unwrap_or(&name.name);
                let span = local.span;
                if imports.contains_key(local.name.as_str()) {
                    diags.push(
                        Diagnostic::error(
                            codes::E1002,
                            format!("`{}` is imported twice", local.name),
                            file,
                            span,
                        )
                        .with_label("imported again here")
                        .with_help("remove one of the imports, or rename one with `as`"),
                    );
                    continue;
                }
                imports.insert(
                    local.name.to_string(),
                    Import {
                        target: QualName::new(package_name.clone(), name.name.name.clone()),
                        site: *site,
                        span,
                    },
                );
            }
        }
        Scope {
            package,
            index,
            imports,
            used: RefCell::new(BTreeSet::new()),
            broken,
        }
    }

    /// Looks a one-segment name up: the file's own package first, then its imports.
    pub fn lookup_local(&self, name: &str) -> Option<(QualName, Site)> {
        if let Some(site) = self.index.lookup(&self.package, name) {
            return Some((QualName::new(self.package.clone(), name), *site));
        }
        let import = self.imports.get(name)?;
        let mut used = self.used.borrow_mut();
        if !used.contains(name) {
            used.insert(name.to_string());
        }
        drop(used);
        Some((import.target.clone(), import.site))
    }

    /// Resolves a path naming a declaration: `Name`, an imported name, or `pkg.path.Name`.
    /// `expected` are the kinds of declaration the place accepts (empty: any); a did-you-mean
    /// for a name that is not found proposes only names of those kinds.
    pub fn resolve(&self, path: &ast::Path, expected: &[Kind], file: &str) -> Resolved {
        let segments: Vec<&str> = path.segments.iter().map(|s| s.name.as_str()).collect();
        let found = match segments.as_slice() {
            [] => return Resolved::Broken,
            [name]
                if self.broken.contains(*name)
                    && self.index.lookup(&self.package, name).is_none() =>
            {
                return Resolved::Broken;
            }
            [name] => self.lookup_local(name),
            [package @ .., name] => {
                let package = package.join(".");
                self.index
                    .lookup(&package, name)
                    .map(|site| (QualName::new(package, *name), *site))
            }
        };
        match found {
            Some((_, site)) if site.broken => Resolved::Broken,
            Some((name, site)) => Resolved::Found(name, site),
            None => Resolved::Missing(Box::new(self.missing(path, expected, file))),
        }
    }

    /// Resolves a path that must name a declaration of one of `kinds`.
    pub fn resolve_kind(
        &self,
        path: &ast::Path,
        kinds: &[Kind],
        file: &str,
        diags: &mut Vec<Diagnostic>,
    ) -> Option<QualName> {
        match self.resolve(path, kinds, file) {
            Resolved::Found(name, site) if kinds.contains(&site.kind) => Some(name),
            Resolved::Found(name, site) => {
                let wanted: Vec<&str> = kinds.iter().map(|k| k.with_article()).collect();
                diags.push(
                    Diagnostic::error(
                        codes::E1005,
                        format!(
                            "`{}` is {}, not {}",
                            name.name,
                            site.kind.with_article(),
                            wanted.join(" or ")
                        ),
                        file,
                        path.span,
                    )
                    .with_label(format!("expected {}", wanted.join(" or ")))
                    .with_help(format!("name {} here", wanted.join(" or "))),
                );
                None
            }
            Resolved::Missing(d) => {
                diags.push(*d);
                None
            }
            Resolved::Broken => None,
        }
    }

    /// The diagnostic for a name that resolves to nothing, with a did-you-mean among the names of
    /// the `expected` kinds (any kind when empty).
    fn missing(&self, path: &ast::Path, expected: &[Kind], file: &str) -> Diagnostic {
        let fits = |site: &Site| expected.is_empty() || expected.contains(&site.kind);
        let names_of = |info: &'a super::PackageInfo| {
            info.decls
                .iter()
                .filter(move |(_, sites)| sites.first().is_some_and(&fits))
                .map(|(name, _)| name.as_str())
        };
        let text = path.text();
        let last = path.last().map_or(text.as_str(), |i| i.name.as_str());
        if path.segments.len() > 1 {
            let package = path
                .segments
                .iter()
                .take(path.segments.len() - 1)
                .map(|s| s.name.as_str())
                .collect::<Vec<_>>()
                .join(".");
            let help = match self.index.packages.get(&package) {
                Some(info) => suggestion(
                    last,
                    names_of(info),
                    &format!("`{package}` declares no `{last}`"),
                ),
                None => suggestion(
                    &package,
                    self.index.packages.keys().map(String::as_str),
                    &format!("no package `{package}`"),
                )
                .prefixed_if_proposing(&format!("no package `{package}`; ")),
            };
            return Diagnostic::error(
                codes::E1001,
                format!("unknown name `{text}`"),
                file,
                path.span,
            )
            .with_label("not found")
            .with_help(help);
        }
        let mut candidates: Vec<&str> = Vec::new();
        if let Some(info) = self.index.packages.get(&self.package) {
            candidates.extend(names_of(info));
        }
        candidates.extend(
            self.imports
                .iter()
                .filter(|(_, import)| fits(&import.site))
                .map(|(name, _)| name.as_str()),
        );
        // Primitive types are names where a type is expected.
        if expected.is_empty() || expected.contains(&Kind::Record) {
            candidates.extend(crate::ir::Prim::ALL.iter().map(|p| p.name()));
        }
        let mut help = suggestion(last, candidates.iter().copied(), "");
        if help.is_empty() {
            // Declared in another package but not imported?
            let elsewhere: Vec<&String> = self
                .index
                .packages
                .iter()
                .filter(|(_, info)| {
                    info.decls
                        .get(last)
                        .and_then(|sites| sites.first())
                        .is_some_and(&fits)
                })
                .map(|(package, _)| package)
                .collect();
            help = match elsewhere.first() {
                Some(package) if path.segments.len() == 1 => {
                    format!("`{last}` is declared in `{package}`; add `use {package}.{last}`")
                        .into()
                }
                _ => "declare it, or check the spelling".into(),
            };
        }
        Diagnostic::error(
            codes::E1001,
            format!("unknown name `{text}`"),
            file,
            path.span,
        )
        .with_label("not found in this package or its imports")
        .with_help(help)
    }
}
