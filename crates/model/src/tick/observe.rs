//! Observation: the recorder systems copy the world's state into plain rows, one
//! struct per output table, at each table's cadence. The model does no I/O: whoever
//! drives the simulation drains [`Observations`] and writes the rows out.

use std::collections::BTreeMap;
use std::sync::Arc;

use bevy_ecs::prelude::*;

use crate::ai_industry::demand::Demand;
use crate::beliefs::narrative::Narrative;
use crate::common::calendar::Clock;
use crate::common::calendar::month_date;
use crate::common::directory::Directory;
use crate::common::events::{Event, EventLog};
use crate::common::ids::AgentId;
use crate::common::params::Params;
use crate::compute::fleet::FleetIndex;
use crate::compute::generations::{Generations, GpuCohort};
use crate::compute::market::ComputeMarket;
use crate::finance::credit::Rating;
use crate::finance::institutions::{AssetClass, Institution, Marks};
use crate::finance::securities::Security;
use crate::firms::firm::Firm;
use crate::firms::listed::Listed;
use crate::firms::roles::AiSeller;
use crate::markets::index::{AiIndex, EquityVolume, OldEconomyIndex};
use crate::markets::retail::{RetailFlow, RetailInvestor};
use crate::money::accounts::Accounts;
use crate::real_estate::datacenters::DataCenter;
use crate::real_estate::leases::Lease;

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
    pub volume_usd: f64,
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
    pub structure: &'static str,
    pub extension_options_left: u32,
    pub rvg_cap_usd: f64,
    pub rvg_end_date: i32,
    pub default_probability_1y: f64,
    pub exit_probability_1y: f64,
    pub pool_id: Option<u64>,
}

/// One security (bond or tranche) on one tick.
#[derive(Debug, Clone, PartialEq)]
pub struct SecurityRow {
    pub tick: u32,
    pub date: i32,
    pub agent_id: u64,
    pub kind: &'static str,
    pub issuer_id: u64,
    pub sponsor_id: u64,
    pub status: &'static str,
    pub rating: &'static str,
    pub agency_default_probability: f64,
    pub model_default_probability: f64,
    pub expected_loss: f64,
    pub original_principal_usd: f64,
    pub principal_usd: f64,
    pub coupon: f64,
    pub attachment: f64,
    pub detachment: f64,
    pub price: f64,
    pub fair_price: f64,
    pub market_value_usd: f64,
    pub realised_loss_usd: f64,
    pub interest_shortfall_usd: f64,
    pub retained_share: f64,
    pub institutional_share: f64,
    pub outside_share: f64,
    pub holders: u32,
    pub largest_holder_share: f64,
}

/// One institutional investor on one tick.
#[derive(Debug, Clone, PartialEq)]
pub struct InvestorRow {
    pub tick: u32,
    pub date: i32,
    pub agent_id: u64,
    pub kind: &'static str,
    pub name: Arc<str>,
    pub nav_usd: f64,
    pub gross_assets_usd: f64,
    pub cash_usd: f64,
    pub borrowing_usd: f64,
    pub leverage: Option<f64>,
    pub equities_usd: f64,
    pub investment_grade_usd: f64,
    pub high_yield_usd: f64,
    pub margin_state: &'static str,
    pub forced_sales_usd: f64,
    pub flow_usd: f64,
    pub pending_sales: u32,
    pub coupons_received_usd: f64,
}

/// One institution's holding of one asset on one tick.
#[derive(Debug, Clone, PartialEq)]
pub struct HoldingRow {
    pub tick: u32,
    pub date: i32,
    pub agent_id: u64,
    pub kind: &'static str,
    pub asset_id: u64,
    pub asset_kind: &'static str,
    pub rating: &'static str,
    pub units: f64,
    pub market_value_usd: f64,
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
    pub securities: Vec<SecurityRow>,
    pub investors: Vec<InvestorRow>,
    pub holdings: Vec<HoldingRow>,
    pub events: Vec<Event>,
    pub flows: Vec<crate::tick::observe_boom::FlowRow>,
    pub bubble: Vec<crate::tick::observe_boom::BubbleRow>,
    pub macroeconomy: Vec<crate::tick::observe_economy::MacroRow>,
    pub regions: Vec<crate::tick::observe_economy::RegionRow>,
    pub accounts: Vec<crate::tick::observe_economy::AccountsRow>,
}

