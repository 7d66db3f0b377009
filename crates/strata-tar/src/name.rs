//! Entry names: whether a name is safe to write and to extract, whether a link stays inside the
//! target directory, and how a shard's file name splits into sample key and extension.
//!
//! Whether a name is safe is `strata_raw::unsafe_path_reason`, the rule `strata-zip` applies too, so
//! that both adapters refuse the same names.

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
    use super::{escapes, split_key, strip_current_dir};

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
