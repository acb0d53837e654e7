//! A rubric and a district file, both fuzzed: the input is the rubric, a NUL
//! byte, then the district file. An accepted rubric's best and worst
//! districts are scored too.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rapor_fuzz::{fuzzing_tolerance, rubric_and_district, run, split};

fuzz_target!(
    init: rapor_fuzz::install_panic_filter(fuzzing_tolerance()),
    |data: &[u8]| {
        if let Some((rubric, district)) = split(data) {
            let known = fuzzing_tolerance();
            run(known, || rubric_and_district(rubric, district, known));
        }
    }
);
