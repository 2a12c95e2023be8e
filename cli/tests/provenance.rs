//! `chartkit verify` / `package --sign` / `template --verify` against the real helm 4.1.4:
//! every tamper case of `../shared/provenance-fixtures/tamper` must print what helm printed
//! (its `EXPECT`), and helm must verify what chartkit signs, with both TEST-ONLY keys, for
//! every corpus chart.
//!
//! The tamper suite asserts a pass-count floor kept in `tests/floors/provenance_tamper.txt`
//! and prints the failing case ids. One case is a deliberate, documented exception (see
//! COMPATIBILITY.md, "Provenance"): `26-keyring-armored`, where helm 4.1.4 cannot read an
//! ASCII-armored keyring and chartkit can, so chartkit verifies the chart.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

mod support;
use support::{helm, shared};

fn fixtures() -> PathBuf {
    shared().join("provenance-fixtures")
}

fn chartkit(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_chartkit"))
        .args(args)
        .current_dir(dir)
        .env("HOME", dir)
        .output()
        .expect("chartkit runs")
}

/// stdout + stderr + `exit=N`, as the EXPECT files record helm's run.
fn transcript(out: &Output) -> String {
    format!(
        "{}{}exit={}\n",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
        out.status.code().unwrap_or(-1)
    )
}

/// Cases where chartkit deliberately accepts more than helm, with what chartkit prints.
fn exception(case: &str, dir: &Path) -> Option<String> {
    match case {
        // helm 4.1.4 reads only binary keyrings; chartkit also reads ASCII armor.
        "26-keyring-armored" => {
            let ok = std::fs::read_to_string(dir.join("../00-pristine/EXPECT")).ok()?;
            Some(ok.split_once('\n')?.1.to_string())
        }
        _ => None,
    }
}

fn floor(name: &str) -> usize {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/floors").join(format!("{name}.txt"));
    let text = std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    text.trim().parse().unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

#[test]
fn tamper_cases_match_helm() {
    let root = fixtures().join("tamper");
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&root)
        .expect("tamper dir")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("EXPECT").is_file())
        .collect();
    cases.sort();
    let mut failures = Vec::new();
    let mut exceptions = 0;
    for dir in &cases {
        let case = dir.file_name().expect("name").to_string_lossy().into_owned();
        let expect = std::fs::read_to_string(dir.join("EXPECT")).expect("EXPECT");
        let helm_out = expect.split_once('\n').map(|(_, rest)| rest).unwrap_or("").to_string();
        let tgz = std::fs::read_dir(dir)
            .expect("case dir")
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .find(|n| n.ends_with(".tgz"))
            .expect("a .tgz");
        let out = chartkit(&["verify", &tgz, "--keyring", "pubring.gpg"], dir);
        let got = transcript(&out);
        let want = match exception(&case, dir) {
            Some(w) => {
                exceptions += 1;
                w
            }
            None => helm_out,
        };
        if got != want {
            failures.push(format!("{case}\n--- helm\n{want}--- chartkit\n{got}"));
        }
    }
    let total = cases.len();
    let passed = total - failures.len();
    eprintln!("provenance tamper: {passed}/{total} passed ({exceptions} documented exception)");
    for f in &failures {
        eprintln!("  FAIL {f}");
    }
    assert_eq!(total, 33, "the fixture set has 33 cases");
    let floor = floor("provenance_tamper");
    assert!(passed >= floor, "{passed} passed, below the floor of {floor}");
}

#[test]
fn verify_prints_helms_lines_for_signed_fixtures() {
    for (dir, tgz, ring) in [
        ("rsa", "tiny-0.1.0.tgz", "rsa-pubring.gpg"),
        ("rsa", "rich-1.2.3-rc.1+build.5.tgz", "rsa-pubring.gpg"),
        ("ed25519", "tiny-0.1.0.tgz", "ed25519-pubring.gpg"),
    ] {
        let d = fixtures().join("signed").join(dir);
        let keyring = fixtures().join("TEST-ONLY-KEYS").join(ring);
        let keyring = keyring.to_str().expect("utf-8 path");
        let ours = chartkit(&["verify", tgz, "--keyring", keyring], &d);
        let theirs = Command::new(helm())
            .args(["verify", tgz, "--keyring", keyring])
            .current_dir(&d)
            .output();
        let theirs = theirs.expect("helm runs");
        assert_eq!(transcript(&ours), transcript(&theirs), "{dir}/{tgz}");
    }
}

