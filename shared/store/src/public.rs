//! What the public reads (issue 17): the tables behind every public page, list and feed
//! (rounds and their windows; notices, their entries and their updates). A write to one
//! of them makes the public answers rendered from them (`service::published`) stale.

/// The tables the public reads are made from.
pub const TABLES: [&str; 4] = ["rounds", "notices", "notice_entries", "notice_updates"];

/// Whether `sql` writes (inserts, replaces, updates or deletes rows of) one of [`TABLES`].
pub fn writes_public(sql: &str) -> bool {
    let words: Vec<String> = sql
        .split(|c: char| c.is_whitespace() || c == '(')
        .filter(|w| !w.is_empty())
        .take(6)
        .map(str::to_ascii_lowercase)
        .collect();
    let w = |i: usize| words.get(i).map(String::as_str);
    let table = match (w(0), w(1), w(2)) {
        (Some("insert" | "replace"), Some("into"), t) => t,
        (Some("insert"), Some("or"), _) if w(3) == Some("into") => w(4),
        (Some("update"), Some("or"), _) => w(3),
        (Some("update"), t, _) => t,
        (Some("delete"), Some("from"), t) => t,
        _ => None,
    };
    table.is_some_and(|t| TABLES.contains(&t.trim_matches('"')))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_to_the_public_tables_are_recognised() {
        for sql in [
            "INSERT INTO notices (id) VALUES (?)",
            "insert into notice_entries(notice_id) values (?)",
            "INSERT OR IGNORE INTO rounds (year) VALUES (?)",
            "REPLACE INTO notice_updates (notice_id) VALUES (?)",
            "UPDATE rounds SET stage = ? WHERE year = ?",
            "UPDATE OR ABORT \"rounds\" SET stage = ?",
            "DELETE FROM notice_updates WHERE notice_id = ?",
            "\n    UPDATE rounds\n SET approval = ?",
        ] {
            assert!(writes_public(sql), "{sql}");
        }
        for sql in [
            "SELECT * FROM rounds",
            "INSERT INTO applications (id) SELECT id FROM rounds",
            "UPDATE applications SET status = ? WHERE round_year IN (SELECT year FROM rounds)",
            "DELETE FROM notices_draft",
            "INSERT INTO audit_log (action) VALUES ('UPDATE rounds')",
            "BEGIN IMMEDIATE",
            "COMMIT",
        ] {
            assert!(!writes_public(sql), "{sql}");
        }
    }

    /// Every statement of the store that writes a public table is recognised: the
    /// statements are found in the store's source, so a new one cannot slip by.
    #[test]
    fn every_store_statement_writing_a_public_table_is_recognised() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/src");
        let mut seen = 0;
        for entry in std::fs::read_dir(dir).unwrap() {
            let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
            for table in TABLES {
                for verb in ["INSERT INTO ", "UPDATE ", "DELETE FROM "] {
                    let needle = format!("\"{verb}{table} ");
                    for (i, _) in text.match_indices(&needle) {
                        let sql: String = text[i + 1..].chars().take_while(|&c| c != '"').collect();
                        assert!(writes_public(&sql), "{sql}");
                        seen += 1;
                    }
                }
            }
        }
        assert!(seen >= 5, "{seen} statements found");
    }
}
