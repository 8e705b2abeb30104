//! What an instance keeps in memory from one request to the next.
//!
//! Spin 4.1 reuses an instance of a WASIp3 component (as every component of this app is)
//! for up to 128 requests, each within a second of the last (`spin up
//! --max-instance-reuse-count`, `--idle-instance-timeout`); the local host does the same
//! (docs/LOCAL_HOST.md). A call to the host costs a request 15–160 µs on Spin
//! (docs/BENCHMARKS.md), so what does not change under a running app (its files, its
//! variables) or is checked on every read (the kept public answers, against the data's
//! generation) is asked of the host once per instance. A fresh instance starts empty:
//! nothing here may be needed for an answer to be right, only for it to be quick.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

/// Values by key, at most `limit` of them: past it, the memory is emptied and starts
/// again (what an instance asks for is few and small: the site's files, a few public
/// answers, its variables).
///
/// Meant for a `thread_local!` (an instance is one thread); no borrow outlives a call,
/// so requests that an instance serves at once (Spin allows up to 16) never collide.
pub struct Memory<T> {
    entries: RefCell<BTreeMap<String, Rc<T>>>,
    limit: usize,
}

impl<T> Memory<T> {
    pub const fn new(limit: usize) -> Self {
        Memory {
            entries: RefCell::new(BTreeMap::new()),
            limit,
        }
    }

    /// The value kept under `key`, if any.
    pub fn get(&self, key: &str) -> Option<Rc<T>> {
        self.entries.borrow().get(key).cloned()
    }

    /// Keeps `value` under `key` (in place of any before).
    pub fn keep(&self, key: &str, value: Rc<T>) {
        let mut entries = self.entries.borrow_mut();
        if entries.len() >= self.limit && !entries.contains_key(key) {
            entries.clear();
        }
        entries.insert(key.to_owned(), value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_and_replaces_by_key() {
        let m = Memory::new(8);
        assert!(m.get("a").is_none());
        m.keep("a", Rc::new(1));
        m.keep("b", Rc::new(2));
        m.keep("a", Rc::new(3));
        assert_eq!(
            (m.get("a").as_deref(), m.get("b").as_deref()),
            (Some(&3), Some(&2))
        );
    }

    #[test]
    fn never_holds_more_than_its_limit() {
        let m = Memory::new(3);
        for (i, k) in ["a", "b", "c"].into_iter().enumerate() {
            m.keep(k, Rc::new(i));
        }
        // A known key is replaced in place; a new one past the limit starts afresh.
        m.keep("c", Rc::new(9));
        assert_eq!(m.get("a").as_deref(), Some(&0));
        m.keep("d", Rc::new(4));
        assert!(m.get("a").is_none() && m.get("c").is_none());
        assert_eq!(m.get("d").as_deref(), Some(&4));
    }
}
