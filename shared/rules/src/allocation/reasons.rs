//! A line's reasons (CAP-TIMES, CAP-YEAR, BUDGET, then PROC-OBJECT after a re-review).
//!
//! The allocation keeps its own reasons as the figures their texts are made of, and writes
//! the texts only when the line is serialised or its reasons are read: a round may hold
//! 100,000 lines, and two owned texts per reason were most of its allocations (issue 17).
//! Reasons read back from storage or added later are kept as written, so a stored line
//! serialises back byte for byte. Either way the JSON is an array of [`Reason`]s, as
//! before.

use super::texts::Text;
use crate::decision::{Effect, Reason};
use crate::rule::RuleId;
use serde::ser::{SerializeSeq, SerializeStruct};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::sync::Arc;

/// A line's reasons, in the order the rules were applied.
#[derive(Clone, Default)]
pub struct LineReasons {
    found: Found,
    /// After `found`: reasons read back as stored, or added after the allocation.
    written: Vec<Reason>,
}

/// What the allocation found for one line, as figures in fen.
#[derive(Clone, Default)]
pub(super) struct Found {
    /// CAP-TIMES refused it: the enterprise's earlier rounds and the limit.
    pub times: Option<(usize, usize)>,
    /// CAP-YEAR lowered its ceiling.
    pub cut: Option<Cut>,
    /// BUDGET lowered it.
    pub budget: Option<Budget>,
}

/// CAP-YEAR: the yearly cap, the ceiling and what was left of the cap. Kept here rather
/// than read from the line, whose amounts are public fields.
#[derive(Clone, Copy)]
pub(super) struct Cut {
    pub cap: i64,
    pub before: i64,
    pub after: i64,
}

/// BUDGET: the amount granted, and the round's scaling when it was proportional.
#[derive(Clone)]
pub(super) struct Budget {
    pub granted: i64,
    pub scaled: Option<Arc<Scaled>>,
}

/// The beginning every proportionally scaled line's text shares (zh, en), written once a
/// round.
pub(super) struct Scaled {
    pub zh: String,
    pub en: String,
}

/// One of the allocation's own reasons, before its texts are written.
#[derive(Clone, Copy)]
pub(super) enum Said<'a> {
    Times(usize, usize),
    Cut(&'a Cut),
    Budget(&'a Budget),
}

impl Said<'_> {
    fn rule(self) -> RuleId {
        match self {
            Said::Times(..) => RuleId::CapTimes,
            Said::Cut(_) => RuleId::CapYear,
            Said::Budget(_) => RuleId::Budget,
        }
    }

    fn effect(self) -> Effect {
        match self {
            Said::Times(..) => Effect::Refuse,
            Said::Cut(_) | Said::Budget(_) => Effect::Limit,
        }
    }

    fn reason(self) -> Reason {
        Reason::new(
            self.rule(),
            self.effect(),
            Text::zh(self).to_string(),
            Text::en(self).to_string(),
        )
    }
}

impl Found {
    fn said(&self) -> impl Iterator<Item = Said<'_>> {
        let times = self.times.map(|(t, max)| Said::Times(t, max));
        let cut = self.cut.as_ref().map(Said::Cut);
        let budget = self.budget.as_ref().map(Said::Budget);
        times.into_iter().chain(cut).chain(budget)
    }
}

impl LineReasons {
    pub(super) fn found(found: Found) -> LineReasons {
        LineReasons {
            found,
            written: Vec::new(),
        }
    }

    /// Every reason, texts written out.
    pub fn iter(&self) -> impl Iterator<Item = Reason> + '_ {
        let found = self.found.said().map(Said::reason);
        found.chain(self.written.iter().cloned())
    }

    pub fn to_vec(&self) -> Vec<Reason> {
        self.iter().collect()
    }

    pub fn last(&self) -> Option<Reason> {
        match self.written.last() {
            Some(r) => Some(r.clone()),
            None => self.found.said().last().map(Said::reason),
        }
    }

    pub fn len(&self) -> usize {
        self.found.said().count() + self.written.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Adds a reason after the others (PROC-OBJECT).
    pub fn push(&mut self, reason: Reason) {
        self.written.push(reason);
    }
}

impl From<Vec<Reason>> for LineReasons {
    fn from(written: Vec<Reason>) -> LineReasons {
        LineReasons {
            found: Found::default(),
            written,
        }
    }
}

/// Equal when the reasons read the same, however they are kept (a line read back from
/// storage equals the line computed).
impl PartialEq for LineReasons {
    fn eq(&self, other: &LineReasons) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

impl Eq for LineReasons {}

impl fmt::Debug for LineReasons {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl Serialize for LineReasons {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.len()))?;
        for said in self.found.said() {
            seq.serialize_element(&SaidJson(said))?;
        }
        for reason in &self.written {
            seq.serialize_element(reason)?;
        }
        seq.end()
    }
}

/// Stored lines hold texts: they are kept as written.
impl<'de> Deserialize<'de> for LineReasons {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<LineReasons, D::Error> {
        Vec::<Reason>::deserialize(d).map(LineReasons::from)
    }
}

/// A found reason serialised as [`Reason`] is (same fields, same order, no `loan`), its
/// texts written straight into the output.
struct SaidJson<'a>(Said<'a>);

impl Serialize for SaidJson<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let said = self.0;
        let mut r = s.serialize_struct("Reason", 4)?;
        r.serialize_field("rule", &said.rule())?;
        r.serialize_field("effect", &said.effect())?;
        r.serialize_field("zh", &AsStr(Text::zh(said)))?;
        r.serialize_field("en", &AsStr(Text::en(said)))?;
        r.end()
    }
}

/// A text serialised as a string without building one.
struct AsStr<T>(T);

impl<T: fmt::Display> Serialize for AsStr<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&self.0)
    }
}
