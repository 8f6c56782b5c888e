//! Observation: the recorder systems copy the world's state into plain rows, one
//! struct per output table, at each table's cadence. The model does no I/O: whoever
//! drives the simulation drains [`Observations`] and writes the rows out.

use std::sync::Arc;

use bevy_ecs::prelude::*;

use crate::agents::AgentId;
use crate::calendar::{Clock, civil_from_days, days_from_civil};
use crate::compute_market::ComputeMarket;
use crate::datacenters::DataCenter;
use crate::demand::Demand;
use crate::events::{Event, EventLog};
use crate::firms::{Accounts, AiSeller, Firm, Listed};
use crate::fleet::FleetIndex;
use crate::leases::Lease;
use crate::market::AiIndex;
use crate::narrative::Narrative;
use crate::obsolescence::{Generations, GpuCohort};
use crate::params::Params;
use crate::sentiment::{RetailFlow, RetailInvestor};

/// One listed firm (or the AI index, agent 0) on one tick.
#[derive(Debug, Clone, PartialEq)]
pub struct MarketRow {
    pub tick: u32,
    pub date: i32,
    pub agent_id: u64,
    pub kind: &'static str,
    pub name: Arc<str>,
    pub price_usd: f64,
    pub log_return: f64,
    pub market_cap_usd: f64,
    pub fundamental_usd_per_share: f64,
    pub drawdown: f64,
    pub retail_net_buy_usd: f64,
}

/// Retail sentiment and the narrative on one tick.
#[derive(Debug, Clone, PartialEq)]
pub struct SentimentRow {
    pub tick: u32,
    pub date: i32,
    pub hype: f64,
    pub hype_target: f64,
    pub ai_revenue_growth: f64,
    pub optimists: u64,
    pub pessimists: u64,
    pub fundamentalists: u64,
    pub opinion_index: f64,
    pub trend_per_year: f64,
    pub mispricing: f64,
    pub chartist_net_lots: i64,
    pub fundamentalist_net_lots: i64,
}

/// The compute market and end-user demand (monthly values) on one tick.
#[derive(Debug, Clone, PartialEq)]
pub struct ComputeRow {
    pub tick: u32,
    pub date: i32,
    pub rent_usd_per_h100_hour: f64,
    pub cost_based_rent_usd_per_h100_hour: f64,
    pub demand_h100_hours: f64,
    pub supply_h100_hours: f64,
    pub utilisation: f64,
    pub served_share: f64,
    pub newest_generation: u32,
    pub newest_performance_h100: f64,
    pub newest_price_usd: f64,
    pub end_user_revenue_usd_per_month: f64,
    pub consumer_kqueries_per_month: f64,
    pub enterprise_kqueries_per_month: f64,
    pub share_queries_below_cost: f64,
}

/// One firm on one tick.
#[derive(Debug, Clone, PartialEq)]
pub struct FirmRow {
    pub tick: u32,
    pub date: i32,
    pub agent_id: u64,
    pub kind: &'static str,
    pub name: Arc<str>,
    pub active: bool,
    pub cash_usd: f64,
    pub debt_usd: f64,
    pub book_equity_usd: f64,
    pub revenue_last_month_usd: f64,
    pub ai_revenue_last_month_usd: f64,
    pub compute_cost_last_month_usd: f64,
    pub earnings_last_month_usd: f64,
    pub earnings_ttm_usd: f64,
    pub capex_last_month_usd: f64,
    pub impairments_cumulative_usd: f64,
    pub gpus_in_service: u64,
    pub share_price_usd: Option<f64>,
    pub market_cap_usd: Option<f64>,
    pub share_queries_below_cost: Option<f64>,
}

/// One retail investor on one tick.
#[derive(Debug, Clone, PartialEq)]
pub struct RetailRow {
    pub tick: u32,
    pub date: i32,
    pub agent_id: u64,
    pub strategy: &'static str,
    pub novice: bool,
    pub cash_usd: f64,
    pub ai_units: f64,
    pub wealth_usd: f64,
}

