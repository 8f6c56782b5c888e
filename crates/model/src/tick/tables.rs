//! The one ordered list of output tables: each table's row type and when it is recorded.
//! From it come the rows buffers in the world, [`Observations`] (the batch the driver
//! takes), the specifications the recorder opens its writers and `bubblesim schema`
//! prints from, and the cadence keys `record.<table>_every_ticks`. A table's columns
//! are defined beside its row (`tick::observe`, and `Event` in `common::events`).

use std::collections::BTreeMap;

use bevy_ecs::prelude::World;
use bubblesim_schema::{Row, RowsVisitor, TableSpec};

use crate::common::events::Event;
use crate::common::params::Params;
use crate::common::rows::{Cadence, Due, Rows};
use crate::tick::observe::boom::{BubbleRow, FlowRow};
use crate::tick::observe::credit::{HoldingRow, InvestorRow, SecurityRow};
use crate::tick::observe::economy::{AccountsRow, MacroRow, RegionRow};
use crate::tick::observe::firms::FirmRow;
use crate::tick::observe::infrastructure::{DatacenterRow, GpuRow, LeaseRow};
use crate::tick::observe::markets::{ComputeRow, MarketRow, SentimentRow};
use crate::tick::observe::retail::RetailRow;

/// The resolved cadence of a table: a configured one reads `record.<table>_every_ticks`
/// (`every_ticks`, from the config).
fn due_of(every_ticks: &BTreeMap<String, u32>, table: &str, cadence: Cadence) -> Due {
    match cadence {
        Cadence::Configured => Due::EveryTicks(every_ticks.get(table).copied().unwrap_or_else(|| {
            panic!("table `{table}` has no record.{table}_every_ticks key (a bug: tick::tables is checked against the config by a test)")
        })),
        Cadence::Monthly => Due::MonthStart,
        Cadence::Quarterly => Due::QuarterStart,
        Cadence::AsItHappens => Due::Always,
    }
}

macro_rules! tables {
    ($($(#[$doc:meta])* $field:ident: $row:ty = $cadence:expr),* $(,)?) => {
        /// Rows recorded since the driver last took them, one list per table, in the
        /// order of [`TABLES`].
        #[derive(Debug, Default)]
        pub struct Observations {
            $($(#[$doc])* pub $field: Vec<$row>,)*
        }

        impl Observations {
            /// True when no row waits to be handed to the recorder.
            pub fn is_empty(&self) -> bool {
                $(self.$field.is_empty())&&*
            }

            /// Hands every table's rows to `visitor`, in the order of [`TABLES`].
            pub fn visit<V: RowsVisitor>(&self, visitor: &mut V) -> Result<(), V::Error> {
                $(visitor.rows(&self.$field)?;)*
                Ok(())
            }
        }

        /// Every table, in the order they are written and documented: its name and when
        /// it is recorded.
        pub const TABLES: &[(&str, Cadence)] = &[$((<$row as Row>::TABLE, $cadence)),*];

        /// Every table's specification, in the order of [`TABLES`].
        pub fn table_specs() -> Vec<TableSpec> {
            vec![$(<$row as Row>::spec()),*]
        }

        /// Puts an empty rows buffer for every table into the world, each with the
        /// cadence its config gives it (the world's [`Params`] must be in place).
        pub fn insert_row_buffers(world: &mut World) {
            let every_ticks = world.resource::<Params>().record.every_ticks();
            $(world.insert_resource(Rows::<$row>::new(due_of(&every_ticks, <$row as Row>::TABLE, $cadence)));)*
        }

        /// Takes every table's waiting rows out of the world.
        pub fn take_observations(world: &mut World) -> Observations {
            Observations {
                $($field: world.resource_mut::<Rows<$row>>().take(),)*
            }
        }

        /// Whether any table has rows waiting for the driver.
        pub fn rows_waiting(world: &World) -> bool {
            $(!world.resource::<Rows<$row>>().is_empty())||*
        }
    };
}

tables! {
    /// `market`: each listed firm and the two indices, daily.
    market: MarketRow = Cadence::Configured,
    /// `sentiment`: the retail population and the narrative.
    sentiment: SentimentRow = Cadence::Configured,
    /// `compute`: the GPU-hour market and end-user demand.
    compute: ComputeRow = Cadence::Configured,
    /// `firms`: every firm.
    firms: FirmRow = Cadence::Configured,
    /// `retail`: every retail investor.
    retail: RetailRow = Cadence::Configured,
    /// `datacenters`: every building.
    datacenters: DatacenterRow = Cadence::Configured,
    /// `gpus`: every GPU cohort in service (and each retired one once).
    gpus: GpuRow = Cadence::Configured,
    /// `leases`: every lease.
    leases: LeaseRow = Cadence::Configured,
    /// `securities`: every bond and tranche.
    securities: SecurityRow = Cadence::Configured,
    /// `investors`: every institution.
    investors: InvestorRow = Cadence::Configured,
    /// `holdings`: every institution's holding of every asset.
    holdings: HoldingRow = Cadence::Configured,
    /// `events`: every event, as it happens.
    events: Event = Cadence::AsItHappens,
    /// `flows`: every payment for lab equity, GPUs or take-or-pay, as it happens.
    flows: FlowRow = Cadence::AsItHappens,
    /// `bubble`: the Goldfarb–Kirsch index and its inputs.
    bubble: BubbleRow = Cadence::Configured,
    /// `macro`: the economy, monthly.
    macroeconomy: MacroRow = Cadence::Monthly,
    /// `regions`: every region, quarterly.
    regions: RegionRow = Cadence::Quarterly,
    /// `accounts`: the sectors' money and net worth.
    accounts: AccountsRow = Cadence::Configured,
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    /// Every table with a configured cadence has its `record.<table>_every_ticks` key,
    /// and every such key belongs to a table: the list and the config agree.
    #[test]
    fn configured_tables_and_cadence_keys_match() {
        let keys: BTreeSet<String> = bubblesim_config::Config::baseline().record.every_ticks().into_keys().collect();
        let configured: BTreeSet<String> = TABLES
            .iter()
            .filter(|(_, cadence)| *cadence == Cadence::Configured)
            .map(|(name, _)| (*name).to_owned())
            .collect();
        assert_eq!(configured, keys);
        let names: BTreeSet<&str> = TABLES.iter().map(|(name, _)| *name).collect();
        assert_eq!(names.len(), TABLES.len(), "table names are unique");
        assert_eq!(
            table_specs().iter().map(|spec| spec.name).collect::<Vec<_>>(),
            TABLES.iter().map(|(n, _)| *n).collect::<Vec<_>>()
        );
    }
}
