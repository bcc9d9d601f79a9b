//! A `factbook serve` child process over a temporary copy of a fixture, a raw HTTP client and
//! an event-stream reader, shared by the serve and browser tests.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::common::copy_fixture;

/// How long any one wait may take before the test fails: a guard against hangs, not a timing.
pub const PATIENCE: Duration = Duration::from_secs(60);

/// A running `factbook serve`, killed when dropped.
pub struct Served {
    child: Child,
    pub port: u16,
    pub dir: tempfile::TempDir,
    stdout: Arc<Mutex<Vec<String>>>,
    stderr: Arc<Mutex<String>>,
}

impl Served {
    /// Copies the fixture, lets `prepare` change the copy, and serves it on a free port.
    pub fn start_with(fixture: &str, prepare: impl FnOnce(&Path)) -> Served {
        let dir = copy_fixture(fixture);
        prepare(dir.path());
        Served::spawn(dir)
    }

    /// Serves a copy of the site at `root` (its book.toml, content/, templates/ and static/).
    pub fn start_copy_of(root: &Path) -> Served {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::copy(root.join("book.toml"), dir.path().join("book.toml")).expect("book.toml");
        for sub in ["content", "templates", "static"] {
            if root.join(sub).is_dir() {
                crate::common::copy_dir(&root.join(sub), &dir.path().join(sub));
            }
        }
        Served::spawn(dir)
    }

