//! [`Lazy`]: the one cell every derived index of a snapshot sits in.
//!
//! A value type below the graph: it knows nothing of `SkillGraph`, of any index or of any
//! question module, so that the indexes (`search/index`) may hold one as well as the graph.

use std::sync::{Arc, OnceLock};

/// A value built on first use and shared by the clones of the snapshot that holds it.
///
/// Clones share one cell: whichever clone reads first builds the value for all of them, which
/// is what makes a snapshot cheap to clone and its index cheap to keep. So a write to a clone
/// must never fill or change the shared cell; it replaces its own copy of the cell instead
/// ([`reset`](Self::reset), or [`built`](Self::built) with a value it patched), leaving the
/// snapshot readers hold as it was. That is also why even a write to an unbuilt cell resets
/// it: the cell is still shared, and the first reader would fill it with its own snapshot's
/// value for both.
pub(in crate::domain) struct Lazy<T>(Arc<OnceLock<T>>);

impl<T> Lazy<T> {
    /// A cell that holds `value` already.
    pub(in crate::domain) fn built(value: T) -> Self {
        Lazy(Arc::new(OnceLock::from(value)))
    }

    pub(in crate::domain) fn get(&self) -> Option<&T> {
        self.0.get()
    }

    pub(in crate::domain) fn get_or_init(&self, build: impl FnOnce() -> T) -> &T {
        self.0.get_or_init(build)
    }

    /// Forgets the value for this snapshot only: the next reader builds it again.
    pub(in crate::domain) fn reset(&mut self) {
        *self = Self::default();
    }
}

// By hand: derives would ask `T: Clone` and `T: Default`, which sharing an `Arc` does not need.
impl<T> Clone for Lazy<T> {
    fn clone(&self) -> Self {
        Lazy(self.0.clone())
    }
}

impl<T> Default for Lazy<T> {
    fn default() -> Self {
        Lazy(Arc::default())
    }
}
