//! `lsp-bench WORKSPACE [--server PATH] [--runs N] [--retain N] [--keep-log]`: drives a `charter-lsp` binary over pipes, as
//! an editor would, on a (generated) workspace and reports p50/p95 latencies per request kind,
//! the server's CPU time per edit, how long its diagnostics runs took (from its log), and its
//! memory after opening every file. See docs/benchmarks.md.
//!
//! Measured from the moment the message is written to the moment the answer (or, for
//! diagnostics, the `publishDiagnostics` of the edited file showing the new state) is read.
//! The server runs with `debounceMs: 0`, so diagnostics latency is the compute time; an editor's
//! default debounce (75 ms) comes on top.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{ChildStdin, Command, ExitCode, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

struct Client {
    stdin: ChildStdin,
    inbox: Receiver<Value>,
    next_id: u64,
}

fn read_message(reader: &mut impl BufRead) -> Option<Value> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(v) = line.strip_prefix("Content-Length: ") {
            length = v.parse::<usize>().ok();
        }
    }
    let mut body = vec![0; length?];
    reader.read_exact(&mut body).ok()?;
    serde_json::from_slice(&body).ok()
}

impl Client {
    fn send(&mut self, message: &Value) -> Result<(), String> {
        let body = message.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len())
            .and_then(|()| self.stdin.flush())
            .map_err(|e| format!("writing to the server: {e}"))
    }

    fn notify(&mut self, method: &str, params: Value) -> Result<(), String> {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}))
    }

    /// Sends a request and waits for its answer, skipping notifications.
    fn request(&mut self, method: &str, params: Value) -> Result<Value, String> {
        self.next_id += 1;
        let id = self.next_id;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}))?;
        loop {
            let message = self.next(Duration::from_secs(120))?;
            if message.get("id").and_then(Value::as_u64) == Some(id) {
                if let Some(error) = message.get("error") {
                    return Err(format!("{method}: {error}"));
                }
                return Ok(message.get("result").cloned().unwrap_or(Value::Null));
            }
        }
    }

    fn next(&self, timeout: Duration) -> Result<Value, String> {
        self.inbox
            .recv_timeout(timeout)
            .map_err(|_| "the server did not answer in time".to_string())
    }

    /// Waits for diagnostics of `uri` satisfying `done`.
    fn diagnostics(&self, uri: &str, done: impl Fn(&[Value]) -> bool) -> Result<(), String> {
        loop {
            let m = self.next(Duration::from_secs(120))?;
            if m.get("method").and_then(Value::as_str) == Some("textDocument/publishDiagnostics")
                && m.pointer("/params/uri").and_then(Value::as_str) == Some(uri)
                && m.pointer("/params/diagnostics")
                    .and_then(Value::as_array)
                    .is_some_and(|d| done(d))
            {
                return Ok(());
            }
        }
    }
}

fn uri(path: &Path) -> String {
    format!("file://{}", path.display())
}

fn position(text: &str, offset: usize) -> Value {
    let before = text.get(..offset).unwrap_or("");
    let line = before.matches('\n').count();
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    let col: usize = before
        .get(start..)
        .unwrap_or("")
        .chars()
        .map(char::len_utf16)
        .sum();
    json!({"line": line, "character": col})
}

/// The pause after each edit of the second edit loop (the server checks the rest of the
/// workspace 30 ms after the edits pause).
const PAUSE_MS: u64 = 300;

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let rank = ((sorted.len() as f64) * p).ceil() as usize;
    sorted
        .get(rank.saturating_sub(1).min(sorted.len().saturating_sub(1)))
        .copied()
        .unwrap_or(f64::NAN)
}

fn report(name: &str, mut ms: Vec<f64>) {
    ms.sort_by(f64::total_cmp);
    let mut out = std::io::stderr();
    let _ = writeln!(
        out,
        "{name:<28} n={:<4} p50 {:>8.2} ms   p95 {:>8.2} ms   max {:>8.2} ms",
        ms.len(),
        percentile(&ms, 0.5),
        percentile(&ms, 0.95),
        ms.last().copied().unwrap_or(f64::NAN)
    );
}

/// The server's CPU time so far (user + system), in milliseconds.
fn cpu_ms(pid: u32) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // Fields after the command name (which is in parentheses and may hold spaces).
    let rest = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(f64::NAN)
    };
    // utime and stime are fields 14 and 15 of the line, 12 and 13 after the name and state.
    (ticks(11) + ticks(12)) * 1000.0 / 100.0
}

/// The durations of the server's diagnostics runs logged after line `from` of its log.
fn logged_runs(log: &Path, from: usize) -> Vec<f64> {
    std::fs::read_to_string(log)
        .unwrap_or_default()
        .lines()
        .skip(from)
        .filter_map(|l| {
            let rest = l.split("diagnostics computed in ").nth(1)?;
            rest.split_whitespace().next()?.parse::<f64>().ok()
        })
        .collect()
}

