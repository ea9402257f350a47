//! Cross-instance federation tests: real instances, real HTTP, real signatures.

mod delivery;
mod domain_lists;
mod follow;
mod hostile;
mod inbox;
mod moderation;
mod posts;
mod probation;
mod suspension;
