//! OpenAPI documents for the import benchmarks: `warnings(n)` has `n` properties, each one
//! warning (a string `format` Charter has no type for, W8004), spread over records of 100.

/// A valid OpenAPI 3.1 document whose import reports exactly `n` warnings.
pub fn warnings(n: usize) -> String {
    let mut out = String::from(
        "openapi: 3.1.0\ninfo: {title: Warned, version: 1.0.0}\npaths:\n  /things:\n    get:\n      operationId: listThings\n      responses:\n        \"204\": {description: none}\ncomponents:\n  schemas:\n",
    );
    for i in 0..n {
        if i % 100 == 0 {
            out.push_str(&format!(
                "    Thing{}:\n      type: object\n      properties:\n",
                i / 100
            ));
        }
        out.push_str(&format!(
            "        field{i}: {{type: string, format: email}}\n"
        ));
    }
    out
}
