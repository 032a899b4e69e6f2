//! The version and deprecation rules over a change list.
//!
//! - A breaking change needs a major bump of the package version (`charter.toml`), or of the
//!   version of the service (for operations, parameters, errors) or policy it belongs to
//!   (**E7101**). Before 1.0.0, a minor bump counts as major (semver §4).
//! - Removing or renaming a field, operation, enum value (of an enum clients send), record,
//!   enum, alias or service ([`REMOVALS`]) needs a deprecation (its own or its owner's) in the
//!   old version (**E7102**) whose sunset date has passed on `today` (**E7103**).
//! - Moving a published sunset earlier is an error (**E7104**).
//! - `@approved_breaking("reason")` on the new declaration (or an owner of it) waives the
//!   three errors for the changes under it; the report shows the reason.
//! - The required bump (major for breaking, minor for additions and dangerous changes, patch
//!   for any other change) is compared with the package's actual bump (**W7101** when smaller,
//!   **W7102** when the version went backwards).

use std::collections::HashMap;

use super::diff::Change;
use super::kinds::{self as k, How, Severity, What};
use crate::diagnostics::{Diagnostic, codes};
use crate::ir::{Loc, Model};
use crate::literal::{Date, Version};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Bump {
    None,
    Patch,
    Minor,
    Major,
}

impl Bump {
    pub fn as_str(self) -> &'static str {
        match self {
            Bump::None => "none",
            Bump::Patch => "patch",
            Bump::Minor => "minor",
            Bump::Major => "major",
        }
    }
}

/// The bump from `old` to `new`; `None` when equal, unparsable or going backwards.
pub fn bump(old: &str, new: &str) -> Bump {
    let (Some(o), Some(n)) = (Version::parse(old), Version::parse(new)) else {
        return Bump::None;
    };
    if n <= o {
        return Bump::None;
    }
    if n.major != o.major || (o.major == 0 && n.minor != o.minor) {
        Bump::Major
    } else if n.minor != o.minor {
        Bump::Minor
    } else {
        Bump::Patch
    }
}

/// What one change requires.
pub fn required(change: &Change) -> Bump {
    match change.kind.severity {
        Severity::Breaking => Bump::Major,
        Severity::Dangerous => Bump::Minor,
        Severity::Safe if change.kind.how == How::Added || change.kind.how == How::Deprecated => {
            Bump::Minor
        }
        Severity::Safe => Bump::Patch,
    }
}

/// The verdict on a change list.
#[derive(Debug, Clone)]
pub struct Report {
    pub changes: Vec<Change>,
    pub diagnostics: Vec<Diagnostic>,
    pub required: Bump,
    pub actual: Bump,
    pub old_version: String,
    pub new_version: String,
    pub today: Date,
}

