//! Everything the pages read, computed once: the crosswalk, the evidence index, the threat
//! register, the calendar, each rule's condition as `charter fmt` prints it, each policy's test
//! results, and the stable file name of every page.
//!
//! URLs are stable: a page's file name comes from what it shows (a qualified name, a framework
//! and requirement id), never from its position in a list. Names are lower-cased (so two files
//! never differ only by case) and any character but ASCII letters, digits, `.`, `_` and `-`
//! becomes `-`; two names that would share a file get `_2`, `_3`, … in the order the pages are
//! listed (`charter::naming::Names`). A list's own pages (`index`, `page-2`, …) keep their names.

use std::collections::BTreeMap;

use charter::eval;
use charter::ir::{Model, QualName};
use charter::naming::Names;
use sha2::{Digest as _, Sha256};

use super::PortalOptions;
use crate::crosswalk::view::{self, Crosswalk};
use crate::{calendar, evidence, threats};

/// One case of a policy's tests and whether it passed.
#[derive(Debug, Clone)]
pub struct CaseResult {
    pub name: String,
    pub generated: bool,
    /// `allow`, `deny`, with `by RULE` when the case names the deciding rule.
    pub expected: String,
    /// What the policy decided: effect and rule id.
    pub actual: String,
    pub passed: bool,
}

pub struct Site<'m> {
    pub model: &'m Model,
    pub options: &'m PortalOptions,
    pub crosswalk: Crosswalk<'m>,
    pub evidence: Vec<evidence::Item<'m>>,
    /// Whether an evidence status was given (`--evidence-root`).
    pub evidence_checked: bool,
    pub threats: Vec<threats::Entry<'m>>,
    pub calendar: Vec<calendar::Entry<'m>>,
    /// `(file, policy, rule)` → the condition as `charter fmt` prints it.
    pub conditions: BTreeMap<(String, String, String), String>,
    /// Policy (qualified name) → its cases, in `charter test`'s order.
    pub results: BTreeMap<String, Vec<CaseResult>>,
    /// Qualified name → page path (from the portal root).
    pub control_pages: BTreeMap<String, String>,
    pub policy_pages: BTreeMap<String, String>,
    pub service_pages: BTreeMap<String, String>,
    /// Framework name → its page; `(framework, requirement id)` → the requirement's page.
    pub framework_pages: BTreeMap<String, String>,
    pub requirement_pages: BTreeMap<(String, String), String>,
    /// The SHA-256 of the sources, hex.
    pub digest: String,
}

/// A name as a file name: see the module documentation.
pub fn slug(name: &str) -> String {
    let s: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    let s = s.trim_matches(|c| c == '.' || c == '-').to_string();
    if s.is_empty() { "page".to_string() } else { s }
}

