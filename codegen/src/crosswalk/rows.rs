//! `crosswalk.csv` and `crosswalk.json`: one row per (requirement, control) pair, plus one row
//! per requirement that no control covers (`status` `uncovered`, control columns empty).
//!
//! Every CSV cell is neutralised against formula injection ([`neutralise`]).
//!
//! In the CSV, multi-valued columns (`relationship`, `enforcing_policies`, `evidence_paths`) are
//! joined with `;`; in the JSON they are arrays, and each framework also carries its coverage
//! numbers (total and per group).

use charter::text::csv::neutralise;
use serde::Serialize;

use super::view::{Crosswalk, control_id};
use crate::Error;

pub const CSV_PATH: &str = "crosswalk.csv";
pub const JSON_PATH: &str = "crosswalk.json";

pub const HEADER: [&str; 9] = [
    "framework",
    "requirement_id",
    "title",
    "control_id",
    "control_title",
    "relationship",
    "enforcing_policies",
    "evidence_paths",
    "status",
];

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Row {
    pub framework: String,
    pub requirement_id: String,
    pub title: String,
    pub control_id: String,
    pub control_title: String,
    pub relationship: Vec<String>,
    pub enforcing_policies: Vec<String>,
    pub evidence_paths: Vec<String>,
    pub status: &'static str,
}

impl Row {
    /// The CSV record: multi-values joined with `;`, every cell [`neutralise`]d.
    pub fn record(&self) -> [String; 9] {
        [
            self.framework.clone(),
            self.requirement_id.clone(),
            self.title.clone(),
            self.control_id.clone(),
            self.control_title.clone(),
            self.relationship.join(";"),
            self.enforcing_policies.join(";"),
            self.evidence_paths.join(";"),
            self.status.to_string(),
        ]
        .map(|cell| neutralise(&cell))
    }
}

pub fn rows(cw: &Crosswalk<'_>) -> Vec<Row> {
    let mut rows = Vec::new();
    for fw in &cw.frameworks {
        for r in &fw.reqs {
            let base = Row {
                framework: fw.name().to_string(),
                requirement_id: r.requirement.id.clone(),
                title: r.requirement.title.clone(),
                control_id: String::new(),
                control_title: String::new(),
                relationship: Vec::new(),
                enforcing_policies: Vec::new(),
                evidence_paths: Vec::new(),
                status: "uncovered",
            };
            if r.links.is_empty() {
                rows.push(base);
                continue;
            }
            for link in &r.links {
                rows.push(Row {
                    control_id: control_id(link.control).to_string(),
                    control_title: link.control.title.clone(),
                    relationship: link.relationship_texts(),
                    enforcing_policies: link.policies(),
                    evidence_paths: link.evidence(),
                    status: "covered",
                    ..base.clone()
                });
            }
        }
    }
    rows
}

pub fn csv(rows: &[Row]) -> Result<Vec<u8>, Error> {
    let fail = |e: csv::Error| Error {
        message: format!("could not write crosswalk.csv: {e}"),
        help: None,
    };
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    w.write_record(HEADER).map_err(fail)?;
    for row in rows {
        w.write_record(row.record()).map_err(fail)?;
    }
    w.into_inner().map_err(|e| Error {
        message: format!("could not write crosswalk.csv: {}", e.error()),
        help: None,
    })
}

#[derive(Serialize)]
struct GroupJson<'a> {
    group: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<&'a str>,
    covered: usize,
    total: usize,
}

#[derive(Serialize)]
struct FrameworkJson<'a> {
    framework: &'a str,
    title: &'a str,
    covered: usize,
    total: usize,
    groups: Vec<GroupJson<'a>>,
}

#[derive(Serialize)]
struct Document<'a> {
    frameworks: Vec<FrameworkJson<'a>>,
    rows: &'a [Row],
}

pub fn json(cw: &Crosswalk<'_>, rows: &[Row]) -> Result<String, Error> {
    let doc = Document {
        frameworks: cw
            .frameworks
            .iter()
            .map(|fw| FrameworkJson {
                framework: fw.name(),
                title: &fw.framework.title,
                covered: fw.covered(),
                total: fw.total(),
                groups: fw
                    .groups
                    .iter()
                    .map(|g| GroupJson {
                        group: &g.key,
                        title: g.title.as_deref(),
                        covered: g.covered,
                        total: g.total,
                    })
                    .collect(),
            })
            .collect(),
        rows,
    };
    serde_json::to_string_pretty(&doc)
        .map(|text| text + "\n")
        .map_err(|e| Error {
            message: format!("could not write crosswalk.json: {e}"),
            help: None,
        })
}
