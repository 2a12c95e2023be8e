//! What the helpers of one rendering share: the data being rendered (to find the exact value
//! behind a handlebars path), the nesting depth and the work done, checked against the limits.
//!
//! Handlebars helpers must be `Send + Sync` and receive only JSON, while the data is a tree of
//! [`Val`]s; the rendering thread keeps it here for the duration of one [`Session`].

use std::cell::RefCell;

use crate::template::Limits;
use crate::value::Val;

struct State {
    /// The data of the template being rendered, then of each `include` inside it.
    roots: Vec<Val>,
    depth: usize,
    steps: u64,
    limits: Limits,
}

thread_local! {
    static STATE: RefCell<Option<State>> = const { RefCell::new(None) };
}

/// The rendering of one template on this thread; ends when dropped.
pub(super) struct Session {
    previous: Option<State>,
}

impl Session {
    /// Starts rendering with `root` as the data.
    pub(super) fn start(root: Val, limits: Limits) -> Session {
        let state = State { roots: vec![root], depth: 0, steps: 0, limits };
        Session { previous: STATE.with(|s| s.borrow_mut().replace(state)) }
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        let previous = self.previous.take();
        STATE.with(|s| *s.borrow_mut() = previous);
    }
}

/// The value at `path` under the current data, if there is a session and a value there.
pub(super) fn resolve(path: &[String]) -> Option<Val> {
    STATE.with(|s| {
        let s = s.borrow();
        let root = s.as_ref()?.roots.last()?;
        super::convert::walk(root, path)
    })
}

/// Counts one step of work; fails past the limit.
pub(super) fn tick() -> Result<(), String> {
    STATE.with(|s| match s.borrow_mut().as_mut() {
        Some(st) => {
            st.steps += 1;
            if st.steps > st.limits.max_steps {
                return Err(format!(
                    "template execution exceeded the limit of {} steps",
                    st.limits.max_steps
                ));
            }
            Ok(())
        }
        None => Ok(()),
    })
}

/// The largest output allowed, if there is a session.
pub(super) fn max_output() -> Option<usize> {
    STATE.with(|s| s.borrow().as_ref().map(|st| st.limits.max_output))
}

/// One level deeper (a block, a partial, an include) until the guard is dropped; fails past the
/// limit.
pub(super) fn descend() -> Result<Depth, String> {
    STATE.with(|s| match s.borrow_mut().as_mut() {
        Some(st) => {
            if st.depth >= st.limits.max_depth {
                return Err(format!(
                    "exceeded maximum template depth ({}): partials, includes and blocks nest \
                     too deeply",
                    st.limits.max_depth
                ));
            }
            st.depth += 1;
            Ok(Depth { root: false })
        }
        None => Ok(Depth { root: false }),
    })
}

/// Renders with `root` as the data (an `include`) until the guard is dropped.
pub(super) fn with_root(root: Val) -> Depth {
    STATE.with(|s| {
        if let Some(st) = s.borrow_mut().as_mut() {
            st.roots.push(root);
        }
    });
    Depth { root: true }
}

/// Undoes [`descend`] or [`with_root`] when dropped.
pub(super) struct Depth {
    root: bool,
}

impl Drop for Depth {
    fn drop(&mut self) {
        STATE.with(|s| {
            if let Some(st) = s.borrow_mut().as_mut() {
                if self.root {
                    st.roots.pop();
                } else {
                    st.depth = st.depth.saturating_sub(1);
                }
            }
        });
    }
}
