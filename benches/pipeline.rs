//! Hot functions of the pipeline: front matter, Markdown, a whole small build.
//! `cargo bench`; whole-corpus builds against Hugo and Zola: `scripts/bench.sh`.

use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};
use gazette::config::BuildOptions;
use gazette::output::NullSink;
use gazette::parse::front_matter;
use gazette::parse::markdown::{self, MarkdownOptions};
use gazette::{Target, build_site};

const ARTICLE: &str = include_str!(
    "../content/news/2023-05-10-northeast-china-russian-far-east-cooperation/index.md"
);

fn front_matter_parsing(c: &mut Criterion) {
    let split = front_matter::split(ARTICLE).expect("the lead article has front matter");
    let taxonomies = vec![
        "tags".to_string(),
        "categories".to_string(),
        "authors".to_string(),
    ];
    c.bench_function("front matter of the lead article", |b| {
        b.iter(|| front_matter::parse(black_box(split.yaml), "content/a.md", &taxonomies))
    });
}

fn markdown_rendering(c: &mut Criterion) {
    let split = front_matter::split(ARTICLE).expect("the lead article has front matter");
    let options = MarkdownOptions {
        unsafe_html: true,
        external_new_tab: false,
        external_nofollow: false,
    };
    c.bench_function("markdown of the lead article", |b| {
        b.iter(|| markdown::render(black_box(split.body), split.body_line, options))
    });
    let code = "```rust\nfn main() {\n    println!(\"{}\", 1 + 2);\n}\n```\n".repeat(10);
    markdown::render(&code, 1, options); // load the syntaxes once, outside the measurement
    c.bench_function("markdown with ten highlighted code blocks", |b| {
        b.iter(|| markdown::render(black_box(&code), 1, options))
    });
}

fn sample_portal_build(c: &mut Criterion) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let options = BuildOptions::default();
    c.bench_function("whole sample portal, rendered in memory", |b| {
        b.iter(|| {
            let outcome = build_site(root, &options, Target::Sink(&NullSink));
            assert!(!outcome.diagnostics.has_errors());
        })
    });
}

criterion_group!(
    benches,
    front_matter_parsing,
    markdown_rendering,
    sample_portal_build
);
criterion_main!(benches);
