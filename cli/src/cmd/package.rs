//! `chartkit package CHART... [-d DIR] [--version V] [--app-version V]
//! [--sign --key NAME --keyring SECRING [--passphrase-file FILE]]`.

use std::io::{BufRead, IsTerminal};
use std::path::{Path, PathBuf};

use chart_core::package::{PackageOptions, package_dir};
use chart_provenance::{Keyring, SignOptions, SigningKey};

use super::CmdResult;

/// Flags of `chartkit package`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Chart directories to package.
    #[arg(required = true)]
    charts: Vec<PathBuf>,
    /// Where to write the archives (default: the current directory).
    #[arg(short = 'd', long = "destination")]
    destination: Option<PathBuf>,
    /// Override the chart version.
    #[arg(long)]
    version: Option<String>,
    /// Override the app version.
    #[arg(long = "app-version")]
    app_version: Option<String>,
    /// Sign the package with a PGP key and write `NAME-VERSION.tgz.prov` beside it.
    #[arg(long)]
    sign: bool,
    /// Name of the key to sign with: a user id, or a part of one that only one key has.
    #[arg(long)]
    key: Option<String>,
    /// Keyring holding the secret key (binary or ASCII-armored); default `~/.gnupg/pubring.gpg`.
    #[arg(long)]
    keyring: Option<PathBuf>,
    /// File whose first line is the key's passphrase (`-` reads it from stdin).
    #[arg(long = "passphrase-file")]
    passphrase_file: Option<PathBuf>,
    /// Sign with this subkey (fingerprint or key id) instead of the primary key.
    #[arg(long = "sign-subkey", requires = "sign")]
    sign_subkey: Option<String>,
}

/// Reads the first line of the passphrase file (`-`: stdin), as helm does.
fn read_passphrase(file: &Path) -> Result<Vec<u8>, String> {
    let mut line = Vec::new();
    if file == Path::new("-") {
        let stdin = std::io::stdin();
        if stdin.is_terminal() {
            return Err("specified reading passphrase from stdin, without input on stdin".into());
        }
        stdin.lock().read_until(b'\n', &mut line).map_err(|e| e.to_string())?;
    } else {
        let f = std::fs::File::open(file)
            .map_err(|e| format!("open {}: {}", file.display(), go_io_text(&e)))?;
        std::io::BufReader::new(f).read_until(b'\n', &mut line).map_err(|e| e.to_string())?;
    }
    if line.is_empty() {
        return Err("EOF".into());
    }
    if line.ends_with(b"\n") {
        line.pop();
        if line.ends_with(b"\r") {
            line.pop();
        }
    }
    Ok(line)
}

/// An I/O error as Go words it (`no such file or directory`).
fn go_io_text(e: &std::io::Error) -> String {
    let t = e.to_string();
    let t = t.split(" (os error").next().unwrap_or(&t).to_string();
    let mut c = t.chars();
    c.next().map(|f| f.to_lowercase().chain(c).collect()).unwrap_or_default()
}

/// The key to sign with, unlocked, as helm's `Clearsign` prepares it.
fn signing_key(a: &Args, passphrase: &mut Option<Vec<u8>>) -> Result<SigningKey, String> {
    let ring_path = super::verify::keyring_or_default(a.keyring.clone());
    let ring = Keyring::from_file(&ring_path).map_err(|e| e.to_string())?;
    let mut key = ring.signing_key(a.key.as_deref().unwrap_or("")).map_err(|e| e.to_string())?;
    if let Some(sub) = &a.sign_subkey {
        key = key.with_subkey(sub).map_err(|e| e.to_string())?;
    }
    key.check_secret().map_err(|e| e.to_string())?;
    if key.is_encrypted() {
        let pass = match (passphrase.as_ref(), &a.passphrase_file) {
            (Some(p), _) => p.clone(),
            (None, Some(file)) => {
                let p = read_passphrase(file)?;
                *passphrase = Some(p.clone());
                p
            }
            (None, None) => {
                return Err(chart_provenance::ProvenanceError::PassphraseNeeded {
                    name: key.name(),
                }
                .to_string());
            }
        };
        key.unlock(&pass).map_err(|e| e.to_string())?;
    }
    Ok(key)
}

/// Runs the command.
pub fn run(a: Args) -> CmdResult {
    let mut passphrase = None;
    for chart in &a.charts {
        let mut opts = PackageOptions::default();
        opts.version = a.version.clone();
        opts.app_version = a.app_version.clone();
        opts.destination = a.destination.clone();
        let path = package_dir(chart, &opts).map_err(|e| e.to_string())?;
        if a.sign {
            let key = signing_key(&a, &mut passphrase)?;
            chart_provenance::sign_chart_file(&path, &key, &SignOptions::default())
                .map_err(|e| e.to_string())?;
        }
        println!("Successfully packaged chart and saved it to: {}", path.display());
    }
    Ok(())
}
