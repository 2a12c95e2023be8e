//! Reading chart files: hostile archives made here, every corpus chart read from its
//! directory and from the archive `helm package` makes of it, and a `.helmignore`
//! differential test against helm.

use std::collections::BTreeMap;
use std::io::{self, Read, Write};
use std::path::Path;
use std::process::Command;

use chart_core::load::{
    BufferedFile, EntryKind, LoadLimits, ReadError, read_archive, read_archive_bytes,
    read_archive_file, read_archive_with_root, read_dir,
};
use flate2::Compression;
use flate2::write::GzEncoder;

use super::support::{check_floor, helm, shared_dir};

// ---------------------------------------------------------------------------------------
// Building archives byte by byte (the tar crate's friendly API refuses hostile paths).

const CHART: &[u8] = b"apiVersion: v2\nname: c\nversion: 0.1.0\n";

/// One tar entry: name, type flag, data (or link target for links).
struct E<'a> {
    name: &'a [u8],
    kind: u8,
    data: &'a [u8],
    mode: u32,
}

fn file<'a>(name: &'a str, data: &'a [u8]) -> E<'a> {
    E { name: name.as_bytes(), kind: b'0', data, mode: 0o644 }
}

fn special<'a>(name: &'a str, kind: u8, link: &'a str) -> E<'a> {
    E { name: name.as_bytes(), kind, data: link.as_bytes(), mode: 0o644 }
}

fn header(name: &[u8], kind: u8, size: u64, mode: u32, link: &[u8]) -> tar::Header {
    let mut h = tar::Header::new_ustar();
    {
        let old = h.as_old_mut();
        old.name[..name.len()].copy_from_slice(name);
        old.linkname[..link.len()].copy_from_slice(link);
    }
    h.set_mode(mode);
    h.set_size(size);
    h.set_mtime(0);
    h.set_entry_type(tar::EntryType::new(kind));
    h.set_cksum();
    h
}

