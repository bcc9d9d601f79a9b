//! Serve: build in memory, serve over HTTP, rebuild on every save and tell open pages.
//!
//! ```text
//! initial build ─► ServedSite (path → bytes, hash) ─► http (127.0.0.1, /__factbook/events)
//!       ▲                                                   ▲
//! watch (notify, debounced) ─► ChangeSet ─► plan ─► rebuild ─► diff by hash ─► LiveEvent
//! ```
//!
//! In: `BuildOptions` and where to listen. Out: HTTP responses and one terminal line per
//! rebuild. The output is never written to disk, and nothing under `content/`, `templates/` or
//! `static/` is ever written. A failed rebuild keeps the last good site served and shows its
//! diagnostics over every open page until a build succeeds. The serve loop owns the last good
//! build and hands snapshots (`Arc<ServedSite>`) to the HTTP threads.

pub mod events;
pub mod http;
pub mod incremental;
pub mod plan;
pub mod served;
pub mod watch;

use std::io::{self, Write};
use std::net::{SocketAddr, TcpListener};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use serde_json::{Value as Json, json};

use crate::BuildOptions;
use crate::diag::{Diagnostics, MessageFormat, Severity, render_all, render_human};
use crate::source::SourceMap;
use events::{LiveEvent, LiveEvents};
use http::ServerState;
use plan::Rebuilt;
use served::CopyCache;

/// What `factbook serve` is asked to do.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The site and build switches. `write` is ignored: serve never writes the output. Without
    /// a `base_url` override, the site is built for the address it is served at.
    pub build: BuildOptions,
    /// 0 picks a free port (printed on start).
    pub port: u16,
    pub bind: String,
    /// Open the site in the default browser once it is served.
    pub open: bool,
    /// How diagnostics are printed in the terminal (the browser always gets them for people).
    pub message_format: MessageFormat,
}

/// Builds, serves and rebuilds until the process is stopped.
pub fn run(opts: ServeOptions) -> io::Result<()> {
    let listener = TcpListener::bind((opts.bind.as_str(), opts.port)).map_err(|e| {
        let hint = if e.kind() == io::ErrorKind::AddrInUse {
            "; is another `factbook serve` running? `--port 0` picks a free port"
        } else {
            ""
        };
        io::Error::new(
            e.kind(),
            format!("cannot listen on {}:{}: {e}{hint}", opts.bind, opts.port),
        )
    })?;
    let addr = listener.local_addr()?;
    let mut build = opts.build.clone();
    build.write = false;
    let base_url = build
        .overrides
        .base_url
        .get_or_insert_with(|| format!("http://{}/", url_host(addr)))
        .clone();
    let base_path = crate::config::base_path_of(&base_url);
    let root = std::fs::canonicalize(&build.root).map_err(|e| {
        io::Error::new(
            e.kind(),
            format!("cannot serve `{}`: {e}", build.root.display()),
        )
    })?;
    // Watch before the first build, so that a save during it is not lost.
    let mut watcher = watch::SourceWatcher::new(&root)?;

    let server_id = format!(
        "{}-{}",
        std::process::id(),
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_millis())
    );
    let state = Arc::new(ServerState::new(
        LiveEvents::new(server_id),
        base_path.clone(),
    ));
    let mut session = Session {
        build: build.clone(),
        format: opts.message_format,
        state: Arc::clone(&state),
        cache: CopyCache::default(),
        inc: incremental::Incremental::new(&build),
        builds: 0,
        failing: false,
        last_warnings: String::new(),
        timings: std::env::var_os("FACTBOOK_SERVE_TIMINGS").is_some_and(|v| v == "1"),
    };
    session.rebuild(None);
    http::spawn(listener, state)?;
    let url = format!("http://{}{base_path}", url_host(addr));
    say(&format!(
        "serving at {url} from memory; watching {} for changes (Ctrl-C to stop)",
        watched_inputs(&root)
    ));
    if opts.open {
        open_in_browser(&url);
    }
    loop {
        let changes = watcher.next_changes()?;
        session.rebuild(Some(&changes));
    }
}

/// The serve loop's state: the last good build and how to report the next one.
struct Session {
    build: BuildOptions,
    format: MessageFormat,
    state: Arc<ServerState>,
    cache: CopyCache,
    /// The state of the last good build, which rebuilds update.
    inc: incremental::Incremental,
    /// Rebuilds so far, the first build included: numbers every live event.
    builds: u64,
    failing: bool,
    last_warnings: String,
    /// `FACTBOOK_SERVE_TIMINGS=1`: a line per rebuild with the time of each step.
    timings: bool,
}

