//! The `securities`, `investors` and `holdings` tables: every bond and tranche, every
//! institution marked to market, and who holds what — the rows, their columns and the
//! system that records them.

use std::collections::BTreeMap;
use std::sync::Arc;

use bevy_ecs::prelude::*;
use bubblesim_schema::{Column, Row};

use crate::common::calendar::Clock;
use crate::common::directory::Directory;
use crate::common::ids::AgentId;
use crate::common::rows::Rows;
use crate::finance::credit::Rating;
use crate::finance::institutions::{AssetClass, Institution, Marks};
use crate::finance::securities::Security;
use crate::firms::listed::Listed;

/// One security (bond or tranche) on one tick.
#[derive(Debug, Clone, PartialEq)]
pub struct SecurityRow {
    /// Ticks since the start.
    pub tick: u32,
    /// The trading day.
    pub date: i32,
    /// The security's id.
    pub agent_id: u64,
    /// The security.
    pub security: Security,
    /// Institutions holding it.
    pub institution_holders: u32,
    /// The share of the tranche institutions hold.
    pub institutional_share: f64,
    /// The largest share one institution holds.
    pub largest_institution_share: f64,
}

impl Row for SecurityRow {
    const TABLE: &'static str = "securities";
    const ROW: &'static str = "a lease-backed bond or tranche on one recorded trading day";
    const COLUMNS: &'static [Column<Self>] = &[
        Column::tick(|r| r.tick),
        Column::date(|r| r.date),
        Column::agent_id(|r| r.agent_id),
        Column::kind(
            "lease_bond (an SPV's bond), senior, mezzanine or equity (tranches of a sponsor's pool)",
            |r| r.security.class.label(),
        ),
        Column::u64("issuer_id", "id", "the SPV or pool whose cash flows pay it", |r| {
            r.security.issuer.0
        }),
        Column::u64(
            "sponsor_id",
            "id",
            "the sponsor that arranged it and keeps what was not sold",
            |r| r.security.sponsor.0,
        ),
        Column::dict(
            "status",
            "label",
            "performing; impaired (some principal written off); repaid; closed_with_loss (repaid in part, the rest written off); written_off (all lost); defaulted (its SPV defaulted: repaid from the building's sale, any shortfall written off)",
            |r| r.security.status(),
        ),
        Column::dict(
            "rating",
            "label",
            "agency rating: AAA, AA, A, BBB, BB, B, CCC/C; NR = unrated (the retained equity tranche)",
            |r| r.security.rating.map_or("NR", Rating::label),
        ),
        Column::f64(
            "agency_default_probability",
            "probability",
            "the agency's one-year default estimate behind the rating (lags and shades the model's)",
            |r| r.security.agency_default_probability,
        ),
        Column::f64(
            "model_default_probability",
            "probability",
            "modelled one-year probability that holders lose money (Vasicek for pools)",
            |r| r.security.model_default_probability,
        ),
        Column::f64(
            "expected_loss",
            "share",
            "modelled one-year expected loss, share of principal",
            |r| r.security.expected_loss,
        ),
        Column::f64("original_principal_usd", "USD", "principal at issue", |r| {
            r.security.original_principal_usd
        }),
        Column::f64("principal_usd", "USD", "principal outstanding", |r| {
            r.security.tranche.principal_usd
        }),
        Column::f64("coupon", "per year", "coupon rate on outstanding principal", |r| {
            r.security.tranche.coupon
        }),
        Column::f64(
            "attachment",
            "share",
            "attachment point at issue (share of the pool's loans)",
            |r| r.security.attachment,
        ),
        Column::f64("detachment", "share", "detachment point at issue", |r| r.security.detachment),
        Column::f64("price", "per 100 of principal", "market price, after fire-sale discounts", |r| {
            r.security.price()
        }),
        Column::f64(
            "fair_price",
            "per 100 of principal",
            "model price before fire-sale discounts",
            |r| r.security.fair_price,
        ),
        Column::f64("market_value_usd", "USD", "principal × price / 100", |r| {
            r.security.market_value_usd()
        }),
        Column::f64("realised_loss_usd", "USD", "principal written off so far", |r| {
            r.security.realised_loss_usd
        }),
        Column::f64("interest_shortfall_usd", "USD", "interest due but unpaid so far", |r| {
            r.security.interest_shortfall_usd
        }),
        Column::f64("retained_share", "share", "share of the tranche the sponsor holds", |r| {
            r.security.retained_share
        }),
        Column::f64("institutional_share", "share", "share held by institutions", |r| {
            r.institutional_share
        }),
        Column::f64(
            "outside_share",
            "share",
            "share the wider market bought in forced sales (retained + institutional + outside = 1 once placed)",
            |r| r.security.outside_share,
        ),
        Column::u32(
            "holders",
            "count",
            "institutions holding it, plus the sponsor if it keeps some",
            |r| r.institution_holders + u32::from(r.security.retained_share > 1e-9),
        ),
        Column::f64(
            "largest_holder_share",
            "share",
            "the largest share held by one institution or the sponsor (the wider market's outside_share is many small holders)",
            |r| r.largest_institution_share.max(r.security.retained_share),
        ),
    ];
}

