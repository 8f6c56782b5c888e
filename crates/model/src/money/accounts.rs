//! A firm's money and books: cash, debt and book equity, the month's flows by kind, and
//! the trailing twelve months that earnings and plans read. Mechanisms book into the
//! current month; `firms::accounting` closes it.

use bevy_ecs::prelude::Component;

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
    /// Cash paid out to equity holders (SPVs' distributions, listed firms' dividends;
    /// lowers book equity).
    pub dividends_usd: f64,
    /// Cash spent buying back the firm's own shares (lowers book equity).
    pub buybacks_usd: f64,
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
    /// Adds the newest month, dropping the oldest once twelve are held.
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

    /// Whether no month has been recorded yet.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

/// A firm's balance-sheet figures and its flows.
#[derive(Component, Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct Accounts {
    /// Cash, USD.
    pub cash_usd: f64,
    /// Interest-bearing debt outstanding, USD.
    pub debt_usd: f64,
    /// Book equity: starts from config, then moves with earnings and new equity.
    pub book_equity_usd: f64,
    /// Flows booked so far in the current month.
    pub month: MonthFlows,
    /// The last closed month.
    pub last_month: MonthFlows,
    /// Earnings of each of the last twelve closed months, USD.
    pub earnings: Trailing,
    /// AI revenue (products plus compute rent) of each of the last twelve closed months, USD.
    pub ai_revenue: Trailing,
    /// Impairments and write-offs of each of the last twelve closed months, USD.
    pub impairments: Trailing,
    /// Revenue of every kind of each of the last twelve closed months, USD.
    pub revenue: Trailing,
    /// Capex of each of the last twelve closed months, USD.
    pub capex: Trailing,
    /// Core (non-AI) revenue of each of the last twelve closed months, USD.
    pub core_revenue: Trailing,
    /// Impairments and write-offs since the start.
    pub impairments_cumulative_usd: f64,
}

impl Accounts {
    /// Accounts with the given cash, debt and book equity, and no flows booked yet.
    pub fn with_cash(cash_usd: f64, debt_usd: f64, book_equity_usd: f64) -> Self {
        Self {
            cash_usd,
            debt_usd,
            book_equity_usd,
            ..Self::default()
        }
    }

    /// Normalised earnings over the last twelve months, annualised: earnings before the
    /// one-off impairments and write-offs (they stay in the accounts and book equity).
    pub fn normalised_earnings_usd(&self) -> f64 {
        self.earnings.annualised() + self.impairments.annualised()
    }

    /// What the firm spends in a year: revenue less normalised earnings (every cost but
    /// one-off impairments) plus capex, over the last twelve months, annualised.
    pub fn yearly_outlay_usd(&self) -> f64 {
        self.revenue.annualised() - self.normalised_earnings_usd() + self.capex.annualised()
    }

    /// Closes the current month: trailing figures, book equity, and a fresh month.
    pub fn close_month(&mut self) {
        let flows = self.month;
        self.earnings.push(flows.earnings_usd());
        self.ai_revenue.push(flows.ai_revenue_usd());
        self.impairments.push(flows.impairment_usd);
        self.revenue.push(flows.revenue_usd());
        self.capex.push(flows.capex_usd);
        self.core_revenue.push(flows.core_revenue_usd);
        self.book_equity_usd += flows.earnings_usd() + flows.funding_usd - flows.dividends_usd - flows.buybacks_usd;
        self.impairments_cumulative_usd += flows.impairment_usd;
        self.last_month = flows;
        self.month = MonthFlows::default();
    }
}
