//! `resize_image()`: photos resized at build time with the `image` crate, EXIF
//! orientation applied, cached between builds under `.gazette-cache/images/`
//! by source content and parameters (an unchanged photo is never processed
//! twice), published under `/processed/`.

use std::collections::{BTreeMap, HashMap};
use std::hash::BuildHasher;
use std::io::Cursor;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits};
use rustc_hash::FxBuildHasher;
use serde::Serialize;

use crate::load::{CONTENT_DIR, STATIC_DIR};

/// The cache folder, inside the site.
pub const CACHE_DIR: &str = ".gazette-cache/images";
/// Where processed images are published.
const PUBLISHED_DIR: &str = "processed";
/// Largest source dimension accepted (a 16k-pixel panorama is fine, a 100k one is not).
const MAX_SIDE: u32 = 20_000;

/// How the box given by width and height is filled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Op {
    /// Within the box, aspect kept.
    Fit,
    /// Exactly the box, cropped to it.
    Fill,
    /// Exactly the box, stretched.
    Scale,
    /// The given width, aspect kept.
    FitWidth,
    /// The given height, aspect kept.
    FitHeight,
}

/// Output encoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// JPEG for photos, PNG for images with transparency.
    Auto,
    /// JPEG.
    Jpeg,
    /// PNG.
    Png,
    /// WebP (lossy, at `quality`; with alpha when the image has it).
    Webp,
}

/// A `resize_image()` call.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ResizeRequest {
    /// As written: relative to the article's folder, then `content/`, then `static/`.
    pub path: String,
    /// Target width.
    pub width: Option<u32>,
    /// Target height.
    pub height: Option<u32>,
    /// How to fit.
    pub op: Op,
    /// Output format.
    pub format: Format,
    /// JPEG and WebP quality, 1–100.
    pub quality: u8,
}

/// What templates get back.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Resized {
    /// Site-relative URL of the processed image.
    pub url: String,
    /// Its width in pixels.
    pub width: u32,
    /// Its height in pixels.
    pub height: u32,
}

impl std::str::FromStr for Op {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Ok(match s {
            "fit" => Op::Fit,
            "fill" => Op::Fill,
            "scale" => Op::Scale,
            "fit_width" => Op::FitWidth,
            "fit_height" => Op::FitHeight,
            other => {
                return Err(format!(
                    "op \"{other}\": expected fit, fill, scale, fit_width or fit_height"
                ));
            }
        })
    }
}

impl std::str::FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Ok(match s {
            "auto" => Format::Auto,
            "jpeg" | "jpg" => Format::Jpeg,
            "png" => Format::Png,
            "webp" => Format::Webp,
            other => {
                return Err(format!(
                    "format \"{other}\": expected auto, jpeg, png or webp"
                ));
            }
        })
    }
}

/// Resizes images for one build and remembers which it published.
pub struct ImageProcessor {
    root: PathBuf,
    base_path: String,
    /// Output file (`processed/<key>.jpg`) → cached file.
    produced: Mutex<BTreeMap<String, PathBuf>>,
    /// Content fingerprints of the photos read in this build: a photo is asked
    /// for in several sizes by several pages, and is read and hashed once.
    fingerprints: Mutex<HashMap<PathBuf, u64>>,
    /// Photos that decode only partly (cut short), with why: warnings of the build.
    partial: Mutex<BTreeMap<PathBuf, String>>,
}

impl ImageProcessor {
    /// A processor for the site at `root` whose URLs start with `base_path`.
    pub fn new(root: &Path, base_path: &str) -> Self {
        ImageProcessor {
            root: root.to_path_buf(),
            base_path: base_path.to_string(),
            produced: Mutex::default(),
            fingerprints: Mutex::default(),
            partial: Mutex::default(),
        }
    }

