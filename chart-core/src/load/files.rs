//! The file list a chart is read into, the limits that bound reading, and the errors.

use std::fmt;
use std::io;
use std::path::PathBuf;

/// A file of a chart: path relative to the chart root ('/'-separated) and contents.
///
/// This is Helm's `BufferedFile`. Names look like `Chart.yaml`, `templates/x.yaml`,
/// `charts/sub/Chart.yaml` or `charts/dep-1.0.0.tgz` (subchart archives are kept as bytes).
/// Like Helm, a leading UTF-8 byte order mark is removed from every file's data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BufferedFile {
    /// Path relative to the chart root, `/`-separated, never starting with `/` or `..`.
    pub name: String,
    /// The file's contents (without a leading UTF-8 BOM).
    pub data: Vec<u8>,
}

/// Limits on what reading a chart may take in.
///
/// The defaults are Helm 4.1.4's: a chart of at most 100 MiB of file data (strictly less, as
/// Helm counts it) and files of at most 5 MiB. Helm has no limit on the number of entries or
/// on nesting; ours are generous enough for any real chart.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadLimits {
    /// Most bytes of file data in one chart (Helm: `MaxDecompressedChartSize`, 100 MiB). As in
    /// Helm, an archive is refused once its file data reaches this size.
    pub max_chart_size: u64,
    /// Most bytes in one file (Helm: `MaxDecompressedFileSize`, 5 MiB).
    pub max_file_size: u64,
    /// Most entries in one chart: archive entries (directories included), or files and
    /// directories found in a chart directory (not counting ignored ones).
    pub max_entries: usize,
    /// Deepest directory nesting: folders above a file in an archive entry's path (after the
    /// chart's folder), directory levels (symlinked ones included) of a chart directory.
    pub max_depth: usize,
}

impl LoadLimits {
    /// Helm's `MaxDecompressedChartSize`: 100 MiB.
    pub const HELM_MAX_CHART_SIZE: u64 = 100 * 1024 * 1024;
    /// Helm's `MaxDecompressedFileSize`: 5 MiB.
    pub const HELM_MAX_FILE_SIZE: u64 = 5 * 1024 * 1024;

    /// Limits with the given sizes and the default entry and depth limits.
    pub fn new(max_chart_size: u64, max_file_size: u64) -> Self {
        LoadLimits { max_chart_size, max_file_size, ..LoadLimits::default() }
    }

    /// Returns these limits with `max_entries` set.
    pub fn with_max_entries(mut self, max_entries: usize) -> Self {
        self.max_entries = max_entries;
        self
    }

    /// Returns these limits with `max_depth` set.
    pub fn with_max_depth(mut self, max_depth: usize) -> Self {
        self.max_depth = max_depth;
        self
    }
}

impl Default for LoadLimits {
    fn default() -> Self {
        LoadLimits {
            max_chart_size: Self::HELM_MAX_CHART_SIZE,
            max_file_size: Self::HELM_MAX_FILE_SIZE,
            max_entries: 50_000,
            max_depth: 64,
        }
    }
}

/// What kind of archive entry or directory entry could not be read as a file.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum EntryKind {
    /// A symbolic link (in an archive), with its target.
    Symlink(String),
    /// A hard link (in an archive), with its target.
    HardLink(String),
    /// A character device.
    CharDevice,
    /// A block device.
    BlockDevice,
    /// A named pipe.
    Fifo,
    /// A socket.
    Socket,
    /// Any other tar entry type, with its type flag byte.
    Other(u8),
}

impl fmt::Display for EntryKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EntryKind::Symlink(t) => write!(f, "symbolic link to {t:?}"),
            EntryKind::HardLink(t) => write!(f, "hard link to {t:?}"),
            EntryKind::CharDevice => f.write_str("character device"),
            EntryKind::BlockDevice => f.write_str("block device"),
            EntryKind::Fifo => f.write_str("named pipe"),
            EntryKind::Socket => f.write_str("socket"),
            EntryKind::Other(b) => write!(f, "entry of tar type {:?}", char::from(*b)),
        }
    }
}

