//! Typed indices into the loaded site, so a year and a district are never
//! swapped: a year's place in `Site::years`, a district's in
//! `Site::districts` (and in every year's `entries` and results).

/// A year of the site, by its place in `Site::years` (ascending by year).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct YearId(pub usize);

/// A district of the registry, by its place in `Site::districts`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DistrictId(pub usize);

impl super::Site {
    /// Every year of the site, oldest first.
    pub fn year_ids(&self) -> impl Iterator<Item = YearId> {
        (0..self.years.len()).map(YearId)
    }

    /// Every district of the registry, in its order.
    pub fn district_ids(&self) -> impl Iterator<Item = DistrictId> {
        (0..self.districts.len()).map(DistrictId)
    }
}