impl Report {
    /// No rule was broken.
    pub fn allowed(&self) -> bool {
        !self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Where a diagnostic points: the new declaration, or the old one (its file prefixed `old:`).
fn at(change: &Change) -> (String, crate::syntax::Span) {
    match (&change.new, &change.old) {
        (Some(Loc { file, span }), _) => (file.to_string(), *span),
        (None, Some(Loc { file, span })) => (format!("old:{file}"), *span),
        (None, None) => (
            crate::config::MANIFEST.to_string(),
            crate::syntax::Span::default(),
        ),
    }
}

/// The versions of a model's services and policies by qualified name, built once: the first
/// of a name wins, as a scan in model order would find it.
struct Versions<'m> {
    services: HashMap<String, &'m str>,
    /// With the policy's place in the model.
    policies: HashMap<String, (usize, &'m str)>,
}

impl<'m> Versions<'m> {
    fn new(model: &'m Model) -> Versions<'m> {
        let mut services = HashMap::new();
        for s in &model.services {
            services
                .entry(s.name.to_string())
                .or_insert(s.version.as_str());
        }
        let mut policies = HashMap::new();
        for (i, p) in model.policies.iter().enumerate() {
            policies
                .entry(p.name.to_string())
                .or_insert((i, p.version.as_str()));
        }
        Versions { services, policies }
    }

    /// The version that scopes a change: its service's, or that of the first policy (in model
    /// order) whose name is its path or a prefix of it ending at a `.`.
    fn of(&self, change: &Change) -> Option<&'m str> {
        if let Some(s) = &change.service {
            return self.services.get(s).copied();
        }
        if matches!(change.kind.what, What::Policy | What::PolicyRule) {
            let path = change.path.as_str();
            let prefixes = path
                .match_indices('.')
                .filter_map(|(i, _)| path.get(..i))
                .chain(std::iter::once(path));
            return prefixes
                .filter_map(|name| self.policies.get(name))
                .min_by_key(|(i, _)| *i)
                .map(|(_, version)| *version);
        }
        None
    }
}

/// The kinds that take a declaration away from clients, and so need a deprecation whose sunset
/// has passed. (Entity and context attributes cannot be deprecated, E7007, so their removal is
/// judged by severity alone; a value removed from an enum clients only receive is safe.)
const REMOVALS: &[&str] = &[
    k::FIELD_REMOVED_REQUEST.id,
    k::FIELD_REMOVED_RESPONSE.id,
    k::FIELD_RENAMED.id,
    k::RECORD_REMOVED.id,
    k::RECORD_RENAMED.id,
    k::ALIAS_REMOVED.id,
    k::ENUM_REMOVED.id,
    k::ENUM_VALUE_REMOVED_REQUEST.id,
    k::ENUM_VALUE_RENAMED.id,
    k::SERVICE_REMOVED.id,
    k::OPERATION_REMOVED.id,
    k::OPERATION_RENAMED.id,
];

fn is_removal(change: &Change) -> bool {
    REMOVALS.contains(&change.kind.id)
}

/// Applies the rules to `changes` between `old` and `new` on the day `today`.
pub fn check(old: &Model, new: &Model, changes: Vec<Change>, today: Date) -> Report {
    let package_bump = bump(&old.version, &new.version);
    let (old_versions, new_versions) = (Versions::new(old), Versions::new(new));
    let mut diagnostics = Vec::new();
    for change in &changes {
        if change.approval.is_some() {
            continue;
        }
        let (file, span) = at(change);
        if change.kind.severity == Severity::Breaking {
            let scope_major = old_versions
                .of(change)
                .zip(new_versions.of(change))
                .is_some_and(|(o, n)| bump(o, n) == Bump::Major);
            if package_bump != Bump::Major && !scope_major {
                let scope = match &change.service {
                    Some(s) => format!(" or of service `{s}`"),
                    None => String::new(),
                };
                diagnostics.push(
                    Diagnostic::error(
                        codes::E7101,
                        format!("breaking change without a major version bump: {} ({})", change.detail, change.kind.id),
                        &file,
                        span,
                    )
                    .with_label(format!("{} `{}`", change.kind.slug, change.path))
                    .with_note(format!("package version {} -> {}", old.version, new.version))
                    .with_help(format!(
                        "bump the major version of the package{scope}, keep the old shape, or approve the break with `@approved_breaking(\"why\")` on the declaration"
                    )),
                );
            }
        }
        if is_removal(change) {
            match &change.deprecation {
                None => diagnostics.push(
                    Diagnostic::error(
                        codes::E7102,
                        format!("`{}` was removed without being deprecated first", change.path),
                        &file,
                        span,
                    )
                    .with_label(format!("{} ({})", change.kind.slug, change.kind.id))
                    .with_help("deprecate it with `@deprecated(since: DATE, sunset: DATE)` in a release, remove it after the sunset, or approve with `@approved_breaking(\"why\")` on its owner"),
                ),
                Some(d) => match d.sunset {
                    Some(sunset) if sunset <= today => {}
                    sunset => diagnostics.push(
                        Diagnostic::error(
                            codes::E7103,
                            format!(
                                "`{}` was removed before its sunset date{}",
                                change.path,
                                sunset.map(|s| format!(" ({s})")).unwrap_or_else(|| " (it has none)".into())
                            ),
                            &file,
                            span,
                        )
                        .with_label(format!("removed on {today}"))
                        .with_help("keep it until the sunset date has passed (see `--today`), or approve with `@approved_breaking(\"why\")` on its owner"),
                    ),
                },
            }
        }
        if change.kind.id == k::SUNSET_EARLIER.id {
            diagnostics.push(
                Diagnostic::error(codes::E7104, format!("the published sunset of `{}` was moved earlier", change.path), &file, span)
                    .with_label(change.detail.clone())
                    .with_note("clients planned for the published date")
                    .with_help("keep the published sunset date or move it later; approve with `@approved_breaking(\"why\")`"),
            );
        }
    }
    let required = changes.iter().map(required).max().unwrap_or(Bump::None);
    let going_back = matches!(
        (Version::parse(&old.version), Version::parse(&new.version)),
        (Some(o), Some(n)) if n < o
    );
    let manifest = crate::config::MANIFEST;
    let span = crate::syntax::Span::default();
    if going_back {
        diagnostics.push(
            Diagnostic::warning(
                codes::W7102,
                format!(
                    "the package version went backwards: {} -> {}",
                    old.version, new.version
                ),
                manifest,
                span,
            )
            .with_help("versions only grow; give the new version a higher number"),
        );
    } else if package_bump < required && required != Bump::Major {
        diagnostics.push(
            Diagnostic::warning(
                codes::W7101,
                format!(
                    "the changes need a {} bump, the package version has a {} bump ({} -> {})",
                    required.as_str(),
                    package_bump.as_str(),
                    old.version,
                    new.version
                ),
                manifest,
                span,
            )
            .with_help(format!(
                "bump the {} version in charter.toml",
                required.as_str()
            )),
        );
    }
    diagnostics.extend(super::lifecycle::warnings(new, Some(today)));
    crate::diagnostics::sort(&mut diagnostics);
    Report {
        changes,
        diagnostics,
        required,
        actual: package_bump,
        old_version: old.version.clone(),
        new_version: new.version.clone(),
        today,
    }
}