/// An error while reading a chart's files from an archive or a directory.
///
/// Every variant names the archive entry (as written in the archive) or the path it is about.
/// Where Helm has an error for the same input, the message starts with Helm's wording.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ReadError {
    /// Reading a file or directory failed.
    #[error("error reading {}: {source}", path.display())]
    Io {
        /// The path being read.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: io::Error,
    },
    /// The input does not start with a gzip header. `name` is the archive's file name when the
    /// caller knows it (see [`crate::load::read_archive_file`]); `content_type` is what Go's
    /// `http.DetectContentType` makes of the first 512 bytes, as Helm reports it.
    #[error("{}does not appear to be a gzipped archive; got '{content_type}'", named_file(name.as_deref()))]
    NotGzip {
        /// The archive's name, if known.
        name: Option<String>,
        /// The sniffed content type, e.g. `text/plain; charset=utf-8`.
        content_type: String,
    },
    /// A `.yaml`/`.yml` file was given where a chart archive was expected.
    #[error("file '{name}' seems to be a YAML file, but expected a gzipped archive")]
    YamlNotArchive {
        /// The file's name.
        name: String,
    },
    /// A directory was given where a chart archive was expected.
    #[error("cannot load a directory: {}", path.display())]
    IsDirectory {
        /// The directory.
        path: PathBuf,
    },
    /// A path given as a chart directory is not a directory.
    #[error("not a chart directory: {}", path.display())]
    NotADirectory {
        /// The path.
        path: PathBuf,
    },
    /// The gzip stream is corrupt or ends early.
    #[error("{}corrupt or truncated gzip stream: {source}", after_entry(entry.as_deref()))]
    Gzip {
        /// The last entry read before the failure, if any.
        entry: Option<String>,
        /// The underlying error.
        #[source]
        source: io::Error,
    },
    /// The tar stream inside the gzip stream is malformed or ends early.
    #[error("{}malformed or truncated tar archive: {source}", after_entry(entry.as_deref()))]
    Tar {
        /// The last entry read before the failure, if any.
        entry: Option<String>,
        /// The underlying error.
        #[source]
        source: io::Error,
    },
    /// An archive entry's path is absolute once the top-level folder is removed.
    #[error("chart illegally contains absolute paths: entry {entry:?}")]
    AbsolutePath {
        /// The entry as named in the archive.
        entry: String,
    },
    /// An archive entry's path escapes the chart with `..`.
    #[error("chart illegally references parent directory: entry {entry:?}")]
    ParentReference {
        /// The entry as named in the archive.
        entry: String,
    },
    /// An archive entry is the top-level folder itself, or a file beside it.
    #[error("chart illegally contains content outside the base directory: {entry:?}")]
    OutsideBase {
        /// The entry as named in the archive.
        entry: String,
    },
    /// An archive entry's path is a Windows drive path such as `c:/x`.
    #[error("chart contains illegally named files: entry {entry:?}")]
    IllegalName {
        /// The entry as named in the archive.
        entry: String,
    },
    /// An archive has a folder named `Chart.yaml` at its top level.
    #[error("chart yaml not in base directory: entry {entry:?}")]
    ChartYamlNotInBase {
        /// The entry as named in the archive.
        entry: String,
    },
    /// An archive entry's path is not valid UTF-8.
    #[error("chart contains a file name that is not UTF-8: entry {entry:?}")]
    NonUtf8Name {
        /// The entry's name, with invalid bytes replaced.
        entry: String,
    },
    /// The archive's file data reaches the chart size limit.
    #[error("decompressed chart is larger than the maximum size {limit} (at entry {entry:?})")]
    ArchiveTooLarge {
        /// The entry being read when the limit was reached.
        entry: String,
        /// The limit, in bytes.
        limit: u64,
    },
    /// A directory's files add up to more than the chart size limit.
    #[error("chart exceeds maximum decompressed size of {limit} bytes (at {})", path.display())]
    DirTooLarge {
        /// The file being read when the limit was passed.
        path: PathBuf,
        /// The limit, in bytes.
        limit: u64,
    },
    /// An archive entry is larger than the file size limit.
    #[error("decompressed chart file {entry:?} is larger than the maximum file size {limit}")]
    ArchiveFileTooLarge {
        /// The entry as named in the archive.
        entry: String,
        /// The entry's size, in bytes.
        size: u64,
        /// The limit, in bytes.
        limit: u64,
    },
    /// A file of a chart directory is larger than the file size limit.
    #[error("chart file {:?} is larger than the maximum file size {limit} ({})", base_name(path), path.display())]
    FileTooLarge {
        /// The file.
        path: PathBuf,
        /// The file's size, in bytes.
        size: u64,
        /// The limit, in bytes.
        limit: u64,
    },
    /// The archive holds no files (it is empty or only has directories).
    #[error("no files in chart archive")]
    NoFiles,
    /// Two archive entries name the same file (Helm keeps the last; we refuse).
    #[error("chart archive contains the file {name:?} twice (entry {entry:?})")]
    DuplicateEntry {
        /// The second entry as named in the archive.
        entry: String,
        /// The file name both entries map to.
        name: String,
    },
    /// An archive entry is not a regular file or directory (symlink, hard link, device...).
    #[error(
        "chart archive entry {entry:?} is a {kind}; only regular files and directories are allowed"
    )]
    UnsupportedEntry {
        /// The entry as named in the archive.
        entry: String,
        /// What the entry is.
        kind: EntryKind,
    },
    /// A file in a chart directory is not a regular file.
    #[error("cannot load irregular file {} as it has file mode type bits set ({kind})", path.display())]
    IrregularFile {
        /// The file.
        path: PathBuf,
        /// What it is.
        kind: EntryKind,
    },
    /// More entries than `max_entries`.
    #[error("chart has more than {limit} entries (at {entry:?})")]
    TooManyEntries {
        /// The first entry over the limit.
        entry: String,
        /// The limit.
        limit: usize,
    },
    /// Nesting deeper than `max_depth`.
    #[error("chart nests deeper than {limit} levels (at {entry:?})")]
    TooDeep {
        /// The entry or path that is too deep.
        entry: String,
        /// The limit.
        limit: usize,
    },
    /// A symlink in a chart directory points nowhere.
    #[error("error evaluating symlink {}: {source}", path.display())]
    BrokenSymlink {
        /// The symlink.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: io::Error,
    },
    /// A symlink in a chart directory resolves outside the chart directory.
    #[error("symlink {} leads outside the chart directory (to {})", path.display(), target.display())]
    SymlinkOutside {
        /// The symlink.
        path: PathBuf,
        /// Where it resolves to.
        target: PathBuf,
    },
    /// Symlinks in a chart directory form a loop (a link to itself, or a directory link to
    /// one of its own parents).
    #[error("symlink loop at {} (resolves to {})", path.display(), target.display())]
    SymlinkLoop {
        /// The symlink.
        path: PathBuf,
        /// Where it resolves to, if resolution got that far.
        target: PathBuf,
    },
    /// A path in a chart directory is not valid UTF-8.
    #[error("chart contains a file name that is not UTF-8: {}", path.display())]
    NonUtf8Path {
        /// The path.
        path: PathBuf,
    },
    /// A `.helmignore` rule cannot be used.
    #[error(".helmignore line {line}: {message}: {rule:?}")]
    IgnoreRule {
        /// 1-based line number.
        line: usize,
        /// The rule as written (trimmed).
        rule: String,
        /// Helm's message: `double-star (**) syntax is not supported`, `syntax error in
        /// pattern` or `bufio.Scanner: token too long`.
        message: &'static str,
    },
}

