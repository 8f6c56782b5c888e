//! Every table bubblesim writes: the columns notebooks rely on (DESIGN §7). Each table
//! starts with `tick` and `date`; entity tables then have `agent_id` and a
//! dictionary-encoded `kind`.

use crate::schema::ColumnType::{Bool, Date32, Dict, F64, I64, U32, U64, Utf8};
use crate::schema::{ColumnSpec, TableSpec, col, nullable};

pub use crate::boom_tables::{bubble, flows};
pub use crate::economy_tables::{accounts, macroeconomy, regions};

pub(crate) fn time() -> [ColumnSpec; 2] {
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

pub(crate) fn table(name: &'static str, row: &'static str, head: impl IntoIterator<Item = ColumnSpec>, rest: Vec<ColumnSpec>) -> TableSpec {
    TableSpec {
        name,
        row,
        columns: head.into_iter().chain(rest).collect(),
    }
}

pub fn market() -> TableSpec {
    table(
        "market",
        "a listed firm, or an index (agent_id 0, kind `index`, told apart by name), on one trading day",
        entity("chipmaker, hyperscaler, cloud, carmaker (old economy, outside the AI index), or index"),
        vec![
            col(
                "name",
                Dict,
                "label",
                "firm name, or `ai-index` (listed AI firms) or `old-economy-index` (the others)",
            ),
            col("price_usd", F64, "USD per share (index: points)", "closing price"),
            col("log_return", F64, "log", "log return over the day"),
            col("market_cap_usd", F64, "USD", "price × shares (index: the sum over its firms)"),
            col(
                "fundamental_usd_per_share",
                F64,
                "USD per share (index: points)",
                "fundamentalists' value: max(trailing earnings × fair P/E, book × fair P/B)",
            ),
            col("drawdown", F64, "share", "fall from the highest close so far, 0–1"),
            col(
                "retail_net_buy_usd",
                F64,
                "USD",
                "retail investors' net purchases that day (agents' orders × retail.households_per_agent); for the carmaker, which is not in the retail basket, retail fundamentalists' implied orders for its mispricing",
            ),
            col(
                "volume_usd",
                F64,
                "USD",
                "value traded that day: retail buys and sells, institutions' rebalancing and forced sales (carmaker: retail fundamentalists' implied orders and forced sales; index: the sum over its firms)",
            ),
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
        entity("lab, hyperscaler, cloud, chipmaker, sponsor or spv"),
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
                "GPU impairments and write-offs, and stakes in failed labs written off, since the start",
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
            col(
                "retired",
                Bool,
                "flag",
                "taken out of service (a retired cohort appears on the first record after it retires, then no longer)",
            ),
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
            col(
                "break_date",
                Date32,
                "date",
                "first month the tenant may leave; for a lease-back, the start of the one-quarter notice window before end_date (an option date)",
            ),
            col("end_date", Date32, "date", "end of term"),
            col("rent_cuts", U32, "count", "rent cuts granted so far"),
            col("stress", F64, "score", "tenant stress at the last renegotiation window"),
            col(
                "structure",
                Dict,
                "label",
                "wholesale (a sponsor's building) or leaseback (an SPV's building let back to the hyperscaler it was built for)",
            ),
            col(
                "extension_options_left",
                U32,
                "count",
                "extension options the tenant may still take",
            ),
            col(
                "rvg_cap_usd",
                F64,
                "USD",
                "residual value guarantee: most the tenant pays if it leaves before rvg_end_date (0 = none)",
            ),
            col("rvg_end_date", Date32, "date", "end of the guarantee period"),
            col(
                "default_probability_1y",
                F64,
                "probability",
                "modelled one-year probability the tenant defaults (from its stress)",
            ),
            col(
                "exit_probability_1y",
                F64,
                "probability",
                "modelled one-year probability the tenant leaves at a break or option date",
            ),
            nullable("pool_id", U64, "id", "the pool this lease is collateral of, if securitised"),
        ],
    )
}

pub fn securities() -> TableSpec {
    table(
        "securities",
        "a lease-backed bond or tranche on one recorded trading day",
        entity("lease_bond (an SPV's bond), senior, mezzanine or equity (tranches of a sponsor's pool)"),
        vec![
            col("issuer_id", U64, "id", "the SPV or pool whose cash flows pay it"),
            col("sponsor_id", U64, "id", "the sponsor that arranged it and keeps what was not sold"),
            col(
                "status",
                Dict,
                "label",
                "performing; impaired (some principal written off); repaid; closed_with_loss (repaid in part, the rest written off); written_off (all lost); defaulted (its SPV defaulted: repaid from the building's sale, any shortfall written off)",
            ),
            col(
                "rating",
                Dict,
                "label",
                "agency rating: AAA, AA, A, BBB, BB, B, CCC/C; NR = unrated (the retained equity tranche)",
            ),
            col(
                "agency_default_probability",
                F64,
                "probability",
                "the agency's one-year default estimate behind the rating (lags and shades the model's)",
            ),
            col(
                "model_default_probability",
                F64,
                "probability",
                "modelled one-year probability that holders lose money (Vasicek for pools)",
            ),
            col("expected_loss", F64, "share", "modelled one-year expected loss, share of principal"),
            col("original_principal_usd", F64, "USD", "principal at issue"),
            col("principal_usd", F64, "USD", "principal outstanding"),
            col("coupon", F64, "per year", "coupon rate on outstanding principal"),
            col("attachment", F64, "share", "attachment point at issue (share of the pool's loans)"),
            col("detachment", F64, "share", "detachment point at issue"),
            col("price", F64, "per 100 of principal", "market price, after fire-sale discounts"),
            col("fair_price", F64, "per 100 of principal", "model price before fire-sale discounts"),
            col("market_value_usd", F64, "USD", "principal × price / 100"),
            col("realised_loss_usd", F64, "USD", "principal written off so far"),
            col("interest_shortfall_usd", F64, "USD", "interest due but unpaid so far"),
            col("retained_share", F64, "share", "share of the tranche the sponsor holds"),
            col("institutional_share", F64, "share", "share held by institutions"),
            col(
                "outside_share",
                F64,
                "share",
                "share the wider market bought in forced sales (retained + institutional + outside = 1 once placed)",
            ),
            col(
                "holders",
                U32,
                "count",
                "institutions holding it, plus the sponsor if it keeps some",
            ),
            col(
                "largest_holder_share",
                F64,
                "share",
                "the largest share held by one institution or the sponsor (the wider market's outside_share is many small holders)",
            ),
        ],
    )
}

pub fn investors() -> TableSpec {
    table(
        "investors",
        "an institutional investor on one recorded trading day, marked to market",
        entity("pension, insurer, mutual_fund or hedge_fund"),
        vec![
            col("name", Dict, "label", "investor name"),
            col("nav_usd", F64, "USD", "net asset value: gross assets − borrowing"),
            col("gross_assets_usd", F64, "USD", "cash + holdings at market"),
            col("cash_usd", F64, "USD", "cash"),
            col("borrowing_usd", F64, "USD", "debt to prime brokers (hedge funds)"),
            nullable(
                "leverage",
                F64,
                "ratio",
                "gross assets / NAV at the close (null once NAV is gone); margin calls are checked at the next day's opening marks",
            ),
            col("equities_usd", F64, "USD", "listed AI shares at market"),
            col("investment_grade_usd", F64, "USD", "securities rated BBB or better, at market"),
            col("high_yield_usd", F64, "USD", "securities rated below BBB or unrated, at market"),
            col("margin_state", Dict, "label", "normal, margin_call (met one today) or failed"),
            col("forced_sales_usd", F64, "USD", "forced sales today"),
            col(
                "flow_usd",
                F64,
                "USD",
                "investors' net flow today (mutual funds; negative = redemptions)",
            ),
            col(
                "pending_sales",
                U32,
                "count",
                "holdings it must still sell within its window (insurers)",
            ),
            col("coupons_received_usd", F64, "USD", "coupons received since the start"),
        ],
    )
}

pub fn holdings() -> TableSpec {
    table(
        "holdings",
        "one institution's holding of one asset on one recorded trading day",
        entity("the holder's kind: pension, insurer, mutual_fund or hedge_fund"),
        vec![
            col("asset_id", U64, "id", "the listed firm (shares) or the security"),
            col(
                "asset_kind",
                Dict,
                "label",
                "shares (of a listed firm), or the security's kind: lease_bond, senior, mezzanine, equity (tranche)",
            ),
            col("rating", Dict, "label", "the security's rating; `-` for shares"),
            col("units", F64, "shares, or share of the tranche", "amount held"),
            col("market_value_usd", F64, "USD", "at today's price"),
        ],
    )
}

pub fn events() -> TableSpec {
    table(
        "events",
        "one event",
        entity("what happened; every kind, with who its agent and counterparty are, is listed under “Event kinds” below"),
        vec![
            col(
                "sequence",
                U64,
                "count",
                "the event's place in the run (0, 1, 2 …): the order things happened, also within a day",
            ),
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
        securities(),
        investors(),
        holdings(),
        events(),
        flows(),
        bubble(),
        macroeconomy(),
        regions(),
        accounts(),
    ]
}
