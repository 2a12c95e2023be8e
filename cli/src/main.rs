//! `chartkit`: Helm's chart toolchain as a fast Rust binary.
//!
//! Each subcommand parses its flags and calls one or two library functions; output and errors
//! follow `helm`'s where helm has the command (`Error: ...` on stderr, exit code 1).

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod cmd;
mod malloc;

#[global_allocator]
static ALLOCATOR: malloc::Allocator = malloc::Allocator;

/// Helm-compatible chart tooling.
#[derive(Parser, Debug)]
#[command(name = "chartkit", version, about = "A fast, Helm-compatible chart toolchain")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Print the values a chart's templates would see, as JSON (helm has no equivalent).
    Values(cmd::values::Args),
    /// Package a chart directory into a versioned chart archive.
    Package(cmd::package::Args),
    /// Show information about a chart.
    Show(cmd::show::Args),
    /// Create a new chart with the given name.
    Create(cmd::create::Args),
    /// Render a chart's templates locally, as `helm template` does.
    Template(cmd::template::Args),
    /// List a chart's parameters, or write a commented values file with their defaults.
    Params(cmd::params::Args),
    /// Examine charts for possible issues, as `helm lint` does.
    Lint(cmd::lint::Args),
    /// Verify that a chart archive has a valid provenance file, as `helm verify` does.
    Verify(cmd::verify::Args),
    /// Diff two releases' manifests, or compute Kubernetes three-way patches.
    Diff(cmd::diff::Args),
}

fn main() -> ExitCode {
    malloc::tune();
    quiet_library_backtraces();
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Values(a) => cmd::values::run(a),
        Command::Package(a) => cmd::package::run(a),
        Command::Show(a) => cmd::show::run(a),
        Command::Create(a) => cmd::create::run(a),
        Command::Template(a) => cmd::template::run(a),
        Command::Params(a) => cmd::params::run(a),
        Command::Lint(a) => cmd::lint::run(a),
        Command::Verify(a) => cmd::verify::run(a),
        Command::Diff(a) => cmd::diff::run(a),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("Error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Whether `main` set `RUST_LIB_BACKTRACE` itself (programs started by chartkit, such as a
/// post-renderer, must not inherit that).
pub static LIB_BACKTRACE_QUIETED: std::sync::atomic::AtomicBool =
    std::sync::atomic::AtomicBool::new(false);

/// Turns off the stack backtraces that library errors capture when `RUST_BACKTRACE` is set
/// (unless the user set `RUST_LIB_BACKTRACE`). sequoia makes and drops such errors while it reads
/// a keyring, and chartkit prints only their messages: each capture unwound the stack for
/// nothing, which doubled the time of a `verify`. Panic backtraces still follow `RUST_BACKTRACE`.
fn quiet_library_backtraces() {
    if std::env::var_os("RUST_LIB_BACKTRACE").is_none() {
        #[allow(unsafe_code)]
        // SAFETY: this runs first thing in `main`, before any other thread exists, so nothing
        // reads the environment while it changes.
        unsafe {
            std::env::set_var("RUST_LIB_BACKTRACE", "0");
        }
        LIB_BACKTRACE_QUIETED.store(true, std::sync::atomic::Ordering::Relaxed);
    }
}
