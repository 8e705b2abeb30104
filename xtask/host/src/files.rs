//! A component's files: its read-only `files` mounts, checked as Spin checks them, and
//! its log files.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use wasmtime_wasi::cli::OutputFile;

use crate::manifest;

pub(crate) fn file_mounts(
    loaded: &manifest::Loaded,
    id: &str,
    files: &[manifest::FileMount],
) -> Result<Vec<(PathBuf, String)>> {
    let mut out = Vec::new();
    for f in files {
        let (src, dst) = match f {
            manifest::FileMount::Mapped {
                source,
                destination,
            } => (source.clone(), destination.clone()),
            manifest::FileMount::Plain(p) => {
                if p.contains(['*', '?', '[']) {
                    bail!(
                        "component `{id}`: glob file patterns (`{p}`) are not supported by the \
                         local host; map a folder with {{ source = …, destination = … }}"
                    );
                }
                (p.clone(), format!("/{}", p.trim_start_matches("./")))
            }
        };
        let host = loaded.resolve(&src);
        if !host.is_dir() {
            bail!(
                "component `{id}`: files source `{}` is not a folder",
                host.display()
            );
        }
        // As Spin: a component sees files of the application, nothing beside it.
        let (real, app_dir) = (host.canonicalize()?, loaded.dir.canonicalize()?);
        if !real.starts_with(&app_dir) {
            bail!(
                "component `{id}`: files source `{src}` lies outside the application directory \
                 `{}`; Spin refuses it too",
                app_dir.display()
            );
        }
        out.push((host, dst));
    }
    Ok(out)
}

pub(crate) fn open_log(dir: &Path, id: &str, stream: &str) -> Result<OutputFile> {
    let path = dir.join(format!("{id}_{stream}.txt"));
    let f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .with_context(|| format!("cannot open the log {}", path.display()))?;
    Ok(OutputFile::new(f))
}
