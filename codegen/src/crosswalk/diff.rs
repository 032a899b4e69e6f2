//! `charter crosswalk --diff`: what changed in compliance coverage between two models, as data
//! ([`diff`]) and as Markdown for a pull-request comment ([`markdown`]).
//!
//! Coverage comes from the crosswalk view ([`super::view`]), so a mapping to a HIPAA
//! implementation specification also covers its standard, exactly as in `crosswalk.md`. A
//! requirement *gains* coverage when no control covered it before (or it was not in the
//! catalogue) and one does now; it *loses* coverage in the opposite case. Controls are matched
//! by qualified name; a control's re-mapping compares its own `satisfies` list, its evidence
//! change compares its evidence paths.
//!
//! Order, so that the same two models give the same bytes: frameworks as in the crosswalk
//! (`soc2`, `iso27001`, `gdpr`, `hipaa`, then by name), requirements in catalogue order,
//! controls by id, mappings by (framework, requirement), evidence paths sorted.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use charter::ir::{Control, Model};

use super::markdown::cell;
use super::view::{self, Crosswalk, FrameworkCoverage, control_id};
use charter::text::markdown::{code, header, row};

/// A requirement, by id, with its catalogue title.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReqRef {
    pub id: String,
    pub title: String,
}

/// One framework's change in coverage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrameworkDiff {
    pub name: String,
    pub title: String,
    /// Covered and total requirements before; `None` when the framework is new.
    pub before: Option<(usize, usize)>,
    /// Covered and total requirements after; `None` when the framework is gone.
    pub after: Option<(usize, usize)>,
    /// Requirements covered now and not before, in catalogue order.
    pub gained: Vec<ReqRef>,
    /// Requirements covered before and not now, in catalogue order.
    pub lost: Vec<ReqRef>,
}

/// A control mapped to one requirement: `(framework, requirement id, title)`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct MappingRef {
    pub framework: String,
    pub requirement: String,
    /// The requirement's title where the catalogue knows it.
    pub title: Option<String>,
}

/// A control added or removed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ControlRef {
    pub id: String,
    pub title: String,
    pub mappings: Vec<MappingRef>,
    pub evidence: Vec<String>,
}

/// A control present on both sides whose requirements changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Remap {
    pub id: String,
    pub title: String,
    pub added: Vec<MappingRef>,
    pub removed: Vec<MappingRef>,
}

/// A control present on both sides whose evidence paths changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvidenceChange {
    pub id: String,
    pub title: String,
    pub added: Vec<String>,
    pub removed: Vec<String>,
}

/// Everything that changed; frameworks without a change are left out of `frameworks`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Diff {
    pub frameworks: Vec<FrameworkDiff>,
    pub controls_added: Vec<ControlRef>,
    pub controls_removed: Vec<ControlRef>,
    pub remapped: Vec<Remap>,
    pub evidence: Vec<EvidenceChange>,
}

impl Diff {
    /// Requirements that gained coverage, across frameworks.
    pub fn gained(&self) -> usize {
        self.frameworks.iter().map(|f| f.gained.len()).sum()
    }

    /// Requirements that lost coverage, across frameworks.
    pub fn lost(&self) -> usize {
        self.frameworks.iter().map(|f| f.lost.len()).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.frameworks.is_empty()
            && self.controls_added.is_empty()
            && self.controls_removed.is_empty()
            && self.remapped.is_empty()
            && self.evidence.is_empty()
    }
}

/// The change from `old` to `new`.
pub fn diff(old: &Model, new: &Model) -> Diff {
    let old_cw = view::build(old);
    let new_cw = view::build(new);
    let titles = titles(&[&new_cw, &old_cw]);
    Diff {
        frameworks: frameworks(&old_cw, &new_cw),
        controls_added: only_in(&new_cw, &old_cw, &titles),
        controls_removed: only_in(&old_cw, &new_cw, &titles),
        remapped: remapped(&old_cw, &new_cw, &titles),
        evidence: evidence(&old_cw, &new_cw),
    }
}

type Titles = BTreeMap<(String, String), String>;

