//! What the public reads (issue 17): the tables behind every public page, list and feed
//! (rounds and their windows; notices, their entries and their updates). A write to one
//! of them makes the public answers rendered from them (`service::published`) stale.

/// The tables the public reads are made from.
pub const TABLES: [&str; 4] = ["rounds", "notices", "notice_entries", "notice_updates"];

/// Whether `sql` writes (inserts, replaces, updates or deletes rows of) one of [`TABLES`].
/// Doubt counts as a write (a needless new generation costs one answer made again): a
/// statement that starts with `WITH` or `EXPLAIN` and names a table and a writing verb.
pub fn writes_public(sql: &str) -> bool {
    let text = without_comments(sql).to_ascii_lowercase();
    let words: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || "(),;\"`[]".contains(c))
        .filter(|w| !w.is_empty())
        .collect();
    let names_public = |w: &&str| TABLES.contains(&w.rsplit('.').next().unwrap_or(w));
    // A table's name, after its schema's when that is quoted apart (`main."rounds"`).
    let w = |i: usize| match words.get(i) {
        Some(s) if s.ends_with('.') => words.get(i + 1).copied(),
        other => other.copied(),
    };
    let table = match (w(0), w(1)) {
        (Some("with" | "explain"), _) => {
            let writes = words
                .iter()
                .any(|w| matches!(*w, "insert" | "replace" | "update" | "delete"));
            return writes && words.iter().any(names_public);
        }
        (Some("insert" | "replace"), Some("into")) => w(2),
        (Some("insert"), Some("or")) if w(3) == Some("into") => w(4),
        (Some("update"), Some("or")) => w(3),
        (Some("update"), t) => t,
        (Some("delete"), Some("from")) => w(2),
        _ => None,
    };
    table.as_ref().is_some_and(names_public)
}

/// `sql` with its `--` and `/* */` comments made spaces (string literals are kept: a
/// comment marker inside one is rare enough to only ever cost a needless generation).
fn without_comments(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut rest = sql;
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix("--") {
            rest = r.split_once('\n').map_or("", |(_, after)| after);
            out.push(' ');
        } else if let Some(r) = rest.strip_prefix("/*") {
            rest = r.split_once("*/").map_or("", |(_, after)| after);
            out.push(' ');
        } else {
            let c = rest.chars().next().unwrap_or(' ');
            out.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    out
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
            "INSERT INTO rounds(year) VALUES (?)",
            "INSERT INTO\"rounds\" (year) VALUES (?)",
            "INSERT INTO main.rounds (year) VALUES (?)",
            "INSERT INTO main.\"rounds\" (year) VALUES (?)",
            "UPDATE [notices] SET title_zh = ?",
            "DELETE FROM `notice_updates`",
            "-- a note\nUPDATE rounds SET stage = ?",
            "/* why */ INSERT INTO notices (id) VALUES (?)",
            "WITH x AS (SELECT 1) INSERT INTO notice_entries SELECT * FROM x",
            "EXPLAIN UPDATE rounds SET stage = 'open'",
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
            "WITH x AS (SELECT * FROM rounds) SELECT * FROM x",
            "WITH x AS (SELECT 1) INSERT INTO applications SELECT * FROM x",
            "-- UPDATE rounds\nSELECT 1",
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
                for verb in ["INSERT INTO ", "REPLACE INTO ", "UPDATE ", "DELETE FROM "] {
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
