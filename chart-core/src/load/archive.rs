//! Reading a chart's files out of a gzipped tar archive (`.tgz`), as Helm's
//! `LoadArchiveFiles` does, with its path checks and size limits.
//!
//! The archive is streamed: nothing is buffered beyond the files it holds, which the
//! [`LoadLimits`] bound, and the decompressed stream itself is capped.

use std::error::Error as StdError;
use std::fmt;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read, Seek};
use std::path::Path;

use flate2::bufread::MultiGzDecoder;
use tar::EntryType;

use super::files::{BufferedFile, EntryKind, LoadLimits, ReadError, strip_bom};

/// Whether `bytes` start like a gzip stream (magic `1f 8b` and the deflate method), which is
/// Helm's test for a chart archive.
pub fn is_gzip(bytes: &[u8]) -> bool {
    bytes.starts_with(&[0x1F, 0x8B, 0x08])
}

/// Reads the files of a gzipped chart archive from a stream.
///
/// Like Helm, the first path component of every entry (the chart's folder) is dropped,
/// directories and PAX headers are skipped, paths are checked (no absolute paths, no `..`,
/// no drive letters, no `Chart.yaml` folder), a leading UTF-8 BOM is removed from each file,
/// and the limits are enforced while streaming. Subchart archives (`charts/*.tgz`) are kept
/// as bytes. Files come in archive order.
///
/// Unlike Helm (which reads them as empty files, or keeps the last of two), symlinks, hard
/// links, devices, pipes and duplicate file names are refused.
pub fn read_archive<R: Read>(r: R, limits: &LoadLimits) -> Result<Vec<BufferedFile>, ReadError> {
    read_archive_with_root(r, limits).map(|(_, files)| files)
}

/// Reads the files of a gzipped chart archive held in memory; see [`read_archive`].
pub fn read_archive_bytes(
    bytes: &[u8],
    limits: &LoadLimits,
) -> Result<Vec<BufferedFile>, ReadError> {
    check_gzip(bytes)?;
    decode(bytes, limits).map(|(_, files)| files)
}

/// Like [`read_archive`], and also returns the archive's top-level folder: the first path
/// component of its first file entry (usually the chart's name).
///
/// Helm does not require all entries to share that folder (each entry just loses its first
/// component), and neither does this.
pub fn read_archive_with_root<R: Read>(
    mut r: R,
    limits: &LoadLimits,
) -> Result<(String, Vec<BufferedFile>), ReadError> {
    let mut head = [0u8; SNIFF_LEN];
    let n =
        read_up_to(&mut r, &mut head).map_err(|source| ReadError::Gzip { entry: None, source })?;
    check_gzip(&head[..n])?;
    decode(BufReader::new(io::Cursor::new(&head[..n]).chain(r)), limits)
}

/// Reads a chart archive file, as Helm's `LoadFile` does: refuses a directory, and gives
/// Helm's messages for a file that is not gzipped (`file '…' does not appear to be a gzipped
/// archive; got '…'`, or `file '…' seems to be a YAML file, …` for `.yaml`/`.yml` names).
pub fn read_archive_file(path: &Path, limits: &LoadLimits) -> Result<Vec<BufferedFile>, ReadError> {
    let io_err = |source| ReadError::Io { path: path.to_owned(), source };
    let meta = std::fs::metadata(path).map_err(io_err)?;
    if meta.is_dir() {
        return Err(ReadError::IsDirectory { path: path.to_owned() });
    }
    let mut file = File::open(path).map_err(io_err)?;
    let mut head = [0u8; SNIFF_LEN];
    read_up_to(&mut file, &mut head).map_err(io_err)?;
    ensure_archive(&path.to_string_lossy(), &head)?;
    file.rewind().map_err(io_err)?;
    decode(BufReader::new(file), limits).map(|(_, files)| files)
}