    fn spawn(dir: tempfile::TempDir) -> Served {
        let mut child = Command::new(env!("CARGO_BIN_EXE_factbook"))
            .args(["serve", "--port", "0", "--root"])
            .arg(dir.path())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start factbook serve");
        let stdout = Arc::new(Mutex::new(Vec::new()));
        let stderr = Arc::new(Mutex::new(String::new()));
        let (port_tx, port_rx) = channel();
        let out = BufReader::new(child.stdout.take().expect("stdout"));
        let lines = Arc::clone(&stdout);
        std::thread::spawn(move || {
            for line in out.lines().map_while(Result::ok) {
                if let Some(rest) = line.strip_prefix("serving at http://127.0.0.1:") {
                    let port: String = rest.chars().take_while(char::is_ascii_digit).collect();
                    let _ = port_tx.send(port.parse::<u16>().ok());
                }
                lines.lock().expect("lock").push(line);
            }
        });
        let mut err = child.stderr.take().expect("stderr");
        let text = Arc::clone(&stderr);
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = err.read(&mut buf) {
                if n == 0 {
                    break;
                }
                text.lock()
                    .expect("lock")
                    .push_str(&String::from_utf8_lossy(&buf[..n]));
            }
        });
        let mut served = Served {
            child,
            port: 0,
            dir,
            stdout,
            stderr,
        };
        match port_rx.recv_timeout(PATIENCE) {
            Ok(Some(port)) => served.port = port,
            _ => panic!(
                "factbook serve did not say where it serves; stderr:\n{}",
                served.stderr()
            ),
        }
        served
    }

    pub fn start(fixture: &str) -> Served {
        Served::start_with(fixture, |_| {})
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path(rel)).expect("read source")
    }

    /// Saves a file the way most editors do: a temporary file renamed over the real one.
    pub fn save(&self, rel: &str, text: &str) {
        save_atomically(&self.path(rel), text);
    }

    /// Replaces `from` by `to` in a source file, saved atomically.
    pub fn edit(&self, rel: &str, from: &str, to: &str) {
        let text = self.read(rel);
        assert!(text.contains(from), "`{rel}` has no `{from}`");
        self.save(rel, &text.replacen(from, to, 1));
    }

    pub fn stdout(&self) -> Vec<String> {
        self.stdout.lock().expect("lock").clone()
    }

    pub fn stderr(&self) -> String {
        self.stderr.lock().expect("lock").clone()
    }

    /// Waits until the server's stderr holds `text`.
    pub fn wait_for_stderr(&self, text: &str) {
        let start = Instant::now();
        while !self.stderr().contains(text) {
            assert!(
                start.elapsed() < PATIENCE,
                "stderr never showed `{text}`:\n{}",
                self.stderr()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    pub fn get(&self, target: &str) -> HttpResponse {
        request(self.port, "GET", target)
    }

    pub fn events(&self) -> EventStream {
        EventStream::connect(self.port)
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn save_atomically(path: &Path, text: &str) {
    let name = path
        .file_name()
        .expect("file name")
        .to_string_lossy()
        .into_owned();
    let temp = path.with_file_name(format!(".{name}.saving"));
    std::fs::write(&temp, text).expect("write temporary file");
    std::fs::rename(&temp, path).expect("rename over the file");
}

/// A response read to the end.
#[derive(Debug)]
pub struct HttpResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl HttpResponse {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Sends one request with the target exactly as given (no normalisation, unlike a browser).
pub fn request(port: u16, method: &str, target: &str) -> HttpResponse {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    stream.set_read_timeout(Some(PATIENCE)).expect("timeout");
    write!(
        stream,
        "{method} {target} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
    )
    .expect("send request");
    // Read to the end of the body: by its length when given (some servers keep the
    // connection open), else to the end of the stream.
    let mut raw = Vec::new();
    let mut buf = [0u8; 8192];
    loop {
        let n = stream.read(&mut buf).expect("read response");
        if n == 0 {
            break;
        }
        raw.extend_from_slice(&buf[..n]);
        let text = String::from_utf8_lossy(&raw);
        if let Some((head, body)) = text.split_once("\r\n\r\n") {
            let length = head.lines().find_map(|l| {
                let (name, value) = l.split_once(':')?;
                name.eq_ignore_ascii_case("content-length")
                    .then(|| value.trim().parse::<usize>().ok())?
            });
            if method == "HEAD" || length.is_some_and(|len| body.len() >= len) {
                break;
            }
        }
    }
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_string(), v.trim().to_string()))
        .collect();
    HttpResponse {
        status,
        headers,
        body: body.to_string(),
    }
}

/// One server-sent event.
#[derive(Debug, Clone)]
pub struct Event {
    pub name: String,
    pub data: Value,
}

impl Event {
    pub fn build(&self) -> u64 {
        self.data["build"].as_u64().unwrap_or(0)
    }

    /// The URL paths of a `change` event's `changed` or `removed` list.
    pub fn paths(&self, list: &str) -> Vec<String> {
        self.data[list]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// The live event stream, read on a thread of its own.
pub struct EventStream {
    events: Receiver<Event>,
}

impl EventStream {
    pub fn connect(port: u16) -> EventStream {
        EventStream::open(port, "/__factbook/events")
    }

    /// As a page served from build `since` connects.
    pub fn connect_since(port: u16, since: u64) -> EventStream {
        EventStream::open(port, &format!("/__factbook/events?since={since}"))
    }

    fn open(port: u16, target: &str) -> EventStream {
        let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
        write!(
            stream,
            "GET {target} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAccept: text/event-stream\r\n\r\n"
        )
        .expect("send request");
        let (tx, events) = channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stream);
            let mut line = String::new();
            // The response head.
            loop {
                line.clear();
                if reader.read_line(&mut line).unwrap_or(0) == 0 {
                    return;
                }
                if line == "\r\n" {
                    break;
                }
            }
            let (mut name, mut data) = (String::new(), String::new());
            loop {
                line.clear();
                if reader.read_line(&mut line).unwrap_or(0) == 0 {
                    return;
                }
                let l = line.trim_end_matches(['\r', '\n']);
                if l.is_empty() {
                    if !name.is_empty() {
                        let data = serde_json::from_str(&data).unwrap_or(Value::Null);
                        if tx
                            .send(Event {
                                name: std::mem::take(&mut name),
                                data,
                            })
                            .is_err()
                        {
                            return;
                        }
                    }
                    name.clear();
                    data.clear();
                } else if let Some(v) = l.strip_prefix("event: ") {
                    name = v.to_string();
                } else if let Some(v) = l.strip_prefix("data: ") {
                    data.push_str(v);
                }
            }
        });
        EventStream { events }
    }

    /// The next event.
    pub fn next(&self) -> Event {
        self.events
            .recv_timeout(PATIENCE)
            .expect("an event from the server")
    }

    /// The next event of this name, skipping others.
    pub fn next_named(&self, name: &str) -> Event {
        loop {
            let e = self.next();
            if e.name == name {
                return e;
            }
        }
    }
}