    /// The processed files to publish: output path → cached file.
    pub fn produced(&self) -> BTreeMap<String, PathBuf> {
        self.produced
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Photos read so far that decode only partly: (site-relative path, why).
    pub fn partial_photos(&self) -> Vec<(PathBuf, String)> {
        let partial = self.partial.lock().unwrap_or_else(|e| e.into_inner());
        partial
            .iter()
            .map(|(path, why)| (crate::diagnostics::relative(&self.root, path), why.clone()))
            .collect()
    }

    /// A photo that does not decode is an error; one cut short is remembered as a warning.
    fn inspect(&self, source: &Path, bytes: &[u8]) -> Result<(), String> {
        match crate::photo::inspect(&source.to_string_lossy(), bytes) {
            crate::photo::Verdict::Whole => Ok(()),
            crate::photo::Verdict::Broken(why) => Err(format!(
                "resize_image: {}: {why}",
                crate::diagnostics::relative(&self.root, source).display()
            )),
            crate::photo::Verdict::Partial(why) => {
                let mut partial = self.partial.lock().unwrap_or_else(|e| e.into_inner());
                partial.insert(source.to_path_buf(), why);
                Ok(())
            }
        }
    }

    /// The source file `path` names for a page in `folder` (relative to `content/`).
    pub fn locate(&self, path: &str, folder: &str) -> Result<PathBuf, String> {
        let clean = path.trim_start_matches('/');
        if Path::new(clean)
            .components()
            .any(|c| !matches!(c, Component::Normal(_)))
        {
            return Err(format!(
                "resize_image: \"{path}\" must stay inside the site"
            ));
        }
        let content = self.root.join(CONTENT_DIR);
        let candidates = [
            content.join(folder).join(clean),
            content.join(clean),
            self.root.join(STATIC_DIR).join(clean),
        ];
        candidates.into_iter().find(|p| p.is_file()).ok_or_else(|| {
            format!(
                "resize_image: no file \"{path}\" beside the page, under content/ or under static/"
            )
        })
    }

    /// Resize (or take from the cache) and register the result for publishing.
    pub fn resize(&self, request: &ResizeRequest, folder: &str) -> Result<Resized, String> {
        let source = self.locate(&request.path, folder)?;
        let read = || {
            std::fs::read(&source)
                .map_err(|e| format!("resize_image: cannot read {}: {e}", source.display()))
        };
        let known = self
            .fingerprints
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(&source)
            .copied();
        let fingerprint = match known {
            Some(fingerprint) => fingerprint,
            None => {
                let bytes = read()?;
                self.inspect(&source, &bytes)?;
                let fingerprint = FxBuildHasher.hash_one(bytes.as_slice());
                self.fingerprints
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .insert(source.clone(), fingerprint);
                fingerprint
            }
        };
        let key = {
            use std::hash::{Hash, Hasher};
            let mut hasher = rustc_hash::FxHasher::default();
            fingerprint.hash(&mut hasher);
            request.width.hash(&mut hasher);
            request.height.hash(&mut hasher);
            request.op.hash(&mut hasher);
            request.format.hash(&mut hasher);
            request.quality.hash(&mut hasher);
            format!("{:016x}", hasher.finish())
        };
        let cache = self.root.join(CACHE_DIR);
        let stem = Path::new(&request.path)
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let stem: String = stem
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '-' {
                    c
                } else {
                    '-'
                }
            })
            .collect();
        let (width, height, extension) = match read_sidecar(&cache, &key) {
            Some(found) => found,
            None => {
                let processed = process(&read()?, request)
                    .map_err(|e| format!("resize_image: {}: {e}", source.display()))?;
                std::fs::create_dir_all(&cache).map_err(|e| format!("resize_image: cache: {e}"))?;
                let file = cache.join(format!("{key}.{}", processed.extension));
                write_atomically(&file, &processed.bytes)
                    .map_err(|e| format!("resize_image: cache: {e}"))?;
                let sidecar = format!(
                    "{} {} {}",
                    processed.width, processed.height, processed.extension
                );
                write_atomically(&cache.join(format!("{key}.dims")), sidecar.as_bytes())
                    .map_err(|e| format!("resize_image: cache: {e}"))?;
                (
                    processed.width,
                    processed.height,
                    processed.extension.to_string(),
                )
            }
        };
        let name = format!("{PUBLISHED_DIR}/{stem}-{key}.{extension}");
        let cached = cache.join(format!("{key}.{extension}"));
        self.produced
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(name.clone(), cached);
        Ok(Resized {
            url: format!("{}/{name}", self.base_path),
            width,
            height,
        })
    }
}

