//! The `rego` target: the policies as an OPA bundle (Rego v1, OPA 1.x) that decides exactly as
//! `charter eval` does (`docs/decisions.md`).
//!
//! Files, relative to the target's folder:
//! - `charter/<package path>/<policy>/policy.rego`: package `charter.<package>.<policy>`, whose
//!   `verdict` is the policy's verdict;
//! - `charter/router/router.rego`: package `charter.router`, whose `verdict` routes by action
//!   and combines the verdicts of every applicable policy (deny-overrides);
//! - `charter/router/egress.rego`: package `charter.router.egress`, whose `verdict` checks a
//!   response of an operation whose result carries provenance;
//! - `charter/schema/schema.rego`: package `charter.schema`, the input validators every policy
//!   runs first (an input that does not fit the declared types is denied);
//! - `data.json`: enum positions (`data.charter.enums`) and the routing table
//!   (`data.charter.routes`);
//! - `.manifest`: revision (SHA-256 of the files above), roots, `rego_version: 1`, metadata;
//! - `.signatures.json` when a signing key is given;
//! - `bundle.tar.gz`: all of the above, packed deterministically.
//!
//! The `rego-tests` target, built with `rego` into its own folder beside the bundle (never inside
//! it: a file the bundle does not list would change what OPA loads): the cases of `charter test`
//! as Rego tests ([`cases`]), `charter/<package path>/<policy>/policy_test.rego`.

mod bundle;
mod cases;
mod egress;
mod emit;
mod helpers;
mod lookup;
mod names;
mod policy;
mod router;
mod schema;
mod verdict;

#[cfg(test)]
mod tests;

use std::collections::BTreeSet;

use charter::ir::Model;

use crate::{Error, Options, OutputFile, Target};

pub struct Rego;

impl Target for Rego {
    fn name(&self) -> &'static str {
        "rego"
    }

    fn emit(&self, model: &Model, options: &Options) -> Result<Vec<OutputFile>, Error> {
        let roots = bundle::roots(model)?;
        let mut files = Vec::new();
        let mut enums = BTreeSet::new();
        let mut validators = schema::Schema::new(model);
        // The validators are named in policy order; the modules are then independent, and made
        // on the CLI's threads (the same bytes on any number).
        let jobs: Vec<_> = model
            .policies
            .iter()
            .map(|p| (p, validators.policy_rules(p)))
            .collect();
        let lookup = lookup::Lookup::new(model);
        let modules = charter::parallel::map(&jobs, options.threads, |(p, rules)| {
            policy::module(&lookup, p, rules)
        });
        for module in modules {
            enums.extend(module.enums);
            files.push(OutputFile::text(module.path, module.text));
        }
        files.push(OutputFile::text(
            egress::PATH,
            egress::module(model, &mut validators),
        ));
        if let Some(text) = validators.module() {
            files.push(OutputFile::text(schema::PATH, text));
        }
        files.push(OutputFile::text(router::PATH, router::module(model)));
        let enums: Vec<_> = enums.iter().collect();
        files.push(bundle::data(model, &enums, &router::routes(model)));
        let revision = bundle::revision(&files);
        files.push(bundle::manifest(model, &revision, &roots));
        if let Some(signatures) = crate::bundle::sign_if_requested(&files, options)? {
            files.push(signatures);
        }
        files.push(bundle::archive(&files, options.threads)?);
        files.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(files)
    }
}

/// The `rego-tests` target: the Charter tests as Rego tests, beside the bundle.
pub struct RegoTests;

impl Target for RegoTests {
    fn name(&self) -> &'static str {
        "rego-tests"
    }

    fn emit(&self, model: &Model, options: &Options) -> Result<Vec<OutputFile>, Error> {
        let mut files: Vec<OutputFile> = cases::modules(model, options.threads)
            .into_iter()
            .map(|(path, text)| OutputFile::text(path, text))
            .collect();
        files.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(files)
    }
}
