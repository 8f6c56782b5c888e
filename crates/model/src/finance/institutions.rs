//! Institutional investors (docs/model.md#institutional-investors): pension funds,
//! insurers, mutual funds and leveraged hedge funds. Each holds cash, shares of the
//! listed AI firms and units of lease-backed securities (a unit is the whole tranche,
//! so holdings are shares of it), marked to market every tick. They buy securities at
//! issue, pro rata to how far each is below its target allocation and within its cash,
//! and only down to its minimum rating; whatever they do not buy the sponsor keeps.
//! Coupons and principal reach them monthly in proportion to their units. What they are
//! forced to sell, and when, is in `fire_sales`.

use std::collections::BTreeMap;
use std::sync::Arc;

use bevy_ecs::prelude::*;

use crate::common::calendar::Clock;
use crate::common::directory::Directory;
use crate::common::events::EventKind;
use crate::common::ids::AgentId;
use crate::common::params::Params;
use crate::finance::credit::Rating;
use crate::finance::securities::{Security, SecurityCashflows};
use crate::firms::listed::Listed;
use crate::money::bookkeeping::FirmBooks;
use crate::money::ledger::{Ledger, REST_OF_ECONOMY};
use bubblesim_config::Config;

/// The kinds of institution.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
pub enum InstitutionKind {
    /// A pension fund.
    Pension,
    /// An insurer: it must sell holdings downgraded below its minimum rating.
    Insurer,
    /// A mutual fund: its investors buy in or redeem as it beats or lags its benchmark.
    MutualFund,
    /// A hedge fund: leveraged with prime-broker loans, so it can face margin calls.
    HedgeFund,
}

impl InstitutionKind {
    /// The kind as written in config (`institutions.kind`) and the traces.
    pub fn label(self) -> &'static str {
        match self {
            InstitutionKind::Pension => "pension",
            InstitutionKind::Insurer => "insurer",
            InstitutionKind::MutualFund => "mutual_fund",
            InstitutionKind::HedgeFund => "hedge_fund",
        }
    }

    /// Reads a kind as written in config (`institutions.kind`).
    pub fn from_label(label: &str) -> Option<Self> {
        [Self::Pension, Self::Insurer, Self::MutualFund, Self::HedgeFund]
            .into_iter()
            .find(|kind| kind.label() == label)
    }
}

/// A hedge fund's standing with its lenders.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum MarginState {
    /// No margin call today (institutions that do not borrow always stay here).
    Normal,
    /// Met a margin call today.
    MarginCall,
    /// Equity gone; liquidated.
    Failed,
}

impl MarginState {
    /// The state as written in the traces.
    pub fn label(self) -> &'static str {
        match self {
            MarginState::Normal => "normal",
            MarginState::MarginCall => "margin_call",
            MarginState::Failed => "failed",
        }
    }
}

/// Units of one asset: shares of a listed firm, or a share of a whole tranche.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Holding {
    /// The listed firm (shares) or the security (tranche).
    pub asset: AgentId,
    /// Shares of the firm, or the share (0–1) of the whole tranche.
    pub units: f64,
}

/// A sale an insurer must finish within its window.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct PendingSale {
    /// The security to sell.
    pub asset: AgentId,
    /// Units to sell each trading day: the holding when the sale began /
    /// `fire_sales.insurer_sale_window_days`.
    pub units_per_day: f64,
    /// Trading days left in the window.
    pub days_left: u32,
}

/// An institutional investor.
#[derive(Component, Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Institution {
    /// Pension fund, insurer, mutual fund or hedge fund (`institutions.kind`).
    pub kind: InstitutionKind,
    /// The group's `institutions.name` and the member's number, e.g. `pension-1`.
    pub name: Arc<str>,
    /// The lowest rating it buys (insurers must also sell below investment grade).
    pub min_rating: Rating,
    /// Cash, USD (earns the risk-free rate).
    pub cash_usd: f64,
    /// Borrowed from prime brokers (hedge funds).
    pub borrowing_usd: f64,
    /// Sorted by asset id.
    pub holdings: Vec<Holding>,
    /// Gross assets / NAV it aims for (a hedge fund deleverages back to it).
    pub target_leverage: f64,
    /// Target share of gross assets in lease-backed securities.
    pub securities_share: f64,
    /// Target share of gross assets in listed AI equities.
    pub ai_equity_share: f64,
    /// Fund units outstanding: NAV per unit measures returns net of flows.
    pub fund_units: f64,
    /// NAV per unit on each month's first trading day, newest last (at most 13).
    pub nav_per_unit_history: Vec<f64>,
    /// Its standing with its lenders (only hedge funds leave `Normal`).
    pub margin_state: MarginState,
    /// Sales below its rating limit still under way (insurers), sorted by asset.
    pub pending_sales: Vec<PendingSale>,
    /// Today's forced sales, USD.
    pub forced_sales_today_usd: f64,
    /// Today's net flow from the fund's own investors, USD (negative = redemptions).
    pub flow_today_usd: f64,
    /// Coupons received since the start.
    pub coupons_received_usd: f64,
}

