//! One module per subcommand.

pub mod create;
pub mod lint;
pub mod package;
pub mod params;
pub mod show;
pub mod template;
pub mod values;

/// A command's failure: the message printed after `Error: `.
pub type CmdResult = Result<(), String>;

/// Loads a chart from a directory or archive path, with the error as helm words it.
pub fn load_chart(path: &str) -> Result<chart_core::chart::Chart, String> {
    if !std::path::Path::new(path).exists() {
        return Err(format!("path \"{path}\" not found"));
    }
    chart_core::load(path).map_err(|e| e.to_string())
}
