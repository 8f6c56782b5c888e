//! Money and books: the ledger that posts every payment on both sides, firms' accounts
//! (cash, debt, book equity, the month's flows) and the log of equity and GPU payments.
//! Knows no agent type: agents are ids.

pub mod accounts;
pub mod bookkeeping;
pub mod flows;
pub mod ledger;
