//! Deprecation calendar warnings over one model:
//!
//! - **W7150**: a sunset date that has passed on `today`: the declaration should be gone (or
//!   its sunset moved). Only with a date, because it depends on the day the check runs: it is
//!   reported by `charter diff` (for the new version) and `charter build --target calendar`,
//!   never by `charter check`, whose output must not change from one day to the next.
//! - **W7151**: a deprecated declaration still used by one that is not deprecated: an
//!   operation whose `use:` replacement is itself deprecated, or an operation or record field
//!   that is not deprecated but whose type names a deprecated record, enum or alias.

use std::collections::BTreeMap;

use crate::diagnostics::{Diagnostic, codes};
use crate::ir::{Deprecation, Loc, Model, QualName, Type};
use crate::literal::Date;

fn names(ty: &Type) -> Vec<&QualName> {
    let mut out = Vec::new();
    super::flow::names_in(ty, &mut out);
    out
}

fn warn(code: crate::diagnostics::Code, message: String, loc: &Loc) -> Diagnostic {
    Diagnostic::warning(code, message, &loc.file, loc.span)
}

/// The warnings; W7150 only when `today` is given.
pub fn warnings(model: &Model, today: Option<Date>) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    // Deprecated types by name, with the deprecation.
    let mut deprecated: BTreeMap<&QualName, &Deprecation> = BTreeMap::new();
    for r in &model.records {
        if let Some(d) = &r.deprecated {
            deprecated.insert(&r.name, d);
        }
    }
    for e in &model.enums {
        if let Some(d) = &e.deprecated {
            deprecated.insert(&e.name, d);
        }
    }
    for a in &model.aliases {
        if let Some(d) = &a.deprecated {
            deprecated.insert(&a.name, d);
        }
    }
    // Every deprecation with its path and location, for W7150.
    let mut all: Vec<(String, &Deprecation, &Loc)> = Vec::new();
    let uses = |ty: &Type| -> Option<String> {
        names(ty)
            .into_iter()
            .find(|n| deprecated.contains_key(n))
            .map(ToString::to_string)
    };
    for r in &model.records {
        if let Some(d) = &r.deprecated {
            all.push((r.name.to_string(), d, &r.loc));
        }
        for f in &r.fields {
            if let Some(d) = &f.deprecated {
                all.push((format!("{}.{}", r.name, f.name), d, &r.loc));
            }
            if r.deprecated.is_none()
                && f.deprecated.is_none()
                && let Some(t) = uses(&f.ty)
            {
                out.push(
                    warn(
                        codes::W7151,
                        format!("field `{}.{}` uses the deprecated `{t}`", r.name, f.name),
                        &r.loc,
                    )
                    .with_help(format!(
                        "deprecate `{}.{}` too, or move it off `{t}` before its sunset",
                        r.name, f.name
                    )),
                );
            }
        }
    }
    for e in &model.enums {
        if let Some(d) = &e.deprecated {
            all.push((e.name.to_string(), d, &e.loc));
        }
        for v in &e.variants {
            if let Some(d) = &v.deprecated {
                all.push((format!("{}.{}", e.name, v.name), d, &e.loc));
            }
        }
    }
    for a in &model.aliases {
        if let Some(d) = &a.deprecated {
            all.push((a.name.to_string(), d, &a.loc));
        }
    }
    for s in &model.services {
        if let Some(d) = &s.deprecated {
            all.push((s.name.to_string(), d, &s.loc));
        }
        for op in &s.ops {
            let path = format!("{}.{}", s.name, op.name);
            if let Some(d) = &op.deprecated {
                all.push((path.clone(), d, &op.loc));
                if let Some(target) = d
                    .replacement
                    .as_ref()
                    .and_then(|r| s.ops.iter().find(|o| o.name == r))
                    && target.deprecated.is_some()
                {
                    out.push(
                        warn(
                            codes::W7151,
                            format!(
                                "`{path}` points clients to `{}`, which is deprecated too",
                                target.name
                            ),
                            &op.loc,
                        )
                        .with_help(format!(
                            "name a replacement that is not deprecated in `use:` of `{}`",
                            op.name
                        )),
                    );
                }
            }
            if op.deprecated.is_some() || s.deprecated.is_some() {
                continue;
            }
            let mut types = op
                .params
                .iter()
                .map(|p| &p.ty)
                .chain(op.result.iter())
                .chain(op.errors.iter().map(|(_, t)| t));
            if let Some(t) = types.find_map(&uses) {
                out.push(
                    warn(
                        codes::W7151,
                        format!("operation `{path}` uses the deprecated `{t}`"),
                        &op.loc,
                    )
                    .with_help(format!(
                        "deprecate `{}` too, or move it off `{t}` before its sunset",
                        op.name
                    )),
                );
            }
        }
    }
    if let Some(today) = today {
        for (path, d, loc) in all {
            if let Some(sunset) = d.sunset
                && sunset < today
            {
                out.push(
                    warn(codes::W7150, format!("the sunset of `{path}` ({sunset}) has passed ({today})"), loc)
                        .with_help("remove the declaration in the next major version, or move its sunset later (moving it earlier is E7104)"),
                );
            }
        }
    }
    crate::diagnostics::sort(&mut out);
    out
}
