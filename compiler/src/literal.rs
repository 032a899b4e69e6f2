//! Literal values with rules of their own: calendar dates, semantic versions, durations.

/// A calendar date (proleptic Gregorian), checked to exist.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Date {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

impl Date {
    /// Parses `YYYY-MM-DD`; `None` if malformed or not a real date (`2027-02-30`).
    pub fn parse(text: &str) -> Option<Date> {
        // Exactly `DDDD-DD-DD`: no signs, no short or long fields.
        let bytes = text.as_bytes();
        let shape = bytes.len() == 10
            && bytes.iter().enumerate().all(|(i, b)| {
                if i == 4 || i == 7 {
                    *b == b'-'
                } else {
                    b.is_ascii_digit()
                }
            });
        if !shape {
            return None;
        }
        let year: i32 = text.get(0..4)?.parse().ok()?;
        let month: u32 = text.get(5..7)?.parse().ok()?;
        let day: u32 = text.get(8..10)?.parse().ok()?;
        let real = (1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month);
        real.then_some(Date { year, month, day })
    }

    /// Days since 1970-01-01 (negative before).
    pub fn days_since_epoch(self) -> i64 {
        // Howard Hinnant's days_from_civil.
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let d = i64::from(self.day);
        let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + d - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The date `days` days after 1970-01-01 (negative before); the inverse of
    /// [`Date::days_since_epoch`]. Years outside `i32` saturate.
    pub fn from_days_since_epoch(days: i64) -> Date {
        // Howard Hinnant's civil_from_days.
        let z = days.saturating_add(719_468);
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = yoe + era * 400 + i64::from(month <= 2);
        Date {
            year: i32::try_from(year).unwrap_or(if year < 0 { i32::MIN } else { i32::MAX }),
            month: u32::try_from(month).unwrap_or(1),
            day: u32::try_from(day).unwrap_or(1),
        }
    }
}

impl std::fmt::Display for Date {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 0,
    }
}

/// Whether `text` is an RFC 3339 timestamp such as `2026-01-01T00:00:00Z`: a four-digit year
/// (0000–9999, proleptic Gregorian), `T` and `Z` upper case, seconds 00–59, an optional fraction
/// of any length, `Z` or `±hh:mm` (docs/decisions.md).
pub fn is_timestamp(text: &str) -> bool {
    instant(text).is_some()
}

/// The instant of an RFC 3339 timestamp, as an orderable key: whole seconds since the Unix
/// epoch (offset applied) and the fraction's digits without trailing zeros, which order as
/// strings exactly as the fractions order as numbers. The emitted Rego computes the same key.
pub fn instant(text: &str) -> Option<(i64, String)> {
    let (date, time) = text.split_once('T')?;
    let date = Date::parse(date)?;
    let (clock, offset_minutes) = if let Some(clock) = time.strip_suffix('Z') {
        (clock, 0i64)
    } else {
        let at = time.rfind(['+', '-'])?;
        let (clock, zone) = (time.get(..at)?, time.get(at..)?);
        let sign = if zone.starts_with('-') { -1 } else { 1 };
        let (h, m) = zone.get(1..)?.split_once(':')?;
        let two = |s: &str| s.len() == 2 && s.bytes().all(|b| b.is_ascii_digit());
        if !two(h) || !two(m) {
            return None;
        }
        let (h, m): (i64, i64) = (h.parse().ok()?, m.parse().ok()?);
        if h > 23 || m > 59 {
            return None;
        }
        (clock, sign * (h * 60 + m))
    };
    let (hms, fraction) = match clock.split_once('.') {
        Some((hms, f)) if !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()) => (hms, f),
        Some(_) => return None,
        None => (clock, ""),
    };
    let parts: Vec<&str> = hms.split(':').collect();
    let [h, m, sec] = parts.as_slice() else {
        return None;
    };
    let field = |s: &str, max: i64| -> Option<i64> {
        (s.len() == 2 && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
            .filter(|v| *v <= max)
    };
    let (h, m, sec) = (field(h, 23)?, field(m, 59)?, field(sec, 59)?);
    let seconds = date.days_since_epoch() * 86_400 + h * 3600 + m * 60 + sec - offset_minutes * 60;
    Some((seconds, fraction.trim_end_matches('0').to_string()))
}

/// The length in seconds of a duration literal such as `365d`, `12h`, `2w`.
pub fn duration_seconds(text: &str) -> Option<i64> {
    let unit = text.chars().last()?;
    let count: i64 = text.get(..text.len().checked_sub(1)?)?.parse().ok()?;
    let per = match unit {
        's' => 1,
        'm' => 60,
        'h' => 3_600,
        'd' => 86_400,
        'w' => 7 * 86_400,
        'y' => 365 * 86_400,
        _ => return None,
    };
    count.checked_mul(per)
}

