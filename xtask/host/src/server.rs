//! Serving: the app loaded, the listener and its accept loop (HTTP/1, keep-alive), the
//! epoch ticker, and the running host that stops them.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use anyhow::{Context, Result};
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::sync::oneshot;

use crate::{App, Config, handle};

/// A running host.
pub struct Running {
    pub addr: SocketAddr,
    pub app: Arc<App>,
    stop: Option<oneshot::Sender<()>>,
    task: tokio::task::JoinHandle<()>,
    ticking: Arc<AtomicBool>,
    /// Tells open connections to close (true once the host stops).
    closing: tokio::sync::watch::Sender<bool>,
    /// One permit per open connection: all back means all closed.
    connections: Arc<tokio::sync::Semaphore>,
    max_connections: u32,
}

impl Running {
    /// Stops accepting, closes every open connection (an answer in flight is finished
    /// first; an idle keep-alive connection is closed at once), waits for them, stops the
    /// epoch ticker. A client holding a connection sees the host gone, as with Spin.
    pub async fn stop(mut self) {
        if let Some(s) = self.stop.take() {
            let _ = s.send(());
        }
        let _ = (&mut self.task).await;
        let _ = self.closing.send(true);
        let _ = self.connections.acquire_many(self.max_connections).await;
        self.ticking.store(false, Ordering::SeqCst);
    }

    /// Serves until the process is interrupted (Ctrl-C).
    pub async fn wait(self) -> Result<()> {
        tokio::signal::ctrl_c().await?;
        self.stop().await;
        Ok(())
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        self.ticking.store(false, Ordering::SeqCst);
        if let Some(s) = self.stop.take() {
            let _ = s.send(());
        }
    }
}

/// Loads the app and starts serving (returns once listening).
pub async fn start(config: Config) -> Result<Running> {
    let load_config = config.clone();
    let app = Arc::new(
        tokio::task::spawn_blocking(move || App::load(&load_config))
            .await
            .context("loading the app")??,
    );
    let listener = TcpListener::bind(config.listen)
        .await
        .with_context(|| format!("cannot listen on {}", config.listen))?;
    let addr = listener.local_addr()?;

    let ticking = Arc::new(AtomicBool::new(true));
    {
        let engine = app.engine.clone();
        let ticking = ticking.clone();
        std::thread::spawn(move || {
            while ticking.load(Ordering::SeqCst) {
                std::thread::sleep(Duration::from_millis(5));
                engine.increment_epoch();
            }
        });
    }

    let (stop_tx, mut stop_rx) = oneshot::channel::<()>();
    let served = app.clone();
    // At most `max_connections` open at once: past it, clients wait in the listen backlog
    // instead of each holding a task and a buffer.
    let max_connections = config.max_connections.max(1);
    let connections = Arc::new(tokio::sync::Semaphore::new(max_connections));
    let (closing, closing_rx) = tokio::sync::watch::channel(false);
    let open = connections.clone();
    let task = tokio::spawn(async move {
        loop {
            let permit = tokio::select! {
                _ = &mut stop_rx => break,
                permit = connections.clone().acquire_owned() => match permit {
                    Ok(p) => p,
                    Err(_) => break,
                },
            };
            tokio::select! {
                _ = &mut stop_rx => break,
                accepted = listener.accept() => {
                    let (stream, client) = match accepted {
                        Ok(c) => c,
                        Err(e) => {
                            // Out of file descriptors, say: back off instead of spinning
                            // on an error that the next accept would give again.
                            eprintln!("localspin: accept failed: {e}; retrying in 100 ms");
                            tokio::time::sleep(Duration::from_millis(100)).await;
                            continue;
                        }
                    };
                    let _ = stream.set_nodelay(true);
                    let app = served.clone();
                    let header_timeout = config.request_timeout;
                    let mut closing = closing_rx.clone();
                    tokio::spawn(async move {
                        let _connection = permit;
                        let service = hyper::service::service_fn(move |req| {
                            let app = app.clone();
                            async move { Ok::<_, Infallible>(handle(app, client, req).await) }
                        });
                        // A client that half-closes after its request still gets the
                        // answer (a body cut short is answered 400 by the host); the
                        // request head must arrive within the request timeout and the
                        // body within the body timeout (slow clients cannot hold
                        // connections open, nor execution slots at all); hyper's own
                        // limits answer 431 past 100 headers or ~400 KiB of head, 414
                        // past 64 KiB of URL.
                        let connection = hyper::server::conn::http1::Builder::new()
                            .keep_alive(true)
                            .half_close(true)
                            .timer(hyper_util::rt::TokioTimer::new())
                            .header_read_timeout(header_timeout)
                            .max_headers(100)
                            .serve_connection(TokioIo::new(stream), service);
                        tokio::pin!(connection);
                        let stopping = async move {
                            while !*closing.borrow_and_update() {
                                if closing.changed().await.is_err() {
                                    break;
                                }
                            }
                        };
                        tokio::select! {
                            _ = connection.as_mut() => {}
                            () = stopping => {
                                connection.as_mut().graceful_shutdown();
                                let _ = connection.await;
                            }
                        }
                    });
                }
            }
        }
    });
    Ok(Running {
        addr,
        app,
        stop: Some(stop_tx),
        task,
        ticking,
        closing,
        connections: open,
        max_connections: max_connections as u32,
    })
}
