//! Is a photo whole? A leaf used by parse (Markdown images and `image:`) and
//! render (`resize_image`), so that a corrupt file is never published silently.
//!
//! A whole file is recognised from its first and last bytes (JPEG ends with
//! EOI, PNG with IEND, WebP's RIFF size matches the file), without decoding.
//! Only a file that looks cut short is decoded, to tell a photo that still
//! shows (a warning) from one that does not (an error).

use std::io::{Read, Seek, SeekFrom};
use std::path::Path;

use image::{ImageFormat, ImageReader, Limits};

/// How far from the end the end marker may be (some cameras pad their files).
const TAIL: usize = 4096;

/// What a photo's bytes say about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// A whole image of the format its name says.
    Whole,
    /// Cut short, but the decoder still makes a picture of it (part of it grey).
    Partial(String),
    /// Not an image of its kind, or one that does not decode.
    Broken(String),
}

/// Whether `name` (a path or URL) names a photo format this check knows.
pub fn is_photo(name: &str) -> bool {
    expected_format(name).is_some()
}

fn expected_format(name: &str) -> Option<ImageFormat> {
    let name = name.split(['?', '#']).next().unwrap_or(name).to_lowercase();
    let extension = name.rsplit_once('.')?.1;
    match extension {
        "jpg" | "jpeg" => Some(ImageFormat::Jpeg),
        "png" => Some(ImageFormat::Png),
        "webp" => Some(ImageFormat::WebP),
        _ => None,
    }
}

/// Width and height of an image file (JPEG, PNG, WebP, GIF from their headers;
/// SVG from its `width`/`height` or `viewBox`), for `<img width height>`.
pub fn dimensions(path: &Path) -> Option<(u32, u32)> {
    if path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("svg"))
    {
        let mut head = Vec::new();
        std::fs::File::open(path)
            .ok()?
            .take(64 * 1024)
            .read_to_end(&mut head)
            .ok()?;
        return svg_dimensions(&String::from_utf8_lossy(&head));
    }
    image::image_dimensions(path).ok()
}

/// The size an `<svg>` start tag gives: `width`/`height` in px (or unitless),
/// else its `viewBox`.
fn svg_dimensions(text: &str) -> Option<(u32, u32)> {
    let start = text.find("<svg")?;
    let tag = &text[start..start + text[start..].find('>')?];
    let attr = |name: &str| {
        let at = tag.find(&format!(" {name}="))? + name.len() + 2;
        let quote = tag[at..].chars().next()?;
        let rest = &tag[at + 1..];
        Some(&rest[..rest.find(quote)?])
    };
    let number = |v: &str| -> Option<u32> {
        let v = v.trim().trim_end_matches("px");
        let n: f64 = v.parse().ok()?;
        (1.0..1e6).contains(&n).then_some(n.round() as u32)
    };
    if let (Some(w), Some(h)) = (
        attr("width").and_then(number),
        attr("height").and_then(number),
    ) {
        return Some((w, h));
    }
    let view: Vec<&str> = attr("viewBox")?
        .split([' ', ','])
        .filter(|p| !p.is_empty())
        .collect();
    Some((number(view.get(2)?)?, number(view.get(3)?)?))
}

/// Inspect a photo file, reading only its ends unless it looks cut short.
pub fn inspect_file(path: &Path) -> Verdict {
    let name = path.to_string_lossy();
    let Some(expected) = expected_format(&name) else {
        return Verdict::Whole;
    };
    let ends = read_ends(path);
    let (head, tail, len) = match ends {
        Ok(ends) => ends,
        Err(e) => return Verdict::Broken(format!("cannot read: {e}")),
    };
    match judge_ends(expected, &head, &tail, len) {
        Some(verdict) => verdict,
        None => match std::fs::read(path) {
            Ok(bytes) => judge_decoding(&bytes),
            Err(e) => Verdict::Broken(format!("cannot read: {e}")),
        },
    }
}

/// Inspect a photo already in memory, whose file is called `name`.
pub fn inspect(name: &str, bytes: &[u8]) -> Verdict {
    let Some(expected) = expected_format(name) else {
        return Verdict::Whole;
    };
    let tail = &bytes[bytes.len().saturating_sub(TAIL)..];
    let head = &bytes[..bytes.len().min(16)];
    judge_ends(expected, head, tail, bytes.len() as u64).unwrap_or_else(|| judge_decoding(bytes))
}

/// First 16 bytes, last `TAIL` bytes and length of a file.
fn read_ends(path: &Path) -> std::io::Result<(Vec<u8>, Vec<u8>, u64)> {
    let mut file = std::fs::File::open(path)?;
    let len = file.metadata()?.len();
    let mut head = Vec::with_capacity(16);
    (&mut file).take(16).read_to_end(&mut head)?;
    let from = len.saturating_sub(TAIL as u64);
    file.seek(SeekFrom::Start(from))?;
    let mut tail = Vec::with_capacity(TAIL);
    file.read_to_end(&mut tail)?;
    Ok((head, tail, len))
}

