//! The contracts: services and their operations with guard, provenance requirement and
//! deprecation (`contracts/index.html`, and a page per service), the deprecation timeline from
//! the calendar, and links to the OpenAPI documents and GraphQL schemas when they are built in
//! the same `charter build` (they sit beside the portal's folder).

use std::fmt::Write as _;

use charter::ir::{Deprecation, Service};

use super::page::{Section, attr, code, doc, h, page, root_of, table_head};
use super::site::Site;
use super::timeline;
use crate::OutputFile;

pub const PATH: &str = "contracts/index.html";

fn deprecation(d: Option<&Deprecation>) -> String {
    match d {
        None => "-".to_string(),
        Some(d) => {
            let mut s = format!("since {}", d.since);
            if let Some(sunset) = d.sunset {
                let _ = write!(s, ", sunset {sunset}");
            }
            if let Some(r) = &d.replacement {
                let _ = write!(s, "; use {r}");
            }
            h(&s)
        }
    }
}

/// Links to this service's generated documents, relative to a page at `from`.
fn documents(site: &Site<'_>, service: &Service, stem: Option<&String>, from: &str) -> Vec<String> {
    let up = format!("{}../", root_of(from));
    let mut out = Vec::new();
    let built = |t: &str| site.options.built_with.iter().any(|b| b == t);
    if built("openapi")
        && let Some(stem) = stem
    {
        for ext in ["yaml", "json"] {
            let href = format!("{up}openapi/{stem}.{ext}");
            out.push(format!("<a href=\"{}\">OpenAPI ({ext})</a>", attr(&href)));
        }
    }
    if built("graphql") && service.ops.iter().any(|o| o.graphql.is_some()) {
        let href = format!("{up}graphql/{}.graphql", service.name.package);
        out.push(format!("<a href=\"{}\">GraphQL schema</a>", attr(&href)));
    }
    out
}

pub fn render(site: &Site<'_>, files: &mut Vec<OutputFile>) {
    let model = site.model;
    let stems = crate::openapi::stems(&model.services);
    let operations: usize = model.services.iter().map(|s| s.ops.len()).sum();
    let mut b = String::from("<h1>Contracts</h1>\n");
    let _ = writeln!(
        b,
        "<p class=\"lede\"><strong data-count=\"services\">{}</strong> services, <strong \
         data-count=\"operations\">{operations}</strong> operations.</p>",
        model.services.len()
    );
    table_head(
        &mut b,
        "services",
        "Every service, in source order",
        &[
            "Service",
            "Version",
            "Base path",
            "Operations",
            "Deprecated",
            "Documents",
        ],
    );
    for (s, stem) in model
        .services
        .iter()
        .zip(stems.iter().map(Some).chain(std::iter::repeat(None)))
    {
        let _ = writeln!(
            b,
            "<tr data-service=\"{}\"><th scope=\"row\">{}</th><td>{}</td><td>{}</td>\
             <td class=\"num\">{}</td><td>{}</td><td>{}</td></tr>",
            attr(&s.name.to_string()),
            Site::name_link(&site.service_pages, &s.name.to_string(), PATH),
            h(&s.version),
            code(&s.base_path.to_string()),
            s.ops.len(),
            deprecation(s.deprecated.as_deref()),
            documents(site, s, stem, PATH).join(" "),
        );
    }
    b.push_str("</tbody>\n</table>\n");
    let spans = timeline::spans(&site.calendar);
    b.push_str("<section aria-labelledby=\"timeline\">\n<h2 id=\"timeline\">Deprecation timeline</h2>\n<figure>\n");
    b.push_str(&timeline::svg(&spans));
    b.push_str("<figcaption>Bars run from deprecation to sunset; a dashed bar has no sunset yet.</figcaption>\n</figure>\n");
    if !spans.is_empty() {
        table_head(
            &mut b,
            "deprecations",
            "Deprecated declarations",
            &["Declaration", "Kind", "Deprecated", "Sunset"],
        );
        for s in &spans {
            let _ = writeln!(
                b,
                "<tr data-deprecated=\"{}\"><th scope=\"row\">{}</th><td>{}</td><td>{}</td><td>{}</td></tr>",
                attr(s.name),
                code(s.name),
                s.kind,
                s.since,
                s.sunset.map_or_else(|| "-".to_string(), |d| d.to_string())
            );
        }
        b.push_str("</tbody>\n</table>\n");
    }
    b.push_str("</section>\n");
    files.push(page(site, PATH, Section::Contracts, "Contracts", &b, &[]));
    for (s, stem) in model.services.iter().zip(stems.iter()) {
        if let Some(path) = site.service_pages.get(&s.name.to_string()) {
            files.push(service(site, s, Some(stem), path));
        }
    }
}

fn service(site: &Site<'_>, s: &Service, stem: Option<&String>, path: &str) -> OutputFile {
    let mut b = String::new();
    let _ = writeln!(
        b,
        "<h1>Service <code>{}</code></h1>\n<p class=\"muted\"><code>{}</code> version {}, base \
         path {}</p>",
        h(&s.name.name),
        h(&s.name.to_string()),
        h(&s.version),
        code(&s.base_path.to_string())
    );
    doc(&mut b, s.doc.as_deref());
    if let Some(d) = &s.deprecated {
        let _ = writeln!(
            b,
            "<p class=\"warn\">Deprecated {}</p>",
            deprecation(Some(d))
        );
    }
    let docs = documents(site, s, stem, path);
    if !docs.is_empty() {
        let _ = writeln!(b, "<p>Generated documents: {}</p>", docs.join(" · "));
    }
    table_head(
        &mut b,
        "operations",
        "Operations, in source order",
        &[
            "Operation",
            "Method and path",
            "Guard",
            "Provenance",
            "Deprecated",
        ],
    );
    for o in &s.ops {
        let guard = match &o.guard {
            Some(g) => format!(
                "{} as {}",
                Site::name_link(&site.policy_pages, &g.policy.to_string(), path),
                code(&g.action)
            ),
            None => "<span class=\"warn\">none</span>".to_string(),
        };
        let _ = writeln!(
            b,
            "<tr id=\"op-{}\" data-operation=\"{}\"><th scope=\"row\"><code>{}</code>{}</th>\
             <td><code>{} {}</code></td><td>{guard}</td><td>{}</td><td>{}</td></tr>",
            attr(&o.name),
            attr(&o.name),
            h(&o.name),
            o.doc.as_deref().map_or_else(String::new, |d| format!(
                "<p class=\"doc\">{}</p>",
                h(d.trim())
            )),
            o.method.as_str(),
            h(&o.path.to_string()),
            if o.requires_provenance {
                "required"
            } else {
                "-"
            },
            deprecation(o.deprecated.as_deref()),
        );
    }
    b.push_str("</tbody>\n</table>\n");
    page(site, path, Section::Contracts, &s.name.name, &b, &[])
}
