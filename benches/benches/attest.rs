//! What `charter build --attest` adds, in process: every target of the generated workspace
//! emitted (what a full build does after the check), and then the attestation of every target
//! (each source's SHA-256 once, each emitted file's SHA-256, the statements), unsigned and
//! signed (ES256). `cargo bench -p charter-bench --bench attest` measures a ~100,000-line
//! workspace (`CHARTER_BENCH_LINES` overrides); the whole process, from disk, is timed by
//! `benches/attest-overhead.sh` (see docs/benchmarks.md).

#![expect(clippy::unwrap_used, reason = "benchmark setup")]

use charter::db::Database;
use charter_codegen::attest::{self, Build, Source};
use charter_codegen::{Options, OutputFile, SigningKey};

fn main() {
    divan::main();
}

const SEED: u64 = 1;

/// The checked model's database, the sources and every target's files.
struct Built {
    sources: Vec<(String, String)>,
    outputs: Vec<(&'static str, Vec<OutputFile>)>,
}

fn files() -> Vec<(String, String)> {
    charter_bench::generate_lines(charter_bench::bench_lines(), SEED)
}

fn emit_all(model: &charter::ir::Model) -> Vec<(&'static str, Vec<OutputFile>)> {
    charter_codegen::targets()
        .iter()
        .map(|t| (t.name(), t.emit(model, &Options::default()).unwrap()))
        .collect()
}

fn built() -> Built {
    let files = files();
    let db = Database::default();
    let ws = charter_bench::load(&db, &files);
    let outputs = emit_all(charter::semantics::model(&db, ws));
    Built {
        sources: files,
        outputs,
    }
}

/// Every target emitted from a checked model (the build's work after `check`).
#[divan::bench(sample_count = 10)]
fn emit_every_target(bencher: divan::Bencher<'_, '_>) {
    let files = files();
    let db = Database::default();
    let ws = charter_bench::load(&db, &files);
    let model = charter::semantics::model(&db, ws);
    bencher.bench_local(|| divan::black_box(emit_all(model).len()));
}

fn attest_all(built: &Built, signing: Option<&SigningKey>) -> usize {
    let digests: Vec<(&str, String)> = built
        .sources
        .iter()
        .map(|(path, text)| (path.as_str(), attest::sha256(text.as_bytes())))
        .collect();
    let sources: Vec<Source<'_>> = digests
        .iter()
        .map(|(path, sha256)| Source { path, sha256 })
        .collect();
    let targets: Vec<String> = built.outputs.iter().map(|(n, _)| n.to_string()).collect();
    built
        .outputs
        .iter()
        .map(|(name, files)| {
            let build = Build {
                target: name,
                targets: &targets,
                files,
                sources: &sources,
                settings: serde_json::Value::Null,
                compiler_version: "0.0.0",
                source_date: Some(1_700_000_000),
            };
            attest::attestation(&build, signing).unwrap().bytes.len()
        })
        .sum()
}

/// The attestation of every target, unsigned.
#[divan::bench(sample_count = 10)]
fn attest_every_target(bencher: divan::Bencher<'_, '_>) {
    let built = built();
    bencher.bench_local(|| divan::black_box(attest_all(&built, None)));
}

/// The attestation of every target, each in an ES256-signed DSSE envelope.
#[divan::bench(sample_count = 10)]
fn attest_every_target_signed(bencher: divan::Bencher<'_, '_>) {
    let built = built();
    let key = SigningKey {
        pem: include_str!("../../codegen/src/bundle/testdata/ec-sec1.pem").to_string(),
        key_id: None,
        scope: None,
    };
    bencher.bench_local(|| divan::black_box(attest_all(&built, Some(&key))));
}
