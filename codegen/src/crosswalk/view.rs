//! The crosswalk as data: every framework's requirements with the controls that cover them,
//! computed once and rendered by the Markdown, CSV/JSON and OSCAL writers.
//!
//! Order, so that the same model gives the same bytes: frameworks `soc2`, `iso27001`, `gdpr`,
//! `hipaa`, then any other framework by name; requirements in catalogue order; controls by id.

use std::collections::{BTreeMap, BTreeSet};

use charter::ir::{Control, Framework, Model, Requirement};

/// The frameworks in report order; any other framework comes after these, by name.
const ORDER: [&str; 4] = ["soc2", "iso27001", "gdpr", "hipaa"];

/// The catalogue attribute that groups a framework's coverage summary, in preference order:
/// SOC 2 `category`, ISO `theme`, HIPAA `safeguard`. A framework with none is one group.
const GROUP_BY: [&str; 3] = ["category", "theme", "safeguard"];

/// How a control covers a requirement.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Relationship {
    /// The control maps to the requirement itself.
    Direct,
    /// The control maps to an implementation specification of this standard (HIPAA).
    Via(String),
}

impl Relationship {
    pub fn text(&self) -> String {
        match self {
            Relationship::Direct => "direct".to_string(),
            Relationship::Via(child) => format!("via {child}"),
        }
    }
}

/// One control covering one requirement.
#[derive(Debug)]
pub struct Link<'m> {
    pub control: &'m Control,
    /// Direct first, then the children in catalogue order; never empty.
    pub relationships: Vec<Relationship>,
}

impl Link<'_> {
    /// The control's enforcing policies, sorted.
    pub fn policies(&self) -> Vec<String> {
        sorted(self.control.enforced_by.iter().map(|p| p.to_string()))
    }

    /// The control's evidence paths, sorted.
    pub fn evidence(&self) -> Vec<String> {
        sorted(self.control.evidence.iter().map(|e| e.path.clone()))
    }

    pub fn relationship_texts(&self) -> Vec<String> {
        self.relationships.iter().map(Relationship::text).collect()
    }
}

#[derive(Debug)]
pub struct RequirementCoverage<'m> {
    pub requirement: &'m Requirement,
    /// The controls covering it, by control id.
    pub links: Vec<Link<'m>>,
}

impl RequirementCoverage<'_> {
    pub fn covered(&self) -> bool {
        !self.links.is_empty()
    }
}

/// A coverage group (a SOC 2 category, an ISO theme, a HIPAA safeguard).
#[derive(Debug, PartialEq, Eq)]
pub struct Group {
    pub key: String,
    /// A longer name where the catalogue has one (`category_title`).
    pub title: Option<String>,
    pub covered: usize,
    pub total: usize,
}

#[derive(Debug)]
pub struct FrameworkCoverage<'m> {
    pub framework: &'m Framework,
    pub reqs: Vec<RequirementCoverage<'m>>,
    /// In order of first appearance in the catalogue.
    pub groups: Vec<Group>,
}

impl FrameworkCoverage<'_> {
    pub fn name(&self) -> &str {
        &self.framework.name.name
    }

    pub fn covered(&self) -> usize {
        self.reqs.iter().filter(|r| r.covered()).count()
    }

    pub fn total(&self) -> usize {
        self.reqs.len()
    }
}

#[derive(Debug)]
pub struct Crosswalk<'m> {
    pub frameworks: Vec<FrameworkCoverage<'m>>,
    /// Every control, by id (local name, then package).
    pub controls: Vec<&'m Control>,
}

pub fn control_id(control: &Control) -> &str {
    &control.name.name
}

fn sorted(items: impl Iterator<Item = String>) -> Vec<String> {
    items.collect::<BTreeSet<_>>().into_iter().collect()
}

fn attribute<'r>(req: &'r Requirement, name: &str) -> Option<&'r str> {
    req.attributes
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

fn order_key(fw: &Framework) -> (usize, &str) {
    let name = fw.name.name.as_str();
    let rank = ORDER.iter().position(|n| *n == name).unwrap_or(ORDER.len());
    (rank, name)
}

/// The crosswalk of the frameworks the workspace maps to: those with at least one requirement a
/// control covers (the reviewer's view: an unmapped catalogue is hundreds of uncovered rows).
pub fn mapped(model: &Model) -> Crosswalk<'_> {
    let mut cw = build(model);
    cw.frameworks.retain(|f| f.covered() > 0);
    cw
}

