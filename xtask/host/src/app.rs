//! Loading the app: the components some trigger uses, compiled once and pre-instantiated,
//! their variables, files and logs, the routes, the databases, the key-value stores and the
//! start-up SQL.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use tokio::sync::Semaphore;
use wasmtime::Engine;
use wasmtime::component::Component;
use wasmtime_wasi::cli::OutputFile;
use wasmtime_wasi_http::p3::bindings::{Service, ServicePre};

use crate::engine::{engine, linker, wt};
use crate::files::{file_mounts, open_log};
use crate::{Config, Ctx, key_value, manifest, router, sqlite, variables};

/// One component, ready to instantiate.
pub struct ComponentRt {
    pub id: String,
    pub(crate) pre: ServicePre<Ctx>,
    pub variables: BTreeMap<String, String>,
    pub sqlite_databases: Vec<String>,
    pub key_value_stores: Vec<String>,
    pub(crate) mounts: Vec<(PathBuf, String)>,
    pub(crate) environment: Vec<(String, String)>,
    pub(crate) stdout: OutputFile,
    pub(crate) stderr: OutputFile,
}

/// The most idle instances kept per component: after a burst of requests at once, the
/// rest are dropped. Idle instances hold slots of the pooling allocator (`engine`: 512
/// memories and stacks for 256 requests at once); should an instantiation still find the
/// pool full, the app drops every idle instance and tries once more
/// ([`App::drop_idle`]).
const MOST_IDLE: usize = 8;

/// The instances of one component that served a request and wait for the next (newest
/// last). Held by the app, not the component: an instance's state refers to its
/// component, and the app must be able to drop both.
#[derive(Default)]
pub(crate) struct IdleInstances(std::sync::Mutex<Vec<Idle>>);

/// An instance between two requests, as Spin 4.1 keeps one: its memory, its open
/// resources and the state its globals hold all carry over to the next request.
pub(crate) struct Idle {
    pub store: wasmtime::Store<Ctx>,
    pub service: Service,
    /// Requests it has served.
    pub served: u32,
    pub since: std::time::Instant,
}

impl IdleInstances {
    /// The newest idle instance, if any ([`App::expire_idle`] has dropped those past the
    /// idle timeout).
    pub(crate) fn take(&self) -> Option<Idle> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).pop()
    }

    /// Keeps an instance that has served a request for the next, unless it has served
    /// `max` requests or [`MOST_IDLE`] instances of the component wait already.
    pub(crate) fn keep(&self, i: Idle, max: u32) {
        let mut idle = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if i.served < max && idle.len() < MOST_IDLE {
            idle.push(i);
        }
    }

    /// Drops the instances idle for `timeout` or longer (all of them for zero).
    fn expire(&self, timeout: Duration) {
        let mut idle = self.0.lock().unwrap_or_else(|e| e.into_inner());
        idle.retain(|i| i.since.elapsed() < timeout);
    }
}

impl App {
    /// Drops every component's instances idle for longer than the idle timeout, as Spin
    /// drops them after it: each request does this, so an idle instance (its memory, its
    /// stack, any resource it left open) outlives the timeout only while no request comes.
    pub(crate) fn expire_idle(&self) {
        for idle in &self.idle {
            idle.expire(self.idle_instance_timeout);
        }
    }

    /// Drops every idle instance (the pooling allocator is full).
    pub(crate) fn drop_idle(&self) {
        for idle in &self.idle {
            idle.expire(Duration::ZERO);
        }
    }
}

/// The loaded app.
pub struct App {
    pub(crate) engine: Engine,
    pub(crate) router: router::Router,
    pub(crate) components: Vec<Arc<ComponentRt>>,
    /// Each component's idle instances, by the same index.
    pub(crate) idle: Vec<IdleInstances>,
    pub(crate) dbs: Arc<sqlite::Databases>,
    pub(crate) kv: Arc<key_value::KeyValue>,
    pub(crate) timeout: Duration,
    pub(crate) max_body: usize,
    pub(crate) body_timeout: Duration,
    pub(crate) permits: Semaphore,
    pub(crate) server_timing: bool,
    pub(crate) max_instance_reuse_count: u32,
    pub(crate) idle_instance_timeout: Duration,
    /// The body of `/.well-known/spin/info`: the application's name and version, as Spin
    /// writes its `AppInfo` (pretty JSON).
    pub(crate) info: Vec<u8>,
    pub state_dir: PathBuf,
}

