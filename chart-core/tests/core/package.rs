//! `package_dir` over the corpus, checked against the real helm:
//! - packaging twice gives the same bytes;
//! - `helm template` of our archive gives the golden output (byte for byte where the golden is
//!   deterministic, same exit status and number of `# Source:` lines otherwise);
//! - `helm package` of the same directory loads into the same chart as the directory does;
//! - our tar entries (headers and data) equal Helm's, timestamps aside, and the gzip headers
//!   are the same.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::Mutex;
use std::time::Instant;

use chart_core::chart::{Chart, load};
use chart_core::package::{PackageError, PackageOptions, package_dir};

use super::support::{check_floor, helm, shared_dir};

struct Render {
    variant: Option<String>,
    deterministic: bool,
}

fn renders(corpus: &Path) -> BTreeMap<String, Vec<Render>> {
    let index = std::fs::read_to_string(corpus.join("golden/INDEX.tsv")).expect("INDEX.tsv");
    let mut out: BTreeMap<String, Vec<Render>> = BTreeMap::new();
    for line in index.lines().skip(1) {
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() < 6 {
            continue;
        }
        let variant = (cols[1] != "-").then(|| cols[1].to_owned());
        out.entry(cols[0].to_owned())
            .or_default()
            .push(Render { variant, deterministic: cols[5] == "yes" });
    }
    out
}

fn helm_cmd(args: &[&str], home: &Path) -> Output {
    Command::new(helm())
        .args(args)
        .current_dir(home)
        .env("HELM_CACHE_HOME", home.join(".helm/cache"))
        .env("HELM_CONFIG_HOME", home.join(".helm/config"))
        .env("HELM_DATA_HOME", home.join(".helm/data"))
        .output()
        .unwrap_or_else(|e| panic!("running helm {args:?}: {e}"))
}

fn sources(s: &str) -> usize {
    s.lines().filter(|l| l.starts_with("# Source: ")).count()
}

/// A difference between two loaded charts, if any (dependencies compared by name).
fn chart_diff(a: &Chart, b: &Chart, path: &str) -> Option<String> {
    if a.metadata != b.metadata {
        return Some(format!("{path}: metadata {:?} vs {:?}", a.metadata, b.metadata));
    }
    let sorted = |fs: &[chart_core::load::BufferedFile]| {
        let mut v: Vec<(String, Vec<u8>)> =
            fs.iter().map(|f| (f.name.clone(), f.data.clone())).collect();
        v.sort();
        v
    };
    if sorted(&a.templates) != sorted(&b.templates) {
        return Some(format!("{path}: templates differ"));
    }
    if sorted(&a.files) != sorted(&b.files) {
        let names = |fs: &[chart_core::load::BufferedFile]| {
            fs.iter().map(|f| f.name.clone()).collect::<Vec<_>>()
        };
        return Some(format!("{path}: files {:?} vs {:?}", names(&a.files), names(&b.files)));
    }
    if a.values != b.values {
        return Some(format!("{path}: values differ"));
    }
    if a.schema != b.schema || a.lock != b.lock {
        return Some(format!("{path}: schema or lock differ"));
    }
    fn by_name(c: &Chart) -> Vec<&Chart> {
        let mut v: Vec<&Chart> = c.dependencies.iter().collect();
        v.sort_by(|x, y| x.name().cmp(y.name()));
        v
    }
    let (da, db) = (by_name(a), by_name(b));
    if da.len() != db.len() {
        return Some(format!("{path}: {} vs {} subcharts", da.len(), db.len()));
    }
    da.iter().zip(&db).find_map(|(x, y)| chart_diff(x, y, &format!("{path}/charts/{}", x.name())))
}

/// The tar entries of a `.tgz`: (path, header blocks with time and checksum blanked, data).
/// One tar entry: path, header block(s), data.
type Entry = (String, Vec<u8>, Vec<u8>);

