//! `SiteTest`: copy a fixture site to a temporary folder, change files, run the
//! real `gazette` binary on it and read what it wrote.

use std::path::{Path, PathBuf};
use std::process::Command;

use scraper::{Html, Selector};

/// A site in a temporary folder.
pub(crate) struct SiteTest {
    dir: tempfile::TempDir,
}

/// What one run of the binary did.
#[derive(Debug)]
pub(crate) struct Run {
    pub(crate) code: i32,
    pub(crate) stderr: String,
}

impl Run {
    #[track_caller]
    pub(crate) fn assert_ok(&self) -> &Self {
        assert_eq!(self.code, 0, "build failed:\n{}", self.stderr);
        self
    }

    #[track_caller]
    pub(crate) fn assert_fails_with(&self, needle: &str) -> &Self {
        assert_eq!(self.code, 1, "expected exit 1:\n{}", self.stderr);
        assert!(
            self.stderr.contains(needle),
            "stderr lacks {needle:?}:\n{}",
            self.stderr
        );
        self
    }
}

/// The `SOURCE_DATE_EPOCH` of every test run: 2024-01-01T00:00:00Z.
pub(crate) const EPOCH: &str = "1704067200";

fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

impl SiteTest {
    /// A copy of `tests/fixtures/<name>`.
    pub(crate) fn fixture(name: &str) -> SiteTest {
        let site = SiteTest::empty();
        copy_tree(
            &Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/fixtures")
                .join(name),
            site.root(),
        );
        site
    }

    /// An empty folder with a minimal site.yaml.
    pub(crate) fn empty() -> SiteTest {
        let site = SiteTest {
            dir: tempfile::tempdir().unwrap(),
        };
        site.write("site.yaml", "title: Test\nbase_url: https://example.org\n");
        site
    }

    /// An empty site with the small theme of `tests/fixtures/themes/own-blocks`
    /// (no search, archive or feeds links): for tests about sheer size, where
    /// the default theme's pages would only add time.
    pub(crate) fn with_small_theme() -> SiteTest {
        let site = SiteTest::empty();
        copy_tree(
            &Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/fixtures/themes/own-blocks/templates"),
            &site.root().join("templates"),
        );
        site
    }

    pub(crate) fn root(&self) -> &Path {
        self.dir.path()
    }

    /// Write `text` to `rel` (folders created).
    pub(crate) fn write(&self, rel: &str, text: impl AsRef<[u8]>) -> &Self {
        let path = self.root().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
        self
    }

    pub(crate) fn remove(&self, rel: &str) -> &Self {
        std::fs::remove_file(self.root().join(rel)).unwrap();
        self
    }

    /// Run `gazette <args> --root <site>`.
    pub(crate) fn run(&self, args: &[&str]) -> Run {
        let output = Command::new(env!("CARGO_BIN_EXE_gazette"))
            .args(args)
            .arg("--root")
            .arg(self.root())
            .env("SOURCE_DATE_EPOCH", EPOCH)
            .output()
            .unwrap();
        Run {
            code: output.status.code().unwrap_or(-1),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }

    pub(crate) fn build(&self) -> Run {
        self.run(&["build"])
    }

    pub(crate) fn public(&self) -> PathBuf {
        self.root().join("public")
    }

    /// A file of the output, as text.
    #[track_caller]
    pub(crate) fn file(&self, rel: &str) -> String {
        let path = self.public().join(rel);
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    }

    pub(crate) fn exists(&self, rel: &str) -> bool {
        self.public().join(rel).exists()
    }

    /// The page at site URL `url`, parsed.
    #[track_caller]
    pub(crate) fn page(&self, url: &str) -> Page {
        let rel = url.trim_start_matches('/');
        let rel = if rel.is_empty() || rel.ends_with('/') {
            format!("{rel}index.html")
        } else {
            rel.to_string()
        };
        Page(Html::parse_document(&self.file(&rel)))
    }

    /// Every output file, relative, sorted, with its bytes.
    pub(crate) fn tree(&self) -> Vec<(String, Vec<u8>)> {
        let mut files: Vec<_> = walkdir::WalkDir::new(self.public())
            .sort_by_file_name()
            .into_iter()
            .map(Result::unwrap)
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                let rel = e
                    .path()
                    .strip_prefix(self.public())
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                (rel, std::fs::read(e.path()).unwrap())
            })
            .collect();
        files.sort();
        files
    }
}

/// A port on 127.0.0.1 that was free a moment ago.
pub(crate) fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A parsed HTML page.
pub(crate) struct Page(pub Html);

impl Page {
    /// Text of every element matching `css`.
    pub(crate) fn texts(&self, css: &str) -> Vec<String> {
        let selector = Selector::parse(css).unwrap();
        self.0
            .select(&selector)
            .map(|e| e.text().collect::<String>().trim().to_string())
            .collect()
    }

    /// Text of the one element matching `css`.
    #[track_caller]
    pub(crate) fn text(&self, css: &str) -> String {
        let texts = self.texts(css);
        assert_eq!(texts.len(), 1, "{css} matched {} elements", texts.len());
        texts.into_iter().next().unwrap()
    }

    /// Values of attribute `attr` of elements matching `css`.
    pub(crate) fn attrs(&self, css: &str, attr: &str) -> Vec<String> {
        let selector = Selector::parse(css).unwrap();
        self.0
            .select(&selector)
            .filter_map(|e| e.value().attr(attr).map(str::to_string))
            .collect()
    }

    /// Inner HTML of the one element matching `css`.
    pub(crate) fn inner_html(&self, css: &str) -> String {
        let selector = Selector::parse(css).unwrap();
        self.0
            .select(&selector)
            .next()
            .map(|e| e.inner_html())
            .unwrap_or_default()
    }
}

