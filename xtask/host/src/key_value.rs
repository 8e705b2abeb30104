//! `spin:key-value/key-value@3.0.0` on rusqlite, as Spin 4.1's default store
//! (`spin-key-value-spin`'s `KeyValueSqlite`).
//!
//! The only store is `default`, in `<state dir>/sqlite_key_value.db`, table
//! `spin_key_value(store, key, value)` keyed by `(store, key)`: the file Spin writes, so
//! either host reads the other's data. As in Spin, the file is opened (and created, with
//! its table) by the first `open` of a store, and that one connection serves every request
//! for the host's life, behind a mutex; each call runs on the blocking pool. No pragma is
//! set (rollback journal, no busy timeout), as in Spin.
//!
//! A component may open only the labels its manifest entry lists in `key_value_stores`
//! (otherwise `access-denied`, whether or not the store exists); a listed label other than
//! `default` stops the app at start-up (Spin knows no other store without a runtime
//! config), so `no-such-store` is only the answer to a store handle the host no longer
//! holds.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use crate::bindings::spin::key_value::key_value::Error;

/// The file of the `default` store in the state folder (Spin's `DEFAULT_SPIN_STORE_FILENAME`).
pub const FILE_NAME: &str = "sqlite_key_value.db";

/// The only store the host knows (Spin's without a runtime config).
pub const DEFAULT_LABEL: &str = "default";

/// The most a value or a key may weigh on its way to a component (Spin's
/// `MAX_HOST_BUFFERED_BYTES`, 128 MiB).
pub const MAX_HOST_BUFFERED_BYTES: usize = 128 << 20;

/// Spin's table, in Spin's words (so `.schema` reads the same on either host's file).
const CREATE_TABLE: &str = "CREATE TABLE IF NOT EXISTS spin_key_value (
                           store TEXT NOT NULL,
                           key   TEXT NOT NULL,
                           value BLOB NOT NULL,

                           PRIMARY KEY (store, key)
                        )";

type SharedConn = Arc<Mutex<rusqlite::Connection>>;

/// The app's key-value stores: one SQLite file, one connection opened on first use.
pub struct KeyValue {
    path: PathBuf,
    connection: OnceLock<SharedConn>,
}

impl KeyValue {
    /// The stores of an app whose state folder is `state_dir` (nothing is opened yet).
    pub fn new(state_dir: &Path) -> Self {
        KeyValue {
            path: state_dir.join(FILE_NAME),
            connection: OnceLock::new(),
        }
    }

    /// Where the `default` store lives.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Whether the host has a store of that label (Spin's `StoreManager::is_defined`).
    pub fn is_defined(&self, label: &str) -> bool {
        label == DEFAULT_LABEL
    }

    /// Opens store `label` (blocking: the first call opens the file and creates the
    /// table). The caller has checked that the component may.
    pub fn open(&self, label: &str) -> Result<Store, Error> {
        if !self.is_defined(label) {
            return Err(Error::NoSuchStore);
        }
        let connection = match self.connection.get() {
            Some(c) => c.clone(),
            None => {
                // Two first calls at once may both open it; one connection is kept.
                let new = self.create_connection()?;
                self.connection.get_or_init(|| new).clone()
            }
        };
        Ok(Store {
            label: label.to_owned(),
            connection,
        })
    }

    fn create_connection(&self) -> Result<SharedConn, Error> {
        let connection = rusqlite::Connection::open(&self.path).map_err(other)?;
        connection.execute(CREATE_TABLE, []).map_err(other)?;
        Ok(Arc::new(Mutex::new(connection)))
    }
}

/// An error of SQLite's as Spin reports it: `other` with the error's debug form.
fn other(e: impl std::fmt::Debug) -> Error {
    Error::Other(format!("{e:?}"))
}

fn too_large() -> Error {
    Error::Other(format!(
        "query result exceeds limit of {MAX_HOST_BUFFERED_BYTES} bytes"
    ))
}

/// The `store` resource: an open store, its label and the shared connection. Each
/// operation blocks on SQLite (run it on the blocking pool).
#[derive(Clone)]
pub struct Store {
    label: String,
    connection: SharedConn,
}

impl Store {
    fn lock(&self) -> std::sync::MutexGuard<'_, rusqlite::Connection> {
        self.connection.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The value of `key`, `None` when it has none.
    pub fn get(&self, key: &str) -> Result<Option<Vec<u8>>, Error> {
        let value = self.read(key)?;
        if std::mem::size_of::<Option<Vec<u8>>>() + value.as_ref().map_or(0, Vec::len)
            > MAX_HOST_BUFFERED_BYTES
        {
            return Err(too_large());
        }
        Ok(value)
    }

    fn read(&self, key: &str) -> Result<Option<Vec<u8>>, Error> {
        self.lock()
            .prepare_cached("SELECT value FROM spin_key_value WHERE store=$1 AND key=$2")
            .map_err(other)?
            .query_map([&self.label, key], |row| row.get::<_, Vec<u8>>(0))
            .map_err(other)?
            .next()
            .transpose()
            .map_err(other)
    }

