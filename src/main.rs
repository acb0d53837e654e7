//! The `rapor` command line: a thin layer over the library.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use rapor::cmd;

#[derive(Parser)]
#[command(
    name = "rapor",
    version,
    about = "Build the assessment site of a province's districts (8 convergence actions against stunting)"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Validate, compute, render and publish the site into the output folder.
    Build {
        /// The site folder, holding content/ (default: the current folder).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Where to publish (default: <root>/output).
        #[arg(long)]
        output: Option<PathBuf>,
        /// Overrides base_url of site.yaml, e.g. https://bappeda.example.go.id/stunting/
        #[arg(long, value_parser = base_url)]
        base_url: Option<String>,
        /// If another build of the same output is running, exit 1 at once
        /// instead of waiting for it to finish.
        #[arg(long)]
        no_wait: bool,
    },
    /// Validate only: print every problem; exit 1 if there is any.
    Check {
        /// The site folder, holding content/ (default: the current folder).
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// Record the fingerprint of a published year in content/<YEAR>/published.yaml;
    /// after that a build fails if the year's files change without a correction.
    Freeze {
        /// The performance year to freeze.
        year: i32,
        /// The site folder, holding content/ (default: the current folder).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The day of the freeze, YYYY-MM-DD (default: today), e.g. the plenary's.
        #[arg(long)]
        date: Option<String>,
    },
    /// Create a new site with the default rubric and two example districts.
    New {
        /// The folder to create; it must not exist or be empty.
        dir: PathBuf,
    },
    /// Build, serve on 127.0.0.1, rebuild and reload the browser on change.
    Serve {
        /// The site folder, holding content/ (default: the current folder).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The port to listen on.
        #[arg(long, default_value_t = 1111)]
        port: u16,
    },
    /// Write a blank score sheet (xlsx) for a year's rubric.
    Template {
        /// The performance year whose rubric the sheet follows.
        year: i32,
        /// The site folder, holding content/ (default: the current folder).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Where to write the sheet (default: penilaian-<year>.xlsx).
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Check a published output folder against its manifest.json: list every
    /// missing, extra or altered file; exit 1 if there is any.
    Verify {
        /// The published folder, e.g. output.
        dir: PathBuf,
    },
    /// Read a filled score sheet (xlsx or csv) into the year's district files.
    Import {
        /// The filled sheet.
        file: PathBuf,
        /// The performance year the sheet is for.
        #[arg(long)]
        year: i32,
        /// The site folder, holding content/ (default: the current folder).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Replace scores that differ from those already in the district files.
        #[arg(long)]
        force: bool,
    },
}

/// `--base-url` is checked as `base_url` in site.yaml is; a bad one is wrong usage.
fn base_url(url: &str) -> Result<String, String> {
    rapor::content::check_base_url(url)
        .map(|()| url.to_string())
        .map_err(|reason| format!("`{url}` {reason}; write the full address, e.g. https://bappeda.example.go.id/stunting/"))
}

fn main() -> ExitCode {
    let report = match Cli::parse().command {
        Command::Build {
            root,
            output,
            base_url,
            no_wait,
        } => {
            let output = output.unwrap_or_else(|| root.join("output"));
            cmd::build::run(&root, &output, base_url, no_wait)
        }
        Command::Check { root } => cmd::check::run(&root),
        Command::Freeze { year, root, date } => cmd::freeze::run(&root, year, date.as_deref()),
        Command::New { dir } => cmd::new::run(&dir),
        Command::Serve { root, port } => cmd::serve::run(&root, port),
        Command::Template { year, root, out } => cmd::template::run(&root, year, out),
        Command::Verify { dir } => cmd::verify::run(&dir),
        Command::Import {
            file,
            year,
            root,
            force,
        } => cmd::import::run(&root, &file, year, force),
    };
    cmd::finish(report)
}