/// Helm's `EnsureArchive`: checks that `head` (the first up to 512 bytes of the file called
/// `name`) looks like a gzip stream, with Helm's messages when it does not.
pub fn ensure_archive(name: &str, head: &[u8]) -> Result<(), ReadError> {
    let head = &head[..head.len().min(SNIFF_LEN)];
    // Helm sniffs a zero-filled 512-byte buffer, so short files read as binary.
    let mut buf = [0u8; SNIFF_LEN];
    buf[..head.len()].copy_from_slice(head);
    let content_type = detect_content_type(&buf);
    if content_type == "application/x-gzip" || is_gzip(&buf) {
        return Ok(());
    }
    if name.ends_with(".yml") || name.ends_with(".yaml") {
        return Err(ReadError::YamlNotArchive { name: name.to_owned() });
    }
    Err(ReadError::NotGzip { name: Some(name.to_owned()), content_type: content_type.to_owned() })
}

/// How many leading bytes Go's `http.DetectContentType` looks at.
const SNIFF_LEN: usize = 512;

fn read_up_to<R: Read>(r: &mut R, buf: &mut [u8]) -> io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match r.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

/// Fails with `NotGzip` (no name) unless `head` starts like a gzip stream.
fn check_gzip(head: &[u8]) -> Result<(), ReadError> {
    if is_gzip(head) {
        return Ok(());
    }
    let mut buf = [0u8; SNIFF_LEN];
    let n = head.len().min(SNIFF_LEN);
    buf[..n].copy_from_slice(&head[..n]);
    Err(ReadError::NotGzip { name: None, content_type: detect_content_type(&buf).to_owned() })
}

/// Decompresses and reads the entries of a stream that starts with a gzip header.
fn decode<R: BufRead>(
    input: R,
    limits: &LoadLimits,
) -> Result<(String, Vec<BufferedFile>), ReadError> {
    // Headers, padding and PAX records come on top of the file data; bound them too.
    let stream_cap = limits
        .max_chart_size
        .saturating_add((limits.max_entries as u64).saturating_mul(4096))
        .saturating_add(4 << 20);
    let stream = Guard { inner: MultiGzDecoder::new(input), left: stream_cap };
    let mut archive = tar::Archive::new(stream);
    let mut reader = ArchiveReader {
        limits,
        files: Vec::new(),
        root: None,
        seen: Default::default(),
        remaining: limits.max_chart_size,
        entries: 0,
        last: None,
    };
    let entries = archive.entries().map_err(|e| reader.classify(e))?;
    for entry in entries {
        let entry = entry.map_err(|e| reader.classify(e))?;
        reader.entry(entry)?;
    }
    if reader.files.is_empty() {
        return Err(ReadError::NoFiles);
    }
    Ok((reader.root.unwrap_or_default(), reader.files))
}

struct ArchiveReader<'l> {
    limits: &'l LoadLimits,
    files: Vec<BufferedFile>,
    root: Option<String>,
    seen: std::collections::HashSet<String>,
    /// File data still allowed (Helm's `remainingSize`).
    remaining: u64,
    entries: usize,
    /// The last entry name seen, for errors in the stream.
    last: Option<String>,
}

