//! `rapor template YEAR`: the score sheet of a year's rubric, as xlsx.

use std::path::Path;

use rust_xlsxwriter::{
    DataValidation, DataValidationErrorStyle, DataValidationRule, DocProperties, ExcelDateTime,
    Format, FormatAlign, FormatBorder, Formula, Note, Workbook, Worksheet, XlsxError,
};

use super::import::read_district_values;
use super::read::number_text;
use super::yaml_edit::Node;
use super::{
    column_letters, score_columns, Column, ColumnKind, CODE, MARKER_SHEET, NAME, SHEET, SLUG,
};
use crate::content::{self, IndicatorKind, Rubric};
use crate::error::{Problem, Problems};

/// Rows above the first district: the keys, then what each column holds.
const HEADER_ROWS: u32 = 2;
/// Columns before the scores: code, slug, name.
const META_COLUMNS: u16 = 3;

pub(super) fn write_template(root: &Path, year: i32, out: &Path) -> Result<(), Problems> {
    let (districts, rubric) = super::registry_and_rubric(root, year)?;
    if out.exists() {
        return Err(Problem::new(out, "already exists")
            .hint(
                "a filled sheet may be in it: remove or rename it, or pass --out with another name",
            )
            .into());
    }
    let columns = score_columns(&rubric);
    if u16::try_from(columns.len())
        .ok()
        .and_then(|n| n.checked_add(META_COLUMNS))
        .is_none_or(|n| n > 16_000)
    {
        return Err(Problem::new(
            Path::new("content")
                .join(year.to_string())
                .join("rubric.yaml"),
            "has more indicators than a sheet has columns",
        )
        .into());
    }

    // Values already in the district files, to start from.
    let existing: Vec<Option<Node>> = districts
        .iter()
        .map(|d| read_district_values(root, year, &d.slug).ok().flatten())
        .collect();

    let written = build(year, &rubric, &districts, &columns, &existing)
        .and_then(|mut workbook| workbook.save(out));
    written.map_err(|e| {
        Problem::new(out, format!("could not be written: {e}"))
            .hint("check that the folder exists and the file is not open in Excel")
            .into()
    })
}

