//! Entry names: the one check that decides whether a name is safe to write and to extract.
//!
//! A safe name is a relative path with `/` separators whose every component is an ordinary file name:
//! nothing that escapes the target directory (`..`, a leading `/`), nothing Windows would read as a
//! drive, a stream or a separator (`:`, `\`), no NUL and no empty or `.` component. The builder refuses
//! to write other names and the reader refuses to extract them, so every archive Strata writes extracts.

/// Why `name` is not a safe entry name, or `None` when it is.
///
/// A trailing `/` (a directory entry) is allowed here; callers that want a file name check that apart.
pub(crate) fn unsafe_reason(name: &str) -> Option<&'static str> {
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
        return Some("the name is an absolute path");
    }
    let body = name.strip_suffix('/').unwrap_or(name);
    body.split('/').find_map(|component| match component {
        "" => Some("the name has an empty path component"),
        "." => Some("the name has a '.' component"),
        ".." => Some("the name has a '..' component that escapes the target directory"),
        _ => None,
    })
}

/// Whether `name` names a directory entry (it ends with `/`).
pub(crate) fn is_dir_name(name: &str) -> bool {
    name.ends_with('/')
}

#[cfg(test)]
mod tests {
    use super::unsafe_reason;

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
                unsafe_reason(name).is_none(),
                safe,
                "{name:?}: {:?}",
                unsafe_reason(name)
            );
        }
    }
}
