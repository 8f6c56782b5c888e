//! Real estate: data-centre buildings, the grid connections they wait for, their
//! construction, and the leases that let them — terms, stress, rent and renegotiation.

pub mod construction;
pub mod datacenters;
pub mod grid;
pub mod leases;
pub mod renegotiation;
pub mod rent;
