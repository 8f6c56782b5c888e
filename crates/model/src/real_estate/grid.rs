//! The grid: data centres need a connection for their full capacity when they open.
//! Utilities add capacity each year; a building whose construction ends when the grid
//! has no headroom waits, empty, until it has. Connections are booked when a building
//! is ordered, so the building's completion — and the leases, bonds and GPUs that wait
//! on it — move back together.

use std::collections::BTreeMap;

use bevy_ecs::prelude::*;

/// How far ahead (months) a connection is sought before the building is left waiting to
/// the end of any run.
const SEARCH_MONTHS: i32 = 1_200;

/// Grid capacity for data centres and the connections booked on it.
#[derive(Resource, Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct Grid {
    /// Capacity (GW) at month 0: the buildings connected at the start plus the headroom.
    capacity_gw_at_start: f64,
    added_gw_per_year: f64,
    /// MW connecting in each month (relative to the start), by month.
    connections_mw: BTreeMap<i32, f64>,
    /// Buildings booked so far whose connection came later than their construction.
    pub delayed_buildings: u32,
    /// Months of delay summed over those buildings.
    pub delay_months_total: u64,
}

impl Grid {
    /// A grid with `connected_gw` already in use and `headroom_gw` free at month 0.
    pub fn new(connected_gw: f64, headroom_gw: f64, added_gw_per_year: f64) -> Self {
        Self {
            capacity_gw_at_start: connected_gw + headroom_gw,
            added_gw_per_year,
            ..Self::default()
        }
    }

    /// Capacity (GW) available to data centres in month `month`.
    pub fn capacity_gw(&self, month: i32) -> f64 {
        self.capacity_gw_at_start + self.added_gw_per_year * f64::from(month.max(0)) / 12.0
    }

    /// Capacity (GW) connected by month `month`.
    pub fn connected_gw(&self, month: i32) -> f64 {
        self.connections_mw.range(..=month).map(|(_, mw)| mw).sum::<f64>() / 1000.0
    }

    /// Records a building connected (or connecting) in `month` without a search: the
    /// buildings present at the start.
    pub fn connect(&mut self, month: i32, capacity_mw: f64) {
        *self.connections_mw.entry(month).or_insert(0.0) += capacity_mw;
    }

    /// Books the connection of a building ready in month `ready`: the first month from
    /// then on when it fits under the capacity of every later month, given the
    /// connections already booked. Returns the month it opens.
    pub fn book(&mut self, ready: i32, capacity_mw: f64) -> i32 {
        let need_gw = capacity_mw / 1000.0 - 1e-12;
        let last_booked = self.connections_mw.keys().next_back().copied().unwrap_or(ready).max(ready);
        // Free capacity in each month from `ready` to the last booked connection, then the
        // lowest of it from each month on (capacity only grows after the last booking).
        let mut connected = self.connected_gw(ready - 1);
        let mut free: Vec<f64> = (ready..=last_booked)
            .map(|month| {
                connected += self.connections_mw.get(&month).copied().unwrap_or(0.0) / 1000.0;
                self.capacity_gw(month) - connected
            })
            .collect();
        for i in (0..free.len().saturating_sub(1)).rev() {
            free[i] = free[i].min(free[i + 1]);
        }
        let opens = match free.iter().position(|&f| f >= need_gw) {
            Some(offset) => ready + offset as i32,
            // After the last booking, free capacity grows by the yearly addition.
            None if self.added_gw_per_year > 0.0 => {
                let short_gw = need_gw - free.last().copied().unwrap_or(0.0);
                // In f64 and capped before the cast: a tiny yearly addition cannot overflow.
                let months = (short_gw * 12.0 / self.added_gw_per_year).ceil().max(1.0);
                let latest = f64::from(ready) + f64::from(SEARCH_MONTHS);
                (f64::from(last_booked) + months).min(latest) as i32
            }
            None => ready + SEARCH_MONTHS,
        };
        if opens > ready {
            self.delayed_buildings += 1;
            self.delay_months_total += (opens - ready) as u64;
        }
        self.connect(opens, capacity_mw);
        opens
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_building_waits_for_headroom_and_later_capacity() {
        // 1 GW in use, 0.5 GW free, 1.2 GW added a year (0.1 GW a month).
        let mut grid = Grid::new(1.0, 0.5, 1.2);
        grid.connect(-6, 1000.0);
        assert_eq!(grid.book(3, 400.0), 3, "fits in the headroom");
        // 400 MW left at month 3, growing 100 MW a month: 650 MW fits from month 6.
        assert_eq!(grid.book(3, 650.0), 6);
        assert_eq!(grid.delayed_buildings, 1);
        assert_eq!(grid.delay_months_total, 3);
        assert!((grid.connected_gw(6) - 2.05).abs() < 1e-9);
        assert!(grid.connected_gw(6) <= grid.capacity_gw(6));
        // A small building ready at month 3 would fit then, but 650 MW from month 6 leaves
        // only 50 MW that month: 100 MW waits to month 7.
        assert_eq!(grid.book(3, 100.0), 7);
    }

    #[test]
    fn a_trickle_of_new_capacity_leaves_a_building_waiting_without_overflow() {
        let mut grid = Grid::new(0.0, 0.0, 1e-9);
        assert_eq!(grid.book(5, 100.0), 5 + SEARCH_MONTHS);
        assert_eq!(grid.book(i32::MAX - 2 * SEARCH_MONTHS, 100.0), i32::MAX - SEARCH_MONTHS);
    }

    #[test]
    fn an_early_booking_cannot_take_capacity_a_later_one_already_holds() {
        let mut grid = Grid::new(0.0, 1.0, 0.0);
        assert_eq!(grid.book(10, 1000.0), 10);
        // Ready earlier, but the grid is full from month 10 on: it never connects in the run.
        assert_eq!(grid.book(2, 100.0), 2 + SEARCH_MONTHS);
    }
}
