//! A site copied (or generated) into a temporary folder, and rapor run on it.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use super::*;

/// A copy of a site in a fresh temporary folder (at `<tmp>/site` unless
/// [`Fixture::copy_at`] says otherwise), with room beside it for what is
/// "outside the site".
pub struct Fixture {
    pub tmp: tempfile::TempDir,
    pub root: PathBuf,
    /// How long [`Fixture::rapor`] lets a run take.
    pub limit: Duration,
}

impl Fixture {
    /// A copy of `tests/fixtures/minimal` (4 districts, years 2030 and 2031).
    pub fn new() -> Fixture {
        Fixture::copy_at("tests/fixtures/minimal", "site")
    }

    /// A copy of the sample site (the repository's `content/`).
    pub fn sample() -> Fixture {
        let site = Fixture::empty();
        copy_dir(&repo().join("content"), &site.path("content"));
        site
    }

    /// An empty site folder, for a site the test writes itself.
    pub fn empty() -> Fixture {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("site");
        fs::create_dir_all(&root).unwrap();
        Fixture {
            tmp,
            root,
            limit: LIMIT,
        }
    }

    /// A site the test generates: `n` districts `d-0`, `d-1`, ... in
    /// `content/districts.yaml` and one year, 2040, with a one-indicator
    /// rubric (scores 0 to 2), in which the first `assessed` districts have
    /// a district file scoring `score(i)`.
    pub fn generated(n: usize, assessed: usize, score: impl Fn(usize) -> usize) -> Fixture {
        let site = Fixture::empty();
        site.write(
            "content/site.yaml",
            "title: Uji\nprovince: { name: Provinsi Uji, code: \"97\" }\nbase_url: https://uji.example/\n",
        );
        let registry: String = (0..n)
            .map(|i| format!("- {{ code: \"97.{i:05}\", name: Kabupaten Uji {i}, slug: d-{i}, kind: kabupaten }}\n"))
            .collect();
        site.write("content/districts.yaml", &registry);
        site.write(
            "content/2040/rubric.yaml",
            "title: Rubrik uji\ncomponents:\n  - { key: berkas, name: Berkas, weight: 100, from: actions }\nactions:\n  - number: 1\n    name: Satu\n    weight: 100\n    indicators:\n      - { key: \"1.1\", text: Satu, max: 2 }\ncategories:\n  - { min: 0, label: Semua }\n",
        );
        for i in 0..assessed {
            site.write(
                &format!("content/2040/districts/d-{i}.yaml"),
                &format!("indicators:\n  \"1.1\": {}\n", score(i)),
            );
        }
        site
    }

    /// A copy of the repository's folder `source` at `<tmp>/<at>`.
    pub fn copy_at(source: &str, at: &str) -> Fixture {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join(at);
        copy_dir(&repo().join(source), &root);
        Fixture {
            tmp,
            root,
            limit: LIMIT,
        }
    }

    /// A fresh copy of this site's `content/` and `themes/` (without its
    /// output) in a temporary folder of its own.
    pub fn copy(&self) -> Fixture {
        let other = Fixture::empty().within(self.limit);
        for folder in ["content", "themes"] {
            if self.path(folder).exists() {
                copy_dir(&self.path(folder), &other.path(folder));
            }
        }
        other
    }

    /// The same copy, its runs killed after `limit` instead of [`LIMIT`].
    pub fn within(mut self, limit: Duration) -> Fixture {
        self.limit = limit;
        self
    }

    /// A copy built once, successfully.
    pub fn built() -> Fixture {
        Fixture::new().and_built()
    }

    /// Builds this copy once, which must succeed.
    pub fn and_built(self) -> Fixture {
        let run = self.rapor(&["build"]);
        assert_eq!(run.code, Some(0), "the fixture must build\n{}", run.show());
        self
    }

    /// Runs `rapor build`, which must succeed; returns the `output/` folder.
    #[track_caller]
    pub fn build(&self) -> PathBuf {
        self.rapor(&["build"]).success();
        self.path("output")
    }

    /// Starts `rapor <args> --root <site>` in the site, for [`Fixture::finish`].
    pub fn spawn(&self, args: &[&str]) -> Child {
        let mut cmd = self.command(args);
        cmd.arg("--root").arg(&self.root);
        spawn(&mut cmd).unwrap()
    }

    /// Waits for a child of [`Fixture::spawn`] at most `self.limit`.
    pub fn finish(&self, child: Child) -> Run {
        let mut run = finish(child, self.limit);
        run.roots = self.roots();
        run
    }

    /// The temporary folder as given and as the system resolves it.
    fn roots(&self) -> Vec<String> {
        let tmp = self.tmp.path();
        let real = fs::canonicalize(tmp).unwrap_or_else(|_| tmp.to_path_buf());
        [real.as_path(), tmp]
            .map(|p| p.to_string_lossy().into_owned())
            .to_vec()
    }

    /// Runs `rapor <args> --root <site>` in the site, bounded by `self.limit`.
    pub fn rapor(&self, args: &[&str]) -> Run {
        self.rapor_within(args, self.limit)
    }

