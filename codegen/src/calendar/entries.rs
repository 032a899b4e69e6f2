//! The calendar's events: one per deprecation and one per sunset, sorted.

use charter::ir::{Deprecation, Model};
use charter::literal::Date;

/// What happens on an event's date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Event {
    Deprecated,
    Sunset,
}

impl Event {
    pub fn as_str(self) -> &'static str {
        match self {
            Event::Deprecated => "deprecated",
            Event::Sunset => "sunset",
        }
    }
}

/// The kind of the deprecated declaration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    Service,
    Operation,
    Record,
    Field,
    Enum,
    Variant,
    Alias,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Service => "service",
            Kind::Operation => "operation",
            Kind::Record => "record",
            Kind::Field => "field",
            Kind::Enum => "enum",
            Kind::Variant => "enum value",
            Kind::Alias => "alias",
        }
    }

    /// The kind as one word, for UIDs.
    pub fn slug(self) -> &'static str {
        match self {
            Kind::Variant => "value",
            other => other.as_str(),
        }
    }
}

/// One calendar event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry<'a> {
    pub date: Date,
    pub event: Event,
    pub kind: Kind,
    /// The qualified name: `pkg.Service`, `pkg.Service.op`, `pkg.Record.field`, `pkg.Enum.value`.
    pub name: String,
    pub deprecation: &'a Deprecation,
}

impl Entry<'_> {
    /// Stable across builds: `<event>-<kind>-<name>@charter`.
    pub fn uid(&self) -> String {
        format!(
            "{}-{}-{}@charter",
            self.event.as_str(),
            self.kind.slug(),
            self.name
        )
    }
}

/// Every event of the model, sorted by date, then event, then kind, then name.
pub fn entries(model: &Model) -> Vec<Entry<'_>> {
    let mut found: Vec<(Kind, String, &Deprecation)> = Vec::new();
    for s in &model.services {
        if let Some(d) = &s.deprecated {
            found.push((Kind::Service, s.name.to_string(), d));
        }
        for op in &s.ops {
            if let Some(d) = &op.deprecated {
                found.push((Kind::Operation, format!("{}.{}", s.name, op.name), d));
            }
        }
    }
    for r in &model.records {
        if let Some(d) = &r.deprecated {
            found.push((Kind::Record, r.name.to_string(), d));
        }
        for f in &r.fields {
            if let Some(d) = &f.deprecated {
                found.push((Kind::Field, format!("{}.{}", r.name, f.name), d));
            }
        }
    }
    for e in &model.enums {
        if let Some(d) = &e.deprecated {
            found.push((Kind::Enum, e.name.to_string(), d));
        }
        for v in &e.variants {
            if let Some(d) = &v.deprecated {
                found.push((Kind::Variant, format!("{}.{}", e.name, v.name), d));
            }
        }
    }
    for a in &model.aliases {
        if let Some(d) = &a.deprecated {
            found.push((Kind::Alias, a.name.to_string(), d));
        }
    }
    let mut out = Vec::new();
    for (kind, name, deprecation) in found {
        out.push(Entry {
            date: deprecation.since,
            event: Event::Deprecated,
            kind,
            name: name.clone(),
            deprecation,
        });
        if let Some(sunset) = deprecation.sunset {
            out.push(Entry {
                date: sunset,
                event: Event::Sunset,
                kind,
                name,
                deprecation,
            });
        }
    }
    out.sort_by(|a, b| {
        (a.date.days_since_epoch(), a.event, a.kind, &a.name).cmp(&(
            b.date.days_since_epoch(),
            b.event,
            b.kind,
            &b.name,
        ))
    });
    out
}
