//! The overview (`index.html`): readiness, coverage per framework as bars, and the counts.
//!
//! Readiness: the gates `charter report` computes, when the CLI passes them
//! ([`super::PortalOptions::readiness`], rendered by [`super::readiness`]), then the coverage
//! figures the crosswalk and evidence targets compute.

use std::fmt::Write as _;

use super::page::{Section, count, h, page, percent};
use super::site::Site;
use crate::OutputFile;
use crate::calendar::Event;

pub const PATH: &str = "index.html";

pub fn render(site: &Site<'_>) -> OutputFile {
    let model = site.model;
    let mut b = String::new();
    let _ = writeln!(
        b,
        "<h1>Overview</h1>\n<p class=\"lede\">The auditor portal of <code>{}</code> version \
         <code>{}</code>, generated from the checked program.</p>",
        h(&model.package),
        h(&model.version)
    );
    readiness(site, &mut b);
    coverage(site, &mut b);
    counts(site, &mut b);
    page(site, PATH, Section::Overview, "Overview", &b, &[])
}

fn readiness(site: &Site<'_>, b: &mut String) {
    b.push_str("<section aria-labelledby=\"readiness\">\n<h2 id=\"readiness\">Readiness</h2>\n");
    super::readiness::render(site.options.readiness.as_ref(), b);
    let covered: usize = site.crosswalk.frameworks.iter().map(|f| f.covered()).sum();
    let total: usize = site.crosswalk.frameworks.iter().map(|f| f.total()).sum();
    let missing = site.evidence.iter().filter(|i| i.is_missing()).count();
    let unmitigated = site.threats.iter().filter(|t| t.is_unmitigated()).count();
    let evidence = if site.evidence_checked {
        format!(
            "{} of {} missing from the evidence folder",
            missing,
            count(site.evidence.len(), "evidence item", "evidence items")
        )
    } else {
        format!(
            "{} declared, not checked (no evidence folder was given)",
            count(site.evidence.len(), "evidence item", "evidence items")
        )
    };
    let _ = writeln!(
        b,
        "<ul class=\"figures\">\n<li><strong id=\"covered-total\">{covered}</strong> of \
         <strong id=\"requirements-total\">{total}</strong> framework requirements \
         covered by a control ({}&#160;%)</li>\n<li>{}</li>\n<li><strong>{unmitigated}\
         </strong> {} without a mitigating control</li>\n</ul>",
        percent(covered, total),
        evidence,
        if unmitigated == 1 {
            "threat"
        } else {
            "threats"
        },
    );
    b.push_str("</section>\n");
}

fn coverage(site: &Site<'_>, b: &mut String) {
    b.push_str(
        "<section aria-labelledby=\"coverage\">\n<h2 id=\"coverage\">Coverage by framework</h2>\n",
    );
    super::frameworks::coverage_table(
        site,
        b,
        PATH,
        "Requirements covered by at least one control",
    );
    b.push_str("</section>\n");
}

fn counts(site: &Site<'_>, b: &mut String) {
    let model = site.model;
    let operations: usize = model.services.iter().map(|s| s.ops.len()).sum();
    let deprecations = site
        .calendar
        .iter()
        .filter(|e| e.event == Event::Deprecated)
        .count();
    let rows = [
        (
            "policies",
            "Policies",
            model.policies.len(),
            "policies/index.html",
        ),
        (
            "services",
            "Services",
            model.services.len(),
            "contracts/index.html",
        ),
        (
            "operations",
            "Operations",
            operations,
            "contracts/index.html",
        ),
        (
            "controls",
            "Controls",
            site.crosswalk.controls.len(),
            "controls/index.html",
        ),
        (
            "evidence",
            "Evidence items",
            site.evidence.len(),
            "evidence/index.html",
        ),
        (
            "threats",
            "Threats",
            model.threats.len(),
            "threats/index.html",
        ),
        (
            "deprecations",
            "Deprecations",
            deprecations,
            "contracts/index.html#timeline",
        ),
    ];
    b.push_str(
        "<section aria-labelledby=\"counts\">\n<h2 id=\"counts\">The program</h2>\n\
         <dl class=\"counts\">\n",
    );
    for (key, label, n, href) in rows {
        let _ = writeln!(
            b,
            "<div><dt><a href=\"{href}\">{label}</a></dt><dd data-count=\"{key}\">{n}</dd></div>"
        );
    }
    b.push_str("</dl>\n</section>\n");
}
