//! The tables of markets and beliefs: `flows` (payments that buy lab equity or GPUs or
//! pay take-or-pay contracts, the circular loop among them) and `bubble` (the
//! Goldfarb–Kirsch index with its inputs).

use crate::schema::ColumnType::{Bool, Dict, F64, U32, U64};
use crate::schema::{TableSpec, col};
use crate::tables::{table, time};

pub fn flows() -> TableSpec {
    table(
        "flows",
        "one payment that buys lab equity or GPUs, or pays a take-or-pay compute contract, on the day it is made",
        time(),
        vec![
            col("from_id", U64, "id", "the payer"),
            col("from_name", Dict, "label", "the payer's name"),
            col("to_id", U64, "id", "the payee"),
            col("to_name", Dict, "label", "the payee's name"),
            col(
                "kind",
                Dict,
                "label",
                "chip_investment (chipmaker → lab equity, per GW installed), take_or_pay (lab → cloud), capacity_rent (cloud → lab: the market rent the contracted GPUs earned), gpu_purchase (provider → chipmaker), venture_round (VC fund → lab equity)",
            ),
            col("amount_usd", F64, "USD", "the payment"),
            col(
                "circular",
                Bool,
                "flag",
                "a leg of the chipmaker → lab → cloud → chipmaker loop (the chipmaker's investment, the contract's payments both ways, the GPUs bought for it)",
            ),
        ],
    )
}

pub fn bubble() -> TableSpec {
    table(
        "bubble",
        "the Goldfarb–Kirsch bubble index, its four factors and their inputs, on one trading day",
        time(),
        vec![
            col("total", U32, "score 0–8", "sum of the four factors"),
            col(
                "uncertainty",
                U32,
                "score 0–2",
                "mean of forecast_dispersion's and capex_to_revenue's scores, rounded up",
            ),
            col("pure_plays", U32, "score 0–2", "ai_capital_share's score"),
            col(
                "novice_investors",
                U32,
                "score 0–2",
                "mean of retail_flow_share's and novice_share's scores, rounded up",
            ),
            col("narrative", U32, "score 0–2", "hype's score"),
            col(
                "forecast_dispersion",
                F64,
                "log",
                "spread (std) of forecasters' log AI-revenue forecasts at forecasts.horizon_years",
            ),
            col("capex_to_revenue", F64, "ratio", "AI capex per year / AI end-user revenue per year"),
            col(
                "ai_capital_share",
                F64,
                "share",
                "share of this month's new venture capital going to AI pure plays",
            ),
            col(
                "retail_flow_share",
                F64,
                "share",
                "retail's share of the day's value traded in the AI firms",
            ),
            col("novice_share", F64, "share", "novices' share of retail investors"),
            col("hype", F64, "0–1", "the narrative's hype"),
            col(
                "consensus_growth",
                F64,
                "log per year",
                "forecasters' mean belief in AI revenue growth",
            ),
            col(
                "ai_capex_usd_per_year",
                F64,
                "USD per year",
                "GPU and building capex over the last (up to) 12 months, annualised",
            ),
            col(
                "ai_revenue_usd_per_year",
                F64,
                "USD per year",
                "AI product revenue of the last month × 12",
            ),
            col(
                "venture_ai_capital_usd",
                F64,
                "USD",
                "new venture capital allocated to AI this month",
            ),
            col(
                "venture_mark_return",
                F64,
                "share",
                "return of the VC funds' lab marks over venture.marks_lookback_months",
            ),
            col("adopters_piloting", U64, "count", "enterprises piloting AI"),
            col("adopters_paying", U64, "count", "enterprises past their pilot and still paying"),
            col(
                "adopters_with_return",
                U64,
                "count",
                "paying enterprises that see a measurable return",
            ),
            col("adopters_churned", U64, "count", "enterprises that stopped"),
            col("model_releases", U32, "count", "frontier model releases so far"),
            col(
                "last_capability_gain",
                F64,
                "capability",
                "gain of the latest release (0 before the first)",
            ),
            col(
                "circular_deployed_gw",
                F64,
                "GW",
                "contract capacity the cloud has installed (GPUs ordered for it count once installed)",
            ),
            col(
                "circular_active",
                Bool,
                "flag",
                "whether the deal stands: true from the start while it is being deployed and paid, false once its term is over, once unwound, or without a deal",
            ),
        ],
    )
}