impl ArchiveReader<'_> {
    fn entry<R: Read>(&mut self, mut entry: tar::Entry<'_, R>) -> Result<(), ReadError> {
        let raw_name = {
            let bytes = entry.path_bytes();
            match std::str::from_utf8(&bytes) {
                Ok(s) => s.to_owned(),
                Err(_) => {
                    return Err(ReadError::NonUtf8Name {
                        entry: String::from_utf8_lossy(&bytes).into_owned(),
                    });
                }
            }
        };
        self.last = Some(raw_name.clone());
        self.entries += 1;
        if self.entries > self.limits.max_entries {
            return Err(ReadError::TooManyEntries {
                entry: raw_name,
                limit: self.limits.max_entries,
            });
        }

        let header = entry.header();
        let typeflag = header.as_bytes()[156];
        let mode = header.mode().unwrap_or(0);
        // Go's `FileInfo().IsDir()`: the type flag, the mode's type bits, or an old-style
        // regular entry whose name ends in `/`.
        let is_dir = typeflag == b'5'
            || mode & !0o7777 == 0o040000
            || (typeflag == 0 && raw_name.ends_with('/'));
        if is_dir {
            return Ok(());
        }
        let kind = match header.entry_type() {
            EntryType::Regular | EntryType::Continuous | EntryType::GNUSparse => None,
            EntryType::XGlobalHeader | EntryType::XHeader => return Ok(()),
            EntryType::Symlink => Some(EntryKind::Symlink(link_name(&entry))),
            EntryType::Link => Some(EntryKind::HardLink(link_name(&entry))),
            EntryType::Char => Some(EntryKind::CharDevice),
            EntryType::Block => Some(EntryKind::BlockDevice),
            EntryType::Fifo => Some(EntryKind::Fifo),
            _ => Some(EntryKind::Other(typeflag)),
        };

        let (top, name) = chart_path(&raw_name)?;
        if name.split('/').count() - 1 > self.limits.max_depth {
            return Err(ReadError::TooDeep { entry: raw_name, limit: self.limits.max_depth });
        }
        if let Some(kind) = kind {
            return Err(ReadError::UnsupportedEntry { entry: raw_name, kind });
        }

        let size = entry.size();
        if size > self.remaining {
            return Err(self.too_large(raw_name));
        }
        if size > self.limits.max_file_size {
            return Err(ReadError::ArchiveFileTooLarge {
                entry: raw_name,
                size,
                limit: self.limits.max_file_size,
            });
        }
        let budget = self.remaining.min(self.limits.max_file_size);
        let mut data = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
        (&mut entry)
            .take(budget.saturating_add(1))
            .read_to_end(&mut data)
            .map_err(|e| self.classify(e))?;
        let got = data.len() as u64;
        if got > self.remaining {
            return Err(self.too_large(raw_name));
        }
        if got > self.limits.max_file_size {
            return Err(ReadError::ArchiveFileTooLarge {
                entry: raw_name,
                size: got,
                limit: self.limits.max_file_size,
            });
        }
        if got < size {
            return Err(ReadError::Tar {
                entry: Some(raw_name),
                source: io::Error::new(io::ErrorKind::UnexpectedEof, "file data ends early"),
            });
        }
        self.remaining -= got;
        // Helm refuses a chart whose data reaches the limit exactly.
        if self.remaining == 0 {
            return Err(self.too_large(raw_name));
        }

        if !self.seen.insert(name.clone()) {
            return Err(ReadError::DuplicateEntry { entry: raw_name, name });
        }
        if self.root.is_none() {
            self.root = Some(top);
        }
        self.files.push(BufferedFile { name, data: strip_bom(data) });
        Ok(())
    }

    fn too_large(&self, entry: String) -> ReadError {
        ReadError::ArchiveTooLarge { entry, limit: self.limits.max_chart_size }
    }

    /// Sorts an error out of the tar reader: from the gzip layer, the stream cap, or tar.
    fn classify(&self, e: io::Error) -> ReadError {
        let entry = self.last.clone();
        if e.get_ref().is_some_and(|r| r.is::<StreamCapped>()) {
            return ReadError::ArchiveTooLarge {
                entry: entry.unwrap_or_default(),
                limit: self.limits.max_chart_size,
            };
        }
        if e.get_ref().is_some_and(|r| r.is::<GzipFailure>()) {
            let kind = e.kind();
            let source = match e.into_inner().map(|b| b.downcast::<GzipFailure>()) {
                Some(Ok(g)) => g.0,
                _ => io::Error::new(kind, "gzip error"),
            };
            return ReadError::Gzip { entry, source };
        }
        ReadError::Tar { entry, source: e }
    }
}

fn link_name<R: Read>(entry: &tar::Entry<'_, R>) -> String {
    entry.link_name_bytes().map(|b| String::from_utf8_lossy(&b).into_owned()).unwrap_or_default()
}