fn tar_entries(tgz: &[u8]) -> Result<Vec<Entry>, String> {
    let mut tar = Vec::new();
    flate2::read::GzDecoder::new(tgz).read_to_end(&mut tar).map_err(|e| e.to_string())?;
    let mut out = Vec::new();
    let mut i = 0;
    let mut pending: Vec<u8> = Vec::new();
    while i + 512 <= tar.len() {
        let mut h = tar[i..i + 512].to_vec();
        if h.iter().all(|&b| b == 0) {
            if tar[i..].iter().any(|&b| b != 0) {
                return Err("data after the end blocks".into());
            }
            return Ok(out);
        }
        let size_text = String::from_utf8_lossy(&h[124..135]).into_owned();
        let size = usize::from_str_radix(size_text.trim_end_matches('\0'), 8)
            .map_err(|e| format!("size {size_text:?}: {e}"))?;
        let data = tar.get(i + 512..i + 512 + size).ok_or("short entry")?.to_vec();
        h[136..156].fill(b'#');
        i += 512 + size.div_ceil(512) * 512;
        if h[156] == b'x' {
            pending.extend_from_slice(&h);
            pending.extend_from_slice(&data);
            continue;
        }
        let name = String::from_utf8_lossy(&h[..100]).trim_end_matches('\0').to_owned();
        let prefix = String::from_utf8_lossy(&h[345..500]).trim_end_matches('\0').to_owned();
        let name = if prefix.is_empty() { name } else { format!("{prefix}/{name}") };
        let mut header = std::mem::take(&mut pending);
        header.extend_from_slice(&h);
        out.push((name, header, data));
    }
    Err("no end blocks".into())
}

/// Compares our archive with Helm's: gzip header, then every entry; entries of the chart
/// itself must come in the same order (Helm's subchart order is random).
fn compare_archives(ours: &[u8], helms: &[u8]) -> Result<(), String> {
    if ours.get(..58) != helms.get(..58) {
        return Err(format!("gzip header {:?} vs {:?}", &ours[..58], &helms[..58]));
    }
    let (a, b) = (tar_entries(ours)?, tar_entries(helms)?);
    let own = |v: &[Entry]| {
        v.iter().map(|e| e.0.clone()).filter(|n| !n.contains("/charts/")).collect::<Vec<_>>()
    };
    if own(&a) != own(&b) {
        return Err(format!("entry order {:?} vs {:?}", own(&a), own(&b)));
    }
    let sorted = |mut v: Vec<Entry>| {
        v.sort();
        v
    };
    let (a, b) = (sorted(a), sorted(b));
    if a.len() != b.len() {
        return Err(format!("{} vs {} entries", a.len(), b.len()));
    }
    for (x, y) in a.iter().zip(&b) {
        if x.0 != y.0 {
            return Err(format!("entry {} vs {}", x.0, y.0));
        }
        if x.1 != y.1 {
            return Err(format!("{}: header {:?} vs {:?}", x.0, x.1, y.1));
        }
        if x.2 != y.2 {
            return Err(format!(
                "{}: data\n{}\nvs\n{}",
                x.0,
                String::from_utf8_lossy(&x.2),
                String::from_utf8_lossy(&y.2)
            ));
        }
    }
    Ok(())
}

