//! The report as Markdown, for a pull-request comment and a weekly review: the verdict and
//! the gates' table first, the details after, one `##` section per metric.

use std::fmt::Write as _;

use charter::text::markdown::{code, header, list_section, row, text as cell};

use super::gates::{metric, percent};
use super::{GateStatus, OpRef, Report};

fn status(s: GateStatus) -> &'static str {
    match s {
        GateStatus::Pass => "✅ pass",
        GateStatus::Fail => "❌ **fail**",
        GateStatus::Off => "off",
        GateStatus::NotMeasured => "not measured",
    }
}

fn op(o: &OpRef) -> String {
    format!(
        "{} {}",
        code(&format!("{}.{}", o.service, o.operation)),
        code(&format!("{} {}", o.method, o.path))
    )
}

fn ratio(n: u64, d: u64) -> String {
    format!("{n}/{d} ({})", percent(n, d))
}

pub fn markdown(report: &Report) -> String {
    let mut out = String::new();
    let failed: Vec<&str> = report.failed().map(|g| g.gate).collect();
    let _ = writeln!(
        out,
        "# Readiness report: {} {}\n",
        code(&report.package),
        cell(&report.version)
    );
    if failed.is_empty() {
        let _ = writeln!(
            out,
            "**Ready**: every gate passes (as of {}).\n",
            report.today
        );
    } else {
        let names: Vec<String> = failed.iter().map(|g| code(g)).collect();
        let _ = writeln!(
            out,
            "**Not ready**: {} gate(s) fail: {} (as of {}).\n",
            failed.len(),
            names.join(", "),
            report.today
        );
    }
    header(
        &mut out,
        &["Gate", "Metric", "Value", "Threshold", "Status"],
    );
    for g in &report.gates {
        row(
            &mut out,
            &[
                code(g.gate),
                metric(g.gate).to_string(),
                g.value.map_or_else(|| "—".to_string(), |v| v.text()),
                g.threshold_text(),
                status(g.status).to_string(),
            ],
        );
    }
    out.push('\n');
    verdicts(&mut out, report);
    provenance(&mut out, report);
    tests(&mut out, report);
    compliance(&mut out, report);
    threats(&mut out, report);
    contracts(&mut out, report);
    drift(&mut out, report);
    out
}

fn verdicts(out: &mut String, report: &Report) {
    let v = &report.verdicts;
    let _ = writeln!(
        out,
        "## Verdict propagation\n\n{} of {} operation(s) guarded by a policy, {} declared public, {} unguarded.\n",
        v.guarded, v.operations, v.public, v.unguarded
    );
    if v.services.is_empty() {
        return;
    }
    header(out, &["Service", "Guarded", "Declared public", "Unguarded"]);
    for s in &v.services {
        row(
            out,
            &[
                code(&s.service),
                ratio(s.guarded, s.operations),
                s.public.len().to_string(),
                s.unguarded.len().to_string(),
            ],
        );
    }
    out.push('\n');
    let gaps: Vec<String> = v
        .services
        .iter()
        .flat_map(|s| &s.unguarded)
        .map(op)
        .collect();
    list_section(
        out,
        "Unguarded operations",
        "None: every operation is guarded or declared public.",
        &gaps,
    );
    out.push('\n');
    let public: Vec<String> = v
        .services
        .iter()
        .flat_map(|s| &s.public)
        .map(|p| format!("{}: {}", op(&p.op), cell(&p.reason)))
        .collect();
    list_section(out, "Declared public operations", "None.", &public);
    out.push('\n');
}

fn provenance(out: &mut String, report: &Report) {
    let p = &report.provenance;
    let _ = writeln!(
        out,
        "## Provenance\n\n{} of {} operation(s) carrying provenance-bearing records require provenance.\n",
        p.validated, p.operations
    );
    if !p.details.is_empty() {
        header(out, &["Operation", "Carries in", "Requires provenance"]);
        for d in &p.details {
            let dirs = match (d.request, d.response) {
                (true, true) => "request, response",
                (true, false) => "request",
                _ => "response",
            };
            row(
                out,
                &[
                    op(&d.op),
                    dirs.to_string(),
                    if d.validated { "yes" } else { "**no**" }.to_string(),
                ],
            );
        }
        out.push('\n');
    }
    let missing: Vec<String> = p.missing_envelope.iter().map(|r| code(r)).collect();
    list_section(
        out,
        "Records without the envelope",
        "None: every body and result of those operations carries it.",
        &missing,
    );
    out.push('\n');
}

fn tests(out: &mut String, report: &Report) {
    out.push_str("## Policy tests\n\n");
    if report.policy_tests.is_empty() {
        out.push_str("No policies.\n\n");
        return;
    }
    header(
        out,
        &["Policy", "Cases", "Rules exercised", "Never exercised"],
    );
    for p in &report.policy_tests {
        let never: Vec<String> = p.never_exercised.iter().map(|r| code(r)).collect();
        row(
            out,
            &[
                code(&p.policy),
                p.cases.to_string(),
                ratio(p.exercised, p.rules),
                if never.is_empty() {
                    "—".to_string()
                } else {
                    never.join(", ")
                },
            ],
        );
    }
    out.push('\n');
}

