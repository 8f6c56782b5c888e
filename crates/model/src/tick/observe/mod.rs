//! Observation: recorder systems copy the world's state into plain rows, one row type
//! per output table, each defined with its columns beside the system that fills it. The
//! model does no I/O: the driver takes the rows (`tick::tables`) and writes them out.

pub mod boom;
pub mod credit;
pub mod economy;
pub mod events;
pub mod firms;
pub mod infrastructure;
pub mod markets;
pub mod retail;
