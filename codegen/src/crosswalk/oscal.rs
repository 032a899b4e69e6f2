//! `oscal/component-definition.json`: an OSCAL 1.1.2 component definition. One component (the
//! workspace package); one `control-implementation` per framework whose `source` is the
//! framework's title; one `implemented-requirement` per covered requirement, whose `control-id`
//! is the requirement's OSCAL token ([`super::token`]) and whose props give the display id
//! (`label`) and the covering controls (`control`, with the relationship in `remarks`).
//!
//! Deterministic: UUIDs are version 5 in [`NAMESPACE`] over stable names
//! (`component-definition:<package>`, `component:<package>`,
//! `control-implementation:<package>:<framework>`,
//! `implemented-requirement:<package>:<framework>:<requirement id>`), and `last-modified` comes
//! from [`super::date`].

use serde::Serialize;
use uuid::Uuid;

use super::token::token;
use super::view::{Crosswalk, FrameworkCoverage, RequirementCoverage, control_id};
use crate::Error;

pub const PATH: &str = "oscal/component-definition.json";
pub const OSCAL_VERSION: &str = "1.1.2";

/// The namespace of every UUID in the component definition (fixed; picked once).
pub const NAMESPACE: Uuid = Uuid::from_u128(0x576a_bedd_56b3_4b57_89f5_ad31_22b3_2fc2);

/// The namespace of Charter's props (`label`, `control`): a URN, since the project publishes no
/// namespace document; props in OSCAL's own namespace are limited to the names OSCAL defines.
pub const PROP_NS: &str = "urn:charter:oscal";

fn uuid(name: &str) -> String {
    Uuid::new_v5(&NAMESPACE, name.as_bytes()).to_string()
}

#[derive(Serialize)]
struct Document {
    #[serde(rename = "component-definition")]
    component_definition: ComponentDefinition,
}

#[derive(Serialize)]
struct ComponentDefinition {
    uuid: String,
    metadata: Metadata,
    components: Vec<Component>,
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct Metadata {
    title: String,
    last_modified: String,
    version: String,
    oscal_version: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct Component {
    uuid: String,
    #[serde(rename = "type")]
    kind: &'static str,
    title: String,
    description: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    control_implementations: Vec<ControlImplementation>,
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct ControlImplementation {
    uuid: String,
    source: String,
    description: String,
    implemented_requirements: Vec<ImplementedRequirement>,
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct ImplementedRequirement {
    uuid: String,
    control_id: String,
    description: String,
    props: Vec<Prop>,
}

#[derive(Serialize)]
struct Prop {
    name: &'static str,
    ns: &'static str,
    value: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    remarks: Option<String>,
}

fn requirement(
    package: &str,
    fw: &FrameworkCoverage<'_>,
    r: &RequirementCoverage<'_>,
) -> ImplementedRequirement {
    let mut props = vec![Prop {
        name: "label",
        ns: PROP_NS,
        value: r.requirement.id.clone(),
        remarks: None,
    }];
    let mut lines = Vec::new();
    for link in &r.links {
        let relationship = link.relationship_texts().join("; ");
        props.push(Prop {
            name: "control",
            ns: PROP_NS,
            value: control_id(link.control).to_string(),
            remarks: Some(relationship.clone()),
        });
        lines.push(format!(
            "{} ({}): {}.",
            control_id(link.control),
            relationship,
            link.control.title
        ));
    }
    ImplementedRequirement {
        uuid: uuid(&format!(
            "implemented-requirement:{package}:{}:{}",
            fw.name(),
            r.requirement.id
        )),
        control_id: token(fw.name(), &r.requirement.id),
        description: format!(
            "{} {}. Covered by {}",
            r.requirement.id,
            r.requirement.title,
            lines.join(" ")
        ),
        props,
    }
}

pub fn render(
    package: &str,
    version: &str,
    last_modified: String,
    cw: &Crosswalk<'_>,
) -> Result<String, Error> {
    let implementations = cw
        .frameworks
        .iter()
        .filter(|fw| fw.covered() > 0)
        .map(|fw| ControlImplementation {
            uuid: uuid(&format!("control-implementation:{package}:{}", fw.name())),
            source: fw.framework.title.clone(),
            description: format!(
                "{} of {} requirements of {} are covered by the controls of {package}.",
                fw.covered(),
                fw.total(),
                fw.framework.title
            ),
            implemented_requirements: fw
                .reqs
                .iter()
                .filter(|r| r.covered())
                .map(|r| requirement(package, fw, r))
                .collect(),
        })
        .collect();
    let doc = Document {
        component_definition: ComponentDefinition {
            uuid: uuid(&format!("component-definition:{package}")),
            metadata: Metadata {
                title: format!("{package}: control implementations"),
                last_modified,
                version: version.to_string(),
                oscal_version: OSCAL_VERSION,
            },
            components: vec![Component {
                uuid: uuid(&format!("component:{package}")),
                kind: "software",
                title: package.to_string(),
                description: format!(
                    "The Charter workspace `{package}` {version}: its controls, the policies \
                     that enforce them and their evidence."
                ),
                control_implementations: implementations,
            }],
        },
    };
    serde_json::to_string_pretty(&doc)
        .map(|text| text + "\n")
        .map_err(|e| Error {
            message: format!("could not write {PATH}: {e}"),
            help: None,
        })
}
