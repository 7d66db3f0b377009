//! `strata-spool`: not written yet; see the issue that delivers it.