/// Requirement titles by (framework, id), the new catalogue winning.
fn titles(sides: &[&Crosswalk<'_>]) -> Titles {
    let mut out = Titles::new();
    for cw in sides {
        for fw in &cw.frameworks {
            for r in &fw.reqs {
                out.entry((fw.name().to_string(), r.requirement.id.clone()))
                    .or_insert_with(|| r.requirement.title.clone());
            }
        }
    }
    out
}

fn covered_ids<'a>(fw: &'a FrameworkCoverage<'_>) -> BTreeSet<&'a str> {
    fw.reqs
        .iter()
        .filter(|r| r.covered())
        .map(|r| r.requirement.id.as_str())
        .collect()
}

fn frameworks(old: &Crosswalk<'_>, new: &Crosswalk<'_>) -> Vec<FrameworkDiff> {
    // The new side's order, then frameworks only the old side has, in its order.
    let mut names: Vec<&str> = new.frameworks.iter().map(FrameworkCoverage::name).collect();
    for fw in &old.frameworks {
        if !names.contains(&fw.name()) {
            names.push(fw.name());
        }
    }
    let find = |cw: &'_ Crosswalk<'_>, name: &str| -> Option<usize> {
        cw.frameworks.iter().position(|f| f.name() == name)
    };
    let mut out = Vec::new();
    for name in names {
        let before = find(old, name).and_then(|i| old.frameworks.get(i));
        let after = find(new, name).and_then(|i| new.frameworks.get(i));
        let was: BTreeSet<&str> = before.map(covered_ids).unwrap_or_default();
        let now: BTreeSet<&str> = after.map(covered_ids).unwrap_or_default();
        let in_order =
            |fw: Option<&FrameworkCoverage<'_>>, keep: &dyn Fn(&str) -> bool| -> Vec<ReqRef> {
                fw.map(|fw| {
                    fw.reqs
                        .iter()
                        .filter(|r| keep(&r.requirement.id))
                        .map(|r| ReqRef {
                            id: r.requirement.id.clone(),
                            title: r.requirement.title.clone(),
                        })
                        .collect()
                })
                .unwrap_or_default()
            };
        let gained = in_order(after, &|id| now.contains(id) && !was.contains(id));
        let lost = in_order(before, &|id| was.contains(id) && !now.contains(id));
        let counts = |fw: Option<&FrameworkCoverage<'_>>| fw.map(|f| (f.covered(), f.total()));
        let (b, a) = (counts(before), counts(after));
        if gained.is_empty() && lost.is_empty() && b == a {
            continue;
        }
        let title = after
            .or(before)
            .map(|f| f.framework.title.clone())
            .unwrap_or_default();
        out.push(FrameworkDiff {
            name: name.to_string(),
            title,
            before: b,
            after: a,
            gained,
            lost,
        });
    }
    out
}

fn key(control: &Control) -> (&str, &str) {
    (&control.name.name, &control.name.package)
}

fn mappings(control: &Control, titles: &Titles) -> BTreeSet<MappingRef> {
    control
        .mappings
        .iter()
        .map(|m| MappingRef {
            framework: m.framework.clone(),
            requirement: m.requirement.clone(),
            title: titles
                .get(&(m.framework.clone(), m.requirement.clone()))
                .cloned(),
        })
        .collect()
}

fn evidence_paths(control: &Control) -> BTreeSet<String> {
    control.evidence.iter().map(|e| e.path.clone()).collect()
}

/// Controls of `side` that `other` lacks, by id.
fn only_in(side: &Crosswalk<'_>, other: &Crosswalk<'_>, titles: &Titles) -> Vec<ControlRef> {
    let theirs: BTreeSet<(&str, &str)> = other.controls.iter().map(|c| key(c)).collect();
    side.controls
        .iter()
        .filter(|c| !theirs.contains(&key(c)))
        .map(|c| ControlRef {
            id: control_id(c).to_string(),
            title: c.title.clone(),
            mappings: mappings(c, titles).into_iter().collect(),
            evidence: evidence_paths(c).into_iter().collect(),
        })
        .collect()
}

