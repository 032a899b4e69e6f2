//! Exact decimal numbers, as the input JSON writes them and as OPA compares them: `0.1`, `1e-400`
//! and `123456789012345678901234567890` keep their value; `1`, `1.0` and `1e0` are equal.

use std::cmp::Ordering;

/// A decimal number: `±0.d₁d₂…dₙ × 10^exponent`, digits without leading or trailing zeros (no
/// digits: zero).
#[derive(Debug, Clone)]
pub struct Decimal {
    negative: bool,
    digits: Vec<u8>,
    exponent: i64,
    /// Written with a decimal exponent (the written exponent less the fraction's digits)
    /// beyond ±[`EXTREME_EXPONENT`]: OPA cannot compare such a number beyond ±1000000 (Go's
    /// `big.Rat` refuses it) and takes most of a second to compare one near it, so an input
    /// holding one is invalid in both executions.
    extreme: bool,
}

/// The largest decimal exponent an input number may have (docs/decisions.md): far beyond every
/// numeric type's range (1e-400 is a valid `float`), far below where OPA's comparisons fail
/// (±1000000) or slow down.
pub const EXTREME_EXPONENT: i64 = 10_000;

impl PartialEq for Decimal {
    fn eq(&self, other: &Decimal) -> bool {
        self.cmp(other).is_eq()
    }
}

impl Eq for Decimal {}

/// Exponents beyond this are clamped: such numbers are far outside every numeric type's range.
const EXPONENT_LIMIT: i64 = 1 << 40;

