//! bubblesim's economy: a bevy_ecs world of firms, investors, data centres, GPU cohorts,
//! leases and the securities built on them, and the systems that move money, assets and
//! beliefs between them. No I/O: the driver steps the [`Simulation`] and drains its
//! [`Observations`] (rows for the recorder, one list per table of [`tick::tables`]).
//!
//! The folders follow the story (docs/architecture.md walks them). A domain's
//! components and resources are its data; its systems read and write other domains'
//! data and never call their systems (only `tick/schedule.rs` names a system); no two
//! files import each other, directly or round a loop. `tests/imports.rs` checks all
//! three, and that the lowest folders import only what is below them. Each folder and
//! its rule:
//!
//! - [`common`]: ids, the directory, spawning, parameters and seed, the calendar, random
//!   streams, numerical helpers, the event log, the rows buffer — imports nothing else;
//! - [`money`]: the ledger, firms' accounts, the flows log — money by agent id, knowing
//!   no agent type; imports only `common`;
//! - [`firms`]: identity, listed equity, the roles a firm plays, the monthly close — a
//!   firm's own state; imports only `common` and `money`;
//! - [`ai_industry`]: demand, adoption, revenue, venture capital, funding rounds, the
//!   circular deal — the money AI earns and raises, booked on firms' accounts;
//! - [`beliefs`]: news, hype, forecasts, the bubble index — what agents believe, read
//!   from the model's state; moves no money;
//! - [`compute`]: GPU generations and cohorts, obsolescence, the fleet, the GPU-hour
//!   market, capex — GPUs are owned, priced and bought here only;
//! - [`real_estate`]: data centres, the grid, construction, leases, rent, renegotiation
//!   — buildings and their tenancy;
//! - [`finance`]: credit arithmetic, the waterfall, SPVs, securities, pools, ratings,
//!   institutions, fire sales — every security and every holder of one;
//! - [`markets`]: the equity indices, retail investors, institutions' rebalancing, price
//!   formation — the only place listed prices move;
//! - [`economy`]: GDP and employment, regions, imposed shocks — the nation around the
//!   model, scaled from its firms;
//! - [`tick`]: the schedule, the cash audits, the observations, the list of tables, the
//!   run summary — above every domain and imported by none;
//! - [`world`]: setup from a config, snapshots, the [`Simulation`] — above `tick`.
//!
//! Random draws come from (seed, purpose, tick, agent) ([`common::rng`]), and every
//! reduction that reaches a result runs in [`AgentId`] order, so results do not depend
//! on thread count, iteration order or resumption.

#![warn(missing_docs)]

pub mod ai_industry;
pub mod beliefs;
pub mod common;
pub mod compute;
pub mod economy;
pub mod finance;
pub mod firms;
pub mod markets;
pub mod money;
pub mod real_estate;
pub mod tick;
pub mod world;

pub use common::calendar::Clock;
pub use common::events::{Event, EventKind, Totals};
pub use common::ids::AgentId;
pub use tick::summary::{EconomySummary, FIGURES, Figure, Summary};
pub use tick::tables::Observations;
pub use world::simulation::{ModelError, Simulation};

/// What tests, benches and the command line use: the simulation and its outputs, and
/// the components and resources they inspect.
pub mod prelude {
    pub use crate::ai_industry::circular::CircularDeal;
    pub use crate::beliefs::bubble::BubbleIndex;
    pub use crate::common::calendar::{Clock, civil_from_days, days_from_civil, iso_date};
    pub use crate::common::events::event_kinds_markdown;
    pub use crate::common::events::{Event, EventKind, EventLog, Totals};
    pub use crate::common::ids::AgentId;
    pub use crate::common::stats::{autocorrelation, excess_kurtosis};
    pub use crate::compute::generations::GpuCohort;
    pub use crate::finance::credit::Rating;
    pub use crate::finance::institutions::{Institution, InstitutionKind, Marks};
    pub use crate::finance::securities::Security;
    pub use crate::finance::spv::vehicle::Spv;
    pub use crate::firms::firm::{Firm, FirmKind};
    pub use crate::firms::listed::Listed;
    pub use crate::firms::roles::{AiSeller, Lab, Provider};
    pub use crate::markets::index::AiIndex;
    pub use crate::money::accounts::Accounts;
    pub use crate::money::ledger::Ledger;
    pub use crate::real_estate::construction::Construction;
    pub use crate::real_estate::datacenters::DataCenter;
    pub use crate::real_estate::leases::{Lease, LeaseStatus};
    pub use crate::tick::observe::boom::{BubbleRow, FlowRow};
    pub use crate::tick::observe::credit::{HoldingRow, InvestorRow, SecurityRow};
    pub use crate::tick::observe::economy::{AccountsRow, MacroRow, RegionRow, SectorAccounts};
    pub use crate::tick::observe::firms::FirmRow;
    pub use crate::tick::observe::infrastructure::{DatacenterRow, GpuRow, LeaseRow};
    pub use crate::tick::observe::markets::{ComputeRow, MarketRow, SentimentRow};
    pub use crate::tick::observe::retail::RetailRow;
    pub use crate::tick::summary::{EconomySummary, FIGURES, Figure, Summary};
    pub use crate::tick::tables::{Observations, table_specs};
    pub use crate::world::simulation::{ModelError, Simulation};
    pub use bubblesim_schema::{Row, TableSpec};

    /// The per-agent kernels and the systems that run them, for the benchmarks.
    pub mod kernels {
        pub use crate::compute::generations::{Generations, expected_rent_decline_per_year};
        pub use crate::compute::obsolescence::{OwnerCharges, RevaluationMonth, revalue_cohort, revalue_cohorts};
        pub use crate::markets::retail::{RetailDay, RetailInvestor, RetailTally, Signals, Strategy, retail_sentiment, step_investor};
    }
}
