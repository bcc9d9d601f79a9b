//! Save-to-browser latency of `factbook serve` (issue 5, point 7), and of `hugo server`.
//!
//! ```text
//! cargo run --release --example serve_latency -- [--hugo] SITE_DIR EDIT...
//! ```
//!
//! Starts `factbook serve` (the binary in `FACTBOOK_BIN`, default `target/release/factbook`), or
//! with `--hugo` `hugo server` (`HUGO_BIN`, default `hugo`), over SITE_DIR, which it edits: use
//! a copy. Each EDIT is `NAME=KIND:FILE`, where FILE is relative to SITE_DIR and KIND is
//!
//! - `body`: a word is added to, then removed from, the end of the body;
//! - `title`: ` (edited)` is added to, then removed from, the front matter's title;
//! - `replace/FIND/ALT`: FIND becomes ALT, then back (for a data field of a fact sheet).
//!
//! For each edit, RUNS times (env `RUNS`, default 30, after 3 warm-up runs) it writes the file in
//! place, as most editors do, and measures the time from just before the write to the arrival of
//! the message that makes the browser reload: factbook's `change` server-sent event, Hugo's
//! LiveReload `reload` command on its WebSocket. It prints p50, p95 and max per edit, and
//! restores the files.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitCode, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

const WARMUP: usize = 3;
/// Time between edits, so that each is its own save.
const PAUSE: Duration = Duration::from_millis(150);
const PATIENCE: Duration = Duration::from_secs(120);

enum Kind {
    Body,
    Title,
    Replace(String, String),
}

struct Edit {
    name: String,
    kind: Kind,
    file: String,
}

fn parse_edit(arg: &str) -> Result<Edit, String> {
    let (name, rest) = arg
        .split_once('=')
        .ok_or_else(|| format!("`{arg}`: expected NAME=KIND:FILE"))?;
    let (kind, file) = rest
        .rsplit_once(':')
        .ok_or_else(|| format!("`{arg}`: expected NAME=KIND:FILE"))?;
    let kind = match kind {
        "body" => Kind::Body,
        "title" => Kind::Title,
        k => match k.strip_prefix("replace/").and_then(|r| r.split_once('/')) {
            Some((find, alt)) => Kind::Replace(find.into(), alt.into()),
            None => return Err(format!("`{k}`: expected body, title or replace/FIND/ALT")),
        },
    };
    Ok(Edit {
        name: name.into(),
        kind,
        file: file.into(),
    })
}

/// The file's text after the edit's `n`th change (even: on, odd: off).
fn toggled(kind: &Kind, text: &str, on: bool) -> Option<String> {
    match kind {
        Kind::Body => {
            const WORD: &str = " probe";
            let body = text.trim_end_matches('\n');
            let out = if on {
                format!("{body}{WORD}")
            } else {
                body.strip_suffix(WORD)?.to_string()
            };
            Some(out + "\n")
        }
        Kind::Title => {
            let start = text.find("title = \"")? + "title = \"".len();
            let end = start + text[start..].find('"')?;
            let title = &text[start..end];
            let new = if on {
                format!("{title} (edited)")
            } else {
                title.strip_suffix(" (edited)")?.to_string()
            };
            Some(format!("{}{new}{}", &text[..start], &text[end..]))
        }
        Kind::Replace(find, alt) => {
            let (from, to) = if on { (find, alt) } else { (alt, find) };
            text.contains(from.as_str())
                .then(|| text.replacen(from.as_str(), to, 1))
        }
    }
}

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// An event's name, its data, and when it arrived.
type Message = (String, String, Instant);

