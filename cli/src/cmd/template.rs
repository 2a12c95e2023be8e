//! `chartkit template [NAME] CHART`: render a chart's templates as `helm template` does.
//!
//! Documents are split, hooks separated and resources sorted in Helm's install order by
//! [`chart_render::manifest::template_output`].

use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use chart_core::ComputeOptions;
use chart_render::manifest::{self, OutputOptions, template_output_with};
use chart_render::template::{ParseQueue, Preparsed};
use chart_render::{ExecOptions, KubeVersion, ReleaseInfo, TemplateSet, Val, render_chart};

use super::CmdResult;

/// Flags of `chartkit template`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// `[NAME] CHART`: the release name (default `release-name`) and the chart directory or .tgz.
    #[arg(num_args = 1..)]
    args: Vec<String>,
    /// Namespace of the release.
    #[arg(short = 'n', long = "namespace", default_value = "default")]
    namespace: String,
    /// Values from files and `--set` flags.
    #[command(flatten)]
    values: super::ValueFlags,
    /// Extra API versions for `.Capabilities.APIVersions` (comma separated or repeated).
    #[arg(short = 'a', long = "api-versions", value_delimiter = ',')]
    api_versions: Vec<String>,
    /// Kubernetes version for `.Capabilities.KubeVersion`.
    #[arg(long = "kube-version")]
    kube_version: Option<String>,
    /// Set `.Release.IsUpgrade` instead of `.Release.IsInstall`.
    #[arg(long)]
    is_upgrade: bool,
    /// Only print the output of these templates (paths relative to the chart, globs allowed).
    #[arg(short = 's', long = "show-only")]
    show_only: Vec<String>,
    /// Print the charts' CRDs (`crds/`) before the templates.
    #[arg(long)]
    include_crds: bool,
    /// Leave out test hooks.
    #[arg(long)]
    skip_tests: bool,
    /// Leave out hooks.
    #[arg(long)]
    no_hooks: bool,
    /// Write each template's output to a file under this directory instead of stdout.
    #[arg(long = "output-dir")]
    output_dir: Option<PathBuf>,
    /// Put the release name in the `--output-dir` path.
    #[arg(long = "release-name")]
    release_name_dir: bool,
    /// Generate the release name (omit NAME); as helm 4.1.4's `template`, this uses `release-name`.
    #[arg(short = 'g', long = "generate-name")]
    generate_name: bool,
    /// A template (Go text/template with sprig) producing the release name.
    #[arg(long = "name-template")]
    name_template: Option<String>,
    /// An executable that receives the rendered manifests on stdin and prints the manifests to use.
    #[arg(long = "post-renderer")]
    post_renderer: Option<PathBuf>,
    /// An argument to the post-renderer (repeatable).
    #[arg(long = "post-renderer-args")]
    post_renderer_args: Vec<String>,
    /// Do not validate values against values.schema.json.
    #[arg(long)]
    skip_schema_validation: bool,
    /// Verify the packaged chart against its `.prov` file before rendering.
    #[arg(long)]
    verify: bool,
    /// Keyring for `--verify` (binary or ASCII-armored); default `~/.gnupg/pubring.gpg`.
    #[arg(long)]
    keyring: Option<PathBuf>,
}

/// The release name and chart path from the positional arguments and naming flags, as helm
/// decides them.
fn name_and_chart(a: &Args) -> Result<(String, String), String> {
    let (name, chart) = match a.args.as_slice() {
        [chart] => (None, chart.clone()),
        [name, chart] => (Some(name.clone()), chart.clone()),
        [_, _, extra @ ..] => {
            return Err(format!(
                "expected at most two arguments, unexpected arguments: {}",
                extra.join(", ")
            ));
        }
        [] => return Err("requires at least 1 arg(s), only received 0".into()),
    };
    if let Some(t) = &a.name_template {
        if name.is_some() {
            return Err("cannot set --name-template and also specify a name".into());
        }
        let mut set = TemplateSet::new();
        set.parse("name-template", t).map_err(|e| e.to_string())?;
        let name = set.execute("name-template", Val::NoValue).map_err(|e| e.to_string())?;
        return Ok((name, chart));
    }
    if a.generate_name && name.is_some() {
        return Err("cannot set --generate-name and also specify a name".into());
    }
    Ok((name.unwrap_or_else(|| "release-name".into()), chart))
}

