//! Public reads rendered once (issue 17): the answer of a public list, page or feed is
//! kept in Spin's key-value store `default` and served from there while it still says
//! what the database would.
//!
//! Spin 4.1 opens the SQLite database anew for every request (its schema parsed each
//! time), while its key-value store keeps one connection for the app's life: a public
//! read served from the store costs a third to a quarter of one made from the database,
//! relative to hello-world (docs/BENCHMARKS.md, issue 17's table).
//!
//! An answer is kept with
//! - the **generation** of the public data it was made from: every transaction that
//!   writes a public table (`store::public`) sets a new generation after it commits
//!   ([`crate::db::Db::transaction`]), and a kept answer of another generation is made
//!   again. A reader reads the generation before the database, so an answer made from
//!   data older than a commit never carries that commit's generation;
//! - the moment it was made and the next moment the clock alone changes it (a window
//!   opening, a notice period ending): it holds only between the two;
//! - at most [`HOLDS_FOR_SECONDS`] after it was made (by the system's clock), so a
//!   generation that failed to be written after a commit (logged) leaves an answer stale
//!   for no longer than the minute browsers are already told to keep it (`max-age=60`).
//!
//! Spin 4.1 reuses an instance for up to 128 requests (the local host does the same): an
//! instance keeps the store it opened and the answers it has read or made in its memory,
//! so a kept read asks the host for the generation alone. A copy in memory is served under
//! the same conditions as the stored one, against the generation read for this request.
//!
//! The database stays the only record: the store holds copies that can be thrown away
//! at any time. Without the store (a deployment that does not give it, an error), the
//! answer is made from the database as before, and the error is logged.

use std::cell::RefCell;
use std::rc::Rc;

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};
use spin_sdk::key_value::Store;

use crate::ApiError;
use crate::memory::Memory;

/// The key of the public data's generation.
const GENERATION: &str = "public:generation";

/// The Spin variable that turns keeping off (`off`: every public read is made from the
/// database, as before issue 17; for comparison and as a way out). Writers set the
/// generation either way, so turning it on again serves nothing stale.
pub const SWITCH: &str = "public_answers_kept";

/// How long a kept answer may be served without being made again, at most.
pub const HOLDS_FOR_SECONDS: i64 = 60;

/// A public answer as made: what `conditional::Cacheable` needs, and until when the
/// clock leaves it unchanged.
#[derive(Debug, Clone, PartialEq)]
pub struct Rendered {
    /// Shared, not copied, when served from an instance's memory.
    pub body: bytes::Bytes,
    pub content_type: String,
    pub last_modified: Option<DateTime<FixedOffset>>,
    pub etag: String,
    /// The next moment what it says changes by the passing of time alone, if any.
    pub changes_at: Option<DateTime<FixedOffset>>,
}

impl Rendered {
    pub fn new(
        body: Vec<u8>,
        content_type: &str,
        last_modified: Option<DateTime<FixedOffset>>,
        changes_at: Option<DateTime<FixedOffset>>,
    ) -> Self {
        Rendered {
            etag: crate::conditional::etag(&body),
            body: body.into(),
            content_type: content_type.to_owned(),
            last_modified,
            changes_at,
        }
    }
}

/// The most answers an instance holds in memory; past it, it forgets them all.
const IN_MEMORY: usize = 64;

thread_local! {
    /// The store this instance opened.
    static STORE: RefCell<Option<Rc<Store>>> = const { RefCell::new(None) };
    /// The answers this instance has read or made, by key, with what was kept beside them.
    static MEMORY: Memory<(Header, Rendered)> = const { Memory::new(IN_MEMORY) };
}

/// Remembers `kept` under `key` for this instance's next requests.
fn remember(key: &str, kept: Rc<(Header, Rendered)>) {
    MEMORY.with(|m| m.keep(key, kept));
}

/// The store `default`, opened once per instance.
async fn store() -> Result<Rc<Store>, spin_sdk::key_value::Error> {
    if let Some(s) = STORE.with_borrow(Clone::clone) {
        return Ok(s);
    }
    let s = Rc::new(Store::open_default().await?);
    STORE.with_borrow_mut(|kept| *kept = Some(s.clone()));
    Ok(s)
}

/// After an error of the store: the next request opens it again.
fn forget_store() {
    STORE.with_borrow_mut(|kept| *kept = None);
}

/// What is kept beside the body, as the first line of the stored value.
#[derive(Debug, Serialize, Deserialize)]
struct Header {
    generation: String,
    /// When it was made, by the service's clock (which tests may set).
    made_at: DateTime<FixedOffset>,
    /// When it was made, by the system's clock: its age is counted on this one, so a
    /// clock set for a test never keeps an answer longer than a minute.
    kept_at: DateTime<FixedOffset>,
    /// What the answer depends on besides the data and the clock (the base URL of its
    /// links): a reader asking with another gets it made again.
    variant: String,
    content_type: String,
    last_modified: Option<DateTime<FixedOffset>>,
    etag: String,
    changes_at: Option<DateTime<FixedOffset>>,
    /// The body's length in bytes.
    length: usize,
}

