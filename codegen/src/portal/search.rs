//! The client-side search: `search.html` and its index `assets/search-index.js`, the
//! requirements, controls, policies and operations with their page. The index is a script
//! (`globalThis.charterSearch = [...]`) rather than JSON, because a page opened from `file://`
//! may not fetch a JSON file. `assets/portal.js` filters it as the reader types, writing results
//! with `textContent` only. Without script the page says so and points to the lists.

use serde_json::{Value, json};

use super::page::{Section, page};
use super::site::Site;
use crate::{Error, OutputFile};

pub const PATH: &str = "search.html";
pub const INDEX: &str = "assets/search-index.js";

fn entries(site: &Site<'_>) -> Vec<Value> {
    let mut out = Vec::new();
    for fw in &site.crosswalk.frameworks {
        for r in &fw.reqs {
            if let Some(url) = site
                .requirement_pages
                .get(&(fw.name().to_string(), r.requirement.id.clone()))
            {
                out.push(json!({
                    "kind": "requirement",
                    "name": format!("{} {}", fw.name(), r.requirement.id),
                    "title": r.requirement.title,
                    "url": url,
                }));
            }
        }
    }
    for c in &site.crosswalk.controls {
        if let Some(url) = site.control_pages.get(&c.name.to_string()) {
            out.push(json!({ "kind": "control", "name": c.name.to_string(), "title": c.title, "url": url }));
        }
    }
    for p in &site.model.policies {
        if let Some(url) = site.policy_pages.get(&p.name.to_string()) {
            let title = p
                .doc
                .as_deref()
                .and_then(|d| d.lines().next())
                .unwrap_or("");
            out.push(
                json!({ "kind": "policy", "name": p.name.to_string(), "title": title, "url": url }),
            );
        }
    }
    for s in &site.model.services {
        if let Some(url) = site.service_pages.get(&s.name.to_string()) {
            for o in &s.ops {
                out.push(json!({
                    "kind": "operation",
                    "name": format!("{}.{}", s.name, o.name),
                    "title": format!("{} {}", o.method.as_str(), o.path),
                    "url": format!("{url}#op-{}", o.name),
                }));
            }
        }
    }
    out
}

pub fn render(site: &Site<'_>, files: &mut Vec<OutputFile>) -> Result<(), Error> {
    let list = serde_json::to_string(&entries(site)).map_err(|e| Error {
        message: format!("the portal's search index did not serialise: {e}"),
        help: None,
    })?;
    // `serde_json` leaves U+2028 and U+2029 raw: valid JSON, and valid script since ES2019, but
    // escaped anyway for older readers.
    let list = list
        .replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029");
    files.push(OutputFile::text(
        INDEX,
        format!("globalThis.charterSearch = {list};\n"),
    ));
    let body = "<h1>Search</h1>\n<p>Search the requirements, controls, policies and operations \
                by name or title.</p>\n<noscript><p>Search needs JavaScript. Every item is also \
                listed on the <a href=\"frameworks/index.html\">Frameworks</a>, <a \
                href=\"controls/index.html\">Controls</a>, <a href=\"policies/index.html\">\
                Policies</a> and <a href=\"contracts/index.html\">Contracts</a> pages.</p>\
                </noscript>\n<p id=\"search-status\" role=\"status\" aria-live=\"polite\"></p>\n\
                <ol id=\"search-results\" class=\"results\"></ol>\n";
    files.push(page(
        site,
        PATH,
        Section::Search,
        "Search",
        body,
        &["search-index.js"],
    ));
    Ok(())
}