/// The controls on both sides, by id: `(old, new)`.
fn common<'m>(old: &Crosswalk<'m>, new: &Crosswalk<'m>) -> Vec<(&'m Control, &'m Control)> {
    let before: BTreeMap<(&str, &str), &Control> =
        old.controls.iter().map(|c| (key(c), *c)).collect();
    new.controls
        .iter()
        .filter_map(|c| before.get(&key(c)).map(|o| (*o, *c)))
        .collect()
}

fn remapped(old: &Crosswalk<'_>, new: &Crosswalk<'_>, titles: &Titles) -> Vec<Remap> {
    common(old, new)
        .into_iter()
        .filter_map(|(o, n)| {
            let (was, now) = (mappings(o, titles), mappings(n, titles));
            let added: Vec<MappingRef> = now.difference(&was).cloned().collect();
            let removed: Vec<MappingRef> = was.difference(&now).cloned().collect();
            (!added.is_empty() || !removed.is_empty()).then(|| Remap {
                id: control_id(n).to_string(),
                title: n.title.clone(),
                added,
                removed,
            })
        })
        .collect()
}

fn evidence(old: &Crosswalk<'_>, new: &Crosswalk<'_>) -> Vec<EvidenceChange> {
    common(old, new)
        .into_iter()
        .filter_map(|(o, n)| {
            let (was, now) = (evidence_paths(o), evidence_paths(n));
            let added: Vec<String> = now.difference(&was).cloned().collect();
            let removed: Vec<String> = was.difference(&now).cloned().collect();
            (!added.is_empty() || !removed.is_empty()).then(|| EvidenceChange {
                id: control_id(n).to_string(),
                title: n.title.clone(),
                added,
                removed,
            })
        })
        .collect()
}

fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

fn list(items: &[String]) -> String {
    if items.is_empty() {
        "—".to_string()
    } else {
        items
            .iter()
            .map(|i| cell(i))
            .collect::<Vec<_>>()
            .join("<br>")
    }
}

fn mapping_text(m: &MappingRef) -> String {
    match &m.title {
        Some(title) => format!("{} {} — {}", m.framework, m.requirement, title),
        None => format!("{} {}", m.framework, m.requirement),
    }
}

fn mapping_list(items: &[MappingRef]) -> String {
    list(&items.iter().map(mapping_text).collect::<Vec<_>>())
}

fn counts(c: Option<(usize, usize)>) -> String {
    c.map_or_else(|| "—".to_string(), |(c, t)| format!("{c}/{t}"))
}

fn requirements(
    out: &mut String,
    heading: &str,
    diff: &Diff,
    pick: fn(&FrameworkDiff) -> &[ReqRef],
) {
    let total: usize = diff.frameworks.iter().map(|f| pick(f).len()).sum();
    if total == 0 {
        return;
    }
    let _ = write!(out, "\n### {heading} ({total})\n");
    for fw in &diff.frameworks {
        let reqs = pick(fw);
        if reqs.is_empty() {
            continue;
        }
        let _ = write!(out, "\n#### {} (`{}`)\n\n", cell(&fw.title), fw.name);
        header(out, &["Requirement", "Title"]);
        for r in reqs {
            row(out, &[cell(&r.id), cell(&r.title)]);
        }
    }
}

fn controls(out: &mut String, heading: &str, items: &[ControlRef]) {
    if items.is_empty() {
        return;
    }
    let _ = write!(out, "\n### {heading} ({})\n\n", items.len());
    header(out, &["Control", "Title", "Requirements", "Evidence"]);
    for c in items {
        row(
            out,
            &[
                cell(&c.id),
                cell(&c.title),
                mapping_list(&c.mappings),
                list(&c.evidence),
            ],
        );
    }
}

