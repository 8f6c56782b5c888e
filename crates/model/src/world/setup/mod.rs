//! Building the world from a config: firms (`firms`), their starting GPU fleets in
//! leased data centres (`fleet`), institutions and retail investors (`investors`), the
//! agents of markets and beliefs (`boom`), the economy and the books (`economy`), in
//! that order (`populate`), each agent spawned with the next id (`spawner`).

pub mod boom;
pub mod economy;
pub mod firms;
pub mod fleet;
pub mod investors;
pub mod populate;
pub mod spawner;
