//! The durable delivery queue.
//!
//! 1. A use case commits its change and an outbound intent together (`core::outbox`).
//! 2. [`render`] turns each intent into the activity JSON and one delivery row per distinct
//!    inbox (shared inboxes first), in one transaction, and deletes the intent.
//! 3. [`worker`] claims due deliveries, signs each request (aws-lc-rs), posts it, and records
//!    the outcome: delivered, retried later with exponential backoff, or given up after
//!    `delivery.give_up_after_secs`.
//!
//! Every step is a row, so a process killed at any point resumes where it stopped.

pub mod render;
pub mod worker;

pub use worker::{DeliveryStats, deliver_all, run_once, spawn_background};