/// Runs the command.
pub fn run(a: Args) -> CmdResult {
    // helm reads `--kube-version` first (after its argument count check).
    let kube_version = match a.kube_version.as_deref() {
        Some(k) if !k.is_empty() && !a.args.is_empty() => {
            Some(KubeVersion::parse(k).map_err(|e| format!("invalid kube version '{k}': {e}"))?)
        }
        _ => None,
    };
    let (name, chart_path) = name_and_chart(&a)?;
    if a.verify && Path::new(&chart_path).exists() {
        // As helm's LocateChart: the archive is verified (by its absolute path) before it is loaded.
        let abs = std::path::absolute(&chart_path).map_err(|e| e.to_string())?;
        let keyring = super::verify::keyring_or_default(a.keyring.clone());
        chart_provenance::verify_chart(&abs, &keyring).map_err(|e| e.to_string())?;
    }
    if let Err(e) = chart_core::names::validate_release_name(&name) {
        let msg = e.to_string();
        eprintln!("level=ERROR msg=\"release name check failed\" error={}", go_quote(&msg));
        return Err(format!("release name check failed: {msg}"));
    }
    // helm's LocateChart fails on a missing path before any values file is read.
    super::locate_chart(&chart_path)?;
    // As in helm, the values given on the command line are read before the chart is loaded.
    let opts = a.values.options();
    let user = opts.merge_values().map_err(|e| e.to_string())?;
    // The values are computed while the templates are still being parsed.
    let compute = |chart: chart_core::chart::Chart| {
        if chart.metadata.deprecated {
            eprintln!("level=WARN msg=\"this chart is deprecated\"");
        }
        let mut copts = ComputeOptions::default();
        // The schema check runs beside rendering (below) rather than inside compute_values: its
        // result decides the outcome first either way, as in helm, which checks before rendering.
        copts.skip_schema_validation = true;
        let computed =
            chart_core::compute_values_owned(chart, &user, &copts).map_err(|e| e.to_string())?;
        for w in &computed.warnings {
            eprintln!("{}", chart_core::lint::warning_record(w));
        }
        Ok(computed)
    };
    let loaded = load_and_preparse(&chart_path, !a.skip_schema_validation, compute)?;
    let (computed, preparsed, schemas) = (loaded.computed, loaded.preparsed, loaded.schemas);
    let mut release = ReleaseInfo::new(&name, &a.namespace);
    release.is_upgrade = a.is_upgrade;
    release.api_versions = a.api_versions.clone();
    if let Some(k) = kube_version {
        release.kube_version = k;
    }
    let mut exec = ExecOptions::default();
    exec.preparsed = preparsed;
    let with_schemas = has_schema(&computed.chart);
    if !a.skip_schema_validation && !with_schemas {
        // Without schemas the check only looks at the types of the subcharts' values: no thread.
        chart_core::schema::validate_tree(&computed.chart, &computed.values)
            .map_err(|e| e.to_string())?;
    }
    let (schema, rendered) = std::thread::scope(|scope| {
        let computed = &computed;
        let schema = (!a.skip_schema_validation && with_schemas).then(|| {
            scope.spawn(move || {
                let compiled = schemas.and_then(|h| h.join().ok());
                chart_core::schema::validate_tree_with(
                    &computed.chart,
                    &computed.values,
                    compiled.as_ref(),
                )
            })
        });
        let rendered = render_chart(computed, &release, &mut exec);
        (schema.map(|h| h.join()), rendered)
    });
    match schema {
        Some(Ok(Err(e))) => return Err(e.to_string()),
        Some(Err(_)) => return Err("schema validation panicked".to_string()),
        _ => {}
    }
    // From here on, as in helm's `renderResources`, a failure says how to see the output.
    chart_render::check_kube_version(&computed.chart, &release).map_err(render_failed)?;
    let mut rendered = rendered.map_err(render_failed)?;
    let mut templates = std::mem::take(&mut rendered.templates);
    if let Some(exe) = &a.post_renderer {
        // helm sorts the manifests (and so reports a document that is not an object) before it
        // runs the post-renderer.
        manifest::sort_manifests(&manifest_files(&templates)).map_err(render_failed)?;
        templates = post_render(exe, &a.post_renderer_args, &templates, computed.chart.name())
            .map_err(render_failed)?;
    }
    let mut out_opts = OutputOptions::default();
    out_opts.include_crds = a.include_crds;
    out_opts.skip_tests = a.skip_tests;
    out_opts.no_hooks = a.no_hooks;
    out_opts.show_only = a.show_only.clone();
    if let Some(dir) = &a.output_dir {
        let dir = if a.release_name_dir { dir.join(&name) } else { dir.clone() };
        return write_output_dir(&dir, &templates, &computed.chart, &out_opts);
    }
    let out = template_output_with(&templates, &computed.chart, &out_opts, &rendered.heads)
        .map_err(|e| match e {
            manifest::OutputError::Manifest(e) => render_failed(e),
            e => e.to_string(),
        })?;
    print!("{out}");
    // The process ends after this: freeing the templates' syntax trees, the values and the
    // output one allocation at a time would only add to its run time (about 5% of a render's
    // instructions).
    std::mem::forget((exec, computed, templates, rendered, out));
    Ok(())
}

