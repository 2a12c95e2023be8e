//! `chartkit values CHART`: the computed values of the top chart, as JSON.

use chart_core::{ComputeOptions, Value};

use super::CmdResult;

/// Flags of `chartkit values`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Chart directory or .tgz.
    chart: String,
    /// Values from files and `--set` flags.
    #[command(flatten)]
    values: super::ValueFlags,
    /// Do not validate values against values.schema.json.
    #[arg(long)]
    skip_schema_validation: bool,
    /// Print the values of every chart in the tree, keyed by chart path.
    #[arg(long)]
    all: bool,
}

/// Runs the command.
pub fn run(a: Args) -> CmdResult {
    let chart = super::load_chart(&a.chart)?;
    let opts = a.values.options();
    let user = opts.merge_values().map_err(|e| e.to_string())?;
    let mut copts = ComputeOptions::default();
    copts.skip_schema_validation = a.skip_schema_validation;
    let computed =
        chart_core::compute_values_owned(chart, &user, &copts).map_err(|e| e.to_string())?;
    for w in &computed.warnings {
        eprintln!("{}", chart_core::lint::warning_record(w));
    }
    let out = if a.all {
        let mut m = chart_core::Map::new();
        for (path, _, vals) in computed.scoped() {
            m.insert(path, Value::Map(vals));
        }
        Value::Map(m)
    } else {
        Value::Map(computed.values)
    };
    println!("{}", out.to_json_pretty().map_err(|e| e.to_string())?);
    Ok(())
}
