//! The pre-check request's types as the reader reads them: each struct's members in
//! declaration order (serde's names), the required ones (no `#[serde(default)]`, not an
//! `Option`), and each enum's variants in serde's spelling.

use super::{Found, ReadJson, Reader, Stop, dates};
use crate::model::*;
use crate::money::Money;
use crate::params::Industry;
use crate::patent::{PatentNumber, PatentType};
use crate::uscc::CreditCode;
use chrono::{DateTime, FixedOffset, NaiveDate};

/// A member the struct's reader has just read (the reader checked it was given).
fn given<T>(value: Option<T>) -> Result<T, Stop> {
    value.ok_or(Stop)
}

/// Reads a struct: `$name` as serde names it, the member to pass over (`None`, or a
/// right's `Some("kind")`), then each member as `field: Type`, with `= default` for
/// those that may be left out. Given only `Type { … }`, implements [`ReadJson`] for it.
macro_rules! read_struct {
    ($ty:ident { $($body:tt)* }) => {
        impl ReadJson for $ty {
            fn read(r: &mut Reader<'_>) -> Result<Self, Stop> {
                read_struct!(r, concat!("struct ", stringify!($ty)), None, $ty { $($body)* })
            }
        }
    };
    ($r:expr, $name:expr, $skip:expr, $($ty:ident)::+ { $($field:ident : $fty:ty $(= $default:expr)?),* $(,)? }) => {{
        const FIELDS: &[&str] = &[$(stringify!($field)),*];
        let mut required = 0u32;
        let mut bit = 1u32;
        $(
            required |= read_struct!(@required bit $(, $default)?);
            bit <<= 1;
        )*
        let _ = bit;
        $(let mut $field: Option<$fty> = None;)*
        $r.object($name, FIELDS, required, $skip, &mut |r, i| {
            let mut at = 0usize;
            $(
                if i == at {
                    $field = Some(<$fty as ReadJson>::read(r)?);
                    return Ok(());
                }
                at += 1;
            )*
            let _ = at;
            Ok(())
        })?;
        Ok($($ty)::+ {
            $($field: read_struct!(@take $field $(, $default)?),)*
        })
    }};
    (@required $bit:ident) => { $bit };
    (@required $bit:ident, $default:expr) => { 0 };
    (@take $field:ident) => { given($field)? };
    (@take $field:ident, $default:expr) => { $field.unwrap_or_else(|| $default) };
}

/// Reads a unit-variant enum from its variants' names in serde's spelling.
macro_rules! read_enum {
    ($ty:ident { $($name:literal => $variant:ident),* $(,)? }) => {
        impl ReadJson for $ty {
            fn read(r: &mut Reader<'_>) -> Result<Self, Stop> {
                const NAMES: &[&str] = &[$($name),*];
                const VALUES: &[$ty] = &[$($ty::$variant),*];
                r.variant(NAMES).map(|i| VALUES[i])
            }
        }
    };
}

impl ReadJson for String {
    fn read(r: &mut Reader<'_>) -> Result<Self, Stop> {
        r.str_value("a string").map(|s| s.into_owned())
    }
}

impl ReadJson for bool {
    fn read(r: &mut Reader<'_>) -> Result<Self, Stop> {
        match r.peek() {
            Some(b't') => r.literal(b"true").map(|()| true),
            Some(b'f') => r.literal(b"false").map(|()| false),
            _ => Err(r.wrong_type("a boolean")),
        }
    }
}

impl ReadJson for i32 {
    fn read(r: &mut Reader<'_>) -> Result<Self, Stop> {
        use super::Number::*;
        let n = match r.peek() {
            Some(b'-' | b'0'..=b'9') => r.number()?,
            _ => return Err(r.wrong_type("i32")),
        };
        let fits = match n {
            Unsigned(u) => i32::try_from(u).ok(),
            Signed(s) => i32::try_from(s).ok(),
            Float(_) => return Err(r.invalid_type(Found::Number(n), "i32")),
        };
        fits.ok_or_else(|| {
            let n = match n {
                Unsigned(u) => u.to_string(),
                Signed(s) => s.to_string(),
                Float(f) => f.to_owned(),
            };
            r.refuse(None, &format!("invalid value: integer `{n}`, expected i32"))
        })
    }
}

impl<T: ReadJson> ReadJson for Option<T> {
    fn read(r: &mut Reader<'_>) -> Result<Self, Stop> {
        if r.peek() == Some(b'n') {
            return r.literal(b"null").map(|()| None);
        }
        T::read(r).map(Some)
    }
}

