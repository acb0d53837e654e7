//! The commands of the command line, one file each: each calls the library
//! and returns a [`Report`]; [`finish`] prints it the same way for all.

pub mod build;
pub mod check;
pub mod freeze;
pub mod import;
pub mod new;
pub mod serve;
pub mod template;
pub mod verify;

use std::process::ExitCode;

use crate::error::Problems;

/// What a command has to say, and how it ended.
#[derive(Default)]
pub struct Report {
    /// Printed first, to stderr, each as `warning: …`.
    pub warnings: Vec<String>,
    /// The result, to stdout, line by line (the summary line last).
    pub lines: Vec<String>,
    /// The problems found, to stderr, each with its position and hint.
    pub problems: Problems,
    /// The closing line of a failure, to stderr, as `error: …`.
    pub error: Option<String>,
    pub exit: Exit,
}

/// The exit code: the command did its work, failed, or was used wrongly.
#[derive(Default, Clone, Copy, PartialEq, Eq, Debug)]
pub enum Exit {
    #[default]
    Success = 0,
    Failure = 1,
    Usage = 2,
}

impl Report {
    /// Success, with these lines for stdout.
    pub fn done(lines: impl IntoIterator<Item = String>) -> Report {
        Report {
            lines: lines.into_iter().collect(),
            ..Report::default()
        }
    }

    /// Failure, closed by `error: {line}`.
    pub fn failed(line: impl Into<String>) -> Report {
        Report {
            error: Some(line.into()),
            exit: Exit::Failure,
            ..Report::default()
        }
    }

    /// Failure because of `problems`, closed by `error: N problems found`
    /// and, when given, what that means (`; nothing was published`).
    pub fn problems(problems: Problems, consequence: Option<&str>) -> Report {
        let n = problems.len();
        let mut line = format!("{n} problem{} found", if n == 1 { "" } else { "s" });
        if let Some(consequence) = consequence {
            line = format!("{line}; {consequence}");
        }
        Report {
            problems,
            ..Report::failed(line)
        }
    }

    /// Failure because of `problems`, with no closing line.
    pub fn only_problems(problems: Problems) -> Report {
        Report {
            problems,
            exit: Exit::Failure,
            ..Report::default()
        }
    }
}

/// Prints a command's report and gives its exit code: warnings, result
/// lines, problems, then the closing error line.
pub fn finish(report: Report) -> ExitCode {
    for warning in &report.warnings {
        eprintln!("warning: {warning}");
    }
    for line in &report.lines {
        println!("{line}");
    }
    eprint!("{}", report.problems);
    if let Some(error) = &report.error {
        eprintln!("error: {error}");
    }
    ExitCode::from(report.exit as u8)
}
