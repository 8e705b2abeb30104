//! The vocabulary every aggregate uses: values, named statements, rows read by column
//! name, and the store's errors.

use std::fmt;
use std::str::FromStr;

use rules::reader::ReadJson;
use rust_decimal::Decimal;
use serde::de::DeserializeOwned;

/// One SQLite value (the five storage classes).
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Integer(i64),
    /// Never written by the app (money is decimal text); kept so that a stray real in a
    /// row is reported as what it is.
    Real(f64),
    Text(String),
    Blob(Vec<u8>),
}

impl From<&str> for Value {
    fn from(v: &str) -> Self {
        Value::Text(v.to_owned())
    }
}

impl From<String> for Value {
    fn from(v: String) -> Self {
        Value::Text(v)
    }
}

impl From<&String> for Value {
    fn from(v: &String) -> Self {
        Value::Text(v.clone())
    }
}

impl From<i64> for Value {
    fn from(v: i64) -> Self {
        Value::Integer(v)
    }
}

impl From<i32> for Value {
    fn from(v: i32) -> Self {
        Value::Integer(i64::from(v))
    }
}

impl From<u32> for Value {
    fn from(v: u32) -> Self {
        Value::Integer(i64::from(v))
    }
}

impl From<bool> for Value {
    fn from(v: bool) -> Self {
        Value::Integer(i64::from(v))
    }
}

/// Money is stored as its exact decimal text (`"1234.50"`), never as a real.
impl From<Decimal> for Value {
    fn from(v: Decimal) -> Self {
        Value::Text(v.to_string())
    }
}

/// Money is stored as its exact decimal text (`"1234.50"`).
impl From<rules::Money> for Value {
    fn from(v: rules::Money) -> Self {
        Value::Text(v.to_string())
    }
}

impl From<Vec<u8>> for Value {
    fn from(v: Vec<u8>) -> Self {
        Value::Blob(v)
    }
}

impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(v: Option<T>) -> Self {
        v.map_or(Value::Null, Into::into)
    }
}

/// One SQL statement with the name logs and errors know it by (`"rounds.list"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Statement {
    pub name: &'static str,
    pub sql: &'static str,
}

impl Statement {
    pub const fn new(name: &'static str, sql: &'static str) -> Self {
        Statement { name, sql }
    }
}

/// What can go wrong in the store.
#[derive(Debug, Clone, PartialEq)]
pub enum StoreError {
    /// The component may not use the database, or it does not exist: the deployment is
    /// wrong, not the request.
    Unavailable { reason: String },
    /// A UNIQUE constraint refused the write: the record already exists.
    Duplicate { statement: &'static str },
    /// The database failed the statement (I/O, locking, full disk, a bug in the SQL).
    Failed {
        statement: &'static str,
        message: String,
    },
    /// A stored value cannot be read as what it must be (NULL where a value is required,
    /// text that is not a decimal, JSON that no longer parses, …). Never replaced by a
    /// default: the caller answers 500 and logs this.
    Unreadable {
        statement: &'static str,
        column: String,
        reason: String,
    },
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StoreError::Unavailable { reason } => write!(f, "database unavailable: {reason}"),
            StoreError::Duplicate { statement } => write!(f, "{statement}: record already exists"),
            StoreError::Failed { statement, message } => write!(f, "{statement}: {message}"),
            StoreError::Unreadable {
                statement,
                column,
                reason,
            } => write!(f, "{statement}: stored `{column}` unreadable: {reason}"),
        }
    }
}

impl std::error::Error for StoreError {}

impl StoreError {
    /// Classifies a database's error message for `statement`.
    pub fn from_message(statement: &'static str, message: String) -> Self {
        if message.contains("UNIQUE constraint failed") {
            StoreError::Duplicate { statement }
        } else {
            StoreError::Failed { statement, message }
        }
    }
}

/// The rows one statement returned, fully read.
#[derive(Debug, Clone, PartialEq)]
pub struct Rows {
    pub statement: &'static str,
    pub columns: Vec<String>,
    pub values: Vec<Vec<Value>>,
}

impl Rows {
    pub fn len(&self) -> usize {
        self.values.len()
    }

    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = Row<'_>> {
        self.values.iter().map(|values| Row {
            statement: self.statement,
            columns: &self.columns,
            values,
        })
    }

    /// The first row, if any.
    pub fn first(&self) -> Option<Row<'_>> {
        self.iter().next()
    }

    /// Reads every row with `read`, stopping at the first unreadable one.
    pub fn read<T>(
        &self,
        read: impl Fn(&Row<'_>) -> Result<T, StoreError>,
    ) -> Result<Vec<T>, StoreError> {
        self.iter().map(|r| read(&r)).collect()
    }
}

/// One row, read by column name. Every getter fails with [`StoreError::Unreadable`] when
/// the column is missing, NULL where a value is required, or of the wrong kind.
#[derive(Debug, Clone, Copy)]
pub struct Row<'a> {
    statement: &'static str,
    columns: &'a [String],
    values: &'a [Value],
}

