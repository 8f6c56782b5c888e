//! Glue between the model's rows and the recorder's tables: one function per table
//! turns a batch of rows into columns in the order `bubblesim_record::tables` lists them
//! (the writer checks names' count and types, so a mismatch fails loudly in the tests).

use std::collections::BTreeMap;
use std::path::Path;

use bubblesim_model::Observations;
use bubblesim_model::tick::observe::{
    ComputeRow, DatacenterRow, FirmRow, GpuRow, HoldingRow, InvestorRow, LeaseRow, MarketRow, RetailRow, SecurityRow, SentimentRow,
};
use bubblesim_model::tick::observe_boom::{BubbleRow, FlowRow};
use bubblesim_model::{Event, EventKind};
use bubblesim_record::{ColumnData, RecordError, TablePosition, TableSpec, TableWriter, WriterOptions, checkpoint_path, tables};

use crate::economy_tables;

use ColumnData as C;

fn map<T, U>(rows: &[T], f: impl Fn(&T) -> U) -> Vec<U> {
    rows.iter().map(f).collect()
}

fn market(rows: &[MarketRow]) -> Vec<ColumnData> {
    vec![
        C::U32(map(rows, |r| r.tick)),
        C::Date32(map(rows, |r| r.date)),
        C::U64(map(rows, |r| r.agent_id)),
        C::Label(map(rows, |r| r.kind)),
        C::Name(map(rows, |r| r.name.clone())),
        C::F64(map(rows, |r| r.price_usd)),
        C::F64(map(rows, |r| r.log_return)),
        C::F64(map(rows, |r| r.market_cap_usd)),
        C::F64(map(rows, |r| r.fundamental_usd_per_share)),
        C::F64(map(rows, |r| r.drawdown)),
        C::F64(map(rows, |r| r.retail_net_buy_usd)),
        C::F64(map(rows, |r| r.volume_usd)),
    ]
}

fn sentiment(rows: &[SentimentRow]) -> Vec<ColumnData> {
    vec![
        C::U32(map(rows, |r| r.tick)),
        C::Date32(map(rows, |r| r.date)),
        C::F64(map(rows, |r| r.hype)),
        C::F64(map(rows, |r| r.hype_target)),
        C::F64(map(rows, |r| r.ai_revenue_growth)),
        C::U64(map(rows, |r| r.optimists)),
        C::U64(map(rows, |r| r.pessimists)),
        C::U64(map(rows, |r| r.fundamentalists)),
        C::F64(map(rows, |r| r.opinion_index)),
        C::F64(map(rows, |r| r.trend_per_year)),
        C::F64(map(rows, |r| r.mispricing)),
        C::I64(map(rows, |r| r.chartist_net_lots)),
        C::I64(map(rows, |r| r.fundamentalist_net_lots)),
    ]
}

fn compute(rows: &[ComputeRow]) -> Vec<ColumnData> {
    vec![
        C::U32(map(rows, |r| r.tick)),
        C::Date32(map(rows, |r| r.date)),
        C::F64(map(rows, |r| r.rent_usd_per_h100_hour)),
        C::F64(map(rows, |r| r.cost_based_rent_usd_per_h100_hour)),
        C::F64(map(rows, |r| r.demand_h100_hours)),
        C::F64(map(rows, |r| r.supply_h100_hours)),
        C::F64(map(rows, |r| r.utilisation)),
        C::F64(map(rows, |r| r.served_share)),
        C::U32(map(rows, |r| r.newest_generation)),
        C::F64(map(rows, |r| r.newest_performance_h100)),
        C::F64(map(rows, |r| r.newest_price_usd)),
        C::F64(map(rows, |r| r.end_user_revenue_usd_per_month)),
        C::F64(map(rows, |r| r.consumer_kqueries_per_month)),
        C::F64(map(rows, |r| r.enterprise_kqueries_per_month)),
        C::F64(map(rows, |r| r.share_queries_below_cost)),
    ]
}

