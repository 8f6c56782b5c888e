//! What the end-to-end tests share.

/// Every table of the output contract, in `bubblesim schema` order.
pub const TABLES: [&str; 17] = [
    "market",
    "sentiment",
    "compute",
    "firms",
    "retail",
    "datacenters",
    "gpus",
    "leases",
    "securities",
    "investors",
    "holdings",
    "events",
    "flows",
    "bubble",
    "macro",
    "regions",
    "accounts",
];
