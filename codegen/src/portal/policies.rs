//! The policies: a list (`policies/index.html`, then `page-2.html`, … past
//! [`super::page::PAGE_ROWS`] policies) and a page per policy with its rules in source
//! order (each condition as `charter fmt` prints it, its rationale, canary rules marked), the
//! operations it guards, the controls it enforces and its tests with their results (run with the
//! native evaluator, as `charter test` runs them).

use std::fmt::Write as _;

use charter::ir::Policy;

use super::page::{List, Section, attr, code, doc, h, page, table_head};
use super::site::Site;
use crate::OutputFile;

pub const PATH: &str = "policies/index.html";

pub fn render(site: &Site<'_>, files: &mut Vec<OutputFile>) {
    let list = List::counted(
        PATH,
        Section::Policies,
        "Policies",
        "policies",
        site.model.policies.len(),
    );
    list.render(site, &site.model.policies, files, |rows| {
        let mut b = String::new();
        table_head(
            &mut b,
            "policies",
            "Every policy, in source order",
            &["Policy", "On", "By", "Default", "Rules", "Tests passed"],
        );
        for p in rows {
            let results = site.results.get(&p.name.to_string());
            let passed = results.map_or(0, |r| r.iter().filter(|c| c.passed).count());
            let cases = results.map_or(0, Vec::len);
            let subjects: Vec<String> = p.subjects.iter().map(ToString::to_string).collect();
            let _ = writeln!(
                b,
                "<tr data-policy=\"{}\"><th scope=\"row\">{}</th><td>{}</td><td>{}</td><td>{}</td>\
                 <td class=\"num\">{}</td><td class=\"num {}\">{passed} of {cases}</td></tr>",
                attr(&p.name.to_string()),
                Site::name_link(&site.policy_pages, &p.name.to_string(), PATH),
                code(&p.resource.to_string()),
                code(&subjects.join(", ")),
                h(p.default_effect.as_str()),
                p.rules.len(),
                if passed == cases { "pass" } else { "fail" },
            );
        }
        b.push_str("</tbody>\n</table>\n");
        b
    });
    for p in &site.model.policies {
        if let Some(path) = site.policy_pages.get(&p.name.to_string()) {
            files.push(policy(site, p, path));
        }
    }
}

