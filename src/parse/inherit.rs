//! Language-neutral front matter inherited by translations: a translation that
//! leaves out `date`, `updated`, `expires`, `weight`, `image`, `author`/`authors`
//! or `draft` takes it from the default-language article it translates (the
//! file of the same name in the same folder, or the bundle's `index.md`).
//! Words (title, summary, description, terms, image_alt) are never inherited.

use super::front_matter::{self, FrontMatter};
use crate::config::Config;
use crate::load::SourceFile;

/// The front matter of `original` and its YAML text (for fingerprints); `None`
/// when it does not read or parse, which its own parse reports.
pub(super) fn original_meta(
    config: &Config,
    original: &SourceFile,
) -> Option<(FrontMatter, String)> {
    let text = super::read_source(config, original).ok()?;
    let split = front_matter::split(&text).ok()?;
    let (meta, _) = front_matter::parse(split.yaml, "", &config.taxonomies);
    Some((meta?, split.yaml.to_string()))
}

/// Fill the language-neutral keys `translation` leaves out from `original`.
pub(super) fn inherit(translation: &mut FrontMatter, original: &FrontMatter) {
    let t = translation;
    t.date = t.date.or(original.date);
    t.updated = t.updated.or(original.updated);
    t.expires = t.expires.or(original.expires);
    t.weight = t.weight.or(original.weight);
    t.draft = t.draft.or(original.draft);
    if t.image.is_none() {
        t.image.clone_from(&original.image);
    }
    if t.author.is_none() && t.authors.is_empty() {
        t.author.clone_from(&original.author);
        t.authors.clone_from(&original.authors);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta(yaml: &str) -> FrontMatter {
        front_matter::parse(yaml, "a.md", &[]).0.unwrap()
    }

    #[test]
    fn neutral_keys_are_inherited_and_words_are_not() {
        let original = meta(
            "title: Visit\ndate: 2023-05-10\nimage: a.jpg\nimage_alt: Alt\nauthor: Li Wei\nweight: 3\nsummary: S\n",
        );
        let mut ru = meta("title: Визит\n");
        inherit(&mut ru, &original);
        assert_eq!(ru.date, original.date);
        assert_eq!(ru.image.as_deref(), Some("a.jpg"));
        assert_eq!(ru.author.as_deref(), Some("Li Wei"));
        assert_eq!(ru.weight, Some(3));
        assert_eq!(ru.title.as_deref(), Some("Визит"));
        assert_eq!(ru.summary, None);
        assert_eq!(ru.image_alt, None);
        let mut own = meta("title: Визит\ndate: 2023-06-01\nauthors: [Иванов]\n");
        inherit(&mut own, &original);
        assert_ne!(own.date, original.date, "its own date wins");
        assert_eq!(
            (own.author, own.authors),
            (None, vec!["Иванов".to_string()])
        );
    }
}
