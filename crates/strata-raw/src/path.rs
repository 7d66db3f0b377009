//! The one rule for names that become paths below a directory: the entry names of the archive
//! adapters (`strata-zip`, `strata-tar`), which must refuse exactly the same names, and which may not
//! depend on each other.

/// The reason [`unsafe_path_reason`] gives for an absolute name, so that callers can tell it apart
/// (Python's `tarfile` has an exception of its own for it).
///
/// # Examples
///
/// ```
/// assert_eq!(strata_raw::unsafe_path_reason("/etc/passwd"), Some(strata_raw::ABSOLUTE_PATH));
/// ```
pub const ABSOLUTE_PATH: &str = "the name is an absolute path";

/// Why `name` is not a safe relative path, or `None` when it is.
///
/// A safe name is a relative path with `/` separators whose every component is an ordinary file
/// name: nothing that escapes the directory it is joined to (`..`, a leading `/`), nothing Windows
/// would read as a drive, a stream or a separator (`:`, `\`), no NUL and no empty or `.`
/// component. A trailing `/` (a directory entry) is allowed; callers that want a file name check
/// that apart.
///
/// # Examples
///
/// ```
/// use strata_raw::unsafe_path_reason;
///
/// assert_eq!(unsafe_path_reason("dir/a.txt"), None);
/// assert_eq!(unsafe_path_reason("dir/"), None);
/// assert_eq!(
///     unsafe_path_reason("a/../../b"),
///     Some("the name has a '..' component that escapes the target directory")
/// );
/// assert_eq!(unsafe_path_reason("C:/x"), Some("the name contains ':' (a drive letter or a stream name)"));
/// ```
pub fn unsafe_path_reason(name: &str) -> Option<&'static str> {
    if name.is_empty() {
        return Some("the name is empty");
    }
    if name.contains('\0') {
        return Some("the name contains a NUL byte");
    }
    if name.contains('\\') {
        return Some("the name contains a backslash");
    }
    if name.contains(':') {
        return Some("the name contains ':' (a drive letter or a stream name)");
    }
    if name.starts_with('/') {
        return Some(ABSOLUTE_PATH);
    }
    let body = name.strip_suffix('/').unwrap_or(name);
    body.split('/').find_map(|component| match component {
        "" => Some("the name has an empty path component"),
        "." => Some("the name has a '.' component"),
        ".." => Some("the name has a '..' component that escapes the target directory"),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::unsafe_path_reason;

    #[test]
    fn names() {
        let cases: &[(&str, bool)] = &[
            ("a.txt", true),
            ("dir/a.txt", true),
            ("dir/", true),
            ("a..b/c...", true),
            ("", false),
            ("../a", false),
            ("a/../../b", false),
            ("a/..", false),
            ("/etc/passwd", false),
            ("C:/x", false),
            ("c:x", false),
            ("a\\..\\b", false),
            ("a//b", false),
            ("./a", false),
            ("a\0b", false),
            ("/", false),
        ];
        for &(name, safe) in cases {
            assert_eq!(
                unsafe_path_reason(name).is_none(),
                safe,
                "{name:?}: {:?}",
                unsafe_path_reason(name)
            );
        }
    }
}
