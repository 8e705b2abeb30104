//! Command-line options shared by the `localspin` binary and `cargo xtask up`.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context, Result, bail};

use crate::Config;

pub const USAGE: &str = "\
options:
  --listen ADDR          where to serve (default 127.0.0.1:3000)
  --from FILE            the manifest (default spin.toml in the project)
  --state-dir DIR        where sqlite_db.db, sqlite_key_value.db and logs/ go (default
                         .spin/ beside the manifest)
  --sqlite SQL|@FILE     SQL run against `default` at start-up (repeatable)
  --variable NAME=VALUE  an application variable (repeatable; beats SPIN_VARIABLE_<NAME>)
  --timeout SECONDS      answer 504 when a request runs longer (default 30)
  --max-body BYTES       largest request body forwarded (default 10485760)
  --body-timeout SECONDS answer 408 when a request body takes longer to arrive (default
                         90: 10 MiB over 2 Mbit/s, twice); read before a slot is taken
  --server-timing        add `server-timing: instantiate;dur=…, handle;dur=…, …` to answers
  --perf-map             write /tmp/perf-<pid>.map so `perf report` names Wasm functions
  --compile-cache DIR    keep compiled components in DIR, so a restart does not compile them
  --sqlite-busy-wait     writers wait in SQLite's busy handler, not in the host's queue
  --max-instance-reuse-count N
                         requests one instance serves in turn before it is dropped
                         (default 128, as Spin 4.1 for WASIp3; 1: a fresh one each time)
  --idle-instance-timeout DURATION
                         how long an idle instance waits for the next request (default
                         1s; `500ms`, `2s` or seconds)";

/// Parses options into `config` (whose defaults the caller chose).
pub fn parse(args: &[String], config: &mut Config) -> Result<()> {
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") && f != "--variable" => (f, Some(v.to_owned())),
            _ => (arg.as_str(), None),
        };
        let mut value = || -> Result<String> {
            match &inline {
                Some(v) => Ok(v.clone()),
                None => it
                    .next()
                    .cloned()
                    .with_context(|| format!("{flag} needs a value")),
            }
        };
        match flag {
            "--listen" => {
                let v = value()?;
                config.listen = v
                    .parse::<SocketAddr>()
                    .with_context(|| format!("--listen {v}: expected HOST:PORT"))?;
            }
            "--from" | "-f" => config.manifest = PathBuf::from(value()?),
            "--state-dir" => config.state_dir = Some(PathBuf::from(value()?)),
            "--sqlite" => {
                let v = value()?;
                let sql = match v.strip_prefix('@') {
                    Some(file) => std::fs::read_to_string(file)
                        .with_context(|| format!("--sqlite @{file}: cannot read the file"))?,
                    None => v,
                };
                config.sqlite_statements.push(sql);
            }
            "--variable" => {
                let v = value()?;
                let Some((k, val)) = v.split_once('=') else {
                    bail!("--variable {v}: expected NAME=VALUE");
                };
                config.variables.push((k.to_owned(), val.to_owned()));
            }
            "--timeout" | "--body-timeout" => {
                let v = value()?;
                let secs = v
                    .parse()
                    .ok()
                    .filter(|s: &f64| *s > 0.0)
                    .and_then(|s| Duration::try_from_secs_f64(s).ok())
                    .with_context(|| format!("{flag} {v}: expected seconds"))?;
                if flag == "--timeout" {
                    config.request_timeout = secs;
                } else {
                    config.body_timeout = secs;
                }
            }
            "--max-body" => {
                let v = value()?;
                config.max_body_bytes = v
                    .parse()
                    .with_context(|| format!("--max-body {v}: expected bytes"))?;
            }
            "--server-timing" => config.server_timing = true,
            "--perf-map" => config.perf_map = true,
            "--sqlite-busy-wait" => config.sqlite_busy_wait = true,
            "--compile-cache" => config.compile_cache = Some(PathBuf::from(value()?)),
            "--max-instance-reuse-count" => {
                let v = value()?;
                config.max_instance_reuse_count = v
                    .parse()
                    .ok()
                    .filter(|n: &u32| *n >= 1)
                    .with_context(|| format!("{flag} {v}: expected a whole number from 1"))?;
            }
            "--idle-instance-timeout" => {
                let v = value()?;
                config.idle_instance_timeout = duration(&v)
                    .with_context(|| format!("{flag} {v}: expected `500ms`, `2s` or seconds"))?;
            }
            other => bail!("unknown option `{other}`\n{USAGE}"),
        }
    }
    Ok(())
}

