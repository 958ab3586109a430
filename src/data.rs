//! Data files: `data/**/*.{yaml,yml,json,toml,csv}` become `site.data.<path>`
//! (`data/consular/fees.yaml` → `site.data.consular.fees`), and
//! `load_data(path=…)` reads one such file relative to the site. A CSV file
//! is a list of maps keyed by its header row. A file that does not parse is
//! an error naming it, with line and column.

use std::path::{Path, PathBuf};

use serde_json::{Map, Value};
use walkdir::WalkDir;

use crate::diagnostics::{Diagnostic, SourceLocation, relative};

/// Folder of the site's data files.
pub const DATA_DIR: &str = "data";

/// Extensions read as data.
const FORMATS: &[&str] = &["yaml", "yml", "json", "toml", "csv"];

/// Every data file under `root/data/`, as one tree; every file that does not
/// parse is reported.
pub fn load_all(root: &Path) -> (Value, Vec<Diagnostic>) {
    let dir = root.join(DATA_DIR);
    let mut tree = Map::new();
    let mut problems = Vec::new();
    if !dir.is_dir() {
        return (Value::Object(tree), problems);
    }
    for entry in WalkDir::new(&dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
    {
        let path = entry.path();
        let hidden = path
            .strip_prefix(&dir)
            .unwrap_or(path)
            .components()
            .any(|c| c.as_os_str().to_string_lossy().starts_with(['.', '_']));
        let Some(extension) = format_of(path) else {
            continue;
        };
        if hidden || !entry.file_type().is_file() {
            continue;
        }
        match load_file(root, path) {
            Ok(value) => insert(&mut tree, &dir, path, extension, value),
            Err(problem) => problems.push(problem),
        }
    }
    (Value::Object(tree), problems)
}

fn format_of(path: &Path) -> Option<&'static str> {
    let extension = path.extension()?.to_str()?.to_ascii_lowercase();
    FORMATS.iter().find(|f| **f == extension).copied()
}

/// Put `value` at the file's path in `tree` (`consular/fees.yaml` → consular → fees).
fn insert(tree: &mut Map<String, Value>, dir: &Path, path: &Path, extension: &str, value: Value) {
    let rel = path.strip_prefix(dir).unwrap_or(path);
    let mut keys: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if let Some(last) = keys.last_mut() {
        let cut = last.len() - extension.len() - 1;
        last.truncate(cut);
    }
    let Some((name, folders)) = keys.split_last() else {
        return;
    };
    let mut node = tree;
    for folder in folders {
        let next = node
            .entry(folder.clone())
            .or_insert_with(|| Value::Object(Map::new()));
        if !next.is_object() {
            *next = Value::Object(Map::new());
        }
        let Value::Object(map) = next else { return };
        node = map;
    }
    node.insert(name.clone(), value);
}

/// The data file at `path` (absolute), parsed by its extension.
pub fn load_file(root: &Path, path: &Path) -> Result<Value, Diagnostic> {
    let shown: PathBuf = relative(root, path);
    let at = |line: usize, col: usize| SourceLocation::new(&shown, line, col);
    let text = std::fs::read_to_string(path).map_err(|e| {
        Diagnostic::error(
            SourceLocation::file(&shown),
            format!("cannot read data file: {e}"),
        )
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    match format_of(path) {
        Some("yaml" | "yml") => crate::yaml::from_str::<crate::yaml::YamlValue>(text)
            .map_err(|e| {
                Diagnostic::error(
                    at(e.line, e.col),
                    format!("data: {}, expected YAML", e.message),
                )
            })
            .and_then(|v| {
                serde_json::to_value(v).map_err(|e| {
                    Diagnostic::error(
                        at(0, 0),
                        format!("data: {e}, expected YAML with string keys"),
                    )
                })
            }),
        Some("json") => serde_json::from_str(text).map_err(|e| {
            Diagnostic::error(
                at(e.line(), e.column()),
                format!("data: {e}, expected JSON"),
            )
        }),
        Some("toml") => toml::from_str::<Value>(text).map_err(|e| {
            let (line, col) = e.span().map_or((0, 0), |span| {
                crate::diagnostics::line_col(text, span.start)
            });
            Diagnostic::error(
                at(line, col),
                format!("data: {}, expected TOML", e.message()),
            )
        }),
        Some("csv") => {
            csv_rows(text).map_err(|(line, message)| Diagnostic::error(at(line, 1), message))
        }
        _ => Err(Diagnostic::error(
            SourceLocation::file(&shown),
            "data: unknown format, expected .yaml, .yml, .json, .toml or .csv",
        )),
    }
}

/// A CSV text as a list of maps keyed by its header row.
fn csv_rows(text: &str) -> Result<Value, (usize, String)> {
    let mut reader = csv::ReaderBuilder::new().from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| (1, format!("data: {e}, expected a CSV header row")))?
        .clone();
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line() as usize);
            (
                line,
                format!("data: {e}, expected rows of {} fields", headers.len()),
            )
        })?;
        let row: Map<String, Value> = headers
            .iter()
            .zip(record.iter())
            .map(|(key, value)| (key.to_string(), Value::from(value)))
            .collect();
        rows.push(Value::Object(row));
    }
    Ok(Value::Array(rows))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (rel, text) in files {
            let path = dir.path().join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        dir
    }

    #[test]
    fn every_format_lands_at_its_path() {
        let dir = site(&[
            ("data/consular/fees.yaml", "visa: { regular: 1000 }\n"),
            ("data/hours.json", "{\"mon\": \"9-12\"}"),
            (
                "data/office.toml",
                "city = \"Khabarovsk\"\n[phone]\nmain = \"+7\"\n",
            ),
            (
                "data/centres.csv",
                "city,address\nKhabarovsk,\"Lenin St, 1\"\nBlagoveshchensk,Amur St 2\n",
            ),
            ("data/_draft.yaml", "x: 1\n"),
            ("data/notes.txt", "not data"),
        ]);
        let (data, problems) = load_all(dir.path());
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(data["consular"]["fees"]["visa"]["regular"], 1000);
        assert_eq!(data["hours"]["mon"], "9-12");
        assert_eq!(data["office"]["phone"]["main"], "+7");
        assert_eq!(data["centres"][0]["address"], "Lenin St, 1");
        assert_eq!(data["centres"][1]["city"], "Blagoveshchensk");
        assert!(data.get("_draft").is_none() && data.get("notes").is_none());
    }

    #[test]
    fn broken_files_are_errors_with_line_and_column() {
        let dir = site(&[
            ("data/a.yaml", "ok: 1\nbad: [1, 2\n"),
            ("data/b.json", "{\n  \"x\": 1,\n  \"y\": \n}"),
            ("data/c.toml", "x = 1\ny = \n"),
            ("data/d.csv", "a,b\n1,2\n3\n"),
        ]);
        let (_, problems) = load_all(dir.path());
        let shown: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
        assert_eq!(shown.len(), 4, "{shown:?}");
        assert!(shown[0].starts_with("data/a.yaml:"), "{shown:?}");
        assert!(shown[1].starts_with("data/b.json:4:1: data:"), "{shown:?}");
        assert!(shown[2].starts_with("data/c.toml:2:"), "{shown:?}");
        assert!(shown[3].starts_with("data/d.csv:3:1: data:"), "{shown:?}");
    }
}
