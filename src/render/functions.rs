//! Template functions: `url`, `t`, `get_page`, `get_section`. They read a
//! `Lookup` built once per build and shared by every render thread.

use std::collections::BTreeMap;
use std::sync::{Arc, RwLock};

use tera::{Kwargs, State, Tera, TeraResult, Value};

use super::images::{ImageProcessor, ResizeRequest};
use super::memo::Dependency;
use crate::link::{ArticleId, SectionId};

/// What functions look up: list values by source path, UI strings by language.
#[derive(Default)]
pub(crate) struct Lookup {
    /// The site folder (`load_data` reads below it).
    pub(super) root: std::path::PathBuf,
    /// URL prefix of the site (`""` or `/portal`).
    pub(super) base_path: String,
    /// Every article, ordered by source path (`news/visit.md`): its list
    /// item holds its path, its versions, and their languages and URLs.
    pub(super) by_source: Arc<[ArticleId]>,
    /// Section folder (`news`) → every language version.
    pub(super) sections: BTreeMap<String, Vec<SectionVersion>>,
    /// The articles' list items, which values are made from.
    pub(super) items: Option<Arc<super::list_items::ListItems>>,
    /// language → key → text.
    pub(super) strings: Arc<UiStrings>,
    /// Resizes images for `resize_image()`.
    pub(super) images: Option<Arc<ImageProcessor>>,
    /// Static files for `asset_url()` and `asset_integrity()`.
    pub(super) assets: Option<Arc<super::assets::Assets>>,
}

/// UI strings, language → key → text, as template values so that `t()`
/// returns them without copying.
pub(crate) type UiStrings = BTreeMap<String, BTreeMap<String, Value>>;

impl Lookup {
    /// The version of content path `path` in `lang` (else the first one): (URL, what it shows).
    fn content(&self, path: &str, lang: &str) -> Option<(&str, Shown<'_>)> {
        let path = path.trim_start_matches("@/").trim_start_matches('/');
        match path.rsplit_once('/').map_or(("", path), |(d, n)| (d, n)) {
            (dir, name) if name.starts_with("_index.") => {
                let versions = self.sections.get(dir)?.iter();
                let (_, url, head, id) = in_lang(versions, |v| &v.0, lang)?;
                Some((url, Shown::Section(head, *id)))
            }
            _ => {
                let items = self.items.as_deref()?;
                let at = (self.by_source)
                    .binary_search_by(|&id| items.path(id).cmp(path))
                    .ok()?;
                let versions = items.versions(self.by_source[at]).iter();
                let &id = in_lang(versions, |&id| items.lang(id), lang)?;
                Some((items.url(id), Shown::Article(id)))
            }
        }
    }
}

/// One language version of a section: (lang, URL, its value but `pages`, id).
pub(crate) type SectionVersion = (String, String, Value, SectionId);

/// What `get_page` or `get_section` gives for a version.
enum Shown<'a> {
    /// An article: its list item.
    Article(ArticleId),
    /// A section: its value but `pages`, which each call adds from the items
    /// (held for the build, a big section's list would hold every article's
    /// item).
    Section(&'a Value, SectionId),
}

impl Lookup {
    /// The template value of `shown`.
    fn value(&self, shown: Shown<'_>) -> Value {
        let Some(items) = &self.items else {
            return Value::none();
        };
        match shown {
            Shown::Article(id) => items.value(id),
            Shown::Section(head, id) => {
                let mut map = head.as_map().cloned().unwrap_or_default();
                map.insert("pages".into(), items.section(id));
                Value::from(map)
            }
        }
    }
}

/// The version in `lang` (`lang_of` tells a version's), else the first one.
fn in_lang<'a, V>(
    mut versions: impl Iterator<Item = &'a V> + Clone,
    lang_of: impl Fn(&'a V) -> &'a str,
    lang: &str,
) -> Option<&'a V> {
    let first = versions.clone().next();
    versions.find(|&v| lang_of(v) == lang).or(first)
}

/// The `lang` argument, else the page's language (a string value; none if unset).
fn current_lang(kwargs: &Kwargs, state: &State) -> TeraResult<Value> {
    Ok(match kwargs.get::<&str>("lang")? {
        Some(lang) => lang.into(),
        None => state.get::<Value>("lang")?.unwrap_or_else(Value::none),
    })
}

/// The `Lookup` of the build being rendered. Tera checks function names when it
/// parses templates, so functions are registered once, at load, and read the
/// current build's data through this slot.
#[derive(Clone, Default)]
pub struct LookupSlot(Arc<RwLock<Arc<Lookup>>>);

impl LookupSlot {
    /// Make `lookup` the data every function call reads.
    pub(crate) fn set(&self, lookup: Lookup) {
        *self.0.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(lookup);
    }

    fn get(&self) -> Arc<Lookup> {
        self.0.read().unwrap_or_else(|e| e.into_inner()).clone()
    }
}

thread_local! {
    /// What the template being rendered on this thread fetched, while recording.
    static FETCHED: std::cell::RefCell<Option<Vec<Dependency>>> = const { std::cell::RefCell::new(None) };
}

