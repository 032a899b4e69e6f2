//! `threats.md` and `threats.json`.

use std::fmt::Write as _;

use charter::ir::Model;
use serde_json::{Value, json};

use super::Entry;
use charter::text::markdown::{header, list_section, text as cell};

fn or_dash(text: Option<&str>) -> String {
    text.map_or_else(|| "-".to_string(), cell)
}

pub fn markdown(model: &Model, entries: &[Entry<'_>]) -> String {
    let mut out = String::new();
    let unmitigated: Vec<&Entry<'_>> = entries.iter().filter(|e| e.is_unmitigated()).collect();
    let _ = writeln!(out, "# Threat register\n");
    let _ = writeln!(
        out,
        "Package `{}` version {}: {} threat(s), {} without mitigation.\n",
        model.package,
        model.version,
        entries.len(),
        unmitigated.len()
    );
    let _ = writeln!(
        out,
        "Risk = likelihood × impact, each rated low = 1, medium = 2, high = 3, critical = 4 \
         (1 to 16; `-` when a rating is missing). Sorted by subsystem, then risk (highest \
         first), then id.\n"
    );
    let mut current: Option<&str> = None;
    for entry in entries {
        if current != Some(entry.subsystem) {
            if current.is_some() {
                out.push('\n');
            }
            current = Some(entry.subsystem);
            let _ = writeln!(out, "## {}\n", cell(entry.subsystem));
            header(
                &mut out,
                &[
                    "Threat",
                    "Category",
                    "Likelihood",
                    "Impact",
                    "Risk",
                    "Mitigated by",
                    "Requirements covered",
                ],
            );
        }
        let controls = if entry.is_unmitigated() {
            "**none**".to_string()
        } else {
            let ids: Vec<&str> = entry
                .controls
                .iter()
                .map(|c| c.name.name.as_str())
                .collect();
            cell(&ids.join(", "))
        };
        let requirements: Vec<String> = entry
            .requirements
            .iter()
            .map(|(f, r)| format!("{f} {r}"))
            .collect();
        let _ = writeln!(
            out,
            "| {} {} | {} | {} | {} | {} | {} | {} |",
            cell(entry.id()),
            cell(&entry.threat.title),
            or_dash(entry.threat.category.as_deref()),
            or_dash(entry.threat.likelihood.as_deref()),
            or_dash(entry.threat.impact.as_deref()),
            entry
                .risk
                .map_or_else(|| "-".to_string(), |r| r.to_string()),
            controls,
            if requirements.is_empty() {
                "-".to_string()
            } else {
                cell(&requirements.join(", "))
            }
        );
    }
    if current.is_some() {
        out.push('\n');
    }
    let unmitigated: Vec<String> = unmitigated
        .iter()
        .map(|entry| {
            format!(
                "{} {} ({}, risk {})",
                cell(entry.id()),
                cell(&entry.threat.title),
                cell(entry.subsystem),
                entry
                    .risk
                    .map_or_else(|| "-".to_string(), |r| r.to_string())
            )
        })
        .collect();
    list_section(
        &mut out,
        "Unmitigated threats",
        "None: every threat names a mitigating control.",
        &unmitigated,
    );
    out
}

fn entry_json(entry: &Entry<'_>) -> Value {
    json!({
        "id": entry.id(),
        "qualified": entry.threat.name.to_string(),
        "title": entry.threat.title,
        "category": entry.threat.category,
        "likelihood": entry.threat.likelihood,
        "impact": entry.threat.impact,
        "risk": entry.risk,
        "mitigated_by": entry
            .controls
            .iter()
            .map(|c| json!({ "id": c.name.name, "title": c.title }))
            .collect::<Vec<_>>(),
        "requirements": entry
            .requirements
            .iter()
            .map(|(f, r)| json!({ "framework": f, "id": r }))
            .collect::<Vec<_>>(),
        "mitigated": !entry.is_unmitigated(),
    })
}

pub fn json(model: &Model, entries: &[Entry<'_>]) -> String {
    let mut subsystems: Vec<(&str, Vec<Value>)> = Vec::new();
    for entry in entries {
        match subsystems.last_mut() {
            Some((name, list)) if *name == entry.subsystem => list.push(entry_json(entry)),
            _ => subsystems.push((entry.subsystem, vec![entry_json(entry)])),
        }
    }
    let root = json!({
        "package": model.package,
        "version": model.version,
        "scoring": {
            "ratings": { "low": 1, "medium": 2, "high": 3, "critical": 4 },
            "risk": "likelihood * impact (1 to 16); null when a rating is missing",
        },
        "subsystems": subsystems
            .into_iter()
            .map(|(name, threats)| json!({ "subsystem": name, "threats": threats }))
            .collect::<Vec<_>>(),
        "unmitigated": entries
            .iter()
            .filter(|e| e.is_unmitigated())
            .map(Entry::id)
            .collect::<Vec<_>>(),
    });
    let mut text = serde_json::to_string_pretty(&root).unwrap_or_default();
    text.push('\n');
    text
}
