//! Which pages a change to district files can alter, so `rapor serve` renders
//! only those. Pages are compared with what is on disk before writing, so a
//! page listed here needlessly costs time, never correctness; a page missed
//! here would be stale, which the tests guard against by comparing with a
//! full build.

use std::collections::BTreeSet;

use super::Job;
use crate::content::{DistrictId, Site, YearId};
use crate::score::cents;
use crate::score::YearResults;

/// The year and the district when `rel` (relative to the site root,
/// `/`-separated) is a district's data file or narrative in a year of `site`:
/// `content/<year>/districts/<slug>.yaml` or `.md`.
pub fn district_file(site: &Site, rel: &str) -> Option<(YearId, DistrictId)> {
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
    Some((YearId(yi), DistrictId(d)))
}

/// The districts whose files differ between two listings of the site's
/// files (path to anything comparable), when nothing else differs.
pub fn changed_districts<K: AsRef<str> + Ord, T: PartialEq>(
    site: &Site,
    before: &std::collections::BTreeMap<K, T>,
    after: &std::collections::BTreeMap<K, T>,
) -> Option<Vec<(YearId, DistrictId)>> {
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
    leaders: &'a Vec<Vec<DistrictId>>,
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
fn district_differs(before: &YearResults, after: &YearResults, d: DistrictId) -> bool {
    before.score(d) != after.score(d)
        || before.rank_of(d) != after.rank_of(d)
        || before.component_ranks_of(d) != after.component_ranks_of(d)
        || before.learn_from_of(d) != after.learn_from_of(d)
}

/// The pages to render again after the files of `changed` (a district in a
/// year) were reloaded, given every year's results before and after.
pub fn affected_jobs(
    site: &Site,
    before: &[YearResults],
    after: &[YearResults],
    changed: &[(YearId, DistrictId)],
) -> Vec<Job> {
    let mut jobs: BTreeSet<Job> = BTreeSet::new();
    jobs.insert(Job::Home);
    // The list that finds a district (home and 404) links each to its latest page.
    jobs.insert(Job::NotFound);
    for &(year, district) in changed {
        jobs.extend(district_jobs(site, before, after, year, district));
    }
    // A year's archive holds its pages and data: the year page job makes it anew.
    let years: Vec<YearId> = jobs
        .iter()
        .filter_map(|j| match *j {
            Job::District(y, _) | Job::Practice(y) | Job::Data(y) => Some(y),
            _ => None,
        })
        .collect();
    jobs.extend(years.into_iter().map(Job::Year));
    jobs.into_iter().collect()
}

/// The pages the change of one district in one year can alter.
fn district_jobs(
    site: &Site,
    before: &[YearResults],
    after: &[YearResults],
    y: YearId,
    district: DistrictId,
) -> BTreeSet<Job> {
    let mut jobs = BTreeSet::new();
    let later_years = || (y.0 + 1..site.years.len()).map(YearId);
    let (b, a) = (&before[y.0], &after[y.0]);
    jobs.extend([
        Job::Year(y),
        Job::Practice(y),
        Job::Data(y),
        Job::District(y, district),
        Job::Region(district),
    ]);
    let everyone = shared_view(b) != shared_view(a);
    // Later years show each district's change since this year and its
    // history ("rank 4/9"), and the province trend with this year's mean.
    let recount = b.province.assessed != a.province.assessed;
    for other in site.district_ids() {
        let differs = other == district || district_differs(b, a, other);
        if everyone || differs {
            jobs.insert(Job::District(y, other));
            jobs.insert(Job::Region(other));
        }
        if differs || recount {
            jobs.extend(later_years().map(|later| Job::District(later, other)));
        }
    }
    if b.province.final_score != a.province.final_score || recount {
        jobs.extend(later_years().map(Job::Year));
    }
    // A district whose leader on an action changed score shows that score.
    for other in site.district_ids() {
        if a.learn_from_of(other)
            .iter()
            .any(|l| l.district == district)
        {
            jobs.insert(Job::District(y, other));
        }
    }
    jobs
}
