//! `chartkit package CHART... [-d DIR] [--version V] [--app-version V]`.

use chart_core::package::{PackageOptions, package_dir};

use super::CmdResult;

/// Flags of `chartkit package`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Chart directories to package.
    #[arg(required = true)]
    charts: Vec<std::path::PathBuf>,
    /// Where to write the archives (default: the current directory).
    #[arg(short = 'd', long = "destination")]
    destination: Option<std::path::PathBuf>,
    /// Override the chart version.
    #[arg(long)]
    version: Option<String>,
    /// Override the app version.
    #[arg(long = "app-version")]
    app_version: Option<String>,
}

/// Runs the command.
pub fn run(a: Args) -> CmdResult {
    for chart in &a.charts {
        let mut opts = PackageOptions::default();
        opts.version = a.version.clone();
        opts.app_version = a.app_version.clone();
        opts.destination = a.destination.clone();
        let path = package_dir(chart, &opts).map_err(|e| e.to_string())?;
        println!("Successfully packaged chart and saved it to: {}", path.display());
    }
    Ok(())
}
