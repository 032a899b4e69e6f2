//! OPA bundle signing: `.signatures.json` as OPA writes and checks it (see [`sign`]).
//!
//! Targets that emit an OPA bundle call [`sign_if_requested`] with their loose bundle files
//! before packing them, and put the returned `.signatures.json` both beside the files and inside
//! `bundle.tar.gz`.

mod canonical;
pub mod gzip;
pub(crate) mod keys;
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

/// The gzip level of `bundle.tar.gz`: zlib's default. Level 9 made the archive 3 % smaller for
/// 2.4 times the compression time (docs/benchmarks.md, issue 21); the files inside are the same.
pub const LEVEL: u32 = 6;

/// `.signatures.json` for the bundle `files` when `options` carries a signing key; `None` when
/// the bundle is not to be signed.
pub fn sign_if_requested(
    files: &[OutputFile],
    options: &Options,
) -> Result<Option<OutputFile>, Error> {
    let Some(key) = &options.signing else {
        return Ok(None);
    };
    sign(files, &key.pem, key.key_id.as_deref(), key.scope.as_deref()).map(Some)
}

/// `bundle.tar.gz` of `files`, byte for byte as the rego target packs it: entries in path order,
/// mode 0644, mtime 0, uid and gid 0, no user names, and a gzip header with mtime 0 and no file
/// name, compressed by zlib-rs at [`LEVEL`] in fixed chunks ([`gzip`]). `charter bundle sign`
/// re-packs a signed folder's archive with it.
pub fn pack(files: &[OutputFile]) -> Result<OutputFile, Error> {
    pack_on(files, None)
}

/// [`pack`], compressing on up to `threads` threads: the same bytes on any number.
pub fn pack_on(
    files: &[OutputFile],
    threads: Option<std::num::NonZeroUsize>,
) -> Result<OutputFile, Error> {
    let failed = |error: std::io::Error| Error {
        message: format!("cannot pack the bundle: {error}"),
        help: None,
    };
    let mut sorted: Vec<&OutputFile> = files.iter().collect();
    sorted.sort_by(|a, b| a.path.cmp(&b.path));
    let mut tar = tar::Builder::new(Vec::new());
    tar.mode(tar::HeaderMode::Deterministic);
    for file in sorted {
        let mut header = tar::Header::new_gnu();
        header.set_entry_type(tar::EntryType::Regular);
        header.set_size(file.bytes.len() as u64);
        header.set_mode(0o644);
        header.set_mtime(0);
        header.set_uid(0);
        header.set_gid(0);
        tar.append_data(&mut header, &file.path, file.bytes.as_slice())
            .map_err(failed)?;
    }
    let tar = tar.into_inner().map_err(failed)?;
    let bytes = gzip::gzip(&tar, LEVEL, threads).map_err(failed)?;
    Ok(OutputFile {
        path: ARCHIVE.into(),
        bytes,
    })
}
