//! Every SQL statement of the app is in this crate, named (issue 12): the components and the
//! service layer hold none. A statement written anywhere else fails this test, naming the
//! file and line.

use std::path::{Path, PathBuf};

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|x| x == "rs") {
            out.push(path);
        }
    }
}

/// A string literal that starts like a statement: `"SELECT `, `"INSERT INTO `, ….
fn looks_like_sql(line: &str) -> bool {
    const STARTS: [&str; 7] = [
        "SELECT ",
        "INSERT ",
        "UPDATE ",
        "DELETE FROM",
        "BEGIN",
        "CREATE ",
        "PRAGMA ",
    ];
    line.split('"').skip(1).step_by(2).any(|literal| {
        STARTS
            .iter()
            .any(|s| literal.trim_start().to_ascii_uppercase().starts_with(s))
    })
}

#[test]
fn no_sql_outside_the_store() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut files = Vec::new();
    for dir in ["functions", "shared/service/src"] {
        rust_files(&root.join(dir), &mut files);
    }
    assert!(
        files.len() > 10,
        "the components' sources are found: {files:?}"
    );
    let mut found = Vec::new();
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap();
        for (i, line) in text.lines().enumerate() {
            if looks_like_sql(line) {
                found.push(format!("{}:{}: {}", f.display(), i + 1, line.trim()));
            }
        }
    }
    assert!(
        found.is_empty(),
        "SQL outside shared/store:\n{}",
        found.join("\n")
    );
}

#[test]
fn the_check_sees_a_statement() {
    assert!(looks_like_sql(
        r#"        db.query("SELECT 1 FROM rounds", [])"#
    ));
    assert!(looks_like_sql(
        r#"    "insert into audit_log (actor) values (?)","#
    ));
    assert!(!looks_like_sql(r#"    "选择 SELECT"; // prose"#));
    assert!(!looks_like_sql("    let select = 1;"));
}
