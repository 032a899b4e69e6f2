//! Records and their fields, enums, aliases, entities and contexts.

use super::diff::{
    Cx, Delta, Draft, Where, delta, lifecycle, pair, pick, rename, same_wire, show_value,
};
use super::kinds::{self as k, KindInfo, Severity};
use crate::api::Dir;
use crate::ir::{Deprecation, Enum, Field, Loc, QualName, Record, Shape, Variant};

fn required(f: &Field) -> bool {
    !f.ty.is_optional() && f.default.is_none()
}

/// The deprecation lifecycle of one item: deprecated, withdrawn, sunset moved.
/// A record's or shape's field changes, classified by direction (`dir`) or, for policy
/// inputs (`dir` is `None`), with the input kinds.
pub(super) fn fields(
    cx: &mut Cx<'_>,
    owner: &QualName,
    old: &[Field],
    new: &[Field],
    dir: Option<Dir>,
    locs: (&Loc, &Loc),
    owner_dep: Option<&Deprecation>,
) {
    let input = dir.is_none();
    let dir = dir.unwrap_or(Dir::REQUEST);
    let (mut removed, mut common, mut added) = pair(old, new, |f| f.name.clone());
    let base = |name: &str, detail: String| {
        Draft::new(
            k::FIELD_RENAMED,
            format!("{owner}.{name}"),
            &owner.package,
            detail,
        )
        .locs(Some(locs.0), Some(locs.1))
    };
    // The identifier changed, the wire name did not: the wire is the same.
    for (r, a) in same_wire(&mut removed, &mut added, Field::wire_name) {
        let (kind, place) = pick(
            dir,
            k::FIELD_IDENTIFIER_RENAMED,
            k::FIELD_IDENTIFIER_RENAMED,
        );
        let c = cx.push(Draft {
            kind,
            ..base(
                &r.name,
                format!(
                    "field `{}` renamed to `{}`, still `{}` on the wire",
                    r.name,
                    a.name,
                    a.wire_name()
                ),
            )
            .place(place)
        });
        c.hint = Some(format!("renamed `{}` -> `{}`", r.name, a.name));
        common.push((r, a));
    }
    if let Some((r, a)) = rename(&mut removed, &mut added, |r, a| {
        r.ty == a.ty && r.default == a.default
    }) {
        let kind = if input {
            k::INPUT_ATTR_REMOVED
        } else {
            k::FIELD_RENAMED
        };
        let (kind, place) = if input {
            (kind, Where::Request)
        } else {
            pick(dir, kind, kind)
        };
        let c = cx.push(Draft {
            kind,
            ..base(
                &r.name,
                format!("field `{}` renamed to `{}`", r.name, a.name),
            )
            .place(place)
        });
        c.hint = Some(format!("renamed `{}` -> `{}`", r.name, a.name));
        c.deprecation = r
            .deprecated
            .as_deref()
            .cloned()
            .or_else(|| owner_dep.cloned());
    }
    for f in removed {
        let (kind, place) = if input {
            (k::INPUT_ATTR_REMOVED, Where::Request)
        } else {
            pick(dir, k::FIELD_REMOVED_REQUEST, k::FIELD_REMOVED_RESPONSE)
        };
        let c = cx.push(Draft {
            kind,
            ..base(
                &f.name,
                format!("field `{}: {}` removed", f.name, f.ty.display()),
            )
            .place(place)
        });
        c.deprecation = f
            .deprecated
            .as_deref()
            .cloned()
            .or_else(|| owner_dep.cloned());
    }
    for f in added {
        let req = required(f);
        let (kind, place) = match (input, req) {
            (true, true) => (k::INPUT_ATTR_ADDED_REQUIRED, Where::Request),
            (true, false) => (k::INPUT_ATTR_ADDED_OPTIONAL, Where::Request),
            (false, true) => pick(
                dir,
                k::FIELD_ADDED_REQUIRED_REQUEST,
                k::FIELD_ADDED_RESPONSE,
            ),
            (false, false) => pick(
                dir,
                k::FIELD_ADDED_OPTIONAL_REQUEST,
                k::FIELD_ADDED_RESPONSE,
            ),
        };
        let c = cx.push(Draft {
            kind,
            ..base(
                &f.name,
                format!(
                    "field `{}: {}` added{}",
                    f.name,
                    f.ty.display(),
                    match (req, place) {
                        (true, Where::Response) => ", always present",
                        (true, _) => ", required",
                        _ => "",
                    }
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
        wire_changes(cx, dir, o, n, b);
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
                cx.push(Draft {
                    kind,
                    ..b(format!("field `{}` type {types}", n.name)).place(place)
                });
            }
            Delta::Tightened => {
                let (kind, place) =
                    pick(dir, k::FIELD_TIGHTENED_REQUEST, k::FIELD_TIGHTENED_RESPONSE);
                cx.push(Draft {
                    kind,
                    ..b(format!("field `{}` {types}", n.name)).place(place)
                });
            }
            Delta::Loosened => {
                let (kind, place) =
                    pick(dir, k::FIELD_LOOSENED_REQUEST, k::FIELD_LOOSENED_RESPONSE);
                cx.push(Draft {
                    kind,
                    ..b(format!("field `{}` {types}", n.name)).place(place)
                });
            }
        }
        match (required(o), required(n)) {
            (false, true) => {
                let (kind, place) = pick(
                    dir,
                    k::FIELD_MADE_REQUIRED_REQUEST,
                    k::FIELD_MADE_REQUIRED_RESPONSE,
                );
                let c = cx.push(Draft {
                    kind,
                    ..b(format!("field `{}` is now required", n.name)).place(place)
                });
                if place != Where::Response {
                    c.hint = Some(format!("always send `{}`", n.name));
                }
            }
            (true, false) => {
                let (kind, place) = pick(
                    dir,
                    k::FIELD_MADE_OPTIONAL_REQUEST,
                    k::FIELD_MADE_OPTIONAL_RESPONSE,
                );
                cx.push(Draft {
                    kind,
                    ..b(format!("field `{}` is now optional", n.name)).place(place)
                });
            }
            _ => {}
        }
        if let (Some(a), Some(z)) = (&o.default, &n.default)
            && a != z
        {
            let (kind, place) = pick(dir, k::FIELD_DEFAULT_CHANGED, k::FIELD_DEFAULT_CHANGED);
            cx.push(Draft {
                kind,
                ..b(format!(
                    "field `{}` default {} -> {}",
                    n.name,
                    show_value(a),
                    show_value(z)
                ))
                .place(place)
            });
        }
        lifecycle(
            cx,
            o.deprecated.as_deref(),
            n.deprecated.as_deref(),
            b(String::new()),
        );
    }
}

/// A field's wire name and `@nullable` changes (`docs/evolution.md`).
fn wire_changes(cx: &mut Cx<'_>, dir: Dir, o: &Field, n: &Field, b: impl Fn(String) -> Draft) {
    if o.wire_name() != n.wire_name() {
        let (kind, place) = pick(dir, k::FIELD_WIRE_NAME_CHANGED, k::FIELD_WIRE_NAME_CHANGED);
        let c = cx.push(Draft {
            kind,
            ..b(format!(
                "field `{}` travels as `{}`, was `{}`",
                n.name,
                n.wire_name(),
                o.wire_name()
            ))
            .place(place)
        });
        c.hint = Some(format!(
            "send and read `{}` instead of `{}`",
            n.wire_name(),
            o.wire_name()
        ));
    }
    let change = match (o.nullable, n.nullable) {
        (false, true) => Some((
            k::FIELD_MADE_NULLABLE_REQUEST,
            k::FIELD_MADE_NULLABLE_RESPONSE,
            "may now be `null`",
        )),
        (true, false) => Some((
            k::FIELD_NULLABLE_REMOVED_REQUEST,
            k::FIELD_NULLABLE_REMOVED_RESPONSE,
            "may no longer be `null`",
        )),
        _ => None,
    };
    if let Some((request, response, what)) = change {
        let (kind, place) = pick(dir, request, response);
        cx.push(Draft {
            kind,
            ..b(format!("field `{}` {what}", n.name)).place(place)
        });
    }
}

pub(super) fn records(cx: &mut Cx<'_>) {
    let (mut removed, common, mut added) =
        pair(&cx.old.records, &cx.new.records, |r| r.name.clone());
    let same = |a: &Record, b: &Record| {
        a.name.package == b.name.package
            && a.fields == b.fields
            && a.with_provenance == b.with_provenance
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
        c.deprecation = r.deprecated.as_deref().cloned();
        c.renamed_to = Some(a.name.name.to_string());
    }
    for r in removed {
        let c = cx.push(
            Draft::new(
                k::RECORD_REMOVED,
                r.name.to_string(),
                &r.name.package,
                format!("record `{}` removed", r.name.name),
            )
            .place(Where::Both)
            .locs(Some(&r.loc), None),
        );
        c.deprecation = r.deprecated.as_deref().cloned();
    }
    for r in added {
        cx.push(
            Draft::new(
                k::RECORD_ADDED,
                r.name.to_string(),
                &r.name.package,
                format!("record `{}` added", r.name.name),
            )
            .place(Where::Both)
            .locs(None, Some(&r.loc)),
        );
    }
    for (o, n) in common {
        let dir = cx.dir(&n.name);
        let base = Draft::new(
            k::RECORD_ADDED,
            n.name.to_string(),
            &n.name.package,
            String::new(),
        )
        .locs(Some(&o.loc), Some(&n.loc));
        if o.with_provenance != n.with_provenance {
            cx.push(Draft {
                kind: k::RECORD_PROVENANCE_CHANGED,
                detail: format!(
                    "record `{}` {} `with provenance`",
                    n.name.name,
                    if n.with_provenance { "gained" } else { "lost" }
                ),
                ..Draft::new(
                    k::RECORD_ADDED,
                    n.name.to_string(),
                    &n.name.package,
                    String::new(),
                )
                .locs(Some(&o.loc), Some(&n.loc))
                .place(Where::Both)
            });
        }
        // The envelope field itself is reported by the change above.
        let strip = |r: &Record| -> Vec<Field> {
            r.fields
                .iter()
                .filter(|f| !(r.with_provenance && f.name == "provenance"))
                .cloned()
                .collect()
        };
        let (of, nf) = (strip(o), strip(n));
        fields(
            cx,
            &n.name,
            &of,
            &nf,
            Some(dir),
            (&o.loc, &n.loc),
            o.deprecated.as_deref(),
        );
        lifecycle(cx, o.deprecated.as_deref(), n.deprecated.as_deref(), base);
    }
}

pub(super) fn enums(cx: &mut Cx<'_>) {
    let (removed, common, added) = pair(&cx.old.enums, &cx.new.enums, |e| e.name.clone());
    for e in removed {
        let c = cx.push(
            Draft::new(
                k::ENUM_REMOVED,
                e.name.to_string(),
                &e.name.package,
                format!("enum `{}` removed", e.name.name),
            )
            .place(Where::Both)
            .locs(Some(&e.loc), None),
        );
        c.deprecation = e.deprecated.as_deref().cloned();
    }
    for e in added {
        cx.push(
            Draft::new(
                k::ENUM_ADDED,
                e.name.to_string(),
                &e.name.package,
                format!("enum `{}` added", e.name.name),
            )
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
        let path = if member.is_empty() {
            n.name.to_string()
        } else {
            format!("{}.{member}", n.name)
        };
        Draft::new(kind, path, &n.name.package, detail).locs(Some(&o.loc), Some(&n.loc))
    };
    let (mut removed, mut common, mut added) = pair(&o.variants, &n.variants, |v| v.name.clone());
    for (r, a) in same_wire(&mut removed, &mut added, Variant::wire_name) {
        let (kind, place) = pick(
            dir,
            k::ENUM_VALUE_IDENTIFIER_RENAMED,
            k::ENUM_VALUE_IDENTIFIER_RENAMED,
        );
        let c = cx.push(
            draft(
                kind,
                &r.name,
                format!(
                    "value `{}` renamed to `{}`, still `{}` on the wire",
                    r.name,
                    a.name,
                    a.wire_name()
                ),
            )
            .place(place),
        );
        c.hint = Some(format!(
            "renamed `{}.{}` -> `{}`",
            n.name.name, r.name, a.name
        ));
        common.push((r, a));
    }
    for (ov, nv) in &common {
        if ov.wire_name() != nv.wire_name() {
            let (kind, place) = pick(
                dir,
                k::ENUM_VALUE_WIRE_NAME_CHANGED,
                k::ENUM_VALUE_WIRE_NAME_CHANGED,
            );
            cx.push(
                draft(
                    kind,
                    &nv.name,
                    format!(
                        "value `{}` travels as `{}`, was `{}`",
                        nv.name,
                        nv.wire_name(),
                        ov.wire_name()
                    ),
                )
                .place(place),
            );
        }
    }
    let position = |e: &Enum, name: &str| e.variants.iter().position(|v| v.name == name);
    if let Some((r, a)) = rename(&mut removed, &mut added, |r, a| {
        position(o, &r.name) == position(n, &a.name)
    }) {
        let (kind, place) = pick(dir, k::ENUM_VALUE_RENAMED, k::ENUM_VALUE_RENAMED);
        let c = cx.push(
            draft(
                kind,
                &r.name,
                format!("value `{}` renamed to `{}`", r.name, a.name),
            )
            .place(place),
        );
        c.hint = Some(format!(
            "renamed `{}.{}` -> `{}`",
            n.name.name, r.name, a.name
        ));
        c.deprecation = r
            .deprecated
            .as_deref()
            .cloned()
            .or_else(|| o.deprecated.as_deref().cloned());
    }
    for v in removed {
        let (kind, place) = pick(
            dir,
            k::ENUM_VALUE_REMOVED_REQUEST,
            k::ENUM_VALUE_REMOVED_RESPONSE,
        );
        let c = cx.push(draft(kind, &v.name, format!("value `{}` removed", v.name)).place(place));
        c.deprecation = v
            .deprecated
            .as_deref()
            .cloned()
            .or_else(|| o.deprecated.as_deref().cloned());
    }
    for v in added {
        let (kind, place) = if n.open {
            (
                k::ENUM_VALUE_ADDED_OPEN,
                if dir == Dir::REQUEST {
                    Where::Request
                } else if dir == Dir::RESPONSE {
                    Where::Response
                } else {
                    Where::Both
                },
            )
        } else {
            pick(
                dir,
                k::ENUM_VALUE_ADDED_CLOSED_REQUEST,
                k::ENUM_VALUE_ADDED_CLOSED_RESPONSE,
            )
        };
        let c = cx.push(
            draft(
                kind,
                &v.name,
                format!(
                    "value `{}` added to {} enum",
                    v.name,
                    if n.open { "open" } else { "closed" }
                ),
            )
            .place(place),
        );
        if kind.severity == Severity::Breaking {
            c.hint = Some(format!(
                "clients must accept the new value `{}.{}`",
                n.name.name, v.name
            ));
        }
    }
    if o.open != n.open {
        let kind = if n.open {
            k::ENUM_MADE_OPEN
        } else {
            k::ENUM_MADE_CLOSED
        };
        cx.push(
            draft(
                kind,
                "",
                format!(
                    "enum `{}` is now {}",
                    n.name.name,
                    if n.open { "open" } else { "closed" }
                ),
            )
            .place(Where::Both),
        );
    }
    let order = |e: &Enum| -> Vec<String> {
        e.variants
            .iter()
            .filter(|v| common.iter().any(|(c, _)| c.name == v.name))
            .map(|v| v.name.to_string())
            .collect()
    };
    if (o.ordered || n.ordered) && (o.ordered != n.ordered || order(o) != order(n)) {
        cx.push(
            draft(
                k::ENUM_ORDER_CHANGED,
                "",
                format!("the order of `{}` changed", n.name.name),
            )
            .place(Where::Both),
        );
    }
    for (ov, nv) in common {
        lifecycle(
            cx,
            ov.deprecated.as_deref(),
            nv.deprecated.as_deref(),
            draft(k::DEPRECATED, &nv.name, String::new()),
        );
    }
    lifecycle(
        cx,
        o.deprecated.as_deref(),
        n.deprecated.as_deref(),
        draft(k::DEPRECATED, "", String::new()),
    );
}

pub(super) fn aliases(cx: &mut Cx<'_>) {
    let (removed, common, added) = pair(&cx.old.aliases, &cx.new.aliases, |a| a.name.clone());
    for a in removed {
        let c = cx.push(
            Draft::new(
                k::ALIAS_REMOVED,
                a.name.to_string(),
                &a.name.package,
                format!("type alias `{}` removed", a.name.name),
            )
            .place(Where::Both)
            .locs(Some(&a.loc), None),
        );
        c.deprecation = a.deprecated.as_deref().cloned();
    }
    for a in added {
        cx.push(
            Draft::new(
                k::ALIAS_ADDED,
                a.name.to_string(),
                &a.name.package,
                format!("type alias `{}` added", a.name.name),
            )
            .place(Where::Both)
            .locs(None, Some(&a.loc)),
        );
    }
    for (o, n) in common {
        let base = Draft::new(
            k::ALIAS_TYPE_CHANGED,
            n.name.to_string(),
            &n.name.package,
            String::new(),
        )
        .locs(Some(&o.loc), Some(&n.loc));
        if o.ty != n.ty {
            let (kind, place) = pick(
                cx.dir(&n.name),
                k::ALIAS_TYPE_CHANGED,
                k::ALIAS_TYPE_CHANGED,
            );
            cx.push(Draft {
                kind,
                place,
                detail: format!(
                    "type alias `{}`: `{}` -> `{}`",
                    n.name.name,
                    o.ty.display(),
                    n.ty.display()
                ),
                ..Draft::new(
                    k::ALIAS_TYPE_CHANGED,
                    n.name.to_string(),
                    &n.name.package,
                    String::new(),
                )
                .locs(Some(&o.loc), Some(&n.loc))
            });
        }
        lifecycle(cx, o.deprecated.as_deref(), n.deprecated.as_deref(), base);
    }
}

pub(super) fn inputs(cx: &mut Cx<'_>, old: &[Shape], new: &[Shape], what: &str) {
    let (removed, common, added) = pair(old, new, |s| s.name.clone());
    for s in removed {
        cx.push(
            Draft::new(
                k::INPUT_REMOVED,
                s.name.to_string(),
                &s.name.package,
                format!("{what} `{}` removed", s.name.name),
            )
            .place(Where::Request)
            .locs(Some(&s.loc), None),
        );
    }
    for s in added {
        cx.push(
            Draft::new(
                k::INPUT_ADDED,
                s.name.to_string(),
                &s.name.package,
                format!("{what} `{}` added", s.name.name),
            )
            .place(Where::Request)
            .locs(None, Some(&s.loc)),
        );
    }
    for (o, n) in common {
        fields(
            cx,
            &n.name,
            &o.fields,
            &n.fields,
            None,
            (&o.loc, &n.loc),
            None,
        );
    }
}