impl App {
    /// Loads the manifest, compiles every component, resolves variables and opens the
    /// databases, then runs the start-up SQL.
    pub fn load(config: &Config) -> Result<App> {
        let loaded = manifest::load(&config.manifest)?;
        let m = &loaded.manifest;
        let state_dir = config
            .state_dir
            .clone()
            .unwrap_or_else(|| loaded.dir.join(".spin"));
        let process_env = |k: &str| match &config.env {
            Some(map) => map.get(k).cloned(),
            None => std::env::var(k).ok(),
        };
        let app_vars = variables::resolve_app(m, &config.variables, &process_env)?;

        // Every component's stores must exist, used by a trigger or not, as in Spin
        // (its KeyValueFactor refuses the app with the same words).
        let kv = Arc::new(key_value::KeyValue::new(&state_dir));
        for (id, c) in &m.component {
            for label in &c.key_value_stores {
                if !kv.is_defined(label) {
                    bail!(
                        "unknown key_value_stores label {label:?} for component {id:?} \
                         (the only key-value store is `default`: Spin needs a runtime \
                         config for others, which the local host does not read)"
                    );
                }
            }
        }

        let engine = engine(config)?;
        let linker = linker(&engine)?;

        let log_dir = state_dir.join("logs");
        std::fs::create_dir_all(&log_dir)
            .with_context(|| format!("cannot create {}", log_dir.display()))?;
        let dbs = Arc::new(sqlite::Databases::open_default(
            &state_dir,
            !config.sqlite_busy_wait,
        )?);

        // Only components some trigger uses are loaded, like Spin.
        let mut used: Vec<&String> = m.trigger.http.iter().map(|t| &t.component).collect();
        used.sort();
        used.dedup();
        let mut components = Vec::new();
        let mut index = BTreeMap::new();
        let mut compiled: BTreeMap<PathBuf, Component> = BTreeMap::new();
        for id in used {
            let c = &m.component[id];
            let path = loaded.resolve(&c.source);
            // The same file declared under several ids is compiled once.
            let component = match compiled.get(&path) {
                Some(c) => Component::clone(c),
                None => {
                    let c = wt(
                        Component::from_file(&engine, &path),
                        &format!(
                            "component `{id}`: cannot load {} (build it first: `cargo xtask build`)",
                            path.display()
                        ),
                    )?;
                    compiled.insert(path.clone(), c.clone());
                    c
                }
            };
            let pre = wt(
                linker.instantiate_pre(&component),
                &format!("component `{id}`: imports the host cannot provide"),
            )?;
            let pre = wt(
                ServicePre::new(pre),
                &format!("component `{id}` is not a wasi:http@0.3 service"),
            )?;
            for label in &c.sqlite_databases {
                if !dbs.contains(label) {
                    eprintln!(
                        "localspin: warning: component `{id}` declares database `{label}`, \
                         which the local host does not provide (opening it gives \
                         no-such-database)"
                    );
                }
            }
            let variables = variables::resolve_component(id, &c.variables, &app_vars, m)?;
            index.insert(id.clone(), components.len());
            components.push(Arc::new(ComponentRt {
                id: id.clone(),
                pre,
                variables,
                sqlite_databases: c.sqlite_databases.clone(),
                key_value_stores: c.key_value_stores.clone(),
                mounts: file_mounts(&loaded, id, &c.files)?,
                environment: c.environment.clone().into_iter().collect(),
                stdout: open_log(&log_dir, id, "stdout")?,
                stderr: open_log(&log_dir, id, "stderr")?,
            }));
        }

        let mut routes = Vec::new();
        for t in &m.trigger.http {
            match &t.route {
                manifest::RouteSpec::Path(p) => {
                    routes.push(router::Route::parse(p, index[&t.component])?)
                }
                manifest::RouteSpec::Private { .. } => {}
            }
        }
        let router = router::Router::new(routes)?;

        for sql in &config.sqlite_statements {
            dbs.execute_batch("default", sql)
                .with_context(|| format!("start-up SQL failed: {}", first_line(sql)))?;
        }

        Ok(App {
            engine,
            router,
            idle: components
                .iter()
                .map(|_| IdleInstances::default())
                .collect(),
            components,
            dbs,
            kv,
            timeout: config.request_timeout,
            max_body: config.max_body_bytes,
            body_timeout: config.body_timeout,
            permits: Semaphore::new(config.max_concurrency.max(1)),
            server_timing: config.server_timing,
            max_instance_reuse_count: config.max_instance_reuse_count.max(1),
            idle_instance_timeout: config.idle_instance_timeout,
            info: app_info(&m.application),
            state_dir,
        })
    }

    /// The file of the `default` key-value store, if a component may open it (Spin then
    /// says where it stores that data; the file itself appears at the first `open`).
    pub fn key_value_file(&self) -> Option<&std::path::Path> {
        self.components
            .iter()
            .any(|c| {
                c.key_value_stores
                    .iter()
                    .any(|l| l == key_value::DEFAULT_LABEL)
            })
            .then(|| self.kv.path())
    }

    /// The routes, as `(route, component)`, in manifest order.
    pub fn routes(&self) -> Vec<(String, String)> {
        self.router
            .routes()
            .iter()
            .map(|r| (r.raw.clone(), self.components[r.component].id.clone()))
            .collect()
    }
}

fn first_line(s: &str) -> &str {
    s.lines().find(|l| !l.trim().is_empty()).unwrap_or("")
}

/// Spin's `AppInfo` of the manifest's `[application]`: `name`, and `version` when set.
fn app_info(a: &manifest::Application) -> Vec<u8> {
    let mut info = serde_json::Map::new();
    info.insert("name".into(), a.name.clone().into());
    if let Some(v) = &a.version {
        info.insert("version".into(), v.clone().into());
    }
    serde_json::to_vec_pretty(&info).expect("strings serialise")
}
