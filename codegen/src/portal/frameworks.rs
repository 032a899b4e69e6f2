//! The frameworks: an index, per framework a matrix of its requirements (grouped by SOC 2
//! category, ISO theme or HIPAA safeguard) against the controls that cover them, and a page per
//! requirement with its controls, enforcing policies and evidence.
//!
//! A framework that more than [`MATRIX_COLUMNS`] controls map to lists the controls in one
//! column instead of one column each, so the page stays readable and small.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use super::evidence::evidence_rows;
use super::page::{Section, attr, bar, count, doc, h, page, percent, root_of, table_head};
use super::site::Site;
use crate::OutputFile;
use crate::crosswalk::view::{
    FrameworkCoverage, RequirementCoverage, control_id, group_attribute, group_key,
};

pub const MATRIX_COLUMNS: usize = 24;

pub fn render(site: &Site<'_>, files: &mut Vec<OutputFile>) {
    index(site, files);
    for fw in &site.crosswalk.frameworks {
        let Some(path) = site.framework_pages.get(fw.name()) else {
            continue;
        };
        files.push(matrix(site, fw, path));
        for r in &fw.reqs {
            if let Some(rp) = site
                .requirement_pages
                .get(&(fw.name().to_string(), r.requirement.id.clone()))
            {
                files.push(requirement(site, fw, r, rp));
            }
        }
    }
}

fn index(site: &Site<'_>, files: &mut Vec<OutputFile>) {
    let path = "frameworks/index.html";
    let mut b = String::from("<h1>Frameworks</h1>\n");
    coverage_table(site, &mut b, path, "The frameworks and their coverage");
    files.push(page(site, path, Section::Frameworks, "Frameworks", &b, &[]));
}

/// The coverage of every framework as a table, a row per framework with its bar, for a page at
/// `from` (the overview and the frameworks' index).
pub fn coverage_table(site: &Site<'_>, b: &mut String, from: &str, caption: &str) {
    table_head(
        b,
        "coverage",
        caption,
        &["Framework", "Title", "Covered", "Requirements", "Coverage"],
    );
    for fw in &site.crosswalk.frameworks {
        let href = site
            .framework_pages
            .get(fw.name())
            .map_or_else(String::new, |p| format!("{}{p}", root_of(from)));
        let _ = writeln!(
            b,
            "<tr data-framework=\"{}\"><th scope=\"row\"><a href=\"{}\">{}</a></th><td>{}</td>\
             <td class=\"num\" data-covered>{}</td><td class=\"num\" data-total>{}</td><td>{} \
             {}&#160;%</td></tr>",
            attr(fw.name()),
            attr(&href),
            h(fw.name()),
            h(&fw.framework.title),
            fw.covered(),
            fw.total(),
            bar(
                fw.covered(),
                fw.total(),
                &format!("{} of {} covered", fw.covered(), fw.total())
            ),
            percent(fw.covered(), fw.total()),
        );
    }
    b.push_str("</tbody>\n</table>\n");
}

fn status(r: &RequirementCoverage<'_>) -> (&'static str, &'static str) {
    if r.covered() {
        ("covered", "covered")
    } else {
        ("uncovered", "not covered")
    }
}

fn matrix(site: &Site<'_>, fw: &FrameworkCoverage<'_>, path: &str) -> OutputFile {
    let mut b = String::new();
    let _ = writeln!(
        b,
        "<h1>{} <span class=\"muted\">{}</span></h1>\n<p class=\"lede\"><strong \
         data-covered>{}</strong> of <strong data-total>{}</strong> requirements covered \
         ({}&#160;%).</p>",
        h(fw.name()),
        h(&fw.framework.title),
        fw.covered(),
        fw.total(),
        percent(fw.covered(), fw.total())
    );
    // The controls that cover any requirement of this framework, by control id.
    let mut seen = BTreeSet::new();
    let columns: Vec<&charter::ir::Control> = site
        .crosswalk
        .controls
        .iter()
        .copied()
        .filter(|c| {
            fw.reqs
                .iter()
                .any(|r| r.links.iter().any(|l| std::ptr::eq(l.control, *c)))
        })
        .filter(|c| seen.insert(c.name.to_string()))
        .collect();
    let grid = columns.len() <= MATRIX_COLUMNS;
    let by = group_attribute(&fw.reqs);
    b.push_str(
        "<p class=\"legend\"><span class=\"covered\">covered</span> a control maps to \
                the requirement; <span class=\"via\">via</span> a control maps to one of its \
                implementation specifications; <span class=\"uncovered\">not covered</span> no \
                control maps to it.</p>\n",
    );
    for group in &fw.groups {
        let title = group.title.as_deref().unwrap_or(&group.key);
        let _ = writeln!(
            b,
            "<section aria-label=\"{}\">\n<h2>{} <span class=\"muted\">{} of {} covered</span></h2>",
            attr(title),
            h(title),
            group.covered,
            group.total
        );
        let mut cols: Vec<String> = vec!["Requirement".into(), "Title".into()];
        if grid {
            for c in &columns {
                cols.push(format!(
                    "<a href=\"{}\" title=\"{}\"><code>{}</code></a>",
                    attr(
                        &Site::href(&site.control_pages, &c.name.to_string(), path)
                            .unwrap_or_default()
                    ),
                    attr(&c.title),
                    h(control_id(c))
                ));
            }
        } else {
            cols.push("Controls".into());
        }
        cols.push("Status".into());
        let cols: Vec<&str> = cols.iter().map(String::as_str).collect();
        table_head(
            &mut b,
            "matrix",
            &format!("{} requirements", h(title)),
            &cols,
        );
        for r in fw
            .reqs
            .iter()
            .filter(|r| group_key(r.requirement, by) == group.key)
        {
            let (class, text) = status(r);
            let ids: Vec<&str> = r.links.iter().map(|l| control_id(l.control)).collect();
            let href = site
                .requirement_href(fw.name(), &r.requirement.id, path)
                .unwrap_or_default();
            let _ = write!(
                b,
                "<tr class=\"{class}\" data-requirement=\"{}\" data-status=\"{class}\" \
                 data-controls=\"{}\"><th scope=\"row\"><a href=\"{}\">{}</a></th><td>{}</td>",
                attr(&r.requirement.id),
                attr(&ids.join(" ")),
                attr(&href),
                h(&r.requirement.id),
                h(&r.requirement.title)
            );
            if grid {
                for c in &columns {
                    let link = r.links.iter().find(|l| l.control.name == c.name);
                    match link {
                        Some(l) if l.relationships.iter().any(|x| x.text() == "direct") => {
                            let _ = write!(b, "<td class=\"cell covered\">covered</td>");
                        }
                        Some(l) => {
                            let _ = write!(
                                b,
                                "<td class=\"cell via\">{}</td>",
                                h(&l.relationship_texts().join(", "))
                            );
                        }
                        None => b.push_str("<td class=\"cell\"></td>"),
                    }
                }
            } else {
                let links: Vec<String> = r
                    .links
                    .iter()
                    .map(|l| {
                        Site::name_link_as(
                            &site.control_pages,
                            &l.control.name.to_string(),
                            &l.control.name.name,
                            path,
                        )
                    })
                    .collect();
                let _ = write!(b, "<td>{}</td>", links.join(", "));
            }
            let _ = writeln!(b, "<td class=\"status {class}\">{text}</td></tr>");
        }
        b.push_str("</tbody>\n</table>\n</section>\n");
    }
    page(site, path, Section::Frameworks, fw.name(), &b, &[])
}

