//! OPA bundle signing: `.signatures.json` as OPA writes and checks it (see [`sign`]).
//!
//! Targets that emit an OPA bundle call [`sign_if_requested`] with their loose bundle files
//! before packing them, and put the returned `.signatures.json` both beside the files and inside
//! `bundle.tar.gz`.

mod canonical;
mod keys;
pub mod sign;

pub use canonical::canonical_json;
pub use keys::Algorithm;
pub use sign::{
    VerifyError, VerifyOptions, is_signatures_file, problems, sign, verify, verify_with,
};

use crate::{Error, Options, OutputFile};

/// The signatures file, at the bundle root.
pub const SIGNATURES_FILE: &str = ".signatures.json";

/// The packed bundle beside the loose files in a target's folder; it is the bundle's archive,
/// not one of its files, so signatures neither cover nor expect it.
pub const ARCHIVE: &str = "bundle.tar.gz";

/// `.signatures.json` for the bundle `files` when `options` carries a `signing_key` (PEM text,
/// with `key_id` and `scope` optional); `None` when the bundle is not to be signed.
pub fn sign_if_requested(
    files: &[OutputFile],
    options: &Options,
) -> Result<Option<OutputFile>, Error> {
    let Some(pem) = options.settings.get("signing_key") else {
        return Ok(None);
    };
    let key_id = options.settings.get("key_id").map(String::as_str);
    let scope = options.settings.get("scope").map(String::as_str);
    sign(files, pem, key_id, scope).map(Some)
}
