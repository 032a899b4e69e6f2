//! Writes a large, valid OpenAPI 3.1 document for the import benchmark:
//! `charter-openapi-gen FILE [--bytes N] [--json]` (default 5,000,000 bytes, YAML).
//!
//! Each unit is one component schema (strings with patterns and formats, ranged numbers, an enum,
//! a nested object, a list of the previous schema) and two operations on it (a GET with path and
//! query parameters, a POST with a body and error responses). Deterministic: the same arguments
//! give the same bytes.

use std::fmt::Write as _;
use std::process::ExitCode;

fn unit(i: usize, json: bool) -> (String, String) {
    let prev = if i == 0 { 0 } else { i - 1 };
    let schema = format!(
        r##"    Model{i}:
      type: object
      description: Generated model number {i}.
      required: [id, name, status]
      properties:
        id:
          type: string
          format: uuid
        name:
          type: string
          pattern: "^[a-z][a-z0-9_]*$"
        status:
          $ref: "#/components/schemas/Status"
        score:
          type: number
          minimum: 0
          maximum: 1
        count:
          type: integer
          minimum: 0
          default: 0
        created:
          type: string
          format: date-time
        labels:
          type: object
          additionalProperties:
            type: string
        owner:
          type: object
          properties:
            team:
              type: string
            email:
              type: string
        previous:
          type: array
          items:
            $ref: "#/components/schemas/Model{prev}"
"##
    );
    let path = format!(
        r##"  /v1/models{i}/{{id}}:
    get:
      operationId: getModel{i}
      summary: Read one model {i}.
      parameters:
        - name: id
          in: path
          required: true
          schema:
            type: string
        - name: limit
          in: query
          schema:
            type: integer
            minimum: 1
            maximum: 100
            default: 20
        - name: tags
          in: query
          schema:
            type: array
            items:
              type: string
      responses:
        "200":
          description: the model
          content:
            application/json:
              schema:
                $ref: "#/components/schemas/Model{i}"
        "404":
          description: not found
          content:
            application/json:
              schema:
                $ref: "#/components/schemas/Problem"
    put:
      operationId: putModel{i}
      parameters:
        - name: id
          in: path
          required: true
          schema:
            type: string
      requestBody:
        required: true
        content:
          application/json:
            schema:
              $ref: "#/components/schemas/Model{i}"
      responses:
        "200":
          description: stored
          content:
            application/json:
              schema:
                $ref: "#/components/schemas/Model{i}"
        "409":
          description: conflict
          content:
            application/json:
              schema:
                $ref: "#/components/schemas/Problem"
"##
    );
    let _ = json;
    (schema, path)
}

const HEAD: &str = "openapi: 3.1.0\ninfo:\n  title: Generated Models\n  version: 1.0.0\nservers:\n  - url: https://api.example.com/models\n";
const COMMON: &str = "    Problem:\n      type: object\n      required: [title, status]\n      properties:\n        title:\n          type: string\n        status:\n          type: integer\n          minimum: 400\n          maximum: 599\n    Status:\n      type: string\n      enum: [draft, active, retired]\n";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(file) = args.first() else {
        eprintln!("usage: charter-openapi-gen FILE [--bytes N] [--json]");
        return ExitCode::from(2);
    };
    let mut bytes = 5_000_000usize;
    let mut json = false;
    let mut rest = args.iter().skip(1);
    while let Some(arg) = rest.next() {
        match arg.as_str() {
            "--bytes" => match rest.next().and_then(|n| n.parse().ok()) {
                Some(n) => bytes = n,
                None => {
                    eprintln!("--bytes needs a number");
                    return ExitCode::from(2);
                }
            },
            "--json" => json = true,
            other => {
                eprintln!("unknown argument `{other}`");
                return ExitCode::from(2);
            }
        }
    }
    let mut schemas = String::from(COMMON);
    let mut paths = String::new();
    let mut i = 0;
    while HEAD.len() + schemas.len() + paths.len() + 40 < bytes {
        let (s, p) = unit(i, json);
        schemas.push_str(&s);
        paths.push_str(&p);
        i += 1;
    }
    let mut yaml = String::from(HEAD);
    let _ = write!(yaml, "paths:\n{paths}components:\n  schemas:\n{schemas}");
    let text = if json {
        // The same document as JSON: YAML read by the importer's own reader, written by serde_json.
        match charter_yaml_to_json(&yaml) {
            Some(t) => t,
            None => {
                eprintln!("internal: the generated YAML did not convert");
                return ExitCode::from(1);
            }
        }
    } else {
        yaml
    };
    if let Err(e) = std::fs::write(file, &text) {
        eprintln!("cannot write {file}: {e}");
        return ExitCode::from(2);
    }
    eprintln!(
        "wrote {file}: {} bytes, {i} schemas, {} operations",
        text.len(),
        2 * i
    );
    ExitCode::SUCCESS
}

fn charter_yaml_to_json(yaml: &str) -> Option<String> {
    let doc = charter_interop::openapi::doc::load(yaml, "generated.yaml").ok()?;
    serde_json::to_string_pretty(&doc.root).ok()
}
