//! The durable delivery queue.
//!
//! 1. A use case commits its change and an outbound intent together (`core::outbox`).
//! 2. [`render`] turns each intent into the activity JSON and the inboxes it goes to (shared
//!    inboxes first); the rendering pass stores it with one delivery row per distinct inbox
//!    and deletes the intent, in one transaction.
//! 3. [`worker`] claims due deliveries, signs each request (aws-lc-rs), posts it, and records
//!    the outcome: delivered, retried later with exponential backoff, or given up after
//!    `delivery.give_up_after_secs`.
//!
//! Every step is a row, so a process killed at any point resumes where it stopped.

mod inboxes;
mod intents;
mod pending;
pub mod render;
#[cfg(test)]
mod render_tests;
pub mod worker;

pub use worker::{DeliveryStats, deliver_all, run_once, spawn_background};
