//! Query strings, one way for every component: percent-decoded (`application/x-www-form-
//! urlencoded`, as browsers send them), and checked against the names an address takes —
//! an unknown parameter, or one given twice, is a 400 naming it.

use spin_sdk::http::Request;

use crate::error::ApiError;

/// The parameters of a request's query string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query(Vec<(String, String)>);

impl Query {
    /// The value of `name`, if given.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// The query string of `req`, whose parameters must be among `allowed`.
pub fn query(req: &Request, allowed: &[&str]) -> Result<Query, ApiError> {
    parse(req.uri().query().unwrap_or(""), allowed)
}

/// The query string of a public page or feed, where people arrive from shared links: the
/// parameters among `known` are checked as [`query`] checks them; any other (what WeChat,
/// Weibo and campaign links append — `from`, `isappinstalled`, `utm_source`, …) is
/// ignored, so a shared link opens the page.
pub fn public(req: &Request, known: &[&str]) -> Result<Query, ApiError> {
    parse_public(req.uri().query().unwrap_or(""), known)
}

/// [`public`] on a query string (without the `?`).
pub fn parse_public(text: &str, known: &[&str]) -> Result<Query, ApiError> {
    let kept: Vec<(String, String)> = form_urlencoded::parse(text.as_bytes())
        .filter(|(k, _)| known.contains(&k.as_ref()))
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let kept = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(kept)
        .finish();
    parse(&kept, known)
}

/// Refuses any query string on an address that takes none.
pub fn none(req: &Request) -> Result<(), ApiError> {
    match req.uri().query() {
        None | Some("") => Ok(()),
        Some(_) => Err(ApiError::invalid(
            "query",
            "该地址不接受查询参数。",
            "This address takes no query parameters.",
        )),
    }
}

/// Parses a query string (without the `?`).
pub fn parse(text: &str, allowed: &[&str]) -> Result<Query, ApiError> {
    let mut pairs: Vec<(String, String)> = Vec::new();
    for (k, v) in form_urlencoded::parse(text.as_bytes()) {
        if !allowed.contains(&k.as_ref()) {
            let only = if allowed.is_empty() {
                (
                    "该地址不接受查询参数".to_owned(),
                    "this address takes none".to_owned(),
                )
            } else {
                (
                    format!("仅支持 {}", allowed.join("、")),
                    format!("only {}", allowed.join(", ")),
                )
            };
            return Err(ApiError::invalid(
                &k,
                format!("不支持的查询参数：{k}（{}）。", only.0),
                format!("Unknown query parameter: {k} ({}).", only.1),
            ));
        }
        if pairs.iter().any(|(seen, _)| *seen == k) {
            return Err(ApiError::invalid(
                &k,
                format!("查询参数 {k} 只能给出一次。"),
                format!("The query parameter {k} may be given once only."),
            ));
        }
        crate::hidden::check_text(&k, &v)?;
        pairs.push((k.into_owned(), v.into_owned()));
    }
    Ok(Query(pairs))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_public_page_ignores_what_shared_links_append() {
        let q = parse_public(
            "from=singlemessage&isappinstalled=0&page=2&utm_source=x",
            &["page"],
        )
        .unwrap();
        assert_eq!(q.get("page"), Some("2"));
        assert_eq!(q.get("from"), None);
        // What it knows is still checked.
        assert!(parse_public("page=1&page=2", &["page"]).is_err());
        assert!(parse_public("from=timeline", &[]).is_ok());
    }

    #[test]
    fn parameters_are_percent_decoded_and_checked_by_name() {
        let q = parse("notice=2026%2Dproposed&page=2", &["notice", "page"]).unwrap();
        assert_eq!(q.get("notice"), Some("2026-proposed"));
        assert_eq!(q.get("page"), Some("2"));
        assert_eq!(q.get("kind"), None);
        assert_eq!(parse("", &[]).unwrap(), Query(vec![]));
        let q = parse("kind=loan%5Fcontract", &["kind"]).unwrap();
        assert_eq!(q.get("kind"), Some("loan_contract"));
    }

    #[test]
    fn an_unknown_or_repeated_parameter_is_refused_by_name() {
        let e = parse("round=2026&x=1", &["round"]).unwrap_err();
        assert_eq!((e.status, e.field.as_deref()), (400, Some("x")));
        assert!(e.message_en.contains("only round"), "{}", e.message_en);
        let e = parse("round=2026&round=2025", &["round"]).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("round"));
        let e = parse("p%61ge=1", &["notice"]).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("page"), "names are decoded too");
    }
}
