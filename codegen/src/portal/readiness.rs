//! The readiness gates on the overview: `charter report`'s gates ([`crate::report::build`], the
//! same computation, passed in by the CLI as [`super::Readiness`]) with their status, value,
//! threshold and what fails, and the day they were computed for.
//!
//! A build has no earlier revision (`charter report --against REV`) and no served documents
//! (`--openapi SERVICE=FILE`): the gates that need them are not measured, and the page says so.
//! Without a day (no `--today`, no `SOURCE_DATE_EPOCH`) there is no report, and the page says how
//! to get one.

use std::fmt::Write as _;

use super::Readiness;
use super::page::{attr, code, h, table_head};
use crate::report::{GateResult, GateStatus, Report, metric};

/// At most this many items are listed per gate; the rest are counted.
const LISTED: usize = 10;

/// Text in which backticks mark code (as [`metric`] writes it), as HTML.
fn with_code(text: &str) -> String {
    text.split('`')
        .enumerate()
        .map(|(i, part)| if i % 2 == 1 { code(part) } else { h(part) })
        .collect()
}

/// Why a gate is not measured in the portal.
fn not_measured(gate: &str) -> &'static str {
    match gate {
        "contracts" => {
            "not measured in the portal: `charter report --against REV` compares with an earlier \
             revision"
        }
        "drift" => {
            "not measured in the portal: `charter report --openapi SERVICE=FILE` compares with \
             the documents implementations serve"
        }
        "evidence_present" | "evidence_stale" => {
            "not measured: the portal was built without `--evidence-root`"
        }
        _ => "not measured",
    }
}

/// What the gate's metric lists (what fails, or what is counted), for people.
fn items(report: &Report, gate: &str) -> Vec<String> {
    let op = |o: &crate::report::OpRef| {
        format!("{}.{} ({} {})", o.service, o.operation, o.method, o.path)
    };
    let threat = |t: &crate::report::ThreatRef| format!("{} {}", t.threat, t.title);
    let c = &report.compliance;
    match gate {
        "verdict_propagation" => report
            .verdicts
            .services
            .iter()
            .flat_map(|s| &s.unguarded)
            .map(|o| format!("unguarded: {}", op(o)))
            .collect(),
        "provenance" => report
            .provenance
            .details
            .iter()
            .filter(|d| !d.validated)
            .map(|d| format!("no `requires provenance`: {}", op(&d.op)))
            .collect(),
        "policy_tests" => report
            .policy_tests
            .iter()
            .flat_map(|p| {
                p.never_exercised
                    .iter()
                    .map(move |r| format!("never exercised: {} rule {r}", p.policy))
            })
            .collect(),
        "requirements" => c
            .frameworks
            .iter()
            .map(|f| format!("{}: {} of {}", f.framework, f.covered, f.requirements))
            .collect(),
        "control_evidence" => c
            .controls_without_evidence
            .iter()
            .map(|id| format!("no evidence: {id}"))
            .collect(),
        "evidence_present" => c
            .evidence
            .iter()
            .flat_map(|e| &e.missing)
            .map(|m| format!("missing: {m}"))
            .collect(),
        "evidence_stale" => c
            .evidence
            .iter()
            .flat_map(|e| &e.stale)
            .map(|s| {
                format!(
                    "{} ({}): {} days old, retained {}",
                    s.path, s.control, s.age_days, s.retention
                )
            })
            .collect(),
        "threats" | "unmitigated_high" => {
            let mut out: Vec<String> = report
                .threats
                .unmitigated_high
                .iter()
                .map(|t| format!("unmitigated: {}", threat(t)))
                .collect();
            if gate == "threats" {
                out.extend(
                    report
                        .threats
                        .unmitigated_other
                        .iter()
                        .map(|t| format!("unmitigated: {}", threat(t))),
                );
            }
            out
        }
        "sunsets_upcoming" => report
            .contracts
            .sunsets_upcoming
            .iter()
            .map(|s| format!("{} {} on {} (in {} days)", s.kind, s.name, s.sunset, s.days))
            .collect(),
        "sunsets_past" => report
            .contracts
            .sunsets_past
            .iter()
            .map(|s| {
                format!(
                    "{} {} on {} ({} days ago)",
                    s.kind, s.name, s.sunset, -s.days
                )
            })
            .collect(),
        _ => Vec::new(),
    }
}

