//! The `--set` family against the real helm: each argument list below is run through
//! `helm template` with a template that prints `.Values` with Go types, and through
//! [`ValueOptions::merge_values`]; the printed values (or helm's error and ours) must agree.
//! Then the `values-set` conformance cases whose output the flags alone determine.

use std::path::{Path, PathBuf};
use std::process::Command;

use chart_core::values::{SetError, ValueOptions, read_values_source};
use chart_core::{Map, Value};

use super::support::{check_floor, helm, shared_dir};

/// Prints `.Values` with types (`{a: int64(1), l: [string(x), ], }`), wrapped in a JSON string
/// so that any content survives helm's YAML post-processing.
const TYPE_TEMPLATE: &str = r#"{{- define "w" }}{{ if kindIs "map" . }}{ {{- range $k, $v := . }}{{ $k }}: {{ include "w" $v }}, {{ end }}}{{ else if kindIs "slice" . }}[{{ range . }}{{ include "w" . }}, {{ end }}]{{ else }}{{ typeOf . }}({{ . }}){{ end }}{{ end }}out: {{ include "w" .Values | toJson }}
"#;

/// `w` of [`TYPE_TEMPLATE`] in Rust: `typeOf` and `%v` of scalars, maps and lists spelled out.
fn w(v: &Value, out: &mut String) {
    match v {
        Value::Map(m) => {
            out.push('{');
            for (k, item) in m {
                out.push_str(k);
                out.push_str(": ");
                w(item, out);
                out.push_str(", ");
            }
            out.push('}');
        }
        Value::List(l) => {
            out.push('[');
            for item in l {
                w(item, out);
                out.push_str(", ");
            }
            out.push(']');
        }
        // `{{ . }}` of nil prints `<no value>` (helm blanks that only in the final output).
        Value::Null => out.push_str("<nil>(<no value>)"),
        other => out.push_str(&format!("{}({other})", other.go_type_name())),
    }
}