/// Every chart directory of the corpus.
fn corpus_charts() -> Vec<PathBuf> {
    let mut charts: Vec<PathBuf> = std::fs::read_dir(shared().join("corpus/charts"))
        .expect("corpus/charts")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("Chart.yaml").is_file())
        .collect();
    charts.sort();
    charts
}

#[test]
fn helm_verifies_what_chartkit_signs() {
    let keys = fixtures().join("TEST-ONLY-KEYS");
    let tmp = tempfile::tempdir().expect("tmp");
    let mut runs = 0;
    let mut failures = Vec::new();
    for chart in corpus_charts() {
        let name = chart.file_name().expect("name").to_string_lossy().into_owned();
        for (key, secring, pubring) in [
            ("Chartkit Test RSA", "rsa-secring.gpg", "rsa-pubring.gpg"),
            ("Chartkit Test Ed25519", "ed25519-secring.asc", "ed25519-pubring.gpg"),
        ] {
            let dest = tmp.path().join(format!("{name}-{secring}"));
            let out = chartkit(
                &[
                    "package",
                    chart.to_str().expect("utf-8"),
                    "-d",
                    dest.to_str().expect("utf-8"),
                    "--sign",
                    "--key",
                    key,
                    "--keyring",
                    keys.join(secring).to_str().expect("utf-8"),
                ],
                tmp.path(),
            );
            runs += 1;
            if !out.status.success() {
                failures.push(format!("{name} ({key}): package: {}", transcript(&out)));
                continue;
            }
            let tgz = std::fs::read_dir(&dest)
                .expect("dest")
                .filter_map(|e| e.ok().map(|e| e.path()))
                .find(|p| p.extension().is_some_and(|e| e == "tgz"))
                .expect("archive written");
            let ring = keys.join(pubring);
            let helm_out = Command::new(helm())
                .arg("verify")
                .arg(&tgz)
                .arg("--keyring")
                .arg(&ring)
                .output()
                .expect("helm runs");
            let ours = Command::new(env!("CARGO_BIN_EXE_chartkit"))
                .arg("verify")
                .arg(&tgz)
                .arg("--keyring")
                .arg(&ring)
                .output()
                .expect("chartkit runs");
            if !helm_out.status.success() || transcript(&helm_out) != transcript(&ours) {
                failures.push(format!(
                    "{name} ({key}):\n--- helm\n{}--- chartkit\n{}",
                    transcript(&helm_out),
                    transcript(&ours)
                ));
            }
        }
    }
    eprintln!("helm verifies chartkit's signature: {}/{runs}", runs - failures.len());
    for f in &failures {
        eprintln!("  FAIL {f}");
    }
    assert!(runs >= 70, "{runs} signing runs");
    assert!(failures.is_empty(), "{} failures", failures.len());
}

#[test]
fn template_verify_checks_before_rendering() {
    let keys = fixtures().join("TEST-ONLY-KEYS");
    let signed = fixtures().join("signed/rsa/tiny-0.1.0.tgz");
    let signed = signed.to_str().expect("utf-8");
    let tmp = tempfile::tempdir().expect("tmp");
    for ring in ["rsa-pubring.gpg", "ed25519-pubring.gpg"] {
        let ring = keys.join(ring);
        let args =
            ["template", "rel", signed, "--verify", "--keyring", ring.to_str().expect("utf-8")];
        let ours = chartkit(&args, tmp.path());
        let theirs =
            Command::new(helm()).args(args).current_dir(tmp.path()).output().expect("helm");
        assert_eq!(transcript(&ours), transcript(&theirs), "{}", ring.display());
    }
    // Verification comes before the release name check, and refuses chart directories.
    let ring = keys.join("ed25519-pubring.gpg");
    let ring = ring.to_str().expect("utf-8");
    let dir = fixtures().join("charts/tiny");
    for args in [
        ["template", "Bad_Name", signed, "--verify", "--keyring", ring],
        ["template", "rel", dir.to_str().expect("utf-8"), "--verify", "--keyring", ring],
    ] {
        let ours = chartkit(&args, tmp.path());
        let theirs =
            Command::new(helm()).args(args).current_dir(tmp.path()).output().expect("helm");
        assert_eq!(transcript(&ours), transcript(&theirs), "{args:?}");
    }
}