impl<T: ReadJson> ReadJson for Vec<T> {
    fn read(r: &mut Reader<'_>) -> Result<Self, Stop> {
        r.list()
    }
}

/// A string made into a value by `parse`, whose error prints as `中文 / English` (the
/// message serde's `custom` error carries).
fn parsed<T, E: std::fmt::Display>(
    r: &mut Reader<'_>,
    expected: &str,
    parse: impl FnOnce(&str) -> Result<T, E>,
) -> Result<T, Stop> {
    let s = r.str_value(expected)?;
    parse(&s).map_err(|e| r.refuse(None, &e.to_string()))
}

impl ReadJson for Money {
    fn read(r: &mut Reader<'_>) -> Result<Self, Stop> {
        parsed(
            r,
            "an amount of CNY as a decimal string, e.g. \"1200.50\"",
            Money::parse,
        )
    }
}

impl ReadJson for CreditCode {
    fn read(r: &mut Reader<'_>) -> Result<Self, Stop> {
        parsed(r, "a string", CreditCode::parse)
    }
}

impl ReadJson for PatentNumber {
    fn read(r: &mut Reader<'_>) -> Result<Self, Stop> {
        parsed(r, "a string", PatentNumber::parse)
    }
}

impl ReadJson for NaiveDate {
    fn read(r: &mut Reader<'_>) -> Result<Self, Stop> {
        parsed(r, "a formatted date string", dates::date)
    }
}

impl ReadJson for DateTime<FixedOffset> {
    fn read(r: &mut Reader<'_>) -> Result<Self, Stop> {
        parsed(
            r,
            "an RFC 3339 formatted date and time string",
            dates::moment,
        )
    }
}

read_enum!(CreditFindingKind {
    "major_work_safety_accident" => MajorWorkSafetyAccident,
    "major_environmental_accident" => MajorEnvironmentalAccident,
    "labour_relations_failure" => LabourRelationsFailure,
    "tax_non_compliance" => TaxNonCompliance,
    "serious_bad_credit_record" => SeriousBadCreditRecord,
});

read_enum!(FraudKind {
    "false_documents" => FalseDocuments,
    "obtained_by_deception" => ObtainedByDeception,
    "ip_infringement" => IpInfringement,
});

read_enum!(LenderKind {
    "bank" => Bank,
    "microcredit_company" => MicrocreditCompany,
    "financial_leasing" => FinancialLeasing,
    "other_non_bank" => OtherNonBank,
});

read_enum!(PatentType {
    "invention" => Invention,
    "utility_model" => UtilityModel,
    "design" => Design,
    "pct_invention" => PctInvention,
    "pct_utility_model" => PctUtilityModel,
});

read_enum!(Department {
    "market_supervision" => MarketSupervision,
    "human_resources_social_security" => HumanResourcesSocialSecurity,
    "emergency_management" => EmergencyManagement,
    "fire_rescue" => FireRescue,
    "ecology_environment" => EcologyEnvironment,
    "science_information" => ScienceInformation,
    "tax" => Tax,
    "urban_management" => UrbanManagement,
    "zgc_mentougou_park" => ZgcMentougouPark,
    "town_street" => TownStreet,
    "industry_authority" => IndustryAuthority,
    "other" => Other,
});

read_enum!(CreditSource {
    "credit_china" => CreditChina,
    "credit_china_beijing" => CreditChinaBeijing,
});

read_struct!(PrecheckRequest {
    as_of: DateTime<FixedOffset>,
    assessed_at: Option<DateTime<FixedOffset>> = None,
    round: Option<Round> = None,
    application: Application,
});

read_struct!(Round {
    year: i32,
    window: Window,
    covered_period: Period,
    budget: Money,
    guide_reference: String = String::new(),
    extra_key_industries: Vec<Industry> = Vec::new(),
    guide: Option<Guide> = None,
});

read_struct!(Window {
    opens_at: DateTime<FixedOffset>,
    closes_at: DateTime<FixedOffset>,
});

read_struct!(Period {
    from: NaiveDate,
    to: NaiveDate,
});

read_struct!(Industry {
    code: String,
    zh: String,
    en: String,
});

read_struct!(Guide {
    title: String,
    url: Option<String> = None,
    materials: Vec<String>,
    approval: GovernmentApproval,
});

read_struct!(GovernmentApproval {
    approved_on: NaiveDate,
    reference: String,
});

