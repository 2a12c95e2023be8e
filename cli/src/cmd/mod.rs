//! One module per subcommand.

pub mod create;
pub mod diff;
pub mod lint;
pub mod package;
pub mod params;
pub mod show;
pub mod template;
pub mod values;
pub mod verify;

/// A command's failure: the message printed after `Error: `.
pub type CmdResult = Result<(), String>;

/// Loads a chart from a directory or archive path, with the error as helm words it.
pub fn load_chart(path: &str) -> Result<chart_core::chart::Chart, String> {
    locate_chart(path)?;
    chart_core::load(path).map_err(|e| e.to_string())
}

/// helm's `LocateChart` for a local path: the error when nothing is there.
pub fn locate_chart(path: &str) -> CmdResult {
    if std::path::Path::new(path).exists() {
        Ok(())
    } else {
        Err(format!("path \"{path}\" not found"))
    }
}

/// The value flags `template`, `lint` and `values` share, as helm has them.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct ValueFlags {
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
}

impl ValueFlags {
    /// The flags as chart-core's [`chart_core::values::ValueOptions`].
    pub fn options(&self) -> chart_core::values::ValueOptions {
        let mut o = chart_core::values::ValueOptions::default();
        o.value_files = self.values_files.clone();
        o.values = self.set.clone();
        o.string_values = self.set_string.clone();
        o.json_values = self.set_json.clone();
        o.file_values = self.set_file.clone();
        o.literal_values = self.set_literal.clone();
        o
    }
}