/// The crosswalk of every framework the workspace knows (`crosswalk --diff` compares these).
pub fn build(model: &Model) -> Crosswalk<'_> {
    let mut controls: Vec<&Control> = model.controls.iter().collect();
    controls.sort_by(|a, b| (&a.name.name, &a.name.package).cmp(&(&b.name.name, &b.name.package)));
    let mut frameworks: Vec<&Framework> = model.frameworks.iter().collect();
    frameworks.sort_by(|a, b| order_key(a).cmp(&order_key(b)));
    frameworks.dedup_by(|a, b| a.name == b.name);
    let frameworks = frameworks
        .into_iter()
        .map(|fw| framework(fw, &controls))
        .collect();
    Crosswalk {
        frameworks,
        controls,
    }
}

fn framework<'m>(fw: &'m Framework, controls: &[&'m Control]) -> FrameworkCoverage<'m> {
    let position: BTreeMap<&str, usize> = fw
        .requirements
        .iter()
        .enumerate()
        .map(|(i, r)| (r.id.as_str(), i))
        .collect();
    let parent: BTreeMap<&str, &str> = fw
        .requirements
        .iter()
        .filter_map(|r| r.parent.as_deref().map(|p| (r.id.as_str(), p)))
        .collect();
    // requirement index -> control position -> relationships
    let mut links: BTreeMap<usize, BTreeMap<usize, BTreeSet<(usize, Relationship)>>> =
        BTreeMap::new();
    for (ci, control) in controls.iter().enumerate() {
        for m in control
            .mappings
            .iter()
            .filter(|m| m.framework == fw.name.name)
        {
            let Some(&at) = position.get(m.requirement.as_str()) else {
                continue;
            };
            let rels = links.entry(at).or_default().entry(ci).or_default();
            rels.insert((0, Relationship::Direct));
            // Up the parent chain: a specification counts for its standard (and its standard's
            // parent, should a catalogue nest deeper). Bounded against a cyclic catalogue.
            let mut current = m.requirement.as_str();
            for _ in 0..fw.requirements.len() {
                let Some(&up) = parent.get(current) else {
                    break;
                };
                let Some(&up_at) = position.get(up) else {
                    break;
                };
                links
                    .entry(up_at)
                    .or_default()
                    .entry(ci)
                    .or_default()
                    .insert((1 + at, Relationship::Via(m.requirement.clone())));
                current = up;
            }
        }
    }
    let reqs: Vec<RequirementCoverage<'m>> = fw
        .requirements
        .iter()
        .enumerate()
        .map(|(i, requirement)| RequirementCoverage {
            requirement,
            links: links
                .remove(&i)
                .unwrap_or_default()
                .into_iter()
                .filter_map(|(ci, rels)| {
                    Some(Link {
                        control: controls.get(ci)?,
                        relationships: rels.into_iter().map(|(_, r)| r).collect(),
                    })
                })
                .collect(),
        })
        .collect();
    let groups = groups(&reqs);
    FrameworkCoverage {
        framework: fw,
        reqs,
        groups,
    }
}

/// The attribute that groups these requirements: the first of `category`, `theme`,
/// `safeguard` that any of them has.
pub fn group_attribute(reqs: &[RequirementCoverage<'_>]) -> Option<&'static str> {
    GROUP_BY.into_iter().find(|name| {
        reqs.iter()
            .any(|r| attribute(r.requirement, name).is_some())
    })
}

/// A requirement's group under `by` (`all` when it has none).
pub fn group_key<'r>(req: &'r Requirement, by: Option<&str>) -> &'r str {
    by.and_then(|name| attribute(req, name)).unwrap_or("all")
}

fn groups(reqs: &[RequirementCoverage<'_>]) -> Vec<Group> {
    let by = group_attribute(reqs);
    let mut groups: Vec<Group> = Vec::new();
    for r in reqs {
        let key = group_key(r.requirement, by);
        let at = match groups.iter().position(|g| g.key == key) {
            Some(at) => at,
            None => {
                groups.push(Group {
                    key: key.to_string(),
                    title: attribute(r.requirement, "category_title").map(str::to_string),
                    covered: 0,
                    total: 0,
                });
                groups.len() - 1
            }
        };
        if let Some(g) = groups.get_mut(at) {
            g.total += 1;
            g.covered += usize::from(r.covered());
        }
    }
    groups
}
