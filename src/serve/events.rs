//! Live events: what the serve loop tells open pages, as server-sent events.
//!
//! In: `LiveEvent`s published by the serve loop after each rebuild. Out: SSE text sent to every
//! connected browser (`/__factbook/events`). Every event carries its build number as the SSE
//! `id`, so a page that reconnects (after a dropped connection, or when it becomes visible
//! again: hidden pages close their stream, which keeps the browser's few connections per host
//! free) is told what changed since the build it has. A page that connects while the build is
//! failing gets the current error at once. Knows nothing about HTTP beyond the SSE wire format.

use std::collections::{BTreeSet, VecDeque};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex, PoisonError};

use serde_json::{Value as Json, json};

/// How many builds' changes are kept for pages that catch up. Older than that, a page reloads.
const HISTORY: usize = 256;

/// One message to the open pages.
#[derive(Debug, Clone)]
pub enum LiveEvent {
    /// A good build changed these URL paths (`/models/x/`, `/factbook.css`).
    Change {
        build: u64,
        changed: Vec<String>,
        removed: Vec<String>,
    },
    /// A build failed: show these diagnostics over the last good page.
    Error { build: u64, diagnostics: Vec<Json> },
    /// The build is good again: remove the overlay.
    Clear { build: u64 },
}

impl LiveEvent {
    /// The SSE frame: `id: BUILD\nevent: NAME\ndata: JSON\n\n` (JSON never holds a raw
    /// newline). The failure event is `build-error`, not `error`, which `EventSource` uses for
    /// its own connection errors.
    pub fn to_sse(&self) -> String {
        let (build, name, data) = match self {
            LiveEvent::Change {
                build,
                changed,
                removed,
            } => (
                build,
                "change",
                json!({"build": build, "changed": changed, "removed": removed}),
            ),
            LiveEvent::Error { build, diagnostics } => (
                build,
                "build-error",
                json!({"build": build, "diagnostics": diagnostics}),
            ),
            LiveEvent::Clear { build } => (build, "clear", json!({"build": build})),
        };
        format!("id: {build}\nevent: {name}\ndata: {data}\n\n")
    }
}

/// The open event streams, recent changes, and the current error for pages that connect later.
pub struct LiveEvents {
    /// Differs between two runs of the server, so that a page from an earlier run reloads.
    server_id: String,
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    clients: Vec<Sender<Arc<str>>>,
    build: u64,
    current_error: Option<Arc<str>>,
    /// (build, changed, removed) of the last `HISTORY` builds that changed something.
    history: VecDeque<(u64, Vec<String>, Vec<String>)>,
    /// Changes of builds up to this one were dropped from `history`.
    forgotten_up_to: u64,
}

impl LiveEvents {
    pub fn new(server_id: String) -> Self {
        LiveEvents {
            server_id,
            state: Mutex::new(State::default()),
        }
    }

    pub fn server_id(&self) -> &str {
        &self.server_id
    }

    /// Registers a stream for a page that has build `since` (if known). Returns what to send
    /// first — `retry`, `hello`, what changed after `since`, and the current error if the build
    /// is failing — and the receiver of every later event.
    pub fn subscribe(&self, since: Option<u64>) -> (String, Receiver<Arc<str>>) {
        let (tx, rx) = channel();
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        state.clients.push(tx);
        let hello = json!({"server": self.server_id, "build": state.build});
        let mut first = format!("retry: 500\nevent: hello\ndata: {hello}\n\n");
        if let Some(since) = since.filter(|&s| s < state.build) {
            first.push_str(&state.changes_since(since));
        }
        if let Some(error) = &state.current_error {
            first.push_str(error);
        }
        (first, rx)
    }

    /// Sends an event to every open stream, forgetting streams that have closed.
    pub fn publish(&self, event: &LiveEvent) {
        let text: Arc<str> = event.to_sse().into();
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        match event {
            LiveEvent::Error { build, .. } => {
                state.build = *build;
                state.current_error = Some(Arc::clone(&text));
            }
            LiveEvent::Clear { build } => {
                state.build = *build;
                state.current_error = None;
            }
            LiveEvent::Change {
                build,
                changed,
                removed,
            } => {
                state.build = *build;
                state.current_error = None;
                state
                    .history
                    .push_back((*build, changed.clone(), removed.clone()));
                if state.history.len() > HISTORY {
                    if let Some((old, _, _)) = state.history.pop_front() {
                        state.forgotten_up_to = old;
                    }
                }
            }
        }
        state
            .clients
            .retain(|client| client.send(Arc::clone(&text)).is_ok());
    }

