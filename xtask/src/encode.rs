//! The static site compressed ahead of time: every compressible file of `web/` written
//! Brotli'd (quality 11) and gzipped (level 9) to `web/.encoded/<path>.<tag>.br|.gz`, where
//! `<tag>` is the file's ETag as the assets component computes it
//! (`service::conditional::etag`: FNV-1a 64, hex). The component sends a copy only when the
//! file's current bytes have that tag, so an edit after the build is never served stale.
//! `.encoded` is a dot directory: never served by itself.

use crate::{Result, root};
use std::io::Write;
use std::path::Path;

/// The extensions worth compressing (as `functions/assets`' `compressible`).
const COMPRESSIBLE: &[&str] = &[
    "html",
    "css",
    "js",
    "mjs",
    "json",
    "webmanifest",
    "wasm",
    "svg",
    "txt",
];

/// Rewrites `web/.encoded/` from the site as it is now; returns the bytes of the files and
/// of their Brotli copies.
pub fn site() -> Result<(u64, u64)> {
    let web = root().join("web");
    let out = web.join(".encoded");
    if out.exists() {
        std::fs::remove_dir_all(&out).map_err(|e| format!("{}: {e}", out.display()))?;
    }
    let mut files = Vec::new();
    collect(&web, &web, &mut files)?;
    let (mut plain, mut brotli) = (0, 0);
    for rel in files {
        let bytes = std::fs::read(web.join(&rel)).map_err(|e| format!("{rel}: {e}"))?;
        let tag = etag_hex(&bytes);
        let br = brotli_of(&bytes)?;
        let gz = gzip_of(&bytes)?;
        plain += bytes.len() as u64;
        brotli += br.len() as u64;
        for (ext, data) in [("br", br), ("gz", gz)] {
            let path = out.join(format!("{rel}.{tag}.{ext}"));
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
            }
            std::fs::write(&path, data).map_err(|e| format!("{}: {e}", path.display()))?;
        }
    }
    println!("web/.encoded: {plain} bytes of site, {brotli} bytes Brotli'd");
    Ok((plain, brotli))
}

/// The site's files, relative to `web/`: not the bundle's Rust sources (`precheck/`,
/// never served), not dotfiles.
fn collect(web: &Path, dir: &Path, out: &mut Vec<String>) -> Result<()> {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for entry in entries {
        let entry = entry.map_err(|e| e.to_string())?;
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') || (dir == web && name == "precheck") {
            continue;
        }
        if path.is_dir() {
            collect(web, &path, out)?;
        } else if let Some((_, ext)) = name.rsplit_once('.')
            && COMPRESSIBLE.contains(&ext)
        {
            let rel = path.strip_prefix(web).map_err(|e| e.to_string())?;
            out.push(rel.to_string_lossy().replace('\\', "/"));
        }
    }
    Ok(())
}

/// `service::conditional::etag` without its quotes: FNV-1a, 64 bits, hex. The end-to-end
/// test `app::precompressed_copies_are_served_to_those_who_accept_them` fails if the two
/// ever differ.
pub fn etag_hex(body: &[u8]) -> String {
    let h = body.iter().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    });
    format!("{h:016x}")
}

fn brotli_of(bytes: &[u8]) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    let params = brotli::enc::BrotliEncoderParams {
        quality: 11,
        lgwin: 22,
        ..Default::default()
    };
    brotli::BrotliCompress(&mut &bytes[..], &mut out, &params).map_err(|e| e.to_string())?;
    Ok(out)
}

pub fn gzip_of(bytes: &[u8]) -> Result<Vec<u8>> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    enc.write_all(bytes).map_err(|e| e.to_string())?;
    enc.finish().map_err(|e| e.to_string())
}
