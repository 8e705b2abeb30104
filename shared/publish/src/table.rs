//! Lists for officers (proposed, approved, paid) as a table, exported as CSV or XLSX.

use chrono::NaiveDate;
use rules::Money;

/// One cell: money stays exact to the end (a decimal string in CSV, a number with two
/// places in XLSX).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell {
    Text(String),
    Money(Money),
    Int(i64),
    Date(NaiveDate),
}

impl From<&str> for Cell {
    fn from(s: &str) -> Cell {
        Cell::Text(s.to_string())
    }
}

impl From<String> for Cell {
    fn from(s: String) -> Cell {
        Cell::Text(s)
    }
}

impl From<Money> for Cell {
    fn from(m: Money) -> Cell {
        Cell::Money(m)
    }
}

impl From<i64> for Cell {
    fn from(i: i64) -> Cell {
        Cell::Int(i)
    }
}

impl From<NaiveDate> for Cell {
    fn from(d: NaiveDate) -> Cell {
        Cell::Date(d)
    }
}

/// A sheet: a name, a header row, data rows.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Table {
    pub name: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

/// Spreadsheet programs run a cell that starts with one of these as a formula; exports
/// of data typed by the public must not (CSV/formula injection).
pub(crate) fn defuse(text: &str) -> String {
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{text}"),
        _ => text.to_string(),
    }
}

/// CSV for Excel: UTF-8 with a byte-order mark (so Excel reads Chinese right), CRLF line
/// ends, RFC 4180 quoting.
pub fn csv(table: &Table) -> Vec<u8> {
    let mut out = String::from("\u{FEFF}");
    let line = |cells: Vec<String>, out: &mut String| {
        let quoted: Vec<String> = cells
            .iter()
            .map(|c| {
                if c.contains([',', '"', '\n', '\r']) {
                    format!("\"{}\"", c.replace('"', "\"\""))
                } else {
                    c.clone()
                }
            })
            .collect();
        out.push_str(&quoted.join(","));
        out.push_str("\r\n");
    };
    line(table.headers.iter().map(|h| defuse(h)).collect(), &mut out);
    for row in &table.rows {
        let cells = row
            .iter()
            .map(|c| match c {
                Cell::Text(t) => defuse(t),
                Cell::Money(m) => m.to_string(),
                Cell::Int(i) => i.to_string(),
                Cell::Date(d) => d.to_string(),
            })
            .collect();
        line(cells, &mut out);
    }
    out.into_bytes()
}
