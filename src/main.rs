mod content;
mod error;
mod format;
mod markdown;
mod score;
mod yaml;
fn main() {}