/// Checks one corpus chart; returns (cases run, failures).
fn check_chart(name: &str, dir: &Path, corpus: &Path, renders: &[Render]) -> (usize, Vec<String>) {
    let mut total = 0;
    let mut fails = Vec::new();
    let tmp = tempfile::tempdir().expect("tempdir");
    let home = tmp.path();
    let pack = |sub: &str| -> Result<PathBuf, PackageError> {
        package_dir(dir, &PackageOptions::new().with_destination(home.join(sub)))
    };

    // (a) reproducible bytes.
    total += 1;
    let ours = match (pack("a"), pack("b")) {
        (Ok(a), Ok(b)) => {
            let (x, y) = (std::fs::read(&a).expect("read"), std::fs::read(&b).expect("read"));
            if x != y {
                fails.push(format!("{name}: two runs differ"));
            }
            a
        }
        (Err(e), _) | (_, Err(e)) => {
            fails.push(format!("{name}: package_dir failed: {e}"));
            for r in renders {
                fails.push(format!("{name}: not rendered ({:?})", r.variant));
            }
            fails.push(format!("{name}: helm archive not compared"));
            fails.push(format!("{name}: tar entries not compared"));
            return (total + renders.len() + 2, fails);
        }
    };
    let ours_s = ours.to_str().expect("utf-8 path");

    // (b) helm renders our archive like the directory.
    for r in renders {
        total += 1;
        let id = match &r.variant {
            Some(v) => format!("{name}-{v}"),
            None => name.to_owned(),
        };
        let values = r.variant.as_ref().map(|v| corpus.join(format!("values/{name}-{v}.yaml")));
        let mut args = vec!["template", "rel", ours_s, "--namespace", "ns"];
        let values_s;
        if let Some(v) = &values {
            values_s = v.to_str().expect("utf-8 path").to_owned();
            args.extend(["-f", values_s.as_str()]);
        }
        let out = helm_cmd(&args, home);
        let golden =
            std::fs::read_to_string(corpus.join(format!("golden/{id}.yaml"))).unwrap_or_default();
        let got = String::from_utf8_lossy(&out.stdout);
        if !out.status.success() {
            fails.push(format!(
                "{id}: helm template failed: {}",
                String::from_utf8_lossy(&out.stderr)
            ));
        } else if r.deterministic && got != golden {
            fails.push(format!("{id}: render differs from the golden"));
        } else if !r.deterministic && sources(&got) != sources(&golden) {
            fails.push(format!("{id}: {} vs {} sources", sources(&got), sources(&golden)));
        }
    }

    // (c) helm's archive loads into the same chart as the directory; (d) same tar entries.
    total += 2;
    let hdest = home.join("helm");
    let out = helm_cmd(
        &["package", dir.to_str().expect("utf-8 path"), "-d", hdest.to_str().expect("utf-8")],
        home,
    );
    let from_dir = load(dir);
    let helm_tgz = std::fs::read_dir(&hdest)
        .ok()
        .and_then(|mut d| d.next())
        .and_then(Result::ok)
        .map(|e| e.path());
    match (out.status.success(), helm_tgz, from_dir) {
        (true, Some(tgz), Ok(from_dir)) => {
            match load(&tgz) {
                Ok(from_helm) => {
                    if let Some(d) = chart_diff(&from_dir, &from_helm, name) {
                        fails.push(format!("{name}: helm's archive loads differently: {d}"));
                    }
                }
                Err(e) => fails.push(format!("{name}: helm's archive does not load: {e}")),
            }
            let helms = std::fs::read(&tgz).expect("read");
            let mine = std::fs::read(&ours).expect("read");
            if let Err(e) = compare_archives(&mine, &helms) {
                fails.push(format!("{name}: archive differs from helm's: {e}"));
            }
        }
        (ok, _, dir_load) => fails.push(format!(
            "{name}: helm package ok={ok} ({}), dir load {:?}",
            String::from_utf8_lossy(&out.stderr),
            dir_load.err().map(|e| e.to_string())
        )),
    }
    (total, fails)
}

#[test]
fn corpus_packages_like_helm() {
    let start = Instant::now();
    let corpus = shared_dir().join("corpus");
    let renders = renders(&corpus);
    let mut charts: Vec<(String, PathBuf)> = std::fs::read_dir(corpus.join("charts"))
        .expect("corpus charts")
        .filter_map(Result::ok)
        .map(|e| (e.file_name().to_string_lossy().into_owned(), e.path()))
        .collect();
    charts.sort();
    helm();

    let queue = Mutex::new(charts);
    let results = Mutex::new((0usize, Vec::<String>::new()));
    std::thread::scope(|s| {
        for _ in 0..2 {
            s.spawn(|| {
                loop {
                    let next = queue.lock().expect("queue").pop();
                    let Some((name, dir)) = next else { break };
                    let rs = renders.get(&name).map(Vec::as_slice).unwrap_or(&[]);
                    let (n, f) = check_chart(&name, &dir, &corpus, rs);
                    let mut r = results.lock().expect("results");
                    r.0 += n;
                    r.1.extend(f);
                }
            });
        }
    });
    let (total, mut failures) = results.into_inner().expect("results");
    failures.sort();
    eprintln!("package corpus: {:.1}s", start.elapsed().as_secs_f64());
    check_floor("package", total, &failures);
}

