//! The `datacenters`, `gpus` and `leases` tables: every building, GPU cohort and lease
//! as it stands — the rows (each carries its component), their columns and the system
//! that records them.

use bevy_ecs::prelude::*;
use bubblesim_schema::{Column, Row};

use crate::common::calendar::{Clock, month_date};
use crate::common::ids::AgentId;
use crate::common::rows::Rows;
use crate::compute::generations::GpuCohort;
use crate::compute::view::ComputeView;
use crate::real_estate::datacenters::DataCenter;
use crate::real_estate::leases::Lease;

/// One data centre on one tick.
#[derive(Debug, Clone, PartialEq)]
pub struct DatacenterRow {
    /// Ticks since the start.
    pub tick: u32,
    /// The trading day.
    pub date: i32,
    /// The building's id.
    pub agent_id: u64,
    /// The building.
    pub building: DataCenter,
    /// The calendar month (months since the start) and the run's first day, for its
    /// status and dates.
    pub month: u32,
    /// The run's first trading day.
    pub start_date: i32,
    /// Power of the GPUs placed in it, MW.
    pub committed_mw: f64,
    /// Power of the GPUs running this month, MW.
    pub busy_mw: f64,
}

impl Row for DatacenterRow {
    const TABLE: &'static str = "datacenters";
    const ROW: &'static str = "a data-centre building on one recorded trading day";
    const COLUMNS: &'static [Column<Self>] = &[
        Column::tick(|r| r.tick),
        Column::date(|r| r.date),
        Column::agent_id(|r| r.agent_id),
        Column::kind("datacenter", |_| "datacenter"),
        Column::u64("owner_id", "id", "the sponsor that owns it", |r| r.building.owner.0),
        Column::opt_u64("tenant_id", "id", "the tenant, if leased", |r| r.building.tenant.map(|t| t.0)),
        Column::opt_u64("lease_id", "id", "the lease in force, if any", |r| r.building.lease.map(|l| l.0)),
        Column::dict("status", "label", "under_construction, leased or vacant", |r| {
            r.building.status(r.month)
        }),
        Column::f64("capacity_mw", "MW", "power capacity", |r| r.building.capacity_mw),
        Column::f64(
            "committed_mw",
            "MW",
            "power of the GPUs placed in it (in service or awaiting completion)",
            |r| r.committed_mw,
        ),
        Column::f64("busy_mw", "MW", "power of the GPUs running this month", |r| r.busy_mw),
        Column::day("completion_date", "date", "first day of the month it is (or was) ready", |r| {
            month_date(r.start_date, r.building.completion_month)
        }),
    ];
}

/// One GPU cohort on one tick.
#[derive(Debug, Clone, PartialEq)]
pub struct GpuRow {
    /// Ticks since the start.
    pub tick: u32,
    /// The trading day.
    pub date: i32,
    /// The cohort's id.
    pub agent_id: u64,
    /// The cohort.
    pub cohort: GpuCohort,
    /// Its generation's throughput per GPU, H100-equivalents.
    pub performance_h100: f64,
    /// The calendar month (months since the start), for its age.
    pub month: u32,
    /// The run's first trading day.
    pub start_date: i32,
}

impl Row for GpuRow {
    const TABLE: &'static str = "gpus";
    const ROW: &'static str = "a GPU cohort on one recorded trading day";
    const COLUMNS: &'static [Column<Self>] = &[
        Column::tick(|r| r.tick),
        Column::date(|r| r.date),
        Column::agent_id(|r| r.agent_id),
        Column::kind("gpu_cohort", |_| "gpu_cohort"),
        Column::u64("owner_id", "id", "the provider that owns it", |r| r.cohort.owner.0),
        Column::u64("datacenter_id", "id", "the building it is in", |r| r.cohort.datacenter.0),
        Column::u32("generation", "index", "GPU generation", |r| r.cohort.generation),
        Column::u32("gpus", "GPUs", "GPUs in the cohort", |r| r.cohort.gpus),
        Column::f64("performance_h100", "H100-equivalents per GPU", "throughput per GPU", |r| {
            r.performance_h100
        }),
        Column::f64("price_usd_per_gpu", "USD", "purchase price per GPU", |r| r.cohort.price_usd_per_gpu),
        Column::day(
            "install_date",
            "date",
            "first day of the month it entered (or enters) service",
            |r| month_date(r.start_date, r.cohort.install_month),
        ),
        Column::f64("age_years", "years", "time in service", |r| r.cohort.age_years(r.month)),
        Column::f64(
            "rent_usd_per_gpu_hour",
            "USD per GPU-hour",
            "market rent for this generation",
            |r| r.cohort.rent_usd_per_gpu_hour,
        ),
        Column::f64("utilisation", "share", "share of hours rented this month", |r| r.cohort.utilisation),
        Column::f64("economic_value_usd", "USD", "present value of expected rents net of power", |r| {
            r.cohort.economic_value_usd
        }),
        Column::f64("book_value_usd", "USD", "straight-line book value after impairments", |r| {
            r.cohort.book_value_usd
        }),
        Column::bool("impaired", "flag", "written down at least once", |r| r.cohort.impaired),
        Column::bool(
            "retired",
            "flag",
            "taken out of service (a retired cohort appears on the first record after it retires, then no longer)",
            |r| r.cohort.retired,
        ),
    ];
}

/// One lease on one tick.
#[derive(Debug, Clone, PartialEq)]
pub struct LeaseRow {
    /// Ticks since the start.
    pub tick: u32,
    /// The trading day.
    pub date: i32,
    /// The lease's id.
    pub agent_id: u64,
    /// The lease.
    pub lease: Lease,
    /// The run's first trading day, for its dates.
    pub start_date: i32,
}

