//! Reading a filled sheet, xlsx (calamine) or csv, into cells with their
//! positions. Sheets come from outside: sizes are bounded and a panic in the
//! xlsx reader becomes a problem, never a crash.
//!
//! An xlsx file is a zip of XML files, and a small zip can expand to
//! gigabytes (a "zip bomb"). Before calamine opens one, every entry is
//! decompressed once, counting, and reading stops past
//! [`MAX_UNZIPPED_BYTES`] in all: the sizes the zip declares are checked
//! first (refused without decompressing anything), but they can lie, so the
//! bytes that really come out are what counts. Calamine then reads the same
//! open file. The sheet itself is read cell by cell into a sparse grid, never
//! as a dense rows × columns range (whose size the file declares and which
//! can lie too): every cell element, empty or not, counts towards
//! [`MAX_CELLS`], and reading stops with a problem beyond it.

use std::collections::{BTreeMap, BTreeSet};
use std::fs::File;
use std::io::{BufReader, Read, Seek};
use std::path::Path;

use calamine::{DataRef, Reader, Xlsx};

use super::{MARKER_SHEET, SHEET};
use crate::error::escaped;
use crate::error::Problem;

/// A sheet larger than this is not a score sheet.
const MAX_FILE_BYTES: u64 = 32 * 1024 * 1024;
/// What the entries of an xlsx may expand to, together. The sheet of a
/// province's districts, every indicator filled and described, is well
/// under 1 MB of XML; 50 MB leaves room for a workbook with a few other
/// sheets while keeping what calamine may hold in memory small.
const MAX_UNZIPPED_BYTES: u64 = 50 * 1024 * 1024;
/// Entries in an xlsx at most; Excel writes a dozen or two.
const MAX_ZIP_ENTRIES: usize = 1_000;
/// Cells read at most from a sheet (in an xlsx, every cell element counts,
/// empty or not): a province's sheet has a few thousand.
const MAX_CELLS: usize = 1_000_000;

/// One non-empty cell.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value {
    Number(f64),
    Text(String),
    Bool(bool),
    /// An error value such as `#DIV/0!`.
    Error(String),
    /// A date or time.
    Date(String),
}

impl Value {
    /// The cell as written, for messages.
    pub fn describe(&self) -> String {
        match self {
            Value::Number(x) => number_text(*x),
            Value::Text(s) => super::quoted(s.trim()),
            Value::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
            Value::Error(e) => format!("the error value {}", super::quoted(e)),
            Value::Date(d) => format!("the date {}", super::quoted(d)),
        }
    }

    /// The cell as text, for keys and slugs.
    pub fn text(&self) -> String {
        match self {
            Value::Number(x) => number_text(*x),
            Value::Text(s) => s.trim().to_string(),
            Value::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
            Value::Error(e) => e.clone(),
            Value::Date(d) => d.clone(),
        }
    }
}

/// A number as people write it: `3`, `82.5`.
pub(crate) fn number_text(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else {
        format!("{x}")
    }
}

/// The score sheet of a file: its name (for references) and its non-empty
/// cells by 0-based row, then column.
#[derive(Debug, Default)]
pub(crate) struct Grid {
    pub name: String,
    pub rows: BTreeMap<u32, BTreeMap<u32, Value>>,
    /// The cells holding a formula, by row and column. Such a cell's value
    /// in `rows` is the result Excel saved with it (empty text when none).
    pub formulas: BTreeSet<(u32, u32)>,
}

impl Grid {
    pub fn is_formula(&self, row: u32, col: u32) -> bool {
        self.formulas.contains(&(row, col))
    }

    #[cfg(test)]
    pub fn get(&self, row: u32, col: u32) -> Option<&Value> {
        self.rows.get(&row).and_then(|r| r.get(&col))
    }

    fn insert(&mut self, row: u32, col: u32, value: Value) -> bool {
        self.rows.entry(row).or_default().insert(col, value);
        true
    }
}

