//! `chartkit diff`: what changes between two releases' manifests, and Kubernetes three-way
//! patches (helm has no such command; the report follows the helm-diff plugin).

use std::io::IsTerminal as _;
use std::path::PathBuf;

use chart_core::Value;
use release_diff::{
    ParseOptions, PatchOptions, ReportOptions, apply_patch, diff_manifests, render_diff,
    render_json, three_way_patch,
};

use super::CmdResult;

/// `chartkit diff` arguments.
#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(subcommand)]
    command: Sub,
}

#[derive(clap::Subcommand, Debug)]
enum Sub {
    /// Compare two rendered manifests (old and new release): objects added, removed, changed.
    Releases(ReleasesArgs),
    /// Compute the three-way patch from the last applied object, the new one and the live one.
    ThreeWay(ThreeWayArgs),
}

#[derive(clap::Args, Debug)]
struct ReleasesArgs {
    /// The old release's manifest (`helm get manifest` or `helm template` output).
    old: PathBuf,
    /// The new release's manifest.
    new: PathBuf,
    /// Lines of context around changes (whole objects when not given).
    #[arg(long = "context", short = 'C')]
    context: Option<usize>,
    /// Output format.
    #[arg(long = "output", short = 'o', default_value = "diff", value_parser = ["diff", "json"])]
    output: String,
    /// Show Secrets' values instead of masking them.
    #[arg(long = "show-secrets")]
    show_secrets: bool,
    /// The release namespace given to objects without one.
    #[arg(long = "namespace", short = 'n', default_value = "default")]
    namespace: String,
    /// Colour: auto (on a terminal), always or never.
    #[arg(long = "color", default_value = "auto", value_parser = ["auto", "always", "never"])]
    color: String,
}

#[derive(clap::Args, Debug)]
struct ThreeWayArgs {
    /// The object as last applied.
    #[arg(long)]
    original: PathBuf,
    /// The new object (the new manifest).
    #[arg(long)]
    modified: PathBuf,
    /// The live object.
    #[arg(long)]
    current: PathBuf,
    /// Output format of the patch (and of the object with --apply).
    #[arg(long = "output", short = 'o', default_value = "json", value_parser = ["json", "yaml"])]
    output: String,
    /// Also print the live object with the patch applied.
    #[arg(long)]
    apply: bool,
    /// Patch custom resources with Helm 3's two-way JSON merge patch (original to modified).
    #[arg(long = "helm3-two-way")]
    helm3_two_way: bool,
}

fn read(path: &PathBuf) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("reading {}: {e}", path.display()))
}

fn read_object(path: &PathBuf) -> Result<Value, String> {
    let text = read(path)?;
    let v = chart_core::yaml::yaml_to_json(&text)
        .map_err(|e| format!("{}: {}", path.display(), e.message))?;
    match v {
        Value::Map(_) => Ok(v),
        _ => Err(format!("{}: not a Kubernetes object", path.display())),
    }
}

fn print_value(v: &Value, output: &str) -> Result<(), String> {
    if output == "yaml" {
        print!("{}", chart_core::yaml::to_yaml(v).map_err(|e| e.to_string())?);
    } else {
        println!("{}", v.to_json_pretty().map_err(|e| e.to_string())?);
    }
    Ok(())
}

/// Runs `chartkit diff`.
pub fn run(args: Args) -> CmdResult {
    match args.command {
        Sub::Releases(a) => {
            let d = diff_manifests(
                &read(&a.old)?,
                &read(&a.new)?,
                &ParseOptions::with_namespace(&a.namespace),
            )
            .map_err(|e| e.to_string())?;
            let mut o = ReportOptions::default();
            o.context = a.context;
            o.show_secrets = a.show_secrets;
            o.color = match a.color.as_str() {
                "always" => true,
                "never" => false,
                _ => std::io::stdout().is_terminal(),
            };
            if a.output == "json" {
                println!("{}", render_json(&d, &o));
            } else {
                print!("{}", render_diff(&d, &o));
            }
            Ok(())
        }
        Sub::ThreeWay(a) => {
            let (original, modified, current) =
                (read_object(&a.original)?, read_object(&a.modified)?, read_object(&a.current)?);
            let mut opts = PatchOptions::default();
            if a.helm3_two_way {
                opts.custom_resources = release_diff::CustomResourcePatch::HelmTwoWay;
            }
            let patch = three_way_patch(&original, &modified, &current, &opts)
                .map_err(|e| e.to_string())?;
            println!("# type: {} ({})", patch.patch_type.as_str(), patch.patch_type.content_type());
            print_value(&patch.patch, &a.output)?;
            if a.apply {
                let result = apply_patch(&current, &patch).map_err(|e| e.to_string())?;
                println!("# result");
                print_value(&result, &a.output)?;
            }
            Ok(())
        }
    }
}
