//! `helm package`: writing a chart as a `NAME-VERSION.tgz` archive the way Helm's `Save` does.
//!
//! The archive holds, under `NAME/` and in this order: `Chart.yaml` re-written from the chart's
//! [`Metadata`] (sigs.k8s.io/yaml of Helm's struct: JSON field names, empty fields left out,
//! keys sorted; a v1 chart's dependencies stay in its `requirements.yaml`), `Chart.lock`
//! re-written for v2 charts that have one, `values.yaml` byte for byte, `values.schema.json`,
//! the templates, the other files, and then every subchart the same way under
//! `NAME/charts/SUBNAME/` — a subchart that was a `.tgz` in `charts/` is written expanded, and
//! its directory is named after the subchart's own chart name, as Helm does.
//!
//! Entries are written as Go's `archive/tar` writes them: USTAR headers (PAX for paths that
//! USTAR cannot hold), mode `0644`, uid and gid 0, no user or group names, no directory
//! entries, and two zero blocks at the end. The gzip header carries Helm's comment (`Helm`)
//! and extra field.
//!
//! # Deliberate difference: timestamps
//! Helm 4.1.4 stamps each entry with the modification time of the file it was loaded from
//! (`Chart.lock` with its `generated` time, `time.Now()` where there is none), so the same
//! chart checked out twice, or edited and restored, packages to different bytes. chartkit's
//! archives are reproducible instead: every entry gets one fixed time, `SOURCE_DATE_EPOCH`
//! when it is set to a whole number of seconds that a tar header can hold, else 0
//! (1970-01-01T00:00:00Z). The gzip header's own time is 0, as in Helm. Identical input gives
//! identical bytes. Apart from the entry times, the uncompressed tar stream is the one Helm
//! writes, byte for byte; the deflate stream is not Go's, so the `.tgz` files differ.
//!
//! Subcharts are written in [`Chart::dependencies`] order (sorted by their entry in
//! `charts/`); Helm's order comes from a Go map and changes from run to run.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use crate::chart::{self, Chart, LoadError};
use crate::create::go_abs;
use crate::gofmt::go_io_error;
use crate::metadata::{self, Lock, Metadata, MetadataError, RawMetadata};
use crate::value::{Map, Value};
use crate::yaml::{self, MarshalError};

/// The extra field Helm puts in the gzip header of every chart archive.
pub const GZIP_EXTRA: &[u8] = b"+aHR0cHM6Ly95b3V0dS5iZS96OVV6MWljandyTQo=";

/// The comment Helm puts in the gzip header of every chart archive.
pub const GZIP_COMMENT: &str = "Helm";

/// The largest modification time a USTAR header holds (eleven octal digits).
const MAX_TAR_TIME: u64 = 0o77777777777;

/// What `helm package` can change while packaging.
#[non_exhaustive]
#[derive(Debug, Clone, Default)]
pub struct PackageOptions {
    /// Replaces the chart's version (`--version`); checked like Helm checks it.
    pub version: Option<String>,
    /// Replaces the chart's appVersion (`--app-version`).
    pub app_version: Option<String>,
    /// Where to write the archive (`--destination`); the working directory when `None`.
    pub destination: Option<PathBuf>,
}

impl PackageOptions {
    /// Options that change nothing and write to the working directory.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets [`PackageOptions::version`].
    pub fn with_version(mut self, version: impl Into<String>) -> Self {
        self.version = Some(version.into());
        self
    }

    /// Sets [`PackageOptions::app_version`].
    pub fn with_app_version(mut self, app_version: impl Into<String>) -> Self {
        self.app_version = Some(app_version.into());
        self
    }

    /// Sets [`PackageOptions::destination`].
    pub fn with_destination(mut self, destination: impl Into<PathBuf>) -> Self {
        self.destination = Some(destination.into());
        self
    }
}

