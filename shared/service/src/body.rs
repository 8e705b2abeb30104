//! Request-body limits and JSON parsing.
//!
//! Spin sets no body-size limit: each endpoint states its own, and the body is read
//! through [`read_limited`] so that a client cannot make a component buffer more.

use crate::code::Code;
use bytes::Bytes;
use http_body_util::{BodyExt, Limited};
use serde::de::DeserializeOwned;
use spin_sdk::http::Request;

use crate::error::ApiError;

/// The default limit for JSON bodies of the API (64 KiB).
pub const JSON_LIMIT: usize = 64 * 1024;

/// Checks a declared `content-length` against `limit` (before reading anything), and
/// answers it.
pub fn check_declared_length(req: &Request, limit: usize) -> Result<Option<u64>, ApiError> {
    let Some(v) = req.headers().get("content-length") else {
        return Ok(None);
    };
    let n: u64 = v
        .to_str()
        .ok()
        .and_then(|s| s.trim().parse().ok())
        .ok_or_else(|| {
            ApiError::invalid(
                "content-length",
                "Content-Length 请求头无效。",
                "The Content-Length header is invalid.",
            )
        })?;
    if n > limit as u64 {
        return Err(ApiError::body_too_large(limit));
    }
    Ok(Some(n))
}

/// Reads the whole body, refusing more than `limit` bytes.
///
/// A body of a declared length is whole once that many bytes are in: the reading stops
/// there instead of asking the host for the stream's end and its trailers (two more calls
/// under Spin 4.1's WASIp3, about 15 µs of a pre-check's 40 µs of reading).
pub async fn read_limited(req: Request, limit: usize) -> Result<Bytes, ApiError> {
    let declared = check_declared_length(&req, limit)?;
    let mut body = Limited::new(req.into_body(), limit);
    // Room for a JSON body at once; a large upload grows as its bytes arrive, not as its
    // header says (the instance's memory never shrinks, and it serves up to 128 requests).
    let mut whole = Vec::with_capacity(declared.unwrap_or(0).min(JSON_LIMIT as u64) as usize);
    while declared.is_none_or(|n| (whole.len() as u64) < n) {
        let Some(frame) = body.frame().await else {
            break;
        };
        match frame {
            Ok(frame) => {
                if let Ok(data) = frame.into_data() {
                    whole.extend_from_slice(&data);
                }
            }
            Err(e) if e.is::<http_body_util::LengthLimitError>() => {
                return Err(ApiError::body_too_large(limit));
            }
            // The transport's own words (a WASI error code) mean nothing to the sender.
            Err(_) => {
                return Err(ApiError::new(
                    400,
                    Code::BodyUnreadable,
                    "无法读取请求体（连接中断或数据不完整）。",
                    "The request body could not be read (the connection broke or the data is incomplete).",
                ));
            }
        }
    }
    Ok(whole.into())
}

/// Whether the request declares a JSON body (`application/json`, any parameters).
pub fn is_json(req: &Request) -> bool {
    req.headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .map(|v| {
            let t = v.split(';').next().unwrap_or("").trim();
            t.eq_ignore_ascii_case("application/json")
        })
        .unwrap_or(false)
}

/// Parses JSON, naming the failing field (a path such as `loans[0].amount`).
/// Every request body of the API is a JSON object: serde would also read an array as the
/// fields of an object in order (`["false_documents", "2026-01-05"]`), which no client
/// means and no document describes.
fn refuse_array(text: &str) -> Result<(), ApiError> {
    if text.trim_start().starts_with('[') {
        return Err(ApiError::bad_json(
            None,
            "the body must be a JSON object {…}, not an array / 请求体须为 JSON 对象 {…}，而不是数组",
        ));
    }
    Ok(())
}

/// A body holding a hidden character anywhere is refused first ([`crate::hidden`]), and
/// so is an array where an object is expected.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    if let Ok(text) = std::str::from_utf8(bytes) {
        crate::hidden::refuse_hidden(text)?;
        refuse_array(text)?;
    }
    // The slice deserialiser `serde_json::from_slice` uses: one copy per type. A body is
    // one value: anything after it (but white space) is refused.
    let de = &mut serde_json::Deserializer::from_slice(bytes);
    T::deserialize(&mut *de)
        .and_then(|value| de.end().map(|()| value))
        .map_err(|e| ApiError::unreadable_body(&rules::json_path::error_field(bytes, &e), &e))
}

/// Checks the content type, reads at most `limit` bytes and parses them as JSON.
pub async fn read_json<T: DeserializeOwned>(req: Request, limit: usize) -> Result<T, ApiError> {
    if !is_json(&req) {
        return Err(ApiError::unsupported_media_type());
    }
    let bytes = read_limited(req, limit).await?;
    parse_json(&bytes)
}

/// Checks the content type, reads at most `limit` bytes, refuses hidden characters and
/// parses them with the rules crate's strict parser (unknown fields refused, field paths, a nesting limit).
pub async fn read_rules_json<T: DeserializeOwned>(
    req: Request,
    limit: usize,
) -> Result<T, ApiError> {
    read_rules_text(req, limit, rules::input::parse_json).await
}

/// The same for a request the rules crate's own reader reads (`rules::reader`: a
/// pre-check, an application, a round), with the same refusals.
pub async fn read_rules_request<T: rules::reader::ReadJson>(
    req: Request,
    limit: usize,
) -> Result<T, ApiError> {
    read_rules_text(req, limit, rules::reader::read).await
}

/// A JSON body given to `parse`: the content type checked, at most `limit` bytes,
/// UTF-8, no hidden character, not a list.
async fn read_rules_text<T>(
    req: Request,
    limit: usize,
    parse: impl FnOnce(&str) -> Result<T, rules::InputError>,
) -> Result<T, ApiError> {
    if !is_json(&req) {
        return Err(ApiError::unsupported_media_type());
    }
    let bytes = read_limited(req, limit).await?;
    let text = std::str::from_utf8(&bytes)
        .map_err(|_| ApiError::bad_json(None, "the body is not UTF-8 / 请求体不是 UTF-8 编码"))?;
    crate::hidden::refuse_hidden(text)?;
    refuse_array(text)?;
    parse(text).map_err(crate::error::input_error)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize, Debug)]
    #[allow(dead_code)]
    struct Loan {
        amount: u32,
    }

    #[derive(serde::Deserialize, Debug)]
    #[allow(dead_code)]
    struct Body {
        loans: Vec<Loan>,
    }

    #[test]
    fn an_array_is_not_an_object() {
        let e = parse_json::<Loan>(br#" [1]"#).unwrap_err();
        assert_eq!((e.status, e.code.as_str()), (400, "invalid_json"));
        assert!(e.message_en.contains("not an array"), "{}", e.message_en);
        assert!(parse_json::<Loan>(br#"{"amount":1}"#).is_ok());
    }

    #[test]
    fn json_errors_name_the_field() {
        let e = parse_json::<Body>(br#"{"loans":[{"amount":1},{"amount":"x"}]}"#).unwrap_err();
        assert_eq!(e.status, 400);
        assert_eq!(e.code, "invalid_json");
        assert_eq!(e.field.as_deref(), Some("loans[1].amount"));
    }

    #[test]
    fn broken_json_has_no_field() {
        for broken in [&b"{"[..], b"", b"{\"loans\" 1}", b"nul"] {
            let e = parse_json::<Body>(broken).unwrap_err();
            assert_eq!(e.code, "invalid_json", "{broken:?}");
            assert_eq!(
                e.field, None,
                "{broken:?}: a body that is not JSON names no field"
            );
        }
    }
}