impl Decimal {
    /// Parses a JSON number (`-12.5e3`); `None` for anything else.
    pub fn parse_json(text: &str) -> Option<Decimal> {
        let bytes = text.as_bytes();
        let (negative, rest) = match bytes.split_first() {
            Some((b'-', rest)) => (true, rest),
            _ => (false, bytes),
        };
        let int_len = rest.iter().take_while(|b| b.is_ascii_digit()).count();
        let (int, rest) = rest.split_at(int_len);
        if int.is_empty() || (int.len() > 1 && int.first() == Some(&b'0')) {
            return None;
        }
        let (fraction, rest) = match rest.split_first() {
            Some((b'.', rest)) => {
                let n = rest.iter().take_while(|b| b.is_ascii_digit()).count();
                if n == 0 {
                    return None;
                }
                rest.split_at(n)
            }
            _ => (&[][..], rest),
        };
        let exponent = match rest.split_first() {
            None => 0,
            Some((b'e' | b'E', rest)) => {
                let (sign, digits) = match rest.split_first() {
                    Some((b'-', d)) => (-1, d),
                    Some((b'+', d)) => (1, d),
                    _ => (1, rest),
                };
                if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
                    return None;
                }
                let mut e: i64 = 0;
                for d in digits {
                    e = (e * 10 + i64::from(d - b'0')).min(EXPONENT_LIMIT);
                }
                sign * e
            }
            Some(_) => return None,
        };
        let mut d = Decimal::from_parts(negative, int, fraction, exponent);
        let written = exponent.saturating_sub(i64::try_from(fraction.len()).unwrap_or(i64::MAX));
        d.extreme = written.abs() > EXTREME_EXPONENT;
        Some(d)
    }

    /// Whether OPA cannot compare this number (see [`EXTREME_EXPONENT`]).
    pub fn is_extreme(&self) -> bool {
        self.extreme
    }

    /// Parses a number as Charter source writes it (underscores allowed between digits).
    pub fn parse_literal(text: &str) -> Option<Decimal> {
        let cleaned: String = text.chars().filter(|c| *c != '_').collect();
        let cleaned = cleaned.strip_prefix('+').unwrap_or(&cleaned);
        // Leading zeros and a bare `.5` are tolerated in source, never in JSON.
        let (negative, body) = match cleaned.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, cleaned),
        };
        let (mantissa, exponent) = match body.find(['e', 'E']) {
            Some(at) => (body.get(..at)?, Some(body.get(at + 1..)?)),
            None => (body, None),
        };
        let (int, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
        let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if (int.is_empty() && fraction.is_empty()) || !digits(int) || !digits(fraction) {
            return None;
        }
        let exponent = match exponent {
            Some(e) => {
                let sign = if e.starts_with('-') { -1 } else { 1 };
                let e = e.trim_start_matches(['+', '-']);
                if e.is_empty() || !digits(e) {
                    return None;
                }
                sign * e.bytes().fold(0i64, |acc, d| {
                    (acc * 10 + i64::from(d - b'0')).min(EXPONENT_LIMIT)
                })
            }
            None => 0,
        };
        Some(Decimal::from_parts(
            negative,
            int.as_bytes(),
            fraction.as_bytes(),
            exponent,
        ))
    }

    fn from_parts(negative: bool, int: &[u8], fraction: &[u8], exponent: i64) -> Decimal {
        let all: Vec<u8> = int.iter().chain(fraction).copied().collect();
        let leading = all.iter().take_while(|b| **b == b'0').count();
        let mut digits: Vec<u8> = all.get(leading..).unwrap_or_default().to_vec();
        while digits.last() == Some(&b'0') {
            digits.pop();
        }
        if digits.is_empty() {
            return Decimal::zero();
        }
        // 0.digits × 10^e: the integer part's length, less the zeros dropped in front.
        let int_len = i64::try_from(int.len()).unwrap_or(i64::MAX);
        let leading = i64::try_from(leading).unwrap_or(i64::MAX);
        Decimal {
            negative,
            digits,
            exponent: (exponent + int_len - leading).clamp(-EXPONENT_LIMIT, EXPONENT_LIMIT),
            extreme: false,
        }
    }

    pub fn zero() -> Decimal {
        Decimal {
            negative: false,
            digits: Vec::new(),
            exponent: 0,
            extreme: false,
        }
    }

    pub fn from_i64(value: i64) -> Decimal {
        Decimal::parse_json(&value.to_string()).unwrap_or_else(Decimal::zero)
    }

    pub fn is_zero(&self) -> bool {
        self.digits.is_empty()
    }

    /// Whether the value is a whole number.
    pub fn is_integer(&self) -> bool {
        self.is_zero() || self.exponent >= i64::try_from(self.digits.len()).unwrap_or(i64::MAX)
    }

    /// The value as an `i64`, when it is a whole number in range.
    pub fn to_i64(&self) -> Option<i64> {
        if !self.is_integer() || self.exponent > 19 {
            return None;
        }
        let mut value: i128 = 0;
        for i in 0..self.exponent {
            let d = self
                .digits
                .get(usize::try_from(i).ok()?)
                .map_or(0, |d| d - b'0');
            value = value * 10 + i128::from(d);
        }
        let value = if self.negative { -value } else { value };
        i64::try_from(value).ok()
    }

    /// The order of this number and an integer, exactly (no allocation when it fits `i64`).
    pub fn cmp_i64(&self, other: i64) -> Ordering {
        match self.to_i64() {
            Some(mine) => mine.cmp(&other),
            None => self.cmp(&Decimal::from_i64(other)),
        }
    }

    /// The nearest `f64` (for display only; comparisons are exact).
    pub fn to_f64(&self) -> f64 {
        self.to_string().parse().unwrap_or(f64::NAN)
    }

    /// Whether the magnitude is at most `f64::MAX` (a `float` input must be).
    pub fn fits_f64(&self) -> bool {
        let max = Decimal::parse_json("1.7976931348623157e308").unwrap_or_else(Decimal::zero);
        self.magnitude_cmp(&max).is_le()
    }

    fn magnitude_cmp(&self, other: &Decimal) -> Ordering {
        match (self.is_zero(), other.is_zero()) {
            (true, true) => Ordering::Equal,
            (true, false) => Ordering::Less,
            (false, true) => Ordering::Greater,
            (false, false) => self
                .exponent
                .cmp(&other.exponent)
                .then_with(|| self.digits.cmp(&other.digits)),
        }
    }
}

impl Ord for Decimal {
    fn cmp(&self, other: &Decimal) -> Ordering {
        let sign = |d: &Decimal| {
            if d.is_zero() {
                0
            } else if d.negative {
                -1
            } else {
                1
            }
        };
        match sign(self).cmp(&sign(other)) {
            Ordering::Equal if sign(self) < 0 => other.magnitude_cmp(self),
            Ordering::Equal => self.magnitude_cmp(other),
            unequal => unequal,
        }
    }
}

