//! Serving one request as Spin does: routing, the `spin-*` headers, the body read whole
//! (and limited) before an execution slot is taken, the concurrency limit and timeout, an
//! instance reused as Spin 4.1 reuses one (`app::IdleInstances`), and `server-timing`
//! when asked.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Result, bail};
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;

use crate::answer::{HostBody, bare, body_too_large, host_error};
use crate::app::Idle;
use crate::body::{self, ForComponent, Read};
use crate::{App, ComponentRt};

fn insert(headers: &mut http::HeaderMap, name: &str, value: &str) {
    if let (Ok(n), Ok(v)) = (
        http::HeaderName::from_bytes(name.as_bytes()),
        http::HeaderValue::from_str(value),
    ) {
        headers.insert(n, v);
    }
}

/// Adds a `spin-*` header as Spin does: after any value of that name the client sent,
/// which stays (a component must read the last value).
fn append(headers: &mut http::HeaderMap, name: &str, value: &str) {
    if let (Ok(n), Ok(v)) = (
        http::HeaderName::from_bytes(name.as_bytes()),
        http::HeaderValue::from_str(value),
    ) {
        headers.append(n, v);
    }
}

/// Serves one request.
pub async fn handle(
    app: Arc<App>,
    client: SocketAddr,
    req: http::Request<Incoming>,
) -> http::Response<HostBody> {
    // No check of a declared length here: as under Spin, the component answers first (a
    // wrong method is 405 whatever the size); the body stream itself stops at the limit.
    let path = req.uri().path().to_owned();
    if let Some(name) = path.strip_prefix(WELL_KNOWN_PREFIX) {
        return well_known(&app, name);
    }
    // No route: Spin's bare 404 (an app with a catch-all route never gets it).
    let Some(m) = app.router.route(&path) else {
        return bare(404);
    };
    let index = m.route.component;
    let component = app.components[index].clone();

    let (mut parts, body) = req.into_parts();
    // Transport information, only meaningful to the server: Spin removes it.
    parts.headers.remove(http::header::CONNECTION);
    // Spin hands a component only headers whose values are UTF-8; any other fails the
    // request with its bare 500 before the component runs.
    if parts
        .headers
        .values()
        .any(|v| std::str::from_utf8(v.as_bytes()).is_err())
    {
        return bare(500);
    }
    let host = parts
        .headers
        .get(http::header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("localhost")
        .to_owned();
    let pq = parts
        .uri
        .path_and_query()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_else(|| "/".into());
    let full_url = format!("http://{host}{pq}");
    match full_url.parse::<http::Uri>() {
        Ok(u) => parts.uri = u,
        Err(_) => {
            return host_error(400, "bad_request", "请求地址无效。", "Invalid request URL.");
        }
    }
    let h = &mut parts.headers;
    append(h, "spin-full-url", &full_url);
    append(h, "spin-path-info", &m.path_info);
    append(h, "spin-matched-route", &m.route.raw);
    append(h, "spin-raw-component-route", &m.route.raw);
    append(h, "spin-component-route", &m.route.component_route);
    append(h, "spin-base-path", "/");
    append(h, "spin-client-addr", &client.to_string());
    for (name, value) in &m.params {
        // Spin's header key: lower case, `_` as `-`.
        let name = name.to_ascii_lowercase().replace('_', "-");
        append(h, &format!("spin-path-match-{name}"), value);
    }
    // The body is read before the request takes an execution slot, with its own deadline:
    // a slow client holds its connection only, and the handler's timeout starts once the
    // body is in. Spin has no body limit; this host's `--max-body` stops the read there,
    // and the answer is then the host's 413 if the component reads the body at all.
    // A body declared larger than the limit is not waited for: the component answers from
    // the declared length (or reads and gets the 413), as it would at once under Spin.
    let over_limit = Arc::new(AtomicBool::new(false));
    let declared = parts
        .headers
        .get(http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    let read = match declared {
        Some(n) if n > app.max_body as u64 => Read::OverLimit,
        _ => body::read(body, app.max_body, app.body_timeout).await,
    };
    let body = match read {
        Read::Whole(data) => ForComponent::whole(data),
        Read::OverLimit => ForComponent::over_limit(over_limit.clone()),
        Read::TooSlow => {
            return host_error(
                408,
                "body_timeout",
                "请求体未能在规定时间内发送完毕。",
                "The request body did not arrive in time.",
            );
        }
        Read::Broken => {
            return host_error(
                400,
                "bad_request",
                "请求体不完整或格式错误。",
                "The request body was cut short or malformed.",
            );
        }
    };
    let req = http::Request::from_parts(parts, body);

    let Ok(_permit) = app.permits.acquire().await else {
        return host_error(503, "unavailable", "服务暂不可用。", "Service unavailable.");
    };
    match tokio::time::timeout(app.timeout, run(&app, index, &component, req)).await {
        Ok(_) if over_limit.load(Ordering::SeqCst) => body_too_large(app.max_body),
        Ok(Ok(res)) => res,
        Ok(Err(e)) => {
            eprintln!("localspin: component `{}` failed: {e:?}", component.id);
            host_error(
                500,
                "component_failed",
                "组件执行失败。",
                "The component failed while handling the request.",
            )
        }
        Err(_) => {
            eprintln!(
                "localspin: component `{}` ran past {:?} on {path}",
                component.id, app.timeout
            );
            host_error(
                504,
                "timeout",
                "请求处理超时。",
                "The component did not answer in time.",
            )
        }
    }
}

/// Where Spin answers for itself, before any route: `/.well-known/spin/…`.
const WELL_KNOWN_PREFIX: &str = "/.well-known/spin/";

/// Spin's answers under [`WELL_KNOWN_PREFIX`], whatever the method: `health` (`OK`),
/// `info` (the application's name and version), a bare 404 for anything else.
fn well_known(app: &App, name: &str) -> http::Response<HostBody> {
    match name {
        "health" => http::Response::new(Full::new(Bytes::from_static(b"OK"))),
        "info" => http::Response::builder()
            .header("content-type", "application/json")
            .body(Full::new(Bytes::from(app.info.clone())))
            .expect("a valid response"),
        _ => bare(404),
    }
}

async fn run<B>(
    app: &App,
    index: usize,
    component: &Arc<ComponentRt>,
    req: http::Request<B>,
) -> Result<http::Response<HostBody>>
where
    B: http_body::Body<Data = Bytes, Error = wasmtime_wasi_http::Error> + Send + 'static,
{
    let head = req.method() == http::Method::HEAD;
    let start = Instant::now();
    // An idle instance serves the request if there is one; a request that fails (a trap,
    // an error answered for the body, the timeout dropping this future) drops its
    // instance, so only an instance that answered is kept.
    app.expire_idle();
    let (mut store, service, served) = match app.idle[index].take() {
        Some(i) => (i.store, i.service, i.served),
        None => {
            let mut store = app.new_store(component)?;
            let service = match component.pre.instantiate_async(&mut store).await {
                Ok(s) => s,
                // The pool may be full of idle instances: drop them and try once more.
                Err(_) => {
                    app.drop_idle();
                    store = app.new_store(component)?;
                    component.pre.instantiate_async(&mut store).await?
                }
            };
            (store, service, 0)
        }
    };
    store.data_mut().sqlite_time = Default::default();
    store.data_mut().kv_time = Default::default();
    store.set_epoch_deadline(1);
    let instantiated = start.elapsed();
    let (req, io) = wasmtime_wasi_http::p3::Request::from_http(&mut store.data_mut().hooks, req);
    let res = store
        .run_concurrent(async |store| {
            let (res, ()) = tokio::try_join!(
                async {
                    let res = match service.handle(store, req).await? {
                        Ok(res) => res,
                        Err(code) => {
                            return wasmtime::error::Ok(Err(format!("{code:?}")));
                        }
                    };
                    let res = store.with(|store| res.into_http(store, async { Ok(()) }))?;
                    let (parts, body) = res.into_parts();
                    let body = match body.collect().await {
                        Ok(body) => body.to_bytes(),
                        // HEAD: the component declares the length a GET would get and
                        // sends no body (RFC 9110 §9.3.2); Spin sends that head as it is.
                        Err(wasmtime_wasi_http::Error::HttpResponseBodySize(Some(0))) if head => {
                            Bytes::new()
                        }
                        Err(e) => return Err(wasmtime::format_err!("response body: {e:?}")),
                    };
                    Ok(Ok(http::Response::from_parts(parts, body)))
                },
                async {
                    io.await
                        .map_err(|e| wasmtime::format_err!("request body: {e:?}"))
                }
            )?;
            wasmtime::error::Ok(res)
        })
        .await??;
    match res {
        Ok(mut res) => {
            if app.server_timing {
                let ms = |d: Duration| d.as_secs_f64() * 1e3;
                let sql = &store.data().sqlite_time;
                let kv = &store.data().kv_time;
                let timing = format!(
                    "instantiate;dur={:.3}, handle;dur={:.3}, sqlite;dur={:.3};desc=\"{}\", queue;dur={:.3}, kv;dur={:.3};desc=\"{}\"",
                    ms(instantiated),
                    ms(start.elapsed() - instantiated),
                    ms(sql.running),
                    sql.statements,
                    ms(sql.queued),
                    ms(kv.running),
                    kv.calls,
                );
                insert(res.headers_mut(), "server-timing", &timing);
            }
            app.idle[index].keep(
                Idle {
                    store,
                    service,
                    served: served + 1,
                    since: Instant::now(),
                },
                app.max_instance_reuse_count,
            );
            Ok(res.map(Full::new))
        }
        Err(code) => {
            if code.contains("HttpRequestBodySize") {
                Ok(body_too_large(app.max_body))
            } else {
                bail!("the component answered an error code: {code}")
            }
        }
    }
}
