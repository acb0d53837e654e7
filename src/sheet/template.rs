//! `rapor template YEAR`: the score sheet of a year's rubric, as xlsx.

use std::path::Path;

use rust_xlsxwriter::{
    DataValidation, DataValidationErrorStyle, DataValidationRule, DocProperties, ExcelDateTime,
    Format, FormatAlign, FormatBorder, Formula, Note, Workbook, Worksheet, XlsxError,
};

use super::import::read_district_values;
use super::read::number_text;
use super::yaml_edit::{int_of, Node};
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
    let formats = Formats::new();
    let mut sheet = Worksheet::new();
    sheet.set_name(SHEET)?;
    write_meta_headers(&mut sheet, &formats)?;
    let last_row = HEADER_ROWS + districts.len().max(1) as u32 - 1;
    let mut longest = 0usize;
    for (i, column) in columns.iter().enumerate() {
        let head = match column.kind {
            ColumnKind::Indicator { action, indicator } => {
                indicator_head(rubric, action, indicator, i, &formats)?
            }
            ColumnKind::Component { index } => component_head(rubric, index, &formats)?,
        };
        longest = longest.max(head.text.chars().count());
        write_column_head(
            &mut sheet,
            META_COLUMNS + i as u16,
            column,
            head,
            last_row,
            &formats,
        )?;
    }
    // About 12 characters a line at 9 points, 12 points a line.
    let lines = (longest / 12 + 1).clamp(3, 16) as f64;
    sheet.set_row_height(1, lines * 12.0)?;
    write_districts(&mut sheet, rubric, districts, columns, existing, &formats)?;
    sheet.set_freeze_panes(HEADER_ROWS, META_COLUMNS)?;
    workbook.push_worksheet(sheet);
    workbook.push_worksheet(marker_sheet(year, rubric, columns)?);
    Ok(workbook)
}

/// The cell formats of the score sheet.
struct Formats {
    /// The key of an indicator of an odd action, and of an even one.
    header: Format,
    header_alt: Format,
    /// The key of a district column or a component.
    header_meta: Format,
    /// What a column holds, under its key.
    describe: Format,
    /// A district's code, slug and name.
    meta: Format,
    score: Format,
}

impl Formats {
    fn new() -> Formats {
        let header = Format::new()
            .set_bold()
            .set_border(FormatBorder::Thin)
            .set_background_color("#D9E2F3")
            .set_align(FormatAlign::Center);
        Formats {
            header_alt: header.clone().set_background_color("#FCE4D6"),
            header_meta: header.clone().set_background_color("#E7E6E6"),
            header,
            describe: Format::new()
                .set_text_wrap()
                .set_font_size(9)
                .set_align(FormatAlign::Top)
                .set_border(FormatBorder::Thin)
                .set_font_color("#404040"),
            meta: Format::new()
                .set_background_color("#F2F2F2")
                .set_border(FormatBorder::Thin),
            score: Format::new()
                .set_border(FormatBorder::Thin)
                .set_align(FormatAlign::Center),
        }
    }
}

/// The headers of the code, slug and name columns.
fn write_meta_headers(sheet: &mut Worksheet, f: &Formats) -> Result<(), XlsxError> {
    for (col, (key, width, what)) in [
        (CODE, 9.0, "Kode wilayah"),
        (SLUG, 14.0, "Slug: nama berkas distrik (jangan diubah)"),
        (NAME, 26.0, "Nama kabupaten/kota"),
    ]
    .into_iter()
    .enumerate()
    {
        let col = col as u16;
        sheet.write_string_with_format(0, col, key, &f.header_meta)?;
        let what = if col == 0 { "# uraian" } else { what };
        sheet.write_string_with_format(1, col, what, &f.describe)?;
        sheet.set_column_width(col, width)?;
    }
    Ok(())
}

/// The head of a score column: what it holds, the note on its key, what
/// Excel lets be typed in it, and the format of its key.
struct ColumnHead<'a> {
    text: String,
    note: String,
    validation: DataValidation,
    format: &'a Format,
}

