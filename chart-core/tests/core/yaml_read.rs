//! The YAML reader against helm: the shared conformance cases, a no-panic property, and a
//! differential run of real helm over tricky snippets.

use std::path::Path;
use std::process::Command;

use chart_core::Value;
use chart_core::yaml::{parse_document, parse_values};
use proptest::prelude::*;

use super::support::{check_floor, helm, shared_dir};

/// Helm's prefix for a values.yaml that does not load.
const VALUES_ERROR: &str = "Error: cannot load values.yaml: cannot unmarshal yaml document: ";

#[test]
fn yaml_cases_conformance() {
    let path = shared_dir().join("conformance/yaml-cases.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let cases: Vec<serde_json::Value> =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut failures = Vec::new();
    for case in &cases {
        let id = case["id"].as_str().unwrap_or("?");
        let yaml = case["yaml"].as_str().unwrap_or_default();
        let got = parse_values(yaml);
        let ok = match (&got, case.get("json"), case.get("error")) {
            (Ok(v), Some(want), _) => *v == Value::from_json(want.clone()),
            (Err(e), _, Some(want)) => {
                format!("{VALUES_ERROR}{}", e.message) == want.as_str().unwrap_or_default()
            }
            _ => false,
        };
        if !ok {
            let got = match &got {
                Ok(v) => v.to_json(false).unwrap_or_else(|e| e.to_string()),
                Err(e) => format!("error: {}", e.message),
            };
            failures.push(format!("{id}: got {got}"));
        }
    }
    check_floor("yaml_read", cases.len(), &failures);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    /// Arbitrary text never panics the reader.
    #[test]
    fn arbitrary_text_never_panics(s in "\\PC*") {
        let _ = parse_values(&s);
        let _ = parse_document(&s);
    }

    /// YAML-looking text, built from the characters that matter to the scanner, never panics.
    #[test]
    fn yamlish_text_never_panics(s in "([ \\t\\n\\r]|[-?:,\\[\\]{}#&*!|>'\"%@`<=~.]|[a-z0-9]|yes|null|<<|---|\\.\\.\\.|!!str|!!binary|&a|\\*a|0x1F|1e3|\\\\x4|\\\\u00e9){0,60}") {
        let _ = parse_values(&s);
        let _ = parse_document(&s);
    }

    /// Well-formed nested documents read back without panicking, whatever the indentation.
    #[test]
    fn structured_yaml_never_panics(lines in proptest::collection::vec(
        ("[ ]{0,6}", "(- )?", "[a-z<]{1,3}", "(: )?", "(~|yes|1_0|0o7|.inf|'q'|\"\\\\t\"|&a x|\\*a|\\[1, 2\\]|\\{a: 1\\}|\\||>-)?"),
        0..12,
    )) {
        let text: String = lines
            .into_iter()
            .map(|(indent, dash, key, colon, value)| format!("{indent}{dash}{key}{colon}{value}\n"))
            .collect();
        let _ = parse_values(&text);
        let _ = parse_document(&text);
    }
}

/// Tricky snippets (not in the shared cases) that helm must read, or refuse, exactly as we do.
const DIFFERENTIAL: &[&str] = &[
    // Scalars.
    "a: 0o17\nb: 0b101\nc: -0x1F\nd: +12\ne: 0755\nf: 08\ng: 1_000_000\nh: 1_\n",
    "a: 9223372036854775807\nb: 9223372036854775808\nc: -9223372036854775809\nd: 0xFFFFFFFFFFFFFFFF\n",
    "a: 1e400\nb: 1.\nc: -.5\nd: +.5e+3\ne: ._5\nf: 1e-400\ng: .Inf3\n",
    "a: 2001-12-14t21:59:43.10-05:00\nb: 2002-02-30\nc: !!timestamp 2001-12-14\n",
    "a: yes\nb: NO\nc: oN\nd: y\ne: ~\nf: Null\ng: nULL\nh: '~'\n",
    "a: !!float 0x10\nb: !!str yes\nc: !!bool TRUE\nd: !!null ''\ne: !custom 7\nf: ! 8\n",
    "a: !!binary |\n  aGVs\n  bG8=\nb: !!binary /w==\n",
    // Block scalars and folding.
    "a: |+\n  x\n\n\nb: >2\n   indented\n  more\n\n  para\nc: |-\n\n  x\n\n",
    "a: >\n  one\n\n   two\n  three\nb: >-\n\n  lead\n",
    "a: \"a\\\n  b\\tc\\x41\\u263A\\U0001F600\\N\\_\\e\"\nb: 'it''s\n\n  two'\n",
    "a: plain\n  continued\n  # not a comment\nb: x # comment\n",
    // Keys.
    "1.5: a\n1.0: b\n0x10: c\n.inf: d\n-.inf: e\n~x: f\n100000000: g\n1e10: h\n",
    "y: a\nyes: b\nn: c\nOff: d\n",
    "'<<': {a: 1}\n\"y\": 2\n",
    "a: 1\na: 2\nb: {c: 1}\nb: {d: 2}\n",
    // Anchors, aliases and merges.
    "base: &b {x: 1, z: 1}\nover: &o {x: 2, w: 2}\nm: {x: 0, <<: [*b, *o], w: 3}\n",
    "base: &b {k: 1}\nm:\n  k: 0\n  <<: *b\n",
    "s: &s str\nl: &l [1, *s]\nm: {a: *l, b: *s}\n",
    "a: &a {x: 1}\na2: *a\na: &a {x: 2}\nb: *a\n",
    "a: !!str &x 1\nb: &y !!int '2'\nc: *x\nd: *y\n",
    // Flow collections.
    "a: [1, two, {b: c}, [d], 'e', \"f\", ]\nb: {x: 1, y, z: }\n",
    "a: {b: [1,2], c: {d: e}}\nf: [? g, h: i]\n",
    "{a: 1, b: [x, y]}\n",
    // Documents.
    "a: 1\n---\nb: 2\n--- # comment\nc: 3\n---\n",
    "a: {x: 1, y: [1]}\n---\na: {z: 2, y: [2]}\n---\n~\n",
    "a: 1\n...\nignored: [\n",
    "\u{feff}a: 1\n",
    "a: 1\r\nb: |\r\n  x\r\n  y\r\n",
    "# only a comment\n---\n---\n",
    // Tabs where libyaml allows them.
    "a:\tb\nc: [1,\t2]\nd: x\ty\ne: 1\t# c\nf: \"x\n\ty\"\ng: x\n  \ty\n",
    // YAML 1.1 text that a YAML 1.2 parser refuses.
    "args: [\n  \"a\",\n\"b\"]\nq: \"it\\'s\"\nc: \"x\"#comment\nf: .5_5\n",
    "---\n# the separator stays in the document\na: 1\n",
    // Refused: each costs one more helm run.
    "a: [1]]\n",
    "a: b: c\n",
    "a:\n  b: 1\n c: 2\n",
    "a: [1, 2\n",
    "a: {x: 1\n",
    "a: \"x\n",
    "a: @x\n",
    "- a\nb: 1\n",
    "a: &a [*a]\n",
    "a: !!int 1.5\n",
    "a: !!binary aGVsbG8\n",
    "a: {<<: 1}\n",
    ".nan: 1\nb: .nan\n",
    "? [a, {b: 1}]\n: 1\n",
    "~: {b: [1, x]}\n",
    "a: 1\n--- b\n",
    "key\n",
    "a: \"\\q\"\n",
    "a: \"\\/\"\n",
    "hosts:\n  - *.example.com\n",
    "a: 1\n\t\nb: 2\n",
    "a:\n- \tb\n",
    "a: |\n  x\n\ty\n",
    "a: \u{1}\n",
    "...\na: 1\n",
    ": b\n",
    "{url: http://x.com/a?b=c}\n",
    "%YAML 1.2\n---\na: 1\n",
];

/// Writes a parent chart with one subchart per snippet; each subchart prints its values.
fn write_batch(dir: &Path, snippets: &[&str]) {
    let parent = dir.join("p");
    std::fs::create_dir_all(parent.join("templates")).expect("mkdir");
    std::fs::write(parent.join("Chart.yaml"), "apiVersion: v2\nname: p\nversion: 0.1.0\n")
        .expect("write");
    for (i, s) in snippets.iter().enumerate() {
        let sub = parent.join(format!("charts/s{i}"));
        std::fs::create_dir_all(sub.join("templates")).expect("mkdir");
        std::fs::write(
            sub.join("Chart.yaml"),
            format!("apiVersion: v2\nname: s{i}\nversion: 0.1.0\n"),
        )
        .expect("write");
        // Base64 in a comment, so that helm takes the JSON neither for a manifest (`kind: {...}`)
        // nor for YAML with line breaks (U+0085 is one in YAML 1.1).
        std::fs::write(
            sub.join("templates/t.yaml"),
            "# {{ toJson (omit .Values \"global\") | b64enc }}",
        )
        .expect("write");
        std::fs::write(sub.join("values.yaml"), s).expect("write");
    }
}

fn helm_template(dir: &Path) -> (bool, String, String) {
    let out =
        Command::new(helm()).arg("template").arg("r").arg(dir.join("p")).output().expect("helm");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Decodes standard padded base64 (helm's `b64enc`).
fn base64_decode(s: &str) -> Vec<u8> {
    let val = |c: u8| match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        _ => 63,
    };
    let mut out = Vec::new();
    for chunk in s.as_bytes().chunks(4) {
        let pad = chunk.iter().filter(|&&c| c == b'=').count();
        let n = chunk.iter().take(4 - pad).fold(0u32, |n, &c| (n << 6) | u32::from(val(c)));
        let n = n << (6 * pad);
        out.extend_from_slice(&[(n >> 16) as u8, (n >> 8) as u8, n as u8][..3 - pad]);
    }
    out
}

/// What we print for a snippet, in the form helm's output takes.
fn ours(snippet: &str) -> Result<String, String> {
    match parse_values(snippet) {
        Ok(mut v) => {
            if let Some(m) = v.as_map_mut() {
                m.remove("global");
            }
            v.to_json(true).map_err(|e| e.to_string())
        }
        Err(e) => Err(e.helm_message()),
    }
}

#[test]
fn differential_against_helm() {
    let tmp = tempfile::tempdir().expect("tempdir");
    write_batch(tmp.path(), DIFFERENTIAL);
    // Helm stops at the first subchart whose values do not load: record its error, drop it,
    // and run again until the rest renders.
    let mut helm_says: Vec<Option<Result<String, String>>> = vec![None; DIFFERENTIAL.len()];
    for _ in 0..=DIFFERENTIAL.len() {
        let (ok, stdout, stderr) = helm_template(tmp.path());
        if ok {
            for (i, slot) in helm_says.iter_mut().enumerate() {
                let marker = format!("# Source: p/charts/s{i}/templates/t.yaml\n");
                if let Some(rest) = stdout.split(&marker).nth(1) {
                    let line = rest.split("\n---\n").next().unwrap_or_default().trim_end();
                    let b64 = line.strip_prefix("# ").unwrap_or(line);
                    *slot = Some(Ok(String::from_utf8_lossy(&base64_decode(b64)).into_owned()));
                }
            }
            break;
        }
        let failed = stderr
            .strip_prefix("Error: error unpacking subchart s")
            .and_then(|rest| rest.split_once(" in p: cannot load values.yaml: "))
            .and_then(|(i, msg)| Some((i.parse::<usize>().ok()?, msg.trim_end().to_owned())));
        let Some((i, msg)) = failed else { panic!("unexpected helm failure: {stderr}") };
        helm_says[i] = Some(Err(msg));
        std::fs::remove_dir_all(tmp.path().join(format!("p/charts/s{i}"))).expect("rm");
    }
    let failures: Vec<String> = DIFFERENTIAL
        .iter()
        .zip(helm_says)
        .filter_map(|(snippet, helm_said)| {
            let mine = ours(snippet);
            (helm_said.as_ref() != Some(&mine))
                .then(|| format!("{snippet:?}\n  helm: {helm_said:?}\n  ours: {mine:?}"))
        })
        .collect();
    assert!(failures.is_empty(), "differences from helm:\n{}", failures.join("\n"));
}