impl Row for LeaseRow {
    const TABLE: &'static str = "leases";
    const ROW: &'static str = "a data-centre lease on one recorded trading day";
    const COLUMNS: &'static [Column<Self>] = &[
        Column::tick(|r| r.tick),
        Column::date(|r| r.date),
        Column::agent_id(|r| r.agent_id),
        Column::kind("lease", |_| "lease"),
        Column::u64("tenant_id", "id", "tenant (hyperscaler or cloud)", |r| r.lease.tenant.0),
        Column::u64("landlord_id", "id", "landlord (sponsor)", |r| r.lease.landlord.0),
        Column::u64("datacenter_id", "id", "the building", |r| r.lease.datacenter.0),
        Column::dict("status", "label", "active, broken, defaulted or expired", |r| {
            r.lease.status.label()
        }),
        Column::f64("rent_usd_per_month", "USD per month", "current rent", |r| {
            r.lease.rent_usd_per_month
        }),
        Column::day("start_date", "date", "first month rent is due", |r| {
            month_date(r.start_date, r.lease.start_month)
        }),
        Column::day(
            "break_date",
            "date",
            "first month the tenant may leave; for a lease-back, the start of the one-quarter notice window before end_date (an option date)",
            |r| month_date(r.start_date, r.lease.break_month),
        ),
        Column::day("end_date", "date", "end of term", |r| month_date(r.start_date, r.lease.end_month)),
        Column::u32("rent_cuts", "count", "rent cuts granted so far", |r| r.lease.rent_cuts),
        Column::f64("stress", "score", "tenant stress at the last renegotiation window", |r| {
            r.lease.stress
        }),
        Column::dict(
            "structure",
            "label",
            "wholesale (a sponsor's building) or leaseback (an SPV's building let back to the hyperscaler it was built for)",
            |r| r.lease.structure.label(),
        ),
        Column::u32(
            "extension_options_left",
            "count",
            "extension options the tenant may still take",
            |r| r.lease.extension_options_left,
        ),
        Column::f64(
            "rvg_cap_usd",
            "USD",
            "residual value guarantee: most the tenant pays if it leaves before rvg_end_date (0 = none)",
            |r| r.lease.rvg_cap_usd,
        ),
        Column::day("rvg_end_date", "date", "end of the guarantee period", |r| {
            month_date(r.start_date, r.lease.rvg_end_month)
        }),
        Column::f64(
            "default_probability_1y",
            "probability",
            "modelled one-year probability the tenant defaults (from its stress)",
            |r| r.lease.default_probability_1y,
        ),
        Column::f64(
            "exit_probability_1y",
            "probability",
            "modelled one-year probability the tenant leaves at a break or option date",
            |r| r.lease.exit_probability_1y,
        ),
        Column::opt_u64("pool_id", "id", "the pool this lease is collateral of, if securitised", |r| {
            r.lease.pool.map(|p| p.0)
        }),
    ];
}

/// The three tables' buffers.
#[derive(bevy_ecs::system::SystemParam)]
pub struct InfrastructureRows<'w> {
    datacenters: ResMut<'w, Rows<DatacenterRow>>,
    gpus: ResMut<'w, Rows<GpuRow>>,
    leases: ResMut<'w, Rows<LeaseRow>>,
}

/// Records the data-centre, GPU and lease tables.
pub fn record_infrastructure(
    clock: Res<Clock>,
    compute: ComputeView,
    datacenters: Query<(&AgentId, &DataCenter)>,
    cohorts: Query<(&AgentId, &GpuCohort)>,
    leases: Query<(&AgentId, &Lease)>,
    rows: InfrastructureRows,
) {
    let InfrastructureRows {
        datacenters: mut datacenter_rows,
        gpus: mut gpu_rows,
        leases: mut lease_rows,
    } = rows;
    let (fleet, generations) = (&compute.fleet, &compute.generations);
    let (tick, date, start, month) = (clock.tick, clock.date, clock.start_date, clock.month);
    if datacenter_rows.due(&clock) {
        for (id, dc) in datacenters.iter().sort::<&AgentId>() {
            let busy_watts = compute.busy_watts(*id);
            datacenter_rows.push(DatacenterRow {
                tick,
                date,
                agent_id: id.0,
                building: dc.clone(),
                month,
                start_date: start,
                committed_mw: fleet.committed_watts.get(id).copied().unwrap_or(0) as f64 / 1e6,
                busy_mw: busy_watts / 1e6,
            });
        }
    }
    if gpu_rows.due(&clock) {
        // A retired cohort is written on the first record after its retirement, then no
        // longer: the table (and the recorder's memory) does not grow with dead cohorts.
        let since_last_record = gpu_rows.every_ticks();
        let recorded = |c: &&GpuCohort| !c.retired || tick - c.retired_tick < since_last_record;
        for (id, cohort) in cohorts.iter().sort::<&AgentId>().filter(|(_, c)| recorded(c)) {
            gpu_rows.push(GpuRow {
                tick,
                date,
                agent_id: id.0,
                cohort: cohort.clone(),
                performance_h100: generations.get(cohort.generation).performance_h100,
                month,
                start_date: start,
            });
        }
    }
    if lease_rows.due(&clock) {
        for (id, lease) in leases.iter().sort::<&AgentId>() {
            lease_rows.push(LeaseRow {
                tick,
                date,
                agent_id: id.0,
                lease: lease.clone(),
                start_date: start,
            });
        }
    }
}
