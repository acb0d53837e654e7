//! Bad input (SPEC §7), end to end through the `rapor` binary.
//!
//! Each test copies `tests/fixtures/minimal` into a fresh temporary folder,
//! builds it once, spoils ONE thing and, through `Fixture::refuses`, checks
//! that:
//!
//! - the build exits with status 1, with `path:line:column:` in front of each
//!   problem where the parser knows the position, and the whole of what it
//!   prints equals the snapshot beside the test (`SNAPSHOTS=overwrite`
//!   rewrites the snapshots when a wording changes on purpose);
//! - nothing changed on disk: `output/` is byte-for-byte the previous site, no
//!   staging folder (`.output.rapor-new`, `.output.rapor-old`) is left beside
//!   it, and nothing appeared anywhere else in the temporary folder;
//! - `rapor check` prints the same problems and also exits with status 1.

mod common;

use common::{assert_same_tree, repo, Fixture};
use snapbox::str;

/// A copy of the fixture three levels down (`<tmp>/a/b/site`), so that
/// anything written "outside" the output by a path such as `../../evil`
/// still lands inside `<tmp>`, where [`Fixture::refuses`] sees it.
fn site() -> Fixture {
    Fixture::copy_at("tests/fixtures/minimal", "a/b/site")
}

const BETA_2030: &str = "content/2030/districts/beta.yaml";
const DELTA_2030: &str = "content/2030/districts/delta-kota.yaml";
const ALPHA_MD_2030: &str = "content/2030/districts/alpha.md";
const RUBRIC_2030: &str = "content/2030/rubric.yaml";
const RUBRIC_2031: &str = "content/2031/rubric.yaml";

// ---------------------------------------------------------------- good input

#[test]
fn fixture_passes_check_in_place() {
    let fixture = repo().join("tests/fixtures/minimal");
    let had_output = fixture.join("output").exists();
    let elsewhere = Fixture::empty();
    let mut check = elsewhere.command(&["check", "--root"]);
    check.arg(&fixture);
    let run = elsewhere.run(check, elsewhere.limit);
    assert_eq!(run.code, Some(0), "{}", run.show());
    assert!(run.stderr.trim().is_empty(), "{}", run.show());
    assert_eq!(
        fixture.join("output").exists(),
        had_output,
        "check wrote output/"
    );
}

#[test]
fn good_fixture_builds_and_rebuilds_byte_identical() {
    let first = site();
    let run = first.rapor(&["build"]);
    assert_eq!(run.code, Some(0), "{}", run.show());
    assert!(run.stdout.contains("Built"), "{}", run.show());
    assert_eq!(
        first.top_level(),
        [".output.rapor-state", "content", "output"]
    );
    let once = first.output();
    for page in [
        "index.html",
        "2030/index.html",
        "2030/alpha/index.html",
        "2030/delta-kota/index.html",
        "2030/praktik-baik/index.html",
        "2031/index.html",
        "2031/beta/index.html",
        "wilayah/gamma/index.html",
        "data/2030.json",
        "data/2031.csv",
        "sitemap.xml",
        "404.html",
        "2030/media/posyandu-keliling.svg",
    ] {
        assert!(once.contains_key(page), "{page} is missing from output/");
    }
    let home = String::from_utf8(once["index.html"].clone()).unwrap();
    assert!(
        home.contains("href=\"/penilaian/2031/\""),
        "links must honour the sub-path of base_url"
    );
    let json = String::from_utf8(once["data/2031.json"].clone()).unwrap();
    assert!(
        json.contains("\"slug\":\"gamma\"") || json.contains("\"slug\": \"gamma\""),
        "{json}"
    );

    // Same folder, again.
    let run = first.rapor(&["build"]);
    assert_eq!(run.code, Some(0), "{}", run.show());
    assert_same_tree(&once, &first.output(), "output/ after a second build");
    assert_eq!(
        first.top_level(),
        [".output.rapor-state", "content", "output"]
    );

    // Another folder (another absolute path): the same bytes.
    let second = site();
    let run = second.rapor(&["build"]);
    assert_eq!(run.code, Some(0), "{}", run.show());
    assert_same_tree(&once, &second.output(), "output/ built in another folder");
}

