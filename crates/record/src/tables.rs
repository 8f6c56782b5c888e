//! Every table bubblesim writes: the columns notebooks rely on (DESIGN §7). Each table
//! starts with `tick` and `date`; entity tables then have `agent_id` and a
//! dictionary-encoded `kind`.

use crate::schema::ColumnType::{Bool, Date32, Dict, F64, I64, U32, U64, Utf8};
use crate::schema::{ColumnSpec, TableSpec, col, nullable};

fn time() -> [ColumnSpec; 2] {
    [
        col("tick", U32, "trading day", "ticks since the start (0 = first trading day)"),
        col("date", Date32, "date", "the trading day"),
    ]
}

fn entity(kind_meaning: &'static str) -> [ColumnSpec; 4] {
    let [tick, date] = time();
    [
        tick,
        date,
        col("agent_id", U64, "id", "stable agent id (same config and seed → same ids)"),
        col("kind", Dict, "label", kind_meaning),
    ]
}

fn table(name: &'static str, row: &'static str, head: impl IntoIterator<Item = ColumnSpec>, rest: Vec<ColumnSpec>) -> TableSpec {
    TableSpec {
        name,
        row,
        columns: head.into_iter().chain(rest).collect(),
    }
}

pub fn market() -> TableSpec {
    table(
        "market",
        "a listed firm, or the AI index (agent_id 0, kind `index`), on one trading day",
        entity("chipmaker, hyperscaler, cloud, or index"),
        vec![
            col("name", Dict, "label", "firm name, or `ai-index`"),
            col("price_usd", F64, "USD per share (index: points)", "closing price"),
            col("log_return", F64, "log", "log return over the day"),
            col("market_cap_usd", F64, "USD", "price × shares (index: all listed AI firms)"),
            col(
                "fundamental_usd_per_share",
                F64,
                "USD per share (index: points)",
                "fundamentalists' value: max(trailing earnings × fair P/E, book × fair P/B)",
            ),
            col("drawdown", F64, "share", "fall from the highest close so far, 0–1"),
            col("retail_net_buy_usd", F64, "USD", "retail investors' net purchases that day"),
        ],
    )
}

pub fn sentiment() -> TableSpec {
    table(
        "sentiment",
        "the retail population and the narrative on one trading day",
        time(),
        vec![
            col("hype", F64, "0–1", "narrative hype level"),
            col("hype_target", F64, "0–1", "level the hype reverts towards"),
            col(
                "ai_revenue_growth",
                F64,
                "per year",
                "growth of end-user AI revenue over the last ≤ 12 months",
            ),
            col("optimists", U64, "investors", "optimistic chartists"),
            col("pessimists", U64, "investors", "pessimistic chartists"),
            col("fundamentalists", U64, "investors", "fundamentalists"),
            col("opinion_index", F64, "−1…1", "(optimists − pessimists) / chartists"),
            col(
                "trend_per_year",
                F64,
                "log per year",
                "moving-average return of the AI index, annualised",
            ),
            col(
                "mispricing",
                F64,
                "share",
                "(fundamental − price) / price of the AI index, clamped to ±1",
            ),
            col("chartist_net_lots", I64, "lots", "chartists' net purchases"),
            col("fundamentalist_net_lots", I64, "lots", "fundamentalists' net purchases"),
        ],
    )
}

pub fn compute() -> TableSpec {
    table(
        "compute",
        "the compute market and end-user demand (monthly values) on one trading day",
        time(),
        vec![
            col(
                "rent_usd_per_h100_hour",
                F64,
                "USD per H100-equivalent hour",
                "market rent of compute",
            ),
            col(
                "cost_based_rent_usd_per_h100_hour",
                F64,
                "USD per H100-equivalent hour",
                "rent that just recovers the newest GPU's cost at target utilisation",
            ),
            col(
                "demand_h100_hours",
                F64,
                "H100-hours per month",
                "compute wanted by AI sellers (inference and training)",
            ),
            col(
                "supply_h100_hours",
                F64,
                "H100-hours per month",
                "compute the in-service fleet can deliver",
            ),
            col("utilisation", F64, "share", "share of supply in use"),
            col("served_share", F64, "share", "share of demand that found capacity"),
            col("newest_generation", U32, "index", "newest GPU generation shipped"),
            col(
                "newest_performance_h100",
                F64,
                "H100-equivalents",
                "throughput of the newest generation",
            ),
            col("newest_price_usd", F64, "USD per GPU", "list price of the newest generation"),
            col(
                "end_user_revenue_usd_per_month",
                F64,
                "USD per month",
                "what users pay for AI if every query is served",
            ),
            col("consumer_kqueries_per_month", F64, "thousand queries per month", "consumer volume"),
            col(
                "enterprise_kqueries_per_month",
                F64,
                "thousand queries per month",
                "enterprise volume",
            ),
            col(
                "share_queries_below_cost",
                F64,
                "share",
                "queries whose compute costs more than their price",
            ),
        ],
    )
}

