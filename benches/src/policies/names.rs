//! The schema side of the pools: refinements with values inside and outside them, enum values,
//! actions, map keys, and names that mean something to Rego or to the emitter.

/// A numeric range refinement: its text, defaults Charter accepts, and values inside and
/// outside it as JSON spells them.
pub struct RangeSpec {
    pub int: bool,
    pub text: &'static str,
    pub defaults: &'static [&'static str],
    pub inside: &'static [&'static str],
    pub outside: &'static [&'static str],
}

pub const INT_RANGES: &[RangeSpec] = &[
    RangeSpec {
        int: true,
        text: "0..100",
        defaults: &["0", "100", "42"],
        inside: &["0", "100", "50", "42", "1.0"],
        outside: &["-1", "101", "1000"],
    },
    RangeSpec {
        int: true,
        text: "-10..-1",
        defaults: &["-10", "-1"],
        inside: &["-10", "-1", "-5"],
        outside: &["0", "-11"],
    },
    RangeSpec {
        int: true,
        text: "1..",
        defaults: &["1", "1_000"],
        inside: &["1", "9223372036854775807"],
        outside: &["0", "-1"],
    },
    RangeSpec {
        int: true,
        text: "..1_000",
        defaults: &["1_000", "-5"],
        inside: &["1000", "-9223372036854775808"],
        outside: &["1001"],
    },
];

pub const FLOAT_RANGES: &[RangeSpec] = &[
    RangeSpec {
        int: false,
        text: "0.0..1.0",
        defaults: &["0.5", "1.0", "0.0"],
        inside: &[
            "0.0",
            "1.0",
            "0.5",
            "0.99999999999999999",
            "1e-400",
            "1",
            "0",
            "1e0",
        ],
        outside: &["1.0000000000000001", "-1e-400", "1.5", "-0.5"],
    },
    RangeSpec {
        int: false,
        text: "-1.0..1.0",
        defaults: &["-1.0", "1.0"],
        inside: &["-1.0", "1.0", "0.0", "-0.0"],
        outside: &["-1.0000000000000001", "1.0000000000000001"],
    },
    RangeSpec {
        int: false,
        text: "0.5..",
        defaults: &["0.5", "1.0e3"],
        inside: &["0.5", "1e3", "5e-1"],
        outside: &["0.49999999999999999", "0.4"],
    },
];

pub const DECIMAL_RANGES: &[RangeSpec] = &[
    RangeSpec {
        int: false,
        text: "0..",
        defaults: &["0", "19.99"],
        inside: &["0", "19.99", "0.0"],
        outside: &["-0.01", "-1e-400"],
    },
    RangeSpec {
        int: false,
        text: "0.01..100.00",
        defaults: &["0.01", "100.00"],
        inside: &["0.01", "100.00", "100"],
        outside: &["0.009", "100.000000000000001"],
    },
];

/// A pattern refinement with strings that match it and strings that do not.
pub struct PatternSpec {
    pub pattern: &'static str,
    pub matching: &'static [&'static str],
    pub failing: &'static [&'static str],
}

pub const PATTERNS: &[PatternSpec] = &[
    PatternSpec {
        pattern: "^[a-z]+$",
        matching: &["ops", "data"],
        failing: &["OPS", "", "a1"],
    },
    PatternSpec {
        pattern: "[0-9]",
        matching: &["a1", "2026"],
        failing: &["ops", ""],
    },
    PatternSpec {
        pattern: "^(ops|data|sec)$",
        matching: &["ops", "sec"],
        failing: &["opsx", "x"],
    },
    PatternSpec {
        pattern: "^[A-Z]{2}-[0-9]+$",
        matching: &["AB-1", "ZZ-2026"],
        failing: &["ab-1", "AB-"],
    },
];

/// Enum value sets (none a keyword or a root).
pub const ENUM_VALUES: &[&[&str]] = &[
    &["low", "mid", "high"],
    &["red", "green", "blue", "black"],
    &["alpha", "beta"],
    &["public", "internal", "confidential", "restricted"],
    &["only"],
];

pub const ACTIONS: &[&str] = &[
    "read", "write", "delete", "export", "approve", "purge", "null", "some",
];

/// Map keys, some that a path text would have to quote (`a.b`, `k"q`, a space, a digit).
pub const MAP_KEYS: &[&str] = &[
    "ops", "data", "sec", "", "k", "a.b", "k\"q", "é", " ", "0", "[0]",
];

/// Names Charter accepts that mean something in Rego or to the emitter: keywords, built-ins,
/// the documents of a policy module, its helpers (`r0_or_1`), the bundle's packages.
pub const TRICKY_NAMES: &[&str] = &[
    "some",
    "every",
    "if",
    "contains",
    "else",
    "import",
    "null",
    "input",
    "data",
    "future",
    "rego",
    "object",
    "count",
    "verdict",
    "decision",
    "canary",
    "matches",
    "input_valid",
    "input_problems",
    "_subject_problems",
    "schema",
    "time",
    "print",
    "minus",
    "lt",
    "eq",
    "internal",
    "_default",
    "_instant",
    "_step",
    "_int",
    "_is_timestamp",
    "r0_or_1",
    "r0_not_1",
    "r1_or_2",
    "rule_input_valid",
    "rule_schema",
    "rule_if",
    "_extreme_numbers",
];

/// Policy names that are Rego keywords or name the bundle's own packages.
pub const TRICKY_POLICY_NAMES: &[&str] = &[
    "some", "input", "data", "if", "contains", "every", "import", "null", "schema", "router",
    "verdict", "matches", "enums", "routes",
];