/// The diff as Markdown for a pull-request comment. `old` and `new` name the two sides (a
/// revision or a folder), shown in the heading.
pub fn markdown(diff: &Diff, old: &str, new: &str) -> String {
    let mut out = String::from("## Compliance coverage changes\n\n");
    let _ = writeln!(out, "Comparing {} → {}.\n", code(old), code(new));
    if diff.is_empty() {
        out.push_str("No change in compliance coverage.\n");
        return out;
    }
    let _ = writeln!(
        out,
        "**{} gained coverage, {} lost coverage.**",
        plural(diff.gained(), "requirement"),
        plural(diff.lost(), "requirement")
    );
    if !diff.frameworks.is_empty() {
        out.push('\n');
        header(
            &mut out,
            &["Framework", "Before", "After", "Gained", "Lost"],
        );
        for fw in &diff.frameworks {
            row(
                &mut out,
                &[
                    format!("{} (`{}`)", cell(&fw.title), fw.name),
                    counts(fw.before),
                    counts(fw.after),
                    format!("+{}", fw.gained.len()),
                    format!("−{}", fw.lost.len()),
                ],
            );
        }
    }
    requirements(&mut out, "Requirements that lost coverage", diff, |f| {
        &f.lost
    });
    requirements(&mut out, "Requirements that gained coverage", diff, |f| {
        &f.gained
    });
    controls(&mut out, "Controls added", &diff.controls_added);
    controls(&mut out, "Controls removed", &diff.controls_removed);
    if !diff.remapped.is_empty() {
        let _ = write!(
            out,
            "\n### Controls re-mapped ({})\n\n",
            diff.remapped.len()
        );
        header(
            &mut out,
            &[
                "Control",
                "Title",
                "Requirements added",
                "Requirements removed",
            ],
        );
        for r in &diff.remapped {
            row(
                &mut out,
                &[
                    cell(&r.id),
                    cell(&r.title),
                    mapping_list(&r.added),
                    mapping_list(&r.removed),
                ],
            );
        }
    }
    if !diff.evidence.is_empty() {
        let _ = write!(out, "\n### Evidence changes ({})\n\n", diff.evidence.len());
        header(
            &mut out,
            &["Control", "Title", "Evidence added", "Evidence removed"],
        );
        for e in &diff.evidence {
            row(
                &mut out,
                &[
                    cell(&e.id),
                    cell(&e.title),
                    list(&e.added),
                    list(&e.removed),
                ],
            );
        }
    }
    out
}

/// The diff as JSON (`charter crosswalk --diff OLD --format json`): the same content as
/// [`markdown`], for tools. Version 1 of the shape: `old`, `new`, `gained`, `lost`, then
/// `frameworks` (with `before`/`after` as `{covered, total}` or `null`), `controls_added`,
/// `controls_removed`, `remapped` and `evidence`, in the order of the Markdown.
pub fn json(diff: &Diff, old: &str, new: &str) -> serde_json::Value {
    use serde_json::json;
    let counts = |c: Option<(usize, usize)>| {
        c.map_or(
            serde_json::Value::Null,
            |(covered, total)| json!({ "covered": covered, "total": total }),
        )
    };
    let reqs = |list: &[ReqRef]| -> Vec<serde_json::Value> {
        list.iter()
            .map(|r| json!({ "id": r.id, "title": r.title }))
            .collect()
    };
    let mappings = |list: &[MappingRef]| -> Vec<serde_json::Value> {
        list.iter()
            .map(|m| json!({ "framework": m.framework, "requirement": m.requirement, "title": m.title }))
            .collect()
    };
    let controls = |list: &[ControlRef]| -> Vec<serde_json::Value> {
        list.iter()
            .map(|c| {
                json!({
                    "id": c.id, "title": c.title,
                    "mappings": mappings(&c.mappings), "evidence": c.evidence,
                })
            })
            .collect()
    };
    json!({
        "version": 1,
        "old": old,
        "new": new,
        "gained": diff.gained(),
        "lost": diff.lost(),
        "frameworks": diff.frameworks.iter().map(|f| json!({
            "framework": f.name,
            "title": f.title,
            "before": counts(f.before),
            "after": counts(f.after),
            "gained": reqs(&f.gained),
            "lost": reqs(&f.lost),
        })).collect::<Vec<_>>(),
        "controls_added": controls(&diff.controls_added),
        "controls_removed": controls(&diff.controls_removed),
        "remapped": diff.remapped.iter().map(|r| json!({
            "id": r.id, "title": r.title,
            "added": mappings(&r.added), "removed": mappings(&r.removed),
        })).collect::<Vec<_>>(),
        "evidence": diff.evidence.iter().map(|e| json!({
            "id": e.id, "title": e.title, "added": e.added, "removed": e.removed,
        })).collect::<Vec<_>>(),
    })
}