/// `(event name, data)` from factbook's live event stream, read on a thread.
fn events(port: u16) -> std::io::Result<Receiver<Message>> {
    let mut stream = TcpStream::connect(("127.0.0.1", port))?;
    write!(
        stream,
        "GET /__factbook/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    )?;
    let (tx, rx) = channel();
    std::thread::spawn(move || {
        let mut reader = BufReader::new(stream);
        let mut line = String::new();
        let mut name = String::new();
        while reader.read_line(&mut line).unwrap_or(0) > 0 {
            let l = line.trim_end().to_string();
            line.clear();
            if let Some(n) = l.strip_prefix("event: ") {
                name = n.to_string();
            } else if let Some(d) = l.strip_prefix("data: ") {
                if tx
                    .send((std::mem::take(&mut name), d.to_string(), Instant::now()))
                    .is_err()
                {
                    return;
                }
            }
        }
    });
    Ok(rx)
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let i = ((p * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len()) - 1;
    sorted[i]
}

/// Starts `factbook serve` and opens its event stream.
fn start_factbook(site: &Path) -> Result<(Server, Receiver<Message>), String> {
    let bin = std::env::var_os("FACTBOOK_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("target/release/factbook"));
    let mut command = Command::new(&bin);
    command.args(["serve", "--port", "0", "--root"]).arg(site);
    let (server, port) = spawn(command, |line| {
        let rest = line.strip_prefix("serving at http://127.0.0.1:")?;
        let port: String = rest.chars().take_while(char::is_ascii_digit).collect();
        port.parse().ok()
    })?;
    let rx = events(port).map_err(|e| e.to_string())?;
    let _hello = rx.recv_timeout(PATIENCE).map_err(|_| "no hello event")?;
    Ok((server, rx))
}

/// Starts `hugo server` and opens its LiveReload WebSocket.
fn start_hugo(site: &Path) -> Result<(Server, Receiver<Message>), String> {
    let bin = std::env::var_os("HUGO_BIN").unwrap_or_else(|| "hugo".into());
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map_err(|e| e.to_string())?
        .port();
    let mut command = Command::new(&bin);
    command
        .args(["server", "--bind", "127.0.0.1", "--port", &port.to_string()])
        .arg("--source")
        .arg(site);
    let (server, _) = spawn(command, move |line| {
        line.contains("Web Server is available at").then_some(port)
    })?;
    let stream = TcpStream::connect(("127.0.0.1", port)).map_err(|e| e.to_string())?;
    let (mut ws, _) = tungstenite::client(format!("ws://127.0.0.1:{port}/livereload"), stream)
        .map_err(|e| format!("hugo's LiveReload: {e}"))?;
    ws.send(tungstenite::Message::text(
        r#"{"command":"hello","protocols":["http://livereload.com/protocols/official-7"]}"#,
    ))
    .map_err(|e| e.to_string())?;
    let (tx, rx) = channel();
    std::thread::spawn(move || {
        while let Ok(msg) = ws.read() {
            if let tungstenite::Message::Text(text) = msg {
                let text = text.as_str().to_string();
                if text.contains("\"reload\"")
                    && tx.send(("change".into(), text, Instant::now())).is_err()
                {
                    return;
                }
            }
        }
    });
    Ok((server, rx))
}

/// Runs a server and waits for the stdout line from which `ready` reads its port.
fn spawn(
    mut command: Command,
    ready: impl Fn(&str) -> Option<u16> + Send + 'static,
) -> Result<(Server, u16), String> {
    let started = Instant::now();
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(|e| format!("cannot run {command:?}: {e}"))?;
    let stdout = BufReader::new(child.stdout.take().ok_or("no stdout")?);
    let server = Server(child);
    let (port_tx, port_rx) = channel();
    std::thread::spawn(move || {
        for line in stdout.lines().map_while(Result::ok) {
            if let Some(port) = ready(&line) {
                let _ = port_tx.send(port);
            }
            if std::env::var_os("SHOW_SERVER_OUTPUT").is_some() {
                println!("  server: {line}");
            }
        }
    });
    let port = port_rx
        .recv_timeout(PATIENCE)
        .map_err(|_| "the server did not start")?;
    println!("  serving after {:.2} s", started.elapsed().as_secs_f64());
    Ok((server, port))
}

fn run(hugo: bool, site: &Path, edits: &[Edit], runs: usize) -> Result<(), String> {
    let (server, rx) = if hugo {
        start_hugo(site)?
    } else {
        start_factbook(site)?
    };

    for edit in edits {
        let path = site.join(&edit.file);
        let original =
            std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let mut times = Vec::new();
        let mut changed_pages = Vec::new();
        for i in 0..WARMUP + runs {
            let current = std::fs::read_to_string(&path).map_err(|e| e.to_string())?;
            let next = toggled(&edit.kind, &current, i % 2 == 0).ok_or_else(|| {
                format!("{}: the edit does not apply to `{}`", edit.name, edit.file)
            })?;
            std::thread::sleep(PAUSE);
            while rx.try_recv().is_ok() {}
            let t0 = Instant::now();
            std::fs::write(&path, &next).map_err(|e| e.to_string())?;
            let (name, data, at) = rx
                .recv_timeout(PATIENCE)
                .map_err(|_| format!("{}: no event after the edit", edit.name))?;
            if name != "change" {
                return Err(format!(
                    "{}: got `{name}` after the edit: {data}",
                    edit.name
                ));
            }
            if i >= WARMUP {
                times.push(at.duration_since(t0).as_secs_f64() * 1000.0);
                // factbook says which pages changed; Hugo names one path to reload.
                let data: serde_json::Value = serde_json::from_str(&data).unwrap_or_default();
                if data.get("changed").is_some() {
                    let pages = ["changed", "removed"]
                        .iter()
                        .filter_map(|list| data[*list].as_array())
                        .flatten()
                        .filter_map(|p| p.as_str())
                        .filter(|p| p.ends_with('/') || p.ends_with(".html"))
                        .count();
                    changed_pages.push(pages);
                }
            }
        }
        std::fs::write(&path, &original).map_err(|e| e.to_string())?;
        let _ = rx.recv_timeout(Duration::from_secs(30));
        times.sort_by(f64::total_cmp);
        changed_pages.sort_unstable();
        let pages = changed_pages
            .get(changed_pages.len() / 2)
            .map(|n| format!(", {n} pages changed per edit"))
            .unwrap_or_default();
        println!(
            "  {:<28} p50 {:>7.1} ms   p95 {:>7.1} ms   max {:>7.1} ms   ({} runs{pages})",
            edit.name,
            percentile(&times, 0.50),
            percentile(&times, 0.95),
            times.last().copied().unwrap_or(0.0),
            times.len(),
        );
    }
    drop(server);
    Ok(())
}

fn main() -> ExitCode {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let hugo = args.first().is_some_and(|a| a == "--hugo");
    if hugo {
        args.remove(0);
    }
    let Some((site, edits)) = args.split_first() else {
        eprintln!("usage: serve_latency [--hugo] SITE_DIR NAME=KIND:FILE...");
        return ExitCode::from(2);
    };
    let edits: Result<Vec<Edit>, String> = edits.iter().map(|e| parse_edit(e)).collect();
    let edits = match edits {
        Ok(e) if !e.is_empty() => e,
        Ok(_) => {
            eprintln!("usage: serve_latency [--hugo] SITE_DIR NAME=KIND:FILE...");
            return ExitCode::from(2);
        }
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let runs = std::env::var("RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(30);
    match run(hugo, Path::new(site), &edits, runs) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
