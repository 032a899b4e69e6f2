//! Every `$ref` of the document checked before anything is imported, wherever it is (schemas,
//! parameters, callbacks, webhooks, response headers, links, examples, security schemes,
//! `default` responses, ...): an invalid document is reported as invalid, with the JSON
//! pointer of each reference that points nowhere or outside the document.

use charter::diagnostics::codes;
use serde_json::Value;

use super::doc::{Doc, escape};
use crate::ImportError;

/// How many dangling references the error lists by pointer (the rest are counted).
const LISTED: usize = 20;

/// Maps whose keys are names (of properties, responses, components, ...), not keywords.
const NAMED: &[&str] = &[
    "properties",
    "patternProperties",
    "$defs",
    "definitions",
    "dependentSchemas",
    "paths",
    "webhooks",
    "responses",
    "callbacks",
    "content",
    "encoding",
    "headers",
    "links",
    "variables",
    "mapping",
    "schemas",
    "parameters",
    "examples",
    "requestBodies",
    "securitySchemes",
    "pathItems",
];

/// Keys whose values are data, not OpenAPI objects: a `$ref` key inside them is not a reference.
/// Inside a map of names (`properties`, `responses`, ...) every key is a name, never data.
fn is_data(parent: &str, key: &str, value: &Value) -> bool {
    if NAMED.contains(&parent) {
        return false;
    }
    matches!(key, "example" | "default" | "enum" | "const" | "value")
        || key.starts_with("x-")
        // A schema's `examples` (3.1) is a list of values; an `examples` map holds Example
        // Objects, which may be references.
        || (key == "examples" && value.is_array())
}

/// The references of `doc` that point nowhere (`(pointer of the reference, target)`), in
/// document order. Iterative: the document is at most `MAX_DEPTH` deep, but no stack is needed.
pub fn dangling(doc: &Doc) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut stack: Vec<(String, &str, &Value)> = vec![(String::new(), "", &doc.root)];
    while let Some((pointer, parent, value)) = stack.pop() {
        match value {
            Value::Object(map) => {
                if let Some(target) = map.get("$ref").and_then(Value::as_str) {
                    let resolves = target
                        .strip_prefix('#')
                        .is_some_and(|local| doc.at(local).is_some());
                    if !resolves {
                        out.push((pointer.clone(), target.to_string()));
                    }
                }
                for (key, child) in map.iter().rev() {
                    if key != "$ref" && !is_data(parent, key, child) {
                        stack.push((format!("{pointer}/{}", escape(key)), key, child));
                    }
                }
            }
            Value::Array(items) => {
                for (i, child) in items.iter().enumerate().rev() {
                    // Items of a list (parameters, `allOf` parts, servers) are objects whose keys
                    // are keywords, whatever the list is called.
                    stack.push((format!("{pointer}/{i}"), "", child));
                }
            }
            _ => {}
        }
    }
    out
}

/// The error for dangling references (none: `None`): located at the first, listing each.
pub fn check(doc: &Doc) -> Option<ImportError> {
    let found = dangling(doc);
    let (first_at, first_target) = found.first()?;
    let external = |t: &str| !t.starts_with('#');
    let message = if found.len() == 1 {
        if external(first_target) {
            format!("the `$ref` `{first_target}` points outside the document")
        } else {
            format!("the `$ref` `{first_target}` points nowhere")
        }
    } else {
        let mut text = format!(
            "{} `$ref`s point nowhere or outside the document:",
            found.len()
        );
        for (at, target) in found.iter().take(LISTED) {
            text.push_str(&format!(" `{target}` at #{at};"));
        }
        if found.len() > LISTED {
            text.push_str(&format!(" and {} more", found.len() - LISTED));
        }
        text.trim_end_matches(';').to_string()
    };
    let help = if found.len() == 1 {
        if external(first_target) {
            "bundle the document into one file first (for example with `redocly bundle`)"
        } else {
            "declare the target, or fix the reference"
        }
    } else if found.iter().any(|(_, t)| external(t)) {
        "bundle the document into one file first (for example with `redocly bundle`), and declare every target"
    } else {
        "declare the targets, or fix the references"
    };
    Some(ImportError {
        code: codes::E8004,
        message,
        location: Some(Box::new(doc.location(first_at))),
        help: Some(help.into()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pointers(text: &str) -> Vec<String> {
        let doc = crate::openapi::doc::load(text, "t.yaml").unwrap();
        dangling(&doc).into_iter().map(|(at, _)| at).collect()
    }

    #[test]
    fn references_are_found_where_they_are_and_data_is_not_one() {
        let text = r##"
paths:
  /a:
    get:
      parameters:
        - {name: q, in: query, example: {$ref: "data"}, schema: {$ref: "#/nowhere"}}
      responses:
        default: {$ref: "#/components/responses/Gone"}
components:
  schemas:
    S:
      default: {$ref: "data"}
      enum: [{$ref: "data"}]
      properties:
        default: {$ref: "#/components/schemas/Missing"}
        value: {$ref: "#/components/schemas/S"}
  examples:
    e: {value: {$ref: "data"}}
"##;
        assert_eq!(
            pointers(text),
            [
                "/components/schemas/S/properties/default",
                "/paths/~1a/get/parameters/0/schema",
                "/paths/~1a/get/responses/default",
            ]
        );
    }
}
