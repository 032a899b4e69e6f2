//! gzip of one buffer on several threads, as `pigz` does it: the data is cut into fixed-size
//! chunks; each chunk is compressed as raw deflate on its own, primed with the 32 KiB before it
//! (so matches reach back across the cut as in one stream), and ended with a sync flush (an
//! empty stored block, which aligns it to a byte) — the last one ends the stream. The pieces
//! concatenated are one deflate stream, inside one gzip member whose CRC-32 is combined from the
//! chunks'. The chunk size is fixed, not derived from the number of threads, so the bytes are
//! the same on any number of threads and on any machine.

use std::num::NonZeroUsize;

use flate2::{Compress, Compression, Crc, FlushCompress, Status};

/// The size of a chunk compressed on its own (pigz's default is 128 KiB).
pub const CHUNK: usize = 128 * 1024;

/// How far back deflate looks for a match: each chunk is primed with this much of the data
/// before it.
const WINDOW: usize = 32 * 1024;

/// The gzip member of `data` at `level`: header with mtime 0, no name, XFL as zlib sets it for
/// the level, OS 255 (unknown), as `flate2::GzBuilder` writes it; compressed on up to `threads`
/// threads (see the module's documentation).
pub fn gzip(
    data: &[u8],
    level: u32,
    threads: Option<NonZeroUsize>,
) -> Result<Vec<u8>, std::io::Error> {
    let starts: Vec<usize> = (0..data.len().div_ceil(CHUNK).max(1))
        .map(|i| i * CHUNK)
        .collect();
    let last = starts.len() - 1;
    let pieces = charter::parallel::map(&starts, threads, |&start| {
        let end = (start + CHUNK).min(data.len());
        let chunk = data.get(start..end).unwrap_or_default();
        let dictionary = data
            .get(start.saturating_sub(WINDOW)..start)
            .unwrap_or_default();
        let mut crc = Crc::new();
        crc.update(chunk);
        let is_last = start == starts.get(last).copied().unwrap_or_default();
        deflate(chunk, dictionary, level, is_last).map(|bytes| (bytes, crc))
    });
    let xfl = match level {
        9.. => 2,
        0 | 1 => 4,
        _ => 0,
    };
    let mut out = Vec::with_capacity(data.len() / 4 + 64);
    out.extend_from_slice(&[0x1f, 0x8b, 8, 0, 0, 0, 0, 0, xfl, 255]);
    let mut crc = Crc::new();
    for piece in pieces {
        let (bytes, piece_crc) = piece?;
        out.extend_from_slice(&bytes);
        crc.combine(&piece_crc);
    }
    out.extend_from_slice(&crc.sum().to_le_bytes());
    // ISIZE: the length modulo 2^32 (RFC 1952).
    out.extend_from_slice(&(crc.amount()).to_le_bytes());
    Ok(out)
}

/// `chunk` as raw deflate after `dictionary`, ended by a sync flush, or by the end of the
/// stream when `is_last`.
fn deflate(
    chunk: &[u8],
    dictionary: &[u8],
    level: u32,
    is_last: bool,
) -> Result<Vec<u8>, std::io::Error> {
    let mut compress = Compress::new(Compression::new(level), false);
    if !dictionary.is_empty() {
        compress
            .set_dictionary(dictionary)
            .map_err(std::io::Error::other)?;
    }
    let flush = if is_last {
        FlushCompress::Finish
    } else {
        FlushCompress::Sync
    };
    let mut out = Vec::with_capacity(chunk.len() / 3 + 1024);
    loop {
        let read = usize::try_from(compress.total_in()).unwrap_or(usize::MAX);
        let input = chunk.get(read..).unwrap_or_default();
        if out.capacity() - out.len() < 1024 {
            out.reserve(out.capacity().max(4096));
        }
        let before = out.len();
        let status = compress
            .compress_vec(input, &mut out, flush)
            .map_err(std::io::Error::other)?;
        let done_input = compress.total_in() == chunk.len() as u64;
        match status {
            Status::StreamEnd => return Ok(out),
            // A sync flush is complete when all input is in and the output had room to spare.
            Status::Ok | Status::BufError
                if !is_last && done_input && out.len() < out.capacity() =>
            {
                return Ok(out);
            }
            Status::BufError if out.len() == before && out.len() < out.capacity() => {
                return Err(std::io::Error::other("deflate made no progress"));
            }
            Status::Ok | Status::BufError => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use std::io::Read as _;

    use super::*;

    /// Text that compresses like a bundle: repetitive, with matches across chunk boundaries.
    fn sample(len: usize) -> Vec<u8> {
        let mut out = Vec::with_capacity(len);
        let mut i = 0u64;
        while out.len() < len {
            out.extend_from_slice(
                format!("rule_{} if {{ input.x[{}] == {} }}\n", i % 97, i % 13, i).as_bytes(),
            );
            i += 1;
        }
        out.truncate(len);
        out
    }

    fn gunzip(bytes: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(bytes)
            .read_to_end(&mut out)
            .unwrap();
        out
    }

    #[test]
    fn decompresses_to_the_data_at_every_size() {
        for len in [
            0,
            1,
            100,
            CHUNK - 1,
            CHUNK,
            CHUNK + 1,
            3 * CHUNK + 17,
            1_000_000,
        ] {
            let data = sample(len);
            let gz = gzip(&data, 6, NonZeroUsize::new(2)).unwrap();
            assert_eq!(gunzip(&gz), data, "{len}");
            // The gzip trailer: CRC-32 and length of the whole data.
            let mut crc = Crc::new();
            crc.update(&data);
            let trailer = gz.get(gz.len() - 8..).unwrap();
            assert_eq!(trailer.get(..4).unwrap(), crc.sum().to_le_bytes(), "{len}");
            assert_eq!(
                trailer.get(4..).unwrap(),
                (len as u32).to_le_bytes(),
                "{len}"
            );
        }
    }

    #[test]
    fn the_bytes_do_not_depend_on_the_threads() {
        let data = sample(5 * CHUNK + 1234);
        let one = gzip(&data, 6, None).unwrap();
        for threads in [2, 3, 64] {
            assert_eq!(gzip(&data, 6, NonZeroUsize::new(threads)).unwrap(), one);
        }
    }

    #[test]
    fn chunks_primed_with_the_window_compress_like_one_stream() {
        let data = sample(20 * CHUNK);
        let parallel = gzip(&data, 6, NonZeroUsize::new(2)).unwrap();
        let mut serial = flate2::write::GzEncoder::new(Vec::new(), Compression::new(6));
        std::io::Write::write_all(&mut serial, &data).unwrap();
        let serial = serial.finish().unwrap();
        // Within 1 % of the single stream (unprimed chunks would lose far more).
        assert!(
            parallel.len() * 100 <= serial.len() * 101,
            "{} vs {}",
            parallel.len(),
            serial.len()
        );
    }

    #[test]
    fn the_header_is_flate2s() {
        let data = sample(1000);
        for level in [1, 6, 9] {
            let mut expected = flate2::GzBuilder::new()
                .mtime(0)
                .operating_system(255)
                .write(Vec::new(), Compression::new(level));
            std::io::Write::write_all(&mut expected, &data).unwrap();
            let expected = expected.finish().unwrap();
            let ours = gzip(&data, level, None).unwrap();
            assert_eq!(ours.get(..10), expected.get(..10), "{level}");
            assert_eq!(gunzip(&ours), data, "{level}");
        }
    }
}
