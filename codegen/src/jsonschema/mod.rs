//! The `jsonschema` target: one JSON Schema (draft 2020-12) per record, enum, entity and context,
//! for validating the payloads a service exchanges and the inputs a policy reads.
//!
//! Files, relative to the target's folder: `<package path>/<Name>.schema.json` (package
//! `summit.identity` is `summit/identity/`), each pretty-printed with sorted keys and a trailing
//! newline.
//!
//! Choices (`docs/decisions.md` style, kept here beside the code):
//! - `$id` is `https://charter.invalid/schemas/<package path>/<Name>.schema.json`: an `https` URL
//!   under the reserved `.invalid` domain, so it is stable, never fetched, and lets references
//!   between schemas be plain relative URLs (`../identity/Role.schema.json`) that resolve
//!   against the referring schema's `$id`.
//! - `title` is the first sentence of the declaration's doc comment (its name when it has none),
//!   `description` the whole comment; a field's doc is its property's `description`.
//! - An optional field (`T?`) may be absent, and is not nullable: Charter's `none` is absence,
//!   so `null` never appears in a payload and is rejected. `required` lists the fields that are
//!   neither optional nor defaulted; a defaulted field has its `default`.
//! - Records, entities and contexts are closed (`additionalProperties: false`); maps are objects
//!   whose `additionalProperties` is the value's schema; sets are arrays with `uniqueItems`.
//! - Closed enums are `enum` lists; open enums accept any string besides the known values
//!   (`anyOf`), since clients must accept values added later.
//! - Type aliases are inlined where used (they have no schema of their own).

mod ids;
pub(crate) mod schema;
pub(crate) mod types;

#[cfg(test)]
mod tests;

use charter::api::Index;
use charter::ir::Model;

use crate::{Error, Options, OutputFile, Target};

pub struct JsonSchema;

impl Target for JsonSchema {
    fn name(&self) -> &'static str {
        "jsonschema"
    }

    fn emit(&self, model: &Model, _options: &Options) -> Result<Vec<OutputFile>, Error> {
        let mut files = Vec::new();
        let index = Index::new(model);
        for record in &model.records {
            files.push(file(&record.name, schema::record(&index, record)));
        }
        for shape in &model.entities {
            files.push(file(&shape.name, schema::shape(&index, shape, "entity")));
        }
        for shape in &model.contexts {
            files.push(file(&shape.name, schema::shape(&index, shape, "context")));
        }
        for enumeration in &model.enums {
            files.push(file(&enumeration.name, schema::enumeration(enumeration)));
        }
        files.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(files)
    }
}

fn file(name: &charter::ir::QualName, schema: serde_json::Value) -> OutputFile {
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    text.push('\n');
    OutputFile::text(ids::path(name), text)
}