impl Institution {
    /// Units held of `asset` (0 when it holds none).
    pub fn units_of(&self, asset: AgentId) -> f64 {
        self.holdings
            .binary_search_by_key(&asset, |h| h.asset)
            .map_or(0.0, |index| self.holdings[index].units)
    }

    /// Adds (or, negative, removes) units, keeping holdings sorted and dropping empties.
    pub fn add_units(&mut self, asset: AgentId, units: f64) {
        match self.holdings.binary_search_by_key(&asset, |h| h.asset) {
            Ok(index) => {
                self.holdings[index].units += units;
                if self.holdings[index].units <= 1e-12 {
                    self.holdings.remove(index);
                }
            }
            Err(index) if units > 0.0 => self.holdings.insert(index, Holding { asset, units }),
            Err(_) => {}
        }
    }

    /// Every holding at today's marks, USD.
    pub fn holdings_value_usd(&self, marks: &Marks) -> f64 {
        self.holdings.iter().map(|h| marks.value_usd(h.asset, h.units)).sum()
    }

    /// Cash plus holdings at today's marks, USD.
    pub fn gross_assets_usd(&self, marks: &Marks) -> f64 {
        self.cash_usd + self.holdings_value_usd(marks)
    }

    /// Net asset value: gross assets less borrowing.
    pub fn nav_usd(&self, marks: &Marks) -> f64 {
        self.gross_assets_usd(marks) - self.borrowing_usd
    }

    /// Gross assets / NAV (infinite once NAV is gone).
    pub fn leverage(&self, marks: &Marks) -> f64 {
        let nav = self.nav_usd(marks);
        if nav > 0.0 {
            self.gross_assets_usd(marks) / nav
        } else {
            f64::INFINITY
        }
    }

    /// Value held in each asset class.
    pub fn value_by_class(&self, marks: &Marks) -> BTreeMap<AssetClass, f64> {
        let mut by_class = BTreeMap::new();
        for holding in &self.holdings {
            if let Some(mark) = marks.get(holding.asset) {
                *by_class.entry(mark.class).or_insert(0.0) += holding.units * mark.value_per_unit;
            }
        }
        by_class
    }
}

/// What an asset is, for holdings by class.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum AssetClass {
    /// Shares of a listed AI firm.
    Equity,
    /// Rated BBB or better.
    InvestmentGrade,
    /// Rated below BBB, or unrated.
    HighYield,
}

/// The value of one unit of an asset now.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Mark {
    /// USD per unit: the share price, or the whole tranche's market value.
    pub value_per_unit: f64,
    /// Equity, or the security's class by its rating.
    pub class: AssetClass,
}

/// Today's marks of every asset an institution can hold.
#[derive(Debug, Default, Clone)]
pub struct Marks {
    marks: BTreeMap<AgentId, Mark>,
}

impl Marks {
    /// Marks at the listed firms' prices and the securities' market prices.
    pub fn new<'a>(
        listed: impl Iterator<Item = (&'a AgentId, &'a Listed)>,
        securities: impl Iterator<Item = (&'a AgentId, &'a Security)>,
    ) -> Self {
        let mut marks = BTreeMap::new();
        for (&id, firm) in listed {
            marks.insert(
                id,
                Mark {
                    value_per_unit: firm.price_usd,
                    class: AssetClass::Equity,
                },
            );
        }
        for (&id, security) in securities {
            marks.insert(id, security_mark(security));
        }
        Self { marks }
    }

    /// The mark of `asset` (None unless it is a listed firm or a security).
    pub fn get(&self, asset: AgentId) -> Option<Mark> {
        self.marks.get(&asset).copied()
    }

    /// `units` of `asset` at its mark, USD (0 for an asset without one).
    pub fn value_usd(&self, asset: AgentId, units: f64) -> f64 {
        self.get(asset).map_or(0.0, |m| m.value_per_unit * units)
    }

    /// Re-marks one security (after a fire sale moved its price).
    pub fn update(&mut self, asset: AgentId, security: &Security) {
        self.marks.insert(asset, security_mark(security));
    }
}

fn security_mark(security: &Security) -> Mark {
    Mark {
        value_per_unit: security.market_value_usd(),
        class: match security.rating {
            Some(rating) if rating.investment_grade() => AssetClass::InvestmentGrade,
            _ => AssetClass::HighYield,
        },
    }
}