/// An uncompressed tar stream of the entries.
fn tar_bytes(entries: &[E<'_>]) -> Vec<u8> {
    let mut b = tar::Builder::new(Vec::new());
    for e in entries {
        let is_link = matches!(e.kind, b'1' | b'2');
        let (data, link): (&[u8], &[u8]) = if is_link { (&[], e.data) } else { (e.data, &[]) };
        let h = header(e.name, e.kind, data.len() as u64, e.mode, link);
        b.append(&h, data).expect("append");
    }
    b.into_inner().expect("finish tar")
}

fn gz(bytes: &[u8]) -> Vec<u8> {
    let mut enc = GzEncoder::new(Vec::new(), Compression::fast());
    enc.write_all(bytes).expect("gzip");
    enc.finish().expect("gzip")
}

fn tgz(entries: &[E<'_>]) -> Vec<u8> {
    gz(&tar_bytes(entries))
}

fn read(bytes: &[u8]) -> Result<Vec<BufferedFile>, ReadError> {
    read_archive_bytes(bytes, &LoadLimits::default())
}

fn err(bytes: &[u8]) -> ReadError {
    match read(bytes) {
        Ok(files) => panic!("expected an error, read {:?}", names(&files)),
        Err(e) => e,
    }
}

fn names(files: &[BufferedFile]) -> Vec<&str> {
    files.iter().map(|f| f.name.as_str()).collect()
}

/// Asserts the message names the entry.
fn names_entry(e: &ReadError, entry: &str) {
    let msg = e.to_string();
    assert!(msg.contains(entry), "message {msg:?} does not name {entry:?}");
}

// ---------------------------------------------------------------------------------------
// Hostile archives. Helm 4.1.4's behaviour, probed with `helm show chart`, is noted on each.

#[test]
fn archive_ok_and_bom_stripped() {
    let files =
        read(&tgz(&[file("c/Chart.yaml", CHART), file("c/values.yaml", b"\xEF\xBB\xBFa: 1\n")]))
            .expect("reads");
    assert_eq!(names(&files), ["Chart.yaml", "values.yaml"]);
    assert_eq!(files[1].data, b"a: 1\n");
}

#[test]
fn archive_parent_reference() {
    // helm: "chart illegally references parent directory"
    for entry in ["c/../../etc/x", "c/templates/../../x", "c/..foo"] {
        let e = err(&tgz(&[file("c/Chart.yaml", CHART), file(entry, b"x")]));
        assert!(matches!(e, ReadError::ParentReference { .. }), "{e}");
        assert!(e.to_string().starts_with("chart illegally references parent directory"));
        names_entry(&e, entry);
    }
}

#[test]
fn archive_absolute_path() {
    // helm: "chart illegally contains absolute paths" (for "c//etc/x": absolute once "c/" goes)
    let e = err(&tgz(&[file("c/Chart.yaml", CHART), file("c//etc/passwd", b"x")]));
    assert!(matches!(e, ReadError::AbsolutePath { .. }), "{e}");
    assert!(e.to_string().starts_with("chart illegally contains absolute paths"));
    names_entry(&e, "c//etc/passwd");
}

#[test]
fn archive_leading_slash_is_just_an_empty_top_folder() {
    // helm accepts "/c/Chart.yaml": the first component ("") is dropped like any other.
    let (root, files) = read_archive_with_root(
        &tgz(&[file("/c/Chart.yaml", CHART), file("/c/templates/x.yaml", b"x")])[..],
        &LoadLimits::default(),
    )
    .expect("reads");
    assert_eq!(root, "");
    assert_eq!(names(&files), ["c/Chart.yaml", "c/templates/x.yaml"]);
}

#[test]
fn archive_windows_drive_path() {
    // helm: "chart contains illegally named files"
    for entry in ["c/C:/x", "c\\d:\\windows\\x"] {
        let e = err(&tgz(&[file("c/Chart.yaml", CHART), file(entry, b"x")]));
        assert!(matches!(e, ReadError::IllegalName { .. }), "{e}");
        assert!(e.to_string().starts_with("chart contains illegally named files"));
        let quoted = format!("{entry:?}");
        names_entry(&e, &quoted[1..quoted.len() - 1]);
    }
}

#[test]
fn archive_backslash_separators() {
    // helm accepts archives written with `\` (Windows) and normalises to `/`.
    let files = read(&tgz(&[file("c\\Chart.yaml", CHART), file("c\\templates\\x.yaml", b"x")]))
        .expect("ok");
    assert_eq!(names(&files), ["Chart.yaml", "templates/x.yaml"]);
}

#[test]
fn archive_symlink_entry() {
    // helm reads a symlink entry as an empty file; we refuse it.
    let e = err(&tgz(&[
        file("c/Chart.yaml", CHART),
        special("c/templates/x.yaml", b'2', "/etc/passwd"),
    ]));
    match &e {
        ReadError::UnsupportedEntry { kind: EntryKind::Symlink(t), .. } => {
            assert_eq!(t, "/etc/passwd")
        }
        _ => panic!("{e}"),
    }
    names_entry(&e, "c/templates/x.yaml");
}

#[test]
fn archive_hard_link_entry() {
    // helm reads a hard link entry as an empty file; we refuse it.
    let e = err(&tgz(&[file("c/Chart.yaml", CHART), special("c/x.yaml", b'1', "c/Chart.yaml")]));
    assert!(matches!(e, ReadError::UnsupportedEntry { kind: EntryKind::HardLink(_), .. }), "{e}");
    names_entry(&e, "c/x.yaml");
}

#[test]
fn archive_device_and_fifo_entries() {
    // helm reads devices and fifos as empty files; we refuse them.
    for (kind, want) in
        [(b'3', EntryKind::CharDevice), (b'4', EntryKind::BlockDevice), (b'6', EntryKind::Fifo)]
    {
        let e = err(&tgz(&[file("c/Chart.yaml", CHART), special("c/dev", kind, "")]));
        match &e {
            ReadError::UnsupportedEntry { kind, .. } => assert_eq!(kind, &want),
            _ => panic!("{e}"),
        }
        names_entry(&e, "c/dev");
    }
}

#[test]
fn archive_not_gzip() {
    // helm: "file 'x.tgz' does not appear to be a gzipped archive; got 'application/octet-stream'"
    let e = err(&tar_bytes(&[file("c/Chart.yaml", CHART)]));
    assert!(matches!(&e, ReadError::NotGzip { name: None, .. }), "{e}");
    assert_eq!(
        e.with_archive_name("x.tgz").to_string(),
        "file 'x.tgz' does not appear to be a gzipped archive; got 'application/octet-stream'"
    );
    let e =
        read_archive(&b"apiVersion: v2\nname: c\n"[..], &LoadLimits::default()).expect_err("text");
    assert!(
        matches!(&e, ReadError::NotGzip { content_type, .. } if content_type == "application/octet-stream"),
        "{e}"
    );
}

#[test]
fn archive_file_named_like_helm() {
    let dir = tempfile::tempdir().expect("tempdir");
    let values = dir.path().join("values.yaml");
    std::fs::write(&values, "a: 1\n").expect("write");
    let e = read_archive_file(&values, &LoadLimits::default()).expect_err("yaml");
    assert_eq!(
        e.to_string(),
        format!(
            "file '{}' seems to be a YAML file, but expected a gzipped archive",
            values.display()
        )
    );
    let long = dir.path().join("long.txt");
    std::fs::write(&long, "x".repeat(600)).expect("write");
    let e = read_archive_file(&long, &LoadLimits::default()).expect_err("text");
    assert_eq!(
        e.to_string(),
        format!(
            "file '{}' does not appear to be a gzipped archive; got 'text/plain; charset=utf-8'",
            long.display()
        )
    );
    let e = read_archive_file(dir.path(), &LoadLimits::default()).expect_err("dir");
    assert!(matches!(e, ReadError::IsDirectory { .. }), "{e}");
    let ok = dir.path().join("c-0.1.0.tgz");
    std::fs::write(&ok, tgz(&[file("c/Chart.yaml", CHART)])).expect("write");
    assert_eq!(
        names(&read_archive_file(&ok, &LoadLimits::default()).expect("reads")),
        ["Chart.yaml"]
    );
}

#[test]
fn archive_truncated_gzip() {
    let full = tgz(&[file("c/Chart.yaml", CHART), file("c/values.yaml", &[b'v'; 4000])]);
    for cut in [3, 11, 30, full.len() / 2] {
        let e = err(&full[..cut]);
        assert!(matches!(e, ReadError::Gzip { .. }), "cut {cut}: {e}");
    }
    // Like helm, reading stops at the tar's end marker: a cut in the gzip trailer after it
    // goes unnoticed.
    assert_eq!(read(&full[..full.len() - 4]).expect("trailer cut").len(), 2);
}

#[test]
fn archive_corrupt_gzip() {
    let mut bad = tgz(&[file("c/Chart.yaml", CHART), file("c/values.yaml", &[b'v'; 4000])]);
    let n = bad.len();
    for b in &mut bad[n / 2..n / 2 + 8] {
        *b ^= 0x5A;
    }
    assert!(matches!(err(&bad), ReadError::Gzip { .. } | ReadError::Tar { .. }));
}

#[test]
fn archive_truncated_tar() {
    // A complete gzip stream around a tar cut inside a file's data.
    let t = tar_bytes(&[file("c/Chart.yaml", CHART), file("c/values.yaml", &[b'v'; 4000])]);
    let e = err(&gz(&t[..512 * 3 + 100]));
    assert!(matches!(e, ReadError::Tar { .. }), "{e}");
    names_entry(&e, "c/values.yaml");
    // ...and cut inside a header.
    let e = err(&gz(&t[..512 + 512 + 100]));
    assert!(matches!(e, ReadError::Tar { .. }), "{e}");
}

#[test]
fn archive_duplicate_entries() {
    // helm keeps both and the later one wins; we refuse.
    let e = err(&tgz(&[
        file("c/Chart.yaml", CHART),
        file("c/templates/x.yaml", b"a: 1"),
        file("c/templates/./x.yaml", b"b: 2"),
    ]));
    assert!(
        matches!(&e, ReadError::DuplicateEntry { name, .. } if name == "templates/x.yaml"),
        "{e}"
    );
    names_entry(&e, "c/templates/./x.yaml");
}

#[test]
fn archive_empty_or_only_directories() {
    // helm: "no files in chart archive"
    let e = err(&tgz(&[]));
    assert!(matches!(e, ReadError::NoFiles));
    assert_eq!(e.to_string(), "no files in chart archive");
    let e = err(&tgz(&[special("c/", b'5', ""), special("c/templates/", b'5', "")]));
    assert!(matches!(e, ReadError::NoFiles), "{e}");
    // An empty gzip stream, too.
    assert!(matches!(err(&gz(b"")), ReadError::NoFiles));
}

#[test]
fn archive_directory_by_mode_bits_is_skipped() {
    // Go's tar sees a directory in the mode bits even when the type flag says file.
    let dir_mode = E { name: b"c/odd", kind: b'0', data: b"", mode: 0o040755 };
    let files = read(&tgz(&[file("c/Chart.yaml", CHART), dir_mode])).expect("reads");
    assert_eq!(names(&files), ["Chart.yaml"]);
}

#[test]
fn archive_differing_top_folders() {
    // helm accepts: each entry just loses its first component.
    let (root, files) = read_archive_with_root(
        &tgz(&[file("a/Chart.yaml", CHART), file("b/templates/x.yaml", b"x")])[..],
        &LoadLimits::default(),
    )
    .expect("reads");
    assert_eq!(root, "a");
    assert_eq!(names(&files), ["Chart.yaml", "templates/x.yaml"]);
}

#[test]
fn archive_content_outside_base() {
    // helm: chart illegally contains content outside the base directory: "Chart.yaml"
    let e = err(&tgz(&[file("Chart.yaml", CHART)]));
    assert_eq!(
        e.to_string(),
        "chart illegally contains content outside the base directory: \"Chart.yaml\""
    );
    let e = err(&tgz(&[file("c/Chart.yaml", CHART), file("c/.", b"x")]));
    assert!(matches!(e, ReadError::OutsideBase { .. }), "{e}");
}

#[test]
fn archive_chart_yaml_folder() {
    // helm: "chart yaml not in base directory"
    let e = err(&tgz(&[file("Chart.yaml/templates/x.yaml", b"x")]));
    assert!(matches!(e, ReadError::ChartYamlNotInBase { .. }), "{e}");
    names_entry(&e, "Chart.yaml/templates/x.yaml");
}

#[test]
fn archive_non_utf8_name() {
    let e = err(&tgz(&[
        file("c/Chart.yaml", CHART),
        E { name: b"c/\xFF.yaml", kind: b'0', data: b"x", mode: 0o644 },
    ]));
    assert!(matches!(e, ReadError::NonUtf8Name { .. }), "{e}");
}

/// A gzipped tar written straight to gzip, with `n` zero bytes of data per file.
fn zeros_tgz<S: AsRef<str>>(files: &[(S, u64)]) -> Vec<u8> {
    let mut b = tar::Builder::new(GzEncoder::new(Vec::new(), Compression::fast()));
    for (name, n) in files {
        let h = header(name.as_ref().as_bytes(), b'0', *n, 0o644, b"");
        b.append(&h, io::repeat(0).take(*n)).expect("append");
    }
    b.into_inner().expect("tar").finish().expect("gzip")
}

#[test]
fn archive_file_over_helm_size_limit() {
    // helm: decompressed chart file "c/big.txt" is larger than the maximum file size 5242880
    let e = err(&zeros_tgz(&[("c/Chart.yaml", 10), ("c/big.txt", 5 * 1024 * 1024 + 1)]));
    assert_eq!(
        e.to_string(),
        "decompressed chart file \"c/big.txt\" is larger than the maximum file size 5242880"
    );
    // Exactly 5 MiB is fine, as in helm.
    read(&zeros_tgz(&[("c/Chart.yaml", 10), ("c/big.txt", 5 * 1024 * 1024)])).expect("5 MiB");
}

#[test]
fn archive_chart_over_helm_size_limit() {
    // helm: "decompressed chart is larger than the maximum size 104857600", also when the
    // data adds up to exactly 100 MiB; one byte less is fine.
    const M: u64 = 1024 * 1024;
    let mut sizes: Vec<(String, u64)> = (0..20).map(|i| (format!("c/f{i}"), 5 * M)).collect();
    let e = err(&zeros_tgz(&sizes));
    assert!(matches!(e, ReadError::ArchiveTooLarge { limit: 104_857_600, .. }), "{e}");
    assert!(
        e.to_string().starts_with("decompressed chart is larger than the maximum size 104857600")
    );
    names_entry(&e, "c/f19");
    sizes[19].1 -= 1;
    assert_eq!(read(&zeros_tgz(&sizes)).expect("just under").len(), 20);
    sizes.push(("c/g".into(), 2 * M));
    let e = err(&zeros_tgz(&sizes));
    assert!(matches!(e, ReadError::ArchiveTooLarge { .. }), "{e}");
    names_entry(&e, "c/g");
}

#[test]
fn archive_small_limits() {
    let limits = LoadLimits::new(100, 60);
    let bytes = zeros_tgz(&[("c/a", 50), ("c/b", 50)]);
    let e = read_archive_bytes(&bytes, &limits).expect_err("over");
    assert!(matches!(e, ReadError::ArchiveTooLarge { limit: 100, .. }), "{e}");
    let bytes = zeros_tgz(&[("c/a", 61)]);
    let e = read_archive_bytes(&bytes, &limits).expect_err("over");
    assert!(matches!(e, ReadError::ArchiveFileTooLarge { size: 61, limit: 60, .. }), "{e}");
}

#[test]
fn archive_gzip_bomb_stops_early() {
    // 1 GiB claimed in one entry (only 1 MiB follows): refused from the header, before
    // anything is inflated.
    let mut raw = header(b"c/bomb", b'0', 1 << 30, 0o644, b"").as_bytes().to_vec();
    raw.resize(512 + (1 << 20), 0);
    let bytes = gz(&raw);
    let t = std::time::Instant::now();
    let e = err(&bytes);
    assert!(matches!(e, ReadError::ArchiveTooLarge { .. }), "{e}");
    assert!(t.elapsed().as_secs() < 5);
}

#[test]
fn archive_entry_count_bomb() {
    // 50 001 empty files: over the default `max_entries`.
    let limit = LoadLimits::default().max_entries;
    let files: Vec<(String, u64)> = (0..=limit).map(|i| (format!("c/f{i}"), 0)).collect();
    let e = err(&zeros_tgz(&files));
    assert!(matches!(e, ReadError::TooManyEntries { limit: 50_000, .. }), "{e}");
    names_entry(&e, &format!("c/f{limit}"));
}

#[test]
fn archive_long_name_bomb() {
    // A GNU long-name record of 8 MiB: bounded by the cap on the decompressed stream.
    let mut b = tar::Builder::new(GzEncoder::new(Vec::new(), Compression::fast()));
    let n = 8 << 20;
    b.append(&header(b"././@LongLink", b'L', n, 0o644, b""), io::repeat(b'a').take(n))
        .expect("append");
    b.append(&header(b"c/x", b'0', 1, 0o644, b""), &b"x"[..]).expect("append");
    let bytes = b.into_inner().expect("tar").finish().expect("gzip");
    let limits = LoadLimits::new(1000, 500).with_max_entries(10);
    let e = read_archive_bytes(&bytes, &limits).expect_err("capped");
    assert!(matches!(e, ReadError::ArchiveTooLarge { .. }), "{e}");
}

#[test]
fn archive_long_names_are_read() {
    let long = format!("c/templates/{}.yaml", "n".repeat(200));
    let mut b = tar::Builder::new(Vec::new());
    let mut h = tar::Header::new_gnu();
    h.set_size(1);
    h.set_mode(0o644);
    b.append_data(&mut h, &long, &b"x"[..]).expect("long name");
    let files = read(&gz(&b.into_inner().expect("tar"))).expect("reads");
    assert_eq!(files[0].name, long[2..]);
}

#[test]
fn archive_too_deep() {
    let long = |dirs: usize| {
        let mut b = tar::Builder::new(Vec::new());
        let mut h = tar::Header::new_gnu();
        h.set_size(1);
        h.set_mode(0o644);
        b.append_data(&mut h, format!("c/{}x", "d/".repeat(dirs)), &b"x"[..]).expect("append");
        gz(&b.into_inner().expect("tar"))
    };
    let e = err(&long(65));
    assert!(matches!(e, ReadError::TooDeep { limit: 64, .. }), "{e}");
    read(&long(64)).expect("64 deep");
}

#[test]
fn archive_stream_reader_matches_bytes() {
    let bytes = tgz(&[file("c/Chart.yaml", CHART), file("c/templates/x.yaml", b"x")]);
    // A reader that hands out one byte at a time.
    struct Slow<'a>(&'a [u8]);
    impl Read for Slow<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            match (self.0.split_first(), buf.first_mut()) {
                (Some((b, rest)), Some(slot)) => {
                    *slot = *b;
                    self.0 = rest;
                    Ok(1)
                }
                _ => Ok(0),
            }
        }
    }
    let a = read_archive(Slow(&bytes), &LoadLimits::default()).expect("stream");
    assert_eq!(a, read(&bytes).expect("bytes"));
}

