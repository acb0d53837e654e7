//! `rapor new DIR`: a new site with the default rubric and two example districts.

use std::fmt::Write as _;
use std::path::Path;

use super::Report;
use crate::content::{IndicatorKind, Rubric};
use crate::error::{shown, Problem, Problems};

const RUBRIC: &str = include_str!("new_site/rubric.yaml");

struct Example {
    slug: &'static str,
    code: &'static str,
    name: &'static str,
    kind: &'static str,
    paparan: f64,
    lapangan: f64,
    prevalence: f64,
}

const EXAMPLES: [Example; 2] = [
    Example {
        slug: "kabupaten-contoh",
        code: "00.01",
        name: "Kabupaten Contoh",
        kind: "kabupaten",
        paparan: 82.5,
        lapangan: 78.0,
        prevalence: 14.2,
    },
    Example {
        slug: "kota-contoh",
        code: "00.71",
        name: "Kota Contoh",
        kind: "kota",
        paparan: 76.0,
        lapangan: 84.0,
        prevalence: 9.8,
    },
];

fn write(dir: &Path, rel: &str, text: &str) -> Result<(), Problem> {
    let path = dir.join(rel);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .map_err(|e| Problem::new(parent, format!("cannot be created: {e}")))?;
    }
    std::fs::write(&path, text).map_err(|e| Problem::new(&path, format!("cannot be written: {e}")))
}

