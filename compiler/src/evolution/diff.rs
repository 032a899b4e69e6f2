//! The diff engine: declarations matched by identity (package and name; members by name),
//! every difference classified into one change kind. Renames are reported where unambiguous:
//! within one owner exactly one member removed and one added, of the same shape.

use std::collections::{BTreeMap, BTreeSet};

use super::flow;
use super::kinds::{self as k, KindInfo, Severity};
use crate::api::{Dir, Reach};
use crate::ir::{Constraint, Deprecation, Loc, Model, QualName, Type, Value};

/// Where a change applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Where {
    Request,
    Response,
    Both,
    /// Policies, controls, threats: not part of a payload.
    None,
}

impl Where {
    pub fn as_str(self) -> &'static str {
        match self {
            Where::Request => "request",
            Where::Response => "response",
            Where::Both => "both",
            Where::None => "-",
        }
    }
}

/// How a policy change moves its decisions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Permissive {
    More,
    Less,
}

impl Permissive {
    pub fn as_str(self) -> &'static str {
        match self {
            Permissive::More => "more permissive",
            Permissive::Less => "less permissive",
        }
    }
}

/// One classified change.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Change {
    pub kind: KindInfo,
    pub place: Where,
    /// The declaration path: `pkg.Record.field`, `pkg.Service.op.param`, `pkg.policy.rule`.
    pub path: String,
    /// The service the change belongs to (`pkg.Service`), if any; otherwise the package.
    pub service: Option<String>,
    pub package: String,
    /// What happened, in words.
    pub detail: String,
    pub old: Option<Loc>,
    pub new: Option<Loc>,
    pub permissive: Option<Permissive>,
    /// A migration hint for release notes.
    pub hint: Option<String>,
    /// For removals: the deprecation that announced it (the item's, or its owner's).
    pub deprecation: Option<Deprecation>,
    /// The reason of the `@approved_breaking` that covers this change, if any.
    pub approval: Option<String>,
    /// For a renamed record or operation: its new local name (`path` holds the old one). The
    /// SDK targets' compatibility shims read it.
    pub renamed_to: Option<String>,
}

impl Change {
    pub fn severity(&self) -> Severity {
        self.kind.severity
    }
}

/// Builds changes; the context shared by the per-subject diff functions.
pub(super) struct Cx<'m> {
    pub old: &'m Model,
    pub new: &'m Model,
    pub old_flow: Reach<'m>,
    pub new_flow: Reach<'m>,
    pub out: Vec<Change>,
}

/// A change before its common fields are filled in.
pub(super) struct Draft {
    pub kind: KindInfo,
    pub place: Where,
    pub path: String,
    pub service: Option<String>,
    pub package: String,
    pub detail: String,
    pub old: Option<Loc>,
    pub new: Option<Loc>,
}

impl Draft {
    pub fn new(kind: KindInfo, path: String, package: &str, detail: String) -> Draft {
        Draft {
            kind,
            place: Where::None,
            path,
            service: None,
            package: package.to_string(),
            detail,
            old: None,
            new: None,
        }
    }
    pub fn place(mut self, place: Where) -> Self {
        self.place = place;
        self
    }
    pub fn service(mut self, service: &QualName) -> Self {
        self.service = Some(service.to_string());
        self
    }
    pub fn locs(mut self, old: Option<&Loc>, new: Option<&Loc>) -> Self {
        self.old = old.cloned();
        self.new = new.cloned();
        self
    }
}

impl Cx<'_> {
    pub fn push(&mut self, d: Draft) -> &mut Change {
        self.out.push(Change {
            kind: d.kind,
            place: d.place,
            path: d.path,
            service: d.service,
            package: d.package,
            detail: d.detail,
            old: d.old,
            new: d.new,
            permissive: None,
            hint: None,
            deprecation: None,
            approval: None,
            renamed_to: None,
        });
        let last = self.out.len() - 1;
        #[expect(
            clippy::indexing_slicing,
            reason = "the element was pushed on the line above"
        )]
        &mut self.out[last]
    }

    /// The direction bits of a named type.
    pub fn dir(&self, name: &QualName) -> Dir {
        flow::dir(&self.old_flow, &self.new_flow, name)
    }
}