impl PartialOrd for Decimal {
    fn partial_cmp(&self, other: &Decimal) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// The canonical JSON text: `-0.0012` is `-12e-4`-free plain decimal when short, else with an
/// exponent (`1e-400`); always a valid JSON number of the same value.
impl std::fmt::Display for Decimal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.is_zero() {
            return f.write_str("0");
        }
        if self.negative {
            f.write_str("-")?;
        }
        let digits = String::from_utf8_lossy(&self.digits);
        let n = i64::try_from(self.digits.len()).unwrap_or(i64::MAX);
        let e = self.exponent;
        if (0..=21).contains(&e) {
            // Plain: the integer part, then the fraction.
            let e = usize::try_from(e).unwrap_or(0);
            if n <= e as i64 {
                write!(f, "{digits}{}", "0".repeat(e - self.digits.len()))
            } else {
                let (int, frac) = digits.split_at(e);
                let int = if int.is_empty() { "0" } else { int };
                write!(f, "{int}.{frac}")
            }
        } else if (-6..0).contains(&e) {
            let zeros = usize::try_from(-e).unwrap_or(0);
            write!(f, "0.{}{digits}", "0".repeat(zeros))
        } else {
            // d.ddd e(exponent-1)
            let (first, rest) = digits.split_at(1);
            if rest.is_empty() {
                write!(f, "{first}e{}", e - 1)
            } else {
                write!(f, "{first}.{rest}e{}", e - 1)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> Decimal {
        Decimal::parse_json(text).unwrap_or_else(|| panic!("{text}"))
    }

    #[test]
    fn compares_exactly() {
        assert_eq!(d("1"), d("1.0"));
        assert_eq!(d("100"), d("1e2"));
        assert_eq!(d("-0.0"), d("0"));
        assert_eq!(d("1.50"), d("1.5"));
        assert!(d("0.99999999999999999") < d("1"));
        assert!(d("1.0000000000000001") > d("1"));
        assert!(d("1e-400") > d("0"));
        assert!(d("-1e-400") < d("0"));
        assert!(d("1E400") > d("1.7976931348623157e308"));
        assert!(d("10.0") > d("1.0"));
        assert!(d("-2") < d("-1.5"));
        assert!(d("123456789012345678901234567890") < d("123456789012345678901234567891"));
        assert_eq!(d("9007199254740993.0"), d("9007199254740993"));
    }

    #[test]
    fn integers_and_ranges() {
        assert_eq!(d("9223372036854775807").to_i64(), Some(i64::MAX));
        assert_eq!(d("-9223372036854775808").to_i64(), Some(i64::MIN));
        assert_eq!(d("9223372036854775808").to_i64(), None);
        assert_eq!(d("1e2").to_i64(), Some(100));
        assert_eq!(d("1.5").to_i64(), None);
        assert_eq!(d("0").to_i64(), Some(0));
        assert!(d("1e30").is_integer());
        assert!(!d("1e-400").is_integer());
        assert!(d("1.7976931348623157e308").fits_f64());
        assert!(!d("1E400").fits_f64());
    }

    #[test]
    fn extreme_exponents_are_marked_as_go_counts_them() {
        assert!(!d("1e10000").is_extreme());
        assert!(d("1e10001").is_extreme());
        assert!(!d("1.5e10001").is_extreme()); // 15 × 10^10000
        assert!(d("1e-10001").is_extreme());
        assert!(!d("1e-400").is_extreme());
        assert!(d("1e99999999999999999999").is_extreme());
        assert!(!d("1.5e0000000000000000002").is_extreme());
        assert_eq!(d("1e10001"), d("10e10000"));
    }

    #[test]
    fn rejects_what_json_rejects() {
        for bad in [
            "", "-", "01", "1.", ".5", "1e", "1e+", "+1", "0x1", "1_000", "NaN",
        ] {
            assert!(Decimal::parse_json(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn prints_a_json_number_of_the_same_value() {
        for text in [
            "0",
            "1",
            "-1",
            "1.5",
            "0.001",
            "1e-7",
            "123.456",
            "1e21",
            "1e22",
            "1e-400",
            "2.5E-3",
            "-9223372036854775808",
            "0.99999999999999999",
        ] {
            let printed = d(text).to_string();
            assert_eq!(d(&printed), d(text), "{text} printed as {printed}");
        }
        assert_eq!(d("1e2").to_string(), "100");
        assert_eq!(d("0.10").to_string(), "0.1");
        assert_eq!(
            Decimal::parse_literal("1_000").map(|n| n.to_string()),
            Some("1000".into())
        );
        assert_eq!(Decimal::parse_literal("-2.5E-3"), Some(d("-0.0025")));
    }
}
