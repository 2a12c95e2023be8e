//! Properties of the clear-signed message reader.

use chart_provenance::{ClearSigned, Keyring, dash_escape, verify};
use proptest::prelude::*;

/// Wraps escaped text in a clear-signed envelope with an empty signature.
fn envelope(escaped: &str) -> String {
    format!(
        "-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA512\n\n{escaped}\n\
         -----BEGIN PGP SIGNATURE-----\n\n\n-----END PGP SIGNATURE-----"
    )
}

proptest! {
    /// Dash-escaping then reading back gives the text, with line-end white space dropped.
    #[test]
    fn dash_escape_round_trip(lines in proptest::collection::vec("[-a-z :\t]{0,12}", 0..8)) {
        let text: String = lines.iter().map(|l| format!("{l}\n")).collect();
        let msg = ClearSigned::parse(envelope(&dash_escape(&text)).as_bytes()).expect("parses");
        let want: String = lines
            .iter()
            .map(|l| format!("{}\n", l.trim_end_matches([' ', '\t'])))
            .collect::<String>() + "\n";
        prop_assert_eq!(String::from_utf8_lossy(msg.plaintext()), want);
    }

    /// The reader and the verifier never panic, whatever the bytes.
    #[test]
    fn never_panics(data in proptest::collection::vec(any::<u8>(), 0..600)) {
        let _ = ClearSigned::parse(&data);
        let _ = verify(b"x", &data, "x.tgz", &Keyring::new());
        let _ = Keyring::from_bytes(&data);
    }

    /// Garbage inside a valid envelope never panics either.
    #[test]
    fn never_panics_in_envelope(body in "[ -~\n]{0,200}", sig in "[A-Za-z0-9+/=\n]{0,300}") {
        let prov = format!(
            "-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA512\n\n{body}\n\
             -----BEGIN PGP SIGNATURE-----\n\n{sig}\n-----END PGP SIGNATURE-----"
        );
        let _ = verify(b"x", prov.as_bytes(), "x.tgz", &Keyring::new());
    }
}