fn log_lines(log: &Path) -> usize {
    std::fs::read_to_string(log).map_or(0, |t| t.lines().count())
}

fn rss_mb(pid: u32) -> (f64, f64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.split_whitespace().next()?.parse::<f64>().ok())
            .map_or(f64::NAN, |kb| kb / 1024.0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, out);
        } else if path.extension().is_some_and(|e| e == "charter") {
            out.push(path);
        }
    }
}

fn timed(f: impl FnOnce() -> Result<(), String>) -> Result<f64, String> {
    let start = Instant::now();
    f()?;
    Ok(start.elapsed().as_secs_f64() * 1000.0)
}

fn run(
    root: &Path,
    server: &Path,
    runs: usize,
    retain: Option<u64>,
    keep_log: bool,
) -> Result<(), String> {
    let root = std::fs::canonicalize(root).map_err(|e| format!("{}: {e}", root.display()))?;
    let log = std::env::temp_dir().join(format!("lsp-bench-{}.log", std::process::id()));
    let _ = std::fs::remove_file(&log);
    let mut child = Command::new(server)
        .arg("--log-file")
        .arg(&log)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", server.display()))?;
    let pid = child.id();
    let stdout = child.stdout.take().ok_or("no stdout")?;
    let stdin = child.stdin.take().ok_or("no stdin")?;
    let (tx, inbox) = channel();
    std::thread::spawn(move || {
        let mut reader = BufReader::new(stdout);
        while let Some(m) = read_message(&mut reader) {
            if tx.send(m).is_err() {
                break;
            }
        }
    });
    let mut c = Client {
        stdin,
        inbox,
        next_id: 0,
    };
    let mut files = Vec::new();
    collect(&root.join("src"), &mut files);
    files.sort();
    let mut err = std::io::stderr();
    let start = Instant::now();
    let mut options = json!({"debounceMs": 0});
    if let (Some(n), Some(o)) = (retain, options.as_object_mut()) {
        o.insert("retainTrees".into(), json!(n));
        o.insert("retainAnalyses".into(), json!(n));
    }
    c.request(
        "initialize",
        json!({"processId": null, "capabilities": {},
               "workspaceFolders": [{"uri": uri(&root), "name": "bench"}],
               "initializationOptions": options}),
    )?;
    c.notify("initialized", json!({}))?;
    // The first run publishes (empty) diagnostics for every file.
    let last = files.last().map(|p| uri(p)).unwrap_or_default();
    c.diagnostics(&last, |_| true)?;
    let _ = writeln!(
        err,
        "{} files; initialize + first diagnostics: {:.0} ms",
        files.len(),
        start.elapsed().as_secs_f64() * 1000.0
    );
    let mut texts = Vec::new();
    for path in &files {
        let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
        c.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri(path), "languageId": "charter", "version": 1, "text": text}}),
        )?;
        texts.push(text);
    }
    // A round trip so every didOpen has been applied.
    c.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": last}}),
    )?;
    let (rss, hwm) = rss_mb(pid);
    let _ = writeln!(
        err,
        "memory after opening every file: RSS {rss:.0} MB (peak {hwm:.0} MB)"
    );

    let (path, text) = files
        .iter()
        .zip(&texts)
        .find(|(p, _)| p.ends_with("access.charter"))
        .ok_or("no access.charter in the workspace")?;
    let u = uri(path);
    let doc = json!({"uri": u});
    let at = |needle: &str, delta: usize| {
        text.find(needle)
            .map(|i| position(text, i + delta))
            .ok_or(format!("`{needle}` not in {}", path.display()))
    };
    let edit_at = text.find("subject.tenant").ok_or("no subject.tenant")? + "subject.tenan".len();
    let mut broken = text.clone();
    broken.replace_range(edit_at..=edit_at, "x");
    let mut version = 1;
    let mut diag = Vec::new();
    let logged_from = log_lines(&log);
    let cpu_before = cpu_ms(pid);
    for _ in 0..runs {
        for (body, errors) in [(&broken, true), (text, false)] {
            version += 1;
            let change = json!({"textDocument": {"uri": u, "version": version},
                                "contentChanges": [{"text": body}]});
            diag.push(timed(|| {
                c.notify("textDocument/didChange", change)?;
                c.diagnostics(&u, |d| d.is_empty() != errors)
            })?);
        }
    }
    let cpu = (cpu_ms(pid) - cpu_before) / diag.len().max(1) as f64;
    report("diagnostics after an edit", diag);
    report("  whole run (server log)", logged_runs(&log, logged_from));
    let _ = writeln!(err, "  server CPU per edit (user+sys): {cpu:.2} ms");
    // Edits followed by a pause, so the server checks the rest of the workspace after each
    // (it does so only once edits pause): its whole runs and CPU time then.
    let paused_from = log_lines(&log);
    let cpu_before = cpu_ms(pid);
    let pauses = (runs / 5).max(2);
    let mut paused = Vec::new();
    for k in 0..pauses {
        let (body, errors) = if k % 2 == 0 {
            (&broken, true)
        } else {
            (text, false)
        };
        version += 1;
        let change = json!({"textDocument": {"uri": u, "version": version},
                            "contentChanges": [{"text": body}]});
        paused.push(timed(|| {
            c.notify("textDocument/didChange", change)?;
            c.diagnostics(&u, |d| d.is_empty() != errors)
        })?);
        std::thread::sleep(Duration::from_millis(PAUSE_MS));
    }
    if pauses % 2 == 1 {
        // Leave the file as it was.
        version += 1;
        let change = json!({"textDocument": {"uri": u, "version": version},
                            "contentChanges": [{"text": text}]});
        c.notify("textDocument/didChange", change)?;
        c.diagnostics(&u, <[Value]>::is_empty)?;
        std::thread::sleep(Duration::from_millis(PAUSE_MS));
    }
    let cpu = (cpu_ms(pid) - cpu_before) / pauses as f64;
    report(&format!("edits {PAUSE_MS} ms apart"), paused);
    report("  whole run (server log)", logged_runs(&log, paused_from));
    let _ = writeln!(err, "  server CPU per edit (user+sys): {cpu:.2} ms");
    // Hover in other files, each asked once, from the last file back, before `references`
    // reads every file: with a retention (`retainTrees`/`retainAnalyses`) their trees and
    // analyses may have been evicted.
    let mut ms = Vec::new();
    for (other, other_text) in files.iter().zip(&texts).rev() {
        if ms.len() >= runs {
            break;
        }
        let Some(i) = other_text.find("resource.tenant") else {
            continue;
        };
        let params = json!({"textDocument": {"uri": uri(other)},
                            "position": position(other_text, i + 10)});
        let mut answer = Value::Null;
        ms.push(timed(|| {
            answer = c.request("textDocument/hover", params)?;
            Ok(())
        })?);
        if answer.is_null() {
            return Err(format!("hover in {} answered nothing", other.display()));
        }
    }
    report("hover, another file each", ms);
    let kinds: [(&str, &str, Value); 4] = [
        ("hover", "textDocument/hover", at("resource.tenant", 10)?),
        ("definition", "textDocument/definition", at("by User", 4)?),
        (
            "completion (after `.`)",
            "textDocument/completion",
            at("subject.tenant", 8)?,
        ),
        ("references", "textDocument/references", at("by User", 4)?),
    ];
    for (name, method, pos) in kinds {
        let mut ms = Vec::new();
        for _ in 0..runs {
            let context = if method == "textDocument/completion" {
                json!({"triggerKind": 2, "triggerCharacter": "."})
            } else {
                json!({"includeDeclaration": true})
            };
            let params = json!({"textDocument": doc, "position": pos, "context": context});
            let mut answer = Value::Null;
            ms.push(timed(|| {
                answer = c.request(method, params)?;
                Ok(())
            })?);
            if answer.is_null() {
                return Err(format!("{method} answered nothing"));
            }
        }
        report(name, ms);
    }
    let (rss, hwm) = rss_mb(pid);
    let _ = writeln!(err, "memory at the end: RSS {rss:.0} MB (peak {hwm:.0} MB)");
    c.request("shutdown", Value::Null)?;
    c.notify("exit", Value::Null)?;
    let _ = child.wait();
    if keep_log {
        let _ = writeln!(err, "the server's log: {}", log.display());
    } else {
        let _ = std::fs::remove_file(&log);
    }
    Ok(())
}

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let mut root = None;
    let mut server = PathBuf::from("target/release/charter-lsp");
    let mut runs = 50;
    let mut retain = None;
    let mut keep_log = false;
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--keep-log" => keep_log = true,
            "--retain" => retain = args.next().and_then(|n| n.parse().ok()),
            "--server" => server = args.next().map(PathBuf::from).unwrap_or(server),
            "--runs" => runs = args.next().and_then(|n| n.parse().ok()).unwrap_or(runs),
            other => root = Some(PathBuf::from(other)),
        }
    }
    let Some(root) = root else {
        let _ = writeln!(
            std::io::stderr(),
            "usage: lsp-bench WORKSPACE [--server PATH] [--runs N] [--retain N] [--keep-log]"
        );
        return ExitCode::from(2);
    };
    match run(&root, &server, runs, retain, keep_log) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            let _ = writeln!(std::io::stderr(), "error: {error}");
            ExitCode::FAILURE
        }
    }
}
