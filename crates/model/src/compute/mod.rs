//! Compute: GPU generations and cohorts, obsolescence (revaluation, impairment,
//! retirement), the fleet index, the GPU-hour market and providers' capex.

pub mod capex;
pub mod fleet;
pub mod generations;
pub mod market;
pub mod obsolescence;
pub mod view;
