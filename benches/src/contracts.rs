//! The API-contract workload: `models` records and `gets` GET operations, for the OpenAPI
//! benchmark (issue: 2,000 models and 2,000 GET operations checked and emitted in under 0.3 s).
//!
//! Records are spread over packages of [`PER_PACKAGE`] (`atlas.api00`, `atlas.api01`, ..., one
//! folder each), each package with a `Status` enum, a `NotFound` error record, `models.charter`
//! and `service.charter`: one service per package holding that package's share of the GET
//! operations. A record has eight fields (refinements, a default, an enum, a set, an optional
//! field, and an optional reference to the previous record of its package); an operation takes
//! a path parameter and two query parameters (one defaulted, one optional), returns one of the
//! package's records and declares a `404`. Every generated workspace checks clean.

use std::fmt::Write as _;

/// Records per package.
pub const PER_PACKAGE: usize = 100;

/// The files (paths relative to the workspace root) of the workload; the manifest is written
/// by [`crate::write`].
pub fn generate(models: usize, gets: usize) -> Vec<(String, String)> {
    let packages = models.div_ceil(PER_PACKAGE).max(1);
    let mut files = Vec::new();
    for p in 0..packages {
        let first = p * PER_PACKAGE;
        let count = models.saturating_sub(first).min(PER_PACKAGE);
        // Operations are dealt out as evenly as the packages allow.
        let ops = gets / packages + usize::from(p < gets % packages);
        files.push((
            format!("src/api{p:02}/models.charter"),
            models_file(p, count),
        ));
        files.push((
            format!("src/api{p:02}/service.charter"),
            service_file(p, count, ops),
        ));
    }
    files
}

fn models_file(p: usize, count: usize) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "package atlas.api{p:02}\n");
    s.push_str(
        "/// Lifecycle of a resource.\n\
         enum Status { draft, active, retired }\n\n\
         /// The resource does not exist.\n\
         record NotFound {\n  /// The id that was asked for.\n  id: string\n  message: string\n}\n",
    );
    for i in 0..count {
        let _ = writeln!(s, "\n/// Resource {i} of package {p}.\nrecord Model{i} {{");
        s.push_str(
            "  /// Identifier.\n  id: string\n  name: string matching \"^[a-z][a-z0-9-]*$\"\n  \
             count: int in 0..1000 = 0\n  ratio: float in 0.0..1.0\n  status: Status\n  \
             tags: set<string>\n  note: string?\n",
        );
        if i > 0 {
            let _ = writeln!(s, "  previous: Model{}?", i - 1);
        }
        s.push_str("}\n");
    }
    s
}

fn service_file(p: usize, models: usize, ops: usize) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "package atlas.api{p:02}\n");
    let _ = writeln!(
        s,
        "/// API {p}.\nservice Api{p:02} version \"1.0.0\" at \"/api{p:02}\" {{"
    );
    for i in 0..ops {
        let model = if models == 0 { None } else { Some(i % models) };
        let result = model.map_or_else(|| "NotFound".to_string(), |m| format!("Model{m}"));
        let _ = writeln!(
            s,
            "  /// Read resource {i}.\n  op get{i} GET \"/v1/r{i}/{{id}}\" (id: string, \
             limit: int in 1..100 = 20, q: string?) -> {result}\n    errors {{ 404: NotFound }}"
        );
    }
    s.push_str("}\n");
    s
}

/// The size of the contract benchmarks (records and GET operations alike): 2,000 under `cargo
/// bench`, 100 under `cargo test --benches`, or `CHARTER_BENCH_MODELS`.
pub fn bench_size() -> usize {
    if let Some(n) = std::env::var("CHARTER_BENCH_MODELS")
        .ok()
        .and_then(|v| v.replace('_', "").parse().ok())
    {
        return n;
    }
    if std::env::args().any(|a| a == "--bench") {
        2000
    } else {
        100
    }
}

/// The checked model of the workload with `n` records and `n` GET operations.
///
/// # Panics
/// When the generated workspace does not check clean (a bug of the generator).
pub fn checked_model(n: usize) -> charter::ir::Model {
    let files = generate(n, n);
    let db = charter::db::Database::default();
    let ws = crate::load(&db, &files);
    let diagnostics = charter::semantics::diagnostics(&db, ws);
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    charter::semantics::model(&db, ws).clone()
}

#[cfg(test)]
mod tests {
    use charter::db::Database;

    #[test]
    fn contract_workloads_check_clean() {
        for (models, gets) in [(250, 120), (3, 7), (0, 2)] {
            let files = super::generate(models, gets);
            let db = Database::default();
            let ws = crate::load(&db, &files);
            let diagnostics = charter::semantics::diagnostics(&db, ws);
            assert!(diagnostics.is_empty(), "{diagnostics:?}");
            let model = charter::semantics::model(&db, ws);
            let records = model
                .records
                .iter()
                .filter(|r| r.name.name.starts_with("Model"))
                .count();
            assert_eq!(records, models);
            let ops: usize = model.services.iter().map(|s| s.ops.len()).sum();
            assert_eq!(ops, gets);
        }
    }
}