/// Why a chart could not be packaged. `Display` is the message `helm package` prints after
/// `Error: `.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PackageError {
    /// The chart path does not exist or cannot be examined.
    #[error("stat {}: {}", path.display(), go_io_error(source))]
    Stat {
        /// The path as given.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: io::Error,
    },
    /// The path has no readable `Chart.yaml` (it is not a chart directory).
    #[error("unable to detect chart at {p}: open {p}: {e}", p = path.display(), e = go_io_error(source))]
    NotAChart {
        /// The `Chart.yaml` path looked for (absolute).
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: io::Error,
    },
    /// Loading the chart failed.
    #[error(transparent)]
    Load(#[from] LoadError),
    /// The chart version (after `--version`) is not a version Helm can parse.
    #[error("invalid semantic version")]
    InvalidVersion(String),
    /// Charts named in Chart.yaml's dependencies are not in `charts/`.
    #[error("found in Chart.yaml, but missing in charts/ directory: {}", .0.join(", "))]
    MissingDependencies(Vec<String>),
    /// The chart failed metadata validation just before writing.
    #[error("chart validation: {0}")]
    Validation(MetadataError),
    /// A chart's name would place files outside its directory in the archive.
    #[error("{} is not a valid chart name", crate::gofmt::go_quote(.0))]
    InvalidChartName(String),
    /// `values.schema.json` is not valid JSON.
    #[error("invalid JSON in values.schema.json")]
    InvalidSchema,
    /// Chart.yaml or Chart.lock could not be written as YAML.
    #[error("{0}")]
    Marshal(MarshalError),
    /// An entry is too large for a tar header (8 GiB or more).
    #[error("archive/tar: header field too long")]
    TooLarge(String),
    /// The destination exists and is not a directory.
    #[error("failed to save: is not a directory: {}", .0.display())]
    NotADirectory(PathBuf),
    /// Writing the archive failed.
    #[error("failed to save: {op} {}: {}", path.display(), go_io_error(source))]
    Save {
        /// What was being done (`open`, `mkdir`, `stat`, `write`).
        op: &'static str,
        /// The file or directory.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: io::Error,
    },
    /// Writing to the output stream failed.
    #[error("{0}")]
    Io(#[from] io::Error),
}

/// Packages the chart directory `chart_dir` as `helm package` does and returns the path of
/// the archive written (`DEST/NAME-VERSION.tgz`).
///
/// Steps, as in Helm: the path must exist and hold a `Chart.yaml`; the chart is loaded (with
/// its `.helmignore`); `version` and `app_version` are applied when non-empty and the version
/// must parse as a (loose) SemVer; every dependency named in Chart.yaml must be present in
/// `charts/`; the destination directory is created if missing. The archive is built in
/// memory and written in one go, so a failed run leaves no partial file behind.
pub fn package_dir(chart_dir: &Path, opts: &PackageOptions) -> Result<PathBuf, PackageError> {
    std::fs::metadata(chart_dir)
        .map_err(|source| PackageError::Stat { path: chart_dir.to_path_buf(), source })?;
    let abs = go_abs(chart_dir)
        .map_err(|source| PackageError::Stat { path: chart_dir.to_path_buf(), source })?;
    let chart_yaml = abs.join("Chart.yaml");
    if let Err(source) = std::fs::File::open(&chart_yaml) {
        return Err(PackageError::NotAChart { path: chart_yaml, source });
    }
    let mut chart = chart::load(&abs)?;

    if let Some(v) = opts.version.as_deref().filter(|v| !v.is_empty()) {
        chart.metadata.version = v.to_owned();
    }
    if crate::semver_loose::parse(&chart.metadata.version).is_none() {
        return Err(PackageError::InvalidVersion(chart.metadata.version.clone()));
    }
    if let Some(v) = opts.app_version.as_deref().filter(|v| !v.is_empty()) {
        chart.metadata.app_version = v.to_owned();
    }
    check_dependencies(&chart)?;

    let dest = match opts.destination.as_deref() {
        None => std::env::current_dir().map_err(|source| PackageError::Save {
            op: "getwd",
            path: ".".into(),
            source,
        })?,
        Some(d) if d == Path::new(".") => std::env::current_dir()
            .map_err(|source| PackageError::Save { op: "getwd", path: ".".into(), source })?,
        Some(d) => d.to_path_buf(),
    };
    save(&chart, &dest)
}

/// Helm's `Save`: validates the chart, writes `DEST/NAME-VERSION.tgz` (creating `DEST` if
/// needed) and returns its path.
pub fn save(chart: &Chart, dest: &Path) -> Result<PathBuf, PackageError> {
    let mut bytes = Vec::new();
    write_archive(chart, &mut bytes)?;
    let path = dest.join(archive_file_name(chart));
    let dir = path.parent().map(Path::to_path_buf).unwrap_or_else(|| dest.to_path_buf());
    match std::fs::metadata(&dir) {
        Ok(m) if !m.is_dir() => return Err(PackageError::NotADirectory(dir)),
        Ok(_) => {}
        Err(e) if e.kind() == io::ErrorKind::NotFound => std::fs::create_dir_all(&dir)
            .map_err(|source| PackageError::Save { op: "mkdir", path: dir.clone(), source })?,
        Err(source) => return Err(PackageError::Save { op: "stat", path: dir, source }),
    }
    std::fs::write(&path, &bytes).map_err(|source| PackageError::Save {
        op: "open",
        path: path.clone(),
        source,
    })?;
    Ok(path)
}

/// The archive's file name: `NAME-VERSION.tgz`, with the version exactly as in Chart.yaml.
pub fn archive_file_name(chart: &Chart) -> String {
    format!("{}-{}.tgz", chart.name(), chart.metadata.version)
}

/// Writes `chart` as a gzipped tar archive, as Helm's `Save` does, with every entry's time
/// taken from `SOURCE_DATE_EPOCH` or 0 (see the [module docs](self)).
///
/// The chart's metadata is validated first (`chart validation: ...`), strings sanitised as
/// Helm does; the output is the same for the same chart every time.
pub fn write_archive(chart: &Chart, out: &mut dyn Write) -> Result<(), PackageError> {
    write_archive_at(chart, out, source_date_epoch().unwrap_or(0))
}

/// [`write_archive`] with an explicit entry time (seconds since 1970; values that do not fit
/// in a tar header are clamped).
pub fn write_archive_at(
    chart: &Chart,
    out: &mut dyn Write,
    mtime: u64,
) -> Result<(), PackageError> {
    let mut raw = RawMetadata { meta: chart.metadata.clone(), ..RawMetadata::default() };
    metadata::validate(&mut raw).map_err(PackageError::Validation)?;

    let gz = flate2::GzBuilder::new()
        .extra(GZIP_EXTRA)
        .comment(GZIP_COMMENT)
        .mtime(0)
        .operating_system(255)
        .write(out, flate2::Compression::default());
    let mut tar = TarWriter { out: gz, mtime: mtime.min(MAX_TAR_TIME) };
    write_chart(&mut tar, chart, Some(&raw.meta), "")?;
    tar.finish()?;
    tar.out.finish()?;
    Ok(())
}

/// `SOURCE_DATE_EPOCH` as a tar time, if it is set to a non-negative whole number that fits.
fn source_date_epoch() -> Option<u64> {
    parse_epoch(&std::env::var("SOURCE_DATE_EPOCH").ok()?)
}

fn parse_epoch(v: &str) -> Option<u64> {
    v.trim().parse::<u64>().ok().filter(|&t| t <= MAX_TAR_TIME)
}

/// Helm's `CheckDependencies`: every dependency named in the metadata must be a loaded
/// subchart (matched by chart name).
fn check_dependencies(chart: &Chart) -> Result<(), PackageError> {
    let missing: Vec<String> = chart
        .metadata
        .dependencies
        .iter()
        .filter(|d| !chart.dependencies.iter().any(|c| c.name() == d.name))
        .map(|d| d.name.clone())
        .collect();
    if missing.is_empty() { Ok(()) } else { Err(PackageError::MissingDependencies(missing)) }
}

/// Helm's `writeTarContents`: one chart under `prefix/NAME/`, then its subcharts.
fn write_chart<W: Write>(
    tar: &mut TarWriter<W>,
    chart: &Chart,
    validated: Option<&Metadata>,
    prefix: &str,
) -> Result<(), PackageError> {
    let name = chart.name();
    if name.is_empty() || name == "." || name == ".." || name.contains('/') {
        return Err(PackageError::InvalidChartName(name.to_owned()));
    }
    let base = if prefix.is_empty() { name.to_owned() } else { format!("{prefix}/{name}") };
    let md = validated.unwrap_or(&chart.metadata);

    tar.file(&format!("{base}/Chart.yaml"), chart_yaml(md)?.as_bytes())?;
    if md.api_version == metadata::API_VERSION_V2 {
        if let Some(lock) = &chart.lock {
            tar.file(&format!("{base}/Chart.lock"), lock_yaml(lock)?.as_bytes())?;
        }
    }
    if let Some(values) = chart.raw_values_file() {
        tar.file(&format!("{base}/values.yaml"), values)?;
    }
    if let Some(schema) = &chart.schema {
        if !json_valid(schema) {
            return Err(PackageError::InvalidSchema);
        }
        tar.file(&format!("{base}/values.schema.json"), schema)?;
    }
    for f in chart.templates.iter().chain(&chart.files) {
        tar.file(&format!("{base}/{}", f.name), &f.data)?;
    }
    let sub_prefix = format!("{base}/charts");
    for dep in &chart.dependencies {
        write_chart(tar, dep, None, &sub_prefix)?;
    }
    Ok(())
}

/// Chart.yaml as Helm writes it: `sigs.k8s.io/yaml.Marshal` of the metadata struct. A v1
/// chart's dependencies are left out (they live in its requirements.yaml).
pub fn chart_yaml(md: &Metadata) -> Result<String, PackageError> {
    let mut json = serde_json::to_value(md).map_err(|e| PackageError::Io(io::Error::other(e)))?;
    if md.api_version == metadata::API_VERSION_V1 {
        if let Some(o) = json.as_object_mut() {
            o.remove("dependencies");
        }
    }
    yaml::marshal(&Value::from_json(json)).map_err(PackageError::Marshal)
}

/// Chart.lock as Helm writes it: `generated` in Go's RFC 3339 form, the digest, and the
/// locked dependencies.
pub fn lock_yaml(lock: &Lock) -> Result<String, PackageError> {
    let deps = serde_json::to_value(&lock.dependencies)
        .map_err(|e| PackageError::Io(io::Error::other(e)))?;
    let mut m = Map::new();
    m.insert("generated".into(), Value::String(go_time_text(&lock.generated)));
    m.insert("digest".into(), Value::String(lock.digest.clone()));
    m.insert("dependencies".into(), Value::from_json(deps));
    yaml::marshal(&Value::Map(m)).map_err(PackageError::Marshal)
}

/// An RFC 3339 time re-printed as Go's `time.Time` marshals it (RFC 3339 with nanoseconds,
/// trailing zeros of the fraction dropped, `Z` for a zero offset). Text that is not RFC 3339 is
/// returned unchanged; empty text is Go's zero time.
fn go_time_text(s: &str) -> String {
    if s.is_empty() {
        return "0001-01-01T00:00:00Z".into();
    }
    let b = s.as_bytes();
    let digits =
        |r: std::ops::Range<usize>| b.get(r).is_some_and(|d| d.iter().all(u8::is_ascii_digit));
    let shape_ok = b.len() >= 20
        && digits(0..4)
        && b[4] == b'-'
        && digits(5..7)
        && b[7] == b'-'
        && digits(8..10)
        && matches!(b[10], b'T' | b't')
        && digits(11..13)
        && b[13] == b':'
        && digits(14..16)
        && b[16] == b':'
        && digits(17..19);
    if !shape_ok {
        return s.to_owned();
    }
    let mut rest = &s[19..];
    let mut frac = "";
    if let Some(r) = rest.strip_prefix('.') {
        let n = r.bytes().take_while(u8::is_ascii_digit).count();
        if n == 0 {
            return s.to_owned();
        }
        frac = &r[..n.min(9)];
        rest = &r[n..];
    }
    let zone = match rest {
        "Z" | "z" => "Z".to_owned(),
        z if z.len() == 6
            && matches!(z.as_bytes()[0], b'+' | b'-')
            && z.as_bytes()[3] == b':'
            && z[1..3].bytes().chain(z[4..6].bytes()).all(|c| c.is_ascii_digit()) =>
        {
            if &z[1..3] == "00" && &z[4..6] == "00" { "Z".to_owned() } else { z.to_owned() }
        }
        _ => return s.to_owned(),
    };
    let frac = frac.trim_end_matches('0');
    let dot = if frac.is_empty() { "" } else { "." };
    format!("{}T{}{dot}{frac}{zone}", &s[..10], &s[11..19])
}

/// Go's `json.Valid`: strict RFC 8259 syntax (bytes inside strings are not checked for
/// UTF-8), nesting at most 10000 deep, whitespace around the value allowed.
pub(crate) fn json_valid(b: &[u8]) -> bool {
    const MAX_DEPTH: usize = 10000;
    let mut i = 0;
    let ws = |i: &mut usize| {
        while matches!(b.get(*i), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            *i += 1;
        }
    };
    let mut stack: Vec<u8> = Vec::new();
    'value: loop {
        ws(&mut i);
        match b.get(i) {
            Some(b'{') => {
                i += 1;
                if stack.len() >= MAX_DEPTH {
                    return false;
                }
                stack.push(b'{');
                ws(&mut i);
                if b.get(i) == Some(&b'}') {
                    i += 1;
                    stack.pop();
                } else if !(json_string(b, &mut i) && json_colon(b, &mut i)) {
                    return false;
                } else {
                    continue 'value;
                }
            }
            Some(b'[') => {
                i += 1;
                if stack.len() >= MAX_DEPTH {
                    return false;
                }
                stack.push(b'[');
                ws(&mut i);
                if b.get(i) == Some(&b']') {
                    i += 1;
                    stack.pop();
                } else {
                    continue 'value;
                }
            }
            Some(b'"') => {
                if !json_string(b, &mut i) {
                    return false;
                }
            }
            Some(b't') if b[i..].starts_with(b"true") => i += 4,
            Some(b'f') if b[i..].starts_with(b"false") => i += 5,
            Some(b'n') if b[i..].starts_with(b"null") => i += 4,
            Some(b'-' | b'0'..=b'9') => {
                if !json_number(b, &mut i) {
                    return false;
                }
            }
            _ => return false,
        }
        // After a complete value: close containers or move to the next element.
        loop {
            ws(&mut i);
            match stack.last() {
                None => return i == b.len(),
                Some(&open) => match b.get(i) {
                    Some(b',') => {
                        i += 1;
                        if open == b'{' {
                            ws(&mut i);
                            if !(json_string(b, &mut i) && json_colon(b, &mut i)) {
                                return false;
                            }
                        }
                        continue 'value;
                    }
                    Some(b'}') if open == b'{' => {
                        i += 1;
                        stack.pop();
                    }
                    Some(b']') if open == b'[' => {
                        i += 1;
                        stack.pop();
                    }
                    _ => return false,
                },
            }
        }
    }
}

