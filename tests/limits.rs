//! Inputs at the limits give clear errors or finish, never hang: a 50 MB
//! YAML file, deeply nested YAML, a 10,000-district registry, a 5 MB narrative.

mod common;

use std::time::Duration;

use common::{Fixture, Run};
use snapbox::str;

/// A valid site of `n` districts with one year where the first two are assessed.
fn site(n: usize) -> Fixture {
    Fixture::generated(n, 2.min(n), |i| i % 3)
}

#[test]
fn a_50_mb_yaml_file_is_refused_quickly() {
    let site = site(3);
    let mut big = String::from("indicators:\n  \"1.1\": 1\n");
    let line =
        "# komentar yang panjang sekali untuk mengisi berkas ini sampai lima puluh megabita\n";
    while big.len() < 50 * 1024 * 1024 {
        big.push_str(line);
    }
    site.write("content/2040/districts/d-2.yaml", &big);
    let out = site.rapor_within(&["build"], Duration::from_secs(20));
    assert_eq!(out.code, Some(1));
    out.stderr_is(str![[r#"
content/2040/districts/d-2.yaml: is 50 MB, larger than the 4 MB a content file may be (split it or remove what does not belong)
error: 1 problem found; nothing was published

"#]]);
    assert!(
        out.stderr
            .contains("content/2040/districts/d-2.yaml: is 50 MB, larger than the 4 MB"),
        "{}",
        out.stderr
    );
    assert!(!site.path("output").exists());
}

#[test]
fn deeply_nested_yaml_is_an_error_not_a_crash() {
    let site = site(3);
    let mut printed = String::new();
    for (name, text) in [
        (
            "flow",
            format!(
                "indicators: {}{}\n",
                "[".repeat(200_000),
                "]".repeat(200_000)
            ),
        ),
        (
            "block",
            format!(
                "indicators:\n{}",
                (1..1_400)
                    .map(|i| format!("{}- \n", "  ".repeat(i)))
                    .collect::<String>()
            ),
        ),
        ("aliases", {
            // A "billion laughs": every level doubles the one before.
            let mut t = String::from("a0: &a0 [x, x]\n");
            for i in 1..40 {
                t.push_str(&format!("a{i}: &a{i} [*a{}, *a{}]\n", i - 1, i - 1));
            }
            t.push_str("indicators: *a39\n");
            t
        }),
    ] {
        site.write("content/2040/districts/d-2.yaml", &text);
        let out = site.rapor_within(&["check"], Duration::from_secs(30));
        assert_eq!(out.code, Some(1), "{name}: {}", out.stderr);
        printed += &format!("{name}:\n{}", out.redact(&out.stderr));
        let err = out.stderr;
        assert!(
            err.contains("content/2040/districts/d-2.yaml"),
            "{name}: {err}"
        );
    }
    Run::text_is(
        &printed,
        str![[r#"
flow:
content/2040/districts/d-2.yaml:1:13: expected mapping start (check the YAML here and on the line before: indentation, a missing `:` or closing bracket, or text with `:` or `#` that needs quotes)
error: 1 problem found
block:
content/2040/districts/d-2.yaml:2:3: expected mapping start (check the YAML here and on the line before: indentation, a missing `:` or closing bracket, or text with `:` or `#` that needs quotes)
error: 1 problem found
aliases:
content/2040/districts/d-2.yaml:1:1: unknown key `a0` (check the spelling; allowed here: assessed_on, indicators, components, prevalence, coverage, budget, feedback, innovations, follow_up)
content/2040/districts/d-2.yaml:2:1: unknown key `a1` (check the spelling; allowed here: assessed_on, indicators, components, prevalence, coverage, budget, feedback, innovations, follow_up)
content/2040/districts/d-2.yaml:3:1: unknown key `a2` (check the spelling; allowed here: assessed_on, indicators, components, prevalence, coverage, budget, feedback, innovations, follow_up)
content/2040/districts/d-2.yaml:4:1: unknown key `a3` (check the spelling; allowed here: assessed_on, indicators, components, prevalence, coverage, budget, feedback, innovations, follow_up)
content/2040/districts/d-2.yaml:5:1: unknown key `a4` (check the spelling; allowed here: assessed_on, indicators, components, prevalence, coverage, budget, feedback, innovations, follow_up)
content/2040/districts/d-2.yaml:6:1: unknown key `a5` (check the spelling; allowed here: assessed_on, indicators, components, prevalence, coverage, budget, feedback, innovations, follow_up)
content/2040/districts/d-2.yaml:7:1: unknown key `a6` (check the spelling; allowed here: assessed_on, indicators, components, prevalence, coverage, budget, feedback, innovations, follow_up)
content/2040/districts/d-2.yaml:8:1: unknown key `a7` (check the spelling; allowed here: assessed_on, indicators, components, prevalence, coverage, budget, feedback, innovations, follow_up)
content/2040/districts/d-2.yaml:9:1: unknown key `a8` (check the spelling; allowed here: assessed_on, indicators, components, prevalence, coverage, budget, feedback, innovations, follow_up)
content/2040/districts/d-2.yaml:10:1: unknown key `a9` (check the spelling; allowed here: assessed_on, indicators, components, prevalence, coverage, budget, feedback, innovations, follow_up)
content/2040/districts/d-2.yaml:11:1: unknown key `a10` (check the spelling; allowed here: assessed_on, indicators, components, prevalence, coverage, budget, feedback, innovations, follow_up)
content/2040/districts/d-2.yaml:12:1: unknown key `a11` (check the spelling; allowed here: assessed_on, indicators, components, prevalence, coverage, budget, feedback, innovations, follow_up)
content/2040/districts/d-2.yaml:13:1: unknown key `a12` (check the spelling; allowed here: assessed_on, indicators, components, prevalence, coverage, budget, feedback, innovations, follow_up)
content/2040/districts/d-2.yaml:14:1: unknown key `a13` (check the spelling; allowed here: assessed_on, indicators, components, prevalence, coverage, budget, feedback, innovations, follow_up)
content/2040/districts/d-2.yaml:15:1: unknown key `a14` (check the spelling; allowed here: assessed_on, indicators, components, prevalence, coverage, budget, feedback, innovations, follow_up)
content/2040/districts/d-2.yaml:16:1: unknown key `a15` (check the spelling; allowed here: assessed_on, indicators, components, prevalence, coverage, budget, feedback, innovations, follow_up)
content/2040/districts/d-2.yaml:17:1: unknown key `a16` (check the spelling; allowed here: assessed_on, indicators, components, prevalence, coverage, budget, feedback, innovations, follow_up)
content/2040/districts/d-2.yaml:18:1: unknown key `a17` (check the spelling; allowed here: assessed_on, indicators, components, prevalence, coverage, budget, feedback, innovations, follow_up)
content/2040/districts/d-2.yaml:19:1: unknown key `a18` (check the spelling; allowed here: assessed_on, indicators, components, prevalence, coverage, budget, feedback, innovations, follow_up)
content/2040/districts/d-2.yaml:20:1: unknown key `a19` (check the spelling; allowed here: assessed_on, indicators, components, prevalence, coverage, budget, feedback, innovations, follow_up)
content/2040/districts/d-2.yaml:21:1: unknown key `a20` (check the spelling; allowed here: assessed_on, indicators, components, prevalence, coverage, budget, feedback, innovations, follow_up)
content/2040/districts/d-2.yaml:22:1: unknown key `a21` (check the spelling; allowed here: assessed_on, indicators, components, prevalence, coverage, budget, feedback, innovations, follow_up)
content/2040/districts/d-2.yaml:23:1: unknown key `a22` (check the spelling; allowed here: assessed_on, indicators, components, prevalence, coverage, budget, feedback, innovations, follow_up)
content/2040/districts/d-2.yaml:24:1: unknown key `a23` (check the spelling; allowed here: assessed_on, indicators, components, prevalence, coverage, budget, feedback, innovations, follow_up)
content/2040/districts/d-2.yaml:25:1: unknown key `a24` (check the spelling; allowed here: assessed_on, indicators, components, prevalence, coverage, budget, feedback, innovations, follow_up)
content/2040/districts/d-2.yaml:26:1: unknown key `a25` (check the spelling; allowed here: assessed_on, indicators, components, prevalence, coverage, budget, feedback, innovations, follow_up)
content/2040/districts/d-2.yaml:27:1: unknown key `a26` (check the spelling; allowed here: assessed_on, indicators, components, prevalence, coverage, budget, feedback, innovations, follow_up)
content/2040/districts/d-2.yaml:28:1: unknown key `a27` (check the spelling; allowed here: assessed_on, indicators, components, prevalence, coverage, budget, feedback, innovations, follow_up)
content/2040/districts/d-2.yaml:29:1: unknown key `a28` (check the spelling; allowed here: assessed_on, indicators, components, prevalence, coverage, budget, feedback, innovations, follow_up)
content/2040/districts/d-2.yaml:30:1: unknown key `a29` (check the spelling; allowed here: assessed_on, indicators, components, prevalence, coverage, budget, feedback, innovations, follow_up)
content/2040/districts/d-2.yaml:31:1: unknown key `a30` (check the spelling; allowed here: assessed_on, indicators, components, prevalence, coverage, budget, feedback, innovations, follow_up)
content/2040/districts/d-2.yaml:32:1: unknown key `a31` (check the spelling; allowed here: assessed_on, indicators, components, prevalence, coverage, budget, feedback, innovations, follow_up)
content/2040/districts/d-2.yaml:33:1: unknown key `a32` (check the spelling; allowed here: assessed_on, indicators, components, prevalence, coverage, budget, feedback, innovations, follow_up)
content/2040/districts/d-2.yaml:34:1: unknown key `a33` (check the spelling; allowed here: assessed_on, indicators, components, prevalence, coverage, budget, feedback, innovations, follow_up)
content/2040/districts/d-2.yaml:35:1: unknown key `a34` (check the spelling; allowed here: assessed_on, indicators, components, prevalence, coverage, budget, feedback, innovations, follow_up)
content/2040/districts/d-2.yaml:36:1: unknown key `a35` (check the spelling; allowed here: assessed_on, indicators, components, prevalence, coverage, budget, feedback, innovations, follow_up)
content/2040/districts/d-2.yaml:37:1: unknown key `a36` (check the spelling; allowed here: assessed_on, indicators, components, prevalence, coverage, budget, feedback, innovations, follow_up)
content/2040/districts/d-2.yaml:38:1: unknown key `a37` (check the spelling; allowed here: assessed_on, indicators, components, prevalence, coverage, budget, feedback, innovations, follow_up)
content/2040/districts/d-2.yaml:39:1: unknown key `a38` (check the spelling; allowed here: assessed_on, indicators, components, prevalence, coverage, budget, feedback, innovations, follow_up)
content/2040/districts/d-2.yaml:40:1: unknown key `a39` (check the spelling; allowed here: assessed_on, indicators, components, prevalence, coverage, budget, feedback, innovations, follow_up)
content/2040/districts/d-2.yaml:41:13: alias references unknown anchor (check the YAML here and on the line before: indentation, a missing `:` or closing bracket, or text with `:` or `#` that needs quotes)
error: 41 problems found

"#]],
    );
}

#[test]
fn a_10000_district_registry_builds() {
    let site = site(10_000);
    let out = site.rapor_within(&["build"], Duration::from_secs(120));
    out.success();
    assert!(site.path("output/wilayah/d-9999/index.html").is_file());
    assert!(site.path("output/2040/d-9999/index.html").is_file());
}

#[test]
fn a_5_mb_narrative_is_refused_and_a_3_mb_one_renders() {
    let site = site(3);
    let paragraph = "Tim penilai mencatat **kemajuan** pada [aksi 1](#aksi-1) dan > kutipan\n\n- butir\n- butir\n\n";
    let big = paragraph.repeat(5 * 1024 * 1024 / paragraph.len() + 1);
    site.write("content/2040/districts/d-0.md", &big);
    let out = site.rapor_within(&["build"], Duration::from_secs(20));
    assert_eq!(out.code, Some(1));
    out.stderr_is(str![[r#"
content/2040/districts/d-0.md: is 5 MB, larger than the 4 MB a content file may be (split it or remove what does not belong)
error: 1 problem found; nothing was published

"#]]);
    assert!(
        out.stderr.contains("d-0.md: is 5 MB, larger than the 4 MB"),
        "{}",
        out.stderr
    );

    let smaller = paragraph.repeat(3 * 1024 * 1024 / paragraph.len());
    site.write("content/2040/districts/d-0.md", &smaller);
    let out = site.rapor_within(&["build"], Duration::from_secs(60));
    out.success();
}
