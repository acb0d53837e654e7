//! `content/map.geojson`: the districts' boundaries, matched to the registry by code.
//!
//! The map is an extra: every problem with it is a warning, and whatever
//! cannot be drawn (a feature, a district, the whole map) is left out while
//! the rest of the site builds.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_json::value::RawValue;

use super::config::{District, MapConfig};
use super::files;
use crate::error::{Problem, Problems};

/// A map file larger than this is left out rather than parsed.
pub const MAX_MAP_BYTES: u64 = 20 * 1024 * 1024;

/// At most this many warnings about features are listed; then a count.
const MAX_WARNINGS: usize = 20;

/// A point as [longitude, latitude] in degrees (WGS84).
pub type LonLat = [f64; 2];
/// A closed ring, the last point equal to the first.
pub type Ring = Vec<LonLat>;
/// An outer ring, then its holes.
pub type Polygon = Vec<Ring>;

/// The boundaries, by district registry index.
#[derive(Debug, Clone)]
pub struct GeoMap {
    /// `None`: the district has no feature ("not on the map").
    pub regions: Vec<Option<Vec<Polygon>>>,
    pub source: Option<String>,
    pub licence: Option<String>,
}

#[derive(Deserialize)]
struct RawCollection<'a> {
    #[serde(rename = "type", default)]
    kind: Option<String>,
    #[serde(borrow, default)]
    features: Option<Vec<&'a RawValue>>,
}

#[derive(Deserialize)]
struct RawFeature<'a> {
    #[serde(rename = "type", default)]
    kind: Option<String>,
    #[serde(borrow, default)]
    properties: Option<HashMap<String, &'a RawValue>>,
    #[serde(borrow, default)]
    geometry: Option<&'a RawValue>,
}

#[derive(Deserialize)]
struct RawGeometry {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    coordinates: serde_json::Value,
}

const LEFT_OUT: &str = "the map is left out; the rest of the site is built";

/// Line and column (in characters, from 1) of byte `offset` of `text`.
fn line_col(text: &str, offset: usize) -> (u64, u64) {
    let before = &text[..offset.min(text.len())];
    let line = before.bytes().filter(|&b| b == b'\n').count() as u64 + 1;
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[start..].chars().count() as u64 + 1)
}

/// Where `raw` (borrowed from `text`) starts in `text`.
fn offset_in(text: &str, raw: &RawValue) -> usize {
    (raw.get().as_ptr() as usize).saturating_sub(text.as_ptr() as usize)
}

/// Loads the map named by `config`, if there is one. The problems are all
/// warnings: a map never stops a build.
pub fn load_map(
    root: &Path,
    config: &MapConfig,
    districts: &[District],
) -> (Option<GeoMap>, Problems) {
    let rel = Path::new("content").join(&config.file);
    let configured = config.file != MapConfig::default().file;
    if !files::exists(root, &rel) {
        let mut warnings = Problems::default();
        if configured {
            warnings.push(
                Problem::new(&rel, format!("is missing; {LEFT_OUT}"))
                    .hint("put the GeoJSON file there, or correct map.file in content/site.yaml"),
            );
        }
        return (None, warnings);
    }
    let bytes = match files::read_bytes(root, &rel, MAX_MAP_BYTES) {
        Ok(b) => b,
        Err(p) => {
            let hint = if p.message.contains("larger than") {
                Some(format!(
                    "a province's map need not exceed {} MB: simplify it, e.g. with mapshaper",
                    MAX_MAP_BYTES >> 20
                ))
            } else {
                p.hint.clone()
            };
            let p = Problem {
                message: format!(
                    "{}; {LEFT_OUT}",
                    p.message.replace(" a content file may be", " a map may be")
                ),
                hint,
                ..p
            };
            return (None, p.into());
        }
    };
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            return (
                None,
                Problem::new(
                    &rel,
                    format!(
                        "is not UTF-8 text (byte {}); {LEFT_OUT}",
                        e.utf8_error().valid_up_to()
                    ),
                )
                .hint("save the GeoJSON as UTF-8")
                .into(),
            )
        }
    };
    parse_map(&rel, &text, config, districts)
}