fn json_colon(b: &[u8], i: &mut usize) -> bool {
    while matches!(b.get(*i), Some(b' ' | b'\t' | b'\n' | b'\r')) {
        *i += 1;
    }
    if b.get(*i) == Some(&b':') {
        *i += 1;
        true
    } else {
        false
    }
}

fn json_string(b: &[u8], i: &mut usize) -> bool {
    if b.get(*i) != Some(&b'"') {
        return false;
    }
    *i += 1;
    loop {
        match b.get(*i) {
            None => return false,
            Some(b'"') => {
                *i += 1;
                return true;
            }
            Some(b'\\') => {
                *i += 1;
                match b.get(*i) {
                    Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => *i += 1,
                    Some(b'u') => {
                        let hex = b.get(*i + 1..*i + 5);
                        if !hex.is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit)) {
                            return false;
                        }
                        *i += 5;
                    }
                    _ => return false,
                }
            }
            Some(&c) if c < 0x20 => return false,
            Some(_) => *i += 1,
        }
    }
}

fn json_number(b: &[u8], i: &mut usize) -> bool {
    let digits = |i: &mut usize| {
        let start = *i;
        while b.get(*i).is_some_and(u8::is_ascii_digit) {
            *i += 1;
        }
        *i > start
    };
    if b.get(*i) == Some(&b'-') {
        *i += 1;
    }
    match b.get(*i) {
        Some(b'0') => *i += 1,
        Some(b'1'..=b'9') => {
            digits(i);
        }
        _ => return false,
    }
    if b.get(*i) == Some(&b'.') {
        *i += 1;
        if !digits(i) {
            return false;
        }
    }
    if matches!(b.get(*i), Some(b'e' | b'E')) {
        *i += 1;
        if matches!(b.get(*i), Some(b'+' | b'-')) {
            *i += 1;
        }
        if !digits(i) {
            return false;
        }
    }
    true
}