/// Run `render`, returning what its templates fetched with `get_page`/`get_section`.
pub(super) fn record_dependencies<R>(render: impl FnOnce() -> R) -> (R, Vec<Dependency>) {
    FETCHED.with(|f| *f.borrow_mut() = Some(Vec::new()));
    let result = render();
    let fetched = FETCHED.with(|f| f.borrow_mut().take()).unwrap_or_default();
    (result, fetched)
}

fn note(dependency: Dependency) {
    FETCHED.with(|f| {
        if let Some(list) = f.borrow_mut().as_mut() {
            list.push(dependency);
        }
    });
}

/// A UI string for `count` things: the plural form of the language's CLDR
/// category (else `other`), with `{count}` replaced.
fn counted(
    text: &Value,
    count: &Value,
    lang: &str,
    plurals: &super::plurals::Plurals,
    key: &str,
) -> TeraResult<String> {
    let number = count.as_number().map(|n| n.as_float()).ok_or_else(|| {
        tera::Error::message(format!("t: count of `{key}` must be a number, not {count}"))
    })?;
    let form = match text.as_str() {
        Some(plain) => plain.to_string(),
        None => {
            let category = plurals.category(lang, number);
            let forms = text.as_map();
            let pick = |name: &'static str| {
                forms
                    .and_then(|m| m.get(&tera::value::Key::from(name)))
                    .and_then(|v| v.as_str())
            };
            pick(category)
                .or_else(|| pick("other"))
                .unwrap_or_default()
                .to_string()
        }
    };
    Ok(form.replace("{count}", &count.to_string()))
}

/// Register the functions on `tera`, reading from whatever `slot` holds.
pub(super) fn register(tera: &mut Tera, slot: &LookupSlot) {
    add(tera, slot, "url", url);
    let plurals = Arc::new(super::plurals::Plurals::default());
    add(tera, slot, "t", move |l, kwargs, state| {
        translate(l, kwargs, state, &plurals)
    });
    add(tera, slot, "resize_image", resize_image);
    add(tera, slot, "image_size", image_size);
    add(tera, slot, "load_data", |l, kwargs, _| load_data(l, kwargs));
    for (name, integrity) in [("asset_url", false), ("asset_integrity", true)] {
        add(tera, slot, name, move |l, kwargs, _| {
            asset(l, kwargs, name, integrity)
        });
    }
    for (name, want_section) in [("get_page", false), ("get_section", true)] {
        add(tera, slot, name, move |l, kwargs, state| {
            get_content(l, kwargs, state, name, want_section)
        });
    }
}

/// Register `function` as `name`; each call reads what `slot` holds then.
fn add<R: Into<Value> + 'static>(
    tera: &mut Tera,
    slot: &LookupSlot,
    name: &'static str,
    function: impl Fn(&Lookup, &Kwargs, &State) -> TeraResult<R> + Send + Sync + 'static,
) {
    let slot = slot.clone();
    tera.register_function(name, move |kwargs: Kwargs, state: &State| {
        function(&slot.get(), &kwargs, state)
    });
}

/// `url(path)`: a site URL for a path, an `@/` content path, or a full URL as it is.
fn url(l: &Lookup, kwargs: &Kwargs, state: &State) -> TeraResult<String> {
    let path: String = kwargs.must_get("path")?;
    if path.starts_with("@/") {
        let lang = current_lang(kwargs, state)?;
        return l
            .content(&path, lang.as_str().unwrap_or_default())
            .map(|(url, _)| url.to_string())
            .ok_or_else(|| tera::Error::message(format!("url: no published page `{path}`")));
    }
    if path.starts_with("http://") || path.starts_with("https://") {
        return Ok(path);
    }
    Ok(format!("{}/{}", l.base_path, path.trim_start_matches('/')))
}

/// `t(key, count?, forms?, default?)`: a UI string of the page's language.
fn translate(
    l: &Lookup,
    kwargs: &Kwargs,
    state: &State,
    plurals: &super::plurals::Plurals,
) -> TeraResult<Value> {
    let key: &str = kwargs.must_get("key")?;
    let lang = current_lang(kwargs, state)?;
    let lang = lang.as_str().unwrap_or_default();
    let count = kwargs.get::<Value>("count")?;
    if let Some(text) = l.strings.get(lang).and_then(|s| s.get(key)) {
        // `forms=true`: the string as written (its plural map), for scripts.
        if kwargs.get::<bool>("forms")?.unwrap_or(false) {
            return Ok(text.clone());
        }
        return match count {
            None if text.as_str().is_some() => Ok(text.clone()),
            None => Err(tera::Error::message(format!(
                "t: UI string `{key}` has plural forms: give count=…"
            ))),
            Some(count) => counted(text, &count, lang, plurals, key).map(Value::from),
        };
    }
    kwargs.get::<&str>("default")?.map(Value::from).ok_or_else(|| {
        tera::Error::message(format!(
            "t: no UI string `{key}` in language \"{lang}\", add it to templates/i18n/{lang}.yaml or to languages.{lang}.strings in site.yaml"
        ))
    })
}

