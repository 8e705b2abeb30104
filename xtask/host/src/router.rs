//! HTTP routing the way Spin does it: exact routes, `:param` segments and a trailing
//! `/...` wildcard; when several routes match, the most specific wins (compared segment
//! by segment, left to right: an exact segment beats a parameter, which beats the
//! wildcard; a route that ends exactly where the path ends beats a wildcard matching
//! nothing). Two routes of the same shape are an error, as in Spin.

use anyhow::{Result, bail};

#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    Exact(String),
    Param(String),
}

#[derive(Debug, Clone)]
pub struct Route {
    /// The route exactly as written in the manifest (`/api/rounds/...`).
    pub raw: String,
    /// The route without its wildcard (`/api/rounds`), Spin's `spin-component-route`.
    pub component_route: String,
    segments: Vec<Segment>,
    wildcard: bool,
    /// Index of the component this route serves.
    pub component: usize,
}

/// A successful match.
#[derive(Debug, Clone)]
pub struct Match<'a> {
    pub route: &'a Route,
    /// `:name` segments and their values.
    pub params: Vec<(String, String)>,
    /// The part of the path the wildcard matched (`/2025/x`), empty otherwise.
    pub path_info: String,
}

fn shape_key(r: &Route) -> String {
    let mut k: String = r
        .segments
        .iter()
        .map(|s| match s {
            Segment::Exact(e) => format!("/{e}"),
            Segment::Param(_) => "/:".into(),
        })
        .collect();
    if r.wildcard {
        k.push_str("/...");
    }
    k
}

impl Route {
    pub fn parse(raw: &str, component: usize) -> Result<Self> {
        if !raw.starts_with('/') {
            bail!("route `{raw}` must start with `/`");
        }
        let mut parts: Vec<&str> = raw.split('/').filter(|s| !s.is_empty()).collect();
        let wildcard = parts.last() == Some(&"...");
        if wildcard {
            parts.pop();
        }
        let mut segments = Vec::new();
        for p in parts {
            if p == "..." {
                bail!("route `{raw}`: `...` may only end a route");
            }
            if let Some(name) = p.strip_prefix(':') {
                if name.is_empty() {
                    bail!("route `{raw}`: a `:` segment needs a name");
                }
                segments.push(Segment::Param(name.to_owned()));
            } else {
                segments.push(Segment::Exact(p.to_owned()));
            }
        }
        // As in Spin: `/api/...` → `/api`, `/...` → `` (empty).
        let component_route = raw.strip_suffix("/...").unwrap_or(raw).to_owned();
        Ok(Route {
            raw: raw.to_owned(),
            component_route,
            segments,
            wildcard,
            component,
        })
    }

    /// Specificity ranks, compared lexicographically (greater is more specific).
    fn rank(&self) -> Vec<u8> {
        let mut r: Vec<u8> = self
            .segments
            .iter()
            .map(|s| match s {
                Segment::Exact(_) => 3,
                Segment::Param(_) => 2,
            })
            .collect();
        r.push(if self.wildcard { 0 } else { 1 });
        r
    }

    fn matches(&self, path_segments: &[&str]) -> Option<(Vec<(String, String)>, usize)> {
        if path_segments.len() < self.segments.len()
            || (!self.wildcard && path_segments.len() != self.segments.len())
        {
            return None;
        }
        let mut params = Vec::new();
        for (seg, p) in self.segments.iter().zip(path_segments) {
            match seg {
                Segment::Exact(e) if e == p => {}
                Segment::Exact(_) => return None,
                Segment::Param(name) => params.push((name.clone(), (*p).to_owned())),
            }
        }
        Some((params, self.segments.len()))
    }
}

/// A request path's segments as Spin's router sees them: slashes at either end do not
/// count (`//a/b//` is `a/b`), an empty segment inside does (`/a//b` is `a`, ``, `b`, and
/// matches neither `/a/b` nor `/a/:x/b`).
fn path_segments(path: &str) -> Vec<&str> {
    let inner = path.trim_matches('/');
    if inner.is_empty() {
        Vec::new()
    } else {
        inner.split('/').collect()
    }
}

#[derive(Debug, Default)]
pub struct Router {
    routes: Vec<Route>,
}

impl Router {
    pub fn new(routes: Vec<Route>) -> Result<Self> {
        let mut seen = std::collections::HashMap::new();
        for r in &routes {
            if let Some(prev) = seen.insert(shape_key(r), r.raw.clone()) {
                bail!(
                    "duplicate routes: `{prev}` and `{}` match the same requests",
                    r.raw
                );
            }
        }
        Ok(Router { routes })
    }

    pub fn routes(&self) -> &[Route] {
        &self.routes
    }