/// The head of the column of an indicator, the `i`-th score column.
fn indicator_head<'a>(
    rubric: &Rubric,
    action: usize,
    indicator: usize,
    i: usize,
    f: &'a Formats,
) -> Result<ColumnHead<'a>, XlsxError> {
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
                let value = number_text(g.value);
                note.push_str(&format!("{} ({value}): {}\n", g.grade, g.text));
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
                Err(_) => DataValidation::new().allow_list_formula(Formula::new(format!(
                    "={MARKER_SHEET}!$B${row}:${last}${row}",
                    row = 4 + i,
                    last = column_letters(letters.len() as u32)
                ))),
            };
            list.set_error_title("Kategori tidak valid")?
                .set_error_message(truncate(&message, 250))?
        }
    };
    let format = if a.number % 2 == 1 {
        &f.header
    } else {
        &f.header_alt
    };
    Ok(ColumnHead {
        text: ind.text.clone(),
        note,
        validation,
        format,
    })
}

/// The head of the column of a component scored directly.
fn component_head<'a>(
    rubric: &Rubric,
    index: usize,
    f: &'a Formats,
) -> Result<ColumnHead<'a>, XlsxError> {
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
    Ok(ColumnHead {
        text: c.name.clone(),
        note,
        validation,
        format: &f.header_meta,
    })
}

/// Writes a score column's key, text, note, validation down to `last_row`, and width.
fn write_column_head(
    sheet: &mut Worksheet,
    col: u16,
    column: &Column,
    head: ColumnHead,
    last_row: u32,
    f: &Formats,
) -> Result<(), XlsxError> {
    sheet.write_string_with_format(0, col, &column.key, head.format)?;
    sheet.write_string_with_format(1, col, &head.text, &f.describe)?;
    sheet.insert_note(
        0,
        col,
        &Note::new(truncate(&head.note, 30_000))
            .set_author("rapor")
            .add_author_prefix(false)
            .set_width(360)
            .set_height(240),
    )?;
    let validation = head
        .validation
        .set_error_style(DataValidationErrorStyle::Stop);
    sheet.add_data_validation(HEADER_ROWS, col, last_row, col, &validation)?;
    let width = if matches!(column.kind, ColumnKind::Component { .. }) {
        14.0
    } else {
        11.0
    };
    sheet.set_column_width(col, width)?;
    Ok(())
}

/// One row per district: code, slug, name, and the values already in its file.
fn write_districts(
    sheet: &mut Worksheet,
    rubric: &Rubric,
    districts: &[content::District],
    columns: &[Column],
    existing: &[Option<Node>],
    f: &Formats,
) -> Result<(), XlsxError> {
    for (i, d) in districts.iter().enumerate() {
        let row = HEADER_ROWS + i as u32;
        sheet.write_string_with_format(row, 0, &d.code, &f.meta)?;
        sheet.write_string_with_format(row, 1, &d.slug, &f.meta)?;
        sheet.write_string_with_format(row, 2, &d.name, &f.meta)?;
        for (j, column) in columns.iter().enumerate() {
            let col = META_COLUMNS + j as u16;
            match existing[i]
                .as_ref()
                .and_then(|node| prefill(rubric, column, node))
            {
                Some(Prefill::Number(x)) => {
                    sheet.write_number_with_format(row, col, x, &f.score)?
                }
                Some(Prefill::Text(s)) => sheet.write_string_with_format(row, col, s, &f.score)?,
                None => sheet.write_blank(row, col, &f.score)?,
            };
        }
    }
    Ok(())
}

/// The hidden marker sheet: which year's rubric this sheet follows, and the
/// grade letters of each graded column (for lists too long to write inline).
fn marker_sheet(year: i32, rubric: &Rubric, columns: &[Column]) -> Result<Worksheet, XlsxError> {
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
    Ok(marker)
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
                (IndicatorKind::Scored { max }, _) => int_of(value)
                    .filter(|n| (0..=i64::from(*max)).contains(n))
                    .map(|n| Prefill::Number(n as f64)),
                (IndicatorKind::Graded { grades }, Node::String(s))
                    if grades.iter().any(|g| &g.grade == s) =>
                {
                    Some(Prefill::Text(s))
                }
                _ => None,
            }
        }
        ColumnKind::Component { .. } => {
            let x = match file.get("components")?.get(&column.key)? {
                Node::Number(n) => n.as_f64()?,
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