fn firms(rows: &[FirmRow]) -> Vec<ColumnData> {
    vec![
        C::U32(map(rows, |r| r.tick)),
        C::Date32(map(rows, |r| r.date)),
        C::U64(map(rows, |r| r.agent_id)),
        C::Label(map(rows, |r| r.kind)),
        C::Name(map(rows, |r| r.name.clone())),
        C::Bool(map(rows, |r| r.active)),
        C::F64(map(rows, |r| r.cash_usd)),
        C::F64(map(rows, |r| r.debt_usd)),
        C::F64(map(rows, |r| r.book_equity_usd)),
        C::F64(map(rows, |r| r.revenue_last_month_usd)),
        C::F64(map(rows, |r| r.ai_revenue_last_month_usd)),
        C::F64(map(rows, |r| r.compute_cost_last_month_usd)),
        C::F64(map(rows, |r| r.earnings_last_month_usd)),
        C::F64(map(rows, |r| r.earnings_ttm_usd)),
        C::F64(map(rows, |r| r.capex_last_month_usd)),
        C::F64(map(rows, |r| r.impairments_cumulative_usd)),
        C::U64(map(rows, |r| r.gpus_in_service)),
        C::OptF64(map(rows, |r| r.share_price_usd)),
        C::OptF64(map(rows, |r| r.market_cap_usd)),
        C::OptF64(map(rows, |r| r.share_queries_below_cost)),
    ]
}

fn retail(rows: &[RetailRow]) -> Vec<ColumnData> {
    vec![
        C::U32(map(rows, |r| r.tick)),
        C::Date32(map(rows, |r| r.date)),
        C::U64(map(rows, |r| r.agent_id)),
        C::Label(map(rows, |_| "retail")),
        C::Label(map(rows, |r| r.strategy)),
        C::Bool(map(rows, |r| r.novice)),
        C::F64(map(rows, |r| r.cash_usd)),
        C::F64(map(rows, |r| r.ai_units)),
        C::F64(map(rows, |r| r.wealth_usd)),
    ]
}

fn datacenters(rows: &[DatacenterRow]) -> Vec<ColumnData> {
    vec![
        C::U32(map(rows, |r| r.tick)),
        C::Date32(map(rows, |r| r.date)),
        C::U64(map(rows, |r| r.agent_id)),
        C::Label(map(rows, |_| "datacenter")),
        C::U64(map(rows, |r| r.owner_id)),
        C::OptU64(map(rows, |r| r.tenant_id)),
        C::OptU64(map(rows, |r| r.lease_id)),
        C::Label(map(rows, |r| r.status)),
        C::F64(map(rows, |r| r.capacity_mw)),
        C::F64(map(rows, |r| r.committed_mw)),
        C::F64(map(rows, |r| r.busy_mw)),
        C::Date32(map(rows, |r| r.completion_date)),
    ]
}

fn gpus(rows: &[GpuRow]) -> Vec<ColumnData> {
    vec![
        C::U32(map(rows, |r| r.tick)),
        C::Date32(map(rows, |r| r.date)),
        C::U64(map(rows, |r| r.agent_id)),
        C::Label(map(rows, |_| "gpu_cohort")),
        C::U64(map(rows, |r| r.owner_id)),
        C::U64(map(rows, |r| r.datacenter_id)),
        C::U32(map(rows, |r| r.generation)),
        C::U32(map(rows, |r| r.gpus)),
        C::F64(map(rows, |r| r.performance_h100)),
        C::F64(map(rows, |r| r.price_usd_per_gpu)),
        C::Date32(map(rows, |r| r.install_date)),
        C::F64(map(rows, |r| r.age_years)),
        C::F64(map(rows, |r| r.rent_usd_per_gpu_hour)),
        C::F64(map(rows, |r| r.utilisation)),
        C::F64(map(rows, |r| r.economic_value_usd)),
        C::F64(map(rows, |r| r.book_value_usd)),
        C::Bool(map(rows, |r| r.impaired)),
        C::Bool(map(rows, |r| r.retired)),
    ]
}