/// One data centre on one tick.
#[derive(Debug, Clone, PartialEq)]
pub struct DatacenterRow {
    pub tick: u32,
    pub date: i32,
    pub agent_id: u64,
    pub owner_id: u64,
    pub tenant_id: Option<u64>,
    pub lease_id: Option<u64>,
    pub status: &'static str,
    pub capacity_mw: f64,
    pub committed_mw: f64,
    pub busy_mw: f64,
    pub completion_date: i32,
}

/// One GPU cohort on one tick.
#[derive(Debug, Clone, PartialEq)]
pub struct GpuRow {
    pub tick: u32,
    pub date: i32,
    pub agent_id: u64,
    pub owner_id: u64,
    pub datacenter_id: u64,
    pub generation: u32,
    pub gpus: u32,
    pub performance_h100: f64,
    pub price_usd_per_gpu: f64,
    pub install_date: i32,
    pub age_years: f64,
    pub rent_usd_per_gpu_hour: f64,
    pub utilisation: f64,
    pub economic_value_usd: f64,
    pub book_value_usd: f64,
    pub impaired: bool,
    pub retired: bool,
}

/// One lease on one tick.
#[derive(Debug, Clone, PartialEq)]
pub struct LeaseRow {
    pub tick: u32,
    pub date: i32,
    pub agent_id: u64,
    pub tenant_id: u64,
    pub landlord_id: u64,
    pub datacenter_id: u64,
    pub status: &'static str,
    pub rent_usd_per_month: f64,
    pub start_date: i32,
    pub break_date: i32,
    pub end_date: i32,
    pub rent_cuts: u32,
    pub stress: f64,
}

/// Rows recorded since the driver last drained them.
#[derive(Resource, Debug, Default)]
pub struct Observations {
    pub market: Vec<MarketRow>,
    pub sentiment: Vec<SentimentRow>,
    pub compute: Vec<ComputeRow>,
    pub firms: Vec<FirmRow>,
    pub retail: Vec<RetailRow>,
    pub datacenters: Vec<DatacenterRow>,
    pub gpus: Vec<GpuRow>,
    pub leases: Vec<LeaseRow>,
    pub events: Vec<Event>,
}

/// The first day of the month `months` after the start month.
pub fn month_date(start_date: i32, months: i32) -> i32 {
    let (year, month, _) = civil_from_days(start_date);
    let index = year * 12 + month as i32 - 1 + months;
    days_from_civil(index.div_euclid(12), (index.rem_euclid(12) + 1) as u32, 1)
}

fn due(clock: &Clock, every: u32) -> bool {
    clock.tick.is_multiple_of(every.max(1))
}

