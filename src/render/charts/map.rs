//! Maps of the province as inline SVG: the districts' boundaries projected
//! to pixels, simplified for the drawing size, each district a region.
//!
//! Projection: longitude scaled by the cosine of the middle latitude
//! (aspect-correct over a province's few degrees), fitted to a box.
//! Simplification keeps shared boundaries shared: each ring is cut at the
//! points where the set of districts owning a boundary changes (and at
//! every ring's start), and each piece between two such points is
//! simplified on its own, always in the same direction, so two neighbours
//! simplify their common boundary to the very same points.

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;

use plotters::style::RGBColor;

use super::escape;
use crate::content::map::{GeoMap, LonLat, Polygon};

/// A map's geometry, ready to draw at one size.
#[derive(Debug, Clone)]
pub struct Shapes {
    pub width: u32,
    pub height: u32,
    /// Per district: the SVG path data, `None` when not on the map.
    pub paths: Vec<Option<String>>,
    /// Per district: where a label goes and how much room it has.
    pub anchors: Vec<Option<Anchor>>,
}

#[derive(Debug, Clone, Copy)]
pub struct Anchor {
    pub x: i32,
    pub y: i32,
    /// Width of the district along the label's line, in pixels.
    pub room: i32,
    /// Height of the district across the label's line.
    pub height: i32,
}

type Key = (u64, u64);

fn key(p: &LonLat) -> Key {
    // +0.0: -0.0 and 0.0 are the same point.
    ((p[0] + 0.0).to_bits(), (p[1] + 0.0).to_bits())
}

/// Projects and simplifies `map` to fit `max_width` × `max_height` pixels
/// with `pad` around it; `tolerance` is in pixels.
pub fn prepare(map: &GeoMap, max_width: f64, max_height: f64, pad: f64, tolerance: f64) -> Shapes {
    let all = || map.regions.iter().flatten().flatten().flatten().flatten();
    let (mut x0, mut x1, mut y0, mut y1) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
    for p in all() {
        x0 = x0.min(p[0]);
        x1 = x1.max(p[0]);
        y0 = y0.min(p[1]);
        y1 = y1.max(p[1]);
    }
    if x0 > x1 {
        (x0, x1, y0, y1) = (0.0, 1.0, 0.0, 1.0);
    }
    let k = ((y0 + y1) / 2.0).to_radians().cos().max(0.01);
    let w = ((x1 - x0) * k).max(1e-9);
    let h = (y1 - y0).max(1e-9);
    let scale = ((max_width - 2.0 * pad) / w).min((max_height - 2.0 * pad) / h);
    let width = (w * scale + 2.0 * pad).round();
    let height = (h * scale + 2.0 * pad).round();
    let project =
        |p: &LonLat| -> [f64; 2] { [pad + (p[0] - x0) * k * scale, pad + (y1 - p[1]) * scale] };

    let fixed = fixed_points(map);
    let mut paths = Vec::with_capacity(map.regions.len());
    let mut anchors = Vec::with_capacity(map.regions.len());
    for region in &map.regions {
        let Some(region) = region else {
            paths.push(None);
            anchors.push(None);
            continue;
        };
        let drawn = draw_region(region, &fixed, &project, tolerance);
        let mut d = String::new();
        for rings in &drawn {
            for ring in rings {
                path_ring(&mut d, ring);
            }
        }
        paths.push(Some(d));
        anchors.push(anchor(&drawn));
    }
    Shapes {
        width: width as u32,
        height: height as u32,
        paths,
        anchors,
    }
}

/// The points simplification keeps: where the owning districts change
/// (so shared borders stay shared) and each ring's first point.
fn fixed_points(map: &GeoMap) -> HashSet<Key> {
    // Who owns each point, then where ownership changes: the fixed points.
    let mut owners: HashMap<Key, Vec<usize>> = HashMap::new();
    for (d, region) in map.regions.iter().enumerate() {
        for ring in region.iter().flatten().flatten() {
            for p in open(ring) {
                let o = owners.entry(key(p)).or_default();
                if !o.contains(&d) {
                    o.push(d);
                }
            }
        }
    }
    let mut fixed: HashSet<Key> = HashSet::new();
    for region in map.regions.iter().flatten() {
        for ring in region.iter().flatten() {
            let pts = open(ring);
            let n = pts.len();
            if n == 0 {
                continue;
            }
            fixed.insert(key(&pts[0]));
            let owner = |i: usize| owners.get(&key(&pts[i % n]));
            for (i, p) in pts.iter().enumerate() {
                let here = owner(i);
                if here != owner(i + 1) || here != owner(i + n - 1) {
                    fixed.insert(key(p));
                }
            }
        }
    }
    fixed
}