/// Argument lists; `$D` is the fixture directory (files `f1.txt`, `f2.txt`, dir `d`, values
/// files `m1.yaml`, `m2.yaml`, `multi.yaml`, `list.yaml`, `bad.yaml`).
const CASES: &[&[&str]] = &[
    // --set: types
    &["--set", "a=1"],
    &["--set", "a.b[0]=1,x=null,y=1e3,z=0x10,q=010,p=+1,n=-5"],
    &["--set", "big=99999999999999999999,u=1_000,e=,t=True,f=FALSE,nn=Null"],
    &["--set", "a=-01,b=falſe,c=+,d=-,e=00,f=-0,g=0"],
    &["--set", "a=9223372036854775807,b=9223372036854775808,c=-9223372036854775808"],
    &["--set", "a= 1,b=1 ,c=٣,d=é,e=1.5"],
    // --set: structure
    &["--set", "a=1,"],
    &["--set", ".a=1"],
    &["--set", "=1"],
    &["--set", "a.="],
    &["--set", "a.b=1,a."],
    &["--set", "a[0]"],
    &["--set", "a[0"],
    &["--set", "a[0][1"],
    &["--set", "a[0]."],
    &["--set", "a[0].=1"],
    &["--set", "b.a[0]"],
    &["--set", "a[0]=1,a[0]."],
    &["--set", "a[0]=1,a[0][1"],
    &["--set", "a[2]=x"],
    &["--set", "a[1000]=x"],
    &["--set", "a[0][1]=2"],
    &["--set", "a[0]=,b[0]={x,y},c[0]=null"],
    &["--set", "a[1].b=1,a[0].c=2"],
    &["--set", "a[0]=x,a[0].b=1"],
    &["--set", "a[0][0]=1,a[0].b=1"],
    &["--set", "a[1]=1,a[0][0]=2"],
    &["--set", "a[0]={1},a[0][1]=2"],
    &["--set", "a={x},a[1]=y"],
    &["--set", "a[0]=1,a=x"],
    &["--set", "a[5]=1,a[1]=2"],
    &["--set", "a[+1]=1,b[01]=2"],
    &["--set", "l={}"],
    &["--set", "a={a,b},b={,}"],
    &["--set", r"a={a\,b,c},b={a\}b}"],
    &["--set", "a={x},b=1"],
    &["--set", "a=b=c"],
    &["--set", r"a\,b=1,a\.b=2,a\=b=3,a\[0]=4"],
    &["--set", r"a=x\,y,b=\"],
    &["--set", "a.b.c=1,a.b.d=2"],
    &["--set", "a.b=,c=1"],
    &["--set", "a{b=1,a}=2,a]b[0]=3"],
    &["--set", "a.b=1,a=2"],
    &["--set", "a.b=null"],
    &["--set", "a[0]=null,a[0].b=1"],
    &["--set", "a[0].b=1,a[0]=null,a[0][0]=1"],
    &["--set", "a.b[0]=x,a.b[0]"],
    &["--set", "a=1", "--set", "a=2"],
    &["--set", "a.b=1", "--set", "a.c=2"],
    // --set: errors
    &["--set", "a"],
    &["--set", "a,"],
    &["--set", "a=1,,b=2"],
    &["--set", "a.b"],
    &["--set", "a.=1"],
    &["--set", "a..b=1"],
    &["--set", "a[x]=1"],
    &["--set", "a[]=1"],
    &["--set", "a[ 1]=1"],
    &["--set", "a[99999999999999999999]=1"],
    &["--set", "a[-1]=1"],
    &["--set", "a[0][-1]=1"],
    &["--set", "a[65537]=1"],
    &["--set", "a[70000].b"],
    &["--set", "a[70000].b=1"],
    &["--set", "a[0]x=1"],
    &["--set", "a[0]]=1"],
    &["--set", "a={1,2"],
    &["--set", r"a={x\"],
    &["--set", "a={1,2}x"],
    &["--set", "a={1,{2}}"],
    &["--set", r"\=1"],
    &["--set", "a[0]=1,a.b=2"],
    &["--set", "a.b=1,a[0]=2"],
    &["--set", "a=1,a.b=2"],
    &["--set", "a=null,a.b=1"],
    &["--set", "a[0]=1,a[0][0]=2"],
    &["--set", "a[0].b=1,a[0][0]=1"],
    &["--set", "a=1", "--set", "b"],
    // --set-string
    &["--set-string", "a=null,b=1,c=true,d={1,2}"],
    &["--set-string", "a[0]=1,b="],
    &["--set-string", "a"],
    // --set-literal
    &["--set-literal", "a=x,y.z=1"],
    &["--set-literal", "a,b=1"],
    &["--set-literal", r"a.b=1\,2"],
    &["--set-literal", "a[0]=x,y"],
    &["--set-literal", "a[0].b=x"],
    &["--set-literal", "a[0][1]=x"],
    &["--set-literal", r"a\.b=1"],
    &["--set-literal", "a="],
    &["--set-literal", ".a=1"],
    &["--set-literal", "a[0]"],
    &["--set-literal", "=x"],
    &["--set-literal", "a[0"],
    &["--set-literal", "a[0][1"],
    &["--set-literal", "a.b.c=é"],
    &["--set-literal", ",=1"],
    &["--set-literal", "a=null"],
    &["--set-literal", "a=1,a.b=2"],
    &["--set-literal", "a"],
    &["--set-literal", "a.=1"],
    &["--set-literal", "a[0]x=1"],
    &["--set-literal", "a[x]=1"],
    &["--set-literal", "a.b"],
    // --set-json
    &["--set-json", "a=1"],
    &["--set-json", "a="],
    &["--set-json", "a= ,b=1"],
    &["--set-json", "a=1 b=2"],
    &["--set-json", "a=1b=2"],
    &["--set-json", r#"a="x"b=2"#],
    &["--set-json", "a=truex=1"],
    &["--set-json", r#"a={"x":1},b=2"#],
    &["--set-json", r#"a.b[1]={"c":null}"#],
    &["--set-json", r#"{"a":1}"#],
    &["--set-json", r#" {"a":{"b":1}}"#],
    &["--set-json", "a[0]=1,b[0]="],
    &["--set-json", r#"a="\ud800",b="\ud83d\ude00""#],
    &["--set-json", "a=1.5e3,b=-0,c=12345678901234567890,d=1e21,e=0.000001"],
    &["--set-json", r#"a=  "x"  ,  b=1"#],
    &["--set-json", "[1]"],
    &["--set-json", r#"a="\u00e9\n<&>""#],
    &["--set-json", "a=[1,2]x=1"],
    &["--set-json", r#"a={"b":1}"#, "--set-json", r#"{"a":{"c":2}}"#],
    &["--set-json", "a=01"],
    &["--set-json", "a=1e400"],
    &["--set-json", "a=[1,"],
    &["--set-json", r#"{"a":1} x"#],
    &["--set-json", r#"{"a":"#],
    &["--set-json", "a"],
    &["--set-json", r#"a="x",,b=1"#],
    &["--set-json", "a=1,a.b=2"],
    &["--set-json", "a=tru"],
    // order of the flags
    &[
        "--set-literal",
        "a.g=6",
        "--set-string",
        "a.f=5",
        "--set",
        "a.e=4",
        "--set-json",
        r#"{"a":{"c":2}}"#,
        "--set-json",
        "a.d=3",
    ],
    &["--set-literal", "a=1", "--set", "a=2"],
    &["--set-string", "a=x", "--set", "a.b=1"],
    &["--set-file", "a=$D/f1.txt", "--set-string", "a=s"],
    // --set-file
    &["--set-file", "a=$D/f1.txt"],
    &["--set-file", r"a=$D/f1\.txt,b=$D/f2.txt"],
    &["--set-file", "a={$D/f1.txt,$D/f2.txt}"],
    &["--set-file", "a[1]=$D/f2.txt"],
    &["--set-file", "a="],
    &["--set-file", "a=$D/nofile"],
    &["--set-file", "a=$D/d"],
    &["--set-file", "a=,b=$D/f1.txt"],
    &["--set-file", "a"],
    &["--set-file", "a={}"],
    &["--set-file", "a=::"],
    &["--set-file", "a=%zz"],
    &["--set-file", "a=my_file:1.txt"],
    &["--set-file", "a=x%zz#y"],
    &["--set-file", "a=x#%zz"],
    // -f
    &["-f", "$D/m1.yaml", "-f", "$D/m2.yaml"],
    &["-f", "$D/multi.yaml"],
    &["-f", "$D/m1.yaml", "--set", "a.b=5,l[1]=x", "--set-json", "a.c=[1]"],
    &["-f", "$D/nofile.yaml"],
    &["-f", "$D/list.yaml"],
    &["-f", "$D/bad.yaml"],
    &["-f", "$D/m1.yaml", "--set", "a[0]=1"],
    &["-f", "$D/m1.yaml", "--set", "a.b.c=1"],
    &["-f", "$D/m1.yaml", "--set", "l[0].x=1,l[2]=z"],
    &["-f", "$D/m1.yaml", "--set", "l[0][1]=1"],
    &["-f", "$D/m1.yaml", "--set-json", r#"{"a":{"b":{"x":1}},"l":null}"#],
];

const FIXTURES: &[(&str, &str)] = &[
    ("f1.txt", "file content\n"),
    ("f2.txt", "x,y"),
    ("m1.yaml", "a: {b: 1, c: 2}\nl: [1]\n"),
    ("m2.yaml", "a: {b: null, d: 3}\nl: [2]\n"),
    ("multi.yaml", "a: 1\n---\nb: 2\n---\na: {c: 1}\n"),
    ("list.yaml", "- 1\n"),
    ("bad.yaml", "a: ["),
];

/// Writes a throw-away chart and the fixture files into `dir`.
fn write_fixtures(dir: &Path, template: &str) -> PathBuf {
    let chart = dir.join("c");
    std::fs::create_dir_all(chart.join("templates")).expect("mkdir chart");
    std::fs::write(chart.join("Chart.yaml"), "apiVersion: v2\nname: c\nversion: 0.1.0\n")
        .expect("write Chart.yaml");
    std::fs::write(chart.join("templates/t.yaml"), template).expect("write template");
    for (name, text) in FIXTURES {
        std::fs::write(dir.join(name), text).expect("write fixture");
    }
    std::fs::create_dir_all(dir.join("d")).expect("mkdir d");
    chart
}

/// Builds the options for a helm-style argument list.
fn options(args: &[String]) -> Result<ValueOptions, String> {
    let mut o = ValueOptions::default();
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        let value = it.next().ok_or_else(|| format!("{flag} without a value"))?.clone();
        match flag.as_str() {
            "--set" => o.values.push(value),
            "--set-string" => o.string_values.push(value),
            "--set-json" => o.json_values.push(value),
            "--set-literal" => o.literal_values.push(value),
            "--set-file" => o.file_values.push(value),
            "-f" => o.value_files.push(PathBuf::from(value)),
            other => return Err(format!("unknown flag {other}")),
        }
    }
    Ok(o)
}

/// helm's verdict: the typed print of `.Values`, or its stderr.
fn run_helm(chart: &Path, cwd: &Path, args: &[String]) -> Result<String, String> {
    let out = Command::new(helm())
        .current_dir(cwd)
        .arg("template")
        .arg("r")
        .arg(chart)
        .args(args)
        .output()
        .expect("run helm");
    let stdout = String::from_utf8_lossy(&out.stdout);
    if !out.status.success() {
        return Err(String::from_utf8_lossy(&out.stderr).into_owned());
    }
    let line = stdout
        .lines()
        .find_map(|l| l.strip_prefix("out: "))
        .ok_or_else(|| format!("no output line in {stdout:?}"))?;
    serde_json::from_str::<String>(line).map_err(|e| format!("bad output line {line:?}: {e}"))
}

#[test]
fn set_family_matches_helm() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().canonicalize().expect("canonical tempdir");
    let chart = write_fixtures(&dir, TYPE_TEMPLATE);
    let d = dir.to_string_lossy().into_owned();

    let mut total = 0;
    let mut failures = Vec::new();
    // Generated cases: dotted keys at and beyond Helm's nesting limit of 30.
    let deep = |n: usize| vec!["--set".to_owned(), format!("{}=1", vec!["k"; n].join("."))];
    let generated = [deep(30), deep(31), deep(40)];
    let cases = CASES
        .iter()
        .map(|case| case.iter().map(|a| a.replace("$D", &d)).collect::<Vec<_>>())
        .chain(generated);
    for args in cases {
        total += 1;
        let id = format!("{args:?}");
        let want = run_helm(&chart, &dir, &args);
        let got = options(&args).and_then(|o| {
            o.merge_values().map_err(|e| e.to_string()).map(|m| {
                let mut s = String::new();
                w(&Value::Map(m), &mut s);
                s
            })
        });
        match (&want, &got) {
            (Ok(w), Ok(g)) if w == g => {}
            (Err(stderr), Err(ours)) if stderr.contains(ours.as_str()) => {}
            _ => failures.push(format!("{id}\n      helm: {want:?}\n      ours: {got:?}")),
        }
    }
    let before = total;
    conformance_cases(&mut total, &mut failures);
    eprintln!("strvals: {} argument lists, {} conformance cases", before, total - before);
    check_floor("strvals", total, &failures);
}

/// Random lines over the parsers' special characters, each compared with helm (slow: run with
/// `STRVALS_RANDOM=500 cargo test -p chart-core --test core random_lines -- --ignored`).
#[test]
#[ignore = "exploratory; runs helm hundreds of times"]
fn random_lines_match_helm() {
    let n: usize = std::env::var("STRVALS_RANDOM").ok().and_then(|v| v.parse().ok()).unwrap_or(200);
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().canonicalize().expect("canonical tempdir");
    let chart = write_fixtures(&dir, TYPE_TEMPLATE);
    let alphabet: Vec<char> = "ab0=,.[]{}\\ 1-".chars().collect();
    let words = ["null", "true", "[0]", "[1]", "=", "a", ".b", "{x,y}", "\"", "[2]", ","];
    let flags = ["--set", "--set-string", "--set-json", "--set-literal", "--set-file"];
    let mut seed: u64 =
        std::env::var("STRVALS_SEED").ok().and_then(|v| v.parse().ok()).unwrap_or(7);
    let mut next = |m: usize| {
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        ((seed >> 33) as usize) % m
    };
    let mut failures = Vec::new();
    let mut helm_ok = 0;
    for _ in 0..n {
        let len = 1 + next(12);
        let mut line = String::new();
        for _ in 0..len {
            if next(3) == 0 {
                line.push_str(words[next(words.len())]);
            } else {
                line.push(alphabet[next(alphabet.len())]);
            }
        }
        let args = vec![flags[next(flags.len())].to_owned(), line];
        let want = run_helm(&chart, &dir, &args);
        helm_ok += usize::from(want.is_ok());
        let got = options(&args).and_then(|o| {
            o.merge_values().map_err(|e| e.to_string()).map(|m| {
                let mut s = String::new();
                w(&Value::Map(m), &mut s);
                s
            })
        });
        match (&want, &got) {
            (Ok(w), Ok(g)) if w == g => {}
            (Err(stderr), Err(ours)) if stderr.contains(ours.as_str()) => {}
            _ => failures.push(format!("{args:?}\n      helm: {want:?}\n      ours: {got:?}")),
        }
    }
    eprintln!("random lines: {n}, accepted by helm: {helm_ok}");
    for f in &failures {
        eprintln!("MISMATCH {f}");
    }
    assert!(failures.is_empty(), "{} of {n} random lines differ from helm", failures.len());
}

/// Cases of `values-set` with a `values` field whose output still depends on the flags alone.
const FLAGS_ALONE: &[&str] =
    &["vs-values-flag-map-replaces-scalar", "vs-values-flag-scalar-over-map"];

/// The `values-set` conformance cases whose template only prints values (`{{ toJson .Values }}`,
/// `{{ .Values.a }}`, `{{ typeOf .Values.x }}` and literal text) and whose values come from the
/// flags alone.
fn conformance_cases(total: &mut usize, failures: &mut Vec<String>) {
    let path = shared_dir().join("conformance/template-cases.yaml");
    let text = std::fs::read_to_string(&path).expect("read template-cases.yaml");
    let cases = match chart_core::yaml::parse_document(&text) {
        Ok(Value::List(l)) => l,
        Ok(_) => panic!("template-cases.yaml is not a list"),
        Err(e) => {
            *total += 1;
            failures.push(format!("conformance: cannot read template-cases.yaml: {e}"));
            return;
        }
    };
    for case in &cases {
        let s = |k: &str| case.get(k).and_then(Value::as_str);
        if s("category") != Some("values-set") {
            continue;
        }
        let id = s("id").unwrap_or_default();
        let (Some(template), Some(expect)) = (s("template"), s("expect")) else { continue };
        if case.get("values").is_some() && !FLAGS_ALONE.contains(&id) {
            continue;
        }
        let Some(actions) = template_actions(template) else { continue };
        let flags: Vec<String> = case
            .get("flags")
            .and_then(Value::as_list)
            .unwrap_or_default()
            .iter()
            .filter_map(|f| f.as_str().map(str::to_owned))
            .collect();
        *total += 1;
        match run_conformance_case(case, &flags, &actions) {
            Ok(got) if got == expect || (expect.is_empty() && got.trim().is_empty()) => {}
            Ok(got) => failures.push(format!("{id}: want {expect:?}, got {got:?}")),
            Err(e) => failures.push(format!("{id}: {e}")),
        }
    }
}

/// A piece of a supported template.
enum Piece {
    Text(String),
    /// `{{ toJson .Values.path }}`
    ToJson(String),
    /// `{{ .Values.path }}`
    Print(String),
    /// `{{ typeOf .Values.path }}`
    TypeOf(String),
}

/// Splits a template into [`Piece`]s; `None` when it uses anything else.
fn template_actions(template: &str) -> Option<Vec<Piece>> {
    let mut pieces = Vec::new();
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        pieces.push(Piece::Text(rest[..start].to_owned()));
        let end = rest[start..].find("}}")? + start;
        let action = rest[start + 2..end].trim();
        let path = |p: &str| -> Option<String> {
            let p = p.strip_prefix(".Values")?;
            (p.is_empty() || p.starts_with('.')).then(|| p.trim_start_matches('.').to_owned())
        };
        let piece = if let Some(p) = action.strip_prefix("toJson ") {
            Piece::ToJson(path(p.trim())?)
        } else if let Some(p) = action.strip_prefix("typeOf ") {
            Piece::TypeOf(path(p.trim())?)
        } else {
            Piece::Print(path(action)?)
        };
        pieces.push(piece);
        rest = &rest[end + 2..];
    }
    pieces.push(Piece::Text(rest.to_owned()));
    Some(pieces)
}

fn run_conformance_case(
    case: &Value,
    flags: &[String],
    pieces: &[Piece],
) -> Result<String, String> {
    let tmp = tempfile::tempdir().map_err(|e| e.to_string())?;
    let base = tmp.path().to_path_buf();
    let chart = base.join("chart");
    std::fs::create_dir_all(&chart).map_err(|e| e.to_string())?;
    if let Some(files) = case.get("files").and_then(Value::as_map) {
        for (name, content) in files {
            let p = chart.join(name);
            if let Some(parent) = p.parent() {
                std::fs::create_dir_all(parent).map_err(|e| e.to_string())?;
            }
            std::fs::write(&p, content.as_str().unwrap_or_default()).map_err(|e| e.to_string())?;
        }
    }
    let opts = options(flags)?;
    // Paths in the flags are relative to the directory holding `chart/`.
    let mut read = |p: &str| -> Result<Vec<u8>, SetError> {
        let joined = base.join(p);
        read_values_source(&joined.to_string_lossy())
    };
    let values = opts.merge_values_with(&mut read).map_err(|e| e.to_string())?;
    render(&values, pieces)
}

fn render(values: &Map, pieces: &[Piece]) -> Result<String, String> {
    let root = Value::Map(values.clone());
    let lookup = |p: &str| root.get_path(p).cloned().unwrap_or(Value::Null);
    let mut out = String::new();
    for piece in pieces {
        match piece {
            Piece::Text(t) => out.push_str(t),
            Piece::ToJson(p) => out.push_str(&lookup(p).to_json(true).map_err(|e| e.to_string())?),
            // `<no value>` is blanked by helm.
            Piece::Print(p) => match lookup(p) {
                Value::Null => {}
                v => out.push_str(&v.to_string()),
            },
            Piece::TypeOf(p) => out.push_str(lookup(p).go_type_name()),
        }
    }
    Ok(out)
}
