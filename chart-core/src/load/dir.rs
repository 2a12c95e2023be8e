//! Reading a chart's files from a directory, as Helm's `LoadDir` does: `.helmignore` plus
//! Helm's default rules, entries in lexical order, symlinks followed.

use std::fs::{self, File, Metadata};
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use super::files::{BufferedFile, EntryKind, LoadLimits, ReadError, strip_bom};
use super::ignore::{HELMIGNORE, IgnoreRules};

/// Reads the files of the chart in directory `path`.
///
/// As Helm does: the chart's `.helmignore` (if any) is applied, followed by Helm's default
/// rules (`templates/.?*`); ignored directories are not entered; entries are visited in byte
/// order of their names, depth first; symlinks are followed (a symlinked directory is walked
/// under the link's name); a leading UTF-8 BOM is removed from each file; a file over
/// `max_file_size` is refused with Helm's message; a broken symlink or a non-regular file
/// that is not ignored is an error.
///
/// Stricter than Helm: a symlink that resolves outside the chart directory, a symlink loop or
/// a directory linked into itself, more than `max_entries` files and directories, nesting
/// deeper than `max_depth`, a total over `max_chart_size` and a non-UTF-8 file name are
/// errors.
pub fn read_dir(path: &Path, limits: &LoadLimits) -> Result<Vec<BufferedFile>, ReadError> {
    read_dir_with(path, limits, &mut |_| {})
}

/// [`read_dir`], calling `on_file` with each file as soon as it is read (in the order of the
/// result), so that a caller can start work on some files (parsing templates) while the rest
/// are read.
///
/// ```
/// let dir = tempfile::tempdir().unwrap();
/// std::fs::write(dir.path().join("Chart.yaml"), "name: x\n").unwrap();
/// let mut seen = Vec::new();
/// let files = chart_core::load::read_dir_with(dir.path(), &Default::default(), &mut |f| {
///     seen.push(f.name.clone())
/// })
/// .unwrap();
/// assert_eq!(seen, ["Chart.yaml"]);
/// assert_eq!(files.len(), 1);
/// ```
pub fn read_dir_with(
    path: &Path,
    limits: &LoadLimits,
    on_file: &mut dyn FnMut(&BufferedFile),
) -> Result<Vec<BufferedFile>, ReadError> {
    let io_err = |source| ReadError::Io { path: path.to_owned(), source };
    let top = std::path::absolute(path).map_err(io_err)?;
    let meta = fs::metadata(&top).map_err(io_err)?;
    if !meta.is_dir() {
        return Err(ReadError::NotADirectory { path: top });
    }
    let root_real = fs::canonicalize(&top).map_err(io_err)?;

    let mut rules = read_helmignore(&top)?;
    rules.add_defaults();

    let mut walker = Walker {
        limits,
        on_file,
        rules,
        files: Vec::new(),
        total: 0,
        entries: 0,
        ancestors: vec![root_real.clone()],
        root_real,
    };
    let root_real = walker.root_real.clone();
    walker.walk(&top, "", &root_real)?;
    Ok(walker.files)
}

/// The rules of `dir/.helmignore`, or none if there is no such file.
fn read_helmignore(dir: &Path) -> Result<IgnoreRules, ReadError> {
    let file = dir.join(HELMIGNORE);
    match fs::read(&file) {
        Ok(bytes) => IgnoreRules::parse(&String::from_utf8_lossy(&bytes)),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(IgnoreRules::empty()),
        Err(source) => Err(ReadError::Io { path: file, source }),
    }
}

struct Walker<'l> {
    limits: &'l LoadLimits,
    on_file: &'l mut dyn FnMut(&BufferedFile),
    rules: IgnoreRules,
    files: Vec<BufferedFile>,
    total: u64,
    entries: usize,
    /// Canonical paths of the directories being walked, root first.
    ancestors: Vec<PathBuf>,
    root_real: PathBuf,
}

