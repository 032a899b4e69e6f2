//! Code generation: each target reads the typed model ([`charter::ir::Model`]) and returns the
//! files it produces, as bytes. Targets do no IO and never re-check anything: what a target would
//! have to reject is a checker diagnostic instead. Writing the files (atomically, with
//! `--check`) is the CLI's job.

pub mod attest;
pub mod bundle;
pub mod calendar;
pub mod crosswalk;
pub mod evidence;
pub mod graphql;
pub mod jsonschema;
pub mod openapi;
pub mod portal;
pub mod rego;
pub mod report;
pub mod sdk;
#[cfg(test)]
mod testing;
pub mod threats;
pub mod verdict;

use charter::ir::Model;

/// One generated file, relative to the target's output folder (`/` separators).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    pub path: String,
    pub bytes: Vec<u8>,
}

impl OutputFile {
    pub fn text(path: impl Into<String>, text: impl Into<String>) -> Self {
        OutputFile {
            path: path.into(),
            bytes: text.into().into_bytes(),
        }
    }
}

/// Options the targets read, set by the CLI; each field names the targets that read it.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// `rego`: sign the OPA bundle (`.signatures.json`) with this key.
    pub signing: Option<SigningKey>,
    /// `evidence`: what the evidence folder holds for each declared path (the CLI alone reads
    /// the folder); `None` reports the evidence unchecked.
    pub evidence: Option<std::collections::BTreeMap<String, evidence::Status>>,
    /// `evidence`: the build attestations found in the evidence folder, listed as the `cicd`
    /// category's artefacts.
    pub attestations: Vec<evidence::Attested>,
    /// `crosswalk` (OSCAL `last-modified`) and `calendar` (DTSTAMP): seconds since the Unix
    /// epoch, as `SOURCE_DATE_EPOCH`, for reproducible timestamps.
    pub source_date: Option<i64>,
    /// `openapi`, `rego`, `rego-tests`: how many threads emit services and policy modules (1,
    /// or none, emits on the calling thread); the files are the same ([`charter::parallel`]).
    pub threads: Option<std::num::NonZeroUsize>,
    /// The SDK targets (`sdk-typescript`): the `[sdk]` table of charter.toml.
    pub sdk: sdk::SdkOptions,
    /// `portal`: the sources, the other targets built with it, the readiness gates.
    pub portal: portal::PortalOptions,
}

/// A bundle signing key: the PEM text of an RSA or EC P-256 private key, with the signature's
/// key id (`kid`) and scope claim, both optional.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SigningKey {
    pub pem: String,
    pub key_id: Option<String>,
    pub scope: Option<String>,
}

/// Why a target could not produce its output (IO-free failures: a key that does not parse).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    pub message: String,
    pub help: Option<String>,
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

/// A code generation target. Targets are emitted on several threads at once (`Sync`).
pub trait Target: Sync {
    /// The name used on the command line (`--target NAME`) and as the output subfolder.
    fn name(&self) -> &'static str;
    /// Produces the target's files, deterministically: the same model gives the same bytes.
    fn emit(&self, model: &Model, options: &Options) -> Result<Vec<OutputFile>, Error>;
}

/// Every target, in the order `--target all` runs them.
pub fn targets() -> Vec<Box<dyn Target>> {
    vec![
        Box::new(rego::Rego),
        Box::new(rego::RegoTests),
        Box::new(evidence::EvidenceIndex),
        Box::new(threats::Threats),
        Box::new(crosswalk::Crosswalk),
        Box::new(calendar::Calendar),
        Box::new(jsonschema::JsonSchema),
        Box::new(openapi::OpenApi),
        Box::new(graphql::Graphql),
        Box::new(sdk::typescript::SdkTypescript),
        Box::new(sdk::go::SdkGo),
        Box::new(sdk::python::SdkPython),
        Box::new(portal::Portal),
    ]
}

/// The target with this name.
pub fn target(name: &str) -> Option<Box<dyn Target>> {
    targets().into_iter().find(|t| t.name() == name)
}