fn policy(site: &Site<'_>, p: &Policy, path: &str) -> OutputFile {
    let mut b = String::new();
    let _ = writeln!(
        b,
        "<h1>Policy <code>{}</code></h1>\n<p class=\"muted\"><code>{}</code> version {}</p>",
        h(&p.name.name),
        h(&p.name.to_string()),
        h(&p.version)
    );
    doc(&mut b, p.doc.as_deref());
    let subjects: Vec<String> = p.subjects.iter().map(ToString::to_string).collect();
    let _ = writeln!(
        b,
        "<dl class=\"facts\">\n<dt>Resource</dt><dd>{}</dd>\n<dt>Subjects</dt><dd>{}</dd>",
        code(&p.resource.to_string()),
        code(&subjects.join(", "))
    );
    if let Some(ctx) = &p.context {
        let _ = writeln!(b, "<dt>Context</dt><dd>{}</dd>", code(&ctx.to_string()));
    }
    let _ = writeln!(
        b,
        "<dt>Actions</dt><dd>{}</dd>\n<dt>Default</dt><dd><span class=\"effect {}\">{}</span> \
         “{}”</dd>",
        h(&p.actions.join(", ")),
        p.default_effect.as_str(),
        p.default_effect.as_str(),
        h(&p.default_reason)
    );
    if !p.requires_provenance_for.is_empty() {
        let _ = writeln!(
            b,
            "<dt>Requires provenance for</dt><dd>{}</dd>",
            h(&p.requires_provenance_for.join(", "))
        );
    }
    b.push_str("</dl>\n");
    let _ = writeln!(b, "<h2>Rules</h2>\n<ol class=\"rules\">");
    for r in &p.rules {
        let _ = writeln!(
            b,
            "<li id=\"rule-{}\" data-rule=\"{}\" class=\"rule{}\"><h3><span class=\"effect {}\">{}\
             </span> <code>{}</code>{}</h3>",
            attr(&r.name),
            attr(&r.name),
            if r.canary { " canary" } else { "" },
            r.effect.as_str(),
            r.effect.as_str(),
            h(&r.name),
            if r.canary {
                " <span class=\"badge\">canary: evaluated and reported, never enforced</span>"
            } else {
                ""
            }
        );
        doc(&mut b, r.doc.as_deref());
        match site.condition(p, &r.name) {
            Some("") => b.push_str("<p>Always (no condition).</p>\n"),
            Some(text) => {
                let _ = writeln!(b, "<pre class=\"condition\"><code>{}</code></pre>", h(text));
            }
            None => b.push_str("<p class=\"muted\">The condition's source was not given.</p>\n"),
        }
        let _ = writeln!(
            b,
            "<p class=\"because\">Because “{}”</p>\n</li>",
            h(&r.reason)
        );
    }
    b.push_str("</ol>\n<h2>Guards</h2>\n");
    let guarded: Vec<(&charter::ir::Service, &charter::ir::Operation)> = site
        .model
        .services
        .iter()
        .flat_map(|s| s.ops.iter().map(move |o| (s, o)))
        .filter(|(_, o)| o.guard.as_ref().is_some_and(|g| g.policy == p.name))
        .collect();
    if guarded.is_empty() {
        b.push_str("<p>No operation is guarded by this policy.</p>\n");
    } else {
        b.push_str("<ul>\n");
        for (s, o) in guarded {
            let action = o.guard.as_ref().map_or("", |g| g.action.as_str());
            let target = Site::href(&site.service_pages, &s.name.to_string(), path)
                .map(|href| format!("{href}#op-{}", o.name));
            let name = format!("{}.{}", s.name, o.name);
            let text = match target {
                Some(href) => format!("<a href=\"{}\"><code>{}</code></a>", attr(&href), h(&name)),
                None => code(&name),
            };
            let _ = writeln!(
                b,
                "<li>{text} <span class=\"muted\">as {}</span></li>",
                code(action)
            );
        }
        b.push_str("</ul>\n");
    }
    let controls: Vec<&charter::ir::Control> = site
        .crosswalk
        .controls
        .iter()
        .copied()
        .filter(|c| c.enforced_by.contains(&p.name))
        .collect();
    b.push_str("<h2>Controls enforced</h2>\n");
    if controls.is_empty() {
        b.push_str("<p>No control names this policy.</p>\n");
    } else {
        b.push_str("<ul>\n");
        for c in controls {
            let _ = writeln!(
                b,
                "<li>{} {}</li>",
                Site::name_link_as(&site.control_pages, &c.name.to_string(), &c.name.name, path),
                h(&c.title)
            );
        }
        b.push_str("</ul>\n");
    }
    b.push_str("<h2>Tests</h2>\n");
    match site.results.get(&p.name.to_string()) {
        None => b.push_str("<p>This policy has no test case.</p>\n"),
        Some(results) => {
            let passed = results.iter().filter(|c| c.passed).count();
            let _ = writeln!(
                b,
                "<p><strong data-count=\"passed\">{passed}</strong> of <strong \
                 data-count=\"cases\">{}</strong> cases pass.</p>",
                results.len()
            );
            table_head(
                &mut b,
                "tests",
                "The cases charter test runs",
                &["Case", "Expected", "Decided", "Result"],
            );
            for c in results {
                let (class, text) = if c.passed {
                    ("pass", "passed")
                } else {
                    ("fail", "failed")
                };
                let _ = writeln!(
                    b,
                    "<tr class=\"{class}\"><th scope=\"row\">{}{}</th><td>{}</td><td>{}</td>\
                     <td class=\"{class}\">{text}</td></tr>",
                    h(&c.name),
                    if c.generated {
                        " <span class=\"badge\">generated</span>"
                    } else {
                        ""
                    },
                    h(&c.expected),
                    h(&c.actual),
                );
            }
            b.push_str("</tbody>\n</table>\n");
        }
    }
    page(site, path, Section::Policies, &p.name.name, &b, &[])
}