#[test]
fn sign_with_passphrase_file_and_errors() {
    let keys = fixtures().join("TEST-ONLY-KEYS");
    let tmp = tempfile::tempdir().expect("tmp");
    let chart = fixtures().join("charts/tiny");
    let secring = keys.join("secring.gpg");
    let pass = tmp.path().join("pass.txt");
    std::fs::write(&pass, "unused\n").expect("write");
    let base = [
        "package",
        chart.to_str().expect("utf-8"),
        "-d",
        "out",
        "--sign",
        "--keyring",
        secring.to_str().expect("utf-8"),
    ];
    // An unprotected key ignores the passphrase file.
    let mut args = base.to_vec();
    args.extend(["--key", "rsa@chartkit.test", "--passphrase-file", pass.to_str().expect("p")]);
    let out = chartkit(&args, tmp.path());
    assert!(out.status.success(), "{}", transcript(&out));
    assert!(tmp.path().join("out/tiny-0.1.0.tgz.prov").is_file());
    // Several keys match: helm's error.
    let mut args = base.to_vec();
    args.extend(["--key", "chartkit.test"]);
    let ours = chartkit(&args, tmp.path());
    let theirs = Command::new(helm()).args(&args).current_dir(tmp.path()).output().expect("helm");
    assert_eq!(transcript(&ours), transcript(&theirs));
}

/// A throwaway key pair made for the test, its secret key protected by `passphrase`:
/// (binary secret keyring, binary public keyring).
fn protected_key(passphrase: &str) -> (Vec<u8>, Vec<u8>) {
    use sequoia_openpgp::cert::{CertBuilder, CipherSuite};
    use sequoia_openpgp::serialize::SerializeInto;
    use sequoia_openpgp::types::KeyFlags;
    let (cert, _) = CertBuilder::new()
        .set_cipher_suite(CipherSuite::Cv25519)
        .set_primary_key_flags(KeyFlags::empty().set_signing().set_certification())
        .add_userid("Protected Test (TEST ONLY - throwaway) <protected@chartkit.test>")
        .set_password(Some(passphrase.into()))
        .generate()
        .expect("key generates");
    (cert.as_tsk().to_vec().expect("tsk"), cert.to_vec().expect("public"))
}

#[test]
fn passphrase_protected_key_like_helm() {
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path();
    let (secret, public) = protected_key("s3cret pass");
    std::fs::write(dir.join("secring.gpg"), secret).expect("write");
    std::fs::write(dir.join("pubring.gpg"), public).expect("write");
    std::fs::write(dir.join("good.txt"), "s3cret pass\nsecond line ignored\n").expect("write");
    std::fs::write(dir.join("bad.txt"), "wrong\n").expect("write");
    let chart = fixtures().join("charts/tiny");
    let chart = chart.to_str().expect("utf-8");
    let sign = |out: &str, pass: &str| {
        vec![
            "package".to_string(),
            chart.into(),
            "-d".into(),
            out.into(),
            "--sign".into(),
            "--key".into(),
            "protected@".into(),
            "--keyring".into(),
            "secring.gpg".into(),
            "--passphrase-file".into(),
            pass.into(),
        ]
    };
    // A wrong passphrase or a missing passphrase file fails as helm fails.
    for pass in ["bad.txt", "missing.txt"] {
        let args = sign("out-bad", pass);
        let ours = chartkit(&args.iter().map(String::as_str).collect::<Vec<_>>(), dir);
        let theirs = Command::new(helm()).args(&args).current_dir(dir).output().expect("helm");
        assert!(!ours.status.success());
        eprintln!("{pass}: helm says {}", String::from_utf8_lossy(&theirs.stderr).trim_end());
        assert_eq!(
            String::from_utf8_lossy(&ours.stderr),
            String::from_utf8_lossy(&theirs.stderr),
            "{pass}"
        );
    }
    // The right one, from a file and from stdin; helm verifies both.
    let args = sign("out-file", "good.txt");
    let out = chartkit(&args.iter().map(String::as_str).collect::<Vec<_>>(), dir);
    assert!(out.status.success(), "{}", transcript(&out));
    let args = sign("out-stdin", "-");
    let mut child = Command::new(env!("CARGO_BIN_EXE_chartkit"))
        .args(&args)
        .current_dir(dir)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("chartkit runs");
    {
        use std::io::Write as _;
        let mut stdin = child.stdin.take().expect("stdin");
        stdin.write_all(b"s3cret pass\n").expect("write stdin");
    }
    let out = child.wait_with_output().expect("chartkit ends");
    assert!(out.status.success(), "{}", transcript(&out));
    for d in ["out-file", "out-stdin"] {
        let tgz = dir.join(d).join("tiny-0.1.0.tgz");
        let theirs = Command::new(helm())
            .arg("verify")
            .arg(&tgz)
            .args(["--keyring", "pubring.gpg"])
            .current_dir(dir)
            .output()
            .expect("helm");
        assert!(theirs.status.success(), "{d}: {}", transcript(&theirs));
    }
}