fn build(
    year: i32,
    rubric: &Rubric,
    districts: &[content::District],
    columns: &[Column],
    existing: &[Option<Node>],
) -> Result<Workbook, XlsxError> {
    let mut workbook = Workbook::new();
    // A fixed creation date: the same content gives the same file.
    let created = ExcelDateTime::from_ymd(2000, 1, 1)?;
    workbook.set_properties(
        &DocProperties::new()
            .set_title(format!("Lembar skor {year}: {}", rubric.title))
            .set_author("rapor")
            .set_creation_datetime(&created),
    );

    let mut sheet = Worksheet::new();
    sheet.set_name(SHEET)?;
    let header = Format::new()
        .set_bold()
        .set_border(FormatBorder::Thin)
        .set_background_color("#D9E2F3")
        .set_align(FormatAlign::Center);
    let header_alt = header.clone().set_background_color("#FCE4D6");
    let header_meta = header.clone().set_background_color("#E7E6E6");
    let describe = Format::new()
        .set_text_wrap()
        .set_font_size(9)
        .set_align(FormatAlign::Top)
        .set_border(FormatBorder::Thin)
        .set_font_color("#404040");
    let meta = Format::new()
        .set_background_color("#F2F2F2")
        .set_border(FormatBorder::Thin);
    let score = Format::new()
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::Center);

    for (col, (key, width, what)) in [
        (CODE, 9.0, "Kode wilayah"),
        (SLUG, 14.0, "Slug: nama berkas distrik (jangan diubah)"),
        (NAME, 26.0, "Nama kabupaten/kota"),
    ]
    .into_iter()
    .enumerate()
    {
        let col = col as u16;
        sheet.write_string_with_format(0, col, key, &header_meta)?;
        sheet.write_string_with_format(
            1,
            col,
            if col == 0 { "# uraian" } else { what },
            &describe,
        )?;
        sheet.set_column_width(col, width)?;
    }

    let last_row = HEADER_ROWS + districts.len().max(1) as u32 - 1;
    let mut longest = 0usize;
    for (i, column) in columns.iter().enumerate() {
        let col = META_COLUMNS + i as u16;
        let (text, note, validation, header_format) = match column.kind {
            ColumnKind::Indicator { action, indicator } => {
                let a = &rubric.actions[action];
                let ind = &a.indicators[indicator];
                let mut note = format!(
                    "Aksi {}: {}\n\n{} {}\n",
                    a.number, a.name, ind.key, ind.text
                );
                let validation = match &ind.kind {
                    IndicatorKind::Scored { max } => {
                        note.push_str(&format!("\nSkor: bilangan bulat 0 sampai {max}."));
                        DataValidation::new()
                            .allow_whole_number(DataValidationRule::Between(
                                0,
                                i32::try_from(*max).unwrap_or(i32::MAX),
                            ))
                            .set_error_title("Skor tidak valid")?
                            .set_error_message(format!(
                                "Indikator {} diisi bilangan bulat 0 sampai {max}.",
                                ind.key
                            ))?
                    }
                    IndicatorKind::Graded { grades } => {
                        note.push('\n');
                        for g in grades {
                            note.push_str(&format!(
                                "{} ({}): {}\n",
                                g.grade,
                                number_text(g.value),
                                g.text
                            ));
                        }
                        let letters: Vec<&str> = grades.iter().map(|g| g.grade.as_str()).collect();
                        let message = format!(
                            "Indikator {} diisi salah satu kategori: {}.",
                            ind.key,
                            letters.join(", ")
                        );
                        let list = match DataValidation::new().allow_list_strings(&letters) {
                            Ok(v) => v,
                            // Too long for an inline list: point at the letters on the marker sheet.
                            Err(_) => {
                                DataValidation::new().allow_list_formula(Formula::new(format!(
                                    "={MARKER_SHEET}!$B${row}:${last}${row}",
                                    row = 4 + i,
                                    last = column_letters(letters.len() as u32)
                                )))
                            }
                        };
                        list.set_error_title("Kategori tidak valid")?
                            .set_error_message(truncate(&message, 250))?
                    }
                };
                let format = if a.number % 2 == 1 {
                    &header
                } else {
                    &header_alt
                };
                (ind.text.clone(), note, validation, format)
            }
            ColumnKind::Component { index } => {
                let c = &rubric.components[index];
                let note = format!(
                    "Komponen {} ({}), bobot {}.\n\nNilai 0 sampai 100, boleh desimal.",
                    c.name,
                    c.key,
                    number_text(c.weight)
                );
                let validation = DataValidation::new()
                    .allow_decimal_number(DataValidationRule::Between(0.0, 100.0))
                    .set_error_title("Nilai tidak valid")?
                    .set_error_message(format!("{} diisi angka 0 sampai 100.", c.key))?;
                (c.name.clone(), note, validation, &header_meta)
            }
        };
        longest = longest.max(text.chars().count());
        sheet.write_string_with_format(0, col, &column.key, header_format)?;
        sheet.write_string_with_format(1, col, &text, &describe)?;
        sheet.insert_note(
            0,
            col,
            &Note::new(truncate(&note, 30_000))
                .set_author("rapor")
                .add_author_prefix(false)
                .set_width(360)
                .set_height(240),
        )?;
        sheet.add_data_validation(
            HEADER_ROWS,
            col,
            last_row,
            col,
            &validation.set_error_style(DataValidationErrorStyle::Stop),
        )?;
        let width = if matches!(column.kind, ColumnKind::Component { .. }) {
            14.0
        } else {
            11.0
        };
        sheet.set_column_width(col, width)?;
    }
    // About 12 characters a line at 9 points, 12 points a line.
    let lines = (longest / 12 + 1).clamp(3, 16) as f64;
    sheet.set_row_height(1, lines * 12.0)?;

    for (i, d) in districts.iter().enumerate() {
        let row = HEADER_ROWS + i as u32;
        sheet.write_string_with_format(row, 0, &d.code, &meta)?;
        sheet.write_string_with_format(row, 1, &d.slug, &meta)?;
        sheet.write_string_with_format(row, 2, &d.name, &meta)?;
        for (j, column) in columns.iter().enumerate() {
            let col = META_COLUMNS + j as u16;
            match existing[i]
                .as_ref()
                .and_then(|node| prefill(rubric, column, node))
            {
                Some(Prefill::Number(x)) => {
                    sheet.write_number_with_format(row, col, x, &score)?;
                }
                Some(Prefill::Text(s)) => {
                    sheet.write_string_with_format(row, col, s, &score)?;
                }
                None => {
                    sheet.write_blank(row, col, &score)?;
                }
            }
        }
    }
    sheet.set_freeze_panes(HEADER_ROWS, META_COLUMNS)?;
    workbook.push_worksheet(sheet);

    // The marker: which year's rubric this sheet follows.
    let mut marker = Worksheet::new();
    marker.set_name(MARKER_SHEET)?;
    marker.write_string(0, 0, "year")?;
    marker.write_number(0, 1, f64::from(year))?;
    marker.write_string(1, 0, "rubric")?;
    marker.write_string(1, 1, &rubric.title)?;
    marker.write_string(2, 0, "note")?;
    marker.write_string(
        2,
        1,
        format!("Dibuat oleh `rapor template {year}`. Jangan ubah lembar ini: `rapor import` memakainya untuk memeriksa tahun rubrik."),
    )?;
    for (i, column) in columns.iter().enumerate() {
        if let ColumnKind::Indicator { action, indicator } = column.kind {
            if let IndicatorKind::Graded { grades } =
                &rubric.actions[action].indicators[indicator].kind
            {
                let row = 3 + i as u32;
                marker.write_string(row, 0, &column.key)?;
                for (k, g) in grades.iter().enumerate() {
                    marker.write_string(row, 1 + k as u16, &g.grade)?;
                }
            }
        }
    }
    marker.set_column_width(0, 10)?;
    marker.set_hidden(true);
    workbook.push_worksheet(marker);
    Ok(workbook)
}

enum Prefill<'a> {
    Number(f64),
    Text(&'a str),
}

/// A value already in a district file, if it is a valid one for the column.
fn prefill<'a>(rubric: &Rubric, column: &Column, file: &'a Node) -> Option<Prefill<'a>> {
    match column.kind {
        ColumnKind::Indicator { action, indicator } => {
            let value = file.get("indicators")?.get(&column.key)?;
            match (&rubric.actions[action].indicators[indicator].kind, value) {
                (IndicatorKind::Scored { max }, Node::Int(n))
                    if (0..=i128::from(*max)).contains(n) =>
                {
                    Some(Prefill::Number(*n as f64))
                }
                (IndicatorKind::Graded { grades }, Node::Str(s))
                    if grades.iter().any(|g| &g.grade == s) =>
                {
                    Some(Prefill::Text(s))
                }
                _ => None,
            }
        }
        ColumnKind::Component { .. } => {
            let x = match file.get("components")?.get(&column.key)? {
                Node::Int(n) => *n as f64,
                Node::Float(x) => *x,
                _ => return None,
            };
            (x.is_finite() && (0.0..=100.0).contains(&x)).then_some(Prefill::Number(x))
        }
    }
}

fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(max - 1).collect();
        t.push('…');
        t
    }
}