impl ReadError {
    /// Names the archive this error came from, for the errors that do not already name it
    /// (so that `NotGzip` displays as Helm's `file 'x.tgz' does not appear to be a gzipped
    /// archive; got '...'`).
    pub fn with_archive_name(self, archive: &str) -> Self {
        match self {
            ReadError::NotGzip { name: None, content_type } => {
                ReadError::NotGzip { name: Some(archive.to_owned()), content_type }
            }
            other => other,
        }
    }
}

fn named_file(name: Option<&str>) -> String {
    match name {
        Some(n) => format!("file '{n}' "),
        None => "input ".to_owned(),
    }
}

fn after_entry(entry: Option<&str>) -> String {
    match entry {
        Some(e) => format!("after entry {e:?}: "),
        None => String::new(),
    }
}

fn base_name(path: &std::path::Path) -> String {
    path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
}

/// Removes a leading UTF-8 byte order mark, as Helm does for every file it loads.
pub(crate) fn strip_bom(mut data: Vec<u8>) -> Vec<u8> {
    if data.starts_with(&[0xEF, 0xBB, 0xBF]) {
        data.drain(..3);
    }
    data
}

/// The text of file contents as Go sees a `string(bytes)` in our UTF-8 world: borrowed when the
/// bytes are valid UTF-8 (checked with the fast validator), with U+FFFD for invalid sequences
/// otherwise.
pub fn utf8_lossy(bytes: &[u8]) -> std::borrow::Cow<'_, str> {
    match std::str::from_utf8(bytes) {
        Ok(s) => std::borrow::Cow::Borrowed(s),
        Err(_) => String::from_utf8_lossy(bytes),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_helms() {
        let l = LoadLimits::default();
        assert_eq!(l.max_chart_size, 104_857_600);
        assert_eq!(l.max_file_size, 5_242_880);
    }

    #[test]
    fn bom_is_stripped_once() {
        assert_eq!(strip_bom(b"\xEF\xBB\xBFa: 1".to_vec()), b"a: 1");
        assert_eq!(strip_bom(b"\xEF\xBB".to_vec()), b"\xEF\xBB");
        assert_eq!(strip_bom(b"\xEF\xBB\xBF\xEF\xBB\xBF".to_vec()), b"\xEF\xBB\xBF");
    }

    #[test]
    fn not_gzip_message_is_helms() {
        let e = ReadError::NotGzip { name: None, content_type: "text/plain; charset=utf-8".into() }
            .with_archive_name("values.txt");
        assert_eq!(
            e.to_string(),
            "file 'values.txt' does not appear to be a gzipped archive; got 'text/plain; charset=utf-8'"
        );
    }
}
