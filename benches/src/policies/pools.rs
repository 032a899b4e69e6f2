//! The values generated programs and inputs draw from: literals of every spelling, boundary
//! numbers, timestamps across the whole RFC 3339 range, refinements with values inside and
//! outside them. Programs and inputs share the pools, so comparisons often hit.

use crate::Rng;

pub use super::names::*;

/// A random element of `items` (the default when empty).
pub fn pick<T: Clone + Default>(rng: &mut Rng, items: &[T]) -> T {
    items
        .get(rng.below(items.len()))
        .cloned()
        .unwrap_or_default()
}

/// True with probability `num / den`.
pub fn chance(rng: &mut Rng, num: usize, den: usize) -> bool {
    rng.below(den) < num
}

/// Integer literals as Charter spells them: negative, underscored, at the 64-bit edges.
pub const INT_LITS: &[&str] = &[
    "0",
    "-0",
    "1",
    "-1",
    "5",
    "-5",
    "42",
    "100",
    "1_000",
    "-1_000",
    "9_007_199_254_740_993",
    "9223372036854775807",
    "-9223372036854775808",
    "2_147_483_648",
];

/// Float literals as Charter spells them: exponents either case, underscores, the largest
/// float, negative zero. (A literal a 64-bit float does not hold exactly, `1.0000000000000001`
/// or `1.0e-400`, is the checker's E0005: inputs carry those values instead.)
pub const FLOAT_LITS: &[&str] = &[
    "0.5",
    "-0.5",
    "1.0",
    "0.0",
    "-0.0",
    "1.0e3",
    "1.0E3",
    "2.5e-3",
    "-2.5E-3",
    "0.999_999_999_999_999_9",
    "9007199254740992.0",
    "5.0e-324",
    "42.0",
    "4.2e1",
    "1_000.0",
    "0.1",
    "1.7976931348623157e308",
    "-1.7976931348623157E308",
];

/// Integers in inputs: the literals' values, other spellings of them, the 64-bit edges.
pub const INPUT_INTS: &[&str] = &[
    "0",
    "1",
    "-1",
    "5",
    "-5",
    "42",
    "100",
    "1000",
    "-1000",
    "9007199254740993",
    "9007199254740992",
    "9223372036854775807",
    "-9223372036854775808",
    "2147483648",
];

/// The same values spelled as floats (`1.0`, `1e0`, `1E3`): whether they are ints is the
/// semantics page's to say; both executions must agree.
pub const INPUT_INT_SPELLINGS: &[&str] =
    &["1.0", "1e0", "1E3", "1000.0", "-0", "0.0", "5.00", "42e0"];

/// Floats and decimals in inputs.
pub const INPUT_FLOATS: &[&str] = &[
    "1e-4000",
    "1E+2",
    "1e-07",
    "0.5",
    "-0.5",
    "0.99999999999999999",
    "1.0000000000000001",
    "1e-400",
    "-1e-400",
    "-0.0",
    "1e308",
    "1.7976931348623157e308",
    "2.5e-3",
    "-2.5E-3",
    "0.0025",
    "42.0",
    "4.2e1",
    "0.1",
    "0.10",
    "9007199254740993.0",
    "5e-324",
    "1e3",
    "1",
    "1.0",
    "1e0",
];

/// Numbers outside 64 bits, for `int`.
pub const OUT_OF_RANGE_INTS: &[&str] = &[
    "9.223372036854775808e18",
    "1e19",
    "9223372036854775808",
    "-9223372036854775809",
    "1000000000000000000000000000000",
    "18446744073709551616",
];

/// Numbers outside every float.
pub const HUGE: &[&str] = &[
    "1E400",
    "-1E400",
    "1e400",
    "1.7976931348623158e308",
    "-1.79769313486231571e308",
];

/// Exponents at and beyond what either execution reads (`±1000000`). Rare in inputs: OPA takes
/// most of a second to compare such a number.
pub const EXTREME: &[&str] = &[
    "1e-1000000",
    "1e1000000",
    "1e1000001",
    "-1e-1000001",
    "0e999999999",
    "1e99999999999999999999",
];

pub const STRINGS: &[&str] = &[
    "ops",
    "data",
    "sec",
    "",
    "é✓",
    "a\"b",
    "tab\there",
    "OPS",
    "x",
    "😀",
    "nul\0x",
];

/// String literals as Charter writes them (escapes included) and the text they stand for.
pub const STRING_LITS: &[(&str, &str)] = &[
    ("\"ops\"", "ops"),
    ("\"data\"", "data"),
    ("\"sec\"", "sec"),
    ("\"\"", ""),
    ("\"é✓\"", "é✓"),
    ("\"a\\\"b\"", "a\"b"),
    ("\"tab\\there\"", "tab\there"),
    ("\"😀\"", "😀"),
    ("\"nul\\0x\"", "nul\0x"),
];

pub const UUIDS: &[&str] = &[
    "123e4567-e89b-12d3-a456-426614174000",
    "00000000-0000-0000-0000-000000000000",
    "123E4567-E89B-12D3-A456-426614174000",
];
pub const BAD_UUIDS: &[&str] = &[
    "123e4567e89b12d3a456426614174000",
    "not-a-uuid",
    "123e4567-e89b-12d3-a456-42661417400g",
];