/// The institutions of a config, with their starting equity holdings: each group's AI
/// equity share of gross assets spread over the listed firms by market cap. `listed`
/// holds (firm, price, market cap) in id order.
pub fn initial_institutions(config: &Config, listed: &[(AgentId, f64, f64)]) -> Vec<Institution> {
    let total_cap: f64 = listed.iter().map(|&(_, _, cap)| cap).sum();
    let mut out = Vec::new();
    for group in &config.institutions {
        let kind = InstitutionKind::from_label(&group.kind).expect("institution kinds are validated");
        let min_rating = Rating::from_label(&group.min_rating).expect("ratings are validated");
        for member in 1..=group.count {
            let gross = group.nav_usd * group.leverage;
            let equity_usd = gross * group.ai_equity_share;
            let holdings: Vec<Holding> = listed
                .iter()
                .filter(|&&(_, price, _)| price > 0.0 && total_cap > 0.0)
                .map(|&(asset, price, cap)| Holding {
                    asset,
                    units: equity_usd * cap / total_cap / price,
                })
                .collect();
            out.push(Institution {
                kind,
                name: Arc::from(format!("{}-{member}", group.name)),
                min_rating,
                cash_usd: gross - equity_usd,
                borrowing_usd: gross - group.nav_usd,
                holdings,
                target_leverage: group.leverage,
                securities_share: group.securities_share,
                ai_equity_share: group.ai_equity_share,
                fund_units: group.nav_usd / 100.0,
                nav_per_unit_history: Vec::new(),
                margin_state: MarginState::Normal,
                pending_sales: Vec::new(),
                forced_sales_today_usd: 0.0,
                flow_today_usd: 0.0,
                coupons_received_usd: 0.0,
            });
        }
    }
    out
}

/// Monthly, after issuance: the primary market sells new securities to institutions.
pub fn place_new_issues(
    clock: Res<Clock>,
    listed: Query<(&AgentId, &Listed)>,
    mut securities: Query<(&AgentId, &mut Security)>,
    mut institutions: Query<(&AgentId, &mut Institution)>,
    books: FirmBooks,
) {
    let FirmBooks {
        directory,
        mut accounts,
        mut events,
        mut ledger,
    } = books;
    if securities.iter().all(|(_, s)| s.placed) {
        return;
    }
    let marks = Marks::new(listed.iter(), securities.iter());
    let mut buyers: Vec<(AgentId, f64, f64)> = institutions
        .iter()
        .sort::<&AgentId>()
        .map(|(&id, investor)| {
            let held: f64 = investor
                .holdings
                .iter()
                .filter(|h| marks.get(h.asset).is_some_and(|m| m.class != AssetClass::Equity))
                .map(|h| marks.value_usd(h.asset, h.units))
                .sum();
            let room = investor.securities_share * investor.gross_assets_usd(&marks) - held;
            (id, room.max(0.0), investor.cash_usd.max(0.0))
        })
        .collect();
    for (&security_id, mut security) in securities.iter_mut().sort::<&AgentId>() {
        if security.placed {
            continue;
        }
        security.placed = true;
        let value = security.market_value_usd();
        let principal = security.tranche.principal_usd;
        if principal <= 0.0 || value <= 0.0 {
            continue;
        }
        let mut demand: Vec<(usize, f64)> = Vec::new();
        for (index, &(id, room, cash)) in buyers.iter().enumerate() {
            let Ok((_, investor)) = institutions.get(directory.get(id)) else {
                continue;
            };
            if investor.margin_state != MarginState::Failed && security.eligible_for(investor.min_rating) {
                demand.push((index, room.min(cash)));
            }
        }
        let wanted: f64 = demand.iter().map(|&(_, d)| d).sum();
        let fill = if wanted > value { value / wanted } else { 1.0 };
        let (mut sold, mut buyers_count, mut largest) = (0.0, 0, 0.0f64);
        for (index, amount) in demand {
            let bought = amount * fill;
            if bought <= 0.0 {
                continue;
            }
            let (id, room, cash) = &mut buyers[index];
            *room -= bought;
            *cash -= bought;
            if let Ok((_, mut investor)) = institutions.get_mut(directory.get(*id)) {
                investor.cash_usd -= bought;
                investor.add_units(security_id, bought / value);
            }
            ledger.pay(*id, security.proceeds_to, bought);
            sold += bought;
            buyers_count += 1;
            largest = largest.max(bought / value);
        }
        let placed_share = (sold / value).min(1.0);
        // Shares within rounding of whole are whole.
        security.retained_share = if placed_share > 1.0 - 1e-9 { 0.0 } else { 1.0 - placed_share };
        // Proceeds at par-value go to the issuer; when it is not the sponsor (an SPV),
        // the sponsor pays for what it keeps.
        let retained_value = value - sold;
        let mut retained_paid = 0.0;
        if security.proceeds_to != security.sponsor
            && let Ok(mut sponsor) = accounts.get_mut(directory.get(security.sponsor))
        {
            sponsor.cash_usd -= retained_value;
            sponsor.month.investments_usd += retained_value;
            ledger.pay(security.sponsor, security.proceeds_to, retained_value);
            retained_paid = retained_value;
        }
        if let Ok(mut receiver) = accounts.get_mut(directory.get(security.proceeds_to)) {
            receiver.cash_usd += sold + retained_paid;
        }
        events.record(
            &clock,
            EventKind::SecurityIssued,
            security_id,
            Some(security.issuer),
            Some(principal),
            format!(
                "{} rated {} at {:.2}%: {:.0}% placed with {buyers_count} investors (largest {:.0}%), {:.0}% kept by sponsor {}",
                security.class.label(),
                security.rating.map_or("NR", Rating::label),
                security.tranche.coupon * 100.0,
                placed_share * 100.0,
                largest * 100.0,
                security.retained_share * 100.0,
                security.sponsor.0
            ),
        );
    }
}