/// A district's polygons projected and simplified, as rings of pixels; one
/// smaller than a pixel becomes a small square where it is, so it can be found.
fn draw_region(
    region: &[Polygon],
    fixed: &HashSet<Key>,
    project: &impl Fn(&LonLat) -> [f64; 2],
    tolerance: f64,
) -> Vec<Vec<Vec<[i32; 2]>>> {
    let mut drawn: Vec<Vec<Vec<[i32; 2]>>> = Vec::new();
    for polygon in region {
        let mut rings = Vec::new();
        for (r, ring) in polygon.iter().enumerate() {
            let simple = simplify_ring(open(ring), fixed, project, tolerance);
            if simple.len() >= 3 {
                rings.push(simple);
            } else if r == 0 {
                break;
            }
        }
        if !rings.is_empty() {
            drawn.push(rings);
        }
    }
    if drawn.is_empty() {
        // Smaller than a pixel: a small square where it is, so it can be found.
        let (mut sx, mut sy, mut n) = (0.0, 0.0, 0.0);
        for p in region.iter().flatten().flatten() {
            let q = project(p);
            sx += q[0];
            sy += q[1];
            n += 1.0;
        }
        let (cx, cy) = ((sx / n).round() as i32, (sy / n).round() as i32);
        drawn.push(vec![vec![
            [cx - 2, cy - 2],
            [cx + 2, cy - 2],
            [cx + 2, cy + 2],
            [cx - 2, cy + 2],
        ]]);
    }
    drawn
}

/// A ring without its closing point.
fn open(ring: &[LonLat]) -> &[LonLat] {
    match ring.split_last() {
        Some((last, rest)) if rest.first() == Some(last) => rest,
        _ => ring,
    }
}

/// Simplifies one ring piece by piece between its fixed points, rounds it
/// to whole pixels and drops repeated points.
fn simplify_ring(
    ring: &[LonLat],
    fixed: &HashSet<Key>,
    project: &impl Fn(&LonLat) -> [f64; 2],
    tolerance: f64,
) -> Vec<[i32; 2]> {
    let n = ring.len();
    let cuts: Vec<usize> = (0..n).filter(|&i| fixed.contains(&key(&ring[i]))).collect();
    let mut out: Vec<[f64; 2]> = Vec::with_capacity(n);
    if cuts.is_empty() {
        out = ring.iter().map(project).collect();
    } else {
        for (c, &start) in cuts.iter().enumerate() {
            let end = cuts.get(c + 1).copied().unwrap_or(cuts[0] + n);
            let piece: Vec<&LonLat> = (start..=end).map(|i| &ring[i % n]).collect();
            let kept = simplify_piece(&piece, project, tolerance);
            // The piece's last point is the next piece's first.
            out.extend(kept[..kept.len() - 1].iter());
        }
    }
    let mut px: Vec<[i32; 2]> = Vec::with_capacity(out.len());
    for p in out {
        let q = [p[0].round() as i32, p[1].round() as i32];
        if px.last() != Some(&q) {
            px.push(q);
        }
    }
    while px.len() > 1 && px.first() == px.last() {
        px.pop();
    }
    px
}

/// Douglas–Peucker over a piece, run in one fixed direction whichever ring
/// it is read from, so neighbours keep the same points.
fn simplify_piece(
    piece: &[&LonLat],
    project: &impl Fn(&LonLat) -> [f64; 2],
    tolerance: f64,
) -> Vec<[f64; 2]> {
    let n = piece.len();
    let forward = {
        let (a, b) = (key(piece[0]), key(piece[n - 1]));
        if a != b {
            a < b
        } else {
            n < 3 || key(piece[1]) <= key(piece[n - 2])
        }
    };
    let mut pts: Vec<[f64; 2]> = piece.iter().map(|p| project(p)).collect();
    if !forward {
        pts.reverse();
    }
    let mut keep = vec![false; n];
    keep[0] = true;
    keep[n - 1] = true;
    let mut stack = vec![(0, n - 1)];
    while let Some((a, b)) = stack.pop() {
        if b <= a + 1 {
            continue;
        }
        let (mut best, mut best_d) = (0, -1.0);
        for (i, p) in pts.iter().enumerate().take(b).skip(a + 1) {
            let d = distance(p, &pts[a], &pts[b]);
            if d > best_d {
                best = i;
                best_d = d;
            }
        }
        if best_d > tolerance {
            keep[best] = true;
            stack.push((a, best));
            stack.push((best, b));
        }
    }
    let mut kept: Vec<[f64; 2]> = pts
        .into_iter()
        .zip(keep)
        .filter_map(|(p, k)| k.then_some(p))
        .collect();
    if !forward {
        kept.reverse();
    }
    kept
}

