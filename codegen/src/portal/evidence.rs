//! The evidence index (`evidence/index.html`): every evidence item by category, with its control,
//! the requirements it proves, its retention, its producer and, when an evidence folder was given
//! (`--evidence-root`), whether it exists and its SHA-256. A filter box (script) narrows the rows
//! of the page; without script every row shows. A long index is split into pages of
//! [`super::page::PAGE_ROWS`] rows (`index.html`, `page-2.html`, …, linked without script).

use std::fmt::Write as _;

use super::page::{List, Section, attr, code, count, h, page_count, table_head};
use super::site::Site;
use crate::OutputFile;
use crate::evidence::Item;

pub const PATH: &str = "evidence/index.html";

fn status(item: &Item<'_>) -> (&'static str, String) {
    match &item.status {
        None => ("unchecked", "not checked".to_string()),
        Some(s) if !s.exists => ("missing", "missing".to_string()),
        Some(s) => {
            let hash = s.sha256.as_deref().map_or_else(String::new, |x| {
                format!(" <code class=\"sha\">sha256:{}</code>", h(x))
            });
            ("present", format!("present{hash}"))
        }
    }
}

/// The rows of a list of evidence items as a table.
pub fn evidence_rows(
    site: &Site<'_>,
    b: &mut String,
    items: &[&Item<'_>],
    from: &str,
    caption: &str,
) {
    table_head(
        b,
        "evidence",
        &h(caption),
        &[
            "Path",
            "Control",
            "Requirements",
            "Retention",
            "Produced by",
            "Status",
        ],
    );
    for item in items {
        let (class, text) = status(item);
        let reqs: Vec<String> = item
            .requirements
            .iter()
            .map(|(f, r)| match site.requirement_href(f, r, from) {
                Some(href) => format!("<a href=\"{}\">{} {}</a>", attr(&href), h(f), h(r)),
                None => format!("{} {}", h(f), h(r)),
            })
            .collect();
        let producers: Vec<String> = item
            .produced_by
            .iter()
            .map(|p| Site::name_link(&site.policy_pages, p, from))
            .collect();
        let retention = item.retention_days.map_or_else(
            || "not set".to_string(),
            |d| count(d as usize, "day", "days"),
        );
        let _ = writeln!(
            b,
            "<tr class=\"{class}\" data-path=\"{}\" data-control-id=\"{}\" data-status=\"{class}\" \
             data-sha256=\"{}\">\
             <th scope=\"row\">{}</th><td>{}</td><td>{}</td><td>{}</td><td>{}{}</td><td>{text}</td></tr>",
            attr(&item.path),
            attr(item.control_id()),
            attr(
                item.status
                    .as_ref()
                    .and_then(|s| s.sha256.as_deref())
                    .unwrap_or("")
            ),
            code(&item.path),
            Site::name_link_as(
                &site.control_pages,
                &item.control.name.to_string(),
                &item.control.name.name,
                from
            ),
            reqs.join(", "),
            h(&retention),
            producers.join(", "),
            if item.declared_producer || item.produced_by.is_empty() {
                ""
            } else {
                " <span class=\"muted\">(enforced by)</span>"
            },
        );
    }
    b.push_str("</tbody>\n</table>\n");
}

/// The evidence index, [`super::page::PAGE_ROWS`] rows a page (`index.html`, `page-2.html`, …), by
/// category.
pub fn render(site: &Site<'_>, files: &mut Vec<OutputFile>) {
    let total = site.evidence.len();
    let missing = site.evidence.iter().filter(|i| i.is_missing()).count();
    let mut head = String::from("<h1>Evidence</h1>\n");
    let _ = writeln!(
        head,
        "<p class=\"lede\"><strong data-count=\"evidence\">{total}</strong> evidence items \
         declared by the controls{}.</p>",
        if site.evidence_checked {
            format!(
                ", <strong data-count=\"missing\">{missing}</strong> missing from the evidence folder"
            )
        } else {
            ", not checked against an evidence folder".to_string()
        }
    );
    let _ = writeln!(
        head,
        "<div class=\"filter\" hidden>\n<label for=\"filter\">Filter the evidence{}</label>\n\
         <input id=\"filter\" type=\"search\" data-filter=\"table.evidence tbody tr\" \
         aria-describedby=\"filter-count\">\n<p id=\"filter-count\" role=\"status\" \
         aria-live=\"polite\"></p>\n</div>",
        if page_count(total) > 1 {
            " on this page"
        } else {
            ""
        }
    );
    let list = List {
        first: PATH,
        section: Section::Evidence,
        title: "Evidence",
        head,
    };
    list.render(site, &site.evidence, files, |rows| {
        let mut b = String::new();
        let mut categories: Vec<&str> = rows.iter().map(|i| i.category.as_str()).collect();
        categories.dedup();
        for category in categories {
            let items: Vec<&Item<'_>> = rows.iter().filter(|i| i.category == category).collect();
            let _ = writeln!(
                b,
                "<section aria-label=\"{}\">\n<h2>{}</h2>",
                attr(category),
                h(category)
            );
            evidence_rows(site, &mut b, &items, PATH, &format!("Evidence: {category}"));
            b.push_str("</section>\n");
        }
        b
    });
}
