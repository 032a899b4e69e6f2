//! `COMPLIANCE_EVIDENCE_INDEX.md` and `index.json`.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use charter::ir::Model;
use charter::text::markdown::{header, list_section};
use serde_json::{Value, json};

use super::Item;

/// A Markdown table cell: the one Markdown escaper of every output ([`charter::text::markdown`]).
pub use charter::text::markdown::{code, text as cell};

/// The retention as written (`6y`, `365d`).
fn retention(written: Option<&str>) -> String {
    written.map_or_else(|| "not set".into(), cell)
}

fn producers(item: &Item<'_>) -> String {
    if item.produced_by.is_empty() {
        return "not declared".into();
    }
    let list: Vec<String> = item.produced_by.iter().map(|p| code(p)).collect();
    if item.declared_producer {
        list.join(", ")
    } else {
        format!("{} (enforced by)", list.join(", "))
    }
}

fn status(item: &Item<'_>) -> String {
    match &item.status {
        None => "not checked".into(),
        Some(s) if !s.exists => "**missing**".into(),
        Some(s) => {
            let files = if s.files == 1 {
                "1 file".to_string()
            } else {
                format!("{} files", s.files)
            };
            match &s.sha256 {
                Some(sha) => format!("present, {files}, sha256 `{sha}`"),
                None => format!("present, {files}"),
            }
        }
    }
}

pub fn markdown(model: &Model, items: &[Item<'_>], checked: bool) -> String {
    let mut out = String::new();
    let controls: BTreeSet<&str> = items.iter().map(Item::control_id).collect();
    let categories: BTreeSet<&str> = items.iter().map(|i| i.category.as_str()).collect();
    let missing: Vec<&Item<'_>> = items.iter().filter(|i| i.is_missing()).collect();
    let _ = writeln!(out, "# Compliance evidence index\n");
    let _ = writeln!(
        out,
        "Package `{}` version {}: {} evidence item(s) from {} control(s) in {} categor{}.\n",
        model.package,
        model.version,
        items.len(),
        controls.len(),
        categories.len(),
        if categories.len() == 1 { "y" } else { "ies" }
    );
    if checked {
        let _ = writeln!(
            out,
            "Evidence status: checked against the evidence folder: {} present, {} missing. \
             A folder's SHA-256 is that of its manifest, the sorted lines \
             `relative path<TAB>sha256` of its files.\n",
            items.len() - missing.len(),
            missing.len()
        );
    } else {
        let _ = writeln!(
            out,
            "Evidence status: not checked (build with `--evidence-root DIR` to check it).\n"
        );
    }
    let _ = writeln!(
        out,
        "Producer: the evidence's `produced by`, else the policies that enforce its control.\n"
    );
    let mut current: Option<&str> = None;
    for item in items {
        if current != Some(item.category.as_str()) {
            if current.is_some() {
                out.push('\n');
            }
            current = Some(item.category.as_str());
            let _ = writeln!(out, "## {}\n", cell(&item.category));
            header(
                &mut out,
                &[
                    "Evidence",
                    "Control",
                    "Proves",
                    "Retention",
                    "Produced by",
                    "Status",
                ],
            );
        }
        let proves: Vec<String> = item
            .requirements
            .iter()
            .map(|(f, r)| format!("{f} {r}"))
            .collect();
        let _ = writeln!(
            out,
            "| {} | {} {} | {} | {} | {} | {} |",
            code(&item.path),
            cell(item.control_id()),
            cell(&item.control.title),
            cell(&proves.join(", ")),
            retention(item.retention.as_deref()),
            producers(item),
            status(item)
        );
    }
    if checked {
        if current.is_some() {
            out.push('\n');
        }
        let missing: Vec<String> = missing
            .iter()
            .map(|item| {
                format!(
                    "{}: {} {}",
                    code(&item.path),
                    cell(item.control_id()),
                    cell(&item.control.title)
                )
            })
            .collect();
        list_section(
            &mut out,
            "Missing evidence",
            "None: every declared evidence item is present.",
            &missing,
        );
    }
    out
}

fn item_json(item: &Item<'_>) -> Value {
    let mut value = json!({
        "category": item.category,
        "path": item.path,
        "control": {
            "id": item.control_id(),
            "qualified": item.control.name.to_string(),
            "title": item.control.title,
            "owner": item.control.owner,
        },
        "requirements": item
            .requirements
            .iter()
            .map(|(f, r)| json!({ "framework": f, "id": r }))
            .collect::<Vec<_>>(),
        "retention": item.retention,
        "retention_days": item.retention_days,
        "produced_by": item.produced_by,
        "producer_source": if item.declared_producer {
            "produced_by"
        } else if item.produced_by.is_empty() {
            "none"
        } else {
            "enforced_by"
        },
    });
    if let (Some(status), Value::Object(map)) = (&item.status, &mut value) {
        map.insert("exists".into(), json!(status.exists));
        map.insert("sha256".into(), json!(status.sha256));
        map.insert("files".into(), json!(status.files));
    }
    value
}

pub fn json(
    model: &Model,
    items: &[Item<'_>],
    checked: bool,
    attested: &[super::Attested],
) -> String {
    let mut categories: Vec<(String, Vec<Value>)> = Vec::new();
    for item in items {
        match categories.last_mut() {
            Some((name, list)) if *name == item.category => list.push(item_json(item)),
            _ => categories.push((item.category.clone(), vec![item_json(item)])),
        }
    }
    let mut root = json!({
        "package": model.package,
        "version": model.version,
        "status_checked": checked,
        "categories": categories
            .into_iter()
            .map(|(name, items)| json!({ "category": name, "items": items }))
            .collect::<Vec<_>>(),
    });
    if let (true, Value::Object(map)) = (checked, &mut root) {
        let missing: Vec<Value> = items
            .iter()
            .filter(|i| i.is_missing())
            .map(|i| json!({ "path": i.path, "control": i.control_id() }))
            .collect();
        map.insert("missing".into(), Value::Array(missing));
    }
    if let (false, Value::Object(map)) = (attested.is_empty(), &mut root) {
        map.insert("attestations".into(), super::attestations::json(attested));
    }
    let mut text = serde_json::to_string_pretty(&root).unwrap_or_default();
    text.push('\n');
    text
}