/// The map in `text` (the file `rel`), matched to `districts`.
pub fn parse_map(
    rel: &Path,
    text: &str,
    config: &MapConfig,
    districts: &[District],
) -> (Option<GeoMap>, Problems) {
    let features = match read_features(rel, text) {
        Ok(features) => features,
        Err(problem) => return (None, problem.into()),
    };
    let mut warnings = Problems::default();
    let by_code: HashMap<&str, usize> = districts
        .iter()
        .enumerate()
        .map(|(i, d)| (d.code.as_str(), i))
        .collect();
    let mut regions: Vec<Option<Vec<Polygon>>> = vec![None; districts.len()];
    let mut feature_problems: Vec<Problem> = Vec::new();
    let property = config.code_property.as_str();
    let cx = FeatureContext {
        rel,
        text,
        property,
        by_code: &by_code,
        districts,
    };
    for (i, raw) in features.iter().enumerate() {
        match feature_region(&cx, i, raw) {
            Ok((d, polys)) => regions[d].get_or_insert_with(Vec::new).extend(polys),
            Err(p) => feature_problems.push(p),
        }
    }
    push_capped(&mut warnings, rel, feature_problems);
    if regions.iter().all(Option::is_none) {
        warnings.push(
            Problem::new(
                rel,
                format!("holds no feature of a district in districts.yaml; {LEFT_OUT}"),
            )
            .hint(format!(
                "each feature needs properties.{property} with a district's code, e.g. \"{}\"",
                districts.first().map_or("", |d| d.code.as_str())
            )),
        );
        return (None, warnings);
    }
    let missing: Vec<&District> = districts
        .iter()
        .zip(&regions)
        .filter(|(_, r)| r.is_none())
        .map(|(d, _)| d)
        .collect();
    if !missing.is_empty() {
        let names: Vec<String> = missing
            .iter()
            .map(|d| format!("{} ({})", d.name, d.code))
            .collect();
        warnings.push(
            Problem::new(
                rel,
                format!(
                    "has no feature for {}; listed under the map as not on the map",
                    names.join(", ")
                ),
            )
            .hint(format!(
                "add a feature with properties.{property} set to the district's code"
            )),
        );
    }
    (
        Some(GeoMap {
            regions,
            source: config.source.clone(),
            licence: config.licence.clone(),
        }),
        warnings,
    )
}

/// The problems of features, at most [`MAX_WARNINGS`] of them and a line
/// counting the rest.
fn push_capped(warnings: &mut Problems, rel: &Path, feature_problems: Vec<Problem>) {
    let extra = feature_problems.len().saturating_sub(MAX_WARNINGS);
    for p in feature_problems.into_iter().take(MAX_WARNINGS) {
        warnings.push(p);
    }
    if extra > 0 {
        warnings.push(Problem::new(
            rel,
            format!(
                "{extra} more features cannot be drawn (only the first {MAX_WARNINGS} are listed)"
            ),
        ));
    }
}

/// The features of a GeoJSON FeatureCollection, unparsed; a problem (with
/// the map left out) when the text is not one.
fn read_features<'a>(rel: &Path, text: &'a str) -> Result<Vec<&'a RawValue>, Problem> {
    let collection: RawCollection = match serde_json::from_str(text) {
        Ok(c) => c,
        Err(e) => {
            let (message, hint) = match e.classify() {
                serde_json::error::Category::Data => (
                    "is not a GeoJSON FeatureCollection".to_string(),
                    "the file must be an object with \"type\": \"FeatureCollection\" and a list of \"features\"",
                ),
                _ => (
                    format!("is not JSON: {}", strip_position(&e.to_string())),
                    "export the boundaries as GeoJSON, e.g. with QGIS or mapshaper",
                ),
            };
            return Err(Problem::new(rel, format!("{message}; {LEFT_OUT}"))
                .at(e.line() as u64, e.column() as u64)
                .hint(hint));
        }
    };
    let (Some("FeatureCollection"), Some(features)) =
        (collection.kind.as_deref(), collection.features)
    else {
        let what = match collection.kind {
            Some(kind) => format!("is a GeoJSON `{kind}`, not a FeatureCollection with features"),
            None => "is not a GeoJSON FeatureCollection (no \"type\": \"FeatureCollection\")"
                .to_string(),
        };
        return Err(
            Problem::new(rel, format!("{what}; {LEFT_OUT}")).at(1, 1).hint(
                "the file must be an object with \"type\": \"FeatureCollection\" and a list of \"features\", one per district",
            ),
        );
    };
    Ok(features)
}

/// What checking one feature needs: the file, the code property, the districts by code.
struct FeatureContext<'a> {
    rel: &'a Path,
    text: &'a str,
    property: &'a str,
    by_code: &'a HashMap<&'a str, usize>,
    districts: &'a [District],
}

