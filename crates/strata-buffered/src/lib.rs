//! `strata-buffered`: not written yet; see the issue that delivers it.
