//! A rebuild over an existing output renders only what changed and links
//! the rest from the previous site: the result must be byte-identical to a
//! build of the same content into an empty folder, whatever changed.

mod common;
use common::{read, snapshot, Fixture, Run};

use std::collections::BTreeMap;

/// `(written, unchanged)` from the build's summary line.
fn counts(run: &Run) -> (usize, usize) {
    let line = run
        .stdout
        .lines()
        .find(|l| l.starts_with("Built "))
        .unwrap_or_else(|| panic!("no summary\n{}", run.show()));
    let number_before = |word: &str| -> usize {
        let end = line.find(word).unwrap();
        line[..end]
            .trim_end()
            .rsplit([' ', '('])
            .next()
            .unwrap()
            .parse()
            .unwrap()
    };
    (number_before(" written"), number_before(" unchanged"))
}

/// The output of a fresh build of `f`'s content, in a folder of its own.
fn fresh_build(f: &Fixture) -> BTreeMap<String, Vec<u8>> {
    let other = f.copy();
    other.build();
    other.output()
}

/// Builds `f` again after `change`; the output must equal a fresh build.
#[track_caller]
fn rebuild_matches_fresh(f: &Fixture, what: &str) -> Run {
    let run = f.rapor(&["build"]);
    assert_eq!(run.code, Some(0), "{what}\n{}", run.show());
    let fresh = fresh_build(f);
    let ours = f.output();
    let differ: Vec<&String> = fresh
        .keys()
        .chain(ours.keys())
        .filter(|k| fresh.get(*k) != ours.get(*k))
        .collect();
    assert!(
        differ.is_empty(),
        "{what}: differs from a fresh build: {differ:?}"
    );
    run
}

#[test]
fn a_second_build_with_no_change_writes_nothing_and_keeps_the_site() {
    let f = Fixture::built();
    let before = f.output();
    let run = f.rapor(&["build"]);
    assert_eq!(run.code, Some(0), "{}", run.show());
    assert!(
        run.stdout
            .starts_with("Nothing changed since the last build"),
        "{}",
        run.show()
    );
    assert_eq!(f.output(), before);
    // Saved again with the same bytes: still nothing to do.
    let text = read(&f.path("content/2030/districts/beta.yaml"));
    std::thread::sleep(std::time::Duration::from_millis(20));
    f.write("content/2030/districts/beta.yaml", &text);
    let run = f.rapor(&["build"]);
    assert!(run.stdout.starts_with("Nothing changed"), "{}", run.show());
    assert_eq!(f.output(), before);
}

#[test]
fn one_changed_district_renders_only_what_it_touches() {
    let f = Fixture::built();
    let total = f.output().values().filter(|v| *v != b"dir").count();
    f.edit(
        "content/2030/districts/beta.yaml",
        "\"1.2\": B",
        "\"1.2\": A",
    );
    let run = rebuild_matches_fresh(&f, "a district's grade");
    let (written, unchanged) = counts(&run);
    assert!(written > 0 && unchanged > 0, "{}", run.show());
    assert!(written + unchanged < total + 2, "{}", run.show());
    // Its narrative alone.
    f.edit(
        "content/2030/districts/alpha.md",
        &read(&f.path("content/2030/districts/alpha.md"))[..20],
        "Kalimat pembuka baru.",
    );
    let run = rebuild_matches_fresh(&f, "a narrative");
    let (written, unchanged) = counts(&run);
    assert!(
        written < unchanged,
        "a narrative rewrites few files\n{}",
        run.show()
    );
}

#[test]
fn districts_added_and_removed_and_other_inputs_rebuild_correctly() {
    let f = Fixture::built();
    let gamma = f.read("content/2030/districts/gamma.yaml");
    f.remove("content/2030/districts/gamma.yaml");
    rebuild_matches_fresh(&f, "a district file removed");
    f.write("content/2030/districts/gamma.yaml", &gamma);
    rebuild_matches_fresh(&f, "a district file added back");
    // Not district files: everything is rendered, unchanged files still linked.
    f.edit("content/site.yaml", "title: ", "title: Baru ");
    let run = rebuild_matches_fresh(&f, "the site's title");
    assert!(counts(&run).0 > 3, "{}", run.show());
    let rubric = read(&f.path("content/2030/rubric.yaml"));
    f.write(
        "content/2030/rubric.yaml",
        &rubric.replacen("weight: ", "weight:  ", 1),
    );
    let run = rebuild_matches_fresh(&f, "a rubric reformatted");
    let (written, unchanged) = counts(&run);
    assert!(unchanged > written, "same pages are linked\n{}", run.show());
}