/// A tar stream written the way Go's `archive/tar` writes regular files.
struct TarWriter<W: Write> {
    out: W,
    mtime: u64,
}

const BLOCK: usize = 512;
/// The largest size a USTAR header holds (eleven octal digits).
const MAX_TAR_SIZE: u64 = 0o77777777777;

impl<W: Write> TarWriter<W> {
    /// One regular file: USTAR when the path fits (directly or split into prefix and name),
    /// else a PAX `path` record first.
    fn file(&mut self, name: &str, data: &[u8]) -> Result<(), PackageError> {
        if data.len() as u64 > MAX_TAR_SIZE {
            return Err(PackageError::TooLarge(name.to_owned()));
        }
        let ascii = name.is_ascii() && !name.contains('\0');
        let header = if ascii && name.len() <= 100 {
            self.header(name, "", data.len())
        } else if let Some((prefix, rest)) = split_ustar_path(name).filter(|_| ascii) {
            self.header(rest, prefix, data.len())
        } else {
            let record = pax_record("path", name);
            let (dir, file) = match name.rfind('/') {
                Some(i) => (&name[..=i], &name[i + 1..]),
                None => ("", name),
            };
            let pax_name = to_ascii(&format!("{dir}PaxHeaders.0/{file}"));
            let pax_name = truncate(&pax_name, 100).trim_end_matches('/');
            let mut h = [0u8; BLOCK];
            put_str(&mut h[0..100], pax_name);
            put_octal(&mut h[100..108], 0);
            put_octal(&mut h[108..116], 0);
            put_octal(&mut h[116..124], 0);
            put_octal(&mut h[124..136], record.len() as u64);
            put_octal(&mut h[136..148], 0);
            h[156] = b'x';
            finish_header(&mut h);
            self.out.write_all(&h)?;
            self.body(record.as_bytes())?;
            self.header(&to_ascii(name), "", data.len())
        };
        self.out.write_all(&header)?;
        self.body(data)?;
        Ok(())
    }