// ---------------------------------------------------------------- YAML

#[test]
fn yaml_syntax_error() {
    let run = site().refuses(|s| {
        s.edit(
            BETA_2030,
            "improvements: [Baru sebagian desa menganggarkan kegiatan konvergensi]",
            "improvements: [Baru sebagian desa",
        )
    });
    // The `[` that is never closed: line 15, column 19.
    run.stderr_is(str![[r#"
content/2030/districts/beta.yaml:15:19: unclosed bracket '[' (check the YAML here and on the line before: indentation, a missing `:` or closing bracket, or text with `:` or `#` that needs quotes)
error: 1 problem found; nothing was published

"#]]);
}

#[test]
fn yaml_syntax_errors_are_explained_with_a_hint() {
    // An unclosed `[` on line 6: the parser notices on line 7.
    let run = site().refuses(|s| s.edit(BETA_2030, "\"4.1\": B", "\"4.1\": [B"));
    run.stderr_is(str![[r#"
content/2030/districts/beta.yaml:7:8: illegal placement of ':' indicator (check the YAML here and on the line before: indentation, a missing `:` or closing bracket, or text with `:` or `#` that needs quotes)
error: 1 problem found; nothing was published

"#]]);
    // A line indented one space less than its neighbours (line 7).
    let run = site().refuses(|s| s.edit(BETA_2030, "  \"4.2\": 1", " \"4.2\": 1"));
    run.stderr_is(str![[r#"
content/2030/districts/beta.yaml:7:2: while parsing a block mapping, did not find expected key (check the YAML here and on the line before: indentation, a missing `:` or closing bracket, or text with `:` or `#` that needs quotes)
error: 1 problem found; nothing was published

"#]]);
}

#[test]
fn key_written_twice() {
    let run =
        site().refuses(|s| s.edit(BETA_2030, "  \"9.1\": 3\n", "  \"9.1\": 3\n  \"1.1\": 1\n"));
    run.stderr_is(str![[r#"
content/2030/districts/beta.yaml:9:3: key `1.1` is written twice (keep only one)
error: 1 problem found; nothing was published

"#]]);
}

#[test]
fn empty_district_file() {
    let run = site().refuses(|s| s.write(BETA_2030, ""));
    run.stderr_is(str![[r#"
content/2030/districts/beta.yaml:1:1: the file is empty (see README.md for what this file holds)
error: 1 problem found; nothing was published

"#]]);
}

#[test]
fn text_where_a_number_is_expected_in_a_component() {
    let run = site().refuses(|s| s.edit(BETA_2030, "wawancara: 64", "wawancara: enam puluh"));
    run.stderr_is(str![[r#"
content/2030/districts/beta.yaml:10:14: expected a number (write digits with a dot for decimals, e.g. 82.5)
error: 1 problem found; nothing was published

"#]]);
}

#[test]
fn text_where_a_number_is_expected_in_a_rubric_weight() {
    let run = site().refuses(|s| {
        s.edit(
            RUBRIC_2030,
            "weight: 30\n    indicators",
            "weight: tiga puluh\n    indicators",
        )
    });
    run.stderr_is(str![[r#"
content/2030/rubric.yaml:26:13: expected a number (write digits with a dot for decimals, e.g. 82.5)
error: 1 problem found; nothing was published

"#]]);
}

#[test]
fn text_where_a_score_is_expected() {
    let run = site().refuses(|s| s.edit(BETA_2030, "\"1.1\": 2", "\"1.1\": dua"));
    run.stderr_is(str![[r#"
content/2030/districts/beta.yaml:4:10: indicators."1.1": `dua` is not a score (use a whole number from 0 to 4)
error: 1 problem found; nothing was published

"#]]);
}

#[test]
fn negative_score() {
    let run = site().refuses(|s| s.edit(BETA_2030, "\"1.1\": 2", "\"1.1\": -1"));
    run.stderr_is(str![[r#"
content/2030/districts/beta.yaml:4:10: indicators."1.1": -1 is not a score (use a whole number from 0 to 4)
error: 1 problem found; nothing was published

"#]]);
}

#[test]
fn unknown_key_in_a_district_file() {
    let run = site().refuses(|s| s.edit(BETA_2030, "prevalence:", "prevalensi:"));
    run.stderr_is(str![[r#"
content/2030/districts/beta.yaml:11:1: unknown key `prevalensi` (check the spelling; allowed here: assessed_on, indicators, components, prevalence, coverage, budget, feedback, innovations, follow_up)
error: 1 problem found; nothing was published

"#]]);
}

#[test]
fn unknown_key_in_site_yaml() {
    let run = site().refuses(|s| s.edit("content/site.yaml", "publisher:", "publsher:"));
    run.stderr_is(str![[r#"
content/site.yaml:3:1: unknown key `publsher` (check the spelling; allowed here: title, province, publisher, base_url, language, theme, notice, map, share)
error: 1 problem found; nothing was published

"#]]);
}

#[test]
fn unknown_key_does_not_hide_other_problems_in_the_same_file() {
    let run = site().refuses(|s| {
        s.edit(BETA_2030, "prevalence:", "prevalensi:");
        s.edit(BETA_2030, "\"1.1\": 2", "\"1.1\": 7");
    });
    run.stderr_is(str![[r#"
content/2030/districts/beta.yaml:4:10: indicators."1.1": score 7 is above the maximum 4 (use a whole number from 0 to 4)
content/2030/districts/beta.yaml:11:1: unknown key `prevalensi` (check the spelling; allowed here: assessed_on, indicators, components, prevalence, coverage, budget, feedback, innovations, follow_up)
error: 2 problems found; nothing was published

"#]]);
}

// ---------------------------------------------------------------- scores

#[test]
fn missing_indicator() {
    let run = site().refuses(|s| s.edit(BETA_2030, "  \"9.1\": 3\n", ""));
    // No position for what is not there: the file and the field.
    run.stderr_is(str![[r#"
content/2030/districts/beta.yaml:4:3: indicators."9.1": indicator `9.1` of action 9 has no value (add "9.1": a score from 0 to 5)
error: 1 problem found; nothing was published

"#]]);
}

#[test]
fn missing_component_score() {
    let run = site().refuses(|s| s.edit(BETA_2030, "components:\n  wawancara: 64\n", ""));
    run.stderr_is(str![[r#"
content/2030/districts/beta.yaml: components.wawancara: component `wawancara` (Wawancara tim) has no score (add `wawancara: <0..100>` under `components:`)
error: 1 problem found; nothing was published

"#]]);
}

#[test]
fn score_above_max() {
    let run = site().refuses(|s| s.edit(BETA_2030, "\"1.1\": 2", "\"1.1\": 7"));
    run.stderr_is(str![[r#"
content/2030/districts/beta.yaml:4:10: indicators."1.1": score 7 is above the maximum 4 (use a whole number from 0 to 4)
error: 1 problem found; nothing was published

"#]]);
}

#[test]
fn grade_not_in_the_indicators_grades() {
    let run = site().refuses(|s| s.edit(BETA_2030, "\"4.1\": B", "\"4.1\": D"));
    run.stderr_is(str![[r#"
content/2030/districts/beta.yaml:6:10: indicators."4.1": `D` is not a grade of this indicator (use one of A, B, C)
error: 1 problem found; nothing was published

"#]]);
}

#[test]
fn component_score_above_100() {
    let run = site().refuses(|s| s.edit(BETA_2030, "wawancara: 64", "wawancara: 164"));
    run.stderr_is(str![[r#"
content/2030/districts/beta.yaml:10:14: components.wawancara: 164 is not a score from 0 to 100 (component scores run from 0 to 100)
error: 1 problem found; nothing was published

"#]]);
}

// ---------------------------------------------------------------- rubric

#[test]
fn component_weights_not_summing_to_100() {
    let run = site().refuses(|s| s.edit(RUBRIC_2031, "weight: 70", "weight: 60"));
    run.stderr_is(str![[r#"
content/2031/rubric.yaml:3:3: components: weights sum to 90, not 100 (change the weights so they add up to 100)
error: 1 problem found; nothing was published

"#]]);
}

#[test]
fn action_weights_not_summing_to_100() {
    let run = site().refuses(|s| {
        s.edit(
            RUBRIC_2031,
            "weight: 20\n    indicators",
            "weight: 25\n    indicators",
        )
    });
    run.stderr_is(str![[r#"
content/2031/rubric.yaml:11:3: actions: weights sum to 105, not 100 (change the weights so they add up to 100)
error: 1 problem found; nothing was published

"#]]);
}

#[test]
fn tie_break_key_that_is_not_a_component() {
    let run = site().refuses(|s| {
        s.edit(
            RUBRIC_2030,
            "tie_break: [wawancara]",
            "tie_break: [wawancara, paparan]",
        )
    });
    run.stderr_is(str![[r#"
content/2030/rubric.yaml:48:24: tie_break[1]: `paparan` is not a component (use component keys: berkas, wawancara)
error: 1 problem found; nothing was published

"#]]);
}

#[test]
fn missing_rubric() {
    let run = site().refuses(|s| s.remove(RUBRIC_2031));
    run.stderr_is(str![[r#"
content/2031/rubric.yaml: is missing (every year folder needs the rubric used that year)
error: 1 problem found; nothing was published

"#]]);
}

// ---------------------------------------------------------------- slugs

#[test]
fn duplicate_slug_names_the_first_entry_unambiguously() {
    let run = site().refuses(|s| s.edit("content/districts.yaml", "slug: gamma", "slug: beta"));
    let line = run
        .problems()
        .into_iter()
        .find(|l| l.contains("used twice"))
        .unwrap();
    // Beta's slug is on line 8; either the line or the name identifies it.
    assert!(
        line.contains("line 8") || line.contains("Kabupaten Beta"),
        "{line}"
    );
    run.stderr_is(str![[r#"
content/2030/districts/gamma.yaml: `gamma` is not a district in content/districts.yaml (name the file after a district's slug, or add the district to districts.yaml)
content/districts.yaml:12:9: [2].slug: slug `beta` is used twice (Kabupaten Beta has it already; each slug must be unique)
error: 2 problems found; nothing was published

"#]]);
}

#[test]
fn duplicate_code_in_districts_yaml() {
    let run = site().refuses(|s| s.edit("content/districts.yaml", "\"99.03\"", "\"99.02\""));
    run.stderr_is(str![[r#"
content/districts.yaml:10:9: [2].code: code `99.02` is used twice (Kabupaten Beta has it already; each code must be unique)
error: 1 problem found; nothing was published

"#]]);
}

#[test]
fn slug_with_characters_not_allowed() {
    let run =
        site().refuses(|s| s.edit("content/districts.yaml", "slug: gamma", "slug: Gamma Raya"));
    run.stderr_is(str![[r#"
content/2030/districts/gamma.yaml: `gamma` is not a district in content/districts.yaml (name the file after a district's slug, or add the district to districts.yaml)
content/districts.yaml:12:9: [2].slug: slug `Gamma Raya` may hold only a-z, 0-9 and - (for example `kota-denpasar`)
error: 2 problems found; nothing was published

"#]]);
}

#[test]
fn award_for_an_unknown_slug() {
    let run = site().refuses(|s| {
        s.edit(
            "content/2030/year.yaml",
            "district: delta-kota",
            "district: delta",
        )
    });
    run.stderr_is(str![[r#"
content/2030/year.yaml:5:15: awards[0].district: `delta` is not a district slug (use a slug from districts.yaml)
error: 1 problem found; nothing was published

"#]]);
}

#[test]
fn district_file_whose_slug_is_not_in_districts_yaml() {
    let run = site().refuses(|s| {
        let text = s.read(BETA_2030);
        s.write("content/2030/districts/epsilon.yaml", &text);
    });
    run.stderr_is(str![[r#"
content/2030/districts/epsilon.yaml: `epsilon` is not a district in content/districts.yaml (name the file after a district's slug, or add the district to districts.yaml)
error: 1 problem found; nothing was published

"#]]);
}

#[test]
fn slug_cannot_write_outside_output() {
    let mut printed = String::new();
    for slug in [
        "../evil",
        "../../../evil",
        "..",
        "/tmp/evil",
        "a/../../evil",
    ] {
        let run = site().refuses(|s| {
            s.edit(
                "content/districts.yaml",
                "slug: gamma",
                &format!("slug: \"{slug}\""),
            );
            // Data files named after the bad slug, where a naive join would look.
            let text = s.read("content/2030/districts/gamma.yaml");
            s.write("content/2030/evil.yaml", &text);
        });
        printed += &run.redact(&run.stderr);
    }
    common::Run::text_is(
        &printed,
        str![[r#"
content/2030/districts/gamma.yaml: `gamma` is not a district in content/districts.yaml (name the file after a district's slug, or add the district to districts.yaml)
content/2030/evil.yaml: is not a file rapor reads (a year folder holds rubric.yaml, year.yaml, province.md, districts/ and media/)
content/districts.yaml:12:9: [2].slug: slug `../evil` may hold only a-z, 0-9 and - (for example `kota-denpasar`)
error: 3 problems found; nothing was published
content/2030/districts/gamma.yaml: `gamma` is not a district in content/districts.yaml (name the file after a district's slug, or add the district to districts.yaml)
content/2030/evil.yaml: is not a file rapor reads (a year folder holds rubric.yaml, year.yaml, province.md, districts/ and media/)
content/districts.yaml:12:9: [2].slug: slug `../../../evil` may hold only a-z, 0-9 and - (for example `kota-denpasar`)
error: 3 problems found; nothing was published
content/2030/districts/gamma.yaml: `gamma` is not a district in content/districts.yaml (name the file after a district's slug, or add the district to districts.yaml)
content/2030/evil.yaml: is not a file rapor reads (a year folder holds rubric.yaml, year.yaml, province.md, districts/ and media/)
content/districts.yaml:12:9: [2].slug: slug `..` may hold only a-z, 0-9 and - (for example `kota-denpasar`)
error: 3 problems found; nothing was published
content/2030/districts/gamma.yaml: `gamma` is not a district in content/districts.yaml (name the file after a district's slug, or add the district to districts.yaml)
content/2030/evil.yaml: is not a file rapor reads (a year folder holds rubric.yaml, year.yaml, province.md, districts/ and media/)
content/districts.yaml:12:9: [2].slug: slug `/tmp/evil` may hold only a-z, 0-9 and - (for example `kota-denpasar`)
error: 3 problems found; nothing was published
content/2030/districts/gamma.yaml: `gamma` is not a district in content/districts.yaml (name the file after a district's slug, or add the district to districts.yaml)
content/2030/evil.yaml: is not a file rapor reads (a year folder holds rubric.yaml, year.yaml, province.md, districts/ and media/)
content/districts.yaml:12:9: [2].slug: slug `a/../../evil` may hold only a-z, 0-9 and - (for example `kota-denpasar`)
error: 3 problems found; nothing was published

"#]],
    );
}

#[test]
fn paths_in_district_files_cannot_reach_outside_the_year_folder() {
    let mut printed = String::new();
    for image in [
        "../../site.yaml",
        "/etc/hostname",
        "media/../../../evil.svg",
    ] {
        let run = site().refuses(|s| s.edit(DELTA_2030, "media/posyandu-keliling.svg", image));
        printed += &run.redact(&run.stderr);
    }
    common::Run::text_is(
        &printed,
        str![[r#"
content/2030/districts/delta-kota.yaml:20:12: innovations[0].image: image `../../site.yaml` points outside the year folder (copy the image into content/2030/media/ and write media/<file name>)
error: 1 problem found; nothing was published
content/2030/districts/delta-kota.yaml:20:12: innovations[0].image: image `/etc/hostname` points outside the year folder (copy the image into content/2030/media/ and write media/<file name>)
error: 1 problem found; nothing was published
content/2030/districts/delta-kota.yaml:20:12: innovations[0].image: image `media/../../../evil.svg` points outside the year folder (copy the image into content/2030/media/ and write media/<file name>)
error: 1 problem found; nothing was published

"#]],
    );
}

// ---------------------------------------------------------------- images

#[test]
fn innovation_image_that_does_not_exist() {
    let run = site().refuses(|s| {
        s.edit(
            DELTA_2030,
            "media/posyandu-keliling.svg",
            "media/posyandu.svg",
        )
    });
    run.stderr_is(str![[r#"
content/2030/districts/delta-kota.yaml:20:12: innovations[0].image: image `media/posyandu.svg` does not exist (images are relative to the year folder: put it at content/2030/media/posyandu.svg)
error: 1 problem found; nothing was published

"#]]);
}

#[test]
fn narrative_image_problem_has_line_and_column() {
    let run = site().refuses(|s| {
        s.edit(
            ALPHA_MD_2030,
            "](media/posyandu-keliling.svg)",
            "](media/foto-kader.jpg)",
        )
    });
    // `![Posyandu keliling](media/foto-kader.jpg)` is line 3.
    run.stderr_is(str![[r#"
content/2030/districts/alpha.md:3:1: image `media/foto-kader.jpg` does not exist (images are relative to the year folder: put it at content/2030/media/foto-kader.jpg)
error: 1 problem found; nothing was published

"#]]);
}

#[test]
fn every_missing_image_of_a_narrative_is_reported() {
    let run = site().refuses(|s| {
        s.edit(
            ALPHA_MD_2030,
            "](media/posyandu-keliling.svg)",
            "](media/satu.jpg)\n\n![dua](media/dua.jpg)",
        )
    });
    run.stderr_is(str![[r#"
content/2030/districts/alpha.md:3:1: image `media/satu.jpg` does not exist (images are relative to the year folder: put it at content/2030/media/satu.jpg)
content/2030/districts/alpha.md:5:1: image `media/dua.jpg` does not exist (images are relative to the year folder: put it at content/2030/media/dua.jpg)
error: 2 problems found; nothing was published

"#]]);
}

#[test]
fn narrative_image_outside_the_year_folder_is_named_as_such() {
    let run = site().refuses(|s| {
        s.edit(
            ALPHA_MD_2030,
            "](media/posyandu-keliling.svg)",
            "](../../districts.yaml)",
        )
    });
    run.stderr_is(str![[r#"
content/2030/districts/alpha.md:3:1: image `../../districts.yaml` points outside the year folder (copy the image into content/2030/media/ and write media/<file name>)
error: 1 problem found; nothing was published

"#]]);
    assert!(
        !run.stderr.contains("put it at content/2030/../"),
        "{}",
        run.stderr
    );
}

// ---------------------------------------------------------------- actions

#[test]
fn feedback_for_an_unknown_action_points_at_its_key() {
    let run = site().refuses(|s| s.edit(BETA_2030, "feedback:\n  4:", "feedback:\n  2:"));
    run.stderr_is(str![[r#"
content/2030/districts/beta.yaml:13:3: feedback.2: action 2 is not in this year's rubric (actions assessed this year: 1, 4, 9)
error: 1 problem found; nothing was published

"#]]);
}

#[test]
fn innovation_tagged_with_an_action_not_in_the_rubric() {
    let run = site().refuses(|s| s.edit(DELTA_2030, "actions: [4, 9]", "actions: [4, 8]"));
    run.stderr_is(str![[r#"
content/2030/districts/delta-kota.yaml:18:18: innovations[0].actions[1]: action 8 is not in this year's rubric (actions assessed this year: 1, 4, 9)
error: 1 problem found; nothing was published

"#]]);
}

// ---------------------------------------------------------------- together

#[test]
fn problems_in_different_files_are_reported_together() {
    let run = site().refuses(|s| {
        s.edit("content/site.yaml", "publisher:", "publsher:");
        s.edit(BETA_2030, "\"1.1\": 2", "\"1.1\": 7");
        s.edit(BETA_2030, "\"4.1\": B", "\"4.1\": D");
        s.edit(
            DELTA_2030,
            "media/posyandu-keliling.svg",
            "media/posyandu.svg",
        );
        s.edit(
            ALPHA_MD_2030,
            "](media/posyandu-keliling.svg)",
            "](media/foto-kader.jpg)",
        );
        s.edit(
            "content/2030/year.yaml",
            "district: delta-kota",
            "district: delta",
        );
        s.edit(RUBRIC_2031, "weight: 70", "weight: 60");
        let text = s.read("content/2031/districts/beta.yaml");
        s.write("content/2031/districts/epsilon.yaml", &text);
    });
    run.stderr_is(str![[r#"
content/2030/districts/alpha.md:3:1: image `media/foto-kader.jpg` does not exist (images are relative to the year folder: put it at content/2030/media/foto-kader.jpg)
content/2030/districts/beta.yaml:4:10: indicators."1.1": score 7 is above the maximum 4 (use a whole number from 0 to 4)
content/2030/districts/beta.yaml:6:10: indicators."4.1": `D` is not a grade of this indicator (use one of A, B, C)
content/2030/districts/delta-kota.yaml:20:12: innovations[0].image: image `media/posyandu.svg` does not exist (images are relative to the year folder: put it at content/2030/media/posyandu.svg)
content/2030/year.yaml:5:15: awards[0].district: `delta` is not a district slug (use a slug from districts.yaml)
content/2031/districts/epsilon.yaml: `epsilon` is not a district in content/districts.yaml (name the file after a district's slug, or add the district to districts.yaml)
content/2031/rubric.yaml:3:3: components: weights sum to 90, not 100 (change the weights so they add up to 100)
content/site.yaml:3:1: unknown key `publsher` (check the spelling; allowed here: title, province, publisher, base_url, language, theme, notice, map, share)
error: 8 problems found; nothing was published

"#]]);
    assert_eq!(run.problems().len(), 8, "{}", run.stderr);
}

#[test]
fn registry_problem_does_not_hide_problems_elsewhere() {
    let run = site().refuses(|s| {
        s.edit("content/districts.yaml", "\"99.03\"", "\"99.02\"");
        s.edit(RUBRIC_2031, "weight: 70", "weight: 60");
    });
    run.stderr_is(str![[r#"
content/2031/rubric.yaml:3:3: components: weights sum to 90, not 100 (change the weights so they add up to 100)
content/districts.yaml:10:9: [2].code: code `99.02` is used twice (Kabupaten Beta has it already; each code must be unique)
error: 2 problems found; nothing was published

"#]]);
}

// ---------------------------------------------------------------- theme

/// A template that compiles but fails when rendered.
const BROKEN_DISTRICT_TEMPLATE: &str = "<p>{{ tidak_ada.sama_sekali }}</p>\n";

#[test]
fn template_error_at_render_time_changes_nothing() {
    let run = site().refuses_build(|s| {
        s.write(
            "themes/default/templates/district.html",
            BROKEN_DISTRICT_TEMPLATE,
        )
    });
    run.stderr_is(str![[r#"
themes/default/templates/district.html:1:7: Variable `tidak_ada` is not defined. Available variables: actions, assessed_on, below_median, body_end, budget, category, category_color, change, chart_actions, chart_components, chart_history, code, components, corrections, coverage, description, final_score, follow_up_line, follow_up_plan, follow_up_prev, gains, head… (fix the template; see the Tera 2 documentation)
error: 1 problem found; nothing was published

"#]]);
}

#[test]
fn check_finds_template_errors_that_break_build() {
    let site = site();
    site.write(
        "themes/default/templates/district.html",
        BROKEN_DISTRICT_TEMPLATE,
    );
    let check = site.rapor(&["check"]);
    let build = site.rapor(&["build"]);
    assert_eq!(build.code, Some(1), "{}", build.show());
    assert_eq!(check.code, Some(1), "{}", check.show());
    check.stderr_is(str![[r#"
themes/default/templates/district.html:1:7: Variable `tidak_ada` is not defined. Available variables: actions, assessed_on, below_median, body_end, budget, category, category_color, change, chart_actions, chart_components, chart_history, code, components, corrections, coverage, description, final_score, follow_up_line, follow_up_plan, follow_up_prev, gains, head… (fix the template; see the Tera 2 documentation)
error: 1 problem found

"#]]);
}

// ---------------------------------------------------------------- commands

#[test]
fn check_prints_the_same_problems_and_writes_nothing() {
    let site = site();
    site.edit("content/site.yaml", "publisher:", "publsher:");
    site.edit(BETA_2030, "\"1.1\": 2", "\"1.1\": 7");
    site.remove(RUBRIC_2031);
    let before = site.everything();

    let check = site.rapor(&["check"]);
    assert_eq!(check.code, Some(1), "{}", check.show());
    check.assert_well_formed();
    check.stderr_is(str![[r#"
content/2030/districts/beta.yaml:4:10: indicators."1.1": score 7 is above the maximum 4 (use a whole number from 0 to 4)
content/2031/rubric.yaml: is missing (every year folder needs the rubric used that year)
content/site.yaml:3:1: unknown key `publsher` (check the spelling; allowed here: title, province, publisher, base_url, language, theme, notice, map, share)
error: 3 problems found

"#]]);
    assert_eq!(check.problems().len(), 3, "{}", check.stderr);
    assert!(!site.path("output").exists(), "check created output/");
    assert_same_tree(
        &before,
        &site.everything(),
        "the temporary folder after check",
    );

    let build = site.rapor(&["build"]);
    assert_eq!(build.code, Some(1), "{}", build.show());
    assert_eq!(build.problems(), check.problems());
    assert!(
        !site.path("output").exists(),
        "a failed build created output/"
    );
    assert_same_tree(
        &before,
        &site.everything(),
        "the temporary folder after build",
    );
}

#[test]
fn check_of_a_good_site_writes_nothing() {
    let site = site();
    let before = site.everything();
    let run = site.rapor(&["check"]);
    assert_eq!(run.code, Some(0), "{}", run.show());
    assert_same_tree(&before, &site.everything(), "the temporary folder");
}

#[test]
fn wrong_usage_exits_2_and_changes_nothing() {
    let site = site().and_built();
    let before = site.everything();
    let root = site.root.to_string_lossy().into_owned();
    let mut printed = String::new();
    for args in [
        vec!["build", "--frobnicate", "--root", root.as_str()],
        vec!["build", "--root"],
        vec!["check", "--root", root.as_str(), "--output", "elsewhere"],
        vec!["frobnicate"],
        vec![],
    ] {
        let run = site.rapor_raw(&args);
        assert_eq!(run.code, Some(2), "rapor {args:?}\n{}", run.show());
        assert!(!run.stderr.trim().is_empty(), "rapor {args:?} says nothing");
        printed += &run.redact(&format!("$ rapor {}\n{}", args.join(" "), run.stderr));
        assert_same_tree(&before, &site.everything(), "the temporary folder");
    }
    common::Run::text_is(
        &printed,
        str![[r#"
$ rapor build --frobnicate --root [ROOT]/a/b/site
error: unexpected argument '--frobnicate' found

Usage: rapor build [OPTIONS]

For more information, try '--help'.
$ rapor build --root
error: a value is required for '--root <ROOT>' but none was supplied

For more information, try '--help'.
$ rapor check --root [ROOT]/a/b/site --output elsewhere
error: unexpected argument '--output' found

Usage: rapor check --root <ROOT>

For more information, try '--help'.
$ rapor frobnicate
error: unrecognized subcommand 'frobnicate'

Usage: rapor <COMMAND>

For more information, try '--help'.
$ rapor 
Build the assessment site of a province's districts (8 convergence actions against stunting)

Usage: rapor <COMMAND>

Commands:
  build     Validate, compute, render and publish the site into the output folder
  check     Validate only: print every problem; exit 1 if there is any
  freeze    Record the fingerprint of a published year in content/<YEAR>/published.yaml; after that a build fails if the year's files change without a correction
  new       Create a new site with the default rubric and two example districts
  serve     Build, serve on 127.0.0.1, rebuild and reload the browser on change
  template  Write a blank score sheet (xlsx) for a year's rubric
  verify    Check a published output folder against its manifest.json: list every missing, extra or altered file; exit 1 if there is any
  import    Read a filled score sheet (xlsx or csv) into the year's district files
  help      Print this message or the help of the given subcommand(s)

Options:
  -h, --help     Print help
  -V, --version  Print version

"#]],
    );
}
