//! CLDR plural categories by language, from ICU4X (`icu_plurals`), for
//! `t(key=…, count=N)`.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use icu_locale_core::Locale;
use icu_plurals::{PluralCategory, PluralOperands, PluralRules};

/// Cardinal rules per language, made on first use.
#[derive(Default)]
pub(super) struct Plurals(RwLock<HashMap<String, Option<Arc<PluralRules>>>>);

impl Plurals {
    /// The category of `count` in `lang` (`one`, `few`, …); `other` where
    /// CLDR has no rules for the language.
    pub(super) fn category(&self, lang: &str, count: f64) -> &'static str {
        let rules = self.rules(lang);
        let Some(rules) = rules else {
            return "other";
        };
        // Integers by value; decimals by their written digits ("1.5").
        let operands: PluralOperands = if count.fract() == 0.0 && count.abs() < 1e15 {
            PluralOperands::from(count as i64)
        } else {
            match fixed_decimal::Decimal::try_from_str(&format!("{count}")) {
                Ok(decimal) => PluralOperands::from(&decimal),
                Err(_) => return "other",
            }
        };
        name(rules.category_for(operands))
    }

    fn rules(&self, lang: &str) -> Option<Arc<PluralRules>> {
        if let Some(found) = self.0.read().unwrap_or_else(|e| e.into_inner()).get(lang) {
            return found.clone();
        }
        let made = Locale::try_from_str(&lang.replace('_', "-"))
            .ok()
            .and_then(|locale| PluralRules::try_new_cardinal((&locale).into()).ok())
            .map(Arc::new);
        let mut all = self.0.write().unwrap_or_else(|e| e.into_inner());
        all.entry(lang.to_string()).or_insert(made).clone()
    }
}

fn name(category: PluralCategory) -> &'static str {
    match category {
        PluralCategory::Zero => "zero",
        PluralCategory::One => "one",
        PluralCategory::Two => "two",
        PluralCategory::Few => "few",
        PluralCategory::Many => "many",
        PluralCategory::Other => "other",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn russian_counts_take_their_cldr_categories() {
        let plurals = Plurals::default();
        let ru = |n| plurals.category("ru", n);
        assert_eq!(
            [0.0, 1.0, 2.0, 5.0, 11.0, 21.0, 22.0, 1.5].map(ru),
            ["many", "one", "few", "many", "many", "one", "few", "other"]
        );
    }

    #[test]
    fn english_chinese_and_unknown_languages() {
        let plurals = Plurals::default();
        assert_eq!(plurals.category("en", 1.0), "one");
        assert_eq!(plurals.category("en", 2.0), "other");
        assert_eq!(plurals.category("en", 1.5), "other");
        assert_eq!(plurals.category("zh", 1.0), "other");
        assert_eq!(plurals.category("zh-Hant", 1.0), "other");
        assert_eq!(plurals.category("pl", 5.0), "many");
        assert_eq!(plurals.category("not a tag", 1.0), "other");
    }
}