#[test]
fn archive_error_messages() {
    let limits = LoadLimits::new(100, 60);
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("parent", tgz(&[file("c/../x", b"x")])),
        ("absolute", tgz(&[file("c//etc/x", b"x")])),
        ("outside", tgz(&[file("Chart.yaml", CHART)])),
        ("drive", tgz(&[file("c/c:/x", b"x")])),
        ("chart-yaml-dir", tgz(&[file("Chart.yaml/x", b"x")])),
        ("symlink", tgz(&[special("c/l", b'2', "/etc/passwd")])),
        ("hardlink", tgz(&[special("c/l", b'1', "c/x")])),
        ("fifo", tgz(&[special("c/p", b'6', "")])),
        ("duplicate", tgz(&[file("c/a", b"1"), file("c/./a", b"2")])),
        ("empty", tgz(&[])),
        ("file-size", zeros_tgz(&[("c/big", 61)])),
        ("chart-size", zeros_tgz(&[("c/a", 50), ("c/b", 50)])),
        ("not-gzip", b"apiVersion: v2".to_vec()),
        ("truncated-tar", gz(&tar_bytes(&[file("c/a", &[b'a'; 50])])[..530])),
        ("truncated-gzip", tgz(&[file("c/a", &[b'a'; 600])])[..20].to_vec()),
    ];
    let mut out = String::new();
    for (name, bytes) in cases {
        let msg = match read_archive_bytes(&bytes, &limits) {
            Ok(files) => format!("ok {:?}", names(&files)),
            Err(e) => e.to_string(),
        };
        out += &format!("{name}: {msg}\n");
    }
    insta::assert_snapshot!(out, @r#"
    parent: chart illegally references parent directory: entry "c/../x"
    absolute: chart illegally contains absolute paths: entry "c//etc/x"
    outside: chart illegally contains content outside the base directory: "Chart.yaml"
    drive: chart contains illegally named files: entry "c/c:/x"
    chart-yaml-dir: chart yaml not in base directory: entry "Chart.yaml/x"
    symlink: chart archive entry "c/l" is a symbolic link to "/etc/passwd"; only regular files and directories are allowed
    hardlink: chart archive entry "c/l" is a hard link to "c/x"; only regular files and directories are allowed
    fifo: chart archive entry "c/p" is a named pipe; only regular files and directories are allowed
    duplicate: chart archive contains the file "a" twice (entry "c/./a")
    empty: no files in chart archive
    file-size: decompressed chart file "c/big" is larger than the maximum file size 60
    chart-size: decompressed chart is larger than the maximum size 100 (at entry "c/b")
    not-gzip: input does not appear to be a gzipped archive; got 'application/octet-stream'
    truncated-tar: after entry "c/a": malformed or truncated tar archive: file data ends early
    truncated-gzip: corrupt or truncated gzip stream: incomplete deflate stream
    "#);
}