impl Walker<'_> {
    /// Walks directory `dir` (shown to the user as is), which is `rel` inside the chart and
    /// `real` once symlinks are resolved.
    fn walk(&mut self, dir: &Path, rel: &str, real: &Path) -> Result<(), ReadError> {
        let io_err = |source| ReadError::Io { path: dir.to_owned(), source };
        let mut names = fs::read_dir(dir)
            .map_err(io_err)?
            .map(|e| e.map(|e| e.file_name()))
            .collect::<Result<Vec<_>, _>>()
            .map_err(io_err)?;
        names.sort_unstable();

        for name in names {
            let path = dir.join(&name);
            let lossy = name.to_string_lossy();
            let child_rel =
                if rel.is_empty() { lossy.into_owned() } else { format!("{rel}/{lossy}") };

            let lmeta = fs::symlink_metadata(&path)
                .map_err(|source| ReadError::Io { path: path.clone(), source })?;
            let (meta, target) = if lmeta.file_type().is_symlink() {
                let (meta, target) = resolve_symlink(&path)?;
                (meta, Some(target))
            } else {
                (lmeta, None)
            };

            let is_dir = meta.is_dir();
            if self.rules.ignored(&child_rel, is_dir) {
                continue;
            }
            if name.to_str().is_none() {
                return Err(ReadError::NonUtf8Path { path });
            }
            if let Some(target) = target.as_ref().filter(|t| !t.starts_with(&self.root_real)) {
                return Err(ReadError::SymlinkOutside { path, target: target.clone() });
            }
            self.count(&child_rel)?;

            if is_dir {
                let real_dir = target.unwrap_or_else(|| real.join(&name));
                if self.ancestors.contains(&real_dir) {
                    return Err(ReadError::SymlinkLoop { path, target: real_dir });
                }
                if self.ancestors.len() > self.limits.max_depth {
                    return Err(ReadError::TooDeep {
                        entry: child_rel,
                        limit: self.limits.max_depth,
                    });
                }
                self.ancestors.push(real_dir.clone());
                self.walk(&path, &child_rel, &real_dir)?;
                self.ancestors.pop();
            } else {
                self.read_file(path, child_rel, &meta)?;
            }
        }
        Ok(())
    }

    fn count(&mut self, rel: &str) -> Result<(), ReadError> {
        self.entries += 1;
        if self.entries > self.limits.max_entries {
            return Err(ReadError::TooManyEntries {
                entry: rel.to_owned(),
                limit: self.limits.max_entries,
            });
        }
        Ok(())
    }

    fn read_file(&mut self, path: PathBuf, name: String, meta: &Metadata) -> Result<(), ReadError> {
        if !meta.is_file() {
            return Err(ReadError::IrregularFile { path, kind: irregular_kind(meta) });
        }
        let limit = self.limits.max_file_size;
        if meta.len() > limit {
            return Err(ReadError::FileTooLarge { path, size: meta.len(), limit });
        }
        let io_err = |source| ReadError::Io { path: path.clone(), source };
        let mut data = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
        // The file may have grown since it was looked at: never read past the limits.
        let budget = limit.min(self.limits.max_chart_size - self.total);
        File::open(&path)
            .and_then(|f| f.take(budget.saturating_add(1)).read_to_end(&mut data))
            .map_err(io_err)?;
        let size = data.len() as u64;
        if size > limit {
            return Err(ReadError::FileTooLarge { path, size, limit });
        }
        if size > self.limits.max_chart_size - self.total {
            return Err(ReadError::DirTooLarge { path, limit: self.limits.max_chart_size });
        }
        self.total += size;
        let file = BufferedFile { name, data: strip_bom(data) };
        (self.on_file)(&file);
        self.files.push(file);
        Ok(())
    }
}

/// Resolves a symlink: the metadata of what it points to and its canonical path.
fn resolve_symlink(path: &Path) -> Result<(Metadata, PathBuf), ReadError> {
    let target = fs::canonicalize(path).map_err(|e| {
        if is_loop(&e) {
            let target = fs::read_link(path).unwrap_or_default();
            ReadError::SymlinkLoop { path: path.to_owned(), target }
        } else if e.kind() == io::ErrorKind::NotFound {
            ReadError::BrokenSymlink { path: path.to_owned(), source: e }
        } else {
            ReadError::Io { path: path.to_owned(), source: e }
        }
    })?;
    let meta =
        fs::metadata(&target).map_err(|source| ReadError::Io { path: path.to_owned(), source })?;
    Ok((meta, target))
}

/// Whether an error is `ELOOP` (too many levels of symbolic links).
fn is_loop(e: &io::Error) -> bool {
    #[cfg(any(target_os = "linux", target_os = "android"))]
    const ELOOP: i32 = 40;
    #[cfg(not(any(target_os = "linux", target_os = "android")))]
    const ELOOP: i32 = 62;
    cfg!(unix) && e.raw_os_error() == Some(ELOOP)
}

#[cfg(unix)]
fn irregular_kind(meta: &Metadata) -> EntryKind {
    use std::os::unix::fs::FileTypeExt;
    let t = meta.file_type();
    if t.is_fifo() {
        EntryKind::Fifo
    } else if t.is_char_device() {
        EntryKind::CharDevice
    } else if t.is_block_device() {
        EntryKind::BlockDevice
    } else if t.is_socket() {
        EntryKind::Socket
    } else {
        EntryKind::Other(0)
    }
}

