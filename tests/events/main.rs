//! Organisations, events and answers across real instances, driven through the client API.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod by_poll;
mod calendar;
mod groups;
mod input;
mod links;
mod org_move;
mod pages;
mod resources;
mod rsvp;
