//! `chartkit verify CHART.tgz [--keyring PUBRING]`: check a chart archive against its `.prov`.

use std::path::PathBuf;

use super::CmdResult;

/// Flags of `chartkit verify`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The chart archive; its provenance file is `CHART.tgz.prov`.
    chart: PathBuf,
    /// Keyring holding the public keys to trust (binary or ASCII-armored); default
    /// `~/.gnupg/pubring.gpg`.
    #[arg(long)]
    keyring: Option<PathBuf>,
}

/// The keyring flag's value, or helm's default.
pub fn keyring_or_default(keyring: Option<PathBuf>) -> PathBuf {
    keyring.unwrap_or_else(chart_provenance::default_keyring_path)
}

/// Runs the command.
pub fn run(a: Args) -> CmdResult {
    let keyring = keyring_or_default(a.keyring);
    let v = chart_provenance::verify_chart(&a.chart, &keyring).map_err(|e| e.to_string())?;
    print!("{}", v.helm_report());
    Ok(())
}