/// An error of the steps helm's `renderResources` takes (the kubeVersion check, rendering,
/// sorting the manifests, writing them to `--output-dir`, post-rendering), as `helm template`
/// prints it: helm then has a partial release, and says how to see its output.
fn render_failed(e: impl std::fmt::Display) -> String {
    format!("{e}\n\nUse --debug flag to render out invalid YAML")
}

/// The rendered templates that hold manifests: all but the NOTES.txt files.
fn manifest_files(templates: &BTreeMap<String, String>) -> BTreeMap<String, String> {
    templates
        .iter()
        .filter(|(k, _)| !k.ends_with("/NOTES.txt"))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

/// A loaded chart's computed values and the work started on its files ahead of rendering.
struct Loaded {
    computed: chart_core::ComputedValues,
    /// The templates, parsed while the YAML files were read.
    preparsed: Option<std::sync::Arc<Preparsed>>,
    /// The values schemas, compiling on their own thread (joined when the values are checked).
    schemas: Option<std::thread::JoinHandle<chart_core::schema::CompiledSchemas>>,
}

/// Loads the chart and computes its values (`compute`); for a chart directory, its templates are
/// parsed on other threads meanwhile (rendering picks the parsed trees up by text), and its
/// schemas start compiling (`compile_schemas`) on a thread of their own.
fn load_and_preparse(
    path: &str,
    compile_schemas: bool,
    compute: impl FnOnce(chart_core::chart::Chart) -> Result<chart_core::ComputedValues, String>,
) -> Result<Loaded, String> {
    let dir = Path::new(path);
    if !dir.is_dir() {
        // `run` has located the path already.
        let computed = compute(chart_core::load(path).map_err(|e| e.to_string())?)?;
        return Ok(Loaded { computed, preparsed: None, schemas: None });
    }
    let limits = chart_core::load::LoadLimits::default();
    let is_template = |name: &str| {
        (name.starts_with("templates/") || name.contains("/templates/")) && !name.ends_with(".hbs")
    };
    let queue = ParseQueue::default();
    let workers = chart_render::worker_threads();
    std::thread::scope(|scope| {
        // Templates are parsed from the moment they are read, on as many threads as cores.
        let parsers: Vec<_> = (0..workers)
            .filter_map(|_| {
                std::thread::Builder::new()
                    .stack_size(16 << 20)
                    .spawn_scoped(scope, || queue.work())
                    .ok()
            })
            .collect();
        // Identical texts (a library vendored by several subcharts) are queued once.
        let read = chart_core::load::read_dir_with(dir, &limits, &mut |f| {
            if is_template(&f.name) {
                queue.push(&f.name, chart_core::load::utf8_lossy(&f.data));
            }
        });
        queue.close();
        let files = read.map_err(|e| chart_core::chart::LoadError::from(e).to_string())?;
        let docs: Vec<Vec<u8>> = files
            .iter()
            .filter(|f| f.name == "values.schema.json" || f.name.ends_with("/values.schema.json"))
            .map(|f| f.data.clone())
            .collect();
        let schemas = (compile_schemas && !docs.is_empty()).then(|| {
            std::thread::spawn(move || {
                let refs: Vec<&[u8]> = docs.iter().map(Vec::as_slice).collect();
                chart_core::schema::CompiledSchemas::compile(&refs)
            })
        });
        let computed = chart_core::chart::from_files(files, &limits)
            .map_err(|e| e.to_string())
            .and_then(compute);
        let mut preparsed = Preparsed::default();
        for p in parsers {
            if let Ok(p) = p.join() {
                preparsed.merge(p);
            }
        }
        computed.map(|computed| Loaded {
            computed,
            preparsed: Some(std::sync::Arc::new(preparsed)),
            schemas,
        })
    })
}

/// Whether the chart or one of its subcharts has a `values.schema.json`.
fn has_schema(chart: &chart_core::chart::Chart) -> bool {
    chart.schema.is_some() || chart.dependencies.iter().any(has_schema)
}

/// Go's `%q` of a string (for slog-style lines).
fn go_quote(s: &str) -> String {
    chart_core::gofmt::go_quote(s)
}

/// `--output-dir`: each template's documents go to `DIR/<template name>` (hooks and CRDs too),
/// appended when several documents come from one template; stdout lists the files written.
fn write_output_dir(
    dir: &Path,
    templates: &BTreeMap<String, String>,
    chart: &chart_core::chart::Chart,
    opts: &OutputOptions,
) -> CmdResult {
    let sorted = manifest::sort_manifests(&manifest_files(templates)).map_err(render_failed)?;
    let mut written = std::collections::HashSet::new();
    let mut stdout = std::io::stdout().lock();
    // Helm appends to a file it already wrote in this run; a hook's file is appended to whenever
    // it exists (even from an earlier run).
    let mut write = |name: &str, content: &str, hook: bool| -> CmdResult {
        let path = dir.join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
        }
        let append = written.contains(name) || (hook && path.exists());
        let mut f = std::fs::OpenOptions::new()
            .create(true)
            .write(true)
            .append(append)
            .truncate(!append)
            .open(&path)
            .map_err(|e| format!("{}: {e}", path.display()))?;
        f.write_all(manifest::source_block(name, content).as_bytes()).map_err(|e| e.to_string())?;
        written.insert(name.to_string());
        writeln!(stdout, "wrote {}", path.display()).map_err(|e| e.to_string())
    };
    if opts.include_crds {
        for (name, data) in manifest::crd_objects(chart) {
            write(&name, &data, false).map_err(render_failed)?;
        }
    }
    for m in &sorted.manifests {
        write(&m.source, &m.content, false).map_err(render_failed)?;
    }
    if !opts.no_hooks {
        for h in &sorted.hooks {
            if opts.skip_tests && h.is_test() {
                continue;
            }
            write(&h.source, &h.content, true)?;
        }
    }
    writeln!(stdout).map_err(|e| e.to_string())
}

