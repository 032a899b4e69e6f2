//! The GraphQL importer: mappings, warnings, bad input.
