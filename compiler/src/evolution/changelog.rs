//! Release notes from a change list: grouped by service (and by package for everything
//! outside a service), then by kind, with the required bump and migration hints.

use std::collections::BTreeMap;

use serde_json::{Value as Json, json};

use super::diff::Change;
use super::semver::Report;
use crate::text::markdown::{code, inline};

/// Group title → kind id → changes; services first, then packages, each sorted by name.
fn groups(report: &Report) -> BTreeMap<(u8, String), BTreeMap<&'static str, Vec<&Change>>> {
    let mut out: BTreeMap<(u8, String), BTreeMap<&'static str, Vec<&Change>>> = BTreeMap::new();
    for c in &report.changes {
        let key = match &c.service {
            Some(s) => (0, s.clone()),
            None => (1, c.package.clone()),
        };
        out.entry(key)
            .or_default()
            .entry(c.kind.id)
            .or_default()
            .push(c);
    }
    out
}

fn title(key: &(u8, String)) -> String {
    if key.0 == 0 {
        format!("Service `{}`", key.1)
    } else {
        format!("Package `{}`", key.1)
    }
}

/// Markdown release notes; `name` is the workspace's package name.
pub fn markdown(report: &Report, name: &str) -> String {
    let mut out = format!(
        "# Release notes: {name} {} → {}\n\nRequired version bump: **{}** (actual: {}).\n",
        report.old_version,
        report.new_version,
        report.required.as_str(),
        report.actual.as_str()
    );
    if report.changes.is_empty() {
        out.push_str("\nNo changes.\n");
        return out;
    }
    for (key, kinds) in groups(report) {
        out.push_str(&format!("\n## {}\n", title(&key)));
        for changes in kinds.values() {
            let Some(first) = changes.first() else {
                continue;
            };
            out.push_str(&format!(
                "\n### {} ({}, {})\n\n",
                first.kind.summary,
                first.kind.id,
                first.kind.severity.as_str()
            ));
            for c in changes {
                out.push_str(&format!("- {}: {}", code(&c.path), inline(&c.detail)));
                if let Some(p) = c.permissive {
                    out.push_str(&format!(" ({})", p.as_str()));
                }
                if let Some(h) = &c.hint {
                    out.push_str(&format!(". Migration: {}", inline(h)));
                }
                if let Some(a) = &c.approval {
                    out.push_str(&format!(". Approved breaking change: {}", inline(a)));
                }
                out.push('\n');
            }
        }
    }
    let hints: Vec<String> = report
        .changes
        .iter()
        .filter_map(|c| {
            c.hint
                .as_ref()
                .map(|h| format!("- {}: {}", code(&c.path), inline(h)))
        })
        .collect();
    if !hints.is_empty() {
        out.push_str("\n## Migration\n\n");
        out.push_str(&hints.join("\n"));
        out.push('\n');
    }
    out
}

/// The same notes as JSON.
pub fn json(report: &Report, name: &str) -> Json {
    let groups: Vec<Json> = groups(report)
        .into_iter()
        .map(|(key, kinds)| {
            json!({
                "group": if key.0 == 0 { "service" } else { "package" },
                "name": key.1,
                "kinds": kinds.values().filter_map(|changes| {
                    let first = changes.first()?;
                    Some(json!({
                        "kind": first.kind.id,
                        "slug": first.kind.slug,
                        "summary": first.kind.summary,
                        "severity": first.kind.severity.as_str(),
                        "changes": changes.iter().map(|c| super::render::change_json(c)).collect::<Vec<_>>(),
                    }))
                }).collect::<Vec<_>>(),
            })
        })
        .collect();
    json!({
        "package": name,
        "old_version": report.old_version,
        "new_version": report.new_version,
        "required_bump": report.required.as_str(),
        "actual_bump": report.actual.as_str(),
        "groups": groups,
    })
}
