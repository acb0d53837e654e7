//! Typed indices into the loaded site, so a year and a district are never
//! swapped: a year's place in `Site::years`, a district's in
//! `Site::districts` (and in every year's `entries` and results).

use super::{District, DistrictYear, Site, Year};

/// A year of the site, by its place in `Site::years` (ascending by year).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct YearId(pub usize);

/// A district of the registry, by its place in `Site::districts`.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(transparent)]
pub struct DistrictId(pub usize);

impl YearId {
    /// The years before this one, latest first.
    pub fn earlier(self) -> impl Iterator<Item = YearId> {
        (0..self.0).rev().map(YearId)
    }
}

impl Site {
    /// Every year of the site, oldest first.
    pub fn year_ids(&self) -> impl DoubleEndedIterator<Item = YearId> {
        (0..self.years.len()).map(YearId)
    }

    /// Every district of the registry, in its order.
    pub fn district_ids(&self) -> impl Iterator<Item = DistrictId> {
        (0..self.districts.len()).map(DistrictId)
    }

    /// The year `y`.
    pub fn year(&self, y: YearId) -> &Year {
        &self.years[y.0]
    }

    /// The district `d` of the registry.
    pub fn district(&self, d: DistrictId) -> &District {
        &self.districts[d.0]
    }

    /// The district whose slug is `slug`, if the registry has it.
    pub fn district_by_slug(&self, slug: &str) -> Option<DistrictId> {
        self.districts
            .iter()
            .position(|x| x.slug == slug)
            .map(DistrictId)
    }

    /// The year whose number is `year`, if the site has it.
    pub fn year_id(&self, year: i32) -> Option<YearId> {
        self.years.iter().position(|y| y.year == year).map(YearId)
    }
}

impl Site {
    /// District `d`'s assessment in year `y`, to replace it.
    pub fn entry_mut(&mut self, y: YearId, d: DistrictId) -> &mut Option<DistrictYear> {
        &mut self.years[y.0].entries[d.0]
    }
}

impl Year {
    /// District `d`'s assessment this year; `None` when not assessed.
    pub fn entry(&self, d: DistrictId) -> Option<&DistrictYear> {
        self.entries[d.0].as_ref()
    }
}