/// An example district file answering every indicator of `rubric`.
fn district_yaml(rubric: &Rubric, ex: &Example, k: usize, assessed: i32) -> String {
    let mut y = format!("# Data contoh: ganti dengan hasil penilaian {}.\nassessed_on: {assessed}-05-{:02}\nindicators:\n", ex.name, 14 + k);
    for (i, ind) in rubric.indicators().enumerate() {
        let step = (i * 7 + k * 3) % 4;
        match &ind.kind {
            IndicatorKind::Graded { grades } => {
                let g = &grades[step.min(2).min(grades.len() - 1)];
                let _ = writeln!(y, "  \"{}\": {}", ind.key, g.grade);
            }
            IndicatorKind::Scored { max } => {
                let _ = writeln!(
                    y,
                    "  \"{}\": {}",
                    ind.key,
                    max.saturating_sub(step.min(2) as u32)
                );
            }
        }
    }
    y.push_str("components:\n");
    for (c, comp) in rubric.components.iter().enumerate() {
        if c != rubric.document {
            let value = if c % 2 == 1 { ex.paparan } else { ex.lapangan };
            let _ = writeln!(y, "  {}: {}", comp.key, value);
        }
    }
    let first = rubric.actions.first().map_or(1, |a| a.number);
    let last = rubric.actions.last().map_or(1, |a| a.number);
    let _ = write!(
        y,
        "prevalence: {{ value: {}, source: Contoh }}
coverage:
  - {{ name: Balita dipantau pertumbuhan dan perkembangannya, value: 86.5, kind: spesifik }}
  - {{ name: Rumah tangga dengan akses air minum layak, value: 91.2, kind: sensitif }}
feedback:
  {first}:
    strengths: [Analisis memakai data tingkat desa/kelurahan]
    improvements: [Rekomendasi belum dibagi ke OPD penanggung jawab]
innovations:
  - title: Inovasi Contoh
    actions: [{first}]
    summary: Ringkasan satu paragraf tentang inovasi ini, dalam **Markdown**.
follow_up:
  - {{ action: {last}, plan: Rencana tindak lanjut contoh, due: \"{assessed}-12\", status: planned }}
",
        ex.prevalence
    );
    y
}

/// Creates a new site in `dir`.
pub fn run(dir: &Path) -> Report {
    match new_site(dir) {
        Ok(year) => Report::done([
            format!(
                "Created a new site in {} with performance year {year}.",
                shown(dir)
            ),
            format!("Next: cd {} && rapor serve", shown(dir)),
        ]),
        Err(problems) => Report::only_problems(problems),
    }
}

/// Writes a new site into `dir`, which must be empty or not exist.
pub fn new_site(dir: &Path) -> Result<i32, Problems> {
    if dir.exists() {
        let empty = std::fs::read_dir(dir)
            .map(|mut d| d.next().is_none())
            .unwrap_or(false);
        if !empty {
            return Err(Problem::new(dir, "is not empty")
                .hint("give a new folder name; rapor new never overwrites files")
                .into());
        }
    }
    let year = i32::from(crate::content::current_year()) - 1;
    write_site(dir, year)?;
    let rubric = crate::content::load_rubric(dir, year)?;
    write_examples(dir, &rubric, year)?;
    write(dir, "README.md", &readme(year))?;
    Ok(year)
}

/// The site's own files and the year's rubric, year file and narrative.
fn write_site(dir: &Path, year: i32) -> Result<(), Problem> {
    let assessed = year + 1;
    let y = year.to_string();
    write(
        dir,
        "content/site.yaml",
        "title: Penilaian Kinerja Aksi Konvergensi Percepatan Penurunan Stunting
province: { name: Provinsi Contoh, code: \"00\" }
publisher: Bappeda Provinsi Contoh
base_url: https://example.go.id/stunting/    # alamat situs setelah diunggah
language: id                                  # id | en
theme: default
notice: Situs ini berisi data contoh. Ganti dengan data penilaian Anda.
",
    )?;
    let mut districts = String::from(
        "# Kabupaten/kota di provinsi. slug dipakai sebagai nama berkas data tiap tahun.\n",
    );
    for ex in &EXAMPLES {
        let _ = write!(
            districts,
            "- code: \"{}\"\n  name: {}\n  slug: {}\n  kind: {}\n",
            ex.code, ex.name, ex.slug, ex.kind
        );
    }
    write(dir, "content/districts.yaml", &districts)?;
    write(
        dir,
        &format!("content/{y}/rubric.yaml"),
        &RUBRIC.replace("{YEAR}", &y),
    )?;
    write(dir, &format!("content/{y}/year.yaml"), &format!(
        "assessed_in: {assessed}\n# plenary: {{ date: {assessed}-06-12, decree: \"SK Gubernur Nomor ...\" }}\nawards:\n  - {{ title: Terinovatif, district: kota-contoh, reason: Contoh alasan penghargaan. }}\n"
    ))?;
    write(dir, &format!("content/{y}/province.md"), &format!(
        "Penilaian kinerja tahun {assessed} atas pelaksanaan 8 aksi konvergensi tahun {y}.\n\nTuliskan di sini bagaimana penilaian berjalan dan apa temuan utamanya.\n"
    ))
}

/// The example districts' files for `year`.
fn write_examples(dir: &Path, rubric: &Rubric, year: i32) -> Result<(), Problem> {
    let assessed = year + 1;
    for (k, ex) in EXAMPLES.iter().enumerate() {
        write(
            dir,
            &format!("content/{year}/districts/{}.yaml", ex.slug),
            &district_yaml(rubric, ex, k, assessed),
        )?;
        write(dir, &format!("content/{year}/districts/{}.md", ex.slug), &format!(
            "Catatan tim penilai untuk {}: apa yang sudah baik, apa yang perlu diperbaiki, dan saran tindak lanjut.\n",
            ex.name
        ))?;
    }
    Ok(())
}

/// The new site's README, in the content's language.
fn readme(y: i32) -> String {
    format!("# Situs penilaian kinerja 8 aksi konvergensi

Dibuat dengan `rapor new`. Isi situs ada di `content/`:

- `content/site.yaml`: judul, provinsi, alamat situs (`base_url`), bahasa.
- `content/districts.yaml`: daftar kabupaten/kota (kode Kemendagri, nama, slug).
- `content/{y}/rubric.yaml`: rubrik penilaian tahun kinerja {y}; sesuaikan dengan juknis.
- `content/{y}/districts/<slug>.yaml`: nilai tiap kabupaten/kota; `<slug>.md`: catatan tim penilai.

Langkah kerja:

1. `rapor template {y}` membuat lembar skor Excel; isi, lalu `rapor import penilaian-{y}.xlsx --year {y}`.
2. `rapor serve` untuk melihat situs di http://127.0.0.1:1111/ sambil menyunting.
3. `rapor check` memeriksa seluruh isi; `rapor build` menulis situs ke `output/`.
4. Unggah isi `output/` ke server web Bappeda.

Tambah tahun baru: buat folder `content/<tahun>/` dengan `rubric.yaml` dan `districts/`.
")
}