/// Records the market, sentiment and compute tables and drains the event log.
pub fn record_markets(
    params: Res<Params>,
    clock: Res<Clock>,
    index: Res<AiIndex>,
    flow: Res<RetailFlow>,
    narrative: Res<Narrative>,
    compute: Res<ComputeMarket>,
    demand: Res<Demand>,
    generations: Res<Generations>,
    firms: Query<(&AgentId, &Firm, &Listed)>,
    mut events: ResMut<EventLog>,
    mut out: ResMut<Observations>,
) {
    let (tick, date) = (clock.tick, clock.date);
    let record = &params.record;
    if due(&clock, record.market_every_ticks) {
        let mut cap = 0.0;
        for (id, firm, listed) in firms.iter().sort::<&AgentId>() {
            cap += listed.market_cap_usd();
            out.market.push(MarketRow {
                tick,
                date,
                agent_id: id.0,
                kind: firm.kind.label(),
                name: firm.name.clone(),
                price_usd: listed.price_usd,
                log_return: listed.log_return,
                market_cap_usd: listed.market_cap_usd(),
                fundamental_usd_per_share: listed.fundamental_usd_per_share,
                drawdown: listed.drawdown(),
                retail_net_buy_usd: listed.retail_net_buy_usd,
            });
        }
        out.market.push(MarketRow {
            tick,
            date,
            agent_id: 0,
            kind: "index",
            name: Arc::from("ai-index"),
            price_usd: index.level,
            log_return: index.log_return,
            market_cap_usd: cap,
            fundamental_usd_per_share: index.fundamental_level,
            drawdown: index.drawdown(),
            retail_net_buy_usd: (flow.chartist_net_lots + flow.fundamentalist_net_lots) as f64 * params.retail.lot_usd,
        });
    }
    if due(&clock, record.sentiment_every_ticks) {
        out.sentiment.push(SentimentRow {
            tick,
            date,
            hype: narrative.hype,
            hype_target: narrative.target,
            ai_revenue_growth: narrative.revenue_growth,
            optimists: flow.optimists,
            pessimists: flow.pessimists,
            fundamentalists: flow.fundamentalists,
            opinion_index: flow.opinion_index(),
            trend_per_year: index.trend_per_tick * 252.0,
            mispricing: index.mispricing(),
            chartist_net_lots: flow.chartist_net_lots,
            fundamentalist_net_lots: flow.fundamentalist_net_lots,
        });
    }
    if due(&clock, record.compute_every_ticks) {
        let newest = generations.newest();
        out.compute.push(ComputeRow {
            tick,
            date,
            rent_usd_per_h100_hour: compute.rent_usd_per_h100_hour,
            cost_based_rent_usd_per_h100_hour: compute.cost_based_rent_usd_per_h100_hour,
            demand_h100_hours: compute.demand_h100_hours,
            supply_h100_hours: compute.supply_h100_hours,
            utilisation: compute.overall_utilisation(),
            served_share: compute.served_share,
            newest_generation: newest.index,
            newest_performance_h100: newest.performance_h100,
            newest_price_usd: newest.price_usd,
            end_user_revenue_usd_per_month: demand.revenue_usd(),
            consumer_kqueries_per_month: demand.consumer.kqueries_per_month,
            enterprise_kqueries_per_month: demand.enterprise.kqueries_per_month,
            share_queries_below_cost: demand.share_queries_below_cost(compute.rent_usd_per_h100_hour),
        });
    }
    let drained = events.drain();
    out.events.extend(drained);
}

/// Records the firms table.
pub fn record_firms(
    params: Res<Params>,
    clock: Res<Clock>,
    fleet: Res<FleetIndex>,
    demand: Res<Demand>,
    compute: Res<ComputeMarket>,
    firms: Query<(&AgentId, &Firm, &Accounts, Option<&Listed>, Option<&AiSeller>)>,
    mut out: ResMut<Observations>,
) {
    if !due(&clock, params.record.firms_every_ticks) {
        return;
    }
    // Every seller faces the same rent and query mix this month.
    let below_cost = demand.share_queries_below_cost(compute.rent_usd_per_h100_hour);
    for (id, firm, accounts, listed, seller) in firms.iter().sort::<&AgentId>() {
        let last = &accounts.last_month;
        out.firms.push(FirmRow {
            tick: clock.tick,
            date: clock.date,
            agent_id: id.0,
            kind: firm.kind.label(),
            name: firm.name.clone(),
            active: firm.active,
            cash_usd: accounts.cash_usd,
            debt_usd: accounts.debt_usd,
            book_equity_usd: accounts.book_equity_usd,
            revenue_last_month_usd: last.revenue_usd(),
            ai_revenue_last_month_usd: last.ai_revenue_usd(),
            compute_cost_last_month_usd: last.compute_cost_usd,
            earnings_last_month_usd: last.earnings_usd(),
            earnings_ttm_usd: accounts.earnings.annualised(),
            capex_last_month_usd: last.capex_usd,
            impairments_cumulative_usd: accounts.impairments_cumulative_usd,
            gpus_in_service: fleet.owner_generations(*id).map(|(_, gpus)| gpus).sum(),
            share_price_usd: listed.map(|l| l.price_usd),
            market_cap_usd: listed.map(Listed::market_cap_usd),
            share_queries_below_cost: seller.map(|_| below_cost),
        });
    }
}