    /// A USTAR-format header block as Go's `templateV7Plus` fills it.
    fn header(&self, name: &str, prefix: &str, size: usize) -> [u8; BLOCK] {
        let mut h = [0u8; BLOCK];
        put_str(&mut h[0..100], name);
        put_octal(&mut h[100..108], 0o644);
        put_octal(&mut h[108..116], 0);
        put_octal(&mut h[116..124], 0);
        put_octal(&mut h[124..136], size as u64);
        put_octal(&mut h[136..148], self.mtime);
        h[156] = b'0';
        put_octal(&mut h[329..337], 0);
        put_octal(&mut h[337..345], 0);
        put_str(&mut h[345..500], prefix);
        finish_header(&mut h);
        h
    }

    /// File data padded to a whole block.
    fn body(&mut self, data: &[u8]) -> io::Result<()> {
        self.out.write_all(data)?;
        let pad = (BLOCK - data.len() % BLOCK) % BLOCK;
        self.out.write_all(&[0u8; BLOCK][..pad])
    }

    /// The end of the archive: two zero blocks.
    fn finish(&mut self) -> io::Result<()> {
        self.out.write_all(&[0u8; 2 * BLOCK])
    }
}

/// Go's `splitUSTARPath`: splits a long ASCII path at a `/` so that the prefix has at most
/// 155 bytes and the name at most 100.
fn split_ustar_path(name: &str) -> Option<(&str, &str)> {
    let b = name.as_bytes();
    let mut length = b.len();
    if length <= 100 {
        return None;
    } else if length > 156 {
        length = 156;
    } else if b[length - 1] == b'/' {
        length -= 1;
    }
    let i = name[..length].rfind('/')?;
    let (plen, nlen) = (i, b.len() - i - 1);
    if i == 0 || nlen > 100 || nlen == 0 || plen > 155 {
        return None;
    }
    Some((&name[..i], &name[i + 1..]))
}