/// Picks the kind for a change to a type flowing in `dir`: the request kind, the response
/// kind, or, when it flows both ways, the more severe of the two.
pub(super) fn pick(dir: Dir, request: KindInfo, response: KindInfo) -> (KindInfo, Where) {
    let req = dir.is_request();
    let resp = dir.is_response();
    match (req, resp) {
        (true, false) => (request, Where::Request),
        (false, true) => (response, Where::Response),
        _ if request.severity >= response.severity => (request, Where::Both),
        _ => (response, Where::Both),
    }
}

/// Every change from `old` to `new`, in a deterministic order (by path, then kind id).
pub fn diff(old: &Model, new: &Model) -> Vec<Change> {
    let mut cx = Cx {
        old,
        new,
        old_flow: flow::of(old),
        new_flow: flow::of(new),
        out: Vec::new(),
    };
    super::diff_types::records(&mut cx);
    super::diff_types::enums(&mut cx);
    super::diff_types::aliases(&mut cx);
    super::diff_types::inputs(&mut cx, &old.entities, &new.entities, "entity");
    super::diff_types::inputs(&mut cx, &old.contexts, &new.contexts, "context");
    super::diff_contract::services(&mut cx);
    super::diff_policy::policies(&mut cx);
    super::diff_policy::controls(&mut cx);
    super::diff_policy::threats(&mut cx);
    let mut out = cx.out;
    for change in &mut out {
        change.approval = approval(new, &change.path);
    }
    out.sort_by(|a, b| (&a.path, a.kind.id).cmp(&(&b.path, b.kind.id)));
    out.dedup();
    out
}

/// The reason of the `@approved_breaking` on the declaration at `path` or one of its owners.
fn approval(model: &Model, path: &str) -> Option<String> {
    model
        .approvals
        .iter()
        .filter(|a| {
            path == a.target
                || path
                    .strip_prefix(a.target.as_str())
                    .is_some_and(|rest| rest.starts_with('.'))
        })
        .max_by_key(|a| a.target.len())
        .map(|a| a.reason.clone())
}

/// Pairs items by key: (removed, common, added), each in the order of its side.
pub(super) fn pair<'a, T, K: Ord>(
    old: &'a [T],
    new: &'a [T],
    key: impl Fn(&T) -> K,
) -> (Vec<&'a T>, Vec<(&'a T, &'a T)>, Vec<&'a T>) {
    let new_by_key: BTreeMap<K, &'a T> = new.iter().map(|n| (key(n), n)).collect();
    let old_keys: BTreeSet<K> = old.iter().map(&key).collect();
    let mut removed = Vec::new();
    let mut common = Vec::new();
    for o in old {
        match new_by_key.get(&key(o)) {
            Some(n) => common.push((o, *n)),
            None => removed.push(o),
        }
    }
    let added = new.iter().filter(|n| !old_keys.contains(&key(n))).collect();
    (removed, common, added)
}

/// Pairs the removed and added members that travel under the same wire name: only their
/// identifiers changed (each pair is taken out of `removed` and `added`).
pub(super) fn same_wire<'a, T>(
    removed: &mut Vec<&'a T>,
    added: &mut Vec<&'a T>,
    wire: impl Fn(&T) -> &str,
) -> Vec<(&'a T, &'a T)> {
    let mut out = Vec::new();
    removed.retain(|r| match added.iter().position(|a| wire(a) == wire(r)) {
        Some(i) => {
            out.push((*r, added.remove(i)));
            false
        }
        None => true,
    });
    out
}

/// Detects one rename: exactly one removed and one added, and `same` holds for them.
pub(super) fn rename<'a, T>(
    removed: &mut Vec<&'a T>,
    added: &mut Vec<&'a T>,
    same: impl Fn(&T, &T) -> bool,
) -> Option<(&'a T, &'a T)> {
    match (removed.as_slice(), added.as_slice()) {
        ([r], [a]) if same(r, a) => {
            let pair = (*r, *a);
            removed.clear();
            added.clear();
            Some(pair)
        }
        _ => None,
    }
}

/// How a type changed, ignoring an outer `?`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Delta {
    Same,
    Tightened,
    Loosened,
    Changed,
}

fn bound(n: Option<&crate::ir::Number>, missing: f64) -> f64 {
    n.map_or(missing, crate::ir::Number::as_f64)
}

