//! The rebuild step: from a `ChangeSet` to the work that brings the served site up to date.
//!
//! In: the changed inputs (None for the first build). Out: a `Rebuilt` (the rebuild's outcome,
//! or the panic that stopped it). The work itself is chosen by `incremental`, from the state
//! kept from the last good build: a fast path for body edits and static files, otherwise the
//! pipeline again reusing every parsed doc, rendered body and page whose inputs did not
//! change. The serve loop diffs whatever comes back against the served site by hash.

use std::panic::{AssertUnwindSafe, catch_unwind};

use super::incremental::{Incremental, Outcome};
use super::watch::ChangeSet;
use crate::BuildOptions;

/// The outcome of a rebuild.
pub enum Rebuilt {
    Built(Box<Outcome>),
    /// The pipeline panicked: a bug, reported in the page and the terminal instead of taking
    /// the server down.
    Panicked(String),
}

/// Runs a rebuild. Never writes. After a panic the kept state is dropped, so that the next
/// rebuild starts from scratch.
pub fn execute(inc: &mut Incremental, changes: Option<&ChangeSet>, opts: &BuildOptions) -> Rebuilt {
    match catch_unwind(AssertUnwindSafe(|| inc.update(changes))) {
        Ok(outcome) => Rebuilt::Built(Box::new(outcome)),
        Err(panic) => {
            *inc = Incremental::new(opts);
            Rebuilt::Panicked(
                panic
                    .downcast_ref::<&str>()
                    .map(|s| (*s).to_string())
                    .or_else(|| panic.downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "unknown panic".into()),
            )
        }
    }
}
