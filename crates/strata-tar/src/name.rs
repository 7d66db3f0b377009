//! Entry names: whether a name is safe to write and to extract, whether a link stays inside the
//! target directory, and how a shard's file name splits into sample key and extension.
//!
//! A safe name is a relative path with `/` separators whose every component is an ordinary file name:
//! nothing that escapes the target directory (`..`, a leading `/`), nothing Windows would read as a
//! drive, a stream or a separator (`:`, `\`), no NUL and no empty or `.` component. These are
//! `strata-zip`'s rules, so that both adapters refuse the same names (adapters do not depend on each
//! other, hence this module of its own).

/// The reason given for an absolute name (`TarError::python_class` tells it apart).
pub(crate) const ABSOLUTE: &str = "the name is an absolute path";

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
        return Some(ABSOLUTE);
    }
    let body = name.strip_suffix('/').unwrap_or(name);
    body.split('/').find_map(|component| match component {
        "" => Some("the name has an empty path component"),
        "." => Some("the name has a '.' component"),
        ".." => Some("the name has a '..' component that escapes the target directory"),
        _ => None,
    })
}

/// `name` without its leading `./` components (GNU tar's `tar cf x.tar .` names every entry so):
/// they name the target directory itself, so they change nothing about where the entry goes. The
/// entry `./` itself becomes `""`.
pub(crate) fn strip_current_dir(mut name: &str) -> &str {
    while let Some(rest) = name.strip_prefix("./") {
        name = rest.trim_start_matches('/');
    }
    if name == "." { "" } else { name }
}

/// Whether a link whose target is `target`, resolved from the directory `base` (a safe relative
/// path, `""` for the top), leaves that top directory.
///
/// The check is lexical, as Python's `data` filter's: `a/b/../c` stays inside, `a/../../c` and
/// `/etc` leave.
pub(crate) fn escapes(base: &str, target: &str) -> bool {
    if target.starts_with('/') || target.contains('\\') || target.contains(':') {
        return true;
    }
    let mut depth = base.split('/').filter(|c| !c.is_empty()).count();
    for component in target.split('/') {
        match component {
            "" | "." => {}
            ".." if depth == 0 => return true,
            ".." => depth -= 1,
            _ => depth += 1,
        }
    }
    false
}

/// The directory holding entry `name` (`""` at the top).
pub(crate) fn parent(name: &str) -> &str {
    let name = name.trim_end_matches('/');
    name.rfind('/').map_or("", |at| &name[..at])
}

/// Splits a shard file name into its sample key and extension, as WebDataset does: the key is the
/// name up to the first dot of its last component (directories included), the extension the rest.
/// `None` when the last component has no dot, starts with one, or ends with one.
pub(crate) fn split_key(name: &str) -> Option<(&str, &str)> {
    let base_start = name.rfind('/').map_or(0, |at| at + 1);
    let dot = base_start + name[base_start..].find('.')?;
    let (key, extension) = (&name[..dot], &name[dot + 1..]);
    (dot > base_start && !extension.is_empty()).then_some((key, extension))
}

#[cfg(test)]
mod tests {
    use super::{escapes, split_key, strip_current_dir, unsafe_reason};

    #[test]
    fn current_dir_prefixes() {
        let cases: &[(&str, &str)] = &[
            ("./a.txt", "a.txt"),
            ("././d/", "d/"),
            (".//a", "a"),
            ("./", ""),
            (".", ""),
            ("a/./b", "a/./b"),
            ("./../x", "../x"),
            ("../x", "../x"),
        ];
        for &(name, want) in cases {
            assert_eq!(strip_current_dir(name), want, "{name:?}");
        }
    }

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
            ("a\\..\\b", false),
            ("a//b", false),
            ("./a", false),
            ("a\0b", false),
            ("/", false),
        ];
        for &(name, safe) in cases {
            assert_eq!(unsafe_reason(name).is_none(), safe, "{name:?}");
        }
    }

    #[test]
    fn links() {
        let cases: &[(&str, &str, bool)] = &[
            ("", "a", false),
            ("", "a/../b", false),
            ("a/b", "../c", false),
            ("a/b", "../../c", false),
            ("a/b", "../../../c", true),
            ("", "..", true),
            ("", "/etc/passwd", true),
            ("", "a/../../b", true),
            ("a", "./././..", false),
            ("", "C:\\x", true),
        ];
        for &(base, target, out) in cases {
            assert_eq!(escapes(base, target), out, "{base:?} -> {target:?}");
        }
    }

    #[test]
    fn keys() {
        let cases: &[(&str, Option<(&str, &str)>)] = &[
            ("000017.wav", Some(("000017", "wav"))),
            ("a/b.c/000017.seg.png", Some(("a/b.c/000017", "seg.png"))),
            ("README", None),
            (".hidden", None),
            ("key.", None),
            ("dir.x/file", None),
        ];
        for &(name, want) in cases {
            assert_eq!(split_key(name), want, "{name:?}");
        }
    }
}