    /// Sets `key` to `value`, replacing any value it had.
    pub fn set(&self, key: &str, value: &[u8]) -> Result<(), Error> {
        self.lock()
            .prepare_cached(
                "INSERT INTO spin_key_value (store, key, value) VALUES ($1, $2, $3)
                     ON CONFLICT(store, key) DO UPDATE SET value=$3",
            )
            .map_err(other)?
            .execute(rusqlite::params![&self.label, key, value])
            .map_err(other)
            .map(drop)
    }

    /// Deletes `key` (no error when it had no value).
    pub fn delete(&self, key: &str) -> Result<(), Error> {
        self.lock()
            .prepare_cached("DELETE FROM spin_key_value WHERE store=$1 AND key=$2")
            .map_err(other)?
            .execute([&self.label, key])
            .map_err(other)
            .map(drop)
    }

    /// Whether `key` has a value (with no size limit, as in Spin).
    pub fn exists(&self, key: &str) -> Result<bool, Error> {
        Ok(self.read(key)?.is_some())
    }

    /// Every key of the store, in the order SQLite reads them (the primary key's: by
    /// bytes), as Spin streams them.
    pub fn keys(&self) -> Result<Vec<String>, Error> {
        let conn = self.lock();
        let mut stmt = conn
            .prepare_cached("SELECT key FROM spin_key_value WHERE store=$1")
            .map_err(other)?;
        let mut rows = stmt.query([&self.label]).map_err(other)?;
        let mut keys = Vec::new();
        while let Some(row) = rows.next().map_err(other)? {
            let key = row.get::<_, String>(0).map_err(other)?;
            if key.len() > MAX_HOST_BUFFERED_BYTES {
                return Err(too_large());
            }
            keys.push(key);
        }
        Ok(keys)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_dir(tag: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!(
            "localspin-kv-{tag}-{}-{}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos()
        ));
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    #[test]
    fn a_store_sets_gets_overwrites_deletes_and_lists() {
        let dir = temp_dir("ops");
        let kv = KeyValue::new(&dir);
        assert!(
            !kv.path().exists(),
            "nothing is opened before the first open"
        );
        let s = kv.open("default").unwrap();
        assert!(kv.path().exists());
        assert_eq!(s.get("a").unwrap(), None);
        assert!(!s.exists("a").unwrap());
        s.set("a", b"one").unwrap();
        s.set("a", b"two").unwrap();
        s.set("b", &[0xff, 0, 0xfe]).unwrap();
        s.set("B", b"").unwrap();
        assert_eq!(s.get("a").unwrap().as_deref(), Some(&b"two"[..]));
        assert_eq!(s.get("b").unwrap().as_deref(), Some(&[0xff, 0, 0xfe][..]));
        assert_eq!(s.get("B").unwrap().as_deref(), Some(&b""[..]));
        assert!(s.exists("a").unwrap());
        assert_eq!(s.keys().unwrap(), ["B", "a", "b"]);
        s.delete("a").unwrap();
        s.delete("a").unwrap();
        assert!(!s.exists("a").unwrap());
        assert_eq!(s.keys().unwrap(), ["B", "b"]);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn the_file_is_spins_and_outlives_the_host() {
        let dir = temp_dir("file");
        {
            let kv = KeyValue::new(&dir);
            kv.open("default").unwrap().set("k", b"v").unwrap();
        }
        let c = rusqlite::Connection::open(dir.join("sqlite_key_value.db")).unwrap();
        let sql: String = c
            .query_row(
                "SELECT sql FROM sqlite_master WHERE name = 'spin_key_value'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(sql, CREATE_TABLE.replace(" IF NOT EXISTS", ""));
        let row: (String, String, Vec<u8>) = c
            .query_row("SELECT store, key, value FROM spin_key_value", [], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })
            .unwrap();
        assert_eq!(row, ("default".into(), "k".into(), b"v".to_vec()));
        // A row another store label wrote is not this store's.
        c.execute(
            "INSERT INTO spin_key_value VALUES ('other', 'x', x'00')",
            [],
        )
        .unwrap();
        drop(c);
        let kv = KeyValue::new(&dir);
        let s = kv.open("default").unwrap();
        assert_eq!(s.get("k").unwrap().as_deref(), Some(&b"v"[..]));
        assert_eq!(s.keys().unwrap(), ["k"]);
        assert_eq!(s.get("x").unwrap(), None);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn only_default_is_defined() {
        let dir = temp_dir("labels");
        let kv = KeyValue::new(&dir);
        assert!(kv.is_defined("default"));
        assert!(!kv.is_defined("cache"));
        assert!(matches!(kv.open("cache"), Err(Error::NoSuchStore)));
        assert!(!kv.path().exists());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