/// Helm's path handling for an archive entry: returns the top-level folder and the cleaned
/// path inside the chart, or Helm's error.
fn chart_path(raw: &str) -> Result<(String, String), ReadError> {
    // An archive made on Windows may use `\`; then only `\` separates.
    let delimiter = if raw.contains('\\') { '\\' } else { '/' };
    let (top, rest) = match raw.split_once(delimiter) {
        Some((top, rest)) => (top, rest),
        None => (raw, ""),
    };
    let rest = if delimiter == '\\' { rest.replace('\\', "/") } else { rest.to_owned() };
    if rest.starts_with('/') {
        return Err(ReadError::AbsolutePath { entry: raw.to_owned() });
    }
    let name = go_clean(&rest);
    if name == "." {
        return Err(ReadError::OutsideBase { entry: raw.to_owned() });
    }
    if name.starts_with("..") {
        return Err(ReadError::ParentReference { entry: raw.to_owned() });
    }
    let b = name.as_bytes();
    if b.len() >= 3 && b[0].is_ascii_alphabetic() && b[1] == b':' && b[2] == b'/' {
        return Err(ReadError::IllegalName { entry: raw.to_owned() });
    }
    if top == "Chart.yaml" {
        return Err(ReadError::ChartYamlNotInBase { entry: raw.to_owned() });
    }
    Ok((top.to_owned(), name))
}

/// Go's `path.Clean`: the shortest equivalent path, resolving `.`, `..` and repeated `/`.
pub(crate) fn go_clean(p: &str) -> String {
    if p.is_empty() {
        return ".".to_owned();
    }
    let rooted = p.starts_with('/');
    let mut out: Vec<&str> = Vec::new();
    for part in p.split('/') {
        match part {
            "" | "." => {}
            ".." => match out.last() {
                Some(&last) if last != ".." => {
                    out.pop();
                }
                _ if rooted => {}
                _ => out.push(".."),
            },
            _ => out.push(part),
        }
    }
    let joined = out.join("/");
    match (rooted, joined.is_empty()) {
        (true, _) => format!("/{joined}"),
        (false, true) => ".".to_owned(),
        (false, false) => joined,
    }
}

/// Marks errors from the gzip layer, so they are told apart from tar errors.
#[derive(Debug)]
struct GzipFailure(io::Error);

impl fmt::Display for GzipFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl StdError for GzipFailure {}

/// The decompressed stream went past its cap.
#[derive(Debug)]
struct StreamCapped;

impl fmt::Display for StreamCapped {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("decompressed archive stream is too large")
    }
}

impl StdError for StreamCapped {}

/// Caps the decompressed stream and tags gzip errors.
struct Guard<R> {
    inner: R,
    left: u64,
}

impl<R: Read> Read for Guard<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let want =
            usize::try_from(self.left.saturating_add(1)).map_or(buf.len(), |l| l.min(buf.len()));
        match self.inner.read(&mut buf[..want]) {
            Ok(n) if n as u64 > self.left => Err(io::Error::other(StreamCapped)),
            Ok(n) => {
                self.left -= n as u64;
                Ok(n)
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => Err(e),
            Err(e) => Err(io::Error::new(e.kind(), GzipFailure(e))),
        }
    }
}

