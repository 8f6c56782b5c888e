//! Firms: who they are, their money and their running accounts. The mechanisms read and
//! write these components; the accounting system closes each month into trailing figures.

use std::sync::Arc;

use bevy_ecs::prelude::Component;

/// The kinds of firm in the economy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
pub enum FirmKind {
    Lab,
    Hyperscaler,
    Cloud,
    Chipmaker,
    Sponsor,
    /// A special-purpose vehicle that owns one building and issues bonds against its lease.
    Spv,
    /// The listed old-economy firm, outside the AI index.
    Carmaker,
}

impl FirmKind {
    /// The label used in the traces.
    pub fn label(self) -> &'static str {
        match self {
            FirmKind::Lab => "lab",
            FirmKind::Hyperscaler => "hyperscaler",
            FirmKind::Cloud => "cloud",
            FirmKind::Chipmaker => "chipmaker",
            FirmKind::Sponsor => "sponsor",
            FirmKind::Spv => "spv",
            FirmKind::Carmaker => "carmaker",
        }
    }
}

/// A firm's identity and whether it still operates.
#[derive(Component, Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Firm {
    pub kind: FirmKind,
    pub name: Arc<str>,
    /// False once a lab has failed.
    pub active: bool,
}

/// One month's flows of a firm, in USD. Revenues and costs make earnings; capex and
/// funding move cash but not earnings.
#[derive(Debug, Clone, Copy, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct MonthFlows {
    /// Revenue from end users of AI products (labs, hyperscalers).
    pub ai_product_revenue_usd: f64,
    /// Compute rent received from buyers of GPU-hours (providers).
    pub compute_rent_income_usd: f64,
    /// Data-centre lease rent received (sponsors).
    pub lease_income_usd: f64,
    /// GPU sales (chipmaker).
    pub gpu_sales_usd: f64,
    /// Core, non-AI business revenue.
    pub core_revenue_usd: f64,
    /// Distributions from SPV equity, coupons on retained securities, guarantee payments
    /// received.
    pub investment_income_usd: f64,
    /// Compute rent paid for GPU-hours.
    pub compute_cost_usd: f64,
    /// Electricity for running GPUs.
    pub power_cost_usd: f64,
    /// Data-centre lease rent paid (tenants).
    pub lease_cost_usd: f64,
    /// Operating costs other than the above (staff, R&D, core business, cost of goods).
    pub other_costs_usd: f64,
    /// Interest on debt.
    pub interest_usd: f64,
    /// Straight-line depreciation of GPUs.
    pub depreciation_usd: f64,
    /// Impairments and write-offs of GPUs, and of stakes in failed labs.
    pub impairment_usd: f64,
    /// GPU purchases and data-centre construction (cash, not earnings).
    pub capex_usd: f64,
    /// New equity raised (cash, not earnings).
    pub funding_usd: f64,
    /// Cash put into SPV equity, retained securities or lab equity (cash, not earnings).
    pub investments_usd: f64,
    /// Cash paid out to equity holders (SPVs' distributions; lowers book equity).
    pub dividends_usd: f64,
}

impl MonthFlows {
    /// Revenue that counts as AI revenue for plans and stress: products plus compute rent.
    pub fn ai_revenue_usd(&self) -> f64 {
        self.ai_product_revenue_usd + self.compute_rent_income_usd
    }

    /// Revenue of every kind.
    pub fn revenue_usd(&self) -> f64 {
        self.ai_product_revenue_usd
            + self.compute_rent_income_usd
            + self.lease_income_usd
            + self.gpu_sales_usd
            + self.core_revenue_usd
            + self.investment_income_usd
    }

    /// Revenue less every cost (the month's earnings before tax).
    pub fn earnings_usd(&self) -> f64 {
        self.revenue_usd()
            - self.compute_cost_usd
            - self.power_cost_usd
            - self.lease_cost_usd
            - self.other_costs_usd
            - self.interest_usd
            - self.depreciation_usd
            - self.impairment_usd
    }
}

/// Twelve months of a figure, newest last.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct Trailing {
    values: [f64; 12],
    len: usize,
    next: usize,
}

impl Trailing {
    pub fn push(&mut self, value: f64) {
        self.values[self.next] = value;
        self.next = (self.next + 1) % 12;
        self.len = (self.len + 1).min(12);
    }

