//! The AI industry: end-user demand and the prices users pay, enterprise adoption,
//! revenue and compute costs,
//! venture capital and labs' funding rounds, and the circular chipmaker → lab → cloud
//! deal.

pub mod adopters;
pub mod adoption;
pub mod circular;
pub mod demand;
pub mod funding;
pub mod pricing;
pub mod revenue;
pub mod venture;