/// Go's `http.DetectContentType` (the WHATWG sniffing algorithm as Go implements it): the
/// MIME type Helm names when a chart file is not a gzip archive.
pub fn detect_content_type(data: &[u8]) -> &'static str {
    let data = &data[..data.len().min(SNIFF_LEN)];
    let first_non_ws = data.iter().position(|&b| !is_ws(b)).unwrap_or(data.len());
    let ws_skipped = &data[first_non_ws..];

    const HTML: &[&[u8]] = &[
        b"<!DOCTYPE HTML",
        b"<HTML",
        b"<HEAD",
        b"<SCRIPT",
        b"<IFRAME",
        b"<H1",
        b"<DIV",
        b"<FONT",
        b"<TABLE",
        b"<A",
        b"<STYLE",
        b"<TITLE",
        b"<B",
        b"<BODY",
        b"<BR",
        b"<P",
        b"<!--",
    ];
    for sig in HTML {
        if html_match(ws_skipped, sig) {
            return "text/html; charset=utf-8";
        }
    }
    if ws_skipped.starts_with(b"<?xml") {
        return "text/xml; charset=utf-8";
    }
    let exact: &[(&[u8], &str)] =
        &[(b"%PDF-", "application/pdf"), (b"%!PS-Adobe-", "application/postscript")];
    for (sig, ct) in exact {
        if data.starts_with(sig) {
            return ct;
        }
    }
    if data.len() >= 4 {
        if data[..2] == [0xFE, 0xFF] {
            return "text/plain; charset=utf-16be";
        }
        if data[..2] == [0xFF, 0xFE] {
            return "text/plain; charset=utf-16le";
        }
        if data[..3] == [0xEF, 0xBB, 0xBF] {
            return "text/plain; charset=utf-8";
        }
    }
    let images: &[(&[u8], &str)] = &[
        (b"\x00\x00\x01\x00", "image/x-icon"),
        (b"\x00\x00\x02\x00", "image/x-icon"),
        (b"BM", "image/bmp"),
        (b"GIF87a", "image/gif"),
        (b"GIF89a", "image/gif"),
    ];
    for (sig, ct) in images {
        if data.starts_with(sig) {
            return ct;
        }
    }
    if riff(data, b"WEBPVP") {
        return "image/webp";
    }
    if data.starts_with(b"\x89PNG\x0D\x0A\x1A\x0A") {
        return "image/png";
    }
    if data.starts_with(b"\xFF\xD8\xFF") {
        return "image/jpeg";
    }
    if data.starts_with(b".snd") {
        return "audio/basic";
    }
    if data.len() >= 12 && data.starts_with(b"FORM") && &data[8..12] == b"AIFF" {
        return "audio/aiff";
    }
    if data.starts_with(b"ID3") {
        return "audio/mpeg";
    }
    if data.starts_with(b"OggS\x00") {
        return "application/ogg";
    }
    if data.starts_with(b"MThd\x00\x00\x00\x06") {
        return "audio/midi";
    }
    if riff(data, b"AVI ") {
        return "video/avi";
    }
    if riff(data, b"WAVE") {
        return "audio/wave";
    }
    if is_mp4(data) {
        return "video/mp4";
    }
    if data.starts_with(b"\x1A\x45\xDF\xA3") {
        return "video/webm";
    }
    if data.len() >= 36 && &data[34..36] == b"LP" {
        return "application/vnd.ms-fontobject";
    }
    let rest: &[(&[u8], &str)] = &[
        (b"\x00\x01\x00\x00", "font/ttf"),
        (b"OTTO", "font/otf"),
        (b"ttcf", "font/collection"),
        (b"wOFF", "font/woff"),
        (b"wOF2", "font/woff2"),
        (b"\x1F\x8B\x08", "application/x-gzip"),
        (b"PK\x03\x04", "application/zip"),
        (b"Rar!\x1A\x07\x00", "application/x-rar-compressed"),
        (b"Rar!\x1A\x07\x01\x00", "application/x-rar-compressed"),
        (b"\x00\x61\x73\x6D", "application/wasm"),
    ];
    for (sig, ct) in rest {
        if data.starts_with(sig) {
            return ct;
        }
    }
    if !ws_skipped.iter().any(|&b| is_binary(b)) {
        return "text/plain; charset=utf-8";
    }
    "application/octet-stream"
}

fn is_ws(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | b'\x0C' | b'\r' | b' ')
}

fn is_binary(b: u8) -> bool {
    matches!(b, 0x00..=0x08 | 0x0B | 0x0E..=0x1A | 0x1C..=0x1F)
}

/// An HTML signature: case-insensitive for letters, then a space or `>`.
fn html_match(data: &[u8], sig: &[u8]) -> bool {
    if data.len() < sig.len() + 1 {
        return false;
    }
    for (i, &s) in sig.iter().enumerate() {
        let mut d = data[i];
        if s.is_ascii_uppercase() {
            d &= 0xDF;
        }
        if d != s {
            return false;
        }
    }
    matches!(data[sig.len()], b' ' | b'>')
}

/// `RIFF????<tag>`.
fn riff(data: &[u8], tag: &[u8]) -> bool {
    data.len() >= 8 + tag.len() && data.starts_with(b"RIFF") && &data[8..8 + tag.len()] == tag
}

