//! The import benchmark's document reports exactly the warnings it promises, and the import
//! stays linear in them (twice the warnings: well under four times the time).

#![expect(clippy::unwrap_used, reason = "tests fail loudly")]

use std::time::{Duration, Instant};

fn import(n: usize) -> Duration {
    let text = charter_bench::import::warnings(n);
    let start = Instant::now();
    let imported = charter_interop::openapi::import(&text, "warned.yaml", None).unwrap();
    let took = start.elapsed();
    assert_eq!(imported.warnings.len(), n);
    took
}

#[test]
fn warnings_are_as_many_as_promised_and_linear() {
    import(100);
    let small = import(2_000);
    let large = import(8_000);
    // Linear: 4x; quadratic: 16x. Leave room for a busy machine.
    assert!(
        large < small * 10,
        "2,000 warnings: {small:?}, 8,000: {large:?}"
    );
}
