//! A district file against fixed, valid rubrics (content/2023 and content/2022):
//! loading and checking must not panic or hang; an accepted file scores within 0..=100.
#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use rapor::content::{parse_rubric, Rubric};
use rapor_fuzz::{district_against, fuzzing_tolerance, run, RUBRIC_2022, RUBRIC_2023};

static RUBRICS: LazyLock<[Rubric; 2]> = LazyLock::new(|| {
    [
        parse_rubric(RUBRIC_2023).expect("content/2023/rubric.yaml loads"),
        parse_rubric(RUBRIC_2022).expect("content/2022/rubric.yaml loads"),
    ]
});

fuzz_target!(
    init: {
        rapor_fuzz::install_panic_filter(fuzzing_tolerance());
        LazyLock::force(&RUBRICS);
    },
    |data: &[u8]| {
        let Ok(text) = std::str::from_utf8(data) else {
            return;
        };
        let known = fuzzing_tolerance();
        for rubric in RUBRICS.iter() {
            run(known, || district_against(rubric, text, known));
        }
    }
);
