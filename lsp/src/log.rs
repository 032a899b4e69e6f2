//! Logging to stderr or a file; never to stdout, which carries the protocol.

use std::io::Write;
use std::path::Path;
use std::sync::Mutex;
use std::time::Instant;

struct Sink {
    out: Box<dyn Write + Send>,
    start: Instant,
}

static SINK: Mutex<Option<Sink>> = Mutex::new(None);

/// Sends logs to `file` (appended) or to stderr.
pub fn init(file: Option<&Path>) -> std::io::Result<()> {
    let out: Box<dyn Write + Send> = match file {
        Some(path) => Box::new(
            std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(path)?,
        ),
        None => Box::new(std::io::stderr()),
    };
    if let Ok(mut sink) = SINK.lock() {
        *sink = Some(Sink {
            out,
            start: Instant::now(),
        });
    }
    Ok(())
}

/// Writes one line: seconds since start, then the message.
pub fn info(message: &str) {
    if let Ok(mut guard) = SINK.lock()
        && let Some(sink) = guard.as_mut()
    {
        let t = sink.start.elapsed().as_secs_f64();
        let _ = writeln!(sink.out, "[{t:9.3}] {message}");
        let _ = sink.out.flush();
    }
}