fn compliance(out: &mut String, report: &Report) {
    let c = &report.compliance;
    out.push_str("## Compliance\n\n");
    if c.frameworks.is_empty() {
        out.push_str("No control maps to a framework.\n\n");
    } else {
        header(out, &["Framework", "Requirements covered"]);
        for f in &c.frameworks {
            row(
                out,
                &[
                    format!("{} {}", code(&f.framework), cell(&f.title)),
                    ratio(f.covered, f.requirements),
                ],
            );
        }
        out.push('\n');
    }
    let _ = writeln!(
        out,
        "Controls with evidence: {}. Evidence items declared: {}.\n",
        ratio(c.controls_with_evidence, c.controls),
        c.evidence_declared
    );
    if !c.controls_without_evidence.is_empty() {
        let list: Vec<String> = c
            .controls_without_evidence
            .iter()
            .map(|s| code(s))
            .collect();
        let _ = writeln!(out, "Controls without evidence: {}.\n", list.join(", "));
    }
    match &c.evidence {
        None => out.push_str(
            "Evidence present: not checked (give `--evidence-root DIR` to check it).\n\n",
        ),
        Some(e) => {
            let _ = writeln!(out, "Evidence present: {}.\n", ratio(e.present, e.declared));
            let missing: Vec<String> = e.missing.iter().map(|m| cell(m)).collect();
            list_section(out, "Missing evidence", "None.", &missing);
            out.push('\n');
            let stale: Vec<String> = e
                .stale
                .iter()
                .map(|s| {
                    format!(
                        "{} ({}): {} day(s) old, retained {}",
                        code(&s.path),
                        cell(&s.control),
                        s.age_days,
                        cell(&s.retention)
                    )
                })
                .collect();
            list_section(out, "Evidence older than its retention", "None.", &stale);
            out.push('\n');
        }
    }
}

fn threats(out: &mut String, report: &Report) {
    let t = &report.threats;
    let _ = writeln!(
        out,
        "## Threats\n\n{} of {} threat(s) mitigated; weighted by risk (likelihood × impact, 1 when unrated): {}.\n",
        t.mitigated,
        t.threats,
        ratio(t.mitigated_weight, t.weight)
    );
    let line = |r: &super::ThreatRef| {
        let risk = r
            .risk
            .map_or_else(|| "unrated".to_string(), |n| format!("risk {n}"));
        format!("{} {} ({risk})", code(&r.threat), cell(&r.title))
    };
    let high: Vec<String> = t.unmitigated_high.iter().map(line).collect();
    list_section(out, "Unmitigated high and critical threats", "None.", &high);
    out.push('\n');
    if !t.unmitigated_other.is_empty() {
        let other: Vec<String> = t.unmitigated_other.iter().map(line).collect();
        list_section(out, "Other unmitigated threats", "None.", &other);
        out.push('\n');
    }
}

fn contracts(out: &mut String, report: &Report) {
    let c = &report.contracts;
    out.push_str("## Contracts\n\n");
    match (&c.against, c.compatible) {
        (Some(rev), Some(ok)) => {
            let _ = writeln!(
                out,
                "Against {} (version {}): {}; required bump {}, actual {}.\n",
                code(rev),
                cell(c.old_version.as_deref().unwrap_or("")),
                if ok {
                    "compatible"
                } else {
                    "**not compatible**"
                },
                c.required_bump.as_deref().unwrap_or(""),
                c.actual_bump.as_deref().unwrap_or("")
            );
            let breaking: Vec<String> = c
                .breaking
                .iter()
                .map(|b| {
                    let approved = b
                        .approval
                        .as_deref()
                        .map(|a| format!(" (approved: {})", cell(a)))
                        .unwrap_or_default();
                    format!(
                        "{} {}: {}{approved}",
                        code(&b.code),
                        code(&b.path),
                        charter::text::markdown::inline(&b.detail)
                    )
                })
                .collect();
            list_section(out, "Breaking changes", "None.", &breaking);
            out.push('\n');
            if !c.violations.is_empty() {
                let v: Vec<String> = c
                    .violations
                    .iter()
                    .map(|v| charter::text::markdown::inline(v))
                    .collect();
                list_section(out, "Rules broken", "None.", &v);
                out.push('\n');
            }
        }
        _ => out.push_str(
            "Compatibility with N-1: not measured (give `--against REV` to compare).\n\n",
        ),
    }
    let sunset = |s: &super::Sunset| {
        format!(
            "{} {} ({}): {}",
            cell(&s.kind),
            code(&s.name),
            s.sunset,
            if s.days < 0 {
                format!("{} day(s) ago", -s.days)
            } else {
                format!("in {} day(s)", s.days)
            }
        )
    };
    let upcoming: Vec<String> = c.sunsets_upcoming.iter().map(sunset).collect();
    list_section(
        out,
        &format!("Sunsets within {} days", c.sunset_window_days),
        "None.",
        &upcoming,
    );
    out.push('\n');
    let past: Vec<String> = c.sunsets_past.iter().map(sunset).collect();
    list_section(out, "Sunsets past", "None.", &past);
    out.push('\n');
}

fn drift(out: &mut String, report: &Report) {
    out.push_str("## Drift\n\n");
    let Some(d) = &report.drift else {
        out.push_str("Not measured (give `--openapi SERVICE=FILE` to compare).\n");
        return;
    };
    if d.services.is_empty() {
        out.push_str("No service compared.\n");
        return;
    }
    header(out, &["Service", "Document", "Differences"]);
    for s in &d.services {
        row(
            out,
            &[
                code(&s.service),
                code(&s.document),
                s.differences.len().to_string(),
            ],
        );
    }
    for s in d.services.iter().filter(|s| !s.differences.is_empty()) {
        let _ = writeln!(out, "\n### {}\n", code(&s.service));
        for diff in &s.differences {
            let at = diff
                .operation
                .as_deref()
                .map(|o| format!("{}: ", code(o)))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "- {} {at}{} at {}",
                code(&diff.code),
                charter::text::markdown::inline(&diff.message),
                code(&format!("#{}", diff.pointer))
            );
        }
    }
}
