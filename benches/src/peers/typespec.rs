//! The TypeSpec program of the API-contract workload ([`crate::contracts`]): the same records,
//! enums and GET operations, in the same packages, for `tsp compile . --emit
//! @typespec/openapi3` (the peer of `charter build --target openapi`).
//!
//! Package `atlas.apiNN` is the namespace `Atlas.ApiNN` in its own file `apiNN.tsp`, with:
//!
//! - `enum Status { draft, active, retired }` and the `NotFound` model;
//! - `NotFoundResponse`, the `404` error response whose body is a `NotFound` (TypeSpec puts the
//!   status on a model, Charter on the operation's `errors`);
//! - `Model0` … with the eight fields of the Charter record: `@pattern`, `@minValue` and
//!   `@maxValue` for the refinements, `count?: int64 = 0` for the defaulted field (optional on
//!   the wire, as Charter writes it), `string[]` for the set, `note?` and `previous?`;
//! - the service: a nested namespace `ApiNN` with `@service` and `@route("/apiNN")`, and one
//!   `@get` operation per Charter operation: the `@path` id, the defaulted `@query limit`
//!   (`1..100`, default 20), the optional `@query q`, the record or the `404`.
//!
//! `main.tsp` imports the libraries and every package file; `tspconfig.yaml` asks the OpenAPI 3
//! emitter for OpenAPI 3.1.0 in YAML and JSON, as `charter build --target openapi` writes.

use std::fmt::Write as _;

use crate::contracts::PER_PACKAGE;

/// The program's files (paths relative to the project folder): `main.tsp`, `tspconfig.yaml` and
/// one `apiNN.tsp` per package, for `models` records and `gets` GET operations dealt out over
/// the packages exactly as [`crate::contracts::generate`] deals them.
pub fn generate(models: usize, gets: usize) -> Vec<(String, String)> {
    let packages = models.div_ceil(PER_PACKAGE).max(1);
    let mut main = String::from(
        "// The TypeSpec equivalent of the Charter API-contract workload (charter-peer-gen typespec).\n\
         import \"@typespec/http\";\n\
         import \"@typespec/openapi3\";\n",
    );
    let mut files = Vec::with_capacity(packages + 2);
    for p in 0..packages {
        let first = p * PER_PACKAGE;
        let count = models.saturating_sub(first).min(PER_PACKAGE);
        let ops = gets / packages + usize::from(p < gets % packages);
        let _ = writeln!(main, "import \"./api{p:02}.tsp\";");
        files.push((format!("api{p:02}.tsp"), package(p, count, ops)));
    }
    files.insert(0, ("main.tsp".to_string(), main));
    files.insert(1, ("tspconfig.yaml".to_string(), config()));
    files
}

/// The compiler's configuration: the OpenAPI 3 emitter, OpenAPI 3.1.0 (as Charter writes), YAML
/// and JSON.
pub fn config() -> String {
    "emit:\n  - \"@typespec/openapi3\"\n\
     options:\n  \"@typespec/openapi3\":\n    openapi-versions:\n      - \"3.1.0\"\n    \
     file-type:\n      - yaml\n      - json\n"
        .to_string()
}