#[test]
fn a_file_changed_or_added_in_the_output_by_hand_is_put_right() {
    let f = Fixture::built();
    let page = f.path("output/2030/beta/index.html");
    let text = read(&page);
    std::fs::write(&page, text.replacen("Beta", "Palsu", 1)).unwrap();
    std::fs::write(f.path("output/extra.html"), "<p>not ours</p>").unwrap();
    let run = rebuild_matches_fresh(&f, "a page edited in the output");
    assert!(!run.stdout.contains("Nothing changed"), "{}", run.show());
    assert!(!f.path("output/extra.html").exists());
    assert_eq!(read(&page), text);
    // Without rapor's marker it is not as that build left it either.
    std::fs::remove_file(f.path("output/.rapor-output")).unwrap();
    let run = rebuild_matches_fresh(&f, "the marker removed");
    assert!(!run.stdout.contains("Nothing changed"), "{}", run.show());
}

#[test]
fn a_broken_state_file_means_a_full_build() {
    let f = Fixture::built();
    let state = f.path(".output.rapor-state");
    assert!(state.is_file(), "the state is kept beside the output");
    std::fs::write(&state, "{ garbage").unwrap();
    f.edit(
        "content/2030/districts/beta.yaml",
        "\"1.2\": B",
        "\"1.2\": C",
    );
    let run = rebuild_matches_fresh(&f, "with a broken state");
    let (written, unchanged) = counts(&run);
    assert_eq!(unchanged, 0, "{}", run.show());
    assert!(written > 0);
}

/// The previous site is kept beside the output as a spare of hard links,
/// and the next rebuild brings it up to date in place (touching only the
/// files that differ) before swapping it in: removing a whole old tree
/// cost more than the rest of a one-district rebuild on a disk.
#[test]
fn successive_rebuilds_bring_the_spare_up_to_date_in_place() {
    let f = Fixture::built();
    let spare = f.path(".output.rapor-spare");
    let grades = ["A", "C", "B", "A", "C"];
    let mut last = "B";
    let mut before = f.output();
    for (n, grade) in grades.into_iter().enumerate() {
        f.edit(
            "content/2030/districts/beta.yaml",
            &format!("\"1.2\": {last}"),
            &format!("\"1.2\": {grade}"),
        );
        last = grade;
        let run = rebuild_matches_fresh(&f, &format!("rebuild {n} (grade {grade})"));
        assert!(spare.is_dir(), "no spare after rebuild {n}\n{}", run.show());
        // The spare is the site as it was before this rebuild.
        assert!(
            snapshot(&spare) == before,
            "rebuild {n}: the spare is not the previous site"
        );
        before = f.output();
        let (_, unchanged) = counts(&run);
        assert!(unchanged > 0, "rebuild {n}\n{}", run.show());
    }
    // A file with the same bytes in both trees is one file: no data copied.
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let ino = |p: std::path::PathBuf| std::fs::metadata(p).unwrap().ino();
        let (ours, theirs) = (f.output(), snapshot(&spare));
        let same: Vec<&String> = ours
            .iter()
            .filter(|(rel, bytes)| *bytes != b"dir" && theirs.get(*rel) == Some(bytes))
            // rapor's marker is written anew for each site.
            .filter(|(rel, _)| *rel != ".rapor-output")
            .map(|(rel, _)| rel)
            .collect();
        assert!(!same.is_empty());
        for rel in same {
            assert_eq!(
                ino(f.path("output").join(rel)),
                ino(spare.join(rel)),
                "{rel}"
            );
        }
    }
    // A district removed and added back: its pages leave the spare and come back.
    let gamma = f.read("content/2030/districts/gamma.yaml");
    f.remove("content/2030/districts/gamma.yaml");
    rebuild_matches_fresh(&f, "a district file removed");
    f.write("content/2030/districts/gamma.yaml", &gamma);
    rebuild_matches_fresh(&f, "a district file added back");
    rebuild_matches_fresh(&f, "nothing changed");
}

#[test]
fn a_spare_changed_by_hand_is_not_trusted() {
    let f = Fixture::built();
    let spare = f.path(".output.rapor-spare");
    for (from, to) in [("B", "A"), ("A", "C")] {
        f.edit(
            "content/2030/districts/beta.yaml",
            &format!("\"1.2\": {from}"),
            &format!("\"1.2\": {to}"),
        );
        rebuild_matches_fresh(&f, &format!("grade {to}"));
    }
    assert!(spare.is_dir(), "no spare beside the output");
    // A page of the spare written over (a new file at its path), and a file added.
    let page = spare.join("2030/alpha/index.html");
    let text = read(&page);
    std::fs::remove_file(&page).unwrap();
    std::fs::write(&page, text.replacen("Alpha", "Palsu", 1)).unwrap();
    std::fs::write(spare.join("extra.html"), "<p>not ours</p>").unwrap();
    f.edit(
        "content/2030/districts/beta.yaml",
        "\"1.2\": C",
        "\"1.2\": B",
    );
    rebuild_matches_fresh(&f, "over a spare changed by hand");
    assert!(!f.path("output/extra.html").exists());
    assert!(!read(&f.path("output/2030/alpha/index.html")).contains("Palsu"));
}