    pub fn route(&self, path: &str) -> Option<Match<'_>> {
        let segs = path_segments(path);
        // (rank, route, parameters, segments used) of the most specific match so far.
        type Candidate<'r> = (Vec<u8>, &'r Route, Vec<(String, String)>, usize);
        let mut best: Option<Candidate<'_>> = None;
        for r in &self.routes {
            if let Some((params, used)) = r.matches(&segs) {
                let rank = r.rank();
                if best.as_ref().is_none_or(|(b, ..)| rank > *b) {
                    best = Some((rank, r, params, used));
                }
            }
        }
        let (_, route, params, used) = best?;
        let path_info = if route.wildcard {
            let rest = &segs[used..];
            if rest.is_empty() {
                // Spin keeps the slash a path ends with, even with nothing after the
                // route's prefix (`/foo/` on `/foo/...` is `/`).
                if path.ends_with('/') { "/" } else { "" }.to_owned()
            } else {
                let mut s = format!("/{}", rest.join("/"));
                if path.ends_with('/') {
                    s.push('/');
                }
                s
            }
        } else {
            String::new()
        };
        Some(Match {
            route,
            params,
            path_info,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn router(routes: &[&str]) -> Router {
        Router::new(
            routes
                .iter()
                .enumerate()
                .map(|(i, r)| Route::parse(r, i).unwrap())
                .collect(),
        )
        .unwrap()
    }

    fn pick<'a>(r: &'a Router, path: &str) -> Option<&'a str> {
        r.route(path).map(|m| m.route.raw.as_str())
    }

    #[test]
    fn most_specific_wins() {
        let r = router(&[
            "/...",
            "/api/rounds/...",
            "/api/rounds/:year/allocation/...",
            "/api/health/intake",
            "/api/precheck",
        ]);
        assert_eq!(pick(&r, "/"), Some("/..."));
        assert_eq!(pick(&r, "/index.html"), Some("/..."));
        assert_eq!(pick(&r, "/api/rounds"), Some("/api/rounds/..."));
        assert_eq!(pick(&r, "/api/rounds/2025"), Some("/api/rounds/..."));
        assert_eq!(
            pick(&r, "/api/rounds/2025/allocation"),
            Some("/api/rounds/:year/allocation/...")
        );
        assert_eq!(
            pick(&r, "/api/rounds/2025/allocation/export.csv"),
            Some("/api/rounds/:year/allocation/...")
        );
        assert_eq!(pick(&r, "/api/health/intake"), Some("/api/health/intake"));
        assert_eq!(pick(&r, "/api/health/intake/x"), Some("/..."));
        assert_eq!(pick(&r, "/api/precheck"), Some("/api/precheck"));
    }

    #[test]
    fn exact_beats_wildcard_matching_nothing() {
        let r = router(&["/a/...", "/a"]);
        assert_eq!(pick(&r, "/a"), Some("/a"));
        assert_eq!(pick(&r, "/a/b"), Some("/a/..."));
    }

    #[test]
    fn params_and_path_info() {
        let r = router(&["/items/:id", "/files/..."]);
        let m = r.route("/items/42").unwrap();
        assert_eq!(m.params, vec![("id".to_owned(), "42".to_owned())]);
        assert_eq!(m.path_info, "");
        assert!(r.route("/items/42/x").is_none());
        assert!(r.route("/items").is_none());
        let m = r.route("/files/a/b.txt").unwrap();
        assert_eq!(m.path_info, "/a/b.txt");
        assert_eq!(m.route.component_route, "/files");
        assert_eq!(r.route("/files").unwrap().path_info, "");
        // Spin's `trailing_wildcard`: nothing after the prefix but the path's end slash.
        assert_eq!(r.route("/files/").unwrap().path_info, "/");
        let all = router(&["/..."]);
        assert_eq!(all.route("/").unwrap().path_info, "/");
        let m = all.route("/env/api").unwrap();
        assert_eq!(
            (m.route.component_route.as_str(), m.path_info.as_str()),
            ("", "/env/api")
        );
    }

    /// As Spin 4.1 routes (seen on it with the probe fixture): end slashes ignored, inner
    /// empty segments kept.
    #[test]
    fn empty_segments_route_as_in_spin() {
        let r = router(&[
            "/...",
            "/probe/...",
            "/probe/exact/headers",
            "/probe/:id/headers",
        ]);
        assert_eq!(pick(&r, "/probe//x/headers"), Some("/probe/..."));
        assert_eq!(
            r.route("/probe//x/headers").unwrap().path_info,
            "//x/headers"
        );
        assert_eq!(pick(&r, "/probe/exact//headers"), Some("/probe/..."));
        assert_eq!(
            pick(&r, "//probe/exact/headers"),
            Some("/probe/exact/headers")
        );
        assert_eq!(
            pick(&r, "/probe/exact/headers//"),
            Some("/probe/exact/headers")
        );
        assert_eq!(pick(&r, "/probe/x/headers/"), Some("/probe/:id/headers"));
        assert_eq!(
            r.route("/probe/a/b/headers/").unwrap().path_info,
            "/a/b/headers/"
        );
        assert_eq!(pick(&r, "///"), Some("/..."));
        let api = router(&[
            "/...",
            "/api/health/intake",
            "/api/rounds/...",
            "/api/rounds/:year/allocation/...",
        ]);
        assert_eq!(pick(&api, "/api//health/intake"), Some("/..."));
        assert_eq!(
            pick(&api, "/api/rounds/2026//allocation"),
            Some("/api/rounds/...")
        );
    }

    #[test]
    fn no_route_no_match() {
        let r = router(&["/api/..."]);
        assert!(r.route("/other").is_none());
    }

    #[test]
    fn duplicate_shapes_are_refused() {
        assert!(
            Router::new(vec![
                Route::parse("/a/:x", 0).unwrap(),
                Route::parse("/a/:y", 1).unwrap()
            ])
            .is_err()
        );
        assert!(Route::parse("no-slash", 0).is_err());
        assert!(Route::parse("/a/.../b", 0).is_err());
    }
}
