//! The rebuild planner: from a `ChangeSet` to the work that brings the served site up to date.
//!
//! In: the changed inputs. Out: a `RebuildPlan`, then, executed, a `Rebuilt` (the new build's
//! result, or the panic that stopped it). Today every plan is a full in-memory build, which is
//! always correct; a planner that keeps the dependency graph of the last build (which pages
//! read which document's body, which collection's data, which template) returns narrower plans
//! here without the serve loop changing: the loop diffs whatever comes back against the served
//! site by hash.

use std::panic::{AssertUnwindSafe, catch_unwind};

use super::watch::ChangeSet;
use crate::{BuildOptions, BuildResult};

/// What to rebuild.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RebuildPlan {
    /// Load, parse, resolve and render everything again.
    Full,
}

/// Chooses the work for a set of changes.
pub fn plan(_changes: &ChangeSet) -> RebuildPlan {
    RebuildPlan::Full
}

/// The outcome of executing a plan.
pub enum Rebuilt {
    Built(Box<BuildResult>),
    /// The pipeline panicked: a bug, reported in the page and the terminal instead of taking
    /// the server down.
    Panicked(String),
}

/// Runs a plan. Never writes: the options' `write` is forced off.
pub fn execute(plan: &RebuildPlan, opts: &BuildOptions) -> Rebuilt {
    let opts = BuildOptions {
        write: false,
        ..opts.clone()
    };
    match plan {
        RebuildPlan::Full => match catch_unwind(AssertUnwindSafe(|| crate::build(&opts))) {
            Ok(result) => Rebuilt::Built(Box::new(result)),
            Err(panic) => Rebuilt::Panicked(
                panic
                    .downcast_ref::<&str>()
                    .map(|s| (*s).to_string())
                    .or_else(|| panic.downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "unknown panic".into()),
            ),
        },
    }
}
