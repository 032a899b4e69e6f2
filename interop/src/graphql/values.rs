//! GraphQL default values as Charter literals, where they fit the imported type.

use async_graphql_parser::types::{BaseType, Type};
use async_graphql_value::ConstValue;

use super::convert::{Converter, Kind};

/// The Charter literal for default `value` of GraphQL type `ty`, or why it is not imported.
pub fn default(conv: &Converter<'_>, value: &ConstValue, ty: &Type) -> Result<String, String> {
    if let ConstValue::Null = value {
        return if ty.nullable {
            Ok("none".to_string())
        } else {
            Err("`null` is not a value of a non-null type".to_string())
        };
    }
    match &ty.base {
        BaseType::List(inner) => match value {
            ConstValue::List(items) => {
                let items: Result<Vec<String>, String> =
                    items.iter().map(|v| default(conv, v, inner)).collect();
                Ok(format!("[{}]", items?.join(", ")))
            }
            _ => Err("a single value given for a list".to_string()),
        },
        BaseType::Named(name) => named(conv, value, name.as_str()),
    }
}

fn named(conv: &Converter<'_>, value: &ConstValue, name: &str) -> Result<String, String> {
    let mismatch = || Err(format!("the value does not fit `{name}`"));
    match (name, value) {
        ("Int", ConstValue::Number(n)) => n
            .as_i64()
            .map(|i| i.to_string())
            .ok_or_else(|| format!("`{n}` is not a 64-bit integer")),
        ("Float", ConstValue::Number(n)) => Ok(float(n)),
        ("String" | "ID", ConstValue::String(s)) => Ok(charter::syntax::lex::quote(s)),
        ("Boolean", ConstValue::Boolean(b)) => Ok(b.to_string()),
        ("Int" | "Float" | "String" | "ID" | "Boolean", _) => mismatch(),
        _ => match conv.kind_of(name) {
            Some(Kind::Enum) => match value {
                ConstValue::Enum(v) => conv
                    .enum_value(name, v.as_str())
                    .map(str::to_string)
                    .ok_or_else(|| format!("`{v}` is not a value of `{name}`")),
                _ => mismatch(),
            },
            Some(Kind::Scalar) if conv.scalar_is_string(name) => match value {
                ConstValue::String(s) => Ok(charter::syntax::lex::quote(s)),
                _ => mismatch(),
            },
            Some(Kind::Scalar) => Err(format!(
                "defaults of the custom scalar `{name}` are not imported"
            )),
            _ => Err(format!(
                "input object defaults (of `{name}`) are not imported"
            )),
        },
    }
}

/// A Charter float literal: digits on both sides of the `.`, the exponent after the fraction.
fn float(n: &serde_json::Number) -> String {
    if let Some(i) = n.as_i64() {
        return i.to_string();
    }
    let text = n.to_string();
    let (mantissa, exponent) = match text.split_once(['e', 'E']) {
        Some((m, e)) => (m.to_string(), Some(e.to_string())),
        None => (text.clone(), None),
    };
    let mantissa = if mantissa.contains('.') {
        mantissa
    } else {
        format!("{mantissa}.0")
    };
    match exponent {
        Some(e) => format!("{mantissa}e{e}"),
        None => mantissa,
    }
}