pub const BYTES: &[&str] = &["aGVsbG8=", "", "AAEC"];

/// Valid RFC 3339 timestamps, with the edge class each stands for.
pub const TIMESTAMPS: &[(&str, &str)] = &[
    ("2026-01-01T00:00:00Z", "input.timestamp_plain"),
    ("2026-01-01T01:00:00+01:00", "input.timestamp_offset"),
    ("2025-12-31T23:00:00-01:00", "input.timestamp_offset"),
    ("2026-01-01T00:00:00.5Z", "input.timestamp_fraction"),
    ("2026-01-01T00:00:00.000000001Z", "input.timestamp_fraction"),
    (
        "2026-01-01T00:00:00.123456789123Z",
        "input.timestamp_fraction",
    ),
    ("0001-01-01T00:00:00Z", "input.timestamp_year_0001"),
    ("0001-01-01T00:00:00+01:00", "input.timestamp_year_0001"),
    ("9999-12-31T23:59:59Z", "input.timestamp_year_9999"),
    (
        "9999-12-31T23:59:59.999999999Z",
        "input.timestamp_year_9999",
    ),
    ("9999-12-31T23:59:59-01:00", "input.timestamp_year_9999"),
    ("1677-09-21T00:12:43Z", "input.timestamp_i64_edge"),
    ("1677-09-21T00:12:44Z", "input.timestamp_i64_edge"),
    ("2262-04-11T23:47:16Z", "input.timestamp_i64_edge"),
    ("2262-01-02T00:00:00Z", "input.timestamp_i64_edge"),
    ("2262-01-01T00:00:00Z", "input.timestamp_i64_edge"),
    ("1969-12-31T23:59:59.999Z", "input.timestamp_fraction"),
    ("2026-01-01T00:00:00+14:00", "input.timestamp_offset"),
    ("2026-01-01T00:00:00-23:59", "input.timestamp_offset"),
    ("0000-01-01T00:00:00Z", "input.timestamp_year_0000"),
    ("0000-01-01T00:00:00+00:01", "input.timestamp_year_0000"),
    ("0000-02-29T12:00:00Z", "input.timestamp_year_0000"),
    ("2026-01-01T00:00:00-00:00", "input.timestamp_offset"),
    (
        "2026-01-01T00:00:00.0000000001Z",
        "input.timestamp_fraction",
    ),
    (
        "2026-01-01T00:00:00.0000000000000000001Z",
        "input.timestamp_fraction",
    ),
    ("2026-01-01T00:00:00.000Z", "input.timestamp_fraction"),
];

/// Strings that are not RFC 3339 timestamps (or are only in lower case or with a leap second).
pub const BAD_TIMESTAMPS: &[&str] = &[
    "not a time",
    "2026-01-01T00:00:00",
    "2026-13-01T00:00:00Z",
    "2026-02-30T00:00:00Z",
    "2026-01-01T24:00:00Z",
    "2026-01-01 00:00:00Z",
    "2026-01-01T00:00:00+0100",
    "2026-01-01t00:00:00z",
    "2026-06-30T23:59:60Z",
    "2026-01-01T00:00:00.Z",
    "10000-01-01T00:00:00Z",
    "2026-01-01T00:00:00+24:00",
    "2026-01-01T00:00:00+23:60",
    "2026-01-01T00:00Z",
    "-0001-01-01T00:00:00Z",
];

pub const DATES: &[&str] = &[
    "0000-02-29",
    "2000-02-29",
    "2026-01-01",
    "2027-01-01",
    "2026-12-31",
    "0001-01-01",
    "9999-12-31",
    "2024-02-29",
];
pub const DATE_LITS: &[&str] = &[
    "2026-01-01",
    "2027-01-01",
    "2026-12-31",
    "0001-01-01",
    "9999-12-31",
    "2024-02-29",
];
pub const BAD_DATES: &[&str] = &[
    "1900-02-29",
    "0000-02-30",
    "2023-02-29",
    "2026-1-1",
    "20260101",
    "2026-01-01T00:00:00Z",
    "2026-00-10",
    "+2026-01-01",
    "2026-01-32",
];

pub const DURATIONS: &[&str] = &[
    "30d", "720h", "1w", "0s", "365d", "1y", "52w", "15m", "43200m", "1d", "86400s",
];
pub const DURATION_LITS: &[&str] = &[
    "30d", "720h", "1w", "0s", "365d", "1y", "52w", "15m", "1d", "86400s",
];
/// Durations at the edge of what the grammar says: signs, leading zeros, overflowing seconds.
pub const EDGE_DURATIONS: &[&str] = &[
    "-0s",
    "+0d",
    "9223372036854775807s",
    "9223372036854775808s",
    "-9223372036854775808s",
    "292471208677y",
    "292471208678y",
    "0000000000000000000001s",
    "+5d",
    "-5d",
    "007d",
    "106751991167300d",
    "106751991167301d",
];
pub const BAD_DURATIONS: &[&str] = &["30", "d", "1.5h", "30 d", "30D", "P30D", "", "1h30m"];
