//! `crosswalk.md`, for reviewers: per framework a coverage summary, the covered requirements
//! with their controls, policies and evidence, and the requirements no control covers; then
//! per control its requirements across every framework. Deterministic, so that a pull request's
//! diff of this file is the change in coverage.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use super::view::{Crosswalk, FrameworkCoverage, Link, Relationship, control_id};

pub const PATH: &str = "crosswalk.md";

/// The header of each framework's table of covered requirements.
pub const TABLE_HEADER: [&str; 5] = [
    "Requirement",
    "Title",
    "Controls",
    "Enforcing policies",
    "Evidence",
];

/// Text for a table cell: the one Markdown escaper of every output ([`charter::text::markdown::text`]).
pub use charter::text::markdown::text as cell;
use charter::text::markdown::{header, row};

fn percent(covered: usize, total: usize) -> usize {
    (covered * 100).checked_div(total).unwrap_or(0)
}

/// A control in the Controls column: `GOV-01`, or `GOV-01 (via 164.312(a)(2)(i))`.
pub fn control_cell(link: &Link<'_>) -> String {
    let id = control_id(link.control);
    if link.relationships == [Relationship::Direct] {
        id.to_string()
    } else {
        format!("{id} ({})", link.relationship_texts().join("; "))
    }
}

fn framework(out: &mut String, fw: &FrameworkCoverage<'_>) {
    let _ = writeln!(out, "## {} (`{}`)\n", fw.framework.title, fw.name());
    let _ = writeln!(
        out,
        "Coverage: {} of {} requirements ({}%).\n",
        fw.covered(),
        fw.total(),
        percent(fw.covered(), fw.total())
    );
    header(out, &["Group", "Covered", "Total"]);
    for g in &fw.groups {
        let name = match &g.title {
            Some(title) => format!("{} {}", g.key, title),
            None => g.key.clone(),
        };
        row(
            out,
            &[cell(&name), g.covered.to_string(), g.total.to_string()],
        );
    }
    out.push('\n');

    let _ = writeln!(out, "### Covered requirements ({})\n", fw.covered());
    if fw.covered() == 0 {
        out.push_str("None.\n\n");
    } else {
        header(out, &TABLE_HEADER);
        for r in fw.reqs.iter().filter(|r| r.covered()) {
            let controls: Vec<String> = r.links.iter().map(|l| cell(&control_cell(l))).collect();
            let policies: BTreeSet<String> = r.links.iter().flat_map(|l| l.policies()).collect();
            let evidence: BTreeSet<String> = r.links.iter().flat_map(|l| l.evidence()).collect();
            let join = |set: BTreeSet<String>| {
                if set.is_empty() {
                    "—".to_string()
                } else {
                    set.iter().map(|s| cell(s)).collect::<Vec<_>>().join(", ")
                }
            };
            row(
                out,
                &[
                    cell(&r.requirement.id),
                    cell(&r.requirement.title),
                    controls.join(", "),
                    join(policies),
                    join(evidence),
                ],
            );
        }
        out.push('\n');
    }

    let uncovered = fw.total() - fw.covered();
    let _ = writeln!(out, "### Not covered by any control ({uncovered})\n");
    if uncovered == 0 {
        out.push_str("None.\n\n");
    } else {
        for r in fw.reqs.iter().filter(|r| !r.covered()) {
            let _ = writeln!(
                out,
                "- {} {}",
                cell(&r.requirement.id),
                cell(&r.requirement.title)
            );
        }
        out.push('\n');
    }
}

fn controls(out: &mut String, cw: &Crosswalk<'_>) {
    out.push_str("## Controls\n\n");
    if cw.controls.is_empty() {
        out.push_str("None.\n");
        return;
    }
    let mut names = vec!["Control", "Title", "Owner"];
    names.extend(cw.frameworks.iter().map(|fw| fw.name()));
    header(out, &names);
    for control in &cw.controls {
        let mut cells = vec![
            cell(control_id(control)),
            cell(&control.title),
            cell(control.owner.as_deref().unwrap_or("—")),
        ];
        for fw in &cw.frameworks {
            // Catalogue order, as in the framework's own table.
            let ids: Vec<String> = fw
                .reqs
                .iter()
                .filter(|r| {
                    control
                        .mappings
                        .iter()
                        .any(|m| m.framework == fw.name() && m.requirement == r.requirement.id)
                })
                .map(|r| cell(&r.requirement.id))
                .collect();
            cells.push(if ids.is_empty() {
                "—".to_string()
            } else {
                ids.join(", ")
            });
        }
        row(out, &cells);
    }
}

pub fn render(package: &str, version: &str, cw: &Crosswalk<'_>) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# Compliance crosswalk: {package} {version}\n");
    out.push_str(
        "Generated by `charter build --target crosswalk`; do not edit. A control mapped to a \
         HIPAA implementation specification also counts for its standard (\"via\").\n\n",
    );
    if cw.frameworks.is_empty() {
        out.push_str("No framework is imported.\n\n");
    } else {
        out.push_str("| Framework | Covered | Total |\n|---|---|---|\n");
        for fw in &cw.frameworks {
            let _ = writeln!(
                out,
                "| {} | {} | {} |",
                cell(&fw.framework.title),
                fw.covered(),
                fw.total()
            );
        }
        out.push('\n');
    }
    for fw in &cw.frameworks {
        framework(&mut out, fw);
    }
    controls(&mut out, cw);
    out
}
