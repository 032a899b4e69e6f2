//! Rego helper functions a policy module includes when its conditions need them. Each returns
//! undefined, never an error, for a value that does not parse: OPA may run with strict built-in
//! errors, and `docs/decisions.md` makes such comparisons false.

/// `_instant(s)`: the orderable instant of an RFC 3339 timestamp.
pub const TIMESTAMPS: &str = r#"# The instant of an RFC 3339 timestamp (docs/decisions.md) as an orderable key: whole seconds
# since the epoch, then the fraction's digits without trailing zeros (which order as strings
# exactly as the fractions order as numbers); undefined when the value is not a timestamp.
_instant(s) := [seconds, trim_right(fraction, "0")] if {
	_is_timestamp(s)
	parts := regex.find_all_string_submatch_n(`^([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})(\.([0-9]+))?(Z|([+-])([0-9]{2}):([0-9]{2}))$`, s, 1)[0]
	offset := _offset_s(parts[10], _int(parts[11]), _int(parts[12]))
	days := _days_from_civil(_int(parts[1]), _int(parts[2]), _int(parts[3]))
	seconds := (((days * 86400) + (_int(parts[4]) * 3600)) + (_int(parts[5]) * 60)) + (_int(parts[6]) - offset)
	fraction := parts[8]
}

_offset_s("", _, _) := 0

_offset_s("+", h, m) := (h * 3600) + (m * 60)

_offset_s("-", h, m) := 0 - ((h * 3600) + (m * 60))

# Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil).
_days_from_civil(y, m, d) := ((era * 146097) + doe) - 719468 if {
	yy := y - _january_or_february(m)

	# `floor` of a negative fraction is 0 in OPA: shift by one era so its argument is positive.
	era := floor((yy + 400) / 400) - 1
	yoe := yy - (era * 400)
	doy := (floor(((153 * ((m + 9) % 12)) + 2) / 5) + d) - 1
	doe := (((yoe * 365) + floor(yoe / 4)) - floor(yoe / 100)) + doy
}

_january_or_february(m) := 1 if m <= 2

_january_or_february(m) := 0 if m > 2
"#;

/// `_is_timestamp(s)` and the calendar helpers it uses.
pub const TIMESTAMP_SYNTAX: &str = r#"# An RFC 3339 timestamp as docs/decisions.md reads one: a year 0000-9999, `T` and `Z` upper
# case, seconds 00-59, a fraction of any length, `Z` or an offset `±hh:mm`, a real calendar day.
_is_timestamp(s) if {
	is_string(s)
	regex.match(`^[0-9]{4}-[0-9]{2}-[0-9]{2}T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]+)?(Z|[+-]([01][0-9]|2[0-3]):[0-5][0-9])$`, s)
	day := _int(substring(s, 8, 2))
	day >= 1
	day <= _days_in_month(_int(substring(s, 0, 4)), _int(substring(s, 5, 2)))
}

_days_in_month(_, month) := 31 if month in {1, 3, 5, 7, 8, 10, 12}

_days_in_month(_, month) := 30 if month in {4, 6, 9, 11}

_days_in_month(year, 2) := 29 if _leap_year(year)

_days_in_month(year, 2) := 28 if not _leap_year(year)

_leap_year(year) if {
	year % 4 == 0
	year % 100 != 0
}

_leap_year(year) if year % 400 == 0
"#;

/// `_is_date(s)`: a real calendar day written `YYYY-MM-DD`.
pub const DATES: &str = r#"# A date as docs/decisions.md reads one: `YYYY-MM-DD`, a real calendar day.
_is_date(s) if {
	is_string(s)
	regex.match(`^[0-9]{4}-[0-9]{2}-[0-9]{2}$`, s)
	day := _int(substring(s, 8, 2))
	day >= 1
	day <= _days_in_month(_int(substring(s, 0, 4)), _int(substring(s, 5, 2)))
}
"#;

/// `_duration_s(d)`: the length of a duration.
pub const DURATIONS: &str = r#"# The length in seconds of a duration such as `365d` (docs/decisions.md: `s`, `m`, `h`, `d`, `w`,
# `y` of 365 days); undefined when the value is not one or its length does not fit 64 bits.
_duration_s(d) := seconds if {
	is_string(d)
	regex.match(`^[+-]?[0-9]+[smhdwy]$`, d)
	amount := trim_prefix(substring(d, 0, count(d) - 1), "+")
	seconds := _signed_int(amount) * _duration_unit[substring(d, count(d) - 1, 1)]
	seconds >= -9223372036854775808
	seconds <= 9223372036854775807
}

_duration_unit := {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800, "y": 31536000}

_signed_int(s) := 0 - _int(substring(s, 1, -1)) if {
	startswith(s, "-")
} else := _int(s)
"#;

/// `_default(o, k, d)` and `_step(v, k)`: reading a path through a field with a default.
pub const DEFAULTS: &str = r#"# A field with a default: its value when present, else the default (docs/decisions.md); undefined
# when the value holding it is not an object.
_default(o, k, d) := object.get(o, k, d) if is_object(o)

_step(o, k) := o[k] if is_object(o)
"#;

/// `_int(s)`: decimal digits to a number (used by the helpers above).
pub const INT: &str = r#"# The value of a string of decimal digits (`to_number` rejects leading zeros).
_int(s) := to_number(digits) if {
	digits := trim_left(s, "0")
	digits != ""
} else := 0
"#;

/// The names the helpers define; no rule may take them.
pub const NAMES: [&str; 17] = [
    "_default",
    "_step",
    "_is_date",
    "_instant",
    "_offset_s",
    "_days_from_civil",
    "_january_or_february",
    "_is_timestamp",
    "_days_in_month",
    "_leap_year",
    "_duration_s",
    "_duration_unit",
    "_signed_int",
    "_int",
    "_provenance_present",
    "_provenance_problems",
    "_provenance_field_ok",
];

/// The provenance check's helpers (docs/decisions.md, step 1).
pub fn provenance(operations: &[String]) -> String {
    let listed: Vec<String> = operations.iter().map(|o| format!("`{o}`")).collect();
    let verb = if operations.len() == 1 {
        "requires"
    } else {
        "require"
    };
    format!(
        r#"# The provenance envelope, checked when no enforced deny matched: {} {verb} provenance.
_provenance_present if input.context.provenance != null

# The fields of the envelope that are missing or wrong, in the order docs/decisions.md checks them.
_provenance_problems := [field |
	some field in ["origin", "actor", "timestamp", "confidence", "simulated"]
	not _provenance_field_ok(field, input.context.provenance)
]

_provenance_field_ok("origin", envelope) if is_string(envelope.origin)

_provenance_field_ok("actor", envelope) if is_string(envelope.actor)

_provenance_field_ok("timestamp", envelope) if _is_timestamp(envelope.timestamp)

_provenance_field_ok("confidence", envelope) if {{
	is_number(envelope.confidence)
	envelope.confidence >= 0
	envelope.confidence <= 1
}}

_provenance_field_ok("simulated", envelope) if is_boolean(envelope.simulated)
"#,
        listed.join(", ")
    )
}