#[cfg(not(unix))]
fn irregular_kind(_meta: &Metadata) -> EntryKind {
    EntryKind::Other(0)
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    fn chart() -> tempfile::TempDir {
        let d = tempfile::tempdir().expect("tempdir");
        fs::create_dir(d.path().join("templates")).expect("mkdir");
        fs::write(d.path().join("Chart.yaml"), "apiVersion: v2\nname: c\nversion: 0.1.0\n")
            .expect("write");
        d
    }

    fn names(files: &[BufferedFile]) -> Vec<&str> {
        files.iter().map(|f| f.name.as_str()).collect()
    }

    #[test]
    fn lexical_order_ignore_and_defaults() {
        let d = chart();
        let p = d.path();
        fs::write(p.join("templates/b.yaml"), "b").expect("write");
        fs::write(p.join("templates/.hidden"), "h").expect("write");
        fs::write(p.join("templates/a.yaml"), "\u{FEFF}a").expect("write");
        fs::create_dir(p.join("a")).expect("mkdir");
        fs::write(p.join("a/x"), "x").expect("write");
        fs::write(p.join("a.b"), "ab").expect("write");
        fs::write(p.join("skip.txt"), "s").expect("write");
        fs::create_dir(p.join("ci")).expect("mkdir");
        fs::write(p.join("ci/values.yaml"), "s").expect("write");
        fs::write(p.join(".helmignore"), "*.txt\nci/\n").expect("write");
        let files = read_dir(p, &LoadLimits::default()).expect("read");
        assert_eq!(
            names(&files),
            [".helmignore", "Chart.yaml", "a/x", "a.b", "templates/a.yaml", "templates/b.yaml"]
        );
        assert_eq!(files[4].data, b"a", "BOM stripped");
    }

    #[test]
    fn symlinks_inside_are_followed() {
        let d = chart();
        let p = d.path();
        fs::create_dir(p.join("real")).expect("mkdir");
        fs::write(p.join("real/a.txt"), "hi").expect("write");
        symlink("real", p.join("link")).expect("symlink");
        symlink("real/a.txt", p.join("file-link")).expect("symlink");
        let files = read_dir(p, &LoadLimits::default()).expect("read");
        assert_eq!(names(&files), ["Chart.yaml", "file-link", "link/a.txt", "real/a.txt"]);
    }

    #[test]
    fn hostile_trees() {
        let d = chart();
        let p = d.path();
        symlink("/etc/hostname", p.join("out")).expect("symlink");
        let e = read_dir(p, &LoadLimits::default()).expect_err("outside");
        assert!(matches!(e, ReadError::SymlinkOutside { .. }), "{e}");
        // Ignored, it does not matter.
        fs::write(p.join(".helmignore"), "out\n").expect("write");
        read_dir(p, &LoadLimits::default()).expect("ignored link");
        fs::remove_file(p.join("out")).expect("rm");

        symlink("..", p.join("templates/up")).expect("symlink");
        let e = read_dir(p, &LoadLimits::default()).expect_err("cycle");
        assert!(matches!(e, ReadError::SymlinkLoop { .. }), "{e}");
        fs::remove_file(p.join("templates/up")).expect("rm");

        symlink("self", p.join("self")).expect("symlink");
        let e = read_dir(p, &LoadLimits::default()).expect_err("self loop");
        assert!(matches!(e, ReadError::SymlinkLoop { .. }), "{e}");
        fs::remove_file(p.join("self")).expect("rm");

        symlink("nowhere", p.join("broken")).expect("symlink");
        let e = read_dir(p, &LoadLimits::default()).expect_err("broken");
        assert!(e.to_string().starts_with("error evaluating symlink "), "{e}");
        assert!(e.to_string().contains("broken"), "{e}");
    }

    #[test]
    fn irregular_files() {
        let d = chart();
        let p = d.path();
        let sock = p.join("templates/sock");
        let _listener = std::os::unix::net::UnixListener::bind(&sock).expect("socket");
        let e = read_dir(p, &LoadLimits::default()).expect_err("socket");
        assert!(matches!(e, ReadError::IrregularFile { kind: EntryKind::Socket, .. }), "{e}");
        assert!(e.to_string().starts_with("cannot load irregular file "), "{e}");
        assert!(e.to_string().contains("templates/sock"), "{e}");
        // An ignored one does not matter.
        fs::write(p.join(".helmignore"), "sock\n").expect("write");
        read_dir(p, &LoadLimits::default()).expect("ignored socket");
    }

    #[test]
    fn limits() {
        let d = chart();
        let p = d.path();
        fs::write(p.join("big.txt"), vec![b'a'; 100]).expect("write");
        let e = read_dir(p, &LoadLimits::new(1000, 50)).expect_err("file too large");
        assert!(
            e.to_string()
                .starts_with("chart file \"big.txt\" is larger than the maximum file size 50"),
            "{e}"
        );
        let e = read_dir(p, &LoadLimits::new(120, 500)).expect_err("chart too large");
        assert!(matches!(e, ReadError::DirTooLarge { .. }), "{e}");
        let e = read_dir(p, &LoadLimits::default().with_max_entries(2)).expect_err("entries");
        assert!(matches!(e, ReadError::TooManyEntries { .. }), "{e}");
        fs::create_dir_all(p.join("a/b/c/d")).expect("mkdir");
        let e = read_dir(p, &LoadLimits::default().with_max_depth(3)).expect_err("depth");
        assert!(matches!(e, ReadError::TooDeep { .. }), "{e}");
    }

    #[test]
    fn not_a_directory() {
        let d = chart();
        let e = read_dir(&d.path().join("Chart.yaml"), &LoadLimits::default()).expect_err("file");
        assert!(matches!(e, ReadError::NotADirectory { .. }));
        let e = read_dir(&d.path().join("nope"), &LoadLimits::default()).expect_err("missing");
        assert!(matches!(e, ReadError::Io { .. }));
    }
}