fn details(report: &Report, g: &GateResult) -> String {
    if g.status == GateStatus::NotMeasured {
        return with_code(not_measured(g.gate));
    }
    let all = items(report, g.gate);
    if all.is_empty() {
        return String::new();
    }
    let mut out = String::from("<ul class=\"details\">");
    for item in all.iter().take(LISTED) {
        let _ = write!(out, "<li>{}</li>", with_code(item));
    }
    if all.len() > LISTED {
        let _ = write!(out, "<li>and {} more</li>", all.len() - LISTED);
    }
    out.push_str("</ul>");
    out
}

/// The gates, or without a report, how to get them.
pub fn render(readiness: Option<&Readiness>, b: &mut String) {
    let Some(Readiness { report, day_from }) = readiness else {
        b.push_str(
            "<p class=\"note\" data-gates=\"none\">The readiness gates of <code>charter \
             report</code> are not shown: they are computed for a day, and this portal was built \
             without one. Build with <code>--today YYYY-MM-DD</code> or with \
             <code>SOURCE_DATE_EPOCH</code> set to show them.</p>\n",
        );
        return;
    };
    let failed: Vec<&GateResult> = report.failed().collect();
    if failed.is_empty() {
        b.push_str(
            "<p class=\"verdict pass\" data-passed=\"true\"><strong>Ready</strong>: no gate \
             fails.</p>\n",
        );
    } else {
        let names: Vec<String> = failed.iter().map(|g| code(g.gate)).collect();
        let _ = writeln!(
            b,
            "<p class=\"verdict fail\" data-passed=\"false\"><strong>Not ready</strong>: {} \
             {} fail: {}.</p>",
            failed.len(),
            if failed.len() == 1 { "gate" } else { "gates" },
            names.join(", ")
        );
    }
    let _ = writeln!(
        b,
        "<p>The gates of <code>charter report</code> with the thresholds of <code>[gates]</code> \
         in <code>charter.toml</code>, computed for <time datetime=\"{}\" \
         data-today>{}</time> (the day given by <code>{}</code>). A build compares with no \
         earlier revision and no served document: contract compatibility (<code>charter report \
         --against REV</code>) and drift (<code>--openapi SERVICE=FILE</code>) are not measured \
         here.</p>",
        attr(&report.today),
        h(&report.today),
        h(day_from)
    );
    table_head(
        b,
        "gates",
        "Readiness gates",
        &[
            "Gate",
            "Measures",
            "Value",
            "Threshold",
            "Status",
            "Details",
        ],
    );
    for g in &report.gates {
        let (class, key) = match g.status {
            GateStatus::Pass => ("pass", "pass"),
            GateStatus::Fail => ("fail", "fail"),
            GateStatus::Off => ("off", "off"),
            GateStatus::NotMeasured => ("not-measured", "not_measured"),
        };
        let _ = writeln!(
            b,
            "<tr data-gate=\"{}\" data-status=\"{key}\"><th scope=\"row\"><code>{}</code></th>\
             <td>{}</td><td class=\"num\">{}</td><td>{}</td><td class=\"status {class}\">{}</td>\
             <td>{}</td></tr>",
            attr(g.gate),
            h(g.gate),
            with_code(metric(g.gate)),
            h(&g.value.map_or_else(|| "-".to_string(), |v| v.text())),
            h(&g.threshold_text()),
            g.status.as_str(),
            details(report, g)
        );
    }
    b.push_str("</tbody>\n</table>\n");
}
