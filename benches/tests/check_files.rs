//! `Database::check_files`, `charter check`'s pass, which drops each file's analysis on the
//! thread that made it: the diagnostics are those of a database that kept everything, every
//! per-file query it keeps runs exactly once, no analysis is memoised, and every tree is kept
//! (dropping them lowered no peak and cost time: docs/benchmarks.md, "Issue 21: trees kept").
use charter::db::{Database, parse};
use charter::semantics::{analyze_file, diagnostics};

fn count(log: &[String], query: &str) -> usize {
    log.iter()
        .filter(|l| l.starts_with(&format!("{query}(")))
        .count()
}

/// The generated workspace (core plus six packages, 50 files) with one error and its warnings.
fn files() -> Vec<(String, String)> {
    let mut files = charter_bench::generate(6, 11);
    let broken = files
        .iter_mut()
        .find(|(_, text)| text.contains("subject."))
        .map(|(_, text)| *text = text.replacen("subject.", "subjekt.", 1));
    assert!(broken.is_some());
    files
}

#[test]
fn check_files_reports_as_prewarm_and_keeps_no_analysis() {
    for threads in [1, 2, 3] {
        let db = Database::with_log();
        let ws = charter_bench::load(&db, &files());
        db.take_log();
        let got = db.check_files(ws, threads);
        let log = db.take_log();
        let n = ws.files(&db).len();
        // Each file's queries ran once: no tree was dropped before its file was analysed, and
        // `diagnostics` only assembled what the pass computed.
        for query in [
            "parse",
            "file_names",
            "file_imports",
            "file_sigs",
            "file_actions",
        ] {
            assert_eq!(
                count(&log, query),
                n,
                "{query}, {threads} threads: {log:#?}"
            );
        }
        // The analyses were made and dropped outside the database, the diagnostics assembled
        // without its `diagnostics` query.
        for query in ["analyze_file", "file_diagnostics", "diagnostics"] {
            assert_eq!(
                count(&log, query),
                0,
                "{query}, {threads} threads: {log:#?}"
            );
        }
        assert!(got.iter().any(charter::diagnostics::Diagnostic::is_error));

        let fresh = Database::default();
        let ws2 = charter_bench::load(&fresh, &files());
        fresh.prewarm(ws2, threads);
        assert_eq!(&got, diagnostics(&fresh, ws2), "{threads} threads");

        // Every tree was kept and no analysis: only the analyses are computed again.
        for file in ws.files(&db).clone() {
            let _ = parse(&db, file);
            let _ = analyze_file(&db, ws, file);
        }
        let log = db.take_log();
        assert_eq!(count(&log, "parse"), 0, "{threads} threads: {log:#?}");
        assert_eq!(
            count(&log, "analyze_file"),
            n,
            "{threads} threads: {log:#?}"
        );
    }
}