impl<'a> Row<'a> {
    /// An [`StoreError::Unreadable`] for `column` of this row.
    pub fn unreadable(&self, column: &str, reason: impl Into<String>) -> StoreError {
        StoreError::Unreadable {
            statement: self.statement,
            column: column.to_owned(),
            reason: reason.into(),
        }
    }

    /// The raw value of `column`.
    pub fn value(&self, column: &str) -> Result<&'a Value, StoreError> {
        self.columns
            .iter()
            .position(|c| c == column)
            .and_then(|i| self.values.get(i))
            .ok_or_else(|| self.unreadable(column, "no such column in the result"))
    }

    fn kind(v: &Value) -> &'static str {
        match v {
            Value::Null => "NULL",
            Value::Integer(_) => "an integer",
            Value::Real(_) => "a real",
            Value::Text(_) => "text",
            Value::Blob(_) => "a blob",
        }
    }

    /// Text that may be NULL.
    pub fn opt_text(&self, column: &str) -> Result<Option<&'a str>, StoreError> {
        match self.value(column)? {
            Value::Null => Ok(None),
            Value::Text(s) => Ok(Some(s.as_str())),
            other => Err(self.unreadable(
                column,
                format!("expected text, found {}", Self::kind(other)),
            )),
        }
    }

    /// Text that must be there.
    pub fn text(&self, column: &str) -> Result<&'a str, StoreError> {
        self.opt_text(column)?
            .ok_or_else(|| self.unreadable(column, "NULL where a value is required"))
    }

    /// An enum stored by its name ([`crate::names`]); a name no variant has is unreadable.
    pub fn named<T: serde::de::DeserializeOwned>(&self, column: &str) -> Result<T, StoreError> {
        let text = self.text(column)?;
        crate::names::parse(text).ok_or_else(|| {
            let kind = std::any::type_name::<T>()
                .rsplit("::")
                .next()
                .unwrap_or("value");
            self.unreadable(column, format!("{text:?} is no {kind}"))
        })
    }

    /// An integer that may be NULL.
    pub fn opt_int(&self, column: &str) -> Result<Option<i64>, StoreError> {
        match self.value(column)? {
            Value::Null => Ok(None),
            Value::Integer(i) => Ok(Some(*i)),
            other => Err(self.unreadable(
                column,
                format!("expected an integer, found {}", Self::kind(other)),
            )),
        }
    }

    /// An integer that must be there.
    pub fn int(&self, column: &str) -> Result<i64, StoreError> {
        self.opt_int(column)?
            .ok_or_else(|| self.unreadable(column, "NULL where a value is required"))
    }

    /// An integer that must fit `T` (a year as `i32`, a count as `u32`, …).
    pub fn int_as<T: TryFrom<i64>>(&self, column: &str) -> Result<T, StoreError> {
        let i = self.int(column)?;
        T::try_from(i).map_err(|_| self.unreadable(column, format!("{i} is out of range")))
    }

    /// A flag stored as 0 or 1.
    pub fn flag(&self, column: &str) -> Result<bool, StoreError> {
        match self.int(column)? {
            0 => Ok(false),
            1 => Ok(true),
            i => Err(self.unreadable(column, format!("{i} is not a flag (0 or 1)"))),
        }
    }

    /// Text parsed with `FromStr` (a stage, a date, an enum's name), when not NULL.
    pub fn opt_parse<T: FromStr>(&self, column: &str) -> Result<Option<T>, StoreError>
    where
        T::Err: fmt::Display,
    {
        self.opt_text(column)?
            .map(|s| {
                s.parse::<T>()
                    .map_err(|e| self.unreadable(column, format!("{s:?}: {e}")))
            })
            .transpose()
    }

    /// Text parsed with `FromStr`, required.
    pub fn parse<T: FromStr>(&self, column: &str) -> Result<T, StoreError>
    where
        T::Err: fmt::Display,
    {
        self.opt_parse(column)?
            .ok_or_else(|| self.unreadable(column, "NULL where a value is required"))
    }

    /// An exact amount stored as decimal text, required.
    pub fn decimal(&self, column: &str) -> Result<Decimal, StoreError> {
        self.parse(column)
    }

    /// An exact amount stored as decimal text, or NULL.
    pub fn opt_decimal(&self, column: &str) -> Result<Option<Decimal>, StoreError> {
        self.opt_parse(column)
    }

    /// An amount of money stored as its exact decimal text (`"1234.50"`), required: a
    /// negative, malformed or out-of-range amount is unreadable, never zero.
    pub fn money(&self, column: &str) -> Result<rules::Money, StoreError> {
        let text = self.text(column)?;
        if text.trim_start().starts_with('-') {
            return Err(self.unreadable(column, format!("{text:?} is negative")));
        }
        rules::Money::parse(text).map_err(|e| self.unreadable(column, e.to_string()))
    }

    /// An amount of money, or NULL.
    pub fn opt_money(&self, column: &str) -> Result<Option<rules::Money>, StoreError> {
        match self.value(column)? {
            Value::Null => Ok(None),
            _ => self.money(column).map(Some),
        }
    }

    /// A JSON document stored as text, required and readable as `T`.
    ///
    /// Read with `from_slice`, which on UTF-8 text answers exactly what `from_str` does:
    /// every JSON reader of the app (request bodies included) then shares one reader type,
    /// so a component carries one copy of serde_json's parser, not two.
    pub fn json<T: DeserializeOwned>(&self, column: &str) -> Result<T, StoreError> {
        let text = self.text(column)?;
        serde_json::from_slice(text.as_bytes())
            .map_err(|e| self.unreadable(column, format!("JSON: {e}")))
    }

    /// A JSON document stored as text, or NULL.
    pub fn opt_json<T: DeserializeOwned>(&self, column: &str) -> Result<Option<T>, StoreError> {
        self.opt_text(column)?
            .map(|text| {
                serde_json::from_slice(text.as_bytes())
                    .map_err(|e| self.unreadable(column, format!("JSON: {e}")))
            })
            .transpose()
    }

    /// As [`Row::json`] (the same values), read by the reader the components read request
    /// bodies with ([`rules::reader`]): for a type that is also a request (a round, an
    /// application), so a component carries one reader for it, not serde's as well.
    pub fn input_json<T: ReadJson>(&self, column: &str) -> Result<T, StoreError> {
        let text = self.text(column)?;
        rules::reader::read(text).map_err(|e| self.unreadable(column, format!("JSON: {e}")))
    }

    /// Bytes that must be there.
    pub fn blob(&self, column: &str) -> Result<&'a [u8], StoreError> {
        match self.value(column)? {
            Value::Blob(b) => Ok(b.as_slice()),
            other => Err(self.unreadable(
                column,
                format!("expected a blob, found {}", Self::kind(other)),
            )),
        }
    }
}

