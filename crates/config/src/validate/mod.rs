//! Ranges and relations that serde's types cannot express, section by section; the
//! first problem found is returned as (key path, what is allowed).

mod behaviour;
mod boom;
mod check;
mod economy;
mod financing;
mod firms;
mod infrastructure;
mod scenario;

pub use scenario::{MAX_YEARS, MIN_YEARS, validate};