#[test]
fn errors_match_helm() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let home = tmp.path();
    let chart = home.join("c");
    std::fs::create_dir_all(chart.join("templates")).expect("mkdir");
    std::fs::write(chart.join("Chart.yaml"), "apiVersion: v2\nname: c\nversion: 0.1.0\n")
        .expect("write");
    let deps = home.join("deps");
    std::fs::create_dir_all(&deps).expect("mkdir");
    std::fs::write(
        deps.join("Chart.yaml"),
        "apiVersion: v2\nname: deps\nversion: 1.0.0\ndependencies:\n- name: foo\n  version: 1.0.0\n  repository: https://x\n- name: bar\n  version: 1.0.0\n  repository: https://x\n",
    )
    .expect("write");
    std::fs::create_dir_all(home.join("empty")).expect("mkdir");
    std::fs::write(home.join("file"), "x").expect("write");
    let dest = home.join("out");

    let cases: Vec<(&str, PathBuf, PackageOptions)> = vec![
        ("bad version", chart.clone(), PackageOptions::new().with_version("bad")),
        ("1.2.3.4", chart.clone(), PackageOptions::new().with_version("1.2.3.4")),
        ("missing dir", home.join("nope"), PackageOptions::new()),
        ("no Chart.yaml", home.join("empty"), PackageOptions::new()),
        ("a file", home.join("file"), PackageOptions::new()),
        ("missing deps", deps, PackageOptions::new()),
        (
            "dest is a file",
            chart.clone(),
            PackageOptions::new().with_destination(home.join("file")),
        ),
        ("loose version", chart.clone(), PackageOptions::new().with_version("v1.2")),
        ("app version", chart.clone(), PackageOptions::new().with_app_version("x y")),
    ];
    let mut failures = Vec::new();
    for (what, path, opts) in cases {
        let d = opts.destination.clone().unwrap_or_else(|| dest.clone());
        let ours = package_dir(&path, &opts.clone().with_destination(d.clone()));
        let mut args = vec![
            "package".to_owned(),
            path.to_string_lossy().into_owned(),
            "-d".into(),
            d.to_string_lossy().into_owned(),
        ];
        if let Some(v) = &opts.version {
            args.extend(["--version".into(), v.clone()]);
        }
        if let Some(v) = &opts.app_version {
            args.extend(["--app-version".into(), v.clone()]);
        }
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = helm_cmd(&args, home);
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        match ours {
            Ok(p) => {
                let said =
                    format!("Successfully packaged chart and saved it to: {}\n", p.display());
                if !out.status.success() || stdout != said {
                    failures
                        .push(format!("{what}: we wrote {p:?}, helm said {stdout:?} {stderr:?}"));
                }
            }
            Err(e) => {
                let expected = format!("Error: {e}\n");
                if out.status.success() || stderr != expected {
                    failures.push(format!("{what}: helm said {stderr:?}, we say {expected:?}"));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

fn write(root: &Path, rel: &str, data: &str) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
    std::fs::write(p, data).expect("write");
}

/// Packages `dir` with us and with helm (same options) and compares the archives.
fn same_as_helm(dir: &Path, opts: &PackageOptions, home: &Path) -> Result<(), String> {
    let ours_dir = home.join("ours");
    let helm_dir = home.join("helm");
    let _ = std::fs::remove_dir_all(&ours_dir);
    let _ = std::fs::remove_dir_all(&helm_dir);
    let ours = package_dir(dir, &opts.clone().with_destination(&ours_dir))
        .map_err(|e| format!("package_dir: {e}"))?;
    let mut args = vec![
        "package".to_owned(),
        dir.to_string_lossy().into_owned(),
        "-d".into(),
        helm_dir.to_string_lossy().into_owned(),
    ];
    if let Some(v) = &opts.version {
        args.extend(["--version".into(), v.clone()]);
    }
    if let Some(v) = &opts.app_version {
        args.extend(["--app-version".into(), v.clone()]);
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = helm_cmd(&args, home);
    if !out.status.success() {
        return Err(format!("helm package: {}", String::from_utf8_lossy(&out.stderr)));
    }
    let helms = helm_dir.join(ours.file_name().ok_or("no file name")?);
    let (a, b) = (std::fs::read(&ours).map_err(|e| e.to_string())?, std::fs::read(&helms));
    compare_archives(&a, &b.map_err(|e| format!("{}: {e}", helms.display()))?)
}

#[test]
fn edge_cases_match_helm() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let home = tmp.path();
    let mut failures = Vec::new();

    // Metadata with every field, numbers where strings go, and overrides.
    let full = home.join("full");
    write(
        &full,
        "Chart.yaml",
        "apiVersion: v2\nname: full\nversion: 1.2.3-rc.1+meta\nappVersion: 1.10\nkubeVersion: '>=1.20.0-0'\n\
         description: \"a <b> & c: d\\n  e\"\nhome: https://example.com\nicon: https://example.com/i.png\n\
         sources: [https://a, https://b]\nkeywords: [web, 3, yes]\ndeprecated: true\ntype: application\n\
         maintainers:\n- name: Me\n  email: me@example.com\n- name: You\n  url: https://you\n\
         annotations:\n  z: last\n  a: 'on'\n  n: 0x10\n  long: \"a long annotation value that goes on and on past the column limit of go-yaml, so it folds\"\n\
         condition: x.enabled\ntags: a,b\n\
         dependencies:\n- name: sub\n  version: ~0.1.0\n  repository: file://../sub\n  alias: other\n  condition: sub.enabled\n  tags: [t1]\n  import-values:\n  - child: a\n    parent: b\n  - data\n\
         foo: ignored\n",
    );
    write(&full, "values.yaml", "# no trailing newline\nx: 1");
    write(&full, "values.schema.json", "{\"type\": \"object\"}\n");
    write(&full, "templates/cm.yaml", "kind: ConfigMap\n");
    write(&full, "charts/sub/Chart.yaml", "apiVersion: v2\nname: sub\nversion: 0.1.0\n");
    write(&full, "charts/sub/templates/x.yaml", "x");
    let long = format!("files/{}/{}.txt", "d".repeat(110), "f".repeat(40));
    write(&full, &long, "long path");
    write(&full, &format!("files/{}.txt", "g".repeat(120)), "unsplittable");
    write(&full, "files/ünïcode-名前.txt", "utf-8 name");
    write(&full, "files/empty.txt", "");
    write(&full, "files/block.bin", &"z".repeat(1024));
    for (what, opts) in [
        ("full", PackageOptions::new()),
        ("overrides", PackageOptions::new().with_version("v2.0").with_app_version("2.0 beta")),
    ] {
        if let Err(e) = same_as_helm(&full, &opts, home) {
            failures.push(format!("{what}: {e}"));
        }
    }

    // A subchart kept as an archive is written expanded, under its chart name.
    let parent = home.join("parent");
    write(&parent, "Chart.yaml", "apiVersion: v2\nname: parent\nversion: 0.1.0\n");
    write(
        &parent,
        "Chart.lock",
        "dependencies:\n- name: sub\n  repository: file://x\n  version: 0.1.0\ndigest: sha256:00\ngenerated: \"2024-05-06T07:08:09.500000000+00:00\"\n",
    );
    write(&parent, "templates/a.yaml", "a");
    let sub = home.join("subsrc");
    write(&sub, "Chart.yaml", "apiVersion: v2\nname: packed\nversion: 0.3.0\n");
    write(&sub, "values.yaml", "v: 1\n");
    write(&sub, "templates/s.yaml", "s");
    std::fs::create_dir_all(parent.join("charts")).expect("mkdir");
    package_dir(&sub, &PackageOptions::new().with_destination(parent.join("charts")))
        .expect("sub packaged");
    write(&parent, "charts/plain/Chart.yaml", "apiVersion: v2\nname: renamed\nversion: 1.0.0\n");
    if let Err(e) = same_as_helm(&parent, &PackageOptions::new(), home) {
        failures.push(format!("subchart archive: {e}"));
    }

    // v1 chart: dependencies stay in requirements.yaml, the lock is not re-written.
    let v1 = home.join("v1");
    write(&v1, "Chart.yaml", "apiVersion: v1\nname: old\nversion: 0.1.0\n");
    write(
        &v1,
        "requirements.yaml",
        "dependencies:\n- name: dep\n  version: 1.0.0\n  repository: https://x\n",
    );
    write(
        &v1,
        "requirements.lock",
        "dependencies:\n- name: dep\n  version: 1.0.0\n  repository: https://x\ndigest: sha256:11\ngenerated: 2024-01-01T00:00:00Z\n",
    );
    write(&v1, "charts/dep/Chart.yaml", "name: dep\nversion: 1.0.0\n");
    if let Err(e) = same_as_helm(&v1, &PackageOptions::new(), home) {
        failures.push(format!("v1: {e}"));
    }

    // The comparison itself notices differences.
    if same_as_helm(&v1, &PackageOptions::new(), home).is_ok() {
        let ours = package_dir(&v1, &PackageOptions::new().with_destination(home.join("x1")))
            .expect("packaged");
        let other = package_dir(
            &v1,
            &PackageOptions::new().with_destination(home.join("x2")).with_app_version("9"),
        )
        .expect("packaged");
        let (a, b) = (std::fs::read(ours).expect("read"), std::fs::read(other).expect("read"));
        if compare_archives(&a, &b).is_ok() {
            failures.push("compare_archives missed a difference".into());
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}