/// Go's `toASCII`: drops non-ASCII characters and NUL.
fn to_ascii(s: &str) -> String {
    s.chars().filter(|&c| c.is_ascii() && c != '\0').collect()
}

fn truncate(s: &str, n: usize) -> &str {
    // `s` is ASCII here, so any byte index is a character boundary.
    s.get(..n.min(s.len())).unwrap_or(s)
}

/// Go's `formatPAXRecord`: `"<len> key=value\n"` where `<len>` counts the whole record.
fn pax_record(key: &str, value: &str) -> String {
    let mut size = key.len() + value.len() + 3;
    size += size.to_string().len();
    let mut record = format!("{size} {key}={value}\n");
    if record.len() != size {
        size = record.len();
        record = format!("{size} {key}={value}\n");
    }
    record
}

/// Go's `formatString`: copies the bytes, NUL-terminates when there is room; a field that is
/// cut short does not end in `/`.
fn put_str(field: &mut [u8], s: &str) {
    let b = s.as_bytes();
    let n = b.len().min(field.len());
    field[..n].copy_from_slice(&b[..n]);
    if b.len() < field.len() {
        field[b.len()] = 0;
    }
    if b.len() > field.len() && field[field.len() - 1] == b'/' {
        let kept = field.iter().rposition(|&c| c != b'/').map_or(0, |p| p + 1);
        field[kept] = 0;
    }
}

/// Go's `formatOctal`: zero-padded octal digits filling all but the last byte, then NUL.
fn put_octal(field: &mut [u8], x: u64) {
    let s = format!("{:0width$o}", x, width = field.len() - 1);
    put_str(field, &s);
}