/// `resize_image(path, width?, height?, op?, format?, quality?)`.
fn resize_image(l: &Lookup, kwargs: &Kwargs, state: &State) -> TeraResult<Value> {
    let images = l
        .images
        .as_ref()
        .ok_or_else(|| tera::Error::message("resize_image: images are not available here"))?;
    let op = kwargs
        .get::<String>("op")?
        .unwrap_or_else(|| "fit".into())
        .parse()
        .map_err(tera::Error::message)?;
    let format = kwargs
        .get::<String>("format")?
        .unwrap_or_else(|| "auto".into())
        .parse()
        .map_err(tera::Error::message)?;
    let request = ResizeRequest {
        path: kwargs.must_get::<String>("path")?,
        width: kwargs.get::<u32>("width")?,
        height: kwargs.get::<u32>("height")?,
        op,
        format,
        quality: kwargs.get::<u8>("quality")?.unwrap_or(80),
    };
    let folder = state.get::<String>("page_folder")?.unwrap_or_default();
    if let Ok(source) = images.locate(&request.path, &folder) {
        note(Dependency::File { path: source });
    }
    images
        .resize(&request, &folder)
        .map(|r| Value::from_serializable(&r))
        .map_err(tera::Error::message)
}

/// `image_size(path)`: {width, height} of an image of the site.
fn image_size(l: &Lookup, kwargs: &Kwargs, state: &State) -> TeraResult<Value> {
    let images = l
        .images
        .as_ref()
        .ok_or_else(|| tera::Error::message("image_size: images are not available here"))?;
    let path: String = kwargs.must_get("path")?;
    let folder = state.get::<String>("page_folder")?.unwrap_or_default();
    let source = images
        .locate(&path, &folder)
        .map_err(|e| tera::Error::message(e.replace("resize_image:", "image_size:")))?;
    note(Dependency::File {
        path: source.clone(),
    });
    let (width, height) = crate::photo::dimensions(&source).ok_or_else(|| {
        tera::Error::message(format!("image_size: cannot read the size of \"{path}\""))
    })?;
    Ok(Value::from_serializable(
        &serde_json::json!({ "width": width, "height": height }),
    ))
}

/// `load_data(path)`: a YAML, TOML, JSON or CSV file of the site, parsed.
fn load_data(l: &Lookup, kwargs: &Kwargs) -> TeraResult<Value> {
    let path: String = kwargs.must_get("path")?;
    let clean = path.trim_start_matches('/');
    let inside = std::path::Path::new(clean)
        .components()
        .all(|c| matches!(c, std::path::Component::Normal(_)));
    let file = l.root.join(clean);
    if !inside || !file.is_file() {
        return Err(tera::Error::message(format!(
            "load_data: no file \"{path}\" in the site (paths are relative to the site folder, e.g. data/fees.yaml)"
        )));
    }
    note(Dependency::File { path: file.clone() });
    let value = crate::data::load_file(&l.root, &file)
        .map_err(|d| tera::Error::message(format!("load_data: {d}")))?;
    Ok(Value::from_serializable(&value))
}

/// `asset_url(path)` (fingerprinted URL) or `asset_integrity(path)` (its SRI hash).
fn asset(l: &Lookup, kwargs: &Kwargs, name: &str, integrity: bool) -> TeraResult<Value> {
    let path: String = kwargs.must_get("path")?;
    let assets = l
        .assets
        .as_ref()
        .ok_or_else(|| tera::Error::message(format!("{name}: static files are not known here")))?;
    let print = assets
        .fingerprint(&path)
        .map_err(|e| tera::Error::message(format!("{name}: {e}")))?;
    Ok(Value::from(if integrity {
        print.integrity
    } else {
        format!("{}/{}", l.base_path, print.path)
    }))
}

/// `get_page(path)` or (`want_section`) `get_section(path)`, in the page's
/// language; the call is noted as a dependency of the page.
fn get_content(
    l: &Lookup,
    kwargs: &Kwargs,
    state: &State,
    name: &str,
    want_section: bool,
) -> TeraResult<Value> {
    let path: String = kwargs.must_get("path")?;
    let lang = current_lang(kwargs, state)?;
    let lang = lang.as_str().unwrap_or_default();
    let is_section = path
        .rsplit('/')
        .next()
        .is_some_and(|n| n.starts_with("_index."));
    let clean = path.trim_start_matches("@/").trim_start_matches('/');
    let lang_owned = lang.to_string();
    note(if is_section {
        let dir = clean.rsplit_once('/').map_or("", |(d, _)| d).to_string();
        Dependency::Section {
            dir,
            lang: lang_owned,
        }
    } else {
        Dependency::Page {
            path: clean.to_string(),
            lang: lang_owned,
        }
    });
    if is_section != want_section {
        let expected = if want_section {
            "a section's _index.md"
        } else {
            "an article file"
        };
        return Err(tera::Error::message(format!(
            "{name}: `{path}` is not {expected}"
        )));
    }
    l.content(&path, lang)
        .map(|(_, shown)| l.value(shown))
        .ok_or_else(|| {
            tera::Error::message(format!("{name}: no published `{path}` under content/"))
        })
}
