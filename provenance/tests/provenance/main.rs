//! chart-provenance against the `.prov` files real helm 4.1.4 made
//! (`../shared/provenance-fixtures`): verification, the signed text byte for byte, signing with
//! the TEST-ONLY keys, key selection, and properties of the parser.

use std::path::{Path, PathBuf};

use chart_provenance::{
    ClearSigned, Keyring, ProvenanceError, SignOptions, metadata_yaml, provenance_body,
    sign_archive, verify,
};

mod props;

fn shared() -> PathBuf {
    std::env::var_os("CHARTKIT_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared"))
}

fn fixtures() -> PathBuf {
    shared().join("provenance-fixtures")
}

fn keys(name: &str) -> Keyring {
    let p = fixtures().join("TEST-ONLY-KEYS").join(name);
    Keyring::from_file(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn read(p: &Path) -> Vec<u8> {
    std::fs::read(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

const RSA_FPR: &str = "3547BDBB9D6D25130FF3985E971A6DFA30CE3471";
const ED_FPR: &str = "1F4E24B802C7354B4860056AB35BAB0BAAEFF29E";
const RSA_UID: &str = "Chartkit Test RSA (TEST ONLY - throwaway) <rsa@chartkit.test>";
const ED_UID: &str = "Chartkit Test Ed25519 (TEST ONLY - throwaway) <ed25519@chartkit.test>";

/// Every signed fixture: (key dir, archive name, fingerprint, user id).
fn signed() -> Vec<(&'static str, &'static str, &'static str, &'static str)> {
    vec![
        ("rsa", "tiny-0.1.0.tgz", RSA_FPR, RSA_UID),
        ("rsa", "rich-1.2.3-rc.1+build.5.tgz", RSA_FPR, RSA_UID),
        ("ed25519", "tiny-0.1.0.tgz", ED_FPR, ED_UID),
    ]
}

#[test]
fn verifies_every_signed_fixture() {
    let mut total = 0;
    for (dir, name, fpr, uid) in signed() {
        let d = fixtures().join("signed").join(dir);
        let archive = read(&d.join(name));
        let prov = read(&d.join(format!("{name}.prov")));
        for ring in
            [format!("{dir}-pubring.gpg"), "pubring.gpg".into(), format!("{dir}-pubring.asc")]
        {
            let v = verify(&archive, &prov, name, &keys(&ring))
                .unwrap_or_else(|e| panic!("{dir}/{name} with {ring}: {e}"));
            assert_eq!(v.signer.fingerprint, fpr);
            assert_eq!(v.signer.user_ids, [uid]);
            assert_eq!(v.file_hash, format!("sha256:{}", chart_provenance::digest(&archive)));
            let md = v.metadata.expect("metadata");
            assert!(name.starts_with(&format!("{}-{}", md.name, md.version)));
            total += 1;
        }
    }
    assert_eq!(total, 9);
}

#[test]
fn helm_report_lines() {
    let d = fixtures().join("signed/rsa");
    let v = verify(
        &read(&d.join("tiny-0.1.0.tgz")),
        &read(&d.join("tiny-0.1.0.tgz.prov")),
        "tiny-0.1.0.tgz",
        &keys("rsa-pubring.gpg"),
    )
    .expect("verifies");
    assert_eq!(
        v.helm_report(),
        format!(
            "Signed by: {RSA_UID}\nUsing Key With Fingerprint: {RSA_FPR}\nChart Hash Verified: \
             sha256:26408997897d3f50f7e40efc1982daa3ac0d07a136201d2a59ea349b232f35e9\n"
        )
    );
}

/// The text between the `Hash:` header's blank line and the signature, as in the file.
fn text_part(prov: &str) -> &str {
    let start = prov.find("\n\n").expect("header end") + 2;
    let end = prov.find("-----BEGIN PGP SIGNATURE-----").expect("signature");
    &prov[start..end]
}

#[test]
fn signed_text_is_helms_byte_for_byte() {
    for (dir, name, _, _) in signed() {
        let d = fixtures().join("signed").join(dir);
        let archive = read(&d.join(name));
        let prov = String::from_utf8(read(&d.join(format!("{name}.prov")))).expect("utf-8");
        let chart = chart_core::chart::load_bytes(&archive).expect("loads");
        let body = provenance_body(&metadata_yaml(&chart.metadata).expect("yaml"), name, &archive);
        assert_eq!(
            format!("{}\n", chart_provenance::dash_escape(&body)),
            text_part(&prov),
            "{dir}/{name}"
        );
        let msg = ClearSigned::parse(prov.as_bytes()).expect("parses");
        assert_eq!(msg.plaintext(), format!("{body}\n").as_bytes());
    }
}

#[test]
fn signs_like_helm_with_both_test_keys() {
    let secring = keys("secring.gpg");
    let pubring = keys("pubring.gpg");
    for (dir, name, _, _) in signed() {
        let d = fixtures().join("signed").join(dir);
        let archive = read(&d.join(name));
        let helm_prov = String::from_utf8(read(&d.join(format!("{name}.prov")))).expect("utf-8");
        for (uid, fpr) in [("Chartkit Test RSA", RSA_FPR), ("ed25519@chartkit.test", ED_FPR)] {
            let key = secring.signing_key(uid).expect("key");
            let ours = sign_archive(&archive, name, &key, &SignOptions::default()).expect("signs");
            assert!(ours.starts_with("-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA512\n\n"));
            assert!(ours.ends_with("\n-----END PGP SIGNATURE-----"));
            assert_eq!(text_part(&ours), text_part(&helm_prov), "{name} by {uid}");
            let v = verify(&archive, ours.as_bytes(), name, &pubring).expect("verifies");
            assert_eq!(v.signer.fingerprint, fpr);
            // Any byte of the text changed breaks the signature.
            let tampered = ours.replacen("name: ", "name: x", 1);
            let err = verify(&archive, tampered.as_bytes(), name, &pubring).expect_err("tampered");
            assert!(matches!(err, ProvenanceError::InvalidSignature { .. }), "{err}");
        }
    }
}

#[test]
fn key_selection_as_helm() {
    let secring = keys("secring.gpg");
    let err = secring.signing_key("chartkit.test").expect_err("two keys match");
    assert_eq!(err.to_string(), "more than one key contain the id \"chartkit.test\"");
    assert_eq!(
        secring.signing_key("nobody").expect_err("no key").to_string(),
        "private key not found"
    );
    assert_eq!(secring.signing_key(RSA_UID).expect("exact").fingerprint(), RSA_FPR);
    assert_eq!(secring.signing_key("Ed25519").expect("part").fingerprint(), ED_FPR);
    let pubring = keys("rsa-pubring.gpg");
    let key = pubring.signing_key("RSA").expect("found");
    let err = sign_archive(b"", "x.tgz", &key, &SignOptions::default()).expect_err("public");
    assert_eq!(
        err.to_string(),
        "provided key is not a private key. Try providing a keyring with secret keys"
    );
    let armored = keys("rsa-secring.asc");
    assert!(armored.keys()[0].has_secret);
}

#[test]
fn keyrings_helm_cannot_read() {
    let kbx = b"\x00\x00\x00\x20\x01\x01\x00\x00KBXf";
    assert_eq!(
        Keyring::from_bytes(kbx).expect_err("keybox").to_string(),
        "openpgp: invalid data: tag byte does not have MSB set"
    );
    assert!(Keyring::from_bytes(b"").expect("empty").is_empty());
    let mut both = read(&fixtures().join("TEST-ONLY-KEYS/rsa-pubring.asc"));
    both.extend(read(&fixtures().join("TEST-ONLY-KEYS/ed25519-pubring.asc")));
    let ring = Keyring::from_bytes(&both).expect("two armored blocks");
    let fprs: Vec<_> = ring.keys().into_iter().map(|k| k.fingerprint).collect();
    assert_eq!(fprs, [RSA_FPR, ED_FPR]);
}

#[test]
fn tamper_cases_as_library_errors() {
    // The CLI suite compares full output; here, that every case reaches a typed error or not.
    let dir = fixtures().join("tamper");
    let mut ran = 0;
    for entry in std::fs::read_dir(&dir).expect("tamper dir") {
        let case = entry.expect("entry").path();
        if !case.is_dir() {
            continue;
        }
        let expect = std::fs::read_to_string(case.join("EXPECT")).expect("EXPECT");
        let Some(tgz) = std::fs::read_dir(&case)
            .expect("case")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .find(|p| p.extension().is_some_and(|e| e == "tgz"))
        else {
            continue;
        };
        let Ok(prov) = std::fs::read(format!("{}.prov", tgz.display())) else { continue };
        let Ok(ring) = Keyring::from_file(case.join("pubring.gpg")) else { continue };
        let name = tgz.file_name().expect("name").to_string_lossy().into_owned();
        let got = verify(&read(&tgz), &prov, &name, &ring);
        // Documented exception (COMPATIBILITY.md): chartkit reads the armored keyring helm
        // 4.1.4 refuses, so it verifies the chart.
        let armored = case.ends_with("26-keyring-armored");
        let want_ok = expect.starts_with("ok") || armored;
        match got {
            Ok(_) => assert!(want_ok, "{}: verified, helm failed", case.display()),
            Err(e) => {
                assert!(!want_ok, "{}: {e}", case.display());
                assert!(expect.contains(&format!("Error: {e}\n")), "{}: {e}", case.display());
            }
        }
        ran += 1;
    }
    assert!(ran >= 30, "{ran} cases ran");
}
