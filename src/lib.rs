//! rapor: a static site generator for the yearly performance assessment of
//! districts in the convergence actions against child stunting.
//!
//! The pipeline: [`content`] loads and checks a site folder, [`score`]
//! computes every number (pure functions), [`render`] turns view models into
//! pages and charts, [`publish`] writes them beside `output/` and swaps them in.
//! [`cmd`] holds one thin file per command over them. Each stage uses only the
//! stages before it; [`error`], [`format`], [`paths`], [`manifest`],
//! [`markdown`] and [`yaml`] are leaves the stages share.

// A `Problem` is large, but it is only built when the content is wrong.
#![allow(clippy::result_large_err)]

pub mod cmd;
pub mod content;
pub mod error;
pub mod format;
pub mod freeze;
pub mod manifest;
pub mod markdown;
pub mod paths;
pub mod publish;
pub mod render;
pub mod score;
pub mod serve;
pub mod sheet;
pub mod yaml;