pub fn firms() -> TableSpec {
    table(
        "firms",
        "a firm on one trading day (flows are those of the last closed month)",
        entity("lab, hyperscaler, cloud, chipmaker or sponsor"),
        vec![
            col("name", Dict, "label", "firm name"),
            col("active", Bool, "flag", "false once a lab has failed"),
            col("cash_usd", F64, "USD", "cash"),
            col("debt_usd", F64, "USD", "debt"),
            col("book_equity_usd", F64, "USD", "book equity"),
            col("revenue_last_month_usd", F64, "USD", "all revenue"),
            col(
                "ai_revenue_last_month_usd",
                F64,
                "USD",
                "AI product revenue plus compute rent received",
            ),
            col("compute_cost_last_month_usd", F64, "USD", "compute rent paid"),
            col(
                "earnings_last_month_usd",
                F64,
                "USD",
                "revenue less all costs, depreciation and impairments",
            ),
            col(
                "earnings_ttm_usd",
                F64,
                "USD per year",
                "trailing twelve-month earnings (annualised while fewer months are known)",
            ),
            col("capex_last_month_usd", F64, "USD", "GPU purchases or construction"),
            col(
                "impairments_cumulative_usd",
                F64,
                "USD",
                "GPU impairments and write-offs since the start",
            ),
            col("gpus_in_service", U64, "GPUs", "GPUs owned and in service"),
            nullable("share_price_usd", F64, "USD per share", "listed firms only"),
            nullable("market_cap_usd", F64, "USD", "listed firms only"),
            nullable(
                "share_queries_below_cost",
                F64,
                "share",
                "AI sellers only: queries whose compute costs more than their price",
            ),
        ],
    )
}

pub fn retail() -> TableSpec {
    table(
        "retail",
        "a retail investor on one recorded trading day",
        entity("retail"),
        vec![
            col("strategy", Dict, "label", "fundamentalist, optimist or pessimist"),
            col("novice", Bool, "flag", "a novice investor"),
            col("cash_usd", F64, "USD", "cash"),
            col(
                "ai_units",
                F64,
                "index units",
                "holding of the AI basket (one unit is worth the index level)",
            ),
            col("wealth_usd", F64, "USD", "cash plus holding at the index level"),
        ],
    )
}

pub fn datacenters() -> TableSpec {
    table(
        "datacenters",
        "a data-centre building on one recorded trading day",
        entity("datacenter"),
        vec![
            col("owner_id", U64, "id", "the sponsor that owns it"),
            nullable("tenant_id", U64, "id", "the tenant, if leased"),
            nullable("lease_id", U64, "id", "the lease in force, if any"),
            col("status", Dict, "label", "under_construction, leased or vacant"),
            col("capacity_mw", F64, "MW", "power capacity"),
            col(
                "committed_mw",
                F64,
                "MW",
                "power of the GPUs placed in it (in service or awaiting completion)",
            ),
            col("busy_mw", F64, "MW", "power of the GPUs running this month"),
            col("completion_date", Date32, "date", "first day of the month it is (or was) ready"),
        ],
    )
}

pub fn gpus() -> TableSpec {
    table(
        "gpus",
        "a GPU cohort on one recorded trading day",
        entity("gpu_cohort"),
        vec![
            col("owner_id", U64, "id", "the provider that owns it"),
            col("datacenter_id", U64, "id", "the building it is in"),
            col("generation", U32, "index", "GPU generation"),
            col("gpus", U32, "GPUs", "GPUs in the cohort"),
            col("performance_h100", F64, "H100-equivalents per GPU", "throughput per GPU"),
            col("price_usd_per_gpu", F64, "USD", "purchase price per GPU"),
            col(
                "install_date",
                Date32,
                "date",
                "first day of the month it entered (or enters) service",
            ),
            col("age_years", F64, "years", "time in service"),
            col("rent_usd_per_gpu_hour", F64, "USD per GPU-hour", "market rent for this generation"),
            col("utilisation", F64, "share", "share of hours rented this month"),
            col("economic_value_usd", F64, "USD", "present value of expected rents net of power"),
            col("book_value_usd", F64, "USD", "straight-line book value after impairments"),
            col("impaired", Bool, "flag", "written down at least once"),
            col("retired", Bool, "flag", "taken out of service"),
        ],
    )
}

pub fn leases() -> TableSpec {
    table(
        "leases",
        "a data-centre lease on one recorded trading day",
        entity("lease"),
        vec![
            col("tenant_id", U64, "id", "tenant (hyperscaler or cloud)"),
            col("landlord_id", U64, "id", "landlord (sponsor)"),
            col("datacenter_id", U64, "id", "the building"),
            col("status", Dict, "label", "active, broken, defaulted or expired"),
            col("rent_usd_per_month", F64, "USD per month", "current rent"),
            col("start_date", Date32, "date", "first month rent is due"),
            col("break_date", Date32, "date", "first month the break option can be used"),
            col("end_date", Date32, "date", "end of term"),
            col("rent_cuts", U32, "count", "rent cuts granted so far"),
            col("stress", F64, "score", "tenant stress at the last renegotiation window"),
        ],
    )
}

pub fn events() -> TableSpec {
    table(
        "events",
        "one event",
        entity(
            "what happened: generation_release, gpu_order, datacenter_commissioned, datacenter_relet, impairment, retirement, lease_rent_cut, lease_break, lease_default, lease_expiry, funding_round, lab_failure",
        ),
        vec![
            nullable("counterparty_id", U64, "id", "the other party, if any"),
            nullable("amount_usd", F64, "USD", "the amount involved, if any"),
            col("detail", Utf8, "text", "a short description"),
        ],
    )
}

/// Every table, in the order they are documented.
pub fn all() -> Vec<TableSpec> {
    vec![
        market(),
        sentiment(),
        compute(),
        firms(),
        retail(),
        datacenters(),
        gpus(),
        leases(),
        events(),
    ]
}