/// `--post-renderer`: the rendered templates go to the executable's stdin as a stream of
/// `# Source:`-annotated documents; its output is split back by those comments (documents without
/// one are attributed to `<chart>/templates/post-rendered.yaml`).
fn post_render(
    exe: &Path,
    args: &[String],
    templates: &BTreeMap<String, String>,
    chart: &str,
) -> Result<BTreeMap<String, String>, String> {
    let mut input = String::new();
    for (name, text) in templates {
        if name.ends_with("/NOTES.txt") || text.trim().is_empty() {
            continue;
        }
        for doc in manifest::split_manifests(text) {
            input.push_str(&manifest::source_block(name, doc));
        }
    }
    let mut command = std::process::Command::new(exe);
    if crate::LIB_BACKTRACE_QUIETED.load(std::sync::atomic::Ordering::Relaxed) {
        // The post-renderer gets the environment chartkit was started with.
        command.env_remove("RUST_LIB_BACKTRACE");
    }
    let mut child = command
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .map_err(|e| format!("error while running post render on files: {}: {e}", exe.display()))?;
    let mut stdin = child.stdin.take().ok_or("post-renderer has no stdin")?;
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let out = child.wait_with_output().map_err(|e| e.to_string())?;
    let _ = writer.join();
    if !out.status.success() {
        return Err(format!(
            "error while running post render on files: error while running command {}. error output:\n{}: {}",
            exe.display(),
            String::from_utf8_lossy(&out.stderr),
            out.status
        ));
    }
    let text = String::from_utf8_lossy(&out.stdout);
    let mut files: BTreeMap<String, String> = BTreeMap::new();
    let fallback = format!("{chart}/templates/post-rendered.yaml");
    for doc in manifest::split_manifests(&text) {
        let (name, body) = match doc.strip_prefix("# Source: ") {
            Some(rest) => match rest.split_once('\n') {
                Some((n, b)) => (n.to_string(), b),
                None => (rest.to_string(), ""),
            },
            None => (fallback.clone(), doc),
        };
        let entry = files.entry(name).or_default();
        if !entry.is_empty() {
            entry.push_str("\n---\n");
        }
        entry.push_str(body);
    }
    Ok(files)
}