/// A duration as Spin writes one: `500ms`, `2s`, `100us` or bare seconds.
fn duration(v: &str) -> Option<Duration> {
    let (number, unit) = match v.find(|c: char| c.is_ascii_alphabetic() || c == 'μ') {
        Some(i) => v.split_at(i),
        None => (v, "s"),
    };
    let n: f64 = number
        .trim()
        .parse()
        .ok()
        .filter(|n: &f64| n.is_finite() && *n >= 0.0)?;
    let seconds = match unit {
        "s" => n,
        "ms" => n / 1e3,
        "us" | "μs" => n / 1e6,
        "ns" => n / 1e9,
        _ => return None,
    };
    Duration::try_from_secs_f64(seconds).ok()
}

/// The whole `localspin` command: options from the process arguments, then serve.
pub fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|a| a == "--help" || a == "-h") {
        println!("usage: localspin [options]\n{USAGE}");
        return std::process::ExitCode::SUCCESS;
    }
    let mut config = Config::new("spin.toml");
    match parse(&args, &mut config).and_then(|()| serve(config)) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("localspin: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

/// Starts the host and serves until Ctrl-C, printing the routes first.
pub fn serve(config: Config) -> Result<()> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    rt.block_on(async move {
        let running = crate::start(config).await?;
        println!("localspin: serving on http://{}", running.addr);
        println!("localspin: state in {}", running.app.state_dir.display());
        if let Some(file) = running.app.key_value_file() {
            println!("localspin: key-value store `default` in {}", file.display());
        }
        for (route, component) in running.app.routes() {
            println!("  http://{}{route}  →  {component}", running.addr);
        }
        println!(
            "localspin: component logs in {}",
            running.app.state_dir.join("logs").display()
        );
        running.wait().await
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_option() {
        let mut c = Config::new("spin.toml");
        let args: Vec<String> = [
            "--listen",
            "127.0.0.1:0",
            "--state-dir=/tmp/x",
            "--sqlite",
            "CREATE TABLE t (x)",
            "--variable",
            "a=b=c",
            "--timeout",
            "2.5",
            "--body-timeout",
            "120",
            "--server-timing",
            "--perf-map",
            "--max-instance-reuse-count",
            "1",
            "--idle-instance-timeout=250ms",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        parse(&args, &mut c).unwrap();
        assert_eq!(c.listen.port(), 0);
        assert_eq!(c.state_dir, Some(PathBuf::from("/tmp/x")));
        assert_eq!(c.sqlite_statements, vec!["CREATE TABLE t (x)".to_owned()]);
        assert_eq!(c.variables, vec![("a".to_owned(), "b=c".to_owned())]);
        assert_eq!(c.request_timeout, Duration::from_millis(2500));
        assert_eq!(c.body_timeout, Duration::from_secs(120));
        assert!(c.server_timing && c.perf_map && c.compile_cache.is_none());
        assert_eq!(c.max_instance_reuse_count, 1);
        assert_eq!(c.idle_instance_timeout, Duration::from_millis(250));
        assert!(parse(&["--nope".into()], &mut c).is_err());
        assert!(parse(&["--max-instance-reuse-count=0".into()], &mut c).is_err());
        assert!(parse(&["--idle-instance-timeout=2h".into()], &mut c).is_err());
        assert!(parse(&["--timeout=1e300".into()], &mut c).is_err());
        assert!(parse(&["--variable".into(), "novalue".into()], &mut c).is_err());
    }

    #[test]
    fn reads_durations_as_spin_writes_them() {
        assert_eq!(duration("1s"), Some(Duration::from_secs(1)));
        assert_eq!(duration("2"), Some(Duration::from_secs(2)));
        assert_eq!(duration("500ms"), Some(Duration::from_millis(500)));
        assert_eq!(duration("250us"), Some(Duration::from_micros(250)));
        assert_eq!(duration("-1s"), None);
        assert_eq!(duration("soon"), None);
        assert_eq!(duration("1e300"), None);
    }
}
