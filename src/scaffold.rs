//! `gazette new` and `gazette init`: files for editors to start from.

use std::path::Path;

use serde::Serialize;

use crate::cli::NewArgs;
use crate::config::{BuildOptions, CONFIG_FILE, Config};
use crate::diagnostics::{Diagnostic, Diagnostics, SourceLocation};
use crate::load::CONTENT_DIR;
use crate::theme;

#[derive(Serialize)]
struct NewFrontMatter<'a> {
    title: &'a str,
    date: String,
    draft: bool,
}

fn failure(location: SourceLocation, message: String) -> Diagnostics {
    let mut all = Diagnostics::default();
    all.push(Diagnostic::error(location, message));
    all
}

/// Create `content/PATH.md` (or `PATH.<lang>.md`) with title, date (now, in the
/// site's time zone) and `draft: true`. Never overwrites.
pub fn new_article(args: &NewArgs) -> Result<String, Diagnostics> {
    let config = Config::load(&args.root, &BuildOptions::default()).map_err(|problems| {
        let mut all = Diagnostics::default();
        all.extend(problems);
        all
    })?;
    let path = args.path.trim_matches('/').trim_end_matches(".md");
    if !crate::parse::is_safe_path(path) {
        return Err(failure(
            SourceLocation::file(CONTENT_DIR),
            format!(
                "\"{}\" is not a path inside content/, expected section/name",
                args.path
            ),
        ));
    }
    if let Some(lang) = &args.lang {
        if !config.has_language(lang) {
            return Err(failure(
                SourceLocation::file(CONFIG_FILE),
                format!("--lang {lang}: not a language of this site"),
            ));
        }
    }
    let file_name = match &args.lang {
        Some(lang) if lang != config.default_language() => format!("{path}.{lang}.md"),
        _ => format!("{path}.md"),
    };
    let rel = format!("{CONTENT_DIR}/{file_name}");
    let target = args.root.join(&rel);
    let stem = path.rsplit('/').next().unwrap_or(path);
    let fallback_title = stem.replace(['-', '_'], " ");
    let front = NewFrontMatter {
        title: args.title.as_deref().unwrap_or(&fallback_title),
        date: config
            .now
            .with_timezone(&config.timezone)
            .format("%Y-%m-%dT%H:%M:%S%:z")
            .to_string(),
        draft: true,
    };
    let yaml =
        crate::yaml::to_string(&front).map_err(|e| failure(SourceLocation::file(&rel), e))?;
    let text =
        format!("---\n{yaml}---\n\nWrite the article here. The first paragraph is its summary.\n");
    if let Some(parent) = target.parent() {
        std::fs::create_dir_all(parent).map_err(|e| {
            failure(
                SourceLocation::file(&rel),
                format!("cannot create folder: {e}"),
            )
        })?;
    }
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&target)
        .map_err(|e| {
            let message = if e.kind() == std::io::ErrorKind::AlreadyExists {
                "already exists; not overwritten".to_string()
            } else {
                format!("cannot create: {e}")
            };
            failure(SourceLocation::file(&rel), message)
        })?;
    std::io::Write::write_all(&mut file, text.as_bytes())
        .map_err(|e| failure(SourceLocation::file(&rel), format!("cannot write: {e}")))?;
    Ok(format!("Created {rel}"))
}

const SAMPLE_SITE_YAML: &str = "title: My news portal\nbase_url: https://example.org\ndescription: News and announcements\ndefault_language: en\ntimezone: UTC\npaginate_by: 10\ntaxonomies: [tags, categories, authors]\nfeeds: true\nslugify: transliterate\nextra: {}\n";

const SAMPLE_ARTICLE: &str = "---\ntitle: Welcome to gazette\ndate: 2024-01-01\nauthor: The editors\ntags: [welcome]\ncategories: [general]\n---\n\nThis is the first article of your portal. Edit `content/news/welcome.md`, or\ncreate another with `gazette new news/my-article`.\n\n## Next steps\n\n- Set `title` and `base_url` in `site.yaml`.\n- Change the templates in `templates/`.\n";

/// Create a new site in `dir` (absent or empty): site.yaml, the default theme,
/// its static files and one sample article.
pub fn init(dir: &Path) -> Result<String, Diagnostics> {
    let here = || SourceLocation::file(dir);
    if dir.exists() && std::fs::read_dir(dir).map_or(true, |mut d| d.next().is_some()) {
        return Err(failure(
            here(),
            "is not empty; gazette init only fills an empty or new folder".into(),
        ));
    }
    let mut files: Vec<(String, Vec<u8>)> = vec![
        (CONFIG_FILE.into(), SAMPLE_SITE_YAML.into()),
        (
            format!("{CONTENT_DIR}/_index.md"),
            "---\ntitle: Home\n---\n".into(),
        ),
        (
            format!("{CONTENT_DIR}/news/_index.md"),
            "---\ntitle: News\n---\n".into(),
        ),
        (
            format!("{CONTENT_DIR}/news/welcome.md"),
            SAMPLE_ARTICLE.into(),
        ),
    ];
    files.extend(
        theme::TEMPLATES
            .iter()
            .map(|(n, t)| (format!("templates/{n}"), t.as_bytes().to_vec())),
    );
    files.extend(
        theme::STRINGS
            .iter()
            .map(|(c, t)| (format!("templates/i18n/{c}.yaml"), t.as_bytes().to_vec())),
    );
    files.extend(
        theme::STATIC
            .iter()
            .map(|(n, b)| (format!("static/{n}"), b.to_vec())),
    );
    for (rel, bytes) in files {
        let path = dir.join(&rel);
        let written = path
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| std::fs::write(&path, bytes));
        written.map_err(|e| {
            failure(
                SourceLocation::file(path.clone()),
                format!("cannot write: {e}"),
            )
        })?;
    }
    Ok(format!(
        "Created a new site in {}; build it with `gazette build --root {}`",
        dir.display(),
        dir.display()
    ))
}
