//! Which pages a change to district files can alter, so `rapor serve` renders
//! only those. Pages are compared with what is on disk before writing, so a
//! page listed here needlessly costs time, never correctness; a page missed
//! here would be stale, which the tests guard against by comparing with a
//! full build.

use std::collections::BTreeSet;

use super::Job;
use crate::content::Site;
use crate::format::cents;
use crate::score::YearResults;

/// `(year index, district index)` when `rel` (relative to the site root,
/// `/`-separated) is a district's data file or narrative in a year of `site`:
/// `content/<year>/districts/<slug>.yaml` or `.md`.
pub fn district_file(site: &Site, rel: &str) -> Option<(usize, usize)> {
    let parts: Vec<&str> = rel.split(['/', '\\']).collect();
    let ["content", year, "districts", file] = parts.as_slice() else {
        return None;
    };
    let (slug, ext) = file.rsplit_once('.')?;
    if !matches!(ext, "yaml" | "md") {
        return None;
    }
    let yi = site
        .years
        .iter()
        .position(|y| y.year.to_string() == *year)?;
    let d = site.districts.iter().position(|d| d.slug == slug)?;
    Some((yi, d))
}

/// The districts whose files differ between two listings of the site's
/// files (path to anything comparable), when nothing else differs.
pub fn changed_districts<K: AsRef<str> + Ord, T: PartialEq>(
    site: &Site,
    before: &std::collections::BTreeMap<K, T>,
    after: &std::collections::BTreeMap<K, T>,
) -> Option<Vec<(usize, usize)>> {
    let mut changed = BTreeSet::new();
    let differs = after
        .iter()
        .filter(|(p, v)| before.get(*p) != Some(*v))
        .map(|(p, _)| p)
        .chain(before.keys().filter(|p| !after.contains_key(*p)));
    for path in differs {
        changed.insert(district_file(site, path.as_ref())?);
    }
    Some(changed.into_iter().collect())
}

/// What every district page of a year shows beyond its own district: the
/// province's medians and best scores, the leaders per action, how many were
/// assessed (to 2 decimals, as shown).
#[derive(PartialEq)]
struct SharedView<'a> {
    actions: Vec<Option<(i64, i64)>>,
    components: Vec<Option<i64>>,
    leaders: &'a Vec<Vec<usize>>,
    assessed: usize,
}

fn shared_view(r: &YearResults) -> SharedView<'_> {
    SharedView {
        actions: r
            .province
            .actions
            .iter()
            .map(|s| s.map(|s| (cents(s.median), cents(s.max))))
            .collect(),
        components: r
            .province
            .components
            .iter()
            .map(|s| s.map(|s| cents(s.median)))
            .collect(),
        leaders: &r.best_practice,
        assessed: r.province.assessed,
    }
}

/// Whether district `d` shows differently in the year's results.
fn district_differs(before: &YearResults, after: &YearResults, d: usize) -> bool {
    before.scores[d] != after.scores[d]
        || before.rank[d] != after.rank[d]
        || before.component_ranks[d] != after.component_ranks[d]
        || before.learn_from[d] != after.learn_from[d]
}

/// The pages to render again after the files of `changed` (year index,
/// district index) were reloaded, given every year's results before and after.
pub fn affected_jobs(
    site: &Site,
    before: &[YearResults],
    after: &[YearResults],
    changed: &[(usize, usize)],
) -> Vec<Job> {
    let mut jobs: BTreeSet<Job> = BTreeSet::new();
    jobs.insert(Job::Home);
    // The list that finds a district (home and 404) links each to its latest page.
    jobs.insert(Job::NotFound);
    let districts = site.districts.len();
    for &(yi, d) in changed {
        let (b, a) = (&before[yi], &after[yi]);
        jobs.extend([
            Job::Year(yi),
            Job::Practice(yi),
            Job::Data(yi),
            Job::District(yi, d),
            Job::Region(d),
        ]);
        let everyone = shared_view(b) != shared_view(a);
        // Later years show each district's change since this year and its
        // history ("rank 4/9"), and the province trend with this year's mean.
        let recount = b.province.assessed != a.province.assessed;
        for other in 0..districts {
            let differs = other == d || district_differs(b, a, other);
            if everyone || differs {
                jobs.insert(Job::District(yi, other));
                jobs.insert(Job::Region(other));
            }
            if differs || recount {
                jobs.extend((yi + 1..site.years.len()).map(|later| Job::District(later, other)));
            }
        }
        if b.province.final_score != a.province.final_score || recount {
            jobs.extend((yi + 1..site.years.len()).map(Job::Year));
        }
        // A district whose leader on an action changed score shows that score.
        for other in 0..districts {
            if a.learn_from[other].iter().any(|l| l.district == d) {
                jobs.insert(Job::District(yi, other));
            }
        }
    }
    // A year's archive holds its pages and data: the year page job makes it anew.
    let years: Vec<usize> = jobs
        .iter()
        .filter_map(|j| match *j {
            Job::District(y, _) | Job::Practice(y) | Job::Data(y) => Some(y),
            _ => None,
        })
        .collect();
    jobs.extend(years.into_iter().map(Job::Year));
    jobs.into_iter().collect()
}