read_struct!(Application {
    enterprise: Enterprise,
    loans: Vec<Loan>,
    history: Vec<SubsidyRecord> = Vec::new(),
    declared_truthful: bool = false,
    review: Option<Review> = None,
});

read_struct!(Enterprise {
    credit_code: CreditCode,
    name: String,
    registered_in_district: bool,
    pays_tax_in_district: bool,
    industry: String,
    credit_findings: Vec<CreditFinding> = Vec::new(),
    fraud_findings: Vec<FraudFinding> = Vec::new(),
});

read_struct!(CreditFinding {
    kind: CreditFindingKind,
    date: NaiveDate,
    source: String,
    resolved_on: Option<NaiveDate> = None,
});

read_struct!(FraudFinding {
    kind: FraudKind,
    determined_on: NaiveDate,
    reference: String = String::new(),
});

read_struct!(Loan {
    lender_kind: LenderKind,
    lender_name: String,
    contract_number: String,
    principal: Money,
    start_date: NaiveDate,
    maturity_date: NaiveDate,
    final_repayment_date: Option<NaiveDate> = None,
    overdue: bool = false,
    interest_paid: Money,
    verified_interest_paid: Option<Money> = None,
    pledged_rights: Vec<PledgedRight>,
});

read_struct!(SubsidyRecord {
    year: i32,
    amount: Money,
    recovered: bool = false,
    reference: String = String::new(),
});

read_struct!(Review {
    opinions: Vec<DepartmentOpinion> = Vec::new(),
    credit_report: Option<CreditReport> = None,
});

read_struct!(DepartmentOpinion {
    department: Department,
    name: String = String::new(),
    answered_on: Option<NaiveDate> = None,
    objects: bool = false,
    note: String = String::new(),
});

read_struct!(CreditReport {
    source: CreditSource,
    checked_on: NaiveDate,
    reference: String,
    public_credit_rating: String = String::new(),
});

/// The kinds of pledged right, as `kind` names them.
const RIGHT_KINDS: &[&str] = &["patent", "trademark", "copyright", "other"];

/// A pledged right, tagged by `kind` (serde's internally tagged enum). serde reads the
/// whole object before it knows the kind; so does this: a first reading checks the
/// object and finds `kind`, a second reads the members of that kind.
impl ReadJson for PledgedRight {
    fn read(r: &mut Reader<'_>) -> Result<Self, Stop> {
        const EXPECTED: &str = "internally tagged enum PledgedRight";
        match r.peek() {
            None => return Err(r.eof()),
            Some(b'{') => {}
            Some(b'[') => return Err(r.invalid_type(Found::List, EXPECTED)),
            Some(_) => return Err(r.wrong_type(EXPECTED)),
        }
        let start = r.pos;
        r.pos += 1;
        let mut kind = None;
        let mut first = true;
        while let Some(key) = r.next_key(&mut first)? {
            r.colon()?;
            if key != "kind" {
                r.skip()?;
                continue;
            }
            if kind.is_some() {
                return Err(r.refuse(None, "duplicate field `kind`"));
            }
            r.path.push(super::Step::Key(key));
            let name = r.str_value("variant identifier")?;
            kind = Some(r.variant_named(&name, RIGHT_KINDS)?);
            r.path.pop();
        }
        let Some(kind) = kind else {
            return Err(r.refuse(None, "missing field `kind`"));
        };
        let end = r.pos;
        r.pos = start;
        let buffered = std::mem::replace(&mut r.buffered, true);
        let right = match kind {
            0 => read_struct!(
                r,
                "struct variant PledgedRight::Patent",
                Some("kind"),
                PledgedRight::Patent {
                    application_number: PatentNumber,
                    patent_type: PatentType,
                    owner: String,
                }
            ),
            1 => read_struct!(
                r,
                "struct variant PledgedRight::Trademark",
                Some("kind"),
                PledgedRight::Trademark {
                    registration_number: String,
                    well_known: bool = false,
                    owner: String,
                }
            ),
            2 => read_struct!(
                r,
                "struct variant PledgedRight::Copyright",
                Some("kind"),
                PledgedRight::Copyright {
                    registration_number: String = String::new(),
                    owner: String,
                }
            ),
            _ => read_struct!(
                r,
                "struct variant PledgedRight::Other",
                Some("kind"),
                PledgedRight::Other {
                    description: String,
                    owner: String,
                }
            ),
        }?;
        r.buffered = buffered;
        debug_assert_eq!(r.pos, end);
        Ok(right)
    }
}
