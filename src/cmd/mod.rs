//! The commands of the command line.

pub mod build;
pub mod check;
pub mod freeze;
pub mod new;
pub mod verify;
