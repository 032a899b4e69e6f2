//! The controls: a list (`controls/index.html`, then `page-2.html`, … past
//! [`super::page::PAGE_ROWS`] controls) and a page per control with its owner, the
//! requirements it maps to, the policies that enforce it, its evidence and the threats it
//! mitigates.

use std::fmt::Write as _;

use super::evidence::evidence_rows;
use super::page::{List, Section, attr, count, doc, h, page, table_head};
use super::site::Site;
use crate::OutputFile;

pub const PATH: &str = "controls/index.html";

pub fn render(site: &Site<'_>, files: &mut Vec<OutputFile>) {
    let list = List::counted(
        PATH,
        Section::Controls,
        "Controls",
        "controls",
        site.crosswalk.controls.len(),
    );
    list.render(site, &site.crosswalk.controls, files, |rows| {
        let mut b = String::new();
        table_head(
            &mut b,
            "controls",
            "Every control, by id",
            &[
                "Control",
                "Title",
                "Owner",
                "Requirements",
                "Enforced by",
                "Evidence",
            ],
        );
        for c in rows {
            let reqs: Vec<String> = c
                .mappings
                .iter()
                .map(|m| format!("{} {}", m.framework, m.requirement))
                .collect();
            let policies: Vec<String> = c
                .enforced_by
                .iter()
                .map(|p| Site::name_link(&site.policy_pages, &p.to_string(), PATH))
                .collect();
            let _ = writeln!(
                b,
                "<tr data-control=\"{}\"><th scope=\"row\">{}</th><td>{}</td><td>{}</td><td>{}</td>\
                 <td>{}</td><td class=\"num\">{}</td></tr>",
                attr(&c.name.name),
                Site::name_link_as(&site.control_pages, &c.name.to_string(), &c.name.name, PATH),
                h(&c.title),
                h(c.owner.as_deref().unwrap_or("-")),
                h(&reqs.join(", ")),
                policies.join(", "),
                c.evidence.len()
            );
        }
        b.push_str("</tbody>\n</table>\n");
        b
    });
    for c in &site.crosswalk.controls {
        let Some(path) = site.control_pages.get(&c.name.to_string()) else {
            continue;
        };
        files.push(control(site, c, path));
    }
}

fn control(site: &Site<'_>, c: &charter::ir::Control, path: &str) -> OutputFile {
    let mut b = String::new();
    let _ = writeln!(
        b,
        "<h1><code>{}</code> {}</h1>\n<p class=\"muted\">Control <code>{}</code>{}</p>",
        h(&c.name.name),
        h(&c.title),
        h(&c.name.to_string()),
        c.owner
            .as_deref()
            .map_or_else(String::new, |o| format!(", owned by {}", h(o)))
    );
    doc(&mut b, c.doc.as_deref());
    b.push_str("<h2>Requirements</h2>\n");
    if c.mappings.is_empty() {
        b.push_str("<p>This control maps to no framework requirement.</p>\n");
    } else {
        b.push_str("<ul>\n");
        for m in &c.mappings {
            let text = format!("{} {}", m.framework, m.requirement);
            let item = match site.requirement_href(&m.framework, &m.requirement, path) {
                Some(href) => super::page::link(&href, &text),
                None => h(&text),
            };
            let _ = writeln!(b, "<li data-requirement=\"{}\">{item}</li>", attr(&text));
        }
        b.push_str("</ul>\n");
    }
    b.push_str("<h2>Enforced by</h2>\n");
    if c.enforced_by.is_empty() {
        b.push_str("<p>No policy enforces this control.</p>\n");
    } else {
        b.push_str("<ul>\n");
        for p in &c.enforced_by {
            let _ = writeln!(
                b,
                "<li>{}</li>",
                Site::name_link(&site.policy_pages, &p.to_string(), path)
            );
        }
        b.push_str("</ul>\n");
    }
    b.push_str("<h2>Evidence</h2>\n");
    let items: Vec<&crate::evidence::Item<'_>> = site
        .evidence
        .iter()
        .filter(|i| i.control.name == c.name)
        .collect();
    if items.is_empty() {
        b.push_str("<p>This control declares no evidence.</p>\n");
    } else {
        evidence_rows(
            site,
            &mut b,
            &items,
            path,
            &count(items.len(), "evidence item", "evidence items"),
        );
    }
    let threats: Vec<&crate::threats::Entry<'_>> = site
        .threats
        .iter()
        .filter(|t| t.controls.iter().any(|x| x.name == c.name))
        .collect();
    if !threats.is_empty() {
        b.push_str("<h2>Threats mitigated</h2>\n<ul>\n");
        for t in threats {
            let _ = writeln!(
                b,
                "<li><a href=\"{}threats/index.html#threat-{}\"><code>{}</code></a> {}</li>",
                super::page::root_of(path),
                attr(&t.threat.name.to_string()),
                h(t.id()),
                h(&t.threat.title)
            );
        }
        b.push_str("</ul>\n");
    }
    page(site, path, Section::Controls, &c.name.name, &b, &[])
}
