//! Entry names: whether a name is safe to write and to extract is `strata_raw::unsafe_path_reason`,
//! the rule `strata-tar` applies too; the builder refuses to write other names and the reader refuses
//! to extract them, so every archive Strata writes extracts.

/// Whether `name` names a directory entry (it ends with `/`).
pub(crate) fn is_dir_name(name: &str) -> bool {
    name.ends_with('/')
}
