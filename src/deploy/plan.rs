//! What a deploy must do: compare the output folder with what the target
//! holds. The target's manifest (kept by gazette beside the site) says which
//! content hash each object was uploaded from; an entry counts only while the
//! listing still shows that object with the same size and ETag, so an object
//! changed or removed behind gazette's back, or a deploy cut off halfway, is
//! uploaded again.

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

use super::local::LocalFile;

/// The name of the manifest object, under the target's prefix.
pub(crate) const MANIFEST: &str = ".gazette-deploy.json";

/// What one object was uploaded from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct ManifestEntry {
    pub(crate) sha256: String,
    pub(crate) size: u64,
    /// The ETag the store gave the upload.
    pub(crate) etag: Option<String>,
}

/// The manifest object: key → what it was uploaded from.
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Manifest {
    pub(crate) version: u32,
    pub(crate) files: BTreeMap<String, ManifestEntry>,
}

/// One object of the target's listing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Listed {
    pub(crate) size: u64,
    pub(crate) etag: Option<String>,
}

/// An ETag without its quotes (and weak mark): Azure quotes it in an
/// upload's answer but not in listings, so the manifest and the listing
/// compare only the opaque tag.
pub(crate) fn opaque_tag(etag: Option<String>) -> Option<String> {
    etag.map(|tag| {
        let tag = tag.strip_prefix("W/").unwrap_or(&tag);
        tag.trim_matches('"').to_string()
    })
}

/// The work of one deploy.
#[derive(Debug, Default)]
pub(crate) struct Plan<'a> {
    /// New and changed files, by key.
    pub(crate) upload: Vec<&'a LocalFile>,
    /// Keys on the target that the output no longer has.
    pub(crate) delete: Vec<String>,
    /// Files the target already holds as they are: key → their manifest entry.
    pub(crate) unchanged: BTreeMap<String, ManifestEntry>,
}

/// Compare `local` with the target's `listing` (keys relative to its prefix,
/// the manifest left out) and `manifest`.
pub(crate) fn diff<'a>(
    local: &'a [LocalFile],
    listing: &HashMap<String, Listed>,
    manifest: &Manifest,
    force: bool,
    delete: bool,
) -> Plan<'a> {
    let mut plan = Plan::default();
    for file in local {
        let kept = listing.get(&file.key).zip(manifest.files.get(&file.key));
        match kept {
            Some((listed, entry))
                if !force
                    && entry.sha256 == file.sha256
                    && entry.size == file.size
                    && listed.size == file.size
                    // Manifests written before tags were unquoted still match.
                    && listed.etag == opaque_tag(entry.etag.clone()) =>
            {
                plan.unchanged.insert(file.key.clone(), entry.clone());
            }
            _ => plan.upload.push(file),
        }
    }
    if delete {
        let wanted: std::collections::HashSet<&str> =
            local.iter().map(|f| f.key.as_str()).collect();
        plan.delete = listing
            .keys()
            .filter(|key| !wanted.contains(key.as_str()))
            .cloned()
            .collect();
        plan.delete.sort();
    }
    plan
}

#[cfg(test)]
mod tests {
    #[test]
    fn etags_compare_without_quotes() {
        let quoted = super::opaque_tag(Some("\"0x8DC1\"".into()));
        assert_eq!(quoted, super::opaque_tag(Some("0x8DC1".into())));
        assert_eq!(quoted.as_deref(), Some("0x8DC1"));
        assert_eq!(
            super::opaque_tag(Some("W/\"a\"".into())).as_deref(),
            Some("a")
        );
        assert_eq!(super::opaque_tag(None), None);
    }

    use super::*;

    fn file(key: &str, sha: &str) -> LocalFile {
        LocalFile {
            key: key.into(),
            path: key.into(),
            size: 3,
            sha256: sha.into(),
        }
    }

    fn state(entries: &[(&str, &str, &str)]) -> (HashMap<String, Listed>, Manifest) {
        let mut listing = HashMap::new();
        let mut manifest = Manifest::default();
        for (key, sha, etag) in entries {
            let etag = Some(etag.to_string());
            listing.insert(
                key.to_string(),
                Listed {
                    size: 3,
                    etag: etag.clone(),
                },
            );
            manifest.files.insert(
                key.to_string(),
                ManifestEntry {
                    sha256: sha.to_string(),
                    size: 3,
                    etag,
                },
            );
        }
        (listing, manifest)
    }

    #[test]
    fn uploads_what_changed_and_deletes_what_is_gone() {
        let local = [
            file("a.html", "1"),
            file("b.html", "2"),
            file("c.html", "3"),
        ];
        let (listing, manifest) = state(&[
            ("a.html", "1", "e1"),
            ("b.html", "old", "e2"),
            ("gone.html", "9", "e9"),
        ]);
        let plan = diff(&local, &listing, &manifest, false, true);
        let up: Vec<_> = plan.upload.iter().map(|f| f.key.as_str()).collect();
        assert_eq!(up, ["b.html", "c.html"]);
        assert_eq!(plan.delete, ["gone.html"]);
        assert_eq!(plan.unchanged.len(), 1);
        let kept = diff(&local, &listing, &manifest, false, false);
        assert!(kept.delete.is_empty());
        assert_eq!(
            diff(&local, &listing, &manifest, true, true).upload.len(),
            3
        );
    }

    #[test]
    fn an_object_changed_behind_the_manifest_is_uploaded_again() {
        let local = [file("a.html", "1")];
        let (mut listing, manifest) = state(&[("a.html", "1", "e1")]);
        listing.get_mut("a.html").unwrap().etag = Some("other".into());
        assert_eq!(
            diff(&local, &listing, &manifest, false, true).upload.len(),
            1
        );
        listing.clear();
        assert_eq!(
            diff(&local, &listing, &manifest, false, true).upload.len(),
            1
        );
    }
}