/// Monthly: cash earns the risk-free rate (it stands for the money-market and Treasury
/// part of a portfolio); hedge funds pay risk-free + `hedge_fund_borrowing_spread` on
/// what they borrow. Both flows are with the world outside the model.
pub fn accrue_interest(params: Res<Params>, mut institutions: Query<(&AgentId, &mut Institution)>, mut ledger: ResMut<Ledger>) {
    let risk_free = params.financing.risk_free_rate;
    let borrowing_rate = risk_free + params.fire_sales.hedge_fund_borrowing_spread;
    for (&id, mut investor) in institutions.iter_mut().sort::<&AgentId>() {
        if investor.margin_state == MarginState::Failed {
            continue;
        }
        let interest = investor.cash_usd.max(0.0) * risk_free / 12.0 - investor.borrowing_usd * borrowing_rate / 12.0;
        investor.cash_usd += interest;
        ledger.pay(REST_OF_ECONOMY, id, interest);
    }
}

/// Monthly, after the deals have paid: holders collect coupons and principal, and drop
/// securities that have closed (repaid or written off).
pub fn collect_payments(
    cashflows: Res<SecurityCashflows>,
    directory: Res<Directory>,
    securities: Query<&Security>,
    mut institutions: Query<(&AgentId, &mut Institution)>,
    mut ledger: ResMut<Ledger>,
) {
    for (&id, mut investor) in institutions.iter_mut().sort::<&AgentId>() {
        let mut received = (0.0, 0.0);
        for holding in &investor.holdings {
            if let Some(paid) = cashflows.paid.get(&holding.asset) {
                received.0 += holding.units * paid.interest_usd;
                received.1 += holding.units * paid.principal_usd;
            }
        }
        investor.cash_usd += received.0 + received.1;
        ledger.pay(REST_OF_ECONOMY, id, received.0 + received.1);
        investor.coupons_received_usd += received.0;
        investor
            .holdings
            .retain(|h| securities.get(directory.get(h.asset)).map_or(true, Security::outstanding));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn holdings_stay_sorted_and_empty_ones_go() {
        let config = Config::baseline();
        let mut investor = initial_institutions(&config, &[(AgentId(5), 10.0, 100.0)]).remove(0);
        investor.add_units(AgentId(9), 0.5);
        investor.add_units(AgentId(2), 0.25);
        let order: Vec<u64> = investor.holdings.iter().map(|h| h.asset.0).collect();
        assert_eq!(order, vec![2, 5, 9]);
        investor.add_units(AgentId(2), -0.25);
        assert_eq!(investor.units_of(AgentId(2)), 0.0);
        assert_eq!(investor.holdings.len(), 2);
    }

    #[test]
    fn a_hedge_fund_starts_at_its_target_leverage() {
        let config = Config::baseline();
        let listed = [(AgentId(1), 100.0, 1e12), (AgentId(2), 50.0, 3e12)];
        let funds = initial_institutions(&config, &listed);
        let marks = Marks::new(
            [(AgentId(1), Listed::new(1e10, 100.0)), (AgentId(2), Listed::new(6e10, 50.0))]
                .iter()
                .map(|(id, l)| (id, l)),
            std::iter::empty(),
        );
        let hedge = funds.iter().find(|f| f.kind == InstitutionKind::HedgeFund).unwrap();
        let group = config.institutions.iter().find(|g| g.kind == "hedge_fund").unwrap();
        assert!((hedge.nav_usd(&marks) - group.nav_usd).abs() < 1.0);
        assert!((hedge.leverage(&marks) - group.leverage).abs() < 1e-9);
        // Equity is spread by market cap: a quarter and three quarters.
        let a = marks.value_usd(AgentId(1), hedge.units_of(AgentId(1)));
        let b = marks.value_usd(AgentId(2), hedge.units_of(AgentId(2)));
        assert!((b / a - 3.0).abs() < 1e-9);
    }
}