/// The verdict from the ends alone, or `None` when the file looks cut short.
fn judge_ends(expected: ImageFormat, head: &[u8], tail: &[u8], len: u64) -> Option<Verdict> {
    let kind = |f: ImageFormat| match f {
        ImageFormat::Jpeg => "JPEG",
        ImageFormat::Png => "PNG",
        _ => "WebP",
    };
    let found = image::guess_format(head).ok();
    if found != Some(expected) {
        let what = found.map_or_else(|| "not an image".to_string(), |f| format!("a {f:?} image"));
        return Some(Verdict::Broken(format!(
            "{what}, expected a {} image as the name says",
            kind(expected)
        )));
    }
    let whole = match expected {
        ImageFormat::Jpeg => tail.windows(2).any(|w| w == [0xFF, 0xD9]),
        ImageFormat::Png => tail.windows(4).any(|w| w == b"IEND"),
        _ => head.get(4..8).is_some_and(|size| {
            let size = u32::from_le_bytes([size[0], size[1], size[2], size[3]]);
            u64::from(size) + 8 <= len
        }),
    };
    whole.then_some(Verdict::Whole)
}

/// A cut-short file: does it still decode?
fn judge_decoding(bytes: &[u8]) -> Verdict {
    let mut reader = match ImageReader::new(std::io::Cursor::new(bytes)).with_guessed_format() {
        Ok(reader) => reader,
        Err(e) => return Verdict::Broken(format!("cannot read: {e}")),
    };
    let mut limits = Limits::default();
    limits.max_alloc = Some(1 << 30);
    reader.limits(limits);
    match reader.decode() {
        Ok(_) => Verdict::Partial(
            "truncated: the file ends before its image data does, so part of the photo is missing"
                .into(),
        ),
        Err(e) => Verdict::Broken(format!("truncated or corrupt, cannot decode: {e}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encoded(format: ImageFormat) -> Vec<u8> {
        let img =
            image::RgbImage::from_fn(64, 48, |x, y| image::Rgb([x as u8 * 4, y as u8 * 5, 90]));
        let mut out = Vec::new();
        image::DynamicImage::ImageRgb8(img)
            .write_to(&mut std::io::Cursor::new(&mut out), format)
            .unwrap();
        out
    }

    #[test]
    fn whole_photos_pass_without_decoding() {
        assert_eq!(
            inspect("a.jpg", &encoded(ImageFormat::Jpeg)),
            Verdict::Whole
        );
        assert_eq!(inspect("a.PNG", &encoded(ImageFormat::Png)), Verdict::Whole);
        assert_eq!(
            inspect("a.webp", &encoded(ImageFormat::WebP)),
            Verdict::Whole
        );
        assert_eq!(inspect("notes.txt", b"text"), Verdict::Whole);
    }

    #[test]
    fn text_named_jpg_and_wrong_formats_are_broken() {
        let Verdict::Broken(why) = inspect("a.jpg", b"this is not an image") else {
            panic!("text passed");
        };
        assert_eq!(why, "not an image, expected a JPEG image as the name says");
        assert!(matches!(
            inspect("a.jpg", &encoded(ImageFormat::Png)),
            Verdict::Broken(_)
        ));
    }

    #[test]
    fn truncated_photos_are_partial_or_broken() {
        let jpeg = encoded(ImageFormat::Jpeg);
        let verdict = inspect("a.jpg", &jpeg[..jpeg.len() * 2 / 3]);
        assert!(
            matches!(verdict, Verdict::Partial(_) | Verdict::Broken(_)),
            "{verdict:?}"
        );
        assert!(matches!(
            inspect("a.jpg", &jpeg[..200]),
            Verdict::Broken(_) | Verdict::Partial(_)
        ));
        let png = encoded(ImageFormat::Png);
        assert_ne!(inspect("a.png", &png[..png.len() / 2]), Verdict::Whole);
        let webp = encoded(ImageFormat::WebP);
        assert_ne!(inspect("a.webp", &webp[..webp.len() - 10]), Verdict::Whole);
    }

    #[test]
    fn svg_sizes_come_from_width_height_or_view_box() {
        let svg = |tag: &str| svg_dimensions(&format!("<?xml version=\"1.0\"?>\n{tag}<g/></svg>"));
        assert_eq!(
            svg(r#"<svg xmlns="x" width="1200" height="675">"#),
            Some((1200, 675))
        );
        assert_eq!(svg(r#"<svg width='30px' height='20px'>"#), Some((30, 20)));
        assert_eq!(
            svg(r#"<svg width="100%" viewBox="0 0 800 450">"#),
            Some((800, 450))
        );
        assert_eq!(svg(r#"<svg viewBox="0,0,16.4,9">"#), Some((16, 9)));
        assert_eq!(svg("<svg>"), None);
        assert_eq!(svg_dimensions("not svg"), None);
    }

    #[test]
    fn files_are_judged_like_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let jpeg = encoded(ImageFormat::Jpeg);
        std::fs::write(dir.path().join("whole.jpg"), &jpeg).unwrap();
        std::fs::write(dir.path().join("cut.jpg"), &jpeg[..jpeg.len() / 2]).unwrap();
        assert_eq!(inspect_file(&dir.path().join("whole.jpg")), Verdict::Whole);
        assert_ne!(inspect_file(&dir.path().join("cut.jpg")), Verdict::Whole);
        assert!(matches!(
            inspect_file(&dir.path().join("none.jpg")),
            Verdict::Broken(_)
        ));
    }
}