/// Assert two output trees are identical, naming the first difference.
#[track_caller]
pub(crate) fn assert_same_tree(left: &[(String, Vec<u8>)], right: &[(String, Vec<u8>)]) {
    let names = |t: &[(String, Vec<u8>)]| t.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
    assert_eq!(names(left), names(right), "different files");
    for ((name, a), (_, b)) in left.iter().zip(right) {
        assert!(
            a == b,
            "{name} differs:\n{}\n---\n{}",
            String::from_utf8_lossy(a),
            String::from_utf8_lossy(b)
        );
    }
}

/// A small real JPEG photo, `width` × `height`.
pub(crate) fn photo(width: u32, height: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([(x * 3 % 256) as u8, (y * 5 % 256) as u8, 90])
    });
    let mut out = Vec::new();
    image::DynamicImage::ImageRgb8(img)
        .write_to(
            &mut std::io::Cursor::new(&mut out),
            image::ImageFormat::Jpeg,
        )
        .unwrap();
    out
}

/// The `<loc>` URLs of a sitemap.
pub(crate) fn sitemap_locs(xml: &str) -> Vec<String> {
    let doc = roxmltree::Document::parse(xml).unwrap();
    doc.descendants()
        .filter(|n| n.has_tag_name("loc"))
        .filter_map(|n| n.text())
        .map(str::to_string)
        .collect()
}

/// One language's search index, read back from its files (README, "Search index").
pub(crate) struct SearchIndex {
    pub(crate) meta: serde_json::Value,
    /// Result cards in doc order.
    pub(crate) cards: Vec<serde_json::Value>,
    /// Stem → [(doc, weight)].
    pub(crate) terms: std::collections::BTreeMap<String, Vec<(u64, u8)>>,
    /// Word form → stem.
    pub(crate) forms: std::collections::BTreeMap<String, String>,
}

struct Reader<'a>(&'a [u8]);

impl Reader<'_> {
    fn number(&mut self) -> u64 {
        let (mut n, mut shift) = (0u64, 0);
        loop {
            let byte = self.0[0];
            self.0 = &self.0[1..];
            n |= u64::from(byte & 0x7f) << shift;
            shift += 7;
            if byte & 0x80 == 0 {
                return n;
            }
        }
    }

    fn string(&mut self) -> String {
        let len = self.number() as usize;
        let (text, rest) = self.0.split_at(len);
        self.0 = rest;
        String::from_utf8(text.to_vec()).unwrap()
    }
}

impl SearchIndex {
    /// The index of `lang` under `public`'s `search/<lang>/`.
    pub(crate) fn read(public: &Path, lang: &str) -> SearchIndex {
        let folder = public.join("search").join(lang);
        let bytes =
            |rel: String| std::fs::read(folder.join(&rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
        let meta: serde_json::Value = serde_json::from_slice(&bytes("index.json".into())).unwrap();
        let docs = meta["docs"].as_u64().unwrap() as usize;
        let per = meta["cards_per_file"].as_u64().unwrap() as usize;
        let mut cards = Vec::new();
        for n in 0..docs.div_ceil(per) {
            let file: Vec<serde_json::Value> =
                serde_json::from_slice(&bytes(format!("d/{n}.json"))).unwrap();
            cards.extend(file);
        }
        assert_eq!(cards.len(), docs);
        let mut terms = std::collections::BTreeMap::new();
        for (n, first) in meta["terms"].as_array().unwrap().iter().enumerate() {
            let data = bytes(format!("t/{n}.bin"));
            let mut r = Reader(&data);
            let mut at_first = true;
            while !r.0.is_empty() {
                let key = r.string();
                if at_first {
                    assert_eq!(first, &key, "t/{n}.bin starts with its meta key");
                    at_first = false;
                }
                let (count, mut doc) = (r.number(), 0);
                let mut list = Vec::new();
                for _ in 0..count {
                    doc += r.number();
                    let weight = r.0[0];
                    r.0 = &r.0[1..];
                    list.push((doc, weight));
                }
                terms.insert(key, list);
            }
        }
        let mut forms = std::collections::BTreeMap::new();
        for n in 0..meta["forms"].as_array().unwrap().len() {
            let data = bytes(format!("v/{n}.bin"));
            let mut r = Reader(&data);
            while !r.0.is_empty() {
                let form = r.string();
                forms.insert(form, r.string());
            }
        }
        SearchIndex {
            meta,
            cards,
            terms,
            forms,
        }
    }

    /// The docs of filter `name` = `value`.
    pub(crate) fn filter(&self, public: &Path, lang: &str, name: &str, value: &str) -> Vec<u64> {
        let filter = self.meta["filters"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["name"] == name)
            .unwrap();
        let value = filter["values"]
            .as_array()
            .unwrap()
            .iter()
            .find(|v| v["value"] == value)
            .unwrap();
        let file = public.join(format!("search/{lang}/f/{}.bin", value["file"]));
        let data = std::fs::read(file).unwrap();
        let mut r = Reader(&data);
        let (mut doc, mut out) = (0, Vec::new());
        while !r.0.is_empty() {
            doc += r.number();
            out.push(doc);
        }
        out
    }

    /// Titles of the docs holding `stem`.
    pub(crate) fn titles_with(&self, stem: &str) -> Vec<String> {
        self.terms
            .get(stem)
            .into_iter()
            .flatten()
            .map(|(doc, _)| {
                self.cards[*doc as usize]["title"]
                    .as_str()
                    .unwrap()
                    .to_string()
            })
            .collect()
    }
}