fn leases(rows: &[LeaseRow]) -> Vec<ColumnData> {
    vec![
        C::U32(map(rows, |r| r.tick)),
        C::Date32(map(rows, |r| r.date)),
        C::U64(map(rows, |r| r.agent_id)),
        C::Label(map(rows, |_| "lease")),
        C::U64(map(rows, |r| r.tenant_id)),
        C::U64(map(rows, |r| r.landlord_id)),
        C::U64(map(rows, |r| r.datacenter_id)),
        C::Label(map(rows, |r| r.status)),
        C::F64(map(rows, |r| r.rent_usd_per_month)),
        C::Date32(map(rows, |r| r.start_date)),
        C::Date32(map(rows, |r| r.break_date)),
        C::Date32(map(rows, |r| r.end_date)),
        C::U32(map(rows, |r| r.rent_cuts)),
        C::F64(map(rows, |r| r.stress)),
        C::Label(map(rows, |r| r.structure)),
        C::U32(map(rows, |r| r.extension_options_left)),
        C::F64(map(rows, |r| r.rvg_cap_usd)),
        C::Date32(map(rows, |r| r.rvg_end_date)),
        C::F64(map(rows, |r| r.default_probability_1y)),
        C::F64(map(rows, |r| r.exit_probability_1y)),
        C::OptU64(map(rows, |r| r.pool_id)),
    ]
}

fn securities(rows: &[SecurityRow]) -> Vec<ColumnData> {
    vec![
        C::U32(map(rows, |r| r.tick)),
        C::Date32(map(rows, |r| r.date)),
        C::U64(map(rows, |r| r.agent_id)),
        C::Label(map(rows, |r| r.kind)),
        C::U64(map(rows, |r| r.issuer_id)),
        C::U64(map(rows, |r| r.sponsor_id)),
        C::Label(map(rows, |r| r.status)),
        C::Label(map(rows, |r| r.rating)),
        C::F64(map(rows, |r| r.agency_default_probability)),
        C::F64(map(rows, |r| r.model_default_probability)),
        C::F64(map(rows, |r| r.expected_loss)),
        C::F64(map(rows, |r| r.original_principal_usd)),
        C::F64(map(rows, |r| r.principal_usd)),
        C::F64(map(rows, |r| r.coupon)),
        C::F64(map(rows, |r| r.attachment)),
        C::F64(map(rows, |r| r.detachment)),
        C::F64(map(rows, |r| r.price)),
        C::F64(map(rows, |r| r.fair_price)),
        C::F64(map(rows, |r| r.market_value_usd)),
        C::F64(map(rows, |r| r.realised_loss_usd)),
        C::F64(map(rows, |r| r.interest_shortfall_usd)),
        C::F64(map(rows, |r| r.retained_share)),
        C::F64(map(rows, |r| r.institutional_share)),
        C::F64(map(rows, |r| r.outside_share)),
        C::U32(map(rows, |r| r.holders)),
        C::F64(map(rows, |r| r.largest_holder_share)),
    ]
}

fn investors(rows: &[InvestorRow]) -> Vec<ColumnData> {
    vec![
        C::U32(map(rows, |r| r.tick)),
        C::Date32(map(rows, |r| r.date)),
        C::U64(map(rows, |r| r.agent_id)),
        C::Label(map(rows, |r| r.kind)),
        C::Name(map(rows, |r| r.name.clone())),
        C::F64(map(rows, |r| r.nav_usd)),
        C::F64(map(rows, |r| r.gross_assets_usd)),
        C::F64(map(rows, |r| r.cash_usd)),
        C::F64(map(rows, |r| r.borrowing_usd)),
        C::OptF64(map(rows, |r| r.leverage)),
        C::F64(map(rows, |r| r.equities_usd)),
        C::F64(map(rows, |r| r.investment_grade_usd)),
        C::F64(map(rows, |r| r.high_yield_usd)),
        C::Label(map(rows, |r| r.margin_state)),
        C::F64(map(rows, |r| r.forced_sales_usd)),
        C::F64(map(rows, |r| r.flow_usd)),
        C::U32(map(rows, |r| r.pending_sales)),
        C::F64(map(rows, |r| r.coupons_received_usd)),
    ]
}

fn holdings(rows: &[HoldingRow]) -> Vec<ColumnData> {
    vec![
        C::U32(map(rows, |r| r.tick)),
        C::Date32(map(rows, |r| r.date)),
        C::U64(map(rows, |r| r.agent_id)),
        C::Label(map(rows, |r| r.kind)),
        C::U64(map(rows, |r| r.asset_id)),
        C::Label(map(rows, |r| r.asset_kind)),
        C::Label(map(rows, |r| r.rating)),
        C::F64(map(rows, |r| r.units)),
        C::F64(map(rows, |r| r.market_value_usd)),
    ]
}

