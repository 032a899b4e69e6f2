//! The deprecation timeline (SVG) from the calendar: one row per deprecated declaration, a bar
//! from its deprecation to its sunset (to the end of the axis, dashed, when it has none), with a
//! tick at the start of each year.

use std::fmt::Write as _;

use charter::literal::Date;

use super::page::{attr, h};
use crate::calendar::{Entry, Event};

const LABEL: i64 = 330;
const PLOT: i64 = 560;
const ROW: i64 = 22;
const TOP: i64 = 28;
/// Longer names are cut at the start in the picture (the table beside it has them whole).
const MAX_LABEL: usize = 46;

/// One deprecated declaration: its name, kind, and dates.
pub struct Span<'a> {
    pub name: &'a str,
    pub kind: &'static str,
    pub since: Date,
    pub sunset: Option<Date>,
}

/// The deprecations of the calendar, in its order (by deprecation date).
pub fn spans<'a>(entries: &'a [Entry<'a>]) -> Vec<Span<'a>> {
    entries
        .iter()
        .filter(|e| e.event == Event::Deprecated)
        .map(|e| Span {
            name: &e.name,
            kind: e.kind.as_str(),
            since: e.date,
            sunset: e.deprecation.sunset,
        })
        .collect()
}

fn label(name: &str) -> String {
    let n = name.chars().count();
    if n <= MAX_LABEL {
        return name.to_string();
    }
    let tail: String = name.chars().skip(n - (MAX_LABEL - 1)).collect();
    format!("…{tail}")
}

pub fn svg(spans: &[Span<'_>]) -> String {
    let Some(first) = spans.iter().map(|s| s.since.days_since_epoch()).min() else {
        return "<p>Nothing is deprecated.</p>\n".to_string();
    };
    let last = spans
        .iter()
        .map(|s| s.sunset.unwrap_or(s.since).days_since_epoch())
        .max()
        .unwrap_or(first);
    // A little room after the last date, and never a zero-length axis.
    let end = last + ((last - first) / 20).max(30);
    let x = |day: i64| LABEL + (day - first) * PLOT / (end - first);
    let width = LABEL + PLOT + 20;
    let height = TOP + ROW * i64::try_from(spans.len()).unwrap_or(i64::MAX / 64) + 10;
    let mut out = format!(
        "<svg class=\"timeline\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} \
         {height}\" role=\"img\" aria-labelledby=\"timeline-title\">\n<title \
         id=\"timeline-title\">Deprecation timeline: {} deprecated declarations from {} to {}; \
         the table below lists them</title>\n",
        spans.len(),
        Date::from_days_since_epoch(first),
        Date::from_days_since_epoch(last)
    );
    let from = Date::from_days_since_epoch(first).year;
    let to = Date::from_days_since_epoch(end).year;
    for year in (from + 1)..=to {
        let Some(jan) = Date::parse(&format!("{year:04}-01-01")) else {
            continue;
        };
        let at = x(jan.days_since_epoch());
        let _ = write!(
            out,
            "<line class=\"tick\" x1=\"{at}\" y1=\"{}\" x2=\"{at}\" y2=\"{}\"/><text class=\"axis\" \
             x=\"{at}\" y=\"14\">{year}</text>",
            TOP - 6,
            height - 4
        );
    }
    for (i, s) in spans.iter().enumerate() {
        let y = TOP + ROW * i64::try_from(i).unwrap_or(0);
        let start = x(s.since.days_since_epoch());
        let (stop, class) = match s.sunset {
            Some(d) => (x(d.days_since_epoch()), "span"),
            None => (LABEL + PLOT, "span open"),
        };
        let tip = match s.sunset {
            Some(d) => format!("{} {}: deprecated {}, sunset {d}", s.kind, s.name, s.since),
            None => format!("{} {}: deprecated {}, no sunset", s.kind, s.name, s.since),
        };
        let _ = writeln!(
            out,
            "<g data-name=\"{}\"><title>{}</title><text class=\"label\" x=\"{}\" y=\"{}\" \
             text-anchor=\"end\">{}</text><rect class=\"{class}\" x=\"{start}\" y=\"{}\" \
             width=\"{}\" height=\"{}\"/></g>",
            attr(s.name),
            h(&tip),
            LABEL - 8,
            y + ROW / 2 + 4,
            h(&label(s.name)),
            y + 4,
            (stop - start).max(2),
            ROW - 8
        );
    }
    out.push_str("</svg>\n");
    out
}
