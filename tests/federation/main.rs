//! Cross-instance federation tests: real instances, real HTTP, real signatures.

mod crash;
mod delivery;
mod directory;
mod domain_lists;
mod faults;
mod follow;
mod forged;
mod hostile;
mod imports;
mod inbox;
mod interop;
mod moderation;
mod moves;
mod posts;
mod probation;
mod processes;
mod relays;
mod scale_out;
mod shutdown;
mod signing;
mod suspension;