/// The event kinds and their meanings, appended to the schema reference.
pub fn event_kinds_markdown() -> String {
    let mut text = String::from(
        "## Event kinds\n\nThe `kind` column of `events`, and who `agent_id` and `counterparty_id` are.\n\n| kind | meaning |\n|---|---|\n",
    );
    for kind in EventKind::ALL {
        text.push_str(&format!("| `{}` | {} |\n", kind.label(), kind.meaning()));
    }
    text
}

fn events(rows: &[Event]) -> Vec<ColumnData> {
    vec![
        C::U32(map(rows, |r| r.tick)),
        C::Date32(map(rows, |r| r.date)),
        C::U64(map(rows, |r| r.agent.0)),
        C::Label(map(rows, |r| EventKind::label(r.kind))),
        C::U64(map(rows, |r| r.sequence)),
        C::OptU64(map(rows, |r| r.counterparty.map(|c| c.0))),
        C::OptF64(map(rows, |r| r.amount_usd)),
        C::Utf8(map(rows, |r| r.detail.clone())),
    ]
}

fn flows(rows: &[FlowRow]) -> Vec<ColumnData> {
    vec![
        C::U32(map(rows, |r| r.tick)),
        C::Date32(map(rows, |r| r.date)),
        C::U64(map(rows, |r| r.from_id)),
        C::Name(map(rows, |r| r.from_name.clone())),
        C::U64(map(rows, |r| r.to_id)),
        C::Name(map(rows, |r| r.to_name.clone())),
        C::Label(map(rows, |r| r.kind)),
        C::F64(map(rows, |r| r.amount_usd)),
        C::Bool(map(rows, |r| r.circular)),
    ]
}

fn bubble(rows: &[BubbleRow]) -> Vec<ColumnData> {
    vec![
        C::U32(map(rows, |r| r.tick)),
        C::Date32(map(rows, |r| r.date)),
        C::U32(map(rows, |r| u32::from(r.index.total()))),
        C::U32(map(rows, |r| u32::from(r.index.uncertainty))),
        C::U32(map(rows, |r| u32::from(r.index.pure_plays))),
        C::U32(map(rows, |r| u32::from(r.index.novice_investors))),
        C::U32(map(rows, |r| u32::from(r.index.narrative))),
        C::F64(map(rows, |r| r.index.inputs.forecast_dispersion)),
        C::F64(map(rows, |r| r.index.inputs.capex_to_revenue)),
        C::F64(map(rows, |r| r.index.inputs.ai_capital_share)),
        C::F64(map(rows, |r| r.index.inputs.retail_flow_share)),
        C::F64(map(rows, |r| r.index.inputs.novice_share)),
        C::F64(map(rows, |r| r.index.inputs.hype)),
        C::F64(map(rows, |r| r.consensus_growth)),
        C::F64(map(rows, |r| r.ai_capex_usd_per_year)),
        C::F64(map(rows, |r| r.ai_revenue_usd_per_year)),
        C::F64(map(rows, |r| r.venture_ai_capital_usd)),
        C::F64(map(rows, |r| r.venture_mark_return)),
        C::U64(map(rows, |r| r.adopters_piloting)),
        C::U64(map(rows, |r| r.adopters_paying)),
        C::U64(map(rows, |r| r.adopters_with_return)),
        C::U64(map(rows, |r| r.adopters_churned)),
        C::U32(map(rows, |r| r.model_releases)),
        C::F64(map(rows, |r| r.last_capability_gain)),
        C::F64(map(rows, |r| r.circular_deployed_gw)),
        C::Bool(map(rows, |r| r.circular_active)),
    ]
}

/// One open writer per table.
pub struct TableSet {
    market: TableWriter,
    sentiment: TableWriter,
    compute: TableWriter,
    firms: TableWriter,
    retail: TableWriter,
    datacenters: TableWriter,
    gpus: TableWriter,
    leases: TableWriter,
    securities: TableWriter,
    investors: TableWriter,
    holdings: TableWriter,
    events: TableWriter,
    flows: TableWriter,
    bubble: TableWriter,
    macroeconomy: TableWriter,
    regions: TableWriter,
    accounts: TableWriter,
}

impl TableSet {
    /// Starts every table of a new run in `dir`.
    pub fn create(dir: &Path, options: &WriterOptions) -> Result<Self, RecordError> {
        Self::open(|spec| TableWriter::create(dir, spec, options))
    }

