//! The parts of a Spin 4.1 manifest (`spin_manifest_version = 2`) the host serves.
//!
//! Unknown keys are ignored, as a newer Spin may add them; what the host relies on is
//! checked with errors that name the offending key.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
pub struct Manifest {
    pub spin_manifest_version: u32,
    #[serde(default)]
    pub application: Application,
    #[serde(default)]
    pub variables: BTreeMap<String, AppVariable>,
    #[serde(default)]
    pub trigger: Triggers,
    #[serde(default)]
    pub component: BTreeMap<String, Component>,
}

#[derive(Debug, Default, Deserialize)]
pub struct Application {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub version: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
}

#[derive(Debug, Default, Deserialize, Clone)]
pub struct AppVariable {
    #[serde(default)]
    pub default: Option<String>,
    #[serde(default)]
    pub required: bool,
    #[serde(default)]
    pub secret: bool,
    #[serde(default)]
    pub description: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct Triggers {
    #[serde(default)]
    pub http: Vec<HttpTrigger>,
}

#[derive(Debug, Deserialize)]
pub struct HttpTrigger {
    pub route: RouteSpec,
    pub component: String,
    #[serde(default)]
    pub id: Option<String>,
}

#[derive(Debug, Deserialize, Clone)]
#[serde(untagged)]
pub enum RouteSpec {
    Path(String),
    Private { private: bool },
}

#[derive(Debug, Deserialize, Clone)]
pub struct Component {
    pub source: String,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub files: Vec<FileMount>,
    #[serde(default)]
    pub sqlite_databases: Vec<String>,
    #[serde(default)]
    pub key_value_stores: Vec<String>,
    #[serde(default)]
    pub allowed_outbound_hosts: Vec<String>,
    #[serde(default)]
    pub environment: BTreeMap<String, String>,
    #[serde(default)]
    pub variables: BTreeMap<String, String>,
    #[serde(default)]
    pub build: Option<Build>,
}

#[derive(Debug, Deserialize, Clone)]
#[serde(untagged)]
pub enum FileMount {
    Plain(String),
    Mapped { source: String, destination: String },
}

#[derive(Debug, Deserialize, Clone)]
pub struct Build {
    pub command: String,
    #[serde(default)]
    pub workdir: Option<String>,
    #[serde(default)]
    pub watch: Vec<String>,
}

/// A manifest and the folder it sits in (paths in it are relative to that folder).
#[derive(Debug)]
pub struct Loaded {
    pub manifest: Manifest,
    pub dir: PathBuf,
    pub path: PathBuf,
}

impl Loaded {
    pub fn resolve(&self, rel: &str) -> PathBuf {
        self.dir.join(rel)
    }
}

fn is_valid_variable_name(name: &str) -> bool {
    let b = name.as_bytes();
    !b.is_empty()
        && b[0].is_ascii_lowercase()
        && b.iter()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'_')
        && !name.ends_with('_')
        && !name.contains("__")
}

/// Spin's rule for a store label: words of ASCII letters and digits, each starting with a
/// letter, all lowercase or all UPPERCASE, separated by `-` or by `_` (not both).
fn is_kebab_or_snake(label: &str) -> bool {
    let words_ok = |delim: char| {
        label.split(delim).all(|word| {
            let mut chars = word.chars();
            let Some(first) = chars.next() else {
                return false;
            };
            let upper = first.is_ascii_uppercase();
            first.is_ascii_alphabetic()
                && chars.all(|c| {
                    c.is_ascii_digit()
                        || (c.is_ascii_alphabetic() && c.is_ascii_uppercase() == upper)
                })
        })
    };
    (!label.contains('_') && words_ok('-')) || (!label.contains('-') && words_ok('_'))
}

pub fn load(path: &Path) -> Result<Loaded> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read the manifest {}", path.display()))?;
    let manifest: Manifest = toml::from_str(&text)
        .with_context(|| format!("{} is not a valid Spin manifest", path.display()))?;
    if manifest.spin_manifest_version != 2 {
        bail!(
            "{}: spin_manifest_version must be 2 (found {})",
            path.display(),
            manifest.spin_manifest_version
        );
    }
    for name in manifest.variables.keys() {
        if !is_valid_variable_name(name) {
            bail!("variable `{name}`: names are lower_snake_case (letters, digits, `_`)");
        }
    }
    for (id, v) in &manifest.variables {
        if v.required && v.default.is_some() {
            bail!("variable `{id}` cannot be both `required` and have a `default`");
        }
    }
    for (cid, c) in &manifest.component {
        for name in c.variables.keys() {
            if !is_valid_variable_name(name) {
                bail!("component `{cid}`, variable `{name}`: names are lower_snake_case");
            }
        }
        for label in &c.key_value_stores {
            if !is_kebab_or_snake(label) {
                bail!(
                    "component `{cid}`, key_value_stores label {label:?}: expected \
                     kebab-case or snake_case"
                );
            }
        }
    }
    for t in &manifest.trigger.http {
        if !manifest.component.contains_key(&t.component) {
            bail!(
                "an HTTP trigger names component `{}`, which the manifest does not define",
                t.component
            );
        }
    }
    let dir = path
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."));
    let dir = if dir.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        dir
    };
    Ok(Loaded {
        manifest,
        dir,
        path: path.to_path_buf(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_a_small_manifest() {
        let m: Manifest = toml::from_str(
            r#"
spin_manifest_version = 2
[application]
name = "x"
[variables]
token = { required = true, secret = true }
base = { default = "http://localhost" }
[[trigger.http]]
route = "/api/..."
component = "api"
[[trigger.http]]
route = { private = true }
component = "api"
[component.api]
source = "api.wasm"
sqlite_databases = ["default"]
files = [{ source = "web", destination = "/" }, "static/"]
[component.api.variables]
token = "{{ token }}"
[component.api.build]
command = "cargo build"
"#,
        )
        .unwrap();
        assert_eq!(m.trigger.http.len(), 2);
        assert!(m.variables["token"].required);
        assert_eq!(m.component["api"].files.len(), 2);
        assert!(is_valid_variable_name("admin_token"));
        assert!(!is_valid_variable_name("Admin"));
        assert!(!is_valid_variable_name("a__b"));
    }

    #[test]
    fn store_labels_are_kebab_or_snake_case_as_in_spin() {
        for ok in [
            "default",
            "snake_case",
            "kebab-case",
            "ABC",
            "v2-cache",
            "A-b",
        ] {
            assert!(is_kebab_or_snake(ok), "{ok}");
        }
        for bad in [
            "", "b@dlabel", "a-b_c", "Default", "2fast", "a--b", "a_", "-a", "a b",
        ] {
            assert!(!is_kebab_or_snake(bad), "{bad}");
        }
    }
}