/// What was read from a file.
#[derive(Debug)]
pub(crate) struct Sheet {
    pub grid: Grid,
    /// The year the template was made for: the cell reference of the value
    /// and the value, when the file has the hidden marker sheet.
    pub marker_year: Option<(String, Value)>,
}

/// Reads `file`. Problems name `shown` (the path as the user gave it).
pub(crate) fn read(file: &Path, shown: &Path) -> Result<Sheet, Problem> {
    let meta = std::fs::metadata(file).map_err(|e| cannot_read(shown, &e))?;
    if !meta.is_file() {
        return Err(Problem::new(shown, "is not a file"));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(Problem::new(
            shown,
            format!(
                "is {} MB, larger than the {} MB a score sheet may be",
                meta.len() / 1_048_576,
                MAX_FILE_BYTES / 1_048_576
            ),
        ));
    }
    let ext = file
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "xlsx" | "xlsm" => read_xlsx_guarded(file, shown),
        "csv" | "txt" => {
            let bytes = std::fs::read(file).map_err(|e| cannot_read(shown, &e))?;
            let name = file
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_else(|| "csv".to_string());
            read_csv(&bytes, &name, shown)
        }
        _ => Err(Problem::new(shown, "is not an xlsx or csv file")
            .hint("save the sheet as .xlsx (Excel workbook) or .csv")),
    }
}

/// `e` from reading the sheet `shown`. Excel keeps a workbook it has open
/// locked on Windows (a sharing or lock violation): that is said plainly.
fn cannot_read(shown: &Path, e: &std::io::Error) -> Problem {
    if cfg!(windows) && matches!(e.raw_os_error(), Some(32 | 33)) {
        Problem::new(
            shown,
            "the file is open in another program (Excel?) — close it and run again",
        )
    } else {
        Problem::new(shown, format!("cannot be read: {e}"))
    }
}

/// Runs the xlsx reader with a panic (a bug of the reader on a strange file)
/// caught and turned into a problem. The process's panic hook is left as it
/// is, so such a panic is also printed, as any other, for the bug report.
fn read_xlsx_guarded(file: &Path, shown: &Path) -> Result<Sheet, Problem> {
    let result = std::panic::catch_unwind(|| read_xlsx(file, shown));
    result.unwrap_or_else(|_| {
        Err(Problem::new(shown, "could not be read as an xlsx workbook")
            .hint("open it in Excel or LibreOffice and save it again as .xlsx"))
    })
}

/// A workbook that calamine or the zip reader could not open.
fn unreadable_xlsx(shown: &Path, e: &dyn std::fmt::Display) -> Problem {
    Problem::new(
        shown,
        format!(
            "could not be read as an xlsx workbook: {}",
            escaped(&e.to_string())
        ),
    )
    .hint("open it in Excel or LibreOffice and save it again as .xlsx")
}

