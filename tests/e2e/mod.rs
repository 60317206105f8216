//! Helpers shared by the end-to-end tests.

#![allow(dead_code)] // each test crate uses its own part of the helpers

pub mod daemon;
pub mod forge;
pub mod freeradius;
pub mod netns;
pub mod scenario;
