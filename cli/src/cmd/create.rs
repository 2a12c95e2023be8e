//! `chartkit create NAME`: a new chart from chartkit's starter.

use super::CmdResult;

/// Flags of `chartkit create`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The chart name; the chart is created in a directory of that name.
    name: std::path::PathBuf,
}

/// Runs the command.
pub fn run(a: Args) -> CmdResult {
    let parent = a.name.parent().filter(|p| !p.as_os_str().is_empty());
    let name = a.name.file_name().and_then(|n| n.to_str()).ok_or("invalid chart name")?;
    println!("Creating {}", a.name.display());
    chart_core::create::create(name, parent.unwrap_or(std::path::Path::new(".")))
        .map(|_| ())
        .map_err(|e| e.to_string())
}
