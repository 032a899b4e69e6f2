//! The diff report as text (terminals), Markdown (pull-request comments) and JSON (tools).
//! Diagnostics are rendered by the caller, which holds the source texts.

use serde_json::{Value as Json, json};

use super::diff::Change;
use super::kinds::Severity;
use super::semver::Report;
use crate::ir::Loc;
use crate::text::markdown::{code, inline};

fn count(report: &Report, s: Severity) -> usize {
    report
        .changes
        .iter()
        .filter(|c| c.kind.severity == s)
        .count()
}

fn summary(report: &Report) -> String {
    format!(
        "{} change(s): {} breaking, {} dangerous, {} safe",
        report.changes.len(),
        count(report, Severity::Breaking),
        count(report, Severity::Dangerous),
        count(report, Severity::Safe)
    )
}

fn header(report: &Report) -> String {
    format!(
        "version {} -> {}: required bump {}, actual bump {}",
        report.old_version,
        report.new_version,
        report.required.as_str(),
        report.actual.as_str()
    )
}

fn extras(c: &Change) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(p) = c.permissive {
        out.push(p.as_str().to_string());
    }
    if let Some(h) = &c.hint {
        out.push(format!("hint: {h}"));
    }
    if let Some(a) = &c.approval {
        out.push(format!("approved: {a:?}"));
    }
    out
}

/// Text for terminals: one block per change.
pub fn text(report: &Report) -> String {
    let mut out = format!("{}\n", header(report));
    for c in &report.changes {
        out.push_str(&format!(
            "{:9} {} {} `{}` [{}]\n          {}\n",
            c.kind.severity.as_str(),
            c.kind.id,
            c.kind.slug,
            c.path,
            c.place.as_str(),
            c.detail
        ));
        for e in extras(c) {
            out.push_str(&format!("          {e}\n"));
        }
    }
    out.push_str(&summary(report));
    out.push('\n');
    out
}

/// Markdown for a pull-request comment.
pub fn markdown(report: &Report) -> String {
    let verdict = if report.allowed() {
        "allowed"
    } else {
        "**not allowed**"
    };
    let mut out = format!(
        "## Contract changes\n\n{} — {}.\n\n{}.\n\n",
        header(report),
        verdict,
        summary(report)
    );
    if report.changes.is_empty() {
        out.push_str("No changes.\n");
        return out;
    }
    out.push_str(
        "| severity | kind | declaration | where | change | notes |\n|---|---|---|---|---|---|\n",
    );
    for c in &report.changes {
        out.push_str(&format!(
            "| {} | `{}` {} | {} | {} | {} | {} |\n",
            c.kind.severity.as_str(),
            c.kind.id,
            c.kind.slug,
            code(&c.path),
            c.place.as_str(),
            inline(&c.detail),
            inline(&extras(c).join("; "))
        ));
    }
    out
}

pub(super) fn loc(l: Option<&Loc>) -> Json {
    l.map_or(
        Json::Null,
        |l| json!({"file": l.file.as_str(), "start": l.span.start, "end": l.span.end}),
    )
}

pub(super) fn change_json(c: &Change) -> Json {
    json!({
        "kind": c.kind.id,
        "slug": c.kind.slug,
        "what": c.kind.what.as_str(),
        "how": c.kind.how.as_str(),
        "where": c.place.as_str(),
        "severity": c.kind.severity.as_str(),
        "path": c.path,
        "service": c.service,
        "package": c.package,
        "detail": c.detail,
        "permissive": c.permissive.map(|p| p.as_str()),
        "hint": c.hint,
        "approval": c.approval,
        "old": loc(c.old.as_ref()),
        "new": loc(c.new.as_ref()),
    })
}

/// JSON for tools; `diagnostics` is the caller's rendering of the rule diagnostics.
pub fn json(report: &Report, diagnostics: Json) -> Json {
    json!({
        "old_version": report.old_version,
        "new_version": report.new_version,
        "today": report.today.to_string(),
        "required_bump": report.required.as_str(),
        "actual_bump": report.actual.as_str(),
        "allowed": report.allowed(),
        "summary": {
            "breaking": count(report, Severity::Breaking),
            "dangerous": count(report, Severity::Dangerous),
            "safe": count(report, Severity::Safe),
        },
        "changes": report.changes.iter().map(change_json).collect::<Vec<_>>(),
        "diagnostics": diagnostics,
    })
}