    /// How many streams are open (as of the last publish).
    pub fn clients(&self) -> usize {
        self.state
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clients
            .len()
    }
}

impl State {
    /// One `change` event for everything after build `since`; `all` when it is too long ago.
    fn changes_since(&self, since: u64) -> String {
        if since < self.forgotten_up_to {
            let data = json!({"build": self.build, "changed": [], "removed": [], "all": true});
            return format!("id: {}\nevent: change\ndata: {data}\n\n", self.build);
        }
        let mut changed = BTreeSet::new();
        let mut removed = BTreeSet::new();
        for (_, c, r) in self.history.iter().filter(|(b, _, _)| *b > since) {
            for path in c {
                removed.remove(path);
                changed.insert(path.clone());
            }
            for path in r {
                changed.remove(path);
                removed.insert(path.clone());
            }
        }
        if changed.is_empty() && removed.is_empty() {
            return String::new();
        }
        LiveEvent::Change {
            build: self.build,
            changed: changed.into_iter().collect(),
            removed: removed.into_iter().collect(),
        }
        .to_sse()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(build: u64, changed: &[&str], removed: &[&str]) -> LiveEvent {
        LiveEvent::Change {
            build,
            changed: changed.iter().map(|s| s.to_string()).collect(),
            removed: removed.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn late_subscribers_get_the_current_error_until_it_clears() {
        let events = LiveEvents::new("s1".into());
        let (first, rx) = events.subscribe(None);
        assert!(first.contains("event: hello") && !first.contains("event: build-error"));
        events.publish(&LiveEvent::Error {
            build: 2,
            diagnostics: vec![json!({"rendered": "error[x]: bad\n --> a.md:1:1"})],
        });
        let got = rx.try_recv().expect("the error was sent");
        assert!(got.starts_with("id: 2\nevent: build-error\ndata: {"));
        assert_eq!(got.matches('\n').count(), 4, "one data line: {got}");
        let (late, _rx2) = events.subscribe(Some(2));
        assert!(late.contains("event: build-error") && late.contains("a.md:1:1"));
        events.publish(&LiveEvent::Clear { build: 3 });
        let (later, _rx3) = events.subscribe(None);
        assert!(!later.contains("event: build-error") && later.contains("\"build\":3"));
    }

    #[test]
    fn a_page_catches_up_on_what_changed_since_its_build() {
        let events = LiveEvents::new("s".into());
        events.publish(&change(2, &["/a/", "/b/"], &[]));
        events.publish(&LiveEvent::Error {
            build: 3,
            diagnostics: vec![],
        });
        events.publish(&change(4, &["/c/"], &["/b/"]));
        let (first, _rx) = events.subscribe(Some(1));
        assert!(
            first.contains(
                "event: change\ndata: {\"build\":4,\"changed\":[\"/a/\",\"/c/\"],\"removed\":[\"/b/\"]}"
            ),
            "{first}"
        );
        let (first, _rx) = events.subscribe(Some(2));
        assert!(first.contains("\"changed\":[\"/c/\"]"), "{first}");
        let (first, _rx) = events.subscribe(Some(4));
        assert!(!first.contains("event: change"), "{first}");
    }

    #[test]
    fn a_page_older_than_the_history_reloads() {
        let events = LiveEvents::new("s".into());
        for build in 1..=(HISTORY as u64 + 2) {
            events.publish(&change(build, &["/x/"], &[]));
        }
        let (first, _rx) = events.subscribe(Some(1));
        assert!(first.contains("\"all\":true"), "{first}");
        let (first, _rx) = events.subscribe(Some(HISTORY as u64));
        assert!(!first.contains("\"all\":true"), "{first}");
    }

    #[test]
    fn closed_streams_are_dropped() {
        let events = LiveEvents::new("s".into());
        let (_, rx) = events.subscribe(None);
        drop(rx);
        events.publish(&LiveEvent::Clear { build: 1 });
        assert_eq!(events.clients(), 0);
    }
}
