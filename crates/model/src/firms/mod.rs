//! Firms: identity and kind, listed equity, the roles a firm plays (AI seller, lab,
//! provider, borrower, …) and the monthly close of their books.

pub mod accounting;
pub mod firm;
pub mod listed;
pub mod roles;
