//! The diff engine: declarations matched by identity (package and name; members by name),
//! every difference classified into one change kind. Renames are reported where unambiguous:
//! within one owner exactly one member removed and one added, of the same shape.

use std::collections::BTreeSet;

use super::flow::{self, Flow};
use super::kinds::{self as k, KindInfo, Severity};
use crate::ir::{
    Constraint, Deprecation, Enum, Field, Loc, Model, QualName, Record, Shape, Type, Value,
};

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
    pub old_flow: Flow,
    pub new_flow: Flow,
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
        });
        let last = self.out.len() - 1;
        #[expect(
            clippy::indexing_slicing,
            reason = "the element was pushed on the line above"
        )]
        &mut self.out[last]
    }

    /// The direction bits of a named type.
    pub fn dir(&self, name: &QualName) -> u8 {
        Flow::dir(&self.old_flow, &self.new_flow, name)
    }
}

/// Picks the kind for a change to a type flowing in `dir`: the request kind, the response
/// kind, or, when it flows both ways, the more severe of the two.
pub(super) fn pick(dir: u8, request: KindInfo, response: KindInfo) -> (KindInfo, Where) {
    let req = dir & flow::REQUEST != 0;
    let resp = dir & flow::RESPONSE != 0;
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
        old_flow: Flow::of(old),
        new_flow: Flow::of(new),
        out: Vec::new(),
    };
    records(&mut cx);
    enums(&mut cx);
    aliases(&mut cx);
    inputs(&mut cx, &old.entities, &new.entities, "entity");
    inputs(&mut cx, &old.contexts, &new.contexts, "context");
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
    let new_keys: BTreeSet<K> = new.iter().map(&key).collect();
    let old_keys: BTreeSet<K> = old.iter().map(&key).collect();
    let removed = old.iter().filter(|o| !new_keys.contains(&key(o))).collect();
    let added = new.iter().filter(|n| !old_keys.contains(&key(n))).collect();
    let common = old
        .iter()
        .filter_map(|o| new.iter().find(|n| key(n) == key(o)).map(|n| (o, n)))
        .collect();
    (removed, common, added)
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
        (Type::Refined(a, ca), Type::Refined(b, cb)) if a == b => match (ca, cb) {
            (
                Constraint::Range { min: omin, max: omax },
                Constraint::Range { min: nmin, max: nmax },
            ) => {
                let lo_in = bound(nmin.as_ref(), f64::NEG_INFINITY)
                    >= bound(omin.as_ref(), f64::NEG_INFINITY);
                let hi_in = bound(nmax.as_ref(), f64::INFINITY) <= bound(omax.as_ref(), f64::INFINITY);
                let lo_out = bound(nmin.as_ref(), f64::NEG_INFINITY)
                    <= bound(omin.as_ref(), f64::NEG_INFINITY);
                let hi_out = bound(nmax.as_ref(), f64::INFINITY) >= bound(omax.as_ref(), f64::INFINITY);
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
        Value::Float(n) => n.0.clone(),
        Value::String(s) => format!("{s:?}"),
        Value::Enum { variant, .. } => variant.clone(),
        Value::List(items) => format!(
            "[{}]",
            items.iter().map(show_value).collect::<Vec<_>>().join(", ")
        ),
        Value::Object(_) => "{...}".into(),
    }
}

fn required(f: &Field) -> bool {
    !f.ty.is_optional() && f.default.is_none()
}