    /// Continues every table from a checkpoint's positions.
    pub fn resume(dir: &Path, options: &WriterOptions, positions: &BTreeMap<String, TablePosition>) -> Result<Self, RecordError> {
        Self::open(|spec| {
            let position = positions.get(spec.name).ok_or_else(|| RecordError::Damaged {
                path: checkpoint_path(dir),
                reason: format!("it does not say where table `{}` stood", spec.name),
            })?;
            TableWriter::resume(dir, spec, options, position)
        })
    }

    fn open(mut writer: impl FnMut(TableSpec) -> Result<TableWriter, RecordError>) -> Result<Self, RecordError> {
        Ok(Self {
            market: writer(tables::market())?,
            sentiment: writer(tables::sentiment())?,
            compute: writer(tables::compute())?,
            firms: writer(tables::firms())?,
            retail: writer(tables::retail())?,
            datacenters: writer(tables::datacenters())?,
            gpus: writer(tables::gpus())?,
            leases: writer(tables::leases())?,
            securities: writer(tables::securities())?,
            investors: writer(tables::investors())?,
            holdings: writer(tables::holdings())?,
            events: writer(tables::events())?,
            flows: writer(tables::flows())?,
            bubble: writer(tables::bubble())?,
            macroeconomy: writer(tables::macroeconomy())?,
            regions: writer(tables::regions())?,
            accounts: writer(tables::accounts())?,
        })
    }

    /// Hands a batch of observations to the writers.
    pub fn write(&mut self, rows: Observations) -> Result<(), RecordError> {
        self.market.push(market(&rows.market))?;
        self.sentiment.push(sentiment(&rows.sentiment))?;
        self.compute.push(compute(&rows.compute))?;
        self.firms.push(firms(&rows.firms))?;
        self.retail.push(retail(&rows.retail))?;
        self.datacenters.push(datacenters(&rows.datacenters))?;
        self.gpus.push(gpus(&rows.gpus))?;
        self.leases.push(leases(&rows.leases))?;
        self.securities.push(securities(&rows.securities))?;
        self.investors.push(investors(&rows.investors))?;
        self.holdings.push(holdings(&rows.holdings))?;
        self.events.push(events(&rows.events))?;
        self.flows.push(flows(&rows.flows))?;
        self.bubble.push(bubble(&rows.bubble))?;
        self.macroeconomy.push(economy_tables::macroeconomy(&rows.macroeconomy))?;
        self.regions.push(economy_tables::regions(&rows.regions))?;
        self.accounts.push(economy_tables::accounts(&rows.accounts))
    }

    fn writers(self) -> [TableWriter; 17] {
        [
            self.market,
            self.sentiment,
            self.compute,
            self.firms,
            self.retail,
            self.datacenters,
            self.gpus,
            self.leases,
            self.securities,
            self.investors,
            self.holdings,
            self.events,
            self.flows,
            self.bubble,
            self.macroeconomy,
            self.regions,
            self.accounts,
        ]
    }

    fn writers_mut(&mut self) -> [&mut TableWriter; 17] {
        [
            &mut self.market,
            &mut self.sentiment,
            &mut self.compute,
            &mut self.firms,
            &mut self.retail,
            &mut self.datacenters,
            &mut self.gpus,
            &mut self.leases,
            &mut self.securities,
            &mut self.investors,
            &mut self.holdings,
            &mut self.events,
            &mut self.flows,
            &mut self.bubble,
            &mut self.macroeconomy,
            &mut self.regions,
            &mut self.accounts,
        ]
    }

    /// Makes every table durable for checkpoint `sequence`; returns where each stands.
    pub fn checkpoint(&mut self, sequence: u64) -> Result<BTreeMap<String, TablePosition>, RecordError> {
        self.writers_mut()
            .into_iter()
            .map(|writer| Ok((writer.name().to_owned(), writer.checkpoint(sequence)?)))
            .collect()
    }

    /// Closes every file; returns rows written per table.
    pub fn finish(self) -> Result<Vec<(&'static str, u64)>, RecordError> {
        self.writers()
            .into_iter()
            .map(|writer| {
                let name = writer.name();
                writer.finish().map(|rows| (name, rows))
            })
            .collect()
    }
}
