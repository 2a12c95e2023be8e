//! Loading charts from directories, archives and bytes.
mod archive;
mod dir;
mod files;
mod ignore;
pub use archive::*;
pub use dir::*;
pub use files::*;
pub use ignore::*;