/// The deprecation lifecycle of one item: deprecated, withdrawn, sunset moved.
pub(super) fn lifecycle(
    cx: &mut Cx<'_>,
    old: Option<&Deprecation>,
    new: Option<&Deprecation>,
    base: Draft,
) {
    let detail = |what: &str| format!("`{}` {what}", base.path);
    let (kind, text) = match (old, new) {
        (None, Some(d)) => (
            k::DEPRECATED,
            detail(&format!(
                "deprecated since {}{}",
                d.since,
                d.sunset.map(|s| format!(", sunset {s}")).unwrap_or_default()
            )),
        ),
        (Some(_), None) => (k::DEPRECATION_WITHDRAWN, detail("is no longer deprecated")),
        (Some(o), Some(n)) => match (o.sunset, n.sunset) {
            (Some(a), Some(b)) if b < a => {
                (k::SUNSET_EARLIER, detail(&format!("sunset moved earlier: {a} -> {b}")))
            }
            (Some(a), Some(b)) if b > a => {
                (k::SUNSET_LATER, detail(&format!("sunset moved later: {a} -> {b}")))
            }
            (None, Some(b)) => (k::SUNSET_SET, detail(&format!("now sunsets on {b}"))),
            (Some(a), None) => (k::SUNSET_REMOVED, detail(&format!("no longer sunsets on {a}"))),
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

/// A record's or shape's field changes, classified by direction (`dir`) or, for policy
/// inputs (`input` set), with the input kinds.
pub(super) fn fields(
    cx: &mut Cx<'_>,
    owner: &QualName,
    old: &[Field],
    new: &[Field],
    dir: u8,
    input: bool,
    locs: (&Loc, &Loc),
    owner_dep: Option<&Deprecation>,
) {
    let (mut removed, common, mut added) = pair(old, new, |f| f.name.clone());
    let base = |name: &str, detail: String| {
        Draft::new(k::FIELD_RENAMED, format!("{owner}.{name}"), &owner.package, detail)
            .locs(Some(locs.0), Some(locs.1))
    };
    if let Some((r, a)) = rename(&mut removed, &mut added, |r, a| r.ty == a.ty && r.default == a.default) {
        let kind = if input { k::INPUT_ATTR_REMOVED } else { k::FIELD_RENAMED };
        let (kind, place) = if input { (kind, Where::Request) } else { pick(dir, kind, kind) };
        let c = cx.push(Draft {
            kind,
            ..base(&r.name, format!("field `{}` renamed to `{}`", r.name, a.name)).place(place)
        });
        c.hint = Some(format!("renamed `{}` -> `{}`", r.name, a.name));
        c.deprecation = r.deprecated.clone().or_else(|| owner_dep.cloned());
    }
    for f in removed {
        let (kind, place) = if input {
            (k::INPUT_ATTR_REMOVED, Where::Request)
        } else {
            pick(dir, k::FIELD_REMOVED_REQUEST, k::FIELD_REMOVED_RESPONSE)
        };
        let c = cx.push(Draft {
            kind,
            ..base(&f.name, format!("field `{}: {}` removed", f.name, f.ty.display())).place(place)
        });
        c.deprecation = f.deprecated.clone().or_else(|| owner_dep.cloned());
    }
    for f in added {
        let req = required(f);
        let (kind, place) = match (input, req) {
            (true, true) => (k::INPUT_ATTR_ADDED_REQUIRED, Where::Request),
            (true, false) => (k::INPUT_ATTR_ADDED_OPTIONAL, Where::Request),
            (false, true) => pick(dir, k::FIELD_ADDED_REQUIRED_REQUEST, k::FIELD_ADDED_RESPONSE),
            (false, false) => pick(dir, k::FIELD_ADDED_OPTIONAL_REQUEST, k::FIELD_ADDED_RESPONSE),
        };
        let c = cx.push(Draft {
            kind,
            ..base(
                &f.name,
                format!(
                    "field `{}: {}` added{}",
                    f.name,
                    f.ty.display(),
                    if req { ", required" } else { "" }
                ),
            )
            .place(place)
        });
        if req && place != Where::Response {
            c.hint = Some(format!("send the new required field `{}`", f.name));
        }
    }
    for (o, n) in common {
        let b = |detail: String| base(&n.name, detail);
        let d = delta(o.ty.unwrap_optional(), n.ty.unwrap_optional());
        let types = format!("`{}` -> `{}`", o.ty.display(), n.ty.display());
        if input {
            if o.ty != n.ty {
                cx.push(Draft {
                    kind: k::INPUT_ATTR_TYPE_CHANGED,
                    ..b(format!("attribute `{}` type {types}", n.name)).place(Where::Request)
                });
            }
            continue;
        }
        match d {
            Delta::Same => {}
            Delta::Changed => {
                let (kind, place) = pick(dir, k::FIELD_TYPE_CHANGED, k::FIELD_TYPE_CHANGED);
                cx.push(Draft { kind, ..b(format!("field `{}` type {types}", n.name)).place(place) });
            }
            Delta::Tightened => {
                let (kind, place) = pick(dir, k::FIELD_TIGHTENED_REQUEST, k::FIELD_TIGHTENED_RESPONSE);
                cx.push(Draft { kind, ..b(format!("field `{}` {types}", n.name)).place(place) });
            }
            Delta::Loosened => {
                let (kind, place) = pick(dir, k::FIELD_LOOSENED_REQUEST, k::FIELD_LOOSENED_RESPONSE);
                cx.push(Draft { kind, ..b(format!("field `{}` {types}", n.name)).place(place) });
            }
        }
        match (required(o), required(n)) {
            (false, true) => {
                let (kind, place) =
                    pick(dir, k::FIELD_MADE_REQUIRED_REQUEST, k::FIELD_MADE_REQUIRED_RESPONSE);
                let c = cx.push(Draft { kind, ..b(format!("field `{}` is now required", n.name)).place(place) });
                if place != Where::Response {
                    c.hint = Some(format!("always send `{}`", n.name));
                }
            }
            (true, false) => {
                let (kind, place) =
                    pick(dir, k::FIELD_MADE_OPTIONAL_REQUEST, k::FIELD_MADE_OPTIONAL_RESPONSE);
                cx.push(Draft { kind, ..b(format!("field `{}` is now optional", n.name)).place(place) });
            }
            _ => {}
        }
        if let (Some(a), Some(z)) = (&o.default, &n.default)
            && a != z
        {
            let (kind, place) = pick(dir, k::FIELD_DEFAULT_CHANGED, k::FIELD_DEFAULT_CHANGED);
            cx.push(Draft {
                kind,
                ..b(format!("field `{}` default {} -> {}", n.name, show_value(a), show_value(z))).place(place)
            });
        }
        lifecycle(cx, o.deprecated.as_ref(), n.deprecated.as_ref(), b(String::new()));
    }
}

fn records(cx: &mut Cx<'_>) {
    let (mut removed, common, mut added) = pair(&cx.old.records, &cx.new.records, |r| r.name.clone());
    let same = |a: &Record, b: &Record| {
        a.name.package == b.name.package && a.fields == b.fields && a.with_provenance == b.with_provenance
    };
    if let Some((r, a)) = rename(&mut removed, &mut added, same) {
        let c = cx.push(
            Draft::new(
                k::RECORD_RENAMED,
                r.name.to_string(),
                &r.name.package,
                format!("record `{}` renamed to `{}`", r.name.name, a.name.name),
            )
            .place(Where::Both)
            .locs(Some(&r.loc), Some(&a.loc)),
        );
        c.hint = Some(format!("renamed `{}` -> `{}`", r.name.name, a.name.name));
        c.deprecation = r.deprecated.clone();
    }
    for r in removed {
        let c = cx.push(
            Draft::new(k::RECORD_REMOVED, r.name.to_string(), &r.name.package, format!("record `{}` removed", r.name.name))
                .place(Where::Both)
                .locs(Some(&r.loc), None),
        );
        c.deprecation = r.deprecated.clone();
    }
    for r in added {
        cx.push(
            Draft::new(k::RECORD_ADDED, r.name.to_string(), &r.name.package, format!("record `{}` added", r.name.name))
                .place(Where::Both)
                .locs(None, Some(&r.loc)),
        );
    }
    for (o, n) in common {
        let dir = cx.dir(&n.name);
        let base = Draft::new(k::RECORD_ADDED, n.name.to_string(), &n.name.package, String::new())
            .locs(Some(&o.loc), Some(&n.loc));
        if o.with_provenance != n.with_provenance {
            cx.push(Draft {
                kind: k::RECORD_PROVENANCE_CHANGED,
                detail: format!(
                    "record `{}` {} `with provenance`",
                    n.name.name,
                    if n.with_provenance { "gained" } else { "lost" }
                ),
                ..Draft::new(k::RECORD_ADDED, n.name.to_string(), &n.name.package, String::new())
                    .locs(Some(&o.loc), Some(&n.loc))
                    .place(Where::Both)
            });
        }
        // The envelope field itself is reported by the change above.
        let strip = |r: &Record| -> Vec<Field> {
            r.fields.iter().filter(|f| !(r.with_provenance && f.name == "provenance")).cloned().collect()
        };
        let (of, nf) = (strip(o), strip(n));
        fields(cx, &n.name, &of, &nf, dir, false, (&o.loc, &n.loc), o.deprecated.as_ref());
        lifecycle(cx, o.deprecated.as_ref(), n.deprecated.as_ref(), base);
    }
}

fn enums(cx: &mut Cx<'_>) {
    let (removed, common, added) = pair(&cx.old.enums, &cx.new.enums, |e| e.name.clone());
    for e in removed {
        let c = cx.push(
            Draft::new(k::ENUM_REMOVED, e.name.to_string(), &e.name.package, format!("enum `{}` removed", e.name.name))
                .place(Where::Both)
                .locs(Some(&e.loc), None),
        );
        c.deprecation = e.deprecated.clone();
    }
    for e in added {
        cx.push(
            Draft::new(k::ENUM_ADDED, e.name.to_string(), &e.name.package, format!("enum `{}` added", e.name.name))
                .place(Where::Both)
                .locs(None, Some(&e.loc)),
        );
    }
    for (o, n) in common {
        enum_values(cx, o, n);
    }
}

fn enum_values(cx: &mut Cx<'_>, o: &Enum, n: &Enum) {
    let dir = cx.dir(&n.name);
    let draft = |kind: KindInfo, member: &str, detail: String| {
        let path = if member.is_empty() { n.name.to_string() } else { format!("{}.{member}", n.name) };
        Draft::new(kind, path, &n.name.package, detail).locs(Some(&o.loc), Some(&n.loc))
    };
    let (mut removed, common, mut added) = pair(&o.variants, &n.variants, |v| v.name.clone());
    let position = |e: &Enum, name: &str| e.variants.iter().position(|v| v.name == name);
    if let Some((r, a)) = rename(&mut removed, &mut added, |r, a| position(o, &r.name) == position(n, &a.name)) {
        let (kind, place) = pick(dir, k::ENUM_VALUE_RENAMED, k::ENUM_VALUE_RENAMED);
        let c = cx.push(draft(kind, &r.name, format!("value `{}` renamed to `{}`", r.name, a.name)).place(place));
        c.hint = Some(format!("renamed `{}.{}` -> `{}`", n.name.name, r.name, a.name));
        c.deprecation = r.deprecated.clone().or_else(|| o.deprecated.clone());
    }
    for v in removed {
        let (kind, place) = pick(dir, k::ENUM_VALUE_REMOVED_REQUEST, k::ENUM_VALUE_REMOVED_RESPONSE);
        let c = cx.push(draft(kind, &v.name, format!("value `{}` removed", v.name)).place(place));
        c.deprecation = v.deprecated.clone().or_else(|| o.deprecated.clone());
    }
    for v in added {
        let (kind, place) = if n.open {
            (k::ENUM_VALUE_ADDED_OPEN, if dir == flow::REQUEST { Where::Request } else if dir == flow::RESPONSE { Where::Response } else { Where::Both })
        } else {
            pick(dir, k::ENUM_VALUE_ADDED_CLOSED_REQUEST, k::ENUM_VALUE_ADDED_CLOSED_RESPONSE)
        };
        let c = cx.push(draft(kind, &v.name, format!("value `{}` added to {} enum", v.name, if n.open { "open" } else { "closed" })).place(place));
        if kind.severity == Severity::Breaking {
            c.hint = Some(format!("clients must accept the new value `{}.{}`", n.name.name, v.name));
        }
    }
    if o.open != n.open {
        let kind = if n.open { k::ENUM_MADE_OPEN } else { k::ENUM_MADE_CLOSED };
        cx.push(draft(kind, "", format!("enum `{}` is now {}", n.name.name, if n.open { "open" } else { "closed" })).place(Where::Both));
    }
    let order = |e: &Enum| -> Vec<String> {
        e.variants.iter().filter(|v| common.iter().any(|(c, _)| c.name == v.name)).map(|v| v.name.clone()).collect()
    };
    if (o.ordered || n.ordered) && (o.ordered != n.ordered || order(o) != order(n)) {
        cx.push(draft(k::ENUM_ORDER_CHANGED, "", format!("the order of `{}` changed", n.name.name)).place(Where::Both));
    }
    for (ov, nv) in common {
        lifecycle(cx, ov.deprecated.as_ref(), nv.deprecated.as_ref(), draft(k::DEPRECATED, &nv.name, String::new()));
    }
    lifecycle(cx, o.deprecated.as_ref(), n.deprecated.as_ref(), draft(k::DEPRECATED, "", String::new()));
}

fn aliases(cx: &mut Cx<'_>) {
    let (removed, common, added) = pair(&cx.old.aliases, &cx.new.aliases, |a| a.name.clone());
    for a in removed {
        let c = cx.push(
            Draft::new(k::ALIAS_REMOVED, a.name.to_string(), &a.name.package, format!("type alias `{}` removed", a.name.name))
                .place(Where::Both)
                .locs(Some(&a.loc), None),
        );
        c.deprecation = a.deprecated.clone();
    }
    for a in added {
        cx.push(
            Draft::new(k::ALIAS_ADDED, a.name.to_string(), &a.name.package, format!("type alias `{}` added", a.name.name))
                .place(Where::Both)
                .locs(None, Some(&a.loc)),
        );
    }
    for (o, n) in common {
        let base = Draft::new(k::ALIAS_TYPE_CHANGED, n.name.to_string(), &n.name.package, String::new())
            .locs(Some(&o.loc), Some(&n.loc));
        if o.ty != n.ty {
            let (kind, place) = pick(cx.dir(&n.name), k::ALIAS_TYPE_CHANGED, k::ALIAS_TYPE_CHANGED);
            cx.push(Draft {
                kind,
                place,
                detail: format!("type alias `{}`: `{}` -> `{}`", n.name.name, o.ty.display(), n.ty.display()),
                ..Draft::new(k::ALIAS_TYPE_CHANGED, n.name.to_string(), &n.name.package, String::new())
                    .locs(Some(&o.loc), Some(&n.loc))
            });
        }
        lifecycle(cx, o.deprecated.as_ref(), n.deprecated.as_ref(), base);
    }
}

fn inputs(cx: &mut Cx<'_>, old: &[Shape], new: &[Shape], what: &str) {
    let (removed, common, added) = pair(old, new, |s| s.name.clone());
    for s in removed {
        cx.push(
            Draft::new(k::INPUT_REMOVED, s.name.to_string(), &s.name.package, format!("{what} `{}` removed", s.name.name))
                .place(Where::Request)
                .locs(Some(&s.loc), None),
        );
    }
    for s in added {
        cx.push(
            Draft::new(k::INPUT_ADDED, s.name.to_string(), &s.name.package, format!("{what} `{}` added", s.name.name))
                .place(Where::Request)
                .locs(None, Some(&s.loc)),
        );
    }
    for (o, n) in common {
        fields(cx, &n.name, &o.fields, &n.fields, flow::REQUEST, true, (&o.loc, &n.loc), None);
    }
}