impl Observations {
    /// True when no row waits to be handed to the recorder.
    pub fn is_empty(&self) -> bool {
        let Self {
            market,
            sentiment,
            compute,
            firms,
            retail,
            datacenters,
            gpus,
            leases,
            securities,
            investors,
            holdings,
            events,
            flows,
            bubble,
            macroeconomy,
            regions,
            accounts,
        } = self;
        [
            market.len(),
            sentiment.len(),
            compute.len(),
            firms.len(),
            retail.len(),
            datacenters.len(),
            gpus.len(),
            leases.len(),
            securities.len(),
            investors.len(),
            holdings.len(),
            events.len(),
            flows.len(),
            bubble.len(),
            macroeconomy.len(),
            regions.len(),
            accounts.len(),
        ]
        .iter()
        .all(|&rows| rows == 0)
    }
}

pub(crate) fn due(clock: &Clock, every: u32) -> bool {
    clock.tick.is_multiple_of(every.max(1))
}

/// Records the market, sentiment and compute tables and drains the event log.
pub fn record_markets(
    params: Res<Params>,
    clock: Res<Clock>,
    index: Res<AiIndex>,
    old_economy: Res<OldEconomyIndex>,
    volume: Res<EquityVolume>,
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
        let (mut cap, mut old_cap, mut old_volume, mut old_fundamental) = (0.0, 0.0, 0.0, 0.0);
        for (id, firm, listed) in firms.iter().sort::<&AgentId>() {
            if listed.in_ai_index {
                cap += listed.market_cap_usd();
            } else {
                old_cap += listed.market_cap_usd();
                old_volume += listed.volume_usd;
                old_fundamental += listed.fundamental_usd_per_share * listed.shares;
            }
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
                volume_usd: listed.volume_usd,
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
            retail_net_buy_usd: (flow.chartist_net_lots + flow.fundamentalist_net_lots) as f64
                * params.retail.lot_usd
                * params.retail.households_per_agent,
            volume_usd: volume.total_usd(),
        });
        out.market.push(MarketRow {
            tick,
            date,
            agent_id: 0,
            kind: "index",
            name: Arc::from("old-economy-index"),
            price_usd: old_economy.level,
            log_return: old_economy.log_return,
            market_cap_usd: old_cap,
            fundamental_usd_per_share: if old_economy.divisor > 0.0 {
                old_fundamental / old_economy.divisor
            } else {
                0.0
            },
            drawdown: old_economy.drawdown(),
            retail_net_buy_usd: 0.0,
            volume_usd: old_volume,
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
            consumer_kqueries_per_month: demand.consumer.volume_kqueries_per_month(),
            enterprise_kqueries_per_month: demand.enterprise.volume_kqueries_per_month(),
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
        // A retired cohort is written on the first record after its retirement, then no
        // longer: the table (and the recorder's memory) does not grow with dead cohorts.
        let since_last_record = record.gpus_every_ticks.max(1);
        let recorded = |c: &&GpuCohort| !c.retired || tick - c.retired_tick < since_last_record;
        for (id, cohort) in cohorts.iter().sort::<&AgentId>().filter(|(_, c)| recorded(c)) {
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
                structure: lease.structure.label(),
                extension_options_left: lease.extension_options_left,
                rvg_cap_usd: lease.rvg_cap_usd,
                rvg_end_date: month_date(start, lease.rvg_end_month),
                default_probability_1y: lease.default_probability_1y,
                exit_probability_1y: lease.exit_probability_1y,
                pool_id: lease.pool.map(|p| p.0),
            });
        }
    }
}

