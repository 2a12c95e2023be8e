//! `chartkit params list CHART` and `chartkit params gen CHART...`: a chart's settable
//! parameters with type, default and description (from values.yaml comments and
//! values.schema.json), and a commented values file built from them.

use chart_core::Value;
use chart_core::params::{ChartParams, Param, chart_params, values_file};

use super::CmdResult;

/// Flags of `chartkit params`.
#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(clap::Subcommand, Debug)]
enum Command {
    /// List every parameter of a chart (and its subcharts) with type, default and description.
    List(ListArgs),
    /// Write a commented values file with every parameter at its default.
    Gen(GenArgs),
}

/// Output formats of `params list`.
#[derive(clap::ValueEnum, Clone, Copy, Debug, Default)]
enum Format {
    /// Aligned columns.
    #[default]
    Table,
    /// A JSON list.
    Json,
    /// A YAML list.
    Yaml,
}

/// Flags of `chartkit params list`.
#[derive(clap::Args, Debug)]
struct ListArgs {
    /// Chart directory or .tgz.
    chart: String,
    /// Output format.
    #[arg(short = 'o', long = "output", value_enum, default_value_t)]
    output: Format,
}

/// Flags of `chartkit params gen`.
#[derive(clap::Args, Debug)]
struct GenArgs {
    /// Chart directories or .tgz files; with several, each chart's values go under its name.
    #[arg(required = true)]
    charts: Vec<String>,
}

/// Runs the command.
pub fn run(a: Args) -> CmdResult {
    match a.command {
        Command::List(l) => list(l),
        Command::Gen(g) => generate(g),
    }
}

fn load(path: &str) -> Result<ChartParams, String> {
    let chart = super::load_chart(path)?;
    chart_params(&chart).map_err(|e| e.to_string())
}

fn list(a: ListArgs) -> CmdResult {
    let params = load(&a.chart)?;
    let out = match a.output {
        Format::Table => table(&params.params),
        Format::Json => {
            let mut s = params.to_value().to_json_pretty().map_err(|e| e.to_string())?;
            s.push('\n');
            s
        }
        Format::Yaml => chart_core::yaml::marshal(&params.to_value()).map_err(|e| e.to_string())?,
    };
    print!("{out}");
    Ok(())
}

fn generate(a: GenArgs) -> CmdResult {
    let charts = a.charts.iter().map(|c| load(c)).collect::<Result<Vec<_>, _>>()?;
    print!("{}", values_file(&charts).map_err(|e| e.to_string())?);
    Ok(())
}

/// The longest default shown in the table; JSON and YAML show all of it.
const MAX_DEFAULT: usize = 40;

/// The parameters as aligned columns: PARAMETER, TYPE, DEFAULT, DESCRIPTION.
fn table(params: &[Param]) -> String {
    let rows: Vec<[String; 4]> = params
        .iter()
        .map(|p| {
            let ty = p.value_type().map_or("-", |t| t.as_str()).to_owned();
            let default = match &p.default {
                None => "-".to_owned(),
                Some(v) => shorten(&v.to_json(false).unwrap_or_else(|_| default_text(v))),
            };
            [p.path.clone(), ty, default, p.description.replace('\n', " ")]
        })
        .collect();
    let header = ["PARAMETER", "TYPE", "DEFAULT", "DESCRIPTION"].map(String::from);
    let mut widths = [0usize; 3];
    for row in std::iter::once(&header).chain(&rows) {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    for row in std::iter::once(&header).chain(&rows) {
        let mut line = String::new();
        for (w, cell) in widths.iter().zip(row) {
            line.push_str(&format!("{cell:<w$}  "));
        }
        line.push_str(&row[3]);
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

fn default_text(v: &Value) -> String {
    v.to_string()
}

fn shorten(s: &str) -> String {
    if s.chars().count() <= MAX_DEFAULT {
        return s.to_owned();
    }
    let mut t: String = s.chars().take(MAX_DEFAULT - 3).collect();
    t.push_str("...");
    t
}