/// Compares two types by their values: refinements tightened or loosened, anything else changed.
pub(super) fn delta(old: &Type, new: &Type) -> Delta {
    if old == new {
        return Delta::Same;
    }
    match (old, new) {
        (Type::Refined(a, ca), Type::Refined(b, cb)) if a == b => match (&**ca, &**cb) {
            (
                Constraint::Range {
                    min: omin,
                    max: omax,
                },
                Constraint::Range {
                    min: nmin,
                    max: nmax,
                },
            ) => {
                let lo_in = bound(nmin.as_ref(), f64::NEG_INFINITY)
                    >= bound(omin.as_ref(), f64::NEG_INFINITY);
                let hi_in =
                    bound(nmax.as_ref(), f64::INFINITY) <= bound(omax.as_ref(), f64::INFINITY);
                let lo_out = bound(nmin.as_ref(), f64::NEG_INFINITY)
                    <= bound(omin.as_ref(), f64::NEG_INFINITY);
                let hi_out =
                    bound(nmax.as_ref(), f64::INFINITY) >= bound(omax.as_ref(), f64::INFINITY);
                if lo_in && hi_in {
                    Delta::Tightened
                } else if lo_out && hi_out {
                    Delta::Loosened
                } else {
                    Delta::Changed
                }
            }
            _ => Delta::Changed,
        },
        (Type::Refined(a, _), b) if **a == *b => Delta::Loosened,
        (a, Type::Refined(b, _)) if *a == **b => Delta::Tightened,
        (Type::List(a), Type::List(b))
        | (Type::Set(a), Type::Set(b))
        | (Type::Map(a), Type::Map(b))
        | (Type::Optional(a), Type::Optional(b)) => delta(a, b),
        _ => Delta::Changed,
    }
}

pub(super) fn show_value(v: &Value) -> String {
    match v {
        Value::Null => "none".into(),
        Value::Bool(b) => b.to_string(),
        Value::Int(i) => i.to_string(),
        Value::Float(n) => n.as_str().to_string(),
        Value::String(s) => format!("{s:?}"),
        Value::Enum { variant, .. } => variant.to_string(),
        Value::List(items) => format!(
            "[{}]",
            items.iter().map(show_value).collect::<Vec<_>>().join(", ")
        ),
        Value::Object(_) => "{...}".into(),
    }
}

pub(super) fn lifecycle(
    cx: &mut Cx<'_>,
    old: Option<&Deprecation>,
    new: Option<&Deprecation>,
    base: Draft,
) {
    let detail = |what: &str| what.to_string();
    let (kind, text) = match (old, new) {
        (None, Some(d)) => (
            k::DEPRECATED,
            detail(&format!(
                "deprecated since {}{}",
                d.since,
                d.sunset
                    .map(|s| format!(", sunset {s}"))
                    .unwrap_or_default()
            )),
        ),
        (Some(_), None) => (k::DEPRECATION_WITHDRAWN, detail("no longer deprecated")),
        (Some(o), Some(n)) => match (o.sunset, n.sunset) {
            (Some(a), Some(b)) if b < a => (
                k::SUNSET_EARLIER,
                detail(&format!("sunset moved earlier: {a} -> {b}")),
            ),
            (Some(a), Some(b)) if b > a => (
                k::SUNSET_LATER,
                detail(&format!("sunset moved later: {a} -> {b}")),
            ),
            (None, Some(b)) => (k::SUNSET_SET, detail(&format!("now sunsets on {b}"))),
            (Some(a), None) => (
                k::SUNSET_REMOVED,
                detail(&format!("no longer sunsets on {a}")),
            ),
            _ => return,
        },
        (None, None) => return,
    };
    let hint = new.and_then(|d| {
        let mut parts = Vec::new();
        if let Some(r) = &d.replacement {
            parts.push(format!("use `{r}` instead"));
        }
        if let Some(n) = &d.note {
            parts.push(n.clone());
        }
        (!parts.is_empty()).then(|| parts.join("; "))
    });
    let change = cx.push(Draft {
        kind,
        detail: text,
        ..base
    });
    if kind.id == k::DEPRECATED.id {
        change.hint = hint;
    }
}
