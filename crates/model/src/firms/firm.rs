//! A firm's identity: what kind of firm it is, its name, and whether it still operates.

use std::sync::Arc;

use bevy_ecs::prelude::Component;

/// The kinds of firm in the economy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
pub enum FirmKind {
    /// A private AI lab: sells AI products to end users and rents compute, funded by equity rounds.
    Lab,
    /// A listed platform firm with its own AI products, a GPU fleet it rents out and a core business.
    Hyperscaler,
    /// A listed, levered neocloud that rents GPU capacity to AI sellers.
    Cloud,
    /// The listed GPU maker.
    Chipmaker,
    /// A private-equity sponsor that owns data-centre buildings and leases them to tenants.
    Sponsor,
    /// A special-purpose vehicle that owns one building and issues bonds against its lease.
    Spv,
    /// The listed old-economy firm, outside the AI index.
    Carmaker,
}

impl FirmKind {
    /// The label used in the traces.
    pub fn label(self) -> &'static str {
        match self {
            FirmKind::Lab => "lab",
            FirmKind::Hyperscaler => "hyperscaler",
            FirmKind::Cloud => "cloud",
            FirmKind::Chipmaker => "chipmaker",
            FirmKind::Sponsor => "sponsor",
            FirmKind::Spv => "spv",
            FirmKind::Carmaker => "carmaker",
        }
    }
}

/// A firm's identity and whether it still operates.
#[derive(Component, Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Firm {
    /// What kind of firm it is.
    pub kind: FirmKind,
    /// The firm's unique name, as in the traces.
    pub name: Arc<str>,
    /// False once a lab has failed.
    pub active: bool,
}