/// The source digest: the SHA-256 of every source, in path order, each as its path, a line
/// feed, its length in bytes in decimal, a line feed and its text.
pub fn digest(sources: &[(String, String)]) -> String {
    let mut sorted: Vec<&(String, String)> = sources.iter().collect();
    sorted.sort();
    let mut hasher = Sha256::new();
    for (path, text) in sorted {
        hasher.update(path.as_bytes());
        hasher.update(format!("\n{}\n", text.len()).as_bytes());
        hasher.update(text.as_bytes());
    }
    hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The detail pages of a list in `folder`, beside its list pages (`index`, `page-2`, …, whose
/// names are never given to a detail page).
fn pages<'a>(folder: &str, names: impl Iterator<Item = &'a QualName>) -> BTreeMap<String, String> {
    let names: Vec<&QualName> = names.collect();
    let mut taken = Names::default();
    taken.reserve("index");
    for n in 2..=super::page::page_count(names.len()) {
        taken.reserve(&format!("page-{n}"));
    }
    let mut out = BTreeMap::new();
    for name in names {
        let key = name.to_string();
        if out.contains_key(&key) {
            continue;
        }
        let file = taken.claim(&slug(&key));
        out.insert(key, format!("{folder}/{file}.html"));
    }
    out
}

fn results(model: &Model) -> BTreeMap<String, Vec<CaseResult>> {
    let mut out: BTreeMap<String, Vec<CaseResult>> = BTreeMap::new();
    let policies: BTreeMap<String, &charter::ir::Policy> = model
        .policies
        .iter()
        .map(|p| (p.name.to_string(), p))
        .collect();
    for case in eval::cases(model) {
        let Some(policy) = policies.get(&case.policy) else {
            continue;
        };
        let evaluation = eval::evaluate(model, policy, &case.input);
        let verdict = &evaluation.verdict;
        let expected = match case.expected_rule() {
            Some(rule) => format!("{} by {rule}", case.effect.as_str()),
            None => case.effect.as_str().to_string(),
        };
        let effect = if verdict.allow { "allow" } else { "deny" };
        out.entry(case.policy.clone())
            .or_default()
            .push(CaseResult {
                passed: case.passes(verdict),
                name: case.name,
                generated: case.generated,
                expected,
                actual: format!("{effect} by {}", verdict.rule_id),
            });
    }
    out
}

fn conditions(
    options: &PortalOptions,
    model: &Model,
) -> BTreeMap<(String, String, String), String> {
    let files: std::collections::BTreeSet<&str> =
        model.policies.iter().map(|p| p.loc.file.as_str()).collect();
    let mut out = BTreeMap::new();
    for (path, text) in &options.sources {
        if !files.contains(path.as_str()) {
            continue;
        }
        for c in charter::fmt::rule_conditions(path, text) {
            out.insert((path.clone(), c.policy, c.rule), c.text);
        }
    }
    out
}

impl<'m> Site<'m> {
    pub fn new(model: &'m Model, options: &'m crate::Options) -> Site<'m> {
        let portal = &options.portal;
        let crosswalk = view::build(model);
        let mut framework_pages = BTreeMap::new();
        let mut requirement_pages = BTreeMap::new();
        let mut fw_names = Names::default();
        fw_names.reserve("index");
        for fw in &crosswalk.frameworks {
            let fw_slug = fw_names.claim(&slug(fw.name()));
            framework_pages.insert(fw.name().to_string(), format!("frameworks/{fw_slug}.html"));
            let mut taken = Names::default();
            for r in &fw.reqs {
                let file = taken.claim(&slug(&r.requirement.id));
                requirement_pages.insert(
                    (fw.name().to_string(), r.requirement.id.clone()),
                    format!("frameworks/{fw_slug}/{file}.html"),
                );
            }
        }
        Site {
            model,
            options: portal,
            evidence: evidence::items(model, options.evidence.as_ref()),
            evidence_checked: options.evidence.is_some(),
            threats: threats::entries(model),
            calendar: calendar::entries(model),
            conditions: conditions(portal, model),
            results: results(model),
            control_pages: pages("controls", crosswalk.controls.iter().map(|c| &c.name)),
            policy_pages: pages("policies", model.policies.iter().map(|p| &p.name)),
            service_pages: pages("contracts", model.services.iter().map(|s| &s.name)),
            framework_pages,
            requirement_pages,
            digest: digest(&portal.sources),
            crosswalk,
        }
    }

    /// The page of a control, policy or service by qualified name, relative to a page at `from`.
    pub fn href(map: &BTreeMap<String, String>, name: &str, from: &str) -> Option<String> {
        map.get(name)
            .map(|p| format!("{}{p}", super::page::root_of(from)))
    }

    /// A link to the named control, policy or service (plain code when it has no page).
    pub fn name_link(map: &BTreeMap<String, String>, name: &str, from: &str) -> String {
        Site::name_link_as(map, name, name, from)
    }

    /// A link to the named page showing `text` (a control's id rather than its qualified name).
    pub fn name_link_as(
        map: &BTreeMap<String, String>,
        name: &str,
        text: &str,
        from: &str,
    ) -> String {
        match Site::href(map, name, from) {
            Some(href) => format!(
                "<a href=\"{}\"><code>{}</code></a>",
                super::page::attr(&href),
                super::page::h(text)
            ),
            None => super::page::code(text),
        }
    }

    pub fn requirement_href(&self, framework: &str, id: &str, from: &str) -> Option<String> {
        self.requirement_pages
            .get(&(framework.to_string(), id.to_string()))
            .map(|p| format!("{}{p}", super::page::root_of(from)))
    }

    /// The printed condition of a rule, if its source was given.
    pub fn condition(&self, policy: &charter::ir::Policy, rule: &str) -> Option<&str> {
        self.conditions
            .get(&(
                policy.loc.file.to_string(),
                policy.name.name.to_string(),
                rule.to_string(),
            ))
            .map(String::as_str)
    }
}