/// Sets the USTAR magic and version and the checksum (six octal digits, NUL, space).
fn finish_header(h: &mut [u8; BLOCK]) {
    h[257..263].copy_from_slice(b"ustar\0");
    h[263..265].copy_from_slice(b"00");
    h[148..156].copy_from_slice(b"        ");
    let sum: u64 = h.iter().map(|&c| u64::from(c)).sum();
    put_octal(&mut h[148..155], sum);
    h[155] = b' ';
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::BufferedFile;

    fn file(name: &str, data: &str) -> BufferedFile {
        BufferedFile { name: name.into(), data: data.as_bytes().to_vec() }
    }

    fn chart(files: Vec<BufferedFile>) -> Chart {
        chart::from_files(files, &crate::load::LoadLimits::default()).expect("chart loads")
    }

    fn entries(tgz: &[u8]) -> Vec<(String, Vec<u8>)> {
        use std::io::Read;
        let mut tar = Vec::new();
        flate2::read::GzDecoder::new(tgz).read_to_end(&mut tar).expect("gunzip");
        let mut out = Vec::new();
        let mut a = tar::Archive::new(tar.as_slice());
        for e in a.entries().expect("entries") {
            let mut e = e.expect("entry");
            let name = String::from_utf8_lossy(&e.path_bytes()).into_owned();
            let mut data = Vec::new();
            e.read_to_end(&mut data).expect("data");
            out.push((name, data));
        }
        out
    }

    #[test]
    fn layout_and_order_follow_helm() {
        let c = chart(vec![
            file(
                "Chart.yaml",
                "apiVersion: v2\nname: app\nversion: 1.0.0\nappVersion: 1.10\ndependencies:\n- name: sub\n  version: 0.1.0\n  repository: file://x\n",
            ),
            file(
                "Chart.lock",
                "generated: \"2024-01-02T03:04:05.120000+00:00\"\ndigest: sha256:abc\ndependencies:\n- name: sub\n  version: 0.1.0\n  repository: file://x\n",
            ),
            file("values.yaml", "# keep me\nx: 1\n"),
            file("templates/a.yaml", "a"),
            file("README.md", "r"),
            file("charts/sub/Chart.yaml", "apiVersion: v2\nname: sub\nversion: 0.1.0\n"),
            file("charts/sub/templates/b.yaml", "b"),
        ]);
        let mut out = Vec::new();
        write_archive_at(&c, &mut out, 0).expect("written");
        let e = entries(&out);
        let names: Vec<&str> = e.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names,
            [
                "app/Chart.yaml",
                "app/Chart.lock",
                "app/values.yaml",
                "app/templates/a.yaml",
                "app/README.md",
                "app/charts/sub/Chart.yaml",
                "app/charts/sub/templates/b.yaml",
            ]
        );
        assert_eq!(
            String::from_utf8_lossy(&e[0].1),
            "apiVersion: v2\nappVersion: \"1.1\"\ndependencies:\n- name: sub\n  repository: file://x\n  version: 0.1.0\nname: app\nversion: 1.0.0\n"
        );
        assert_eq!(
            String::from_utf8_lossy(&e[1].1),
            "dependencies:\n- name: sub\n  repository: file://x\n  version: 0.1.0\ndigest: sha256:abc\ngenerated: \"2024-01-02T03:04:05.12Z\"\n"
        );
        assert_eq!(e[2].1, b"# keep me\nx: 1\n");
        // Gzip header: FEXTRA|FCOMMENT, mtime 0, Helm's extra and comment.
        assert_eq!(&out[..10], &[0x1f, 0x8b, 8, 0x14, 0, 0, 0, 0, 0, 255]);
        assert_eq!(&out[10..12], &[41, 0]);
        assert_eq!(&out[12..53], GZIP_EXTRA);
        assert_eq!(&out[53..58], b"Helm\0");
    }

    #[test]
    fn headers_match_go_archive_tar() {
        let mut t = TarWriter { out: Vec::new(), mtime: 1795237682 };
        t.file("hello-world/Chart.yaml", &[b'x'; 126]).expect("file");
        let h = &t.out[..BLOCK];
        assert_eq!(&h[..22], b"hello-world/Chart.yaml");
        assert_eq!(
            &h[100..156],
            b"0000644\x000000000\x000000000\x0000000000176\x0015300223462\x00013422\x00 "
        );
        assert_eq!(h[156], b'0');
        assert_eq!(&h[257..265], b"ustar\x0000");
        assert_eq!(&h[329..345], b"0000000\x000000000\x00");
        assert_eq!(t.out.len(), 2 * BLOCK);
    }

    #[test]
    fn long_and_unicode_paths() {
        let long = format!("c/templates/{}/{}.yaml", "d".repeat(120), "f".repeat(60));
        assert_eq!(split_ustar_path(&long).map(|(p, _)| p.len()), Some(11 + 120 + 1));
        let mut t = TarWriter { out: Vec::new(), mtime: 0 };
        t.file(&long, b"x").expect("file");
        assert_eq!(t.out.len(), 2 * BLOCK, "USTAR prefix split, no PAX record");
        let odd = "c/files/ünïcode.txt";
        let mut t = TarWriter { out: Vec::new(), mtime: 0 };
        t.file(odd, b"x").expect("file");
        assert_eq!(t.out[156], b'x');
        assert_eq!(&t.out[..25], b"c/files/PaxHeaders.0/ncod");
        assert!(t.out[BLOCK..].starts_with(format!("30 path={odd}\n").as_bytes()));
        let mut all = t.out.clone();
        all.extend_from_slice(&[0u8; 2 * BLOCK]);
        let mut a = tar::Archive::new(all.as_slice());
        let names: Vec<String> = a
            .entries()
            .expect("entries")
            .map(|e| e.expect("entry").path().expect("path").display().to_string())
            .collect();
        assert_eq!(names, [odd]);
        assert_eq!(pax_record("path", "x"), "9 path=x\n");
        assert_eq!(
            pax_record("path", &"a".repeat(91)),
            "101 path=".to_owned() + &"a".repeat(91) + "\n"
        );
    }

    #[test]
    fn deterministic_and_loadable() {
        let c = chart(vec![
            file("Chart.yaml", "apiVersion: v1\nname: old\nversion: 0.1.0\n"),
            file("requirements.yaml", "dependencies:\n- name: x\n  repository: r\n"),
            file("values.schema.json", "{\"type\": \"object\"}"),
        ]);
        let (mut a, mut b) = (Vec::new(), Vec::new());
        write_archive_at(&c, &mut a, 42).expect("a");
        write_archive_at(&c, &mut b, 42).expect("b");
        assert_eq!(a, b);
        let e = entries(&a);
        // v1: dependencies stay out of Chart.yaml; requirements.yaml is kept as a file.
        assert_eq!(String::from_utf8_lossy(&e[0].1), "apiVersion: v1\nname: old\nversion: 0.1.0\n");
        assert!(e.iter().any(|(n, _)| n == "old/requirements.yaml"));
        let back = chart::load_bytes(&a).expect("loads back");
        assert_eq!(back.metadata, c.metadata);
        assert_eq!(back.schema, c.schema);
    }

    #[test]
    fn invalid_schema_is_refused() {
        let c = chart(vec![
            file("Chart.yaml", "apiVersion: v2\nname: s\nversion: 0.1.0\n"),
            file("values.schema.json", "{nope"),
        ]);
        let e = write_archive_at(&c, &mut Vec::new(), 0).expect_err("bad schema");
        assert_eq!(e.to_string(), "invalid JSON in values.schema.json");
    }

    #[test]
    fn json_valid_is_go_json_valid() {
        for ok in [
            "{}",
            " [] ",
            "0",
            "-0.5e+10",
            "\"a\\u00e9\"",
            "{\"a\":[1,{\"b\":null}],\"c\":true}",
            "[[[]]]",
            "\"\u{e9}\"",
        ] {
            assert!(json_valid(ok.as_bytes()), "{ok}");
        }
        for bad in [
            "",
            "{",
            "[1,]",
            "{\"a\"}",
            "{\"a\":1,}",
            "01",
            "1.",
            "-",
            "tru",
            "\"\t\"",
            "[1] x",
            "{'a':1}",
            "\"\\x\"",
            "NaN",
        ] {
            assert!(!json_valid(bad.as_bytes()), "{bad}");
        }
        assert!(json_valid(&[b'"', 0xff, b'"']), "bytes are not checked for UTF-8");
        let deep = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
        assert!(json_valid(deep(10000).as_bytes()));
        assert!(!json_valid(deep(10001).as_bytes()));
    }

    #[test]
    fn source_date_epoch_values() {
        assert_eq!(parse_epoch("1700000000"), Some(1_700_000_000));
        assert_eq!(parse_epoch("-1"), None);
        assert_eq!(parse_epoch("soon"), None);
        assert_eq!(parse_epoch("99999999999"), None);
    }

    #[test]
    fn go_time_text_normalises() {
        assert_eq!(go_time_text("2024-01-02T03:04:05.120000+00:00"), "2024-01-02T03:04:05.12Z");
        assert_eq!(go_time_text("2024-01-02T03:04:05+02:00"), "2024-01-02T03:04:05+02:00");
        assert_eq!(go_time_text("2024-01-02T03:04:05.000Z"), "2024-01-02T03:04:05Z");
        assert_eq!(go_time_text(""), "0001-01-01T00:00:00Z");
        assert_eq!(go_time_text("yesterday"), "yesterday");
    }
}