fn read_xlsx(file: &Path, shown: &Path) -> Result<Sheet, Problem> {
    let unreadable = |e: calamine::XlsxError| unreadable_xlsx(shown, &e);
    let mut opened = File::open(file).map_err(|e| cannot_read(shown, &e))?;
    check_unzipped_size(&mut opened, shown)?;
    opened.rewind().map_err(|e| cannot_read(shown, &e))?;
    let mut workbook: Xlsx<_> = Xlsx::new(BufReader::new(opened)).map_err(unreadable)?;
    let names = workbook.sheet_names();
    let others: Vec<&String> = names.iter().filter(|n| *n != MARKER_SHEET).collect();
    let name = if names.iter().any(|n| n == SHEET) {
        SHEET.to_string()
    } else if others.len() == 1 {
        others[0].clone()
    } else {
        return Err(Problem::new(
            shown,
            format!(
                "has no sheet named `{SHEET}`{}",
                if others.is_empty() {
                    String::new()
                } else {
                    format!(
                        " (its sheets: {})",
                        others
                            .iter()
                            .take(20)
                            .map(|s| super::quoted(s))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                }
            ),
        )
        .hint(format!(
            "put the scores on a sheet named `{SHEET}`, as `rapor template` does"
        )));
    };
    let grid = read_xlsx_sheet(&mut workbook, &name, shown, unreadable, MAX_CELLS)?;

    let marker_year = if names.iter().any(|n| n == MARKER_SHEET) {
        let marker = read_xlsx_sheet(&mut workbook, MARKER_SHEET, shown, unreadable, MAX_CELLS)?;
        marker.rows.iter().find_map(|(row, cells)| {
            let label = cells.get(&0)?.text();
            (label.eq_ignore_ascii_case("year") || label.eq_ignore_ascii_case("tahun")).then(|| {
                let value = cells.get(&1).cloned().unwrap_or(Value::Text(String::new()));
                (super::cell_ref(MARKER_SHEET, *row, 1), value)
            })
        })
    } else {
        None
    };
    Ok(Sheet { grid, marker_year })
}

/// Refuses an xlsx whose entries expand to more than [`MAX_UNZIPPED_BYTES`]
/// together, or that has more than [`MAX_ZIP_ENTRIES`] entries: first by
/// the sizes the zip declares, then, since those can lie, by decompressing
/// every entry and counting what comes out, stopping as soon as the total
/// passes the cap. Memory stays small: the bytes are counted, not kept.
fn check_unzipped_size<R: Read + Seek>(reader: R, shown: &Path) -> Result<(), Problem> {
    let unreadable = |e: &dyn std::fmt::Display| unreadable_xlsx(shown, e);
    let too_big = |what: String| {
        Problem::new(
            shown,
            format!(
                "{what}, more than the {} MB a score sheet may expand to (a \"zip bomb\"?)",
                MAX_UNZIPPED_BYTES / 1_048_576
            ),
        )
        .hint("copy the score sheet alone into a new workbook, save it as .xlsx and import that")
    };
    let mut archive = zip::ZipArchive::new(reader).map_err(|e| unreadable(&e))?;
    if archive.len() > MAX_ZIP_ENTRIES {
        return Err(Problem::new(
            shown,
            format!(
                "holds {} files inside, more than the {MAX_ZIP_ENTRIES} of any score sheet",
                archive.len()
            ),
        )
        .hint("copy the score sheet alone into a new workbook, save it as .xlsx and import that"));
    }
    let mut declared: u64 = 0;
    for i in 0..archive.len() {
        let entry = archive.by_index_raw(i).map_err(|e| unreadable(&e))?;
        declared = declared.saturating_add(entry.size());
    }
    if declared > MAX_UNZIPPED_BYTES {
        return Err(too_big(format!(
            "expands to {} MB",
            declared.div_ceil(1_048_576)
        )));
    }
    // Decompress each entry, counting. The zip reader also stops an entry
    // that yields more than it declares: that too is a bomb.
    let mut total: u64 = 0;
    let mut buf = vec![0u8; 64 * 1024];
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).map_err(|e| unreadable(&e))?;
        let entry_declared = entry.size();
        let mut entry_read: u64 = 0;
        loop {
            // Up to the declared end, then past it: an entry that errs there
            // goes on beyond what it declares (or is damaged).
            let want = match entry_declared - entry_read.min(entry_declared) {
                0 => buf.len(),
                left => buf.len().min(usize::try_from(left).unwrap_or(usize::MAX)),
            };
            match entry.read(&mut buf[..want]) {
                Ok(0) => break,
                Ok(n) => {
                    entry_read += n as u64;
                    total += n as u64;
                    if total > MAX_UNZIPPED_BYTES {
                        return Err(too_big(format!(
                            "expands to more than its declared {} MB",
                            declared.div_ceil(1_048_576)
                        )));
                    }
                }
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(_) if entry_read >= entry_declared => {
                    return Err(Problem::new(
                        shown,
                        format!(
                            "holds {} that goes on past the {entry_declared} bytes it declares: a \"zip bomb\", or a damaged file",
                            super::quoted(&entry.name().map(|n| n.into_owned()).unwrap_or_default())
                        ),
                    )
                    .hint("open it in Excel or LibreOffice and save it again as .xlsx"));
                }
                Err(e) => return Err(unreadable(&e)),
            }
        }
    }
    Ok(())
}

