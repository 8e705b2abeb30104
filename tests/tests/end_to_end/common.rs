//! What the authorisation and hostile-input tests share: a round's body, credit codes,
//! the moments they run at, and the database as rows of text.

use e2e::TempDir;
use e2e::app::database_file;

/// Inside the 2026 round's application window.
pub const OPEN: &str = "2026-04-15T10:00:00+08:00";
/// After the window: the day the list is computed and published (its notice period runs).
pub const IN_NOTICE: &str = "2026-05-06T10:00:00+08:00";
/// The smallest PDF the components recognise.
pub const PDF: &[u8] = b"%PDF-1.4\n% evidence\n";

pub use e2e::fixtures::{credit_code as code, round};

/// The app's SQLite database, opened beside the running host.
pub fn db(state: &TempDir) -> rusqlite::Connection {
    let c = rusqlite::Connection::open(database_file(state)).unwrap();
    c.busy_timeout(std::time::Duration::from_secs(10)).unwrap();
    c
}

/// Every row of every table, as text: two equal dumps mean nothing was written.
pub fn dump(state: &TempDir) -> Vec<String> {
    let c = db(state);
    let tables: Vec<String> = c
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let mut out = Vec::new();
    for t in tables {
        let mut stmt = c.prepare(&format!("SELECT * FROM \"{t}\"")).unwrap();
        let n = stmt.column_count();
        let rows = stmt
            .query_map([], |r| {
                let cells: Vec<String> = (0..n)
                    .map(|i| format!("{:?}", r.get_ref(i).unwrap()))
                    .collect();
                Ok(format!("{t}: {}", cells.join(" | ")))
            })
            .unwrap();
        out.extend(rows.map(Result::unwrap));
    }
    out
}

/// Leading zero bits of SHA-256 of `challenge:nonce`, as an objector's script counts them.
pub fn zero_bits(challenge: &str, nonce: &str) -> u32 {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(format!("{challenge}:{nonce}").as_bytes());
    let mut n = 0;
    for b in digest {
        if b != 0 {
            return n + b.leading_zeros();
        }
        n += 8;
    }
    n
}

/// The first nonce (counting from 0) that has at least, or (`solves` false) fewer than,
/// `bits` leading zero bits with `challenge`.
pub fn nonce(challenge: &str, bits: u32, solves: bool) -> String {
    (0u64..)
        .map(|n| n.to_string())
        .find(|n| (zero_bits(challenge, n) >= bits) == solves)
        .unwrap()
}