/// Records the retail table.
pub fn record_retail(
    params: Res<Params>,
    clock: Res<Clock>,
    index: Res<AiIndex>,
    investors: Query<(&AgentId, &RetailInvestor)>,
    mut out: ResMut<Observations>,
) {
    if !due(&clock, params.record.retail_every_ticks) {
        return;
    }
    for (id, investor) in investors.iter().sort::<&AgentId>() {
        out.retail.push(RetailRow {
            tick: clock.tick,
            date: clock.date,
            agent_id: id.0,
            strategy: investor.strategy.label(),
            novice: investor.novice,
            cash_usd: investor.cash_usd,
            ai_units: investor.ai_units,
            wealth_usd: investor.cash_usd + investor.ai_units * index.level,
        });
    }
}

/// Records the data-centre, GPU and lease tables.
pub fn record_infrastructure(
    params: Res<Params>,
    clock: Res<Clock>,
    fleet: Res<FleetIndex>,
    generations: Res<Generations>,
    compute: Res<ComputeMarket>,
    datacenters: Query<(&AgentId, &DataCenter)>,
    cohorts: Query<(&AgentId, &GpuCohort)>,
    leases: Query<(&AgentId, &Lease)>,
    mut out: ResMut<Observations>,
) {
    let record = &params.record;
    let (tick, date, start) = (clock.tick, clock.date, clock.start_date);
    if due(&clock, record.datacenters_every_ticks) {
        for (id, dc) in datacenters.iter().sort::<&AgentId>() {
            let busy_watts: f64 = fleet
                .datacenter_generations(*id)
                .map(|(generation, gpus)| gpus as f64 * generations.get(generation).power_watts() as f64 * compute.utilisation(generation))
                .sum();
            out.datacenters.push(DatacenterRow {
                tick,
                date,
                agent_id: id.0,
                owner_id: dc.owner.0,
                tenant_id: dc.tenant.map(|t| t.0),
                lease_id: dc.lease.map(|l| l.0),
                status: dc.status(clock.month),
                capacity_mw: dc.capacity_mw,
                committed_mw: fleet.committed_watts.get(id).copied().unwrap_or(0) as f64 / 1e6,
                busy_mw: busy_watts / 1e6,
                completion_date: month_date(start, dc.completion_month),
            });
        }
    }
    if due(&clock, record.gpus_every_ticks) {
        for (id, cohort) in cohorts.iter().sort::<&AgentId>() {
            out.gpus.push(GpuRow {
                tick,
                date,
                agent_id: id.0,
                owner_id: cohort.owner.0,
                datacenter_id: cohort.datacenter.0,
                generation: cohort.generation,
                gpus: cohort.gpus,
                performance_h100: generations.get(cohort.generation).performance_h100,
                price_usd_per_gpu: cohort.price_usd_per_gpu,
                install_date: month_date(start, cohort.install_month),
                age_years: cohort.age_years(clock.month),
                rent_usd_per_gpu_hour: cohort.rent_usd_per_gpu_hour,
                utilisation: cohort.utilisation,
                economic_value_usd: cohort.economic_value_usd,
                book_value_usd: cohort.book_value_usd,
                impaired: cohort.impaired,
                retired: cohort.retired,
            });
        }
    }
    if due(&clock, record.leases_every_ticks) {
        for (id, lease) in leases.iter().sort::<&AgentId>() {
            out.leases.push(LeaseRow {
                tick,
                date,
                agent_id: id.0,
                tenant_id: lease.tenant.0,
                landlord_id: lease.landlord.0,
                datacenter_id: lease.datacenter.0,
                status: lease.status.label(),
                rent_usd_per_month: lease.rent_usd_per_month,
                start_date: month_date(start, lease.start_month),
                break_date: month_date(start, lease.break_month),
                end_date: month_date(start, lease.end_month),
                rent_cuts: lease.rent_cuts,
                stress: lease.stress,
            });
        }
    }
}
