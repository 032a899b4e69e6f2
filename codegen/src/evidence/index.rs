//! The evidence items of a model, joined with their status.

use std::collections::BTreeMap;

use charter::ir::{Control, Model};

/// Whether one evidence path exists, as the CLI found it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
pub struct Status {
    pub exists: bool,
    #[serde(default)]
    pub sha256: Option<String>,
    #[serde(default)]
    pub files: u64,
}

/// One evidence item of one control.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item<'m> {
    /// The evidence's `category`, else the path's convention (`audit/ga-evidence/<category>/`),
    /// else `other`.
    pub category: String,
    pub path: String,
    pub control: &'m Control,
    /// `(framework, requirement)`, sorted and without duplicates.
    pub requirements: Vec<(String, String)>,
    pub retention_days: Option<u64>,
    /// The retention as written (`6y`).
    pub retention: Option<String>,
    /// The producers: the declared `produced by`, else the control's `enforced by` policies.
    pub produced_by: Vec<String>,
    /// `true` when the producer is declared on the evidence itself.
    pub declared_producer: bool,
    /// `None` when no status was given.
    pub status: Option<Status>,
}

impl Item<'_> {
    pub fn control_id(&self) -> &str {
        &self.control.name.name
    }

    /// Missing: a status was given and the path does not exist.
    pub fn is_missing(&self) -> bool {
        self.status.as_ref().is_some_and(|s| !s.exists)
    }
}

/// Every evidence item, sorted by category, path and control id.
pub fn items<'m>(model: &'m Model, status: Option<&BTreeMap<String, Status>>) -> Vec<Item<'m>> {
    let mut items = Vec::new();
    for control in &model.controls {
        let mut requirements: Vec<(String, String)> = control
            .mappings
            .iter()
            .map(|m| (m.framework.clone(), m.requirement.clone()))
            .collect();
        requirements.sort();
        requirements.dedup();
        for evidence in &control.evidence {
            let (produced_by, declared_producer) = match &evidence.produced_by {
                Some(producer) => (vec![producer.clone()], true),
                None => {
                    let mut policies: Vec<String> = control
                        .enforced_by
                        .iter()
                        .map(ToString::to_string)
                        .collect();
                    policies.sort();
                    policies.dedup();
                    (policies, false)
                }
            };
            let status = status.map(|map| {
                map.get(&evidence.path).cloned().unwrap_or(Status {
                    exists: false,
                    sha256: None,
                    files: 0,
                })
            });
            items.push(Item {
                category: super::category_of(evidence).to_string(),
                path: evidence.path.clone(),
                control,
                requirements: requirements.clone(),
                retention_days: evidence.retention_days,
                retention: evidence.retention.clone(),
                produced_by,
                declared_producer,
                status,
            });
        }
    }
    items.sort_by(|a, b| {
        (&a.category, &a.path, &a.control.name).cmp(&(&b.category, &b.path, &b.control.name))
    });
    items
}