fn package(p: usize, models: usize, ops: usize) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "import \"@typespec/http\";\n\nusing Http;\n\nnamespace Atlas.Api{p:02} {{"
    );
    s.push_str(
        "  /** Lifecycle of a resource. */\n  enum Status { draft, active, retired }\n\n  \
         /** The resource does not exist. */\n  model NotFound {\n    \
         /** The id that was asked for. */\n    id: string;\n    message: string;\n  }\n\n  \
         /** The `404` response: a `NotFound`. */\n  @error\n  model NotFoundResponse {\n    \
         @statusCode statusCode: 404;\n    @body body: NotFound;\n  }\n",
    );
    for i in 0..models {
        let _ = writeln!(
            s,
            "\n  /** Resource {i} of package {p}. */\n  model Model{i} {{"
        );
        s.push_str(
            "    /** Identifier. */\n    id: string;\n    \
             @pattern(\"^[a-z][a-z0-9-]*$\") name: string;\n    \
             @minValue(0) @maxValue(1000) count?: int64 = 0;\n    \
             @minValue(0.0) @maxValue(1.0) ratio: float64;\n    status: Status;\n    \
             tags: string[];\n    note?: string;\n",
        );
        if i > 0 {
            let _ = writeln!(s, "    previous?: Model{};", i - 1);
        }
        s.push_str("  }\n");
    }
    let _ = writeln!(
        s,
        "\n  /** API {p}. */\n  @service(#{{ title: \"Api{p:02}\" }})\n  @route(\"/api{p:02}\")\n  \
         namespace Api{p:02} {{"
    );
    for i in 0..ops {
        let result = if models == 0 {
            "NotFound".to_string()
        } else {
            format!("Model{}", i % models)
        };
        let _ = writeln!(
            s,
            "    /** Read resource {i}. */\n    @get @route(\"/v1/r{i}/{{id}}\") op get{i}(\
             @path id: string, @query @minValue(1) @maxValue(100) limit?: int64 = 20, \
             @query q?: string): {result} | NotFoundResponse;"
        );
    }
    s.push_str("  }\n}\n");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(files: &[(String, String)]) -> String {
        files.iter().map(|(_, t)| t.as_str()).collect()
    }

    #[test]
    fn same_records_operations_and_packages_as_the_charter_workload() {
        for (models, gets) in [(2000, 2000), (250, 120), (3, 7)] {
            let files = generate(models, gets);
            let model =
                crate::peers::cedar::checked(crate::contracts::generate(models, gets)).unwrap();
            let all = text(&files);
            let records = model
                .records
                .iter()
                .filter(|r| r.name.name.starts_with("Model"))
                .count();
            assert_eq!(all.matches("\n  model Model").count(), records);
            let ops: usize = model.services.iter().map(|s| s.ops.len()).sum();
            assert_eq!(all.matches(" op get").count(), ops);
            assert_eq!(all.matches("@service(").count(), model.services.len());
            // Every Charter operation has its TypeSpec operation, at its path, returning
            // its record, in its package's service.
            for service in &model.services {
                let package = service.name.package.replace("atlas.api", "api");
                let (_, file) = files
                    .iter()
                    .find(|(path, _)| *path == format!("{package}.tsp"))
                    .unwrap();
                assert!(file.contains(&format!("@route(\"{}\")", service.base_path)));
                for op in &service.ops {
                    let Some(charter::ir::Type::Named(result, _)) = &op.result else {
                        panic!("{} returns no record", op.name);
                    };
                    let line = format!(
                        "@get @route(\"{}\") op {}(@path id: string,",
                        op.path, op.name
                    );
                    let at = file.find(&line).unwrap_or_else(|| panic!("{line}"));
                    let end = at + file[at..].find('\n').unwrap();
                    assert!(
                        file[at..end].ends_with(&format!("): {} | NotFoundResponse;", result.name)),
                        "{}",
                        &file[at..end]
                    );
                }
            }
            // Every record keeps its eight fields and their constraints.
            assert_eq!(
                all.matches("@pattern(\"^[a-z][a-z0-9-]*$\") name: string;")
                    .count(),
                records
            );
            assert_eq!(
                all.matches("@minValue(0) @maxValue(1000) count?: int64 = 0;")
                    .count(),
                records
            );
            assert_eq!(
                all.matches("@minValue(0.0) @maxValue(1.0) ratio: float64;")
                    .count(),
                records
            );
            assert_eq!(
                all.matches("    previous?: Model").count(),
                records - model.services.len().min(records)
            );
        }
    }

    #[test]
    fn main_imports_every_package_and_generation_is_deterministic() {
        let files = generate(2000, 2000);
        assert_eq!(files.len(), 22);
        let (name, main) = &files[0];
        assert_eq!(name, "main.tsp");
        for p in 0..20 {
            assert!(main.contains(&format!("import \"./api{p:02}.tsp\";")));
            assert!(files.iter().any(|(n, _)| *n == format!("api{p:02}.tsp")));
        }
        assert_eq!(files[1], ("tspconfig.yaml".to_string(), config()));
        assert_eq!(files, generate(2000, 2000));
        // Braces balance in every file (a cheap syntax check; `tsp compile` is the real one,
        // in benches/peers/typespec.sh).
        for (name, text) in &files {
            assert_eq!(
                text.matches('{').count(),
                text.matches('}').count(),
                "{name}"
            );
        }
    }
}