fn read_sidecar(cache: &Path, key: &str) -> Option<(u32, u32, String)> {
    let text = std::fs::read_to_string(cache.join(format!("{key}.dims"))).ok()?;
    let mut parts = text.split_whitespace();
    let (w, h, ext) = (
        parts.next()?.parse().ok()?,
        parts.next()?.parse().ok()?,
        parts.next()?.to_string(),
    );
    cache
        .join(format!("{key}.{ext}"))
        .is_file()
        .then_some((w, h, ext))
}

/// Write beside, then rename: two threads making the same image never see half a file.
fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    static WRITES: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = WRITES.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let partial = path.with_extension(format!("partial-{}-{n}", std::process::id()));
    std::fs::write(&partial, bytes)?;
    std::fs::rename(&partial, path)
}

struct Processed {
    bytes: Vec<u8>,
    width: u32,
    height: u32,
    extension: &'static str,
}

thread_local! {
    /// The last photo this thread decoded: a page asks for several sizes of one
    /// photo in a row (figure, lead, Open Graph), and decoding dominates.
    static LAST_DECODED: std::cell::RefCell<Option<(u64, Decoded)>> = const { std::cell::RefCell::new(None) };
}

/// A decoded, upright photo and the format it came in.
type Decoded = std::sync::Arc<(DynamicImage, ImageFormat)>;

/// Decode with limits and turn upright (or take this thread's last decode of the same bytes).
fn decode(bytes: &[u8]) -> Result<Decoded, String> {
    let key = FxBuildHasher.hash_one(bytes);
    let last = LAST_DECODED.with(|last| {
        last.borrow()
            .as_ref()
            .filter(|(k, _)| *k == key)
            .map(|(_, d)| d.clone())
    });
    if let Some(found) = last {
        return Ok(found);
    }
    let mut reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| e.to_string())?;
    let format = reader
        .format()
        .ok_or("not an image this build can read (expected JPEG, PNG or WebP)")?;
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(1 << 30);
    reader.limits(limits);
    let mut decoder = reader
        .into_decoder()
        .map_err(|e| format!("cannot decode: {e}"))?;
    let orientation = decoder.orientation().map_err(|e| e.to_string())?;
    let mut img = DynamicImage::from_decoder(decoder).map_err(|e| format!("cannot decode: {e}"))?;
    img.apply_orientation(orientation);
    let decoded = std::sync::Arc::new((img, format));
    LAST_DECODED.with(|last| *last.borrow_mut() = Some((key, decoded.clone())));
    Ok(decoded)
}

