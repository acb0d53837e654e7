//! Narrative Markdown: rendering must not panic or hang, and the sanitised
//! HTML carries no script, iframe, event handler or `javascript:` URL.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rapor_fuzz::{fuzzing_tolerance, markdown, run};

fuzz_target!(
    init: rapor_fuzz::install_panic_filter(fuzzing_tolerance()),
    |data: &[u8]| {
        if let Ok(source) = std::str::from_utf8(data) {
            let known = fuzzing_tolerance();
            run(known, || markdown(source, known));
        }
    }
);
