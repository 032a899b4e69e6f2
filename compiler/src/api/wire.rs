//! One wire format per primitive: how a value of each Charter primitive is written in a JSON
//! payload (request and response bodies, parameters, policy inputs). Every target that
//! describes or reads payloads (JSON Schema, OpenAPI, the input validators, SDKs) takes its
//! answer from here; `docs/openapi.md` ("Wire format") is the user-facing table.
//!
//! `decimal` is an exact JSON number, as policy inputs read it (`docs/decisions.md`): the digits
//! as written, never rounded by the producer. A client that parses JSON numbers into 64-bit
//! floats loses digits beyond about 15 significant ones: clients must read decimals exactly.

use crate::ir::Prim;

/// The JSON type of a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JsonType {
    Boolean,
    Integer,
    Number,
    String,
}

impl JsonType {
    /// The JSON Schema `type` keyword's value.
    pub fn name(self) -> &'static str {
        match self {
            JsonType::Boolean => "boolean",
            JsonType::Integer => "integer",
            JsonType::Number => "number",
            JsonType::String => "string",
        }
    }
}

/// The pattern a `duration` (`90s`, `12h`, `30d`) matches.
pub const DURATION_PATTERN: &str = "^[0-9]+[smhdwy]$";

/// How one primitive is written in JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Wire {
    pub json: JsonType,
    /// The JSON Schema `format` (`date-time`: RFC 3339 with an offset; `date`: `YYYY-MM-DD`;
    /// `uuid`: 8-4-4-4-12 hex). Decimals carry none yet: adding `format: decimal` would change
    /// every published document, which needs its own decision.
    pub format: Option<&'static str>,
    /// A pattern every value matches.
    pub pattern: Option<&'static str>,
    /// The JSON Schema `contentEncoding` of a string holding binary data.
    pub content_encoding: Option<&'static str>,
}

impl Wire {
    /// The wire format of `p`:
    ///
    /// | primitive | JSON |
    /// |---|---|
    /// | `bool` | `true`/`false` |
    /// | `int` | an integer number (64-bit signed) |
    /// | `float` | a number |
    /// | `decimal` | a number, exact: every digit as written |
    /// | `string` | a string |
    /// | `bytes` | a string, standard base64 (RFC 4648 §4) |
    /// | `timestamp` | a string, RFC 3339 date-time with an offset |
    /// | `date` | a string, `YYYY-MM-DD` |
    /// | `duration` | a string, digits and one unit of `s m h d w y` (`30d`) |
    /// | `uuid` | a string, 8-4-4-4-12 hexadecimal |
    pub fn of(p: Prim) -> Wire {
        let plain = |json| Wire {
            json,
            format: None,
            pattern: None,
            content_encoding: None,
        };
        let formatted = |format| Wire {
            format: Some(format),
            ..plain(JsonType::String)
        };
        match p {
            Prim::Bool => plain(JsonType::Boolean),
            Prim::Int => plain(JsonType::Integer),
            Prim::Float | Prim::Decimal => plain(JsonType::Number),
            Prim::String => plain(JsonType::String),
            Prim::Bytes => Wire {
                content_encoding: Some("base64"),
                ..plain(JsonType::String)
            },
            Prim::Duration => Wire {
                pattern: Some(DURATION_PATTERN),
                ..plain(JsonType::String)
            },
            Prim::Timestamp => formatted("date-time"),
            Prim::Date => formatted("date"),
            Prim::Uuid => formatted("uuid"),
        }
    }
}
