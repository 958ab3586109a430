//! Photos in bundles: resized once and cached, published with the page, bad
//! files reported by name.

use crate::harness::{SiteTest, photo};

fn with_photo() -> SiteTest {
    let site = SiteTest::empty();
    site.write("content/news/visit/index.md", "---\ntitle: Visit\ndate: 2023-05-10\nimage: lead.jpg\nimage_alt: The delegation\n---\n\n{{ figure(src=\"lead.jpg\", caption=\"Arrival\") }}\n");
    site.write("content/news/visit/lead.jpg", photo(1800, 1200));
    site
}

fn cached(site: &SiteTest) -> Vec<(String, std::time::SystemTime)> {
    let mut files: Vec<_> = std::fs::read_dir(site.root().join(".gazette-cache/images"))
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (
                e.file_name().to_string_lossy().into_owned(),
                e.metadata().unwrap().modified().unwrap(),
            )
        })
        .collect();
    files.sort();
    files
}

#[test]
fn resized_images_are_cached_between_builds() {
    let site = with_photo();
    site.build().assert_ok();
    let first = cached(&site);
    assert!(!first.is_empty());
    let page = site.page("/news/visit/");
    for src in page.attrs("img", "src") {
        assert!(
            site.exists(src.trim_start_matches('/')) || src.starts_with("http"),
            "{src} is published"
        );
    }
    std::thread::sleep(std::time::Duration::from_millis(20));
    site.build().assert_ok();
    assert_eq!(first, cached(&site), "the second build processes no image");
    let first_tree = site.tree();
    std::fs::remove_dir_all(site.root().join(".gazette-cache")).unwrap();
    site.build().assert_ok();
    crate::harness::assert_same_tree(&first_tree, &site.tree());
}

#[test]
fn broken_photos_are_named() {
    let site = with_photo();
    site.write(
        "content/news/visit/lead.jpg",
        b"\xff\xd8\xff\xe0 truncated".as_slice(),
    );
    let run = site.build();
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("lead.jpg"), "{}", run.stderr);
    assert!(!run.stderr.contains("panicked"));
}

#[test]
fn photos_offer_webp_with_a_jpeg_fallback() {
    let site = with_photo();
    site.build().assert_ok();
    let page = site.page("/news/visit/");
    for picture in ["figure.figure picture", "figure.lead-figure picture"] {
        let webp = page.attrs(&format!("{picture} source[type=\"image/webp\"]"), "srcset");
        assert_eq!(webp.len(), 1, "{picture}: one WebP source");
        let candidates: Vec<&str> = webp[0].split(", ").collect();
        assert!(
            candidates.len() >= 2,
            "{picture}: several widths: {}",
            webp[0]
        );
        for candidate in candidates {
            let (url, width) = candidate.split_once(' ').unwrap();
            assert!(
                url.ends_with(".webp") && width.ends_with('w'),
                "{candidate}"
            );
            let bytes = std::fs::read(site.public().join(url.trim_start_matches('/'))).unwrap();
            assert_eq!(&bytes[8..16], b"WEBPVP8 ", "{url} is lossy WebP");
        }
        let fallback = page.attrs(&format!("{picture} img"), "src");
        assert!(fallback[0].ends_with(".jpg"), "{picture}: JPEG fallback");
        assert_eq!(page.attrs(&format!("{picture} img"), "width").len(), 1);
    }
}

/// A site whose article uses `bad.jpg` in the way `usage` writes it.
fn using_photo(usage: &str, bytes: &[u8]) -> SiteTest {
    let site = SiteTest::empty();
    site.write(
        "content/news/visit/index.md",
        format!("---\ntitle: Visit\ndate: 2023-05-10\n{usage}"),
    );
    site.write("content/news/visit/bad.jpg", bytes);
    site
}

const USAGES: &[(&str, &str)] = &[
    ("Markdown image", "---\n\n![The bridge](bad.jpg)\n"),
    (
        "figure shortcode",
        "---\n\n{{ figure(src=\"bad.jpg\", caption=\"The bridge\") }}\n",
    ),
    (
        "lead image",
        "image: bad.jpg\nimage_alt: The bridge\n---\n\nText.\n",
    ),
];

#[test]
fn a_text_file_named_jpg_is_an_error_wherever_it_is_used() {
    for (usage, text) in USAGES {
        let site = using_photo(text, b"<html>not a photo</html>");
        let run = site.build();
        assert_eq!(run.code, 1, "{usage}: {}", run.stderr);
        assert!(run.stderr.contains("bad.jpg"), "{usage}: {}", run.stderr);
        assert!(
            run.stderr.contains("not an image"),
            "{usage}: {}",
            run.stderr
        );
        assert!(!site.exists("index.html"), "{usage}: output written");
    }
}

#[test]
fn a_truncated_jpeg_is_never_published_silently() {
    let whole = photo(900, 600);
    let cut = &whole[..whole.len() * 2 / 3];
    for (usage, text) in USAGES {
        let site = using_photo(text, cut);
        let run = site.build();
        assert!(run.stderr.contains("bad.jpg"), "{usage}: {}", run.stderr);
        assert!(run.stderr.contains("truncated"), "{usage}: {}", run.stderr);
        assert!(!run.stderr.contains("panicked"), "{usage}: {}", run.stderr);
    }
    let site = using_photo("---\n\n{% notice() %}x{% end %}\n", cut);
    site.write(
        "templates/page.html",
        "{% extends \"base.html\" %}{% block main %}{% set r = resize_image(path=\"bad.jpg\", width=100) %}<img src=\"{{ r.url }}\" alt=\"\">{% endblock main %}",
    );
    let run = site.build();
    assert!(
        run.stderr.contains("content/news/visit/bad.jpg"),
        "resize_image: {}",
        run.stderr
    );
}

#[test]
fn a_lead_photo_gives_its_size_to_the_page_and_to_list_items() {
    let site = with_photo();
    site.write(
        "templates/page.html",
        "<p id=\"size\">{{ page.image_width }}x{{ page.image_height }}|{{ page.image_source }}</p>",
    );
    site.write(
        "templates/section.html",
        "<ul>{% for p in paginator.pages %}<li>{{ p.image_width }}x{{ p.image_height }}</li>{% endfor %}</ul>",
    );
    site.build().assert_ok();
    assert_eq!(
        site.page("/news/visit/").text("#size"),
        "1800x1200|news/visit/lead.jpg"
    );
    assert_eq!(site.page("/news/").texts("li"), ["1800x1200"]);
}
