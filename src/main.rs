mod content;
mod error;
mod format;
mod markdown;
mod yaml;
fn main() {}