/// A semantic version `MAJOR.MINOR.PATCH[-PRE][+BUILD]`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Version {
    pub major: u64,
    pub minor: u64,
    pub patch: u64,
    pub pre: String,
}

impl Version {
    pub fn parse(text: &str) -> Option<Version> {
        let core = text.split('+').next()?;
        let (core, pre) = match core.split_once('-') {
            Some((core, pre)) if !pre.is_empty() => (core, pre.to_string()),
            Some(_) => return None,
            None => (core, String::new()),
        };
        let mut parts = core.split('.');
        let number = |s: Option<&str>| -> Option<u64> {
            let s = s?;
            if s.is_empty()
                || (s.len() > 1 && s.starts_with('0'))
                || !s.bytes().all(|b| b.is_ascii_digit())
            {
                return None;
            }
            s.parse().ok()
        };
        let version = Version {
            major: number(parts.next())?,
            minor: number(parts.next())?,
            patch: number(parts.next())?,
            pre,
        };
        parts.next().is_none().then_some(version)
    }
}

/// A duration literal such as `365d`, in days; `None` for units finer than a day.
pub fn duration_days(text: &str) -> Option<u64> {
    let unit = text.chars().last()?;
    let count: u64 = text.get(..text.len() - 1)?.parse().ok()?;
    match unit {
        'd' => Some(count),
        'w' => count.checked_mul(7),
        'y' => count.checked_mul(365),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_since_epoch_round_trips() {
        // Every day from 1600 to 2400, across leap years and century rules.
        for days in -135_000..157_000 {
            let date = Date::from_days_since_epoch(days);
            assert_eq!(date.days_since_epoch(), days, "{date}");
            assert_eq!(Date::parse(&date.to_string()), Some(date));
        }
        assert_eq!(Date::from_days_since_epoch(0).to_string(), "1970-01-01");
        assert_eq!(
            Date::from_days_since_epoch(11_016).to_string(),
            "2000-02-29"
        );
    }

    #[test]
    fn dates() {
        assert!(Date::parse("2027-06-30").is_some());
        assert!(Date::parse("2027-02-30").is_none());
        assert!(Date::parse("2028-02-29").is_some());
        assert!(Date::parse("2100-02-29").is_none());
        assert!(Date::parse("2027-13-01").is_none());
        let a = Date::parse("1970-01-01").map(Date::days_since_epoch);
        let b = Date::parse("2000-03-01").map(Date::days_since_epoch);
        assert_eq!(a, Some(0));
        assert_eq!(b, Some(11_017));
    }

    #[test]
    fn timestamps() {
        assert!(is_timestamp("2026-01-01T00:00:00Z"));
        assert!(is_timestamp("2026-01-01T23:59:59.123+02:00"));
        assert!(!is_timestamp("2026-01-01"));
        assert!(!is_timestamp("2026-01-01T24:00:00Z"));
        assert!(!is_timestamp("2026-01-01t00:00:00z"));
        assert_eq!(instant("1970-01-01T00:00:01Z"), Some((1, String::new())));
        assert_eq!(
            instant("1970-01-01T01:00:00+01:00"),
            Some((0, String::new()))
        );
        assert_eq!(
            instant("1970-01-01T00:00:00.50Z"),
            Some((0, "5".to_string()))
        );
        // Fractions order as strings once trailing zeros are gone: .05 < .5 < .500001.
        let key = |t: &str| instant(t).map(|(_, f)| f);
        assert!(key("1970-01-01T00:00:00.05Z") < key("1970-01-01T00:00:00.5Z"));
        assert!(key("1970-01-01T00:00:00.5Z") < key("1970-01-01T00:00:00.500001Z"));
        assert!(instant("2262-01-02T00:00:00Z") > instant("2262-01-01T00:00:00Z"));
        assert!(instant("0001-01-01T00:00:00Z") < instant("0001-01-01T00:00:00.000000001Z"));
        assert_eq!(
            instant("0001-01-01T00:00:00Z").map(|k| k.0),
            Some(-62_135_596_800)
        );
        assert_eq!(duration_seconds("2d"), Some(172_800));
        assert!(is_timestamp("0001-01-01T00:00:00Z"));
        assert!(is_timestamp("0000-01-01T00:00:00Z"));
        assert!(is_timestamp("9999-12-31T23:59:59.9999999999999Z"));
        assert!(is_timestamp("2300-01-01T00:00:00Z"));
        assert!(!is_timestamp("+026-01-01T00:00:00Z"));
    }

    #[test]
    fn versions() {
        assert!(Version::parse("2.1.0").is_some());
        assert!(Version::parse("2.1.0-rc.1+build").is_some());
        assert!(Version::parse("2.1").is_none());
        assert!(Version::parse("02.1.0").is_none());
        assert!(Version::parse("1.2.3") < Version::parse("1.10.0"));
    }
}
