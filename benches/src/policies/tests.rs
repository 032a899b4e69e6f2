use super::*;
use charter::db::Database;

/// Every generated program checks without errors (the generator is type-aware, so this holds
/// for each one, not only after retries), and its inputs decide both ways.
#[test]
fn generated_policies_check_without_errors_and_inputs_decide() {
    let mut files = Vec::new();
    let mut generated = Vec::new();
    let mut counts = Counts::default();
    for i in 0..24 {
        let mut rng = Rng::new(9, i as u64);
        let p = policy(i, &mut rng);
        files.push((format!("src/p{i}/p{i}.charter"), p.source.clone()));
        counts.merge(&p.counts);
        generated.push(p);
    }
    let db = Database::default();
    let ws = crate::load(&db, &files);
    let errors: Vec<_> = charter::semantics::diagnostics(&db, ws)
        .iter()
        .filter(|d| d.is_error())
        .map(|d| format!("{}: {} {}", d.primary.file, d.code.as_str(), d.message))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let model = charter::semantics::model(&db, ws);
    assert_eq!(model.policies.len(), 24);
    let (mut allowed, mut total, mut invalid) = (0, 0, 0);
    for (i, g) in generated.iter().enumerate() {
        let p = model
            .policies
            .iter()
            .find(|p| p.name.to_string() == g.name)
            .expect("policy in the model");
        let mut rng = Rng::new(3, i as u64);
        for _ in 0..40 {
            let input = input::input(&g.schema, &g.name, &mut rng, &mut counts);
            // Every generated input is JSON the native reader reads (a lone surrogate as U+FFFD).
            let json = charter::eval::Json::parse(&input.text)
                .unwrap_or_else(|e| panic!("{e}: {}", input.text));
            let verdict = charter::eval::evaluate(model, p, &json).verdict;
            total += 1;
            allowed += usize::from(verdict.allow);
            invalid += usize::from(verdict.rule_id == "input_invalid");
        }
    }
    // The generator must exercise both outcomes, and valid as well as malformed inputs.
    assert!(
        allowed > total / 20 && allowed < total * 19 / 20,
        "{allowed} of {total} allowed"
    );
    assert!(
        invalid > total / 10 && invalid < total * 9 / 10,
        "{invalid} of {total} malformed"
    );
    for construct in [
        "type.timestamp",
        "cond.has",
        "rule.canary",
        "input.valid",
        "input.null",
    ] {
        assert!(counts.get(construct) > 0, "{construct} never generated");
    }
}
