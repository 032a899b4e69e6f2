//! The register's rows: each threat with its score, controls and covered requirements.

use std::collections::HashMap;

use charter::ir::{Control, Model, QualName, Threat};

/// The subsystem of threats that name none.
pub const UNASSIGNED: &str = "unassigned";

/// A rating's value: low = 1, medium = 2, high = 3, critical = 4.
pub fn rating(text: &str) -> Option<u8> {
    match text {
        "low" => Some(1),
        "medium" => Some(2),
        "high" => Some(3),
        "critical" => Some(4),
        _ => None,
    }
}

/// Likelihood × impact, from 1 to 16; `None` when either is missing.
pub fn risk(threat: &Threat) -> Option<u8> {
    let likelihood = rating(threat.likelihood.as_deref()?)?;
    let impact = rating(threat.impact.as_deref()?)?;
    Some(likelihood * impact)
}

/// One row of the register.
#[derive(Debug, Clone)]
pub struct Entry<'m> {
    pub threat: &'m Threat,
    pub subsystem: &'m str,
    pub risk: Option<u8>,
    /// The mitigating controls, in the order the threat lists them.
    pub controls: Vec<&'m Control>,
    /// `(framework, requirement)` covered by those controls, sorted, without duplicates.
    pub requirements: Vec<(String, String)>,
}

impl Entry<'_> {
    pub fn id(&self) -> &str {
        &self.threat.name.name
    }

    pub fn is_unmitigated(&self) -> bool {
        self.controls.is_empty()
    }
}

pub fn entries(model: &Model) -> Vec<Entry<'_>> {
    // Controls by name, built once (the first of a name wins, as a scan would find it).
    let mut by_name: HashMap<&QualName, &Control> = HashMap::new();
    for control in &model.controls {
        by_name.entry(&control.name).or_insert(control);
    }
    let mut entries: Vec<Entry<'_>> = model
        .threats
        .iter()
        .map(|threat| {
            let controls: Vec<&Control> = threat
                .mitigated_by
                .iter()
                .filter_map(|name| by_name.get(name).copied())
                .collect();
            let mut requirements: Vec<(String, String)> = controls
                .iter()
                .flat_map(|c| c.mappings.iter())
                .map(|m| (m.framework.clone(), m.requirement.clone()))
                .collect();
            requirements.sort();
            requirements.dedup();
            Entry {
                threat,
                subsystem: threat.subsystem.as_deref().unwrap_or(UNASSIGNED),
                risk: risk(threat),
                controls,
                requirements,
            }
        })
        .collect();
    entries.sort_by(|a, b| {
        a.subsystem
            .cmp(b.subsystem)
            .then_with(|| b.risk.cmp(&a.risk))
            .then_with(|| a.threat.name.cmp(&b.threat.name))
    });
    entries
}