fn is_mp4(data: &[u8]) -> bool {
    if data.len() < 12 {
        return false;
    }
    let box_size = u32::from_be_bytes([data[0], data[1], data[2], data[3]]) as usize;
    if data.len() < box_size || box_size % 4 != 0 || &data[4..8] != b"ftyp" {
        return false;
    }
    (8..box_size).step_by(4).any(|st| st != 12 && data.get(st..st + 3) == Some(b"mp4"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_like_go() {
        for (i, o) in [
            ("", "."),
            ("a/b", "a/b"),
            ("a//b/", "a/b"),
            ("./a/./b", "a/b"),
            ("a/../b", "b"),
            ("a/../..", ".."),
            ("../a", "../a"),
            ("/../a", "/a"),
            ("/", "/"),
            ("a/b/../../..", ".."),
            ("..foo", "..foo"),
        ] {
            assert_eq!(go_clean(i), o, "{i:?}");
        }
    }

    #[test]
    fn chart_paths_like_helm() {
        let ok = |raw: &str| chart_path(raw).map(|(t, n)| format!("{t}|{n}"));
        assert_eq!(ok("c/templates/x.yaml").ok().as_deref(), Some("c|templates/x.yaml"));
        assert_eq!(ok("/abs/x").ok().as_deref(), Some("|abs/x"));
        assert_eq!(ok("c\\templates\\x.yaml").ok().as_deref(), Some("c|templates/x.yaml"));
        // With a backslash anywhere only backslashes separate.
        assert_eq!(ok("c/templates\\x.yaml").ok().as_deref(), Some("c/templates|x.yaml"));
        assert!(matches!(chart_path("c//etc/x"), Err(ReadError::AbsolutePath { .. })));
        assert!(matches!(chart_path("c"), Err(ReadError::OutsideBase { .. })));
        assert!(matches!(chart_path("c/."), Err(ReadError::OutsideBase { .. })));
        assert!(matches!(chart_path("c/../x"), Err(ReadError::ParentReference { .. })));
        assert!(matches!(chart_path("c/..x"), Err(ReadError::ParentReference { .. })));
        assert!(matches!(chart_path("c/C:/x"), Err(ReadError::IllegalName { .. })));
        assert!(matches!(chart_path("c\\c:\\x"), Err(ReadError::IllegalName { .. })));
        assert!(matches!(chart_path("Chart.yaml/x"), Err(ReadError::ChartYamlNotInBase { .. })));
    }

    #[test]
    fn sniffing_like_go() {
        let pad = |b: &[u8]| {
            let mut v = b.to_vec();
            v.resize(512, 0);
            v
        };
        assert_eq!(detect_content_type(b"a: 1\n"), "text/plain; charset=utf-8");
        assert_eq!(detect_content_type(&pad(b"a: 1\n")), "application/octet-stream");
        assert_eq!(detect_content_type(b""), "text/plain; charset=utf-8");
        assert_eq!(detect_content_type(b"  <html>"), "text/html; charset=utf-8");
        assert_eq!(detect_content_type(b"<?xml version"), "text/xml; charset=utf-8");
        assert_eq!(detect_content_type(b"PK\x03\x04rest"), "application/zip");
        assert_eq!(detect_content_type(b"\x1F\x8B\x08\x00"), "application/x-gzip");
        assert_eq!(detect_content_type(b"\x89PNG\x0D\x0A\x1A\x0Axx"), "image/png");
        assert_eq!(detect_content_type(b"\xEF\xBB\xBFa: 1"), "text/plain; charset=utf-8");
    }

    #[test]
    fn ensure_archive_messages() {
        assert!(ensure_archive("x.tgz", b"\x1F\x8B\x08\x00").is_ok());
        let e = ensure_archive("values.yaml", b"a: 1\n").expect_err("not gzip");
        assert_eq!(
            e.to_string(),
            "file 'values.yaml' seems to be a YAML file, but expected a gzipped archive"
        );
        let e = ensure_archive("x.txt", b"hi\n").expect_err("not gzip");
        assert_eq!(
            e.to_string(),
            "file 'x.txt' does not appear to be a gzipped archive; got 'application/octet-stream'"
        );
    }
}
