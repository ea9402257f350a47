//! Query functions, one module per table family.

pub mod actors;
pub mod batch;
pub mod deliveries;
pub mod follows;
pub mod likes;
pub mod posts;
