//! How many GPUs a provider orders this quarter — pure arithmetic, tested on its own.
//! The forecast extrapolates realised demand growth and adds a premium for hype, which
//! is how the narrative over-builds capacity. A provider plans to grow its capacity with
//! the demand it forecasts (the flexible accelerator with expected growth): each quarter
//! it orders the quarter's growth of the capacity it wants, plus a part of the gap
//! between that and what it has. Orders shrink when the market rent falls below the rent
//! that recovers a new GPU's cost (returns below the cost of capital), and never spend
//! more than a share of the provider's cash. Capex in dollars is that capacity at the
//! newest generation's price: cheaper compute lowers the dollars per unit, but demand
//! that answers price (`ai_industry::demand`) raises the units wanted.

use bubblesim_config::CapexConfig;

use crate::compute::generations::HOURS_PER_MONTH;

/// The quarter's view of demand, the same for every provider.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CapexPlan {
    /// Expected yearly growth of compute demand (realised, or the narrative's revenue growth).
    pub growth: f64,
    /// The narrative's hype, 0–1.
    pub hype: f64,
    /// Compute demanded this month, H100-hours.
    pub demand_h100_hours: f64,
    /// The utilisation providers size their fleets for.
    pub target_utilisation: f64,
    /// (market rent / cost-based rent)^elasticity, at most 1: returns below the cost of
    /// capital shrink orders.
    pub return_factor: f64,
    /// Throughput and price of the newest generation.
    pub performance_h100: f64,
    /// List price per GPU of the newest generation.
    pub price_usd: f64,
}

impl CapexPlan {
    /// The return factor of a market rent against the rent that recovers a new GPU's
    /// cost: 1 when there is no cost-based rent yet.
    pub fn return_factor(rent_usd_per_h100_hour: f64, cost_based_rent_usd_per_h100_hour: f64, elasticity: f64) -> f64 {
        if cost_based_rent_usd_per_h100_hour > 0.0 {
            (rent_usd_per_h100_hour / cost_based_rent_usd_per_h100_hour)
                .powf(elasticity)
                .min(1.0)
        } else {
            1.0
        }
    }

    /// Demand `lead_quarters` ahead, as a multiple of today's: growth plus the hype
    /// premium plus the provider's own `tilt`.
    pub fn forecast_factor(&self, capex: &CapexConfig, tilt: f64) -> f64 {
        (1.0 + self.growth + self.hype * capex.hype_growth_premium + tilt)
            .max(0.0)
            .powf(f64::from(capex.lead_quarters) / 4.0)
    }

    /// The capacity the market will want, H100-hours a month at the target utilisation.
    pub fn wanted_h100_hours(&self, capex: &CapexConfig, tilt: f64) -> f64 {
        self.demand_h100_hours * self.forecast_factor(capex, tilt) / self.target_utilisation
    }

    /// The forecast growth of the wanted capacity over one quarter (a share of it).
    pub fn quarterly_growth(&self, capex: &CapexConfig, tilt: f64) -> f64 {
        (1.0 + self.growth + self.hype * capex.hype_growth_premium + tilt)
            .max(0.0)
            .powf(0.25)
            - 1.0
    }

    /// GPUs a provider orders to keep `share` of the wanted capacity, given what it has
    /// (`capacity_h100_hours`, in service and on order) and its cash: the quarter's
    /// forecast growth of what it has plus a part of the gap, shrunk by the return
    /// factor, within the cash budget.
    pub fn gpus_to_order(&self, capex: &CapexConfig, share: f64, tilt: f64, capacity_h100_hours: f64, cash_usd: f64) -> u64 {
        let wanted = share * self.wanted_h100_hours(capex, tilt);
        // Grow what it has at the forecast rate (never past the wanted capacity) …
        let expansion = capacity_h100_hours.min(wanted) * self.quarterly_growth(capex, tilt).max(0.0);
        // … and close a part of the gap to the wanted capacity (negative in a glut).
        let order = expansion + capex.adjustment_per_quarter * (wanted - capacity_h100_hours);
        let gpus = if order > 0.0 {
            (order * self.return_factor / (HOURS_PER_MONTH * self.performance_h100)).floor() as u64
        } else {
            0
        };
        let budget = capex.max_cash_share_per_quarter * cash_usd.max(0.0);
        gpus.min((budget / self.price_usd).floor() as u64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan() -> CapexPlan {
        CapexPlan {
            growth: 0.5,
            hype: 0.5,
            demand_h100_hours: 1e9,
            target_utilisation: 0.8,
            return_factor: 1.0,
            performance_h100: 2.0,
            price_usd: 30_000.0,
        }
    }

    #[test]
    fn faster_growth_and_more_hype_order_more_gpus() {
        let capex = bubblesim_config::Config::baseline().capex;
        let order = |plan: CapexPlan| plan.gpus_to_order(&capex, 0.5, 0.0, 3e8, 1e12);
        let base = order(plan());
        assert!(base > 0);
        assert!(order(CapexPlan { growth: 1.0, ..plan() }) > base);
        assert!(order(CapexPlan { hype: 1.0, ..plan() }) >= base);
        // A provider with far more capacity than its share of the wanted capacity orders none.
        assert_eq!(plan().gpus_to_order(&capex, 0.5, 0.0, 1e12, 1e12), 0);
        // One at its share still orders the growth it forecasts; with no growth, nothing.
        let wanted = 0.5 * plan().wanted_h100_hours(&capex, 0.0);
        assert!(plan().gpus_to_order(&capex, 0.5, 0.0, wanted, 1e12) > 0);
        let flat = CapexPlan {
            growth: 0.0,
            hype: 0.0,
            ..plan()
        };
        assert_eq!(
            flat.gpus_to_order(&capex, 0.5, 0.0, 0.5 * flat.wanted_h100_hours(&capex, 0.0), 1e12),
            0
        );
    }

    #[test]
    fn low_returns_shrink_orders_and_cash_caps_them() {
        let capex = bubblesim_config::Config::baseline().capex;
        assert_eq!(CapexPlan::return_factor(2.0, 0.0, 1.5), 1.0);
        assert_eq!(
            CapexPlan::return_factor(4.0, 2.0, 1.5),
            1.0,
            "returns above the cost of capital do not inflate orders"
        );
        let low = CapexPlan::return_factor(1.0, 2.0, 1.5);
        assert!(low < 1.0 && low > 0.0);
        let rich = plan().gpus_to_order(&capex, 0.5, 0.0, 3e8, 1e12);
        let poor_returns = CapexPlan {
            return_factor: low,
            ..plan()
        }
        .gpus_to_order(&capex, 0.5, 0.0, 3e8, 1e12);
        assert!(poor_returns < rich);
        // With $3M of cash and a 30k GPU, the budget share of the cash buys the order.
        let budget_gpus = (capex.max_cash_share_per_quarter * 3e6 / 30_000.0).floor() as u64;
        assert_eq!(plan().gpus_to_order(&capex, 0.5, 0.0, 3e8, 3e6), budget_gpus.min(rich));
        assert_eq!(plan().gpus_to_order(&capex, 0.5, 0.0, 3e8, -5.0), 0, "no cash, no order");
    }
}
