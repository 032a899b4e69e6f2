//! `charter fmt` on generated programs: idempotent, and the formatted workspace means the same
//! (the same typed model, source locations aside) as the original.

use charter::db::Database;
use charter::ir;

/// The model with every source location erased: formatting moves text, not meaning.
fn without_locations(mut m: ir::Model) -> ir::Model {
    let blank = ir::Loc::default();
    m.records.iter_mut().for_each(|x| x.loc = blank.clone());
    m.enums.iter_mut().for_each(|x| x.loc = blank.clone());
    m.aliases.iter_mut().for_each(|x| x.loc = blank.clone());
    m.entities.iter_mut().for_each(|x| x.loc = blank.clone());
    m.contexts.iter_mut().for_each(|x| x.loc = blank.clone());
    for p in &mut m.policies {
        p.loc = blank.clone();
        p.rules.iter_mut().for_each(|r| r.loc = blank.clone());
    }
    for s in &mut m.services {
        s.loc = blank.clone();
        s.ops.iter_mut().for_each(|o| o.loc = blank.clone());
    }
    m.controls.iter_mut().for_each(|x| {
        x.loc = blank.clone();
        x.evidence.iter_mut().for_each(|e| e.loc = blank.clone());
    });
    m.threats.iter_mut().for_each(|x| x.loc = blank.clone());
    m.tests.iter_mut().for_each(|x| x.loc = blank.clone());
    m
}

fn model(files: &[(String, String)]) -> ir::Model {
    let db = Database::default();
    let ws = charter_bench::load(&db, files);
    let diagnostics = charter::semantics::diagnostics(&db, ws);
    assert!(diagnostics.is_empty(), "{diagnostics:#?}");
    without_locations(charter::semantics::model(&db, ws).clone())
}

#[test]
fn formatting_generated_workspaces_is_idempotent_and_keeps_their_meaning() {
    for seed in [1, 7, 42] {
        let files = charter_bench::generate(6, seed);
        let mut formatted = Vec::new();
        let mut changed = 0;
        for (path, text) in &files {
            let once =
                charter::fmt::format_text(path, text).unwrap_or_else(|e| panic!("{path}: {e}"));
            let twice =
                charter::fmt::format_text(path, &once).unwrap_or_else(|e| panic!("{path}: {e}"));
            assert_eq!(once, twice, "{path}: formatting is not idempotent");
            if &once != text {
                changed += 1;
            }
            formatted.push((path.clone(), once));
        }
        assert!(
            changed > 0,
            "the generator's layout differs from fmt's somewhere, so this test formats something"
        );
        assert_eq!(
            model(&files),
            model(&formatted),
            "seed {seed}: formatting changed the meaning"
        );
    }
}