/// Decode, resize, encode.
fn process(bytes: &[u8], request: &ResizeRequest) -> Result<Processed, String> {
    let decoded = decode(bytes)?;
    let (img, source_format) = (&decoded.0, decoded.1);
    let (w, h) = (img.width(), img.height());
    let img = match (request.op, request.width, request.height) {
        (Op::FitWidth, Some(tw), _) | (Op::Fit, Some(tw), None) => {
            resize_to(img, tw, scaled(h, tw, w))?
        }
        (Op::FitHeight, _, Some(th)) | (Op::Fit, None, Some(th)) => {
            resize_to(img, scaled(w, th, h), th)?
        }
        (Op::Fit, Some(tw), Some(th)) => {
            let ratio =
                f64::min(f64::from(tw) / f64::from(w), f64::from(th) / f64::from(h)).min(1.0);
            resize_to(
                img,
                ((f64::from(w) * ratio).round() as u32).max(1),
                ((f64::from(h) * ratio).round() as u32).max(1),
            )?
        }
        (Op::Fill, Some(tw), Some(th)) => fill(img, tw, th)?,
        (Op::Scale, Some(tw), Some(th)) => resample(img, tw, th, None)?,
        (op, _, _) => {
            return Err(format!(
                "op {op:?} needs {}",
                if op == Op::FitHeight {
                    "height"
                } else {
                    "width and height"
                }
            ));
        }
    };
    let format = match request.format {
        Format::Auto if source_format == ImageFormat::Png || img.color().has_alpha() => Format::Png,
        Format::Auto => Format::Jpeg,
        other => other,
    };
    let mut out = Vec::new();
    let extension = match format {
        Format::Jpeg | Format::Auto => {
            let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(
                &mut out,
                request.quality.clamp(1, 100),
            );
            img.to_rgb8()
                .write_with_encoder(encoder)
                .map_err(|e| e.to_string())?;
            "jpg"
        }
        Format::Png => {
            img.write_to(&mut Cursor::new(&mut out), ImageFormat::Png)
                .map_err(|e| e.to_string())?;
            "png"
        }
        Format::Webp => {
            // libwebp, the reference encoder, lossy at the requested quality:
            // the pure-Rust encoder in `image` writes lossless WebP only, which
            // is larger than JPEG for photos.
            let quality = f32::from(request.quality.clamp(1, 100));
            let (width, height) = (img.width(), img.height());
            let encoded = if img.color().has_alpha() {
                let rgba = img.to_rgba8();
                webp::Encoder::from_rgba(&rgba, width, height).encode_simple(false, quality)
            } else {
                let rgb = img.to_rgb8();
                webp::Encoder::from_rgb(&rgb, width, height).encode_simple(false, quality)
            };
            out = encoded
                .map_err(|e| format!("cannot encode WebP: {e:?}"))?
                .to_vec();
            "webp"
        }
    };
    Ok(Processed {
        bytes: out,
        width: img.width(),
        height: img.height(),
        extension,
    })
}

/// Never enlarge: a photo smaller than the box keeps its size.
fn resize_to(img: &DynamicImage, width: u32, height: u32) -> Result<DynamicImage, String> {
    if width >= img.width() || height >= img.height() {
        return Ok(img.clone());
    }
    resample(img, width, height, None)
}

/// Fill the box exactly, cropping (centred) what does not fit.
fn fill(img: &DynamicImage, width: u32, height: u32) -> Result<DynamicImage, String> {
    let (w, h) = (f64::from(img.width()), f64::from(img.height()));
    let scale = f64::min(w / f64::from(width), h / f64::from(height));
    let (crop_w, crop_h) = (f64::from(width) * scale, f64::from(height) * scale);
    resample(
        img,
        width,
        height,
        Some(((w - crop_w) / 2.0, (h - crop_h) / 2.0, crop_w, crop_h)),
    )
}

/// Catmull-Rom resampling with SIMD (`fast_image_resize`): a 12-megapixel
/// photo is reduced in milliseconds, not the half second of a plain loop.
fn resample(
    img: &DynamicImage,
    width: u32,
    height: u32,
    crop: Option<(f64, f64, f64, f64)>,
) -> Result<DynamicImage, String> {
    use fast_image_resize::{FilterType, ResizeAlg, ResizeOptions, Resizer};
    // Work in RGB(A)8: every source format maps onto a pixel type the resizer knows.
    let source = if img.color().has_alpha() {
        DynamicImage::ImageRgba8(img.to_rgba8())
    } else {
        DynamicImage::ImageRgb8(img.to_rgb8())
    };
    let mut target = DynamicImage::new(width.max(1), height.max(1), source.color());
    let mut options =
        ResizeOptions::new().resize_alg(ResizeAlg::Convolution(FilterType::CatmullRom));
    if let Some((left, top, w, h)) = crop {
        options = options.crop(left, top, w, h);
    }
    Resizer::new()
        .resize(&source, &mut target, &options)
        .map_err(|e| format!("cannot resize: {e}"))?;
    Ok(target)
}