/// A SQLite connection the aggregates run their statements on: Spin's (feature `spin`)
/// in the components, rusqlite's (feature `native`) in tests and tools. Each call runs
/// exactly one statement and reads all of its rows.
#[allow(
    async_fn_in_trait,
    reason = "components are single-threaded wasm; no Send bound is wanted"
)]
pub trait Sql {
    /// Runs `statement` and returns every row it produced.
    async fn query(&self, statement: &Statement, params: Vec<Value>) -> Result<Rows, StoreError>;

    /// Runs `statement` (one that returns no rows) and answers how many rows it changed.
    async fn execute(&self, statement: &Statement, params: Vec<Value>) -> Result<u64, StoreError>;

    /// The rowid of the last insert on this connection.
    async fn last_insert_rowid(&self) -> i64;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows() -> Rows {
        Rows {
            statement: "test.row",
            columns: ["t", "n", "i", "d", "j", "r", "f"]
                .map(String::from)
                .to_vec(),
            values: vec![vec![
                Value::Text("甲".into()),
                Value::Null,
                Value::Integer(2026),
                Value::Text("12.50".into()),
                Value::Text("{\"a\":1}".into()),
                Value::Real(0.1),
                Value::Integer(2),
            ]],
        }
    }

    #[test]
    fn values_read_by_name_as_what_they_are() {
        let rows = rows();
        let r = rows.first().unwrap();
        assert_eq!(r.text("t").unwrap(), "甲");
        assert_eq!(r.opt_text("n").unwrap(), None);
        assert_eq!(r.int("i").unwrap(), 2026);
        assert_eq!(r.int_as::<i32>("i").unwrap(), 2026);
        assert_eq!(r.decimal("d").unwrap(), Decimal::new(1250, 2));
        assert_eq!(r.money("d").unwrap(), rules::Money::parse("12.50").unwrap());
        assert_eq!(r.json::<serde_json::Value>("j").unwrap()["a"], 1);
    }

    #[test]
    fn a_null_a_wrong_kind_or_a_missing_column_is_unreadable_never_a_default() {
        let rows = rows();
        let r = rows.first().unwrap();
        for (col, err) in [
            ("n", r.text("n").unwrap_err()),
            ("n", r.decimal("n").unwrap_err()),
            ("t", r.int("t").unwrap_err()),
            ("t", r.decimal("t").unwrap_err()),
            ("r", r.decimal("r").unwrap_err()),
            ("t", r.json::<serde_json::Value>("t").unwrap_err()),
            ("f", r.flag("f").unwrap_err()),
            ("x", r.text("x").unwrap_err()),
            ("i", r.int_as::<u8>("i").unwrap_err()),
            ("t", r.money("t").unwrap_err()),
            ("n", r.money("n").unwrap_err()),
        ] {
            match err {
                StoreError::Unreadable {
                    statement, column, ..
                } => {
                    assert_eq!(statement, "test.row");
                    assert_eq!(column, col);
                }
                other => panic!("{col}: {other:?}"),
            }
        }
    }

    #[test]
    fn money_is_stored_as_exact_text() {
        assert_eq!(
            Value::from(Decimal::new(123_450, 2)),
            Value::Text("1234.50".into())
        );
        assert_eq!(Value::from(None::<&str>), Value::Null);
    }
}
