//! The deterministic `last-modified` of the OSCAL metadata. OSCAL requires a timestamp; a wall
//! clock would make every build differ. `Options.source_date`, when set, is seconds
//! since the Unix epoch (as `SOURCE_DATE_EPOCH`, for reproducible builds: typically the time of
//! the last commit); otherwise the timestamp is the epoch itself, `1970-01-01T00:00:00Z`.

use crate::{Error, Options};

pub fn last_modified(options: &Options) -> Result<String, Error> {
    let Some(seconds) = options.source_date else {
        return Ok(rfc3339(0));
    };
    Some(seconds)
        .filter(|s| (0..=253_402_300_799).contains(s))
        .map(rfc3339)
        .ok_or_else(|| Error {
            message: format!(
                "the source date `{seconds}` is not seconds since the Unix epoch up to year 9999"
            ),
            help: Some(
                "give whole seconds, as SOURCE_DATE_EPOCH: `git log -1 --format=%ct`".into(),
            ),
        })
}

/// Seconds since the epoch (0 to year 9999) as `YYYY-MM-DDThh:mm:ssZ`.
pub fn rfc3339(seconds: i64) -> String {
    let days = seconds.div_euclid(86_400);
    let secs = seconds.rem_euclid(86_400);
    let charter::literal::Date { year, month, day } =
        charter::literal::Date::from_days_since_epoch(days);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(rfc3339(1_700_000_000), "2023-11-14T22:13:20Z");
        assert_eq!(rfc3339(253_402_300_799), "9999-12-31T23:59:59Z");
    }

    #[test]
    fn setting() {
        let mut options = Options::default();
        assert_eq!(last_modified(&options).unwrap(), "1970-01-01T00:00:00Z");
        options.source_date = Some(1_700_000_000);
        assert_eq!(last_modified(&options).unwrap(), "2023-11-14T22:13:20Z");
        options.source_date = Some(-1);
        assert!(last_modified(&options).is_err());
    }
}