/// The value stored for `r`.
fn encode(
    generation: &str,
    (made_at, kept_at): (DateTime<FixedOffset>, DateTime<FixedOffset>),
    variant: &str,
    r: &Rendered,
) -> Vec<u8> {
    let header = Header {
        generation: generation.to_owned(),
        made_at,
        kept_at,
        variant: variant.to_owned(),
        content_type: r.content_type.clone(),
        last_modified: r.last_modified,
        etag: r.etag.clone(),
        changes_at: r.changes_at,
        length: r.body.len(),
    };
    // A struct of strings and moments always serialises.
    let mut out = serde_json::to_vec(&header).unwrap_or_default();
    out.push(b'\n');
    out.extend_from_slice(&r.body);
    out
}

/// A stored value read back: its header and the answer.
fn decode(value: &[u8]) -> Result<(Header, Rendered), String> {
    let nl = value
        .iter()
        .position(|&b| b == b'\n')
        .ok_or("no header line")?;
    let h: Header = serde_json::from_slice(&value[..nl]).map_err(|e| e.to_string())?;
    let body = bytes::Bytes::copy_from_slice(&value[nl + 1..]);
    // SQLite writes a value whole; a length that differs is damage all the same.
    if body.len() != h.length {
        return Err(format!(
            "the body has {} bytes, not {}",
            body.len(),
            h.length
        ));
    }
    let r = Rendered {
        body,
        content_type: h.content_type.clone(),
        last_modified: h.last_modified,
        etag: h.etag.clone(),
        changes_at: h.changes_at,
    };
    Ok((h, r))
}

/// Whether a kept answer may be served to a reader at `now` (the service's clock;
/// `system`, the system's) asking for `variant` while the data's generation is
/// `generation`.
fn holds(
    h: &Header,
    generation: &str,
    variant: &str,
    (now, system): (DateTime<FixedOffset>, DateTime<FixedOffset>),
) -> bool {
    h.generation == generation
        && h.variant == variant
        && h.made_at <= now
        && h.changes_at.is_none_or(|t| now < t)
        && h.kept_at <= system
        && system < h.kept_at + chrono::Duration::seconds(HOLDS_FOR_SECONDS)
}

/// The answer kept under `key` (a public route's path) for `variant`, when it still says
/// what `render` would at `now`; otherwise `render`'s, kept for the next reader.
/// `render` reads the database: only what it returns is kept, its errors are answered.
pub async fn read<F, Fut>(
    key: &str,
    variant: &str,
    now: DateTime<FixedOffset>,
    render: F,
) -> Result<Rendered, ApiError>
where
    F: FnOnce() -> Fut,
    Fut: Future<Output = Result<Rendered, ApiError>>,
{
    // The generic part stays this small: it is compiled once per public route.
    match look_up(key, variant, now).await? {
        Found::Kept(r) => Ok(r),
        Found::Nothing(Some(slot)) => {
            let r = render().await?;
            slot.keep(&r).await;
            Ok(r)
        }
        Found::Nothing(None) => render().await,
    }
}

/// What [`look_up`] found.
enum Found {
    /// An answer that still holds.
    Kept(Rendered),
    /// None: where to keep the one made now, unless keeping is off or the store failed.
    Nothing(Option<Slot>),
}

/// Where an answer made now is kept.
struct Slot {
    store: Rc<Store>,
    key: String,
    generation: String,
    variant: String,
    at: (DateTime<FixedOffset>, DateTime<FixedOffset>),
}

impl Slot {
    async fn keep(self, r: &Rendered) {
        let value = encode(&self.generation, self.at, &self.variant, r);
        if let Err(e) = self.store.set(&self.key, &value).await {
            eprintln!("published: {} cannot be kept ({e:?})", self.key);
            forget_store();
        }
        // Read back as the next reader would, so memory holds what the store holds.
        if let (false, Ok(kept)) = (self.generation.is_empty(), decode(&value)) {
            remember(&self.key, Rc::new(kept));
        }
    }
}

