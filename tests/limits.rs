//! Inputs at the limits give clear errors or finish, never hang: a 50 MB
//! YAML file, deeply nested YAML, a 10,000-district registry, a 5 MB narrative.

use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

/// A valid site of `n` districts with one year where the first two are assessed.
fn site(root: &Path, n: usize) {
    write(root, "content/site.yaml", "title: Batas\nprovince: { name: Provinsi Batas, code: \"96\" }\nbase_url: https://batas.example/\n");
    let mut registry = String::with_capacity(n * 80);
    for i in 0..n {
        registry.push_str(&format!("- {{ code: \"96.{i:05}\", name: Kabupaten Batas {i}, slug: batas-{i}, kind: kabupaten }}\n"));
    }
    write(root, "content/districts.yaml", &registry);
    write(
        root,
        "content/2050/rubric.yaml",
        "title: Rubrik\ncomponents:\n  - { key: berkas, name: Berkas, weight: 100, from: actions }\nactions:\n  - number: 1\n    name: Satu\n    weight: 100\n    indicators:\n      - { key: \"1.1\", text: Satu, max: 2 }\ncategories:\n  - { min: 0, label: Semua }\n",
    );
    for i in 0..2.min(n) {
        write(
            root,
            &format!("content/2050/districts/batas-{i}.yaml"),
            &format!("indicators:\n  \"1.1\": {}\n", i % 3),
        );
    }
}

/// Runs rapor with a time limit; a hang fails the test instead of blocking it.
fn rapor(args: &[&str], limit: Duration) -> Output {
    let start = Instant::now();
    let out = Command::new(env!("CARGO_BIN_EXE_rapor"))
        .args(args)
        .output()
        .unwrap();
    assert!(
        start.elapsed() < limit,
        "rapor {args:?} took {:?}",
        start.elapsed()
    );
    out
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn a_50_mb_yaml_file_is_refused_quickly() {
    let tmp = tempfile::tempdir().unwrap();
    site(tmp.path(), 3);
    let mut big = String::from("indicators:\n  \"1.1\": 1\n");
    let line =
        "# komentar yang panjang sekali untuk mengisi berkas ini sampai lima puluh megabita\n";
    while big.len() < 50 * 1024 * 1024 {
        big.push_str(line);
    }
    write(tmp.path(), "content/2050/districts/batas-2.yaml", &big);
    let out = rapor(
        &["build", "--root", tmp.path().to_str().unwrap()],
        Duration::from_secs(20),
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out)
            .contains("content/2050/districts/batas-2.yaml: is 50 MB, larger than the 4 MB"),
        "{}",
        stderr(&out)
    );
    assert!(!tmp.path().join("output").exists());
}

#[test]
fn deeply_nested_yaml_is_an_error_not_a_crash() {
    let tmp = tempfile::tempdir().unwrap();
    site(tmp.path(), 3);
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
        write(tmp.path(), "content/2050/districts/batas-2.yaml", &text);
        let out = rapor(
            &["check", "--root", tmp.path().to_str().unwrap()],
            Duration::from_secs(30),
        );
        assert_eq!(out.status.code(), Some(1), "{name}: {}", stderr(&out));
        let err = stderr(&out);
        assert!(
            err.contains("content/2050/districts/batas-2.yaml"),
            "{name}: {err}"
        );
        assert!(!err.contains("panicked"), "{name}: {err}");
    }
}

#[test]
fn a_10000_district_registry_builds() {
    let tmp = tempfile::tempdir().unwrap();
    site(tmp.path(), 10_000);
    let out = rapor(
        &["build", "--root", tmp.path().to_str().unwrap()],
        Duration::from_secs(120),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(tmp
        .path()
        .join("output/wilayah/batas-9999/index.html")
        .is_file());
    assert!(tmp
        .path()
        .join("output/2050/batas-9999/index.html")
        .is_file());
}

#[test]
fn a_5_mb_narrative_is_refused_and_a_3_mb_one_renders() {
    let tmp = tempfile::tempdir().unwrap();
    site(tmp.path(), 3);
    let paragraph = "Tim penilai mencatat **kemajuan** pada [aksi 1](#aksi-1) dan > kutipan\n\n- butir\n- butir\n\n";
    let big = paragraph.repeat(5 * 1024 * 1024 / paragraph.len() + 1);
    write(tmp.path(), "content/2050/districts/batas-0.md", &big);
    let out = rapor(
        &["build", "--root", tmp.path().to_str().unwrap()],
        Duration::from_secs(20),
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("batas-0.md: is 5 MB, larger than the 4 MB"),
        "{}",
        stderr(&out)
    );

    let smaller = paragraph.repeat(3 * 1024 * 1024 / paragraph.len());
    write(tmp.path(), "content/2050/districts/batas-0.md", &smaller);
    let out = rapor(
        &["build", "--root", tmp.path().to_str().unwrap()],
        Duration::from_secs(60),
    );
    assert!(out.status.success(), "{}", stderr(&out));
}
