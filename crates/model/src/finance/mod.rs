//! The financing chain: credit arithmetic (Vasicek, ratings scale) and the tranche
//! waterfall, SPVs and their lease-backed bonds, pools and their tranches, rating
//! reviews, the institutions that hold them, and forced sales with their contagion.

pub mod books;
pub mod credit;
pub mod fire_sales;
pub mod institutions;
pub mod ratings;
pub mod securities;
pub mod securitisation;
pub mod spv;
pub mod waterfall;