async fn look_up(key: &str, variant: &str, now: DateTime<FixedOffset>) -> Result<Found, ApiError> {
    if !crate::variable::switch(SWITCH, true).await? {
        return Ok(Found::Nothing(None));
    }
    let at = (now, crate::clock::system_now());
    let key = format!("public:{key}");
    let store = match store().await {
        Ok(s) => s,
        Err(e) => {
            eprintln!(
                "published: the key-value store `default` cannot be opened ({e:?}): answering from the database"
            );
            return Ok(Found::Nothing(None));
        }
    };
    let generation = match store.get(GENERATION).await {
        Ok(g) => String::from_utf8_lossy(&g.unwrap_or_default()).into_owned(),
        Err(e) => {
            eprintln!(
                "published: {GENERATION} cannot be read ({e:?}): answering from the database"
            );
            forget_store();
            return Ok(Found::Nothing(None));
        }
    };
    let served = |kept: &(Header, Rendered)| {
        holds(&kept.0, &generation, variant, at).then(|| kept.1.clone())
    };
    // No generation means none was ever written or the kept answers were deleted by hand
    // (README, "Kept public answers"): memory is not trusted then, only the store.
    let in_memory = !generation.is_empty();
    if let Some(r) = in_memory
        .then(|| MEMORY.with(|m| m.get(&key)))
        .flatten()
        .and_then(|k| served(&k))
    {
        return Ok(Found::Kept(r));
    }
    match store.get(&key).await {
        Ok(Some(value)) => match decode(&value) {
            Ok(kept) => {
                if let Some(r) = served(&kept) {
                    if in_memory {
                        remember(&key, Rc::new(kept));
                    }
                    return Ok(Found::Kept(r));
                }
            }
            Err(e) => eprintln!("published: {key} cannot be read ({e}): made again"),
        },
        Ok(None) => {}
        Err(e) => {
            eprintln!("published: {key} cannot be read ({e:?}): made again");
            forget_store();
        }
    }
    Ok(Found::Nothing(Some(Slot {
        store,
        key,
        generation,
        variant: variant.to_owned(),
        at,
    })))
}

/// After a commit that wrote public data: a new generation, so every kept answer is made
/// again. A failure is logged; kept answers then hold for [`HOLDS_FOR_SECONDS`] at most.
pub async fn changed() {
    // Random, after the system's nanoseconds: different even without randomness.
    let nanos = crate::clock::system_now()
        .timestamp_nanos_opt()
        .unwrap_or_default();
    let generation = format!("{nanos:x}-{}", crate::token::request_id());
    let outcome = match store().await {
        Ok(store) => store.set(GENERATION, generation.as_bytes()).await,
        Err(e) => Err(e),
    };
    if let Err(e) = outcome {
        forget_store();
        eprintln!(
            "published: a new {GENERATION} cannot be written ({e:?}): public answers kept \
             may be stale for up to {HOLDS_FOR_SECONDS} s"
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;

    fn at(s: &str) -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339(s).unwrap()
    }

    fn sample() -> Rendered {
        Rendered::new(
            "<feed>门头沟\n</feed>".as_bytes().to_vec(),
            "application/atom+xml; charset=utf-8",
            Some(at("2026-05-01T09:00:00+08:00")),
            Some(at("2026-05-08T17:00:00+08:00")),
        )
    }

    /// Made at `made` by both clocks.
    fn kept(made: DateTime<FixedOffset>, variant: &str) -> Header {
        decode(&encode("g1", (made, made), variant, &sample()))
            .unwrap()
            .0
    }

    #[test]
    fn a_kept_answer_reads_back_as_it_was_made() {
        let r = sample();
        let made = at("2026-05-02T10:00:00+08:00");
        let system = at("2026-11-30T12:00:00+08:00");
        let (h, back) = decode(&encode("g1", (made, system), "https://a", &r)).unwrap();
        assert_eq!(back, r);
        assert_eq!(
            (
                h.generation.as_str(),
                h.made_at,
                h.kept_at,
                h.variant.as_str()
            ),
            ("g1", made, system, "https://a")
        );
    }

    #[test]
    fn a_damaged_value_is_an_error_not_an_answer() {
        let made = at("2026-05-02T10:00:00+08:00");
        let value = encode("g1", (made, made), "", &sample());
        let mut cut = value.clone();
        cut.truncate(value.len() - 3);
        assert!(decode(&cut).unwrap_err().contains("bytes"));
        assert!(decode(b"no header").is_err());
        assert!(decode(b"{\"generation\":1}\nbody").is_err());
    }

    #[test]
    fn a_kept_answer_holds_only_for_its_generation_variant_and_time() {
        let made = at("2026-05-02T10:00:00+08:00");
        let h = kept(made, "https://a");
        let both = |t| (t, t);
        assert!(holds(&h, "g1", "https://a", both(made)));
        assert!(holds(
            &h,
            "g1",
            "https://a",
            both(made + Duration::seconds(59))
        ));
        // A commit since, another base URL, a minute passed, a clock set back.
        assert!(!holds(&h, "g2", "https://a", both(made)));
        assert!(!holds(&h, "g1", "https://b", both(made)));
        assert!(!holds(
            &h,
            "g1",
            "https://a",
            both(made + Duration::seconds(60))
        ));
        assert!(!holds(
            &h,
            "g1",
            "https://a",
            both(made - Duration::seconds(1))
        ));
        // A service clock held still (a test's) does not hold an answer past a minute.
        assert!(!holds(
            &h,
            "g1",
            "https://a",
            (made, made + Duration::seconds(60))
        ));
        // The notice period ends: what the page says changes then.
        let h = kept(at("2026-05-08T16:59:30+08:00"), "https://a");
        assert!(holds(
            &h,
            "g1",
            "https://a",
            both(at("2026-05-08T16:59:59+08:00"))
        ));
        assert!(!holds(
            &h,
            "g1",
            "https://a",
            both(at("2026-05-08T17:00:00+08:00"))
        ));
    }
}