/// The `i`-th feature: the district it draws and its polygons, or why it is not drawn.
fn feature_region(
    cx: &FeatureContext,
    i: usize,
    raw: &RawValue,
) -> Result<(usize, Vec<Polygon>), Problem> {
    let (rel, text, property, districts) = (cx.rel, cx.text, cx.property, cx.districts);
    // Positions are worked out only for a problem: counting lines for
    // every feature would cost as much as the file squared.
    let start = offset_in(text, raw);
    let at = |message: String| {
        let (line, col) = line_col(text, start);
        Problem::new(rel, message)
            .at(line, col)
            .field(format!("features[{i}]"))
    };
    let feature = match serde_json::from_str::<RawFeature>(raw.get()) {
        Ok(f) if f.kind.as_deref() == Some("Feature") => f,
        Ok(_) | Err(_) => {
            return Err(at("is not a GeoJSON Feature; it is not drawn".into())
                    .hint("each feature is an object with \"type\": \"Feature\", \"properties\" and \"geometry\""));
        }
    };
    let code = feature
        .properties
        .as_ref()
        .and_then(|p| p.get(property))
        .and_then(|v| code_text(v));
    let Some(code) = code else {
        return Err(at(format!("has no `{property}` property; it is not drawn")).hint(format!(
                "give each feature the district's code from districts.yaml in properties.{property}, or set map.code_property in site.yaml to the property that holds it"
            )));
    };
    let Some(&d) = cx.by_code.get(code.as_str()) else {
        return Err(at(format!(
            "{property} `{code}` is not in districts.yaml; it is not drawn"
        ))
        .hint("correct the code, or remove the feature if it is not a district of the province"));
    };
    let at_geometry = |message: String| {
        let offset = feature
            .geometry
            .map_or(start, |g| start + offset_in(raw.get(), g));
        let (line, col) = line_col(text, offset);
        Problem::new(rel, message)
            .at(line, col)
            .field(format!("features[{i}].geometry"))
    };
    match feature.geometry.map(|g| serde_json::from_str::<RawGeometry>(g.get())) {
            Some(Ok(g)) => match polygons(&g) {
                Ok(polys) => Ok((d, polys)),
                Err(why) => Err(
                    at_geometry(format!(
                        "{} ({code}): {why}; it is not drawn",
                        districts[d].name
                    ))
                    .hint("coordinates are [longitude, latitude] in degrees (WGS84); each ring has at least 4 points and ends where it starts"),
                ),
            },
            _ => Err(
                at(format!("{} ({code}) has no geometry; it is not drawn", districts[d].name))
                    .hint("give the feature a Polygon or MultiPolygon geometry"),
            ),
        }
}

/// serde_json's message without its own " at line 1 column 2" (the problem has the position).
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}

/// A code as text: a JSON string, or a number as written.
fn code_text(raw: &RawValue) -> Option<String> {
    let text = raw.get().trim();
    if text.starts_with('"') {
        serde_json::from_str::<String>(text)
            .ok()
            .map(|s| s.trim().to_string())
    } else if text.starts_with(|c: char| c.is_ascii_digit() || c == '-') {
        Some(text.to_string())
    } else {
        None
    }
    .filter(|s| !s.is_empty())
}

/// The polygons of a Polygon or MultiPolygon, checked.
fn polygons(g: &RawGeometry) -> Result<Vec<Polygon>, String> {
    let value = &g.coordinates;
    match g.kind.as_str() {
        "Polygon" => Ok(vec![polygon(value)?]),
        "MultiPolygon" => value
            .as_array()
            .ok_or("MultiPolygon coordinates are not a list of polygons")?
            .iter()
            .map(polygon)
            .collect(),
        other => Err(format!(
            "a `{other}` geometry cannot be drawn as an area (use Polygon or MultiPolygon)"
        )),
    }
}

fn polygon(value: &serde_json::Value) -> Result<Polygon, String> {
    let rings = value
        .as_array()
        .ok_or("polygon coordinates are not a list of rings")?;
    if rings.is_empty() {
        return Err("a polygon has no ring".into());
    }
    rings.iter().map(ring).collect()
}

