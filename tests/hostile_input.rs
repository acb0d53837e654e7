//! Hostile input and careless operators: rapor reads only what belongs to
//! the site (issue 8, items 4, 5, 6, 9 and 15).
//!
//! Each test copies `tests/fixtures/minimal` into a fresh temporary folder,
//! builds it once, spoils one thing and runs the binary again, always under
//! a time limit (a run that outlives it is killed and fails the test) and a
//! memory limit. A refused build exits 1, prints the problem with its
//! position and leaves `output/` exactly as it was.

#![cfg(unix)]

mod common;

use std::fs;

use std::os::unix::fs::symlink;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use common::{Fixture, Run, LIMIT};
use snapbox::str;

fn mkfifo(path: &Path) {
    let _ = fs::remove_file(path);
    let status = Command::new("mkfifo").arg(path).status().unwrap();
    assert!(status.success(), "mkfifo {}", path.display());
}

// ---------------------------------------------------------------- item 4

#[test]
fn a_theme_is_a_folder_name_never_a_path() {
    // `/usr` last: before the fix it would read all of /usr.
    let mut printed = String::new();
    for name in [
        "../../elsewhere",
        "../..",
        "ELSEWHERE",
        "a/b",
        "a\\\\b",
        "..",
        "/usr",
    ] {
        let site = Fixture::new();
        let run = site.refuses(|site| {
            let dir = site.outside("secret.txt", "secret");
            fs::create_dir_all(dir.join("static")).unwrap();
            fs::write(dir.join("static/leak.txt"), "LEAKED").unwrap();
            let value = if name == "ELSEWHERE" {
                format!("\"{}\"", dir.display())
            } else {
                format!("\"{name}\"")
            };
            site.edit(
                "content/site.yaml",
                "theme: default",
                &format!("theme: {value}"),
            );
        });
        assert!(!site.path("output/leak.txt").exists());
        printed += &run.redact(&run.stderr);
    }
    Run::text_is(
        &printed,
        str![[r#"
content/site.yaml:6:8: theme: `../../elsewhere` is not the name of a theme folder (write the name of a folder under themes/ (letters, digits, -, _), or `default`)
error: 1 problem found; nothing was published
content/site.yaml:6:8: theme: `../..` is not the name of a theme folder (write the name of a folder under themes/ (letters, digits, -, _), or `default`)
error: 1 problem found; nothing was published
content/site.yaml:6:8: theme: `[ROOT]/elsewhere` is not the name of a theme folder (write the name of a folder under themes/ (letters, digits, -, _), or `default`)
error: 1 problem found; nothing was published
content/site.yaml:6:8: theme: `a/b` is not the name of a theme folder (write the name of a folder under themes/ (letters, digits, -, _), or `default`)
error: 1 problem found; nothing was published
content/site.yaml:6:8: theme: `a\b` is not the name of a theme folder (write the name of a folder under themes/ (letters, digits, -, _), or `default`)
error: 1 problem found; nothing was published
content/site.yaml:6:8: theme: `..` is not the name of a theme folder (write the name of a folder under themes/ (letters, digits, -, _), or `default`)
error: 1 problem found; nothing was published
content/site.yaml:6:8: theme: `/usr` is not the name of a theme folder (write the name of a folder under themes/ (letters, digits, -, _), or `default`)
error: 1 problem found; nothing was published

"#]],
    );
}

#[test]
fn a_theme_that_does_not_exist_is_a_problem_at_its_line() {
    let run = Fixture::new()
        .refuses(|site| site.edit("content/site.yaml", "theme: default", "theme: nosuch"));
    run.stderr_is(str![[r#"
content/site.yaml:6:8: theme: theme `nosuch` not found (create themes/nosuch/ or use `theme: default`)
error: 1 problem found; nothing was published

"#]]);
}

#[test]
fn a_theme_folder_of_the_site_still_works() {
    let site = Fixture::new();
    fs::create_dir_all(site.path("themes/mine/static")).unwrap();
    fs::write(site.path("themes/mine/static/extra.css"), "b{}").unwrap();
    site.edit("content/site.yaml", "theme: default", "theme: mine");
    let run = site.rapor(&["build"]);
    assert_eq!(run.code, Some(0), "{}", run.show());
    assert_eq!(fs::read(site.path("output/extra.css")).unwrap(), b"b{}");
}

// ---------------------------------------------------------------- item 5

#[test]
fn a_media_folder_linked_outside_the_site_is_refused() {
    let site = Fixture::new();
    let run = site.refuses(|site| {
        let dir = site.outside("secret.svg", "<svg>SECRET</svg>");
        fs::remove_dir_all(site.path("content/2030/media")).unwrap();
        symlink(&dir, site.path("content/2030/media")).unwrap();
    });
    run.stderr_is(str![[r#"
content/2030/districts/alpha.md:3:1: image `media/posyandu-keliling.svg` does not exist (images are relative to the year folder: put it at content/2030/media/posyandu-keliling.svg)
content/2030/districts/delta-kota.yaml:20:12: innovations[0].image: image `media/posyandu-keliling.svg` does not exist (images are relative to the year folder: put it at content/2030/media/posyandu-keliling.svg)
content/2030/media: is a link that leads outside the site (rapor reads only files inside the site folder; copy the file or folder here instead of linking to it)
error: 3 problems found; nothing was published

"#]]);
    assert!(!site.path("output/2030/secret.svg").exists());
}

#[test]
fn a_media_file_linked_outside_the_site_is_refused() {
    let run = Fixture::new().refuses(|site| {
        let dir = site.outside("secret.svg", "<svg>SECRET</svg>");
        symlink(
            dir.join("secret.svg"),
            site.path("content/2030/media/x.svg"),
        )
        .unwrap();
    });
    run.stderr_is(str![[r#"
content/2030/media/x.svg: is a link that leads outside the site (rapor reads only files inside the site folder; copy the file or folder here instead of linking to it)
error: 1 problem found; nothing was published

"#]]);
}

#[test]
fn a_district_file_linked_outside_the_site_is_refused() {
    let site = Fixture::new();
    let run = site.refuses(|site| {
        // A perfectly good district file, but not the site's own.
        let text = fs::read_to_string(site.path("content/2030/districts/beta.yaml")).unwrap();
        let dir = site.outside("beta.yaml", &text);
        fs::remove_file(site.path("content/2030/districts/beta.yaml")).unwrap();
        symlink(
            dir.join("beta.yaml"),
            site.path("content/2030/districts/beta.yaml"),
        )
        .unwrap();
    });
    run.stderr_is(str![[r#"
content/2030/districts/beta.yaml: is a link that leads outside the site (rapor reads only files inside the site folder; copy the file or folder here instead of linking to it)
error: 1 problem found; nothing was published

"#]]);
    assert!(!run.stderr.contains(&site.tmp.path().display().to_string()));
}

#[test]
fn a_theme_static_file_linked_outside_the_site_is_refused() {
    let site = Fixture::new();
    fs::create_dir_all(site.path("themes/mine/static")).unwrap();
    site.edit("content/site.yaml", "theme: default", "theme: mine");
    let run = site.rapor(&["build"]);
    assert_eq!(run.code, Some(0), "{}", run.show());
    let good = site.output();
    let dir = site.outside("passwd", "root:x:0:0");
    symlink(dir.join("passwd"), site.path("themes/mine/static/leak.txt")).unwrap();
    let mut printed = String::new();
    for cmd in ["build", "check"] {
        let run = site.rapor(&[cmd]);
        assert_eq!(run.code, Some(1), "{}", run.show());
        printed += &format!("$ rapor {cmd}\n{}", run.redact(&run.stderr));
    }
    assert!(site.output() == good);
    Run::text_is(
        &printed,
        str![[r#"
$ rapor build
themes/mine/static/leak.txt: is a link that leads outside the site (rapor reads only files inside the site folder; copy the file or folder here instead of linking to it)
error: 1 problem found; nothing was published
$ rapor check
themes/mine/static/leak.txt: is a link that leads outside the site (rapor reads only files inside the site folder; copy the file or folder here instead of linking to it)
error: 1 problem found

"#]],
    );
}

#[test]
fn links_inside_the_site_are_followed() {
    let site = Fixture::new();
    // 2031 shows the same media as 2030 through a link to its folder.
    symlink("../2030/media", site.path("content/2031/media")).unwrap();
    symlink("beta.yaml", site.path("content/2031/districts/gamma.yaml")).unwrap();
    let run = site.rapor(&["build"]);
    assert_eq!(run.code, Some(0), "{}", run.show());
    assert!(site
        .path("output/2031/media/posyandu-keliling.svg")
        .is_file());
    assert!(site.path("output/2031/gamma/index.html").is_file());
}

// ---------------------------------------------------------------- item 6

#[test]
fn a_fifo_as_a_district_file_does_not_hang_build_or_check() {
    let run = Fixture::new().refuses(|site| mkfifo(&site.path("content/2030/districts/beta.yaml")));
    run.stderr_is(str![[r#"
content/2030/districts/beta.yaml: is a named pipe (FIFO), not a regular file (rapor reads only ordinary files; put the file itself here)
error: 1 problem found; nothing was published

"#]]);
}

#[test]
fn a_fifo_as_a_narrative_or_site_yaml_does_not_hang() {
    let run = Fixture::new().refuses(|site| mkfifo(&site.path("content/2030/districts/beta.md")));
    run.stderr_is(str![[r#"
content/2030/districts/beta.md: is a named pipe (FIFO), not a regular file (rapor reads only ordinary files; put the file itself here)
error: 1 problem found; nothing was published

"#]]);
    let run = Fixture::new().refuses(|site| mkfifo(&site.path("content/site.yaml")));
    run.stderr_is(str![[r#"
content/site.yaml: is a named pipe (FIFO), not a regular file (rapor reads only ordinary files; put the file itself here)
error: 1 problem found; nothing was published

"#]]);
}

#[test]
fn a_fifo_or_folder_named_province_md_or_year_yaml_is_a_problem() {
    let run = Fixture::new().refuses(|site| mkfifo(&site.path("content/2030/province.md")));
    run.stderr_is(str![[r#"
content/2030/province.md: is a named pipe (FIFO), not a regular file (rapor reads only ordinary files; put the file itself here)
error: 1 problem found; nothing was published

"#]]);
    let run = Fixture::new().refuses(|site| {
        fs::remove_file(site.path("content/2030/year.yaml")).unwrap();
        mkfifo(&site.path("content/2030/year.yaml"));
    });
    run.stderr_is(str![[r#"
content/2030/year.yaml: is a named pipe (FIFO), not a regular file (rapor reads only ordinary files; put the file itself here)
error: 1 problem found; nothing was published

"#]]);
    let run =
        Fixture::new().refuses(|site| fs::create_dir(site.path("content/2031/year.yaml")).unwrap());
    run.stderr_is(str![[r#"
content/2031/year.yaml: is a folder, not a file (put the file itself here, or remove the folder)
error: 1 problem found; nothing was published

"#]]);
    let run = Fixture::new()
        .refuses(|site| fs::create_dir(site.path("content/2031/province.md")).unwrap());
    run.stderr_is(str![[r#"
content/2031/province.md: is a folder, not a file (put the file itself here, or remove the folder)
error: 1 problem found; nothing was published

"#]]);
}

#[test]
fn a_link_to_dev_zero_is_refused_at_once() {
    let run = Fixture::new().refuses(|site| {
        fs::remove_file(site.path("content/2030/districts/beta.yaml")).unwrap();
        symlink("/dev/zero", site.path("content/2030/districts/beta.yaml")).unwrap();
    });
    run.stderr_is(str![[r#"
content/2030/districts/beta.yaml: is a link that leads outside the site (rapor reads only files inside the site folder; copy the file or folder here instead of linking to it)
error: 1 problem found; nothing was published

"#]]);
}

#[test]
fn serve_reports_a_fifo_and_keeps_serving() {
    let site = Fixture::new();
    mkfifo(&site.path("content/2030/districts/beta.yaml"));
    let port = common::free_port();
    let _server = site.serve(port, &std::env::temp_dir());
    let start = Instant::now();
    let mut last = None;
    while start.elapsed() < LIMIT {
        last = common::get(port, "/__rapor/poll?v=0");
        if last
            .as_ref()
            .is_some_and(|(_, r)| r.contains("beta.yaml") && r.contains("named pipe"))
        {
            return;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("serve did not report the FIFO within {LIMIT:?}; last answer: {last:?}");
}

#[test]
fn problems_quote_only_a_short_escaped_excerpt() {
    // A system file copied in as a district file: its lines would be an
    // unknown key, and the terminal escape a score.
    let passwd: String = (0..15)
        .map(|i| format!("user{i}:x:{i}:{i}:User {i}:/home/user{i}:/bin/sh\\n"))
        .collect();
    let run = Fixture::new().refuses(|site| {
        fs::write(
            site.path("content/2030/districts/beta.yaml"),
            format!("\"{passwd}TAIL-OF-THE-FILE\": 1\n"),
        )
        .unwrap();
        site.edit(
            "content/2030/districts/alpha.yaml",
            "\"1.1\": 4",
            "\"1.1\": \"\\e[2J\\e]0;owned\\u0007 and a long tail that goes on\"",
        );
    });
    run.stderr_is(str![[r#"
content/2030/districts/alpha.yaml:4:10: indicators."1.1": `\x1b[2J\x1b]0;owned\x07 and a long tail …` is not a score (use a whole number from 0 to 4)
content/2030/districts/alpha.yaml:4:10: indicators."1.1": the value holds the invisible control character U+001B (remove it; it usually comes from a `\u`, `\x` or `\0` escape in double quotes)
content/2030/districts/beta.yaml:1:1: unknown key `user0:x:0:0:User 0:/home/user0:/bin/sh\n…` (check the spelling; allowed here: assessed_on, indicators, components, prevalence, coverage, budget, feedback, innovations, follow_up)
content/2030/districts/beta.yaml:1:1: "user0:x:0:0:User 0:/home/user0:/bin/sh\nuser1:x:1:1:User 1:/home/user1:/bin/sh…: the key holds a tab or line break (write it on one line, without `|` or `>` and without `\t` or `\n`)
content/2030/districts/beta.yaml:2:1: the file is empty (see README.md for what this file holds)
error: 5 problems found; nothing was published

"#]]);
    assert!(!run.stderr.contains("TAIL-OF-THE-FILE"), "{}", run.show());
    assert!(!run.stderr.contains("user5:"), "{}", run.show());
    assert!(
        !run.stderr.chars().any(|c| c.is_control() && c != '\n'),
        "a control character reached the terminal\n{}",
        run.show()
    );
    for line in run.problems() {
        assert!(line.chars().count() < 600, "a long problem line: {line}");
    }
}

// ---------------------------------------------------------------- item 9

#[test]
fn base_url_in_site_yaml_is_an_http_address_with_a_host() {
    let mut printed = String::new();
    for bad in [
        "//evil.example/",
        "javascript:alert(1)",
        "https:///stunting/",
        "http://",
        "https://bappeda.example@evil.example/",
        "\"https://a.example/\\\" onload=x\"",
    ] {
        let run = Fixture::new().refuses(|site| {
            site.edit(
                "content/site.yaml",
                "base_url: https://contoh.example/penilaian/",
                &format!("base_url: {bad}"),
            )
        });
        printed += &run.redact(&run.stderr);
    }
    Run::text_is(
        &printed,
        str![[r#"
content/site.yaml:4:11: base_url: `//evil.example/` starts with `//`, which points every link at another host (write the full address, e.g. https://bappeda.example.go.id/stunting/)
error: 1 problem found; nothing was published
content/site.yaml:4:11: base_url: `javascript:alert(1)` is not a web address starting with http:// or https:// (write the full address, e.g. https://bappeda.example.go.id/stunting/)
error: 1 problem found; nothing was published
content/site.yaml:4:11: base_url: `https:///stunting/` names no valid host after http:// or https:// (write the full address, e.g. https://bappeda.example.go.id/stunting/)
error: 1 problem found; nothing was published
content/site.yaml:4:11: base_url: `http://` names no valid host after http:// or https:// (write the full address, e.g. https://bappeda.example.go.id/stunting/)
error: 1 problem found; nothing was published
content/site.yaml:4:11: base_url: `https://bappeda.example@evil.example/` holds a user name or password (`@`) (write the full address, e.g. https://bappeda.example.go.id/stunting/)
error: 1 problem found; nothing was published
content/site.yaml:4:11: base_url: `https://a.example/" onload=x` holds '"', which has no place in a web address (write the full address, e.g. https://bappeda.example.go.id/stunting/)
error: 1 problem found; nothing was published

"#]],
    );
}

#[test]
fn base_url_flag_is_checked_like_site_yaml() {
    let site = Fixture::built();
    let good = site.output();
    let mut printed = String::new();
    for bad in [
        "javascript:alert(1)",
        "//evil.example/",
        "https://",
        "data:text/html,x",
    ] {
        let run = site.rapor(&["build", "--base-url", bad]);
        assert_eq!(run.code, Some(2), "wrong usage\n{}", run.show());
        assert!(
            run.stderr.contains("--base-url") && run.stderr.contains("https://"),
            "{}",
            run.show()
        );
        assert!(site.output() == good, "output/ changed");
        printed += &run.redact(&run.stderr);
    }
    Run::text_is(
        &printed,
        str![[r#"
error: invalid value 'javascript:alert(1)' for '--base-url <BASE_URL>': `javascript:alert(1)` is not a web address starting with http:// or https://; write the full address, e.g. https://bappeda.example.go.id/stunting/

For more information, try '--help'.
error: invalid value '//evil.example/' for '--base-url <BASE_URL>': `//evil.example/` starts with `//`, which points every link at another host; write the full address, e.g. https://bappeda.example.go.id/stunting/

For more information, try '--help'.
error: invalid value 'https://' for '--base-url <BASE_URL>': `https://` names no valid host after http:// or https://; write the full address, e.g. https://bappeda.example.go.id/stunting/

For more information, try '--help'.
error: invalid value 'data:text/html,x' for '--base-url <BASE_URL>': `data:text/html,x` is not a web address starting with http:// or https://; write the full address, e.g. https://bappeda.example.go.id/stunting/

For more information, try '--help'.

"#]],
    );
    let run = site.rapor(&["build", "--base-url", "https://rapor.example.go.id/sub/"]);
    assert_eq!(run.code, Some(0), "{}", run.show());
    let home = fs::read_to_string(site.path("output/index.html")).unwrap();
    assert!(home.contains("/sub/"), "the flag's address is used");
}

#[test]
fn base_url_may_be_a_path_from_the_host_root() {
    let site = Fixture::new();
    site.edit(
        "content/site.yaml",
        "base_url: https://contoh.example/penilaian/",
        "base_url: /penilaian/",
    );
    let run = site.rapor(&["build"]);
    assert_eq!(run.code, Some(0), "{}", run.show());
}

// ---------------------------------------------------------------- item 15

#[test]
fn a_rubric_problem_does_not_hide_the_district_files_problems() {
    let run = Fixture::new().refuses(|site| {
        site.edit(
            "content/2030/rubric.yaml",
            "tie_break: [wawancara]",
            "tie_break: [wawancra]",
        );
        site.edit("content/2030/rubric.yaml", "weight: 20", "weight: 25");
        site.edit(
            "content/2030/rubric.yaml",
            "{ min: 50, label: Madya }",
            "{ min: 90, label: Madya }",
        );
        site.edit(
            "content/2030/districts/alpha.yaml",
            "\"1.1\": 4",
            "\"1.1\": 9",
        );
        site.edit(
            "content/2030/districts/beta.yaml",
            "assessed_on:",
            "asessed_on:",
        );
    });
    run.stderr_is(str![[r#"
content/2030/districts/alpha.yaml:4:10: indicators."1.1": score 9 is above the maximum 4 (use a whole number from 0 to 4)
content/2030/districts/beta.yaml:2:1: unknown key `asessed_on` (check the spelling; allowed here: assessed_on, indicators, components, prevalence, coverage, budget, feedback, innovations, follow_up)
content/2030/rubric.yaml:11:3: actions: weights sum to 105, not 100 (change the weights so they add up to 100)
content/2030/rubric.yaml:46:12: categories[1].min: category `Madya` can never be given (`Unggul` above it starts at 80 and is checked first; list categories from the highest `min` down)
content/2030/rubric.yaml:48:13: tie_break[0]: `wawancra` is not a component (use component keys: berkas, wawancara)
error: 5 problems found; nothing was published

"#]]);
}

#[test]
fn a_rubric_that_leaves_district_files_unclear_does_not_check_them() {
    // Without `max`, what "1.1" may hold is unknown: checking the district
    // files against a guess would only add false problems.
    let run = Fixture::new().refuses(|site| {
        site.edit("content/2030/rubric.yaml", "        max: 4\n", "");
        site.edit(
            "content/2030/districts/beta.yaml",
            "assessed_on:",
            "asessed_on:",
        );
    });
    run.stderr_is(str![[r#"
content/2030/rubric.yaml:15:14: actions[0].indicators[0]: indicator `1.1` has neither `max` nor `grades` (add `max: 3` for a score 0..3, or a `grades` list)
error: 1 problem found; nothing was published

"#]]);
    assert!(
        run.problems().iter().all(|l| !l.contains("districts/")),
        "{}",
        run.show()
    );
}