// ---------------------------------------------------------------------------------------
// Differential tests against `helm package`.

/// The top-level `key:` of a Chart.yaml, unquoted (enough for the charts used here).
fn chart_field(files: &[BufferedFile], key: &str) -> Option<String> {
    let chart = files.iter().find(|f| f.name == "Chart.yaml")?;
    let text = String::from_utf8_lossy(&chart.data);
    text.lines().find_map(|l| {
        let v = l.strip_prefix(key)?.strip_prefix(':')?.trim();
        Some(v.trim_matches(|c| c == '"' || c == '\'').to_owned())
    })
}

/// What `helm package` writes for a chart read from `files`: name → data, `None` where helm
/// rewrites the file (Chart.yaml, and Chart.lock which it re-serialises). Subcharts (folders
/// and `.tgz` files under `charts/`) are written expanded, under their chart name; folders
/// starting with `_` or `.` are dropped; `requirements.*` only survive in apiVersion v1 charts
/// (helm's LoadFiles). Everything else, values.yaml included, is written byte for byte.
fn helm_package_model(
    files: &[BufferedFile],
    prefix: &str,
    out: &mut BTreeMap<String, Option<Vec<u8>>>,
) -> Result<(), String> {
    let v1 = chart_field(files, "apiVersion").is_none_or(|v| v == "v1");
    let mut subcharts: BTreeMap<&str, Vec<BufferedFile>> = BTreeMap::new();
    for f in files {
        let name = f.name.as_str();
        match name {
            "Chart.yaml" => {
                out.insert(format!("{prefix}{name}"), None);
            }
            "Chart.lock" if !v1 => {
                out.insert(format!("{prefix}{name}"), None);
            }
            "Chart.lock" => {}
            "requirements.yaml" | "requirements.lock" if !v1 => {}
            _ if name.starts_with("charts/") && !name.ends_with(".prov") => {
                let rest = &name["charts/".len()..];
                let (cname, inner) = rest.split_once('/').unwrap_or((rest, ""));
                subcharts
                    .entry(cname)
                    .or_default()
                    .push(BufferedFile { name: inner.to_owned(), data: f.data.clone() });
            }
            _ => {
                out.insert(format!("{prefix}{name}"), Some(f.data.clone()));
            }
        }
    }
    for (cname, sub) in subcharts {
        if cname.starts_with('_') || cname.starts_with('.') {
            continue;
        }
        let sub = if cname.ends_with(".tgz") {
            read_archive_bytes(&sub[0].data, &LoadLimits::default())
                .map_err(|e| format!("{prefix}charts/{cname}: {e}"))?
        } else {
            sub.into_iter().filter(|f| !f.name.is_empty()).collect()
        };
        let sname = chart_field(&sub, "name").ok_or(format!("{prefix}charts/{cname}: no name"))?;
        helm_package_model(&sub, &format!("{prefix}charts/{sname}/"), out)?;
    }
    Ok(())
}

