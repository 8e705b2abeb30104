//! Spin variables: application variables (`[variables]`) with defaults and `required`,
//! provided by `--variable name=value` (first) or `SPIN_VARIABLE_<NAME>` (second), and
//! component variables (`[component.x.variables]`) as templates over them
//! (`"{{ admin_token }}"`). A component reads only its own component variables.
//! Everything is resolved once at start-up: a missing required variable stops the host
//! with an error naming the variable and how to set it.

use std::collections::BTreeMap;

use anyhow::{Result, bail};

use crate::manifest::Manifest;

/// Splits a template into literal text and `{{ name }}` references.
fn render(template: &str, lookup: &dyn Fn(&str) -> Option<String>) -> Result<String> {
    let mut out = String::new();
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else {
            bail!("unterminated `{{{{` in `{template}`");
        };
        let name = after[..end].trim();
        match lookup(name) {
            Some(v) => out.push_str(&v),
            None => bail!("`{template}` refers to `{name}`, which is not an application variable"),
        }
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    Ok(out)
}

/// The value of every application variable that has one.
pub fn resolve_app(
    manifest: &Manifest,
    cli: &[(String, String)],
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<BTreeMap<String, String>> {
    let mut values = BTreeMap::new();
    let mut missing = Vec::new();
    for (name, _) in cli {
        if !manifest.variables.contains_key(name) {
            bail!("--variable {name}=…: the manifest declares no variable `{name}`");
        }
    }
    for (name, var) in &manifest.variables {
        let from_cli = cli
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone());
        let env_name = format!("SPIN_VARIABLE_{}", name.to_ascii_uppercase());
        let value = from_cli
            .or_else(|| env(&env_name))
            .or_else(|| var.default.clone());
        match value {
            Some(v) => {
                values.insert(name.clone(), v);
            }
            None if var.required => missing.push(format!(
                "  `{name}`: set SPIN_VARIABLE_{} or pass --variable {name}=…",
                name.to_ascii_uppercase()
            )),
            None => {}
        }
    }
    if !missing.is_empty() {
        bail!(
            "required application variables have no value:\n{}",
            missing.join("\n")
        );
    }
    Ok(values)
}

/// The component variables of one component, rendered.
pub fn resolve_component(
    component: &str,
    templates: &BTreeMap<String, String>,
    app: &BTreeMap<String, String>,
    manifest: &Manifest,
) -> Result<BTreeMap<String, String>> {
    let mut out = BTreeMap::new();
    for (name, template) in templates {
        let lookup = |n: &str| -> Option<String> {
            if manifest.variables.contains_key(n) {
                // Declared but optional without a value: renders empty, as Spin would fail
                // only on use; we keep it explicit by leaving it out below.
                app.get(n).cloned()
            } else {
                None
            }
        };
        match render(template, &lookup) {
            Ok(v) => {
                out.insert(name.clone(), v);
            }
            Err(e) => {
                // A reference to a declared variable without a value is "undefined" at
                // run time; anything else is a manifest error.
                let refs_declared_only = template_refs(template)
                    .iter()
                    .all(|r| manifest.variables.contains_key(r));
                if !refs_declared_only {
                    bail!("component `{component}`, variable `{name}`: {e}");
                }
            }
        }
    }
    Ok(out)
}

fn template_refs(template: &str) -> Vec<String> {
    let mut refs = Vec::new();
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else { break };
        refs.push(after[..end].trim().to_owned());
        rest = &after[end + 2..];
    }
    refs
}

/// Spin's rule for names a component may ask for.
pub fn valid_name(name: &str) -> bool {
    let b = name.as_bytes();
    !b.is_empty()
        && b[0].is_ascii_lowercase()
        && b.iter()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'_')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn manifest() -> Manifest {
        toml::from_str(
            r#"
spin_manifest_version = 2
[variables]
token = { required = true, secret = true }
base = { default = "http://localhost" }
opt = { }
[component.c]
source = "c.wasm"
[component.c.variables]
token = "{{ token }}"
url = "{{base}}/api"
maybe = "{{ opt }}"
"#,
        )
        .unwrap()
    }

    #[test]
    fn cli_beats_env_beats_default() {
        let m = manifest();
        let env = |k: &str| (k == "SPIN_VARIABLE_TOKEN").then(|| "from-env".to_owned());
        let app = resolve_app(&m, &[], &env).unwrap();
        assert_eq!(app["token"], "from-env");
        assert_eq!(app["base"], "http://localhost");
        let app = resolve_app(&m, &[("token".into(), "from-cli".into())], &env).unwrap();
        assert_eq!(app["token"], "from-cli");
        let c = resolve_component("c", &m.component["c"].variables, &app, &m).unwrap();
        assert_eq!(c["url"], "http://localhost/api");
        assert_eq!(c["token"], "from-cli");
        assert!(!c.contains_key("maybe"));
    }

    #[test]
    fn missing_required_variable_is_a_clear_error() {
        let m = manifest();
        let e = resolve_app(&m, &[], &|_| None).unwrap_err().to_string();
        assert!(
            e.contains("token") && e.contains("SPIN_VARIABLE_TOKEN"),
            "{e}"
        );
        let e = resolve_app(&m, &[("nope".into(), "x".into())], &|_| None)
            .unwrap_err()
            .to_string();
        assert!(e.contains("nope"), "{e}");
    }

    #[test]
    fn undeclared_reference_is_a_manifest_error() {
        let m = manifest();
        let mut t = BTreeMap::new();
        t.insert("x".to_owned(), "{{ nothing }}".to_owned());
        assert!(resolve_component("c", &t, &BTreeMap::new(), &m).is_err());
    }
}