    /// Sum over the last twelve months, annualised while fewer are known.
    pub fn annualised(&self) -> f64 {
        if self.len == 0 {
            return 0.0;
        }
        let sum: f64 = (0..self.len).map(|back| self.values[(self.next + 12 - 1 - back) % 12]).sum();
        sum * 12.0 / self.len as f64
    }

    /// Sum over the last `months` months recorded (at most twelve).
    pub fn last_months(&self, months: usize) -> f64 {
        (0..months.min(self.len))
            .map(|back| self.values[(self.next + 12 - 1 - back) % 12])
            .sum()
    }

    /// Months recorded, at most twelve.
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

/// A firm's balance-sheet figures and its flows.
#[derive(Component, Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct Accounts {
    pub cash_usd: f64,
    pub debt_usd: f64,
    /// Book equity: starts from config, then moves with earnings and new equity.
    pub book_equity_usd: f64,
    /// Flows booked so far in the current month.
    pub month: MonthFlows,
    /// The last closed month.
    pub last_month: MonthFlows,
    pub earnings: Trailing,
    pub ai_revenue: Trailing,
    /// Impairments and write-offs since the start.
    pub impairments_cumulative_usd: f64,
}

impl Accounts {
    pub fn with_cash(cash_usd: f64, debt_usd: f64, book_equity_usd: f64) -> Self {
        Self {
            cash_usd,
            debt_usd,
            book_equity_usd,
            ..Self::default()
        }
    }

    /// Closes the current month: trailing figures, book equity, and a fresh month.
    pub fn close_month(&mut self) {
        let flows = self.month;
        self.earnings.push(flows.earnings_usd());
        self.ai_revenue.push(flows.ai_revenue_usd());
        self.book_equity_usd += flows.earnings_usd() + flows.funding_usd - flows.dividends_usd;
        self.impairments_cumulative_usd += flows.impairment_usd;
        self.last_month = flows;
        self.month = MonthFlows::default();
    }
}

/// A listed firm's equity and its market price.
#[derive(Component, Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Listed {
    pub shares: f64,
    pub price_usd: f64,
    /// Highest price so far (for drawdowns).
    pub peak_price_usd: f64,
    /// Fundamentalists' value per share: max(earnings × fair P/E, book × fair P/B).
    pub fundamental_usd_per_share: f64,
    /// Today's log return.
    pub log_return: f64,
    /// Retail investors' net purchases today, USD.
    pub retail_net_buy_usd: f64,
    /// Shares traded today (retail, institutions and forced sales), USD.
    pub volume_usd: f64,
    /// Whether the firm is in the AI index (the carmaker is not).
    pub in_ai_index: bool,
    /// Whether the fundamental value comes from reported earnings yet (before that it is
    /// the starting price, and a report is no surprise).
    pub fundamental_reported: bool,
    /// Log price move the latest earnings report makes at the next price formation.
    pub earnings_jump: f64,
}

impl Listed {
    pub fn new(shares: f64, price_usd: f64) -> Self {
        Self {
            shares,
            price_usd,
            peak_price_usd: price_usd,
            fundamental_usd_per_share: price_usd,
            log_return: 0.0,
            retail_net_buy_usd: 0.0,
            volume_usd: 0.0,
            in_ai_index: true,
            fundamental_reported: false,
            earnings_jump: 0.0,
        }
    }

    /// A listed firm outside the AI index.
    pub fn old_economy(shares: f64, price_usd: f64) -> Self {
        Self {
            in_ai_index: false,
            ..Self::new(shares, price_usd)
        }
    }

    pub fn market_cap_usd(&self) -> f64 {
        self.shares * self.price_usd
    }

    /// Fall from the peak, 0 … 1.
    pub fn drawdown(&self) -> f64 {
        1.0 - self.price_usd / self.peak_price_usd
    }
}

/// A seller of AI products to end users (labs and hyperscalers).
#[derive(Component, Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct AiSeller {
    /// Share of end-user demand at the start.
    pub initial_share: f64,
    /// Share of end-user demand now (failed labs' customers move to the others).
    pub share: f64,
    pub training_gpu_hours_per_month: f64,
    pub training_growth_per_year: f64,
    /// Compute this seller wanted this month (H100-hours), and the share it got.
    pub compute_demand_h100_hours: f64,
    /// Share of its demand and training it keeps (1 unless an imposed shock took some).
    pub demand_retained: f64,
}

