//! The real economy: GDP by expenditure, employment and displacement, regions and their
//! recessions, and the imposed shocks of stress scenarios.

pub mod macroeconomy;
pub mod regions;
pub mod shock;