fn read_xlsx_sheet<R: std::io::Read + std::io::Seek>(
    workbook: &mut Xlsx<R>,
    name: &str,
    shown: &Path,
    unreadable: impl Fn(calamine::XlsxError) -> Problem,
    max_cells: usize,
) -> Result<Grid, Problem> {
    let mut grid = Grid {
        name: name.to_string(),
        ..Grid::default()
    };
    let mut count = 0usize;
    let mut cells = workbook.worksheet_cells_reader(name).map_err(&unreadable)?;
    while let Some(cell) = cells
        .next_cell_with_formula_metadata()
        .map_err(&unreadable)?
    {
        count += 1;
        if count > max_cells {
            return Err(too_many_cells(shown, max_cells));
        }
        let (row, col) = cell.pos;
        let formula = cell.formula.is_some();
        let value = match cell.value {
            DataRef::Empty => Value::Text(String::new()),
            DataRef::Int(n) => Value::Number(n as f64),
            DataRef::Float(x) => Value::Number(x),
            DataRef::String(s) => Value::Text(s),
            DataRef::SharedString(s) => Value::Text(s.to_string()),
            DataRef::Bool(b) => Value::Bool(b),
            DataRef::DateTime(d) => {
                let (y, m, day, ..) = d.to_ymd_hms_milli();
                Value::Date(format!("{y:04}-{m:02}-{day:02}"))
            }
            DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => Value::Date(s),
            DataRef::Error(e) => Value::Error(e.to_string()),
        };
        if formula {
            // Kept even without a saved result: import refuses it in a score column.
            grid.formulas.insert((row, col));
        } else if matches!(&value, Value::Text(s) if s.trim().is_empty()) {
            continue;
        }
        grid.insert(row, col, value);
    }
    Ok(grid)
}

fn too_many_cells(shown: &Path, max_cells: usize) -> Problem {
    Problem::new(
        shown,
        format!("has more than {max_cells} cells, far more than a score sheet"),
    )
    .hint("import the sheet made by `rapor template`, one row per district")
}