/// Runs `helm package dir` into a fresh temp dir and returns the archive's bytes.
fn helm_package(dir: &Path) -> Result<Vec<u8>, String> {
    let out = tempfile::tempdir().map_err(|e| e.to_string())?;
    let res = Command::new(helm())
        .arg("package")
        .arg(dir)
        .arg("-d")
        .arg(out.path())
        .output()
        .map_err(|e| e.to_string())?;
    if !res.status.success() {
        return Err(format!("helm package: {}", String::from_utf8_lossy(&res.stderr)));
    }
    let tgz = std::fs::read_dir(out.path())
        .map_err(|e| e.to_string())?
        .filter_map(Result::ok)
        .find(|e| e.path().extension().is_some_and(|x| x == "tgz"))
        .ok_or("helm package wrote no .tgz")?;
    std::fs::read(tgz.path()).map_err(|e| e.to_string())
}

/// Compares what read_dir makes of `dir`, under helm's packaging rules, with what
/// read_archive makes of helm's package of it.
fn compare_with_helm_package(dir: &Path) -> Result<usize, String> {
    let files = read_dir(dir, &LoadLimits::default()).map_err(|e| format!("read_dir: {e}"))?;
    let mut want = BTreeMap::new();
    helm_package_model(&files, "", &mut want)?;
    let packaged = helm_package(dir)?;
    let (root, got) = read_archive_with_root(&packaged[..], &LoadLimits::default())
        .map_err(|e| format!("read_archive: {e}"))?;
    if Some(&root) != chart_field(&files, "name").as_ref() {
        return Err(format!("top folder {root:?} is not the chart's name"));
    }
    let got: BTreeMap<String, Vec<u8>> = got.into_iter().map(|f| (f.name, f.data)).collect();
    let want_names: Vec<&String> = want.keys().collect();
    let got_names: Vec<&String> = got.keys().collect();
    if want_names != got_names {
        let missing: Vec<_> = want_names.iter().filter(|n| !got.contains_key(**n)).collect();
        let extra: Vec<_> = got_names.iter().filter(|n| !want.contains_key(**n)).collect();
        return Err(format!("file lists differ: missing from helm's {missing:?}, extra {extra:?}"));
    }
    for (name, data) in &want {
        if data.as_ref().is_some_and(|d| got[name] != *d) {
            return Err(format!("{name}: contents differ"));
        }
    }
    Ok(want.len())
}

