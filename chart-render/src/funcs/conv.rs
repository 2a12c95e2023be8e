//! Sprig's conv functions (to be filled).

use super::Registry;

pub(crate) fn register(_r: &mut Registry) {}
