//! Template filters: `date(format, lang)` with month names per language,
//! `markdown`, `slugify`.

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate};
use tera::{Kwargs, State, Tera, Value};

use crate::parse::markdown::render_inline;
use crate::slug::{SlugMode, slugify};

/// Register gazette's filters on `tera`.
pub(super) fn register(tera: &mut Tera) {
    tera.register_filter("date", date);
    tera.register_filter("markdown", |text: &str, _: Kwargs, _: &State| {
        Value::safe_string(&render_inline(text))
    });
    tera.register_filter("slugify", |text: &str, _: Kwargs, _: &State| {
        slugify(text, SlugMode::Transliterate)
    });
    tera.register_filter("json", |value: &Value, _: Kwargs, _: &State| {
        serde_json::to_string(value)
            .map(|json| Value::safe_string(&json_for_html(&json)))
            .map_err(|e| tera::Error::message(format!("json: {e}")))
    });
}

/// JSON that is safe inside `<script>` and HTML attributes: `<`, `>` and `&`
/// become `\u` escapes, so a title holding `</script>` cannot end the script.
pub(super) fn json_for_html(json: &str) -> String {
    json.replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

fn date(value: &str, kwargs: Kwargs, state: &State) -> tera::TeraResult<String> {
    let lang: String = match kwargs.get::<String>("lang")? {
        Some(lang) => lang,
        None => state.get::<String>("lang")?.unwrap_or_else(|| "en".into()),
    };
    let format = kwargs
        .get::<String>("format")?
        .unwrap_or_else(|| default_format(&lang).to_string());
    let moment = parse_moment(value)
        .ok_or_else(|| tera::Error::message(format!("date: cannot read \"{value}\" as a date")))?;
    Ok(format_date(&moment, &format, &lang))
}

fn parse_moment(value: &str) -> Option<DateTime<FixedOffset>> {
    DateTime::parse_from_rfc3339(value).ok().or_else(|| {
        let day = NaiveDate::parse_from_str(value, "%Y-%m-%d").ok()?;
        Some(day.and_time(Default::default()).and_utc().fixed_offset())
    })
}

/// The usual long date of a language: `10 May 2023`, `10 мая 2023 г.`, `2023年5月10日`.
pub(super) fn default_format(lang: &str) -> &'static str {
    match primary(lang) {
        "ru" => "%-d %B %Y г.",
        "zh" | "ja" => "%Y年%-m月%-d日",
        _ => "%-d %B %Y",
    }
}

fn primary(lang: &str) -> &str {
    lang.split('-').next().unwrap_or(lang)
}

const EN_MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const RU_MONTHS: [&str; 12] = [
    "январь",
    "февраль",
    "март",
    "апрель",
    "май",
    "июнь",
    "июль",
    "август",
    "сентябрь",
    "октябрь",
    "ноябрь",
    "декабрь",
];
const RU_MONTHS_GENITIVE: [&str; 12] = [
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
];
const EN_WEEKDAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];
const RU_WEEKDAYS: [&str; 7] = [
    "понедельник",
    "вторник",
    "среда",
    "четверг",
    "пятница",
    "суббота",
    "воскресенье",
];
const ZH_WEEKDAYS: [&str; 7] = [
    "星期一",
    "星期二",
    "星期三",
    "星期四",
    "星期五",
    "星期六",
    "星期日",
];

/// strftime with month and weekday names in `lang`. `%B` is the month as it
/// stands in a date (Russian genitive: `мая`), `%OB` the month alone (`май`).
pub(super) fn format_date(moment: &DateTime<FixedOffset>, format: &str, lang: &str) -> String {
    let month = moment.month0() as usize;
    let weekday = moment.weekday().num_days_from_monday() as usize;
    let (month_in_date, month_alone, weekday_name) = match primary(lang) {
        "ru" => (
            RU_MONTHS_GENITIVE[month].to_string(),
            RU_MONTHS[month].to_string(),
            RU_WEEKDAYS[weekday].to_string(),
        ),
        "zh" | "ja" => (
            format!("{}月", month + 1),
            format!("{}月", month + 1),
            ZH_WEEKDAYS[weekday].to_string(),
        ),
        _ => (
            EN_MONTHS[month].to_string(),
            EN_MONTHS[month].to_string(),
            EN_WEEKDAYS[weekday].to_string(),
        ),
    };
    let short = |name: &str| -> String {
        if primary(lang) == "zh" || primary(lang) == "ja" {
            name.to_string()
        } else {
            name.chars().take(3).collect()
        }
    };
    let localized = format
        .replace("%OB", &month_alone)
        .replace("%B", &month_in_date)
        .replace("%b", &short(&month_alone))
        .replace("%A", &weekday_name)
        .replace("%a", &short(&weekday_name));
    moment.format(&localized).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day() -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339("2023-05-10T09:00:00+10:00").unwrap()
    }

    #[test]
    fn long_dates_per_language() {
        assert_eq!(
            format_date(&day(), default_format("en"), "en"),
            "10 May 2023"
        );
        assert_eq!(
            format_date(&day(), default_format("ru"), "ru"),
            "10 мая 2023 г."
        );
        assert_eq!(
            format_date(&day(), default_format("zh"), "zh"),
            "2023年5月10日"
        );
    }

    #[test]
    fn json_cannot_close_a_script() {
        assert_eq!(
            json_for_html(r#""</script>&""#),
            r#""\u003c/script\u003e\u0026""#
        );
    }

    #[test]
    fn names_alone_and_weekdays() {
        assert_eq!(format_date(&day(), "%OB %Y", "ru"), "май 2023");
        assert_eq!(format_date(&day(), "%A, %b", "en"), "Wednesday, May");
        assert_eq!(format_date(&day(), "%A", "zh-Hans"), "星期三");
    }
}