/// Distance from `p` to the segment `a`–`b`.
fn distance(p: &[f64; 2], a: &[f64; 2], b: &[f64; 2]) -> f64 {
    let (dx, dy) = (b[0] - a[0], b[1] - a[1]);
    let len2 = dx * dx + dy * dy;
    let t = if len2 > 0.0 {
        (((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2).clamp(0.0, 1.0)
    } else {
        0.0
    };
    let (ex, ey) = (a[0] + t * dx - p[0], a[1] + t * dy - p[1]);
    (ex * ex + ey * ey).sqrt()
}

/// `M x y l dx dy … z`: relative moves keep the numbers short.
fn path_ring(d: &mut String, ring: &[[i32; 2]]) {
    let _ = write!(d, "M{} {}l", ring[0][0], ring[0][1]);
    for w in ring.windows(2) {
        let (dx, dy) = (w[1][0] - w[0][0], w[1][1] - w[0][1]);
        if !d.ends_with('l') && dx >= 0 {
            d.push(' ');
        }
        let _ = write!(d, "{dx}");
        if dy >= 0 {
            d.push(' ');
        }
        let _ = write!(d, "{dy}");
    }
    d.push('z');
}

/// Twice the signed area of a ring.
fn area2(ring: &[[i32; 2]]) -> i64 {
    let n = ring.len();
    (0..n)
        .map(|i| {
            let (a, b) = (ring[i], ring[(i + 1) % n]);
            i64::from(a[0]) * i64::from(b[1]) - i64::from(b[0]) * i64::from(a[1])
        })
        .sum()
}

/// Where a horizontal (or vertical) line through `at` crosses the rings.
fn crossings(rings: &[Vec<[i32; 2]>], at: f64, vertical: bool) -> Vec<f64> {
    let (u, v) = if vertical { (1, 0) } else { (0, 1) };
    let mut xs = Vec::new();
    for ring in rings {
        let n = ring.len();
        for i in 0..n {
            let (a, b) = (ring[i], ring[(i + 1) % n]);
            let (av, bv) = (f64::from(a[v]), f64::from(b[v]));
            if (av <= at) != (bv <= at) {
                let t = (at - av) / (bv - av);
                xs.push(f64::from(a[u]) + t * f64::from(b[u] - a[u]));
            }
        }
    }
    xs.sort_by(f64::total_cmp);
    xs
}

/// The widest stretch inside the region's largest polygon along a line
/// through its middle: where a label fits best.
fn anchor(polygons: &[Vec<Vec<[i32; 2]>>]) -> Option<Anchor> {
    let largest = polygons
        .iter()
        .max_by_key(|p| p.first().map_or(0, |r| area2(r).abs()))?;
    let outer = largest.first()?;
    let (ymin, ymax) = outer.iter().fold((i32::MAX, i32::MIN), |(lo, hi), p| {
        (lo.min(p[1]), hi.max(p[1]))
    });
    // (score, width, x, y)
    let mut best: Option<(f64, f64, f64, f64)> = None;
    // A few lines across: the widest wins, the middle ones preferred (a
    // shape is often widest along an edge, where a label looks lost).
    for k in 1..6 {
        let y = f64::from(ymin) + f64::from(ymax - ymin) * f64::from(k) / 6.0 + 0.5;
        let xs = crossings(largest, y, false);
        let weight = 1.0 - 0.125 * f64::from((k - 3i32).abs());
        for pair in xs.chunks_exact(2) {
            let w = pair[1] - pair[0];
            if best.is_none_or(|(score, ..)| w * weight > score) {
                best = Some((w * weight, w, (pair[0] + pair[1]) / 2.0, y));
            }
        }
    }
    let (_, room, x, y) = best?;
    let ys = crossings(largest, x, true);
    let height = ys
        .chunks_exact(2)
        .find(|p| p[0] <= y && y <= p[1])
        .map_or(0.0, |p| 2.0 * (y - p[0]).min(p[1] - y));
    Some(Anchor {
        x: x.round() as i32,
        y: y.round() as i32,
        room: room as i32,
        height: height as i32,
    })
}

/// How a region is filled.
#[derive(Debug, Clone, Copy)]
pub enum Fill {
    Color(RGBColor),
    /// Not assessed, or no figure: diagonal hatching.
    Hatched,
}

/// One district on a choropleth.
pub struct Region {
    pub fill: Fill,
    pub href: String,
    /// The tooltip and accessible name: name, score, category, rank.
    pub title: String,
    pub label: String,
}

/// Label size in pixels of the drawing; a rough width per character.
const LABEL_SIZE: i32 = 12;
const CHAR_WIDTH: f64 = 6.8;

/// A choropleth: each region a link with its `<title>`, labels where they
/// fit. Returns the SVG and the districts numbered instead of labelled
/// (number, district index), for a key under the map.
pub fn choropleth(
    id: &str,
    title: &str,
    desc: &str,
    shapes: &Shapes,
    regions: &[Option<Region>],
) -> (String, Vec<(usize, usize)>) {
    // Its regions are links: a group (an image may hold nothing focusable).
    let mut svg = open_svg(id, title, desc, shapes.width, shapes.height, "map", "group");
    let hatch = format!("{id}-h");
    let _ = write!(
        svg,
        r##"<defs><pattern id="{hatch}" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#FFF"/><path d="M0 0v6" stroke="#505A5F" stroke-width="2.5"/></pattern></defs><g stroke="#0B0C0C" stroke-width="0.8" stroke-linejoin="round" fill-rule="evenodd">"##
    );
    for (d, region) in regions.iter().enumerate() {
        let (Some(region), Some(Some(path))) = (region, shapes.paths.get(d)) else {
            continue;
        };
        let fill = match region.fill {
            Fill::Color(c) => super::hex(c),
            Fill::Hatched => format!("url(#{hatch})"),
        };
        let _ = write!(
            svg,
            r#"<a href="{}"><path d="{path}" fill="{fill}"><title>{}</title></path></a>"#,
            escape(&region.href),
            escape(&region.title)
        );
    }
    svg.push_str(r##"</g><g font-size="12" text-anchor="middle" dominant-baseline="central" fill="#0B0C0C" stroke="#FFF" stroke-width="3" stroke-linejoin="round" paint-order="stroke" pointer-events="none">"##);
    let mut numbered = Vec::new();
    for (d, region) in regions.iter().enumerate() {
        let (Some(region), Some(Some(a))) = (region, shapes.anchors.get(d)) else {
            continue;
        };
        let text_width = (region.label.chars().count() as f64 * CHAR_WIDTH).ceil() as i32;
        let text = if text_width + 6 <= a.room && a.height >= LABEL_SIZE + 4 {
            escape(&region.label)
        } else {
            numbered.push((numbered.len() + 1, d));
            numbered.len().to_string()
        };
        let _ = write!(svg, r#"<text x="{}" y="{}">{text}</text>"#, a.x, a.y);
    }
    svg.push_str("</g></svg>");
    (svg, numbered)
}

/// A small map of the province with one district picked out. `base_href`
/// is the address of [`locator_base`] of the same shapes: one file for every
/// page, so a page carries only its own district (a few hundred bytes
/// whatever the number of districts).
pub fn locator(
    id: &str,
    title: &str,
    desc: &str,
    shapes: &Shapes,
    base_href: &str,
    district: usize,
) -> String {
    let (w, h) = (shapes.width, shapes.height);
    let mut svg = open_svg(id, title, desc, w, h, "map locator", "img");
    let _ = write!(
        svg,
        r#"<image href="{}" width="{w}" height="{h}"/>"#,
        escape(base_href)
    );
    if let Some(Some(path)) = shapes.paths.get(district) {
        let _ = write!(
            svg,
            r##"<path d="{path}" fill="#0072B2" stroke="#0B0C0C" stroke-width="1" fill-rule="evenodd"/>"##
        );
        // A small district gets a ring around it, to be found at a glance.
        if let Some(Some(a)) = shapes.anchors.get(district) {
            if a.room < 14 || a.height < 14 {
                let _ = write!(
                    svg,
                    r##"<circle cx="{}" cy="{}" r="11" fill="none" stroke="#D55E00" stroke-width="2.5"/>"##,
                    a.x, a.y
                );
            }
        }
    }
    svg.push_str("</svg>");
    svg
}

/// Every district in grey, as one path: the SVG file under every locator.
pub fn locator_base(shapes: &Shapes) -> String {
    let mut d = String::new();
    for path in shapes.paths.iter().flatten() {
        d.push_str(path);
    }
    let (w, h) = (shapes.width, shapes.height);
    format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}" height="{h}"><path d="{d}" fill="#DEE0E2" stroke="#FFF" stroke-width="0.75" stroke-linejoin="round" fill-rule="evenodd"/></svg>
"##
    )
}

fn open_svg(
    id: &str,
    title: &str,
    desc: &str,
    width: u32,
    height: u32,
    class: &str,
    role: &str,
) -> String {
    format!(
        r#"<svg viewBox="0 0 {width} {height}" style="max-width:{width}px" xmlns="http://www.w3.org/2000/svg" role="{role}" aria-labelledby="{id}-t {id}-d" class="{class}"><title id="{id}-t">{}</title><desc id="{id}-d">{}</desc>"#,
        escape(title),
        escape(desc)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn square(x: f64, y: f64, s: f64) -> Vec<Vec<LonLat>> {
        vec![vec![[x, y], [x + s, y], [x + s, y + s], [x, y + s], [x, y]]]
    }

    fn map(regions: Vec<Option<Vec<Vec<Vec<LonLat>>>>>) -> GeoMap {
        GeoMap {
            regions,
            source: None,
            licence: None,
        }
    }

    #[test]
    fn fits_the_box_keeping_the_aspect() {
        // Two degrees wide, one tall, near the equator: about 2:1.
        let m = map(vec![
            Some(vec![square(100.0, 0.0, 1.0)]),
            Some(vec![square(101.0, 0.0, 1.0)]),
        ]);
        let s = prepare(&m, 640.0, 560.0, 0.0, 0.5);
        assert_eq!((s.width, s.height), (640, 320));
        // A tall one fits the height.
        let m = map(vec![
            Some(vec![square(100.0, 0.0, 1.0)]),
            Some(vec![square(100.0, 1.0, 1.0)]),
        ]);
        let s = prepare(&m, 640.0, 560.0, 0.0, 0.5);
        assert_eq!((s.width, s.height), (280, 560));
        // At 60° a degree of longitude is half as long.
        let m = map(vec![Some(vec![square(10.0, 59.5, 1.0)])]);
        let s = prepare(&m, 640.0, 640.0, 0.0, 0.5);
        assert!(
            (s.width as f64 / s.height as f64 - 0.5).abs() < 0.02,
            "{s:?}"
        );
    }

    #[test]
    fn neighbours_keep_their_common_boundary() {
        // A wiggly boundary between two districts, read in opposite directions.
        let wiggle: Vec<LonLat> = (0..=40)
            .map(|i| [1.0 + 0.01 * ((i * 7 % 5) as f64), f64::from(i) / 40.0])
            .collect();
        let mut a = vec![[0.0, 0.0]];
        a.extend(wiggle.iter().copied());
        a.extend([[0.0, 1.0], [0.0, 0.0]]);
        let mut b: Vec<LonLat> = wiggle.iter().rev().copied().collect();
        b.extend([[2.0, 0.0], [2.0, 1.0]]);
        b.rotate_left(3);
        b.push(b[0]);
        let m = map(vec![Some(vec![vec![a]]), Some(vec![vec![b]])]);
        let s = prepare(&m, 200.0, 200.0, 0.0, 1.0);
        let points = |d: &str| -> HashSet<(i32, i32)> {
            // Rebuild absolute points from "Mx yl dx dy ...z".
            let body = d.trim_start_matches('M').trim_end_matches('z');
            let (start, rel) = body.split_once('l').unwrap();
            let nums = |t: &str| -> Vec<i32> {
                t.replace('-', " -")
                    .split_whitespace()
                    .map(|n| n.parse().unwrap())
                    .collect()
            };
            let s = nums(start);
            let mut p = (s[0], s[1]);
            let mut out = HashSet::from([p]);
            for c in nums(rel).chunks(2) {
                p = (p.0 + c[0], p.1 + c[1]);
                out.insert(p);
            }
            out
        };
        let pa = points(s.paths[0].as_ref().unwrap());
        let pb = points(s.paths[1].as_ref().unwrap());
        let common: Vec<_> = pa.intersection(&pb).collect();
        // Both ends of the boundary and the points kept between them are shared.
        let on_boundary_a = pa.iter().filter(|p| p.0 >= 95).count();
        let on_boundary_b = pb.iter().filter(|p| p.0 <= 105).count();
        assert_eq!(common.len(), on_boundary_a, "{pa:?} {pb:?}");
        assert_eq!(common.len(), on_boundary_b, "{pa:?} {pb:?}");
        assert!(common.len() >= 2);
    }

    #[test]
    fn a_district_smaller_than_a_pixel_is_still_drawn() {
        let m = map(vec![
            Some(vec![square(0.0, 0.0, 10.0)]),
            Some(vec![square(11.0, 11.0, 0.001)]),
        ]);
        let s = prepare(&m, 300.0, 300.0, 4.0, 1.0);
        assert!(s.paths[1].as_ref().is_some_and(|d| d.starts_with('M')));
    }
}
