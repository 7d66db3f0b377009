//! `strata-zip`: not written yet; see the issue that delivers it.
