//! Feeds arbitrary bytes to the provenance reader: as a whole `.prov` file, wrapped in a
//! clear-signed envelope (so the bytes reach the armor, base64 and packet readers), and as a
//! keyring. Nothing may panic, hang or allocate without bound.

#![no_main]

use chart_provenance::{ClearSigned, Keyring, parse_body, verify};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let empty = Keyring::new();
    if let Ok(msg) = ClearSigned::parse(data) {
        let _ = parse_body(msg.plaintext());
    }
    let _ = verify(b"archive", data, "x-1.0.0.tgz", &empty);

    // The bytes as the signature armor's body, and as the signed text.
    let text = String::from_utf8_lossy(data);
    let as_sig = format!(
        "-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA512\n\nname: x\n\n...\nfiles: {{}}\n\n\
         -----BEGIN PGP SIGNATURE-----\n\n{text}\n-----END PGP SIGNATURE-----"
    );
    let _ = verify(b"archive", as_sig.as_bytes(), "x-1.0.0.tgz", &empty);
    let as_text = format!(
        "-----BEGIN PGP SIGNED MESSAGE-----\n\n{text}\n-----BEGIN PGP SIGNATURE-----\n\n\
         wsE5BAEBCgBtBYJrASCO\n-----END PGP SIGNATURE-----"
    );
    if let Ok(msg) = ClearSigned::parse(as_text.as_bytes()) {
        let _ = parse_body(msg.plaintext());
    }

    // The bytes as a keyring, then verifying with it.
    if let Ok(ring) = Keyring::from_bytes(data) {
        let _ = ring.keys();
        let _ = verify(b"archive", as_sig.as_bytes(), "x-1.0.0.tgz", &ring);
    }
});