/// One institutional investor on one tick.
#[derive(Debug, Clone, PartialEq)]
#[allow(missing_docs, reason = "each field is the column of the same name, documented in `COLUMNS`")]
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

impl Row for InvestorRow {
    const TABLE: &'static str = "investors";
    const ROW: &'static str = "an institutional investor on one recorded trading day, marked to market";
    const COLUMNS: &'static [Column<Self>] = &[
        Column::tick(|r| r.tick),
        Column::date(|r| r.date),
        Column::agent_id(|r| r.agent_id),
        Column::kind("pension, insurer, mutual_fund or hedge_fund", |r| r.kind),
        Column::dict("name", "label", "investor name", |r| &r.name),
        Column::f64("nav_usd", "USD", "net asset value: gross assets − borrowing", |r| r.nav_usd),
        Column::f64("gross_assets_usd", "USD", "cash + holdings at market", |r| r.gross_assets_usd),
        Column::f64("cash_usd", "USD", "cash", |r| r.cash_usd),
        Column::f64("borrowing_usd", "USD", "debt to prime brokers (hedge funds)", |r| r.borrowing_usd),
        Column::opt_f64(
            "leverage",
            "ratio",
            "gross assets / NAV at the close (null once NAV is gone); margin calls are checked at the next day's opening marks",
            |r| r.leverage,
        ),
        Column::f64("equities_usd", "USD", "listed AI shares at market", |r| r.equities_usd),
        Column::f64("investment_grade_usd", "USD", "securities rated BBB or better, at market", |r| {
            r.investment_grade_usd
        }),
        Column::f64("high_yield_usd", "USD", "securities rated below BBB or unrated, at market", |r| {
            r.high_yield_usd
        }),
        Column::dict("margin_state", "label", "normal, margin_call (met one today) or failed", |r| {
            r.margin_state
        }),
        Column::f64("forced_sales_usd", "USD", "forced sales today", |r| r.forced_sales_usd),
        Column::f64(
            "flow_usd",
            "USD",
            "investors' net flow today (mutual funds; negative = redemptions)",
            |r| r.flow_usd,
        ),
        Column::u32(
            "pending_sales",
            "count",
            "holdings it must still sell within its window (insurers)",
            |r| r.pending_sales,
        ),
        Column::f64("coupons_received_usd", "USD", "coupons received since the start", |r| {
            r.coupons_received_usd
        }),
    ];
}

/// One institution's holding of one asset on one tick.
#[derive(Debug, Clone, PartialEq)]
#[allow(missing_docs, reason = "each field is the column of the same name, documented in `COLUMNS`")]
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

impl Row for HoldingRow {
    const TABLE: &'static str = "holdings";
    const ROW: &'static str = "one institution's holding of one asset on one recorded trading day";
    const COLUMNS: &'static [Column<Self>] = &[
        Column::tick(|r| r.tick),
        Column::date(|r| r.date),
        Column::agent_id(|r| r.agent_id),
        Column::kind("the holder's kind: pension, insurer, mutual_fund or hedge_fund", |r| r.kind),
        Column::u64("asset_id", "id", "the listed firm (shares) or the security", |r| r.asset_id),
        Column::dict(
            "asset_kind",
            "label",
            "shares (of a listed firm), or the security's kind: lease_bond, senior, mezzanine, equity (tranche)",
            |r| r.asset_kind,
        ),
        Column::dict("rating", "label", "the security's rating; `-` for shares", |r| r.rating),
        Column::f64("units", "shares, or share of the tranche", "amount held", |r| r.units),
        Column::f64("market_value_usd", "USD", "at today's price", |r| r.market_value_usd),
    ];
}

/// The three tables' buffers.
type CreditRows<'w> = (
    ResMut<'w, Rows<SecurityRow>>,
    ResMut<'w, Rows<InvestorRow>>,
    ResMut<'w, Rows<HoldingRow>>,
);

/// Records the securities, investors and holdings tables.
pub fn record_credit(
    clock: Res<Clock>,
    directory: Res<Directory>,
    listed: Query<(&AgentId, &Listed)>,
    securities: Query<(&AgentId, &Security)>,
    institutions: Query<(&AgentId, &Institution)>,
    (mut security_rows, mut investor_rows, mut holding_rows): CreditRows,
) {
    let (tick, date) = (clock.tick, clock.date);
    let securities_due = security_rows.due(&clock);
    let investors_due = investor_rows.due(&clock);
    let holdings_due = holding_rows.due(&clock);
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
            security_rows.push(SecurityRow {
                tick,
                date,
                agent_id: id.0,
                security: security.clone(),
                institution_holders: holders,
                institutional_share: institutional,
                largest_institution_share: largest,
            });
        }
    }
    if investors_due {
        for (id, investor) in institutions.iter().sort::<&AgentId>() {
            let by_class = investor.value_by_class(&marks);
            let class = |c: AssetClass| by_class.get(&c).copied().unwrap_or(0.0);
            let leverage = investor.leverage(&marks);
            investor_rows.push(InvestorRow {
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
                holding_rows.push(HoldingRow {
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