impl AiSeller {
    pub fn new(share: f64, training_gpu_hours_per_month: f64, training_growth_per_year: f64) -> Self {
        Self {
            initial_share: share,
            share,
            training_gpu_hours_per_month,
            training_growth_per_year,
            compute_demand_h100_hours: 0.0,
            demand_retained: 1.0,
        }
    }
}

/// A private AI lab.
#[derive(Component, Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Lab {
    pub other_opex_usd_per_month: f64,
    pub rounds_raised: u32,
    /// Post-money valuation of its last round (0 before the first mark, and once failed).
    pub valuation_usd: f64,
    /// Product of (1 − share sold) over its rounds: a holder's share is its units × this.
    pub dilution: f64,
}

impl Lab {
    pub fn new(other_opex_usd_per_month: f64) -> Self {
        Self {
            other_opex_usd_per_month,
            rounds_raised: 0,
            valuation_usd: 0.0,
            dilution: 1.0,
        }
    }

    /// Sells new equity worth `amount_usd` at `pre_money_usd`: returns the buyer's units
    /// (its share is units × `dilution`) and marks the lab at the post-money value. A
    /// lab with no pre-money value sells nothing (callers do not offer it money).
    pub fn sell_equity(&mut self, amount_usd: f64, pre_money_usd: f64) -> f64 {
        if pre_money_usd <= 0.0 || amount_usd <= 0.0 || self.dilution <= 0.0 {
            return 0.0;
        }
        let post = pre_money_usd + amount_usd;
        let share = amount_usd / post;
        self.dilution *= 1.0 - share;
        self.valuation_usd = post;
        share / self.dilution
    }

    /// Value of `units` at the last mark.
    pub fn stake_value_usd(&self, units: f64) -> f64 {
        units * self.dilution * self.valuation_usd
    }
}

/// Equity stakes in private labs (VC funds, the chipmaker).
#[derive(Component, Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct Stakes {
    /// (lab, units), sorted by lab.
    pub units: Vec<(crate::agents::AgentId, f64)>,
    /// Cash put in, per lab, sorted by lab.
    pub invested_usd: Vec<(crate::agents::AgentId, f64)>,
}

impl Stakes {
    pub fn add(&mut self, lab: crate::agents::AgentId, units: f64, invested_usd: f64) {
        for (list, value) in [(&mut self.units, units), (&mut self.invested_usd, invested_usd)] {
            match list.binary_search_by_key(&lab, |&(id, _)| id) {
                Ok(i) => list[i].1 += value,
                Err(i) => list.insert(i, (lab, value)),
            }
        }
    }

    pub fn invested_in(&self, lab: crate::agents::AgentId) -> f64 {
        self.invested_usd
            .binary_search_by_key(&lab, |&(id, _)| id)
            .map_or(0.0, |i| self.invested_usd[i].1)
    }
}

/// A hyperscaler's core, non-AI business.
#[derive(Component, Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct CoreBusiness {
    pub revenue_usd_per_year: f64,
    pub operating_margin: f64,
    pub growth_per_year: f64,
}

/// Interest-bearing debt (clouds, sponsors, hyperscalers that build on balance sheet).
#[derive(Component, Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Borrower {
    pub interest_rate: f64,
}

/// The chipmaker's non-GPU business and cost structure.
#[derive(Component, Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Chipmaker {
    pub gross_margin: f64,
    pub other_revenue_usd_per_year: f64,
    pub operating_expenses_usd_per_year: f64,
}

/// An owner of GPU capacity that rents it out (hyperscalers and clouds), and a tenant of
/// data-centre leases.
#[derive(Component, Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct Provider {
    /// AI revenue per month the firm planned at the start; the plan grows from here.
    pub plan_base_ai_revenue_usd_per_month: f64,
    /// The share of the market's capacity the provider aims to keep (its starting share).
    pub capacity_share: f64,
}

/// A private-equity sponsor that owns data-centre buildings.
#[derive(Component, Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct Sponsor;