/// Records the securities, investors and holdings tables.
pub fn record_credit(
    params: Res<Params>,
    clock: Res<Clock>,
    directory: Res<Directory>,
    listed: Query<(&AgentId, &Listed)>,
    securities: Query<(&AgentId, &Security)>,
    institutions: Query<(&AgentId, &Institution)>,
    mut out: ResMut<Observations>,
) {
    let record = &params.record;
    let (tick, date) = (clock.tick, clock.date);
    let securities_due = due(&clock, record.securities_every_ticks);
    let investors_due = due(&clock, record.investors_every_ticks);
    let holdings_due = due(&clock, record.holdings_every_ticks);
    if !(securities_due || investors_due || holdings_due) {
        return;
    }
    let marks = Marks::new(listed.iter(), securities.iter());
    if securities_due {
        // (institutions holding it, their total share, the largest share)
        let mut held: BTreeMap<AgentId, (u32, f64, f64)> = BTreeMap::new();
        for (_, investor) in institutions.iter().sort::<&AgentId>() {
            for holding in &investor.holdings {
                let entry = held.entry(holding.asset).or_insert((0, 0.0, 0.0));
                entry.0 += 1;
                entry.1 += holding.units;
                entry.2 = entry.2.max(holding.units);
            }
        }
        for (id, security) in securities.iter().sort::<&AgentId>() {
            let (holders, institutional, largest) = held.get(id).copied().unwrap_or((0, 0.0, 0.0));
            out.securities.push(SecurityRow {
                tick,
                date,
                agent_id: id.0,
                kind: security.class.label(),
                issuer_id: security.issuer.0,
                sponsor_id: security.sponsor.0,
                status: security.status(),
                rating: security.rating.map_or("NR", Rating::label),
                agency_default_probability: security.agency_default_probability,
                model_default_probability: security.model_default_probability,
                expected_loss: security.expected_loss,
                original_principal_usd: security.original_principal_usd,
                principal_usd: security.tranche.principal_usd,
                coupon: security.tranche.coupon,
                attachment: security.attachment,
                detachment: security.detachment,
                price: security.price(),
                fair_price: security.fair_price,
                market_value_usd: security.market_value_usd(),
                realised_loss_usd: security.realised_loss_usd,
                interest_shortfall_usd: security.interest_shortfall_usd,
                retained_share: security.retained_share,
                institutional_share: institutional,
                outside_share: security.outside_share,
                holders: holders + u32::from(security.retained_share > 1e-9),
                largest_holder_share: largest.max(security.retained_share),
            });
        }
    }
    if investors_due {
        for (id, investor) in institutions.iter().sort::<&AgentId>() {
            let by_class = investor.value_by_class(&marks);
            let class = |c: AssetClass| by_class.get(&c).copied().unwrap_or(0.0);
            let leverage = investor.leverage(&marks);
            out.investors.push(InvestorRow {
                tick,
                date,
                agent_id: id.0,
                kind: investor.kind.label(),
                name: investor.name.clone(),
                nav_usd: investor.nav_usd(&marks),
                gross_assets_usd: investor.gross_assets_usd(&marks),
                cash_usd: investor.cash_usd,
                borrowing_usd: investor.borrowing_usd,
                leverage: leverage.is_finite().then_some(leverage),
                equities_usd: class(AssetClass::Equity),
                investment_grade_usd: class(AssetClass::InvestmentGrade),
                high_yield_usd: class(AssetClass::HighYield),
                margin_state: investor.margin_state.label(),
                forced_sales_usd: investor.forced_sales_today_usd,
                flow_usd: investor.flow_today_usd,
                pending_sales: investor.pending_sales.len() as u32,
                coupons_received_usd: investor.coupons_received_usd,
            });
        }
    }
    if holdings_due {
        for (id, investor) in institutions.iter().sort::<&AgentId>() {
            for holding in &investor.holdings {
                let security = securities.get(directory.get(holding.asset)).ok().map(|(_, s)| s);
                out.holdings.push(HoldingRow {
                    tick,
                    date,
                    agent_id: id.0,
                    kind: investor.kind.label(),
                    asset_id: holding.asset.0,
                    asset_kind: security.map_or("shares", |s| s.class.label()),
                    rating: security.map_or("-", |s| s.rating.map_or("NR", Rating::label)),
                    units: holding.units,
                    market_value_usd: marks.value_usd(holding.asset, holding.units),
                });
            }
        }
    }
}
