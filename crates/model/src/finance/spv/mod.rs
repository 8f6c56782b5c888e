//! Special-purpose vehicles: the off-balance-sheet route (docs/model.md#spvs). A
//! sponsor and a hyperscaler put equity into an SPV (80/20 at baseline, as in Meta/Blue
//! Owl Hyperion); the SPV sells a bond for most of the building's cost, pays for
//! construction in monthly draws, and leases the finished building back to the
//! hyperscaler: a short initial term, extension options and a capped residual value
//! guarantee. The equity covers the cost the bonds do not, the coupons due before the
//! building earns rent, and a debt-service reserve. Each month the SPV collects rent,
//! pays the bond's coupon and (once the building is finished) its amortisation, keeps a
//! debt-service reserve and distributes the rest to its equity holders. When the tenant
//! leaves within the guarantee period the guarantee is called: the tenant pays the
//! shortfall of the building's sale value against the bonds, up to the cap, and the
//! payment prepays the bonds. When the SPV's cash cannot pay the bond, the SPV
//! defaults: the sponsor buys the building at its liquidation value, the bond gets that
//! and the SPV's cash, the rest is written off, and the equity holders lose their
//! stake.
//!
//! `vehicle` holds the SPV and its deal's terms, `create` sets one up, `service` runs its
//! month.

pub mod create;
pub mod service;
pub mod vehicle;