fn requirement(
    site: &Site<'_>,
    fw: &FrameworkCoverage<'_>,
    r: &RequirementCoverage<'_>,
    path: &str,
) -> OutputFile {
    let req = r.requirement;
    let mut b = String::new();
    let fw_href = site
        .framework_pages
        .get(fw.name())
        .map_or_else(String::new, |p| format!("{}{p}", root_of(path)));
    let (class, text) = status(r);
    let _ = writeln!(
        b,
        "<p class=\"crumbs\"><a href=\"{}\">{}</a></p>\n<h1><code>{}</code> {}</h1>\n\
         <p class=\"status {class}\" data-status=\"{class}\">{text}</p>",
        attr(&fw_href),
        h(&fw.framework.title),
        h(&req.id),
        h(&req.title),
    );
    b.push_str("<dl class=\"facts\">\n");
    if let Some(parent) = &req.parent {
        let link = site
            .requirement_href(fw.name(), parent, path)
            .map_or_else(|| h(parent), |href| super::page::link(&href, parent));
        let _ = writeln!(b, "<dt>Part of</dt><dd>{link}</dd>");
    }
    if !req.aliases.is_empty() {
        let _ = writeln!(
            b,
            "<dt>Also known as</dt><dd>{}</dd>",
            h(&req.aliases.join(", "))
        );
    }
    for (k, v) in &req.attributes {
        let _ = writeln!(b, "<dt>{}</dt><dd>{}</dd>", h(k), h(v));
    }
    b.push_str("</dl>\n<h2>Controls</h2>\n");
    if r.links.is_empty() {
        b.push_str("<p>No control maps to this requirement.</p>\n");
    } else {
        table_head(
            &mut b,
            "controls",
            "The controls covering this requirement",
            &["Control", "Title", "Relationship"],
        );
        for l in &r.links {
            let _ = writeln!(
                b,
                "<tr data-control=\"{}\"><th scope=\"row\">{}</th><td>{}</td><td>{}</td></tr>",
                attr(control_id(l.control)),
                Site::name_link_as(
                    &site.control_pages,
                    &l.control.name.to_string(),
                    &l.control.name.name,
                    path
                ),
                h(&l.control.title),
                h(&l.relationship_texts().join(", "))
            );
        }
        b.push_str("</tbody>\n</table>\n");
    }
    let policies: BTreeSet<String> = r.links.iter().flat_map(|l| l.policies()).collect();
    b.push_str("<h2>Enforcing policies</h2>\n");
    if policies.is_empty() {
        b.push_str("<p>No policy enforces the controls of this requirement.</p>\n");
    } else {
        b.push_str("<ul>\n");
        for p in &policies {
            let _ = writeln!(
                b,
                "<li>{}</li>",
                Site::name_link(&site.policy_pages, p, path)
            );
        }
        b.push_str("</ul>\n");
    }
    b.push_str("<h2>Evidence</h2>\n");
    let items: Vec<&crate::evidence::Item<'_>> = site
        .evidence
        .iter()
        .filter(|i| r.links.iter().any(|l| l.control.name == i.control.name))
        .collect();
    if items.is_empty() {
        b.push_str("<p>The controls of this requirement declare no evidence.</p>\n");
    } else {
        evidence_rows(
            site,
            &mut b,
            &items,
            path,
            &count(items.len(), "evidence item", "evidence items"),
        );
    }
    doc(&mut b, None);
    page(
        site,
        path,
        Section::Frameworks,
        &format!("{} {}", fw.name(), req.id),
        &b,
        &[],
    )
}
