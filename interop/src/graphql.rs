//! `charter import graphql`: a GraphQL SDL document (parsed by `async-graphql-parser`) turned
//! into one formatted Charter source file. IO-free: text in, files and warnings out.
//!
//! Mapping (docs/graphql.md has the full table and the reasons):
//! - object and input object types → records; enums → enums; `ID` → the alias `type ID = string`
//!   (which the graphql target writes back as `ID`); `DateTime`, `Date`, `UUID`, `Decimal` and
//!   `Bytes` → aliases of `timestamp`, `date`, `uuid`, `decimal`, `bytes`; any other custom
//!   scalar → an alias of `string` (W8052);
//! - the fields of the query and mutation roots → the operations of one service named after the
//!   package, marked `graphql query` / `graphql mutation`: a query is `GET /<field>` (or `POST` when
//!   it takes an input object), a mutation `POST /<field>`; scalar and enum arguments are query
//!   parameters, the first input object argument is the body (W8056 when it is not named
//!   `input`);
//! - `T` (nullable) is `T?`, `T!` is `T`, `[T]` is `list<T?>?`;
//! - descriptions → doc comments, `@deprecated(reason:)` → `@deprecated(since: 1970-01-01,
//!   note: reason)`: GraphQL records no date, so `since` is a placeholder (W8054);
//! - interfaces, unions, subscriptions, directive definitions and uses, extensions, `implements`,
//!   arguments of non-root fields, defaults that do not fit and argument descriptions are
//!   warnings naming the construct and its `line:column` (W8050–W8056), never a silent loss;
//! - names that are Charter keywords or primitive type names get a `_` suffix (W8051).
//!
//! The result is formatted by `charter::fmt` and checked by the compiler before it is returned:
//! an importer bug shows as E8009, never as a file that does not check.

mod check;
mod convert;
mod names;
mod ops;
mod values;

#[cfg(test)]
mod tests;

use super::{ImportError, ImportWarning, Imported, Lines, Location, SourceFile};
use charter::diagnostics::{Code, codes};

pub use check::manifest;

/// Documents larger than this are refused (E8005).
pub const MAX_BYTES: usize = 32 * 1024 * 1024;
/// Brackets (`[`, `{`, `(`) nested deeper than this are refused (E8005): the parser recurses.
pub const MAX_DEPTH: usize = 64;
/// The `since` date of imported deprecations: GraphQL has none (W8054).
pub const UNKNOWN_SINCE: &str = "1970-01-01";

/// Imports `text` (named `file_name` in locations) into package `package`.
pub fn import(text: &str, file_name: &str, package: &str) -> Result<Imported, ImportError> {
    check::package_name(package)?;
    check::limits(text, file_name)?;
    let doc =
        async_graphql_parser::parse_schema(text).map_err(|e| syntax_error(&e, text, file_name))?;
    if doc.definitions.is_empty() {
        return Err(empty(file_name));
    }
    let mut converter = convert::Converter::new(file_name, text, package);
    let source = converter.run(&doc)?;
    let path = format!(
        "src/{}/{}.charter",
        package.replace('.', "/"),
        last_segment(package)
    );
    let formatted =
        charter::fmt::format_text(&path, &source).map_err(|e| internal(&e.to_string()))?;
    check::compiles(package, &path, &formatted)?;
    Ok(Imported {
        files: vec![SourceFile::new(path, formatted)],
        warnings: converter.take_warnings(),
    })
}

/// The last segment of a package name: `acme.api` → `api`.
pub fn last_segment(package: &str) -> &str {
    package.rsplit('.').next().unwrap_or(package)
}

fn syntax_error(error: &async_graphql_parser::Error, text: &str, file_name: &str) -> ImportError {
    let location = error.positions().next().map(|p| {
        Box::new(Location::at(
            file_name,
            Lines::new(text).position(p.line, p.column),
        ))
    });
    // pest's message is a drawing (`--> 1:1`, the line, a caret) and `= expected ...`.
    let message = error.to_string();
    let lines: Vec<&str> = message.lines().map(str::trim).collect();
    let first = lines
        .iter()
        .find_map(|l| l.strip_prefix("= "))
        .or_else(|| {
            lines
                .iter()
                .copied()
                .find(|l| !l.is_empty() && !l.starts_with("-->") && !l.contains('|'))
        })
        .unwrap_or("syntax error");
    ImportError {
        code: codes::E8001,
        message: format!("the GraphQL document does not parse: {}", first.trim()),
        location,
        help: Some(
            "fix the document so that a GraphQL tool (such as graphql-js `buildSchema`) accepts it; \
             a truncated file usually ends inside a type's `{ }`"
                .to_string(),
        ),
    }
}

fn empty(file_name: &str) -> ImportError {
    ImportError {
        code: codes::E8051,
        message: "the GraphQL document defines nothing".to_string(),
        location: Some(Box::new(Location::file(file_name))),
        help: Some("import a schema (SDL) with at least one type definition".to_string()),
    }
}

/// An importer bug: the Charter text it wrote does not format or check.
pub(crate) fn internal(message: &str) -> ImportError {
    ImportError {
        code: codes::E8009,
        message: format!("the imported Charter source does not check: {message}"),
        location: None,
        help: Some(
            "this is a bug in `charter import graphql`; please report it with the document"
                .to_string(),
        ),
    }
}

pub(crate) fn warning(
    code: Code,
    construct: String,
    location: Location,
    message: String,
) -> ImportWarning {
    ImportWarning {
        code,
        construct: construct.into(),
        location,
        message: message.into(),
    }
}