/// `side` scaled by `target / reference`, at least 1.
fn scaled(side: u32, target: u32, reference: u32) -> u32 {
    ((f64::from(side) * f64::from(target) / f64::from(reference.max(1))).round() as u32).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn photo(dir: &Path, name: &str, w: u32, h: u32) {
        let img = image::RgbImage::from_fn(w, h, |x, y| {
            image::Rgb([(x % 256) as u8, (y % 256) as u8, 128])
        });
        std::fs::create_dir_all(dir).unwrap();
        img.save(dir.join(name)).unwrap();
    }

    fn request(
        path: &str,
        width: Option<u32>,
        height: Option<u32>,
        op: Op,
        format: Format,
    ) -> ResizeRequest {
        ResizeRequest {
            path: path.into(),
            width,
            height,
            op,
            format,
            quality: 80,
        }
    }

    #[test]
    fn resizes_by_every_op_and_caches() {
        let site = tempfile::tempdir().unwrap();
        photo(&site.path().join("content/news/a"), "p.jpg", 400, 300);
        let images = ImageProcessor::new(site.path(), "");
        let fit = images
            .resize(
                &request("p.jpg", Some(200), Some(200), Op::Fit, Format::Auto),
                "news/a",
            )
            .unwrap();
        assert_eq!((fit.width, fit.height), (200, 150));
        assert!(fit.url.starts_with("/processed/p-") && fit.url.ends_with(".jpg"));
        let fill = images
            .resize(
                &request("p.jpg", Some(100), Some(100), Op::Fill, Format::Webp),
                "news/a",
            )
            .unwrap();
        assert_eq!((fill.width, fill.height), (100, 100));
        let width = images
            .resize(
                &request("news/a/p.jpg", Some(100), None, Op::FitWidth, Format::Png),
                "",
            )
            .unwrap();
        assert_eq!((width.width, width.height), (100, 75));
        assert_eq!(images.produced().len(), 3);
        let cached = std::fs::read_dir(site.path().join(CACHE_DIR))
            .unwrap()
            .count();
        assert_eq!(cached, 6, "an image and its size for each");
        let again = ImageProcessor::new(site.path(), "")
            .resize(
                &request("p.jpg", Some(200), Some(200), Op::Fit, Format::Auto),
                "news/a",
            )
            .unwrap();
        assert_eq!(again, fit, "the cache gives the same result");
    }

    #[test]
    fn webp_is_lossy_and_smaller_than_jpeg_for_photos() {
        let site = tempfile::tempdir().unwrap();
        // Smooth shading with fine noise, like a photo (not flat colour).
        let img = image::RgbImage::from_fn(640, 480, |x, y| {
            let noise = ((x * 7919 + y * 104_729) % 23) as u8;
            image::Rgb([
                (x / 3) as u8 / 2 + noise,
                (y / 2) as u8 / 2 + noise,
                ((x + y) / 5) as u8,
            ])
        });
        std::fs::create_dir_all(site.path().join("static")).unwrap();
        img.save(site.path().join("static/photo.png")).unwrap();
        let images = ImageProcessor::new(site.path(), "");
        let mut sizes = Vec::new();
        for format in [Format::Webp, Format::Jpeg] {
            images
                .resize(
                    &request("photo.png", Some(320), None, Op::FitWidth, format),
                    "",
                )
                .unwrap();
        }
        for (url, path) in images.produced() {
            let bytes = std::fs::read(path).unwrap();
            if url.ends_with(".webp") {
                assert_eq!(&bytes[12..16], b"VP8 ", "lossy VP8, not VP8L");
                let decoded = image::load_from_memory(&bytes).unwrap();
                assert_eq!((decoded.width(), decoded.height()), (320, 240));
            }
            sizes.push((url, bytes.len()));
        }
        let size = |ext: &str| sizes.iter().find(|(u, _)| u.ends_with(ext)).unwrap().1;
        assert!(size(".webp") < size(".jpg"), "{sizes:?}");
    }

    /// Regression: two pages asking for the same new image at once both wrote
    /// one partial file, and one of them failed to rename it.
    #[test]
    fn the_same_image_made_by_many_threads_at_once() {
        let site = tempfile::tempdir().unwrap();
        photo(&site.path().join("static"), "p.jpg", 600, 400);
        let images = ImageProcessor::new(site.path(), "");
        std::thread::scope(|scope| {
            for _ in 0..8 {
                scope.spawn(|| {
                    images
                        .resize(
                            &request("p.jpg", Some(300), None, Op::FitWidth, Format::Jpeg),
                            "",
                        )
                        .unwrap()
                });
            }
        });
    }

    #[test]
    fn exif_orientation_is_applied() {
        let site = tempfile::tempdir().unwrap();
        let dir = site.path().join("static");
        photo(&dir, "plain.jpg", 200, 100);
        let mut bytes = std::fs::read(dir.join("plain.jpg")).unwrap();
        // An APP1 segment with one EXIF tag: Orientation (0x0112) = 6, "rotate 90° clockwise".
        let mut exif = vec![0xFF, 0xE1, 0x00, 0x22];
        exif.extend_from_slice(
            b"Exif\0\0II\x2A\0\x08\0\0\0\x01\0\x12\x01\x03\0\x01\0\0\0\x06\0\0\0\0\0\0\0",
        );
        bytes.splice(2..2, exif);
        std::fs::write(dir.join("rotated.jpg"), bytes).unwrap();
        let images = ImageProcessor::new(site.path(), "");
        let upright = images
            .resize(
                &request("rotated.jpg", Some(50), None, Op::FitWidth, Format::Jpeg),
                "",
            )
            .unwrap();
        assert_eq!(
            (upright.width, upright.height),
            (50, 100),
            "a portrait photo stays a portrait"
        );
    }

    #[test]
    fn enormous_images_are_refused_by_decode_limits() {
        let site = tempfile::tempdir().unwrap();
        let dir = site.path().join("static");
        std::fs::create_dir_all(&dir).unwrap();
        // A PNG header claiming 100,000 × 100,000 pixels.
        let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
        png.extend_from_slice(&100_000u32.to_be_bytes());
        png.extend_from_slice(&100_000u32.to_be_bytes());
        png.extend_from_slice(&[8, 2, 0, 0, 0, 0, 0, 0, 0]);
        std::fs::write(dir.join("huge.png"), png).unwrap();
        let error = ImageProcessor::new(site.path(), "")
            .resize(
                &request("huge.png", Some(10), None, Op::FitWidth, Format::Auto),
                "",
            )
            .unwrap_err();
        assert!(error.contains("huge.png"), "{error}");
    }

    #[test]
    fn bad_images_are_errors_not_panics() {
        let site = tempfile::tempdir().unwrap();
        let dir = site.path().join("static");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("text.jpg"), b"this is not an image").unwrap();
        photo(&dir, "ok.png", 50, 50);
        let bytes = std::fs::read(dir.join("ok.png")).unwrap();
        std::fs::write(dir.join("truncated.png"), &bytes[..bytes.len() / 2]).unwrap();
        let images = ImageProcessor::new(site.path(), "");
        for name in [
            "text.jpg",
            "truncated.png",
            "missing.png",
            "../../etc/passwd",
        ] {
            let error = images
                .resize(
                    &request(name, Some(10), None, Op::FitWidth, Format::Auto),
                    "",
                )
                .unwrap_err();
            assert!(error.starts_with("resize_image:"), "{name}: {error}");
        }
    }
}
