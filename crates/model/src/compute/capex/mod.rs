//! Capex: each quarter providers order GPUs of the newest generation to serve the demand
//! they forecast `lead_quarters` ahead at the target utilisation (`plan`), place them in
//! their buildings, in vacant ones re-let at the market rent or in new ones (`placement`),
//! and pay the chipmaker (`order`, the system).

pub mod order;
pub mod placement;
pub mod plan;
