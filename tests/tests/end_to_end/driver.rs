//! Headless Chromium over WebDriver (`fantoccini` + Debian's `chromedriver`), found by
//! `tests/build.rs`: the browser tests' and the typing benchmark's (`benches/typing.rs`
//! includes this file).

use e2e::TempDir;
use fantoccini::{Client, ClientBuilder};
use serde_json::{Value, json};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A program `tests/build.rs` found; without it the browser tests are ignored, and this
/// is never reached.
fn built_with(program: Option<&'static str>) -> &'static str {
    match program {
        Some(p) => p,
        None => panic!(
            "no Chromium/chromedriver at build time (apt-get install chromium chromium-driver)"
        ),
    }
}

/// chromedriver on a free port, killed when dropped.
pub(crate) struct Driver {
    child: Child,
    port: u16,
    _profile: TempDir,
    chromium: PathBuf,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// chromedriver listening on a free port. The port is free when chosen but could be taken
/// before chromedriver binds it: then chromedriver exits and another port is tried.
pub(crate) fn driver() -> Driver {
    let chromedriver = built_with(option_env!("E2E_CHROMEDRIVER"));
    for _ in 0..5 {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let mut child = Command::new(chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let until = Instant::now() + Duration::from_secs(20);
        loop {
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return Driver {
                    child,
                    port,
                    _profile: TempDir::new("chromium-profile"),
                    chromium: PathBuf::from(built_with(option_env!("E2E_CHROMIUM"))),
                };
            }
            if child.try_wait().ok().flatten().is_some() {
                break; // the port was taken meanwhile: another one
            }
            assert!(Instant::now() < until, "chromedriver did not listen");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
    panic!("chromedriver could not listen on any of five free ports");
}

pub(crate) async fn browser(d: &Driver) -> Client {
    let profile = d._profile.0.display().to_string();
    let caps = json!({
        "browserName": "chrome",
        "goog:chromeOptions": {
            "binary": d.chromium.display().to_string(),
            "args": [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1280,900",
                format!("--user-data-dir={profile}"),
            ]
        }
    });
    let Value::Object(caps) = caps else {
        unreachable!()
    };
    let mut b = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new());
    b.capabilities(caps);
    b.connect(&format!("http://127.0.0.1:{}", d.port))
        .await
        .expect("a WebDriver session")
}