impl Session {
    /// Runs a plan and publishes what it changed, or its errors. `since` is when the change
    /// was first seen (None for the first build).
    fn rebuild(&mut self, changes: Option<&watch::ChangeSet>) {
        let since = changes.map(|c| c.first_seen);
        self.builds += 1;
        let build = self.builds;
        let result = match plan::execute(&mut self.inc, changes, &self.build) {
            Rebuilt::Built(result) => result,
            Rebuilt::Panicked(message) => {
                let rendered = format!(
                    "error[internal]: factbook stopped while building: {message}\n = help: this is a bug in factbook; the last good build is still served. Please report it with the file you just saved\n"
                );
                say_err(&rendered);
                return self.fail(vec![json!({
                    "severity": "error",
                    "code": "internal",
                    "message": message,
                    "location": null,
                    "rendered": rendered,
                })]);
            }
        };
        let rendered = render_all(&result.diags, &result.sources, self.format);
        if !result.ok() {
            let errors = result.diags.count(Severity::Error);
            say_err(&format!(
                "{rendered}{} failed: {errors} error{}; {}",
                if since.is_some() { "rebuild" } else { "build" },
                if errors == 1 { "" } else { "s" },
                if since.is_some() {
                    "still serving the last good build"
                } else {
                    "serving nothing until it builds"
                }
            ));
            self.last_warnings.clear();
            return self.fail(overlay_diagnostics(&result.diags, &result.sources));
        }
        if rendered != self.last_warnings {
            say_err(rendered.trim_end_matches('\n'));
            self.last_warnings = rendered;
        }
        let summary = {
            let w = match result.diags.count(Severity::Warning) {
                0 => String::new(),
                1 => " (1 warning)".into(),
                n => format!(" ({n} warnings)"),
            };
            format!(
                "built {} pages in {:.2} s{w}",
                crate::facts::format_number(result.pages as f64),
                result.elapsed.as_secs_f64()
            )
        };
        let build_time = result.elapsed;
        let how = result.how;
        let collect_start = Instant::now();
        let old = self.state.current_site();
        let (mut site, unreadable) = served::apply(
            &old,
            result.changed,
            &result.removed,
            result.complete,
            &mut self.cache,
        );
        site.build = build;
        for file in &unreadable {
            say_err(&format!(
                "warning: cannot read `{}`: {}; it is not served",
                file.path.display(),
                file.error
            ));
        }
        let changes = served::diff(&old, &site);
        self.state.replace_site(Arc::new(site));
        let events = &self.state.events;
        if self.failing {
            events.publish(&LiveEvent::Clear { build });
            self.failing = false;
        }
        if !changes.is_empty() {
            let base = &self.state.base_path;
            let urls = |paths: &[String]| -> Vec<String> {
                paths.iter().map(|p| served::url_of(p, base)).collect()
            };
            events.publish(&LiveEvent::Change {
                build,
                changed: urls(&changes.changed),
                removed: urls(&changes.removed),
            });
        }
        if self.timings {
            say(&format!(
                "  timings: build ({how}) {} ms, hash and diff {} ms",
                build_time.as_millis(),
                collect_start.elapsed().as_millis()
            ));
        }
        match since {
            None => say(&summary),
            Some(t) => say(&format!(
                "rebuilt in {} ms: {}",
                t.elapsed().as_millis(),
                changes.describe()
            )),
        }
    }

    fn fail(&mut self, diagnostics: Vec<Json>) {
        self.failing = true;
        self.state.events.publish(&LiveEvent::Error {
            build: self.builds,
            diagnostics,
        });
    }
}

/// Diagnostics as the overlay shows them: rendered for people whatever the terminal's format,
/// with the primary location on its own for the page to label each block.
fn overlay_diagnostics(diags: &Diagnostics, sources: &SourceMap) -> Vec<Json> {
    diags
        .items()
        .iter()
        .map(|d| {
            let location = match d.labels.first() {
                Some((span, _)) => {
                    let at = sources.line_col(span.source, span.range.start);
                    Some(format!(
                        "{}:{}:{}",
                        sources.path(span.source),
                        at.line,
                        at.col
                    ))
                }
                None => d.path.clone(),
            };
            json!({
                "severity": match d.severity { Severity::Error => "error", Severity::Warning => "warning" },
                "code": d.code,
                "message": d.message,
                "location": location,
                "rendered": render_human(d, sources),
            })
        })
        .collect()
}

/// The host part of a URL for a bound address: an unspecified address is reached as loopback.
fn url_host(addr: SocketAddr) -> String {
    match addr {
        SocketAddr::V4(a) if a.ip().is_unspecified() => format!("127.0.0.1:{}", a.port()),
        SocketAddr::V6(a) if a.ip().is_unspecified() => format!("[::1]:{}", a.port()),
        a => a.to_string(),
    }
}

fn watched_inputs(root: &std::path::Path) -> String {
    let mut inputs: Vec<String> = ["content", "templates", "static"]
        .iter()
        .filter(|d| root.join(d).is_dir())
        .map(|d| format!("{d}/"))
        .collect();
    inputs.push("book.toml".into());
    match inputs.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        _ => inputs.join(""),
    }
}

fn open_in_browser(url: &str) {
    let opener: PathBuf = if cfg!(target_os = "macos") {
        "open".into()
    } else if cfg!(windows) {
        "explorer".into()
    } else {
        "xdg-open".into()
    };
    let spawned = std::process::Command::new(&opener)
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    match spawned {
        // Reap it in the background: the opener returns at once or stays with the browser.
        Ok(mut child) => {
            std::thread::spawn(move || child.wait());
        }
        Err(e) => say_err(&format!(
            "warning: cannot open a browser with `{}`: {e}; open {url} yourself",
            opener.display()
        )),
    }
}

fn say(line: &str) {
    let _ = writeln!(io::stdout().lock(), "{line}");
}

fn say_err(text: &str) {
    if !text.is_empty() {
        let _ = writeln!(io::stderr().lock(), "{text}");
    }
}
