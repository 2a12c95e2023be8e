//! `chartkit show chart|values|readme|crds|all CHART`.

use std::io::Write;

use chart_core::show::{ShowWhat, show};

use super::CmdResult;

/// What to show.
#[derive(clap::ValueEnum, Clone, Copy, Debug)]
pub enum What {
    /// Chart.yaml.
    Chart,
    /// values.yaml.
    Values,
    /// The README.
    Readme,
    /// The CRDs.
    Crds,
    /// Everything.
    All,
}

/// Flags of `chartkit show`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// What to show.
    what: What,
    /// Chart directory or .tgz.
    chart: String,
}

/// Runs the command.
pub fn run(a: Args) -> CmdResult {
    let chart = super::load_chart(&a.chart)?;
    let what = match a.what {
        What::Chart => ShowWhat::Chart,
        What::Values => ShowWhat::Values,
        What::Readme => ShowWhat::Readme,
        What::Crds => ShowWhat::Crds,
        What::All => ShowWhat::All,
    };
    std::io::stdout().write_all(&show(&chart, what)).map_err(|e| e.to_string())
}
