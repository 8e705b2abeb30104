//! A request's body, read whole before the request takes one of the host's execution
//! slots: a client that sends slowly holds its own connection and nothing else, and the
//! handler's timeout starts once the body is in. The read has its own deadline (long
//! enough for the largest body over a slow link) and stops at the body limit.

use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use http_body::{Body, Frame};
use http_body_util::{BodyExt, Limited};
use hyper::body::Incoming;

/// What came of reading a body.
pub(crate) enum Read {
    /// The whole body, within the limit.
    Whole(Bytes),
    /// More than the limit: the component is told so when it reads (a component that
    /// never reads, e.g. for a 405, answers as under Spin).
    OverLimit,
    /// The client did not send it all before the deadline.
    TooSlow,
    /// The connection failed or the framing was broken.
    Broken,
}

/// Reads `body` whole, up to `limit` bytes, within `deadline`.
pub(crate) async fn read(body: Incoming, limit: usize, deadline: Duration) -> Read {
    match tokio::time::timeout(deadline, Limited::new(body, limit).collect()).await {
        Err(_) => Read::TooSlow,
        Ok(Ok(collected)) => Read::Whole(collected.to_bytes()),
        Ok(Err(e)) if e.is::<http_body_util::LengthLimitError>() => Read::OverLimit,
        Ok(Err(_)) => Read::Broken,
    }
}

/// The body the component reads: what was read, or — past the limit — a stream that
/// fails with Spin's body-size error the moment it is read, noting that it did.
pub(crate) struct ForComponent {
    data: Option<Bytes>,
    over_limit: Option<Arc<AtomicBool>>,
}

impl ForComponent {
    pub(crate) fn whole(data: Bytes) -> Self {
        ForComponent {
            data: Some(data),
            over_limit: None,
        }
    }

    /// A body past the limit; `read_past` becomes true if the component reads it.
    pub(crate) fn over_limit(read_past: Arc<AtomicBool>) -> Self {
        ForComponent {
            data: None,
            over_limit: Some(read_past),
        }
    }
}

impl Body for ForComponent {
    type Data = Bytes;
    type Error = wasmtime_wasi_http::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        if let Some(flag) = self.over_limit.take() {
            flag.store(true, Ordering::SeqCst);
            return Poll::Ready(Some(Err(wasmtime_wasi_http::Error::HttpRequestBodySize(
                None,
            ))));
        }
        Poll::Ready(
            self.data
                .take()
                .filter(|d| !d.is_empty())
                .map(|d| Ok(Frame::data(d))),
        )
    }

    fn is_end_stream(&self) -> bool {
        self.over_limit.is_none() && self.data.as_ref().is_none_or(Bytes::is_empty)
    }

    fn size_hint(&self) -> http_body::SizeHint {
        match (&self.over_limit, &self.data) {
            (None, Some(d)) => http_body::SizeHint::with_exact(d.len() as u64),
            (None, None) => http_body::SizeHint::with_exact(0),
            _ => http_body::SizeHint::default(),
        }
    }
}
