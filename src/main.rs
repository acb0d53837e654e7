//! The `rapor` command line: a thin layer over the library.

use rapor::error::shown;
use rapor::{cmd, error, publish, render, serve, sheet};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use cmd::build::BuildError;
use rapor::freeze::FreezeOutcome;

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

fn print_problems(problems: &error::Problems) {
    eprint!("{problems}");
    let n = problems.len();
    eprintln!(
        "error: {n} problem{} found; nothing was published",
        if n == 1 { "" } else { "s" }
    );
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build {
            root,
            output,
            base_url,
            no_wait,
        } => {
            let output = output.unwrap_or_else(|| root.join("output"));
            let options = render::RenderOptions {
                base_url,
                body_end: None,
                archives: true,
            };
            let wait = if no_wait {
                publish::Wait::No
            } else {
                publish::Wait::Yes
            };
            match cmd::build::build(&root, &output, &options, wait) {
                Ok(report) => {
                    for warning in &report.warnings {
                        eprintln!("warning: {warning}");
                    }
                    if report.up_to_date {
                        println!(
                            "Nothing changed since the last build: {} is up to date ({} pages, {} files checked in {} ms)",
                            shown(&report.output),
                            report.pages,
                            report.files,
                            report.total.as_millis()
                        );
                    } else {
                        println!(
                            "Built {} pages ({} files, {} written, {} unchanged) into {} in {} ms (load and score {} ms, render and write {} ms, of which writing files {} ms and swapping in {} ms)",
                            report.pages,
                            report.files,
                            report.written,
                            report.files - report.written.min(report.files),
                            shown(&report.output),
                            report.total.as_millis(),
                            report.load.as_millis(),
                            report.render_and_write.as_millis(),
                            report.writing.as_millis(),
                            report.swap.as_millis()
                        );
                    }
                    ExitCode::SUCCESS
                }
                Err(BuildError::Content(problems)) => {
                    print_problems(&problems);
                    ExitCode::from(1)
                }
                Err(BuildError::Io(message)) => {
                    eprintln!("error: could not write the site: {message}");
                    ExitCode::from(1)
                }
                Err(BuildError::Busy(message)) => {
                    eprintln!("error: {message}");
                    ExitCode::from(1)
                }
            }
        }
        Command::Freeze { year, root, date } => {
            match cmd::freeze::freeze(&root, year, date.as_deref()) {
                Ok(outcome) => {
                    let file = format!("content/{year}/published.yaml");
                    match outcome {
                        FreezeOutcome::Frozen { files, districts } => println!(
                            "Froze {year}: {files} files and {districts} districts recorded in {file}"
                        ),
                        FreezeOutcome::Corrected { freezes, previous } => println!(
                            "Froze {year} again after a correction (freeze {freezes}, the last was on {previous}); recorded in {file}"
                        ),
                        FreezeOutcome::Unchanged { date } => println!(
                            "{year} has not changed since it was frozen on {date}; nothing written"
                        ),
                    }
                    ExitCode::SUCCESS
                }
                Err(problems) => {
                    eprint!("{problems}");
                    eprintln!(
                        "error: {} problem{} found; {year} was not frozen",
                        problems.len(),
                        if problems.len() == 1 { "" } else { "s" }
                    );
                    ExitCode::from(1)
                }
            }
        }
        Command::New { dir } => match cmd::new::new_site(&dir) {
            Ok(year) => {
                println!(
                    "Created a new site in {} with performance year {year}.",
                    shown(&dir)
                );
                println!("Next: cd {} && rapor serve", shown(&dir));
                ExitCode::SUCCESS
            }
            Err(problems) => {
                eprint!("{problems}");
                ExitCode::from(1)
            }
        },
        Command::Serve { root, port } => match serve::serve(&root, port) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::from(1)
            }
        },
        Command::Template { year, root, out } => {
            let out = out.unwrap_or_else(|| PathBuf::from(format!("penilaian-{year}.xlsx")));
            match sheet::write_template(&root, year, &out) {
                Ok(()) => {
                    println!("Wrote the {year} score sheet to {}", shown(&out));
                    ExitCode::SUCCESS
                }
                Err(problems) => {
                    eprint!("{problems}");
                    ExitCode::from(1)
                }
            }
        }
        Command::Import {
            file,
            year,
            root,
            force,
        } => match sheet::import(&root, &file, year, force) {
            Ok(report) => {
                for path in &report.written {
                    println!("updated {}", shown(path));
                }
                println!(
                    "Imported {} district files for {year}",
                    report.written.len()
                );
                ExitCode::SUCCESS
            }
            Err(failure) => {
                eprint!("{}", failure.problems);
                eprintln!("{}", failure.summary());
                ExitCode::from(1)
            }
        },
        Command::Verify { dir } => match cmd::verify::verify(&dir) {
            Ok(verified) => {
                for finding in &verified.findings {
                    println!(
                        "{}: {}",
                        shown(&dir.join(&finding.path)),
                        finding.difference
                    );
                }
                let listed = verified.manifest.files.len();
                let date = verified
                    .manifest
                    .data_date
                    .as_deref()
                    .map(|d| format!(", data as of {d}"))
                    .unwrap_or_default();
                let source = format!("rapor {}{date}", verified.manifest.rapor_version);
                let n = verified.findings.len();
                if n == 0 {
                    println!(
                        "All {listed} files of {} match its manifest ({source})",
                        shown(&dir)
                    );
                    ExitCode::SUCCESS
                } else {
                    eprintln!(
                        "error: {n} file{} of {} differ{} from its manifest ({listed} files listed, {source})",
                        if n == 1 { "" } else { "s" },
                        shown(&dir),
                        if n == 1 { "s" } else { "" }
                    );
                    ExitCode::from(1)
                }
            }
            Err(cmd::verify::VerifyError::NotAFolder(message)) => {
                eprintln!("error: {message}");
                ExitCode::from(2)
            }
            Err(cmd::verify::VerifyError::NoManifest(message)) => {
                eprintln!("error: {message}");
                ExitCode::from(1)
            }
        },
        Command::Check { root } => match cmd::check::check(&root) {
            Ok((years, files, warnings)) => {
                for warning in warnings.to_string().lines() {
                    eprintln!("warning: {warning}");
                }
                println!("No problems: {years} years, {files} district files checked");
                ExitCode::SUCCESS
            }
            Err(problems) => {
                eprint!("{problems}");
                eprintln!(
                    "error: {} problem{} found",
                    problems.len(),
                    if problems.len() == 1 { "" } else { "s" }
                );
                ExitCode::from(1)
            }
        },
    }
}