fn ring(value: &serde_json::Value) -> Result<Ring, String> {
    let points = value.as_array().ok_or("a ring is not a list of points")?;
    let ring: Ring = points.iter().map(point).collect::<Result<_, _>>()?;
    if ring.len() < 4 {
        return Err(format!(
            "a ring has {} points, fewer than the 4 a closed ring needs",
            ring.len()
        ));
    }
    if ring.first() != ring.last() {
        return Err("a ring does not end at the point where it starts".into());
    }
    Ok(ring)
}

fn point(value: &serde_json::Value) -> Result<LonLat, String> {
    let numbers = value
        .as_array()
        .filter(|a| a.len() >= 2)
        .ok_or("a point is not [longitude, latitude]")?;
    let lon = numbers[0].as_f64().ok_or("a longitude is not a number")?;
    let lat = numbers[1].as_f64().ok_or("a latitude is not a number")?;
    if !lon.is_finite() || !(-180.0..=180.0).contains(&lon) {
        return Err(format!("longitude {lon} is outside -180..180"));
    }
    if !lat.is_finite() || !(-90.0..=90.0).contains(&lat) {
        return Err(format!(
            "latitude {lat} is outside -90..90 (are longitude and latitude swapped, or is the file projected?)"
        ));
    }
    Ok([lon, lat])
}

/// The site file the map was read from, for messages and watching.
pub fn map_path(config: &MapConfig) -> PathBuf {
    Path::new("content").join(&config.file)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::DistrictKind;

    fn districts() -> Vec<District> {
        ["11.01", "11.02"]
            .iter()
            .map(|c| District {
                code: c.to_string(),
                name: format!("D {c}"),
                slug: c.replace('.', "-"),
                kind: DistrictKind::Kabupaten,
            })
            .collect()
    }

    fn parse(text: &str) -> (Option<GeoMap>, String) {
        let (m, p) = parse_map(
            Path::new("m.geojson"),
            text,
            &MapConfig::default(),
            &districts(),
        );
        (m, p.to_string())
    }

    const SQUARE: &str = "[[[0,0],[1,0],[1,1],[0,1],[0,0]]]";

    #[test]
    fn matches_features_by_code_and_reports_the_rest() {
        let text = format!(
            "{{\"type\":\"FeatureCollection\",\"features\":[\n{{\"type\":\"Feature\",\"properties\":{{\"code\":\"11.01\"}},\"geometry\":{{\"type\":\"Polygon\",\"coordinates\":{SQUARE}}}}},\n  {{\"type\":\"Feature\",\"properties\":{{\"code\":\"99.99\"}},\"geometry\":null}}]}}"
        );
        let (m, w) = parse(&text);
        let m = m.unwrap();
        assert!(m.regions[0].is_some() && m.regions[1].is_none());
        assert!(w.contains("m.geojson:3:3: features[1]: code `99.99` is not in districts.yaml; it is not drawn"), "{w}");
        assert!(
            w.contains("has no feature for D 11.02 (11.02); listed under the map"),
            "{w}"
        );
    }

    #[test]
    fn bad_coordinates_are_named() {
        for (coords, words) in [
            ("[[[0,0],[1,0],[0,0]]]", "has 3 points"),
            ("[[[0,0],[1,0],[1,91],[0,0]]]", "latitude 91"),
            ("[[[0,0],[1,0],[1,1],[0,1]]]", "does not end"),
            ("[[[0,0],[1,0],[1,\"x\"],[0,0]]]", "not a number"),
        ] {
            let text = format!("{{\"type\":\"FeatureCollection\",\"features\":[{{\"type\":\"Feature\",\"properties\":{{\"code\":\"11.01\"}},\"geometry\":{{\"type\":\"Polygon\",\"coordinates\":{coords}}}}}]}}");
            let (m, w) = parse(&text);
            assert!(m.is_none());
            assert!(w.contains(words), "{w}");
            assert!(w.contains(":1:100: features[0].geometry"), "{w}");
        }
    }

    #[test]
    fn not_json_and_not_a_collection() {
        let (m, w) = parse("{\n  \"type\": \"FeatureCollection\",\n  \"features\": [,]\n}");
        assert!(m.is_none());
        assert!(w.starts_with("m.geojson:3:16: is not JSON"), "{w}");
        assert!(
            w.contains("the map is left out; the rest of the site is built"),
            "{w}"
        );
        let (_, w) = parse("{\"type\": \"Feature\"}");
        assert!(
            w.contains("is a GeoJSON `Feature`, not a FeatureCollection"),
            "{w}"
        );
    }
}
