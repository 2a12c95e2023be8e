//! `chartkit template NAME CHART`: render a chart's templates as `helm template` does.
//!
//! Documents are split, hooks separated and resources sorted in Helm's install order by
//! [`chart_render::manifest::template_output`].

use chart_core::ComputeOptions;
use chart_core::values::ValueOptions;
use chart_render::manifest::{OutputOptions, template_output};
use chart_render::{ExecOptions, KubeVersion, ReleaseInfo, render_chart};

use super::CmdResult;

/// Flags of `chartkit template`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Release name.
    name: String,
    /// Chart directory or .tgz.
    chart: String,
    /// Namespace of the release.
    #[arg(short = 'n', long = "namespace", default_value = "default")]
    namespace: String,
    /// Values files, merged in order (later wins).
    #[arg(short = 'f', long = "values")]
    values_files: Vec<std::path::PathBuf>,
    /// `key=value` pairs (typed), comma separated.
    #[arg(long = "set")]
    set: Vec<String>,
    /// `key=value` pairs, always strings.
    #[arg(long = "set-string")]
    set_string: Vec<String>,
    /// `key=json` pairs.
    #[arg(long = "set-json")]
    set_json: Vec<String>,
    /// `key=path` pairs: the file's content is the value.
    #[arg(long = "set-file")]
    set_file: Vec<String>,
    /// `key=value` with the value taken literally.
    #[arg(long = "set-literal")]
    set_literal: Vec<String>,
    /// Extra API versions for `.Capabilities.APIVersions` (comma separated or repeated).
    #[arg(short = 'a', long = "api-versions", value_delimiter = ',')]
    api_versions: Vec<String>,
    /// Kubernetes version for `.Capabilities.KubeVersion`.
    #[arg(long = "kube-version")]
    kube_version: Option<String>,
    /// Set `.Release.IsUpgrade` instead of `.Release.IsInstall`.
    #[arg(long)]
    is_upgrade: bool,
    /// Only print the output of these templates (paths relative to the chart, e.g. `templates/x.yaml`).
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
    /// Do not validate values against values.schema.json.
    #[arg(long)]
    skip_schema_validation: bool,
}

/// Runs the command.
pub fn run(a: Args) -> CmdResult {
    let chart = super::load_chart(&a.chart)?;
    if chart.metadata.deprecated {
        eprintln!("level=WARN msg=\"this chart is deprecated\"");
    }
    let mut opts = ValueOptions::default();
    opts.value_files = a.values_files;
    opts.values = a.set;
    opts.string_values = a.set_string;
    opts.json_values = a.set_json;
    opts.file_values = a.set_file;
    opts.literal_values = a.set_literal;
    let user = opts.merge_values().map_err(|e| e.to_string())?;
    let mut copts = ComputeOptions::default();
    copts.skip_schema_validation = a.skip_schema_validation;
    let computed =
        chart_core::compute_values_owned(chart, &user, &copts).map_err(|e| e.to_string())?;
    for w in &computed.warnings {
        eprintln!("level=INFO msg={w:?}");
    }
    let mut release = ReleaseInfo::new(&a.name, &a.namespace);
    release.is_upgrade = a.is_upgrade;
    release.api_versions = a.api_versions;
    if let Some(k) = &a.kube_version {
        release.kube_version = KubeVersion::parse(k)?;
    }
    let rendered = render_chart(&computed, &release, &mut ExecOptions::default())
        .map_err(|e| e.to_string())?;
    let mut out_opts = OutputOptions::default();
    out_opts.include_crds = a.include_crds;
    out_opts.skip_tests = a.skip_tests;
    out_opts.no_hooks = a.no_hooks;
    out_opts.show_only = a.show_only;
    let out = template_output(&rendered.templates, &computed.chart, &out_opts)
        .map_err(|e| e.to_string())?;
    print!("{out}");
    Ok(())
}