#[test]
fn corpus_dirs_match_helm_package() {
    let root = shared_dir().join("corpus/charts");
    let mut dirs: Vec<_> = std::fs::read_dir(&root)
        .unwrap_or_else(|e| panic!("{}: {e}", root.display()))
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    let mut failures = Vec::new();
    let mut files = 0;
    for dir in &dirs {
        match compare_with_helm_package(dir) {
            Ok(n) => files += n,
            Err(e) => failures.push(format!("{}: {e}", dir.display())),
        }
    }
    eprintln!("corpus: {files} files compared");
    check_floor("load_corpus", dirs.len(), &failures);
}

#[cfg(unix)]
#[test]
fn helmignore_matches_helm_package() {
    let d = tempfile::tempdir().expect("tempdir");
    let p = d.path().join("tricky");
    let w = |rel: &str, data: &str| {
        let path = p.join(rel);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, data).expect("write");
    };
    w("Chart.yaml", "apiVersion: v2\nname: tricky\nversion: 0.1.0\n");
    w("values.yaml", "a: 1\n");
    w(
        ".helmignore",
        concat!(
            "# comment\n",
            "  *.swp  \n",
            "*~\r\n",
            ".git/\n",
            "/root.txt\n",
            "files/*.yaml\n",
            "build/\n",
            "docs/\n",
            "a\\[1\\].txt\n",
            "x[0-9].cfg\n",
            "n?.md\n",
            "*.md\n",
            "secret.*\n",
            // Helm's negation: whatever reaches this line without a lower-case letter in its
            // base name is ignored here.
            "!*[a-z]*\n",
            "keys/*.pem\n",
            "ci/\n",
        ),
    );
    for f in [
        "README.md",
        "n1.md",
        "notes.txt",
        "root.txt",
        "nested/root.txt",
        "nested/.env",
        "docs/a.txt",
        "docs/sub/b.txt",
        "docs.txt",
        "build/out.txt",
        "build2/out.txt",
        "a[1].txt",
        "a1.txt",
        "x1.cfg",
        "xa.cfg",
        "backup~",
        "file.swp",
        ".git/config",
        ".gitignore",
        "secret.key",
        "keys/a.pem",
        "keys/a.pub",
        "files/config.yaml",
        "files/other/config.yaml",
        "UPPER.TXT",
        "42",
        "ci/values.yaml",
        "templates/deploy.yaml",
        "templates/_helpers.tpl",
        "templates/.hidden.yaml",
        "templates/sub/.hidden2",
        "templates/tests/test.yaml",
        "charts/sub/Chart.yaml",
        "charts/sub/README.md",
        "charts/sub/templates/x.yaml",
        "charts/sub/templates/.hid",
        "charts/_skipped/Chart.yaml",
    ] {
        w(
            f,
            if f == "charts/sub/Chart.yaml" {
                "apiVersion: v2\nname: sub\nversion: 1.0.0\n"
            } else {
                f
            },
        );
    }
    w("charts/_skipped/Chart.yaml", "apiVersion: v2\nname: skipped\nversion: 1.0.0\n");
    // A symlinked directory is walked under the link's name, and matched as a directory.
    std::os::unix::fs::symlink("docs", p.join("linked")).expect("symlink");
    std::os::unix::fs::symlink("notes.txt", p.join("notes-link.txt")).expect("symlink");

    let n = compare_with_helm_package(&p).unwrap_or_else(|e| panic!("{e}"));
    let files = read_dir(&p, &LoadLimits::default()).expect("read_dir");
    let got = names(&files);
    for kept in [
        "linked/a.txt",
        "templates/sub/.hidden2",
        "charts/sub/templates/.hid",
        "docs.txt",
        "xa.cfg",
    ] {
        assert!(got.contains(&kept), "{kept} should be kept: {got:?}");
    }
    for gone in
        ["UPPER.TXT", "42", "README.md", "templates/.hidden.yaml", "a[1].txt", "build/out.txt"]
    {
        assert!(!got.contains(&gone), "{gone} should be ignored: {got:?}");
    }
    assert!(n > 15, "{n}");
}