/// Reads csv text (RFC 4180 quoting; `,`, `;` or tab separated, as the
/// first line suggests; a UTF-8 byte-order mark is skipped) with the `csv`
/// crate. Rows are numbered as a spreadsheet shows them: a blank line is a
/// row, a line break inside a quoted field is not.
pub(crate) fn read_csv(bytes: &[u8], name: &str, shown: &Path) -> Result<Sheet, Problem> {
    let text = std::str::from_utf8(bytes).map_err(|e| {
        Problem::new(
            shown,
            format!("is not UTF-8 text (byte {})", e.valid_up_to()),
        )
        .hint("save it from Excel as \"CSV UTF-8 (comma delimited)\"")
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let delimiter = guess_delimiter(text);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut grid = Grid {
        name: name.to_string(),
        ..Grid::default()
    };
    let (mut row, mut count) = (0usize, 0usize);
    // Where the previous record's text starts, and the line breaks inside its fields.
    let (mut last_start, mut inside) = (0usize, 0usize);
    let mut record = csv::StringRecord::new();
    // Text read from memory, checked UTF-8: reading fails on nothing else.
    while reader.read_record(&mut record).unwrap_or(false) {
        // The record's position may be before the blank lines it skipped.
        let start = record.position().map_or(0, |p| p.byte() as usize);
        let start = text.len() - text[start..].trim_start_matches(['\r', '\n']).len();
        row += line_breaks(&text[last_start..start]).saturating_sub(inside);
        (last_start, inside) = (start, record.iter().map(line_breaks).sum());
        for (col, value) in record.iter().enumerate() {
            if value.trim().is_empty() {
                continue;
            }
            count += 1;
            if count > MAX_CELLS {
                return Err(too_many_cells(shown, MAX_CELLS));
            }
            let at = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
            grid.insert(at(row), at(col), Value::Text(value.to_string()));
        }
    }
    if ends_in_quotes(&text[last_start..], delimiter) {
        return Err(Problem::new(
            shown,
            format!("row {}: a quoted field is never closed", row + 1),
        )
        .hint("close the field with a double quote"));
    }
    Ok(Sheet {
        grid,
        marker_year: None,
    })
}

/// Line breaks in `s`: `\r\n`, `\n` or a lone `\r` each count once.
fn line_breaks(s: &str) -> usize {
    s.matches('\n').count() + s.matches('\r').count() - s.matches("\r\n").count()
}

/// Whether the last record `tail` opens a quoted field it never closes (the
/// `csv` crate ends such a field at the end of the text without a word).
fn ends_in_quotes(tail: &str, delimiter: u8) -> bool {
    let (mut quoted, mut field_start) = (false, true);
    let mut bytes = tail.bytes().peekable();
    while let Some(b) = bytes.next() {
        match b {
            b'"' if quoted && bytes.peek() == Some(&b'"') => {
                bytes.next();
            }
            b'"' if quoted => quoted = false,
            b'"' if field_start => quoted = true,
            _ if quoted => {}
            b if b == delimiter || b == b'\n' || b == b'\r' => {
                field_start = true;
                continue;
            }
            _ => {}
        }
        field_start = false;
    }
    quoted
}

/// The separator of the first line: whichever of `,`, `;` and tab occurs most.
fn guess_delimiter(text: &str) -> u8 {
    let first = text.lines().next().unwrap_or("");
    let count = |d: u8| first.bytes().filter(|c| *c == d).count();
    [b',', b';', b'\t']
        .into_iter()
        .max_by_key(|d| (count(*d), *d == b','))
        .unwrap_or(b',')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn csv(text: &str) -> Grid {
        read_csv(text.as_bytes(), "s", Path::new("s.csv"))
            .expect("reads")
            .grid
    }

    fn text(s: &str) -> Option<Value> {
        Some(Value::Text(s.to_string()))
    }

    #[test]
    fn csv_quoting_and_separators() {
        let g = csv("\u{feff}slug,\"1.1\",note\r\nbuleleng,A,\"a, \"\"b\"\"\nc\"\n\n,,x");
        assert_eq!(g.get(0, 1).cloned(), text("1.1"));
        assert_eq!(g.get(1, 0).cloned(), text("buleleng"));
        assert_eq!(g.get(1, 2).cloned(), text("a, \"b\"\nc"));
        assert!(!g.rows.contains_key(&2));
        assert_eq!(g.get(3, 2).cloned(), text("x"));

        let g = csv("slug;paparan\nbuleleng;82,5\n");
        assert_eq!(g.get(1, 1).cloned(), text("82,5"));
    }

    #[test]
    fn rows_are_numbered_as_a_spreadsheet_shows_them() {
        // Blank lines are rows, lone CR ends a row, breaks in quotes do not.
        let g = csv("a\r\n\r\n\"x\r\ny\nz\",b\rc\n\n\nd");
        assert_eq!(g.get(0, 0).cloned(), text("a"));
        assert_eq!(g.get(2, 0).cloned(), text("x\r\ny\nz"));
        assert_eq!(g.get(2, 1).cloned(), text("b"));
        assert_eq!(g.get(3, 0).cloned(), text("c"));
        assert_eq!(g.get(6, 0).cloned(), text("d"));
        assert_eq!(g.rows.len(), 4);
    }

    #[test]
    fn broken_csv_is_a_problem_not_a_panic() {
        let err = read_csv(b"a\n\nb,\"c\"\"d\n", "s", Path::new("s.csv")).unwrap_err();
        assert!(
            err.to_string()
                .contains("row 3: a quoted field is never closed"),
            "{err}"
        );
        assert!(read_csv(b"a,\"b\"\"\"\n", "s", Path::new("s.csv")).is_ok());
        assert!(read_csv(b"a,b\"c\n", "s", Path::new("s.csv")).is_ok());
        let err = read_csv(b"a,\"b\n", "s", Path::new("s.csv")).unwrap_err();
        assert!(err.to_string().contains("never closed"), "{err}");
        let err = read_csv(&[0xff, 0xfe, b'a'], "s", Path::new("s.csv")).unwrap_err();
        assert!(err.to_string().contains("not UTF-8"), "{err}");
    }

    /// A zip of `entries` (name, bytes), deflated.
    fn zip_of(entries: &[(String, Vec<u8>)]) -> std::io::Cursor<Vec<u8>> {
        use std::io::Write;
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        for (name, bytes) in entries {
            zip.start_file(name.as_str(), zip::write::SimpleFileOptions::default())
                .unwrap();
            zip.write_all(bytes).unwrap();
        }
        let mut cursor = zip.finish().unwrap();
        cursor.set_position(0);
        cursor
    }

    #[test]
    fn the_size_of_an_xlsx_is_bounded_before_it_is_read() {
        let shown = Path::new("x.xlsx");
        let small: Vec<_> = (0..3).map(|i| (format!("e{i}"), vec![b'x'; 100])).collect();
        assert!(check_unzipped_size(zip_of(&small), shown).is_ok());

        let many: Vec<_> = (0..=MAX_ZIP_ENTRIES)
            .map(|i| (format!("e{i}"), Vec::new()))
            .collect();
        let err = check_unzipped_size(zip_of(&many), shown).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("x.xlsx: holds 1001 files inside, more than the 1000"),
            "{err}"
        );

        // Entries that each fit but not together.
        let half = (MAX_UNZIPPED_BYTES / 2 + 1) as usize;
        let big = vec![
            ("a".to_string(), vec![b'0'; half]),
            ("b".to_string(), vec![b'0'; half]),
        ];
        let err = check_unzipped_size(zip_of(&big), shown).unwrap_err();
        assert!(
            err.to_string().starts_with(
                "x.xlsx: expands to 51 MB, more than the 50 MB a score sheet may expand to"
            ),
            "{err}"
        );
    }

    #[test]
    fn the_cells_of_a_sheet_are_bounded_empty_ones_too() {
        let part = |name: &str, text: &str| (name.to_string(), text.as_bytes().to_vec());
        let ns = "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"";
        let rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
        let mut sheet = format!("<worksheet {ns}><sheetData><row r=\"1\">");
        sheet.push_str(&"<c s=\"1\"/>".repeat(1001));
        sheet.push_str("</row></sheetData></worksheet>");
        let zip = zip_of(&[
            part(
                "[Content_Types].xml",
                "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>",
            ),
            part(
                "_rels/.rels",
                &format!("<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"{rel}/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>"),
            ),
            part(
                "xl/workbook.xml",
                &format!("<workbook {ns} xmlns:r=\"{rel}\"><sheets><sheet name=\"Skor\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>"),
            ),
            part(
                "xl/_rels/workbook.xml.rels",
                &format!("<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"{rel}/worksheet\" Target=\"worksheets/sheet1.xml\"/></Relationships>"),
            ),
            part("xl/worksheets/sheet1.xml", &sheet),
        ]);
        let shown = Path::new("cells.xlsx");
        let mut workbook = Xlsx::new(zip).unwrap();
        let unreadable = |e: calamine::XlsxError| Problem::new(shown, e.to_string());
        let grid = read_xlsx_sheet(&mut workbook, "Skor", shown, unreadable, 1001).unwrap();
        assert!(grid.rows.is_empty());
        let err = read_xlsx_sheet(&mut workbook, "Skor", shown, unreadable, 1000).unwrap_err();
        assert_eq!(
            err.to_string(),
            "cells.xlsx: has more than 1000 cells, far more than a score sheet (import the sheet made by `rapor template`, one row per district)"
        );
    }

    #[test]
    fn garbage_named_xlsx_is_a_problem_not_a_panic() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.xlsx");
        std::fs::write(&path, b"PK\x03\x04 not really a zip").unwrap();
        let err = read(&path, Path::new("x.xlsx")).unwrap_err();
        assert!(
            err.to_string().starts_with("x.xlsx: could not be read"),
            "{err}"
        );
    }
}