    /// Runs `rapor <args> --root <site>` in the site with 2 GB of address
    /// space, killed (failing the test) after `limit`.
    pub fn rapor_within(&self, args: &[&str], limit: Duration) -> Run {
        let mut cmd = self.command(args);
        cmd.arg("--root").arg(&self.root);
        self.run(cmd, limit)
    }

    /// Runs `rapor <args>` exactly as given (no `--root`), in the site.
    pub fn rapor_raw(&self, args: &[&str]) -> Run {
        self.run(self.command(args), self.limit)
    }

    /// `rapor <args>` to be run in the site folder, for a test that needs
    /// more than [`Fixture::rapor`] (an environment variable, a pipe).
    pub fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(RAPOR);
        cmd.args(args).current_dir(&self.root);
        cmd
    }

    /// Runs `cmd` with 2 GB of address space for at most `limit`.
    pub fn run(&self, mut cmd: Command, limit: Duration) -> Run {
        #[cfg(unix)]
        limit_memory(&mut cmd);
        let mut run = run_bounded(cmd, limit);
        run.roots = self.roots();
        run
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    /// Writes a file of the site, making its folder if need be.
    pub fn write(&self, rel: &str, text: &str) {
        let path = self.path(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }

    pub fn remove(&self, rel: &str) {
        fs::remove_file(self.path(rel)).unwrap();
    }

    /// A file of the site as text.
    pub fn read(&self, rel: &str) -> String {
        read(&self.path(rel))
    }

    /// Adds `text` at the end of a file.
    pub fn append(&self, rel: &str, text: &str) {
        self.write(rel, &(self.read(rel) + text));
    }

    /// Replaces `from` by `to` in a file; `from` must occur exactly once.
    #[track_caller]
    pub fn edit(&self, rel: &str, from: &str, to: &str) {
        let text = self.read(rel);
        assert_eq!(
            text.matches(from).count(),
            1,
            "{rel} must hold {from:?} once"
        );
        self.write(rel, &text.replacen(from, to, 1));
    }

    /// What `output/` holds now (see [`snapshot`]).
    pub fn output(&self) -> Tree {
        snapshot(&self.path("output"))
    }

    /// The whole temporary folder: the site, its output and anything beside.
    pub fn everything(&self) -> Tree {
        snapshot(self.tmp.path())
    }

    /// Names in the site folder, sorted.
    pub fn top_level(&self) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(&self.root)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    /// Starts `rapor serve` on `port` for this site, with `tmp` as its
    /// temporary folder, and waits (at most 30 s) until it answers.
    pub fn serve(&self, port: u16, tmp: &Path) -> Server {
        let mut cmd = self.command(&["serve", "--port", &port.to_string(), "--root"]);
        cmd.arg(&self.root)
            .env("TMPDIR", tmp)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        let server = Server(cmd.spawn().unwrap());
        assert!(
            eventually(Duration::from_secs(30), || get(port, "/").is_some()),
            "serve did not start"
        );
        server
    }

    /// A folder beside the site (outside it) holding one file.
    pub fn outside(&self, name: &str, text: &str) -> PathBuf {
        let dir = self.tmp.path().join("elsewhere");
        fs::create_dir_all(&dir).unwrap();
        fs::write(dir.join(name), text).unwrap();
        dir
    }

    /// Bad input (SPEC §7): builds this site, applies `spoil`, then checks
    /// that `build` exits 1 without saying it built, that `check` exits 1
    /// with the same problems, and that nothing changed on disk (`output/`
    /// is the previous site, nothing appeared anywhere in the temporary
    /// folder, no staging folder is left). Returns the build's run, whose
    /// [`Run::stderr_is`] then checks the whole message.
    #[track_caller]
    pub fn refuses(&self, spoil: impl FnOnce(&Fixture)) -> Run {
        let run = self.refuses_build(spoil);
        let before = self.everything();
        let check = self.rapor(&["check"]);
        assert_eq!(check.code, Some(1), "check must fail too\n{}", check.show());
        assert_eq!(
            check.problems(),
            run.problems(),
            "check and build disagree\n--- build ---\n{}\n--- check ---\n{}",
            run.stderr,
            check.stderr
        );
        assert_same_tree(&before, &self.everything(), "the folder after check");
        run
    }

    /// As [`Fixture::refuses`], for `build` alone (a problem `check` cannot
    /// see, such as a template that fails only when rendered).
    #[track_caller]
    pub fn refuses_build(&self, spoil: impl FnOnce(&Fixture)) -> Run {
        let run = self.rapor(&["build"]);
        assert_eq!(run.code, Some(0), "the fixture must build\n{}", run.show());
        let good = self.output();
        spoil(self);
        let before = self.everything();
        let run = self.rapor(&["build"]);
        assert_eq!(run.code, Some(1), "a spoilt site must fail\n{}", run.show());
        assert!(
            !run.stdout.contains("Built"),
            "a failed build says it built\n{}",
            run.show()
        );
        assert_same_tree(&good, &self.output(), "output/");
        assert_same_tree(&before, &self.everything(), "the temporary folder");
        run.assert_well_formed();
        run
    }
}
