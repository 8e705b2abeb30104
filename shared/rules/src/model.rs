//! What an application is made of: the enterprise, its loans and pledged rights, its
//! subsidy history, and the round it applies in. All input types reject unknown fields;
//! money is a decimal string, dates ISO 8601 (`2026-03-31`), moments RFC 3339 with offset.

use crate::money::Money;
use crate::params::Industry;
use crate::patent::{PatentNumber, PatentType};
use crate::uscc::CreditCode;
use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};

/// SCOPE-ENT, PROC-CREDIT, FRAUD: the applicant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Enterprise {
    /// 统一社会信用代码 (GB 32100-2015), check character verified.
    pub credit_code: CreditCode,
    pub name: String,
    /// Lawfully registered (依法登记注册) in Mentougou District.
    pub registered_in_district: bool,
    /// Pays its tax (纳税) in Mentougou District.
    pub pays_tax_in_district: bool,
    /// Industry code: one of the key industries' codes, or any other code (e.g. `other`).
    pub industry: String,
    /// PROC-CREDIT: findings from Credit China / Credit China (Beijing) and the departments.
    #[serde(default)]
    pub credit_findings: Vec<CreditFinding>,
    /// FRAUD: determinations of fraud, deception or IP infringement.
    #[serde(default)]
    pub fraud_findings: Vec<FraudFinding>,
}

/// PROC-CREDIT: a dated finding about the enterprise.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreditFinding {
    pub kind: CreditFindingKind,
    pub date: NaiveDate,
    /// Where it was found, e.g. `信用中国（北京）` or a department.
    pub source: String,
    /// Credit repair (信用修复): from this date the record no longer counts.
    #[serde(default)]
    pub resolved_on: Option<NaiveDate>,
}

/// PROC-CREDIT: the four grounds for refusal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CreditFindingKind {
    /// 安全生产领域较大及以上责任事故
    MajorWorkSafetyAccident,
    /// 环境保护领域较大及以上责任事故
    MajorEnvironmentalAccident,
    /// 劳动关系领域未履行社会责任
    LabourRelationsFailure,
    /// 未依法纳税
    TaxNonCompliance,
    /// 信用信息严重不良纪录
    SeriousBadCreditRecord,
}

impl CreditFindingKind {
    pub fn zh(self) -> &'static str {
        match self {
            Self::MajorWorkSafetyAccident => "安全生产领域发生较大及以上责任事故",
            Self::MajorEnvironmentalAccident => "环境保护领域发生较大及以上责任事故",
            Self::LabourRelationsFailure => "劳动关系领域未履行社会责任",
            Self::TaxNonCompliance => "未依法纳税",
            Self::SeriousBadCreditRecord => "存在信用信息严重不良纪录",
        }
    }
    pub fn en(self) -> &'static str {
        match self {
            Self::MajorWorkSafetyAccident => "a relatively major or worse work-safety accident",
            Self::MajorEnvironmentalAccident => {
                "a relatively major or worse environmental accident"
            }
            Self::LabourRelationsFailure => {
                "failed its social responsibilities in labour relations"
            }
            Self::TaxNonCompliance => "did not pay tax lawfully",
            Self::SeriousBadCreditRecord => "a seriously bad credit record",
        }
    }
}

/// FRAUD: a determination, dated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FraudFinding {
    pub kind: FraudKind,
    /// Reading 8: the ban runs three years from this date.
    pub determined_on: NaiveDate,
    #[serde(default)]
    pub reference: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FraudKind {
    /// 弄虚作假
    FalseDocuments,
    /// 骗取补助
    ObtainedByDeception,
    /// 知识产权侵权
    IpInfringement,
}

/// SCOPE-IP, SCOPE-OWN, SUB-KEY: a right pledged for a loan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum PledgedRight {
    Patent {
        /// e.g. `202310123456.7`; the type digit must agree with `patent_type`.
        application_number: PatentNumber,
        patent_type: PatentType,
        /// The holder as registered (SCOPE-OWN).
        owner: String,
    },
    Trademark {
        registration_number: String,
        /// 驰名商标 (SUB-KEY).
        #[serde(default)]
        well_known: bool,
        owner: String,
    },
    /// Outside the measures (SCOPE-IP); accepted so the decision can say so.
    Copyright {
        #[serde(default)]
        registration_number: String,
        owner: String,
    },
    /// Outside the measures (SCOPE-IP).
    Other { description: String, owner: String },
}

impl PledgedRight {
    pub fn owner(&self) -> &str {
        match self {
            PledgedRight::Patent { owner, .. }
            | PledgedRight::Trademark { owner, .. }
            | PledgedRight::Copyright { owner, .. }
            | PledgedRight::Other { owner, .. } => owner,
        }
    }

    /// SCOPE-IP: patents and trademarks only.
    pub fn in_scope(&self) -> bool {
        matches!(
            self,
            PledgedRight::Patent { .. } | PledgedRight::Trademark { .. }
        )
    }

    /// A short label for reasons, e.g. `发明专利 202310123456.7`.
    pub fn label_zh(&self) -> String {
        match self {
            PledgedRight::Patent {
                application_number,
                patent_type,
                ..
            } => format!("{} {}", patent_type.zh(), application_number),
            PledgedRight::Trademark {
                registration_number,
                well_known,
                ..
            } => format!(
                "{}商标 第{}号",
                if *well_known { "驰名" } else { "" },
                registration_number
            ),
            PledgedRight::Copyright {
                registration_number,
                ..
            } => format!("著作权 {registration_number}"),
            PledgedRight::Other { description, .. } => format!("其他权利 {description}"),
        }
    }

    pub fn label_en(&self) -> String {
        match self {
            PledgedRight::Patent {
                application_number,
                patent_type,
                ..
            } => format!("{} {}", patent_type.en(), application_number),
            PledgedRight::Trademark {
                registration_number,
                well_known,
                ..
            } => format!(
                "{}trademark No. {}",
                if *well_known { "well-known " } else { "" },
                registration_number
            ),
            PledgedRight::Copyright {
                registration_number,
                ..
            } => format!("copyright {registration_number}"),
            PledgedRight::Other { description, .. } => format!("other right {description}"),
        }
    }
}

/// SUB-LOAN: who lent the money.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LenderKind {
    /// A bank (银行), including policy, commercial, rural and village banks.
    Bank,
    /// 小额贷款公司
    MicrocreditCompany,
    /// 融资租赁公司
    FinancialLeasing,
    /// 融资担保公司 / 典当行 and any other non-bank lender.
    OtherNonBank,
}

/// SUB-LOAN, SUB-REPAID, SUB-BASE: one loan obtained with a pledge.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Loan {
    pub lender_kind: LenderKind,
    pub lender_name: String,
    pub contract_number: String,
    pub principal: Money,
    pub start_date: NaiveDate,
    /// Contractual maturity (合同到期日).
    pub maturity_date: NaiveDate,
    /// The day the last instalment was paid; absent while not fully repaid.
    #[serde(default)]
    pub final_repayment_date: Option<NaiveDate>,
    /// Anything overdue during the loan's life (逾期).
    #[serde(default)]
    pub overdue: bool,
    /// SUB-BASE: interest actually paid, as declared; penalty interest and fees excluded.
    pub interest_paid: Money,
    /// SUB-BASE: the interest as verified by officers against the bank statements; when
    /// present it replaces the declared figure.
    #[serde(default)]
    pub verified_interest_paid: Option<Money>,
    pub pledged_rights: Vec<PledgedRight>,
}

impl Loan {
    /// SUB-LOAN: the loan's identity — its lender and contract number as
    /// [`crate::text::identity`] reads them — by which it is counted once.
    pub fn key(&self) -> String {
        format!(
            "{}|{}",
            crate::text::identity(&self.lender_name),
            crate::text::identity(&self.contract_number)
        )
    }
}

/// CAP-YEAR, CAP-TIMES, FRAUD: a subsidy the enterprise received in an earlier round (or
/// earlier in this round's year).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SubsidyRecord {
    /// The round's year (申报年度).
    pub year: i32,
    pub amount: Money,
    /// Recovered under FRAUD: still counts as a time (reading 4).
    #[serde(default)]
    pub recovered: bool,
    #[serde(default)]
    pub reference: String,
}

/// PROC-REVIEW: the departments of QA 4 whose opinions are sought.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Department {
    MarketSupervision,
    HumanResourcesSocialSecurity,
    EmergencyManagement,
    FireRescue,
    EcologyEnvironment,
    ScienceInformation,
    Tax,
    UrbanManagement,
    ZgcMentougouPark,
    TownStreet,
    IndustryAuthority,
    /// Any other department consulted, named in the opinion (`name`).
    Other,
}

impl Department {
    pub const ALL: [Department; 11] = [
        Department::MarketSupervision,
        Department::HumanResourcesSocialSecurity,
        Department::EmergencyManagement,
        Department::FireRescue,
        Department::EcologyEnvironment,
        Department::ScienceInformation,
        Department::Tax,
        Department::UrbanManagement,
        Department::ZgcMentougouPark,
        Department::TownStreet,
        Department::IndustryAuthority,
    ];
    pub fn zh(self) -> &'static str {
        match self {
            Self::MarketSupervision => "区市场监管局",
            Self::HumanResourcesSocialSecurity => "区人力社保局",
            Self::EmergencyManagement => "区应急局",
            Self::FireRescue => "区消防救援支队",
            Self::EcologyEnvironment => "区生态环境局",
            Self::ScienceInformation => "区科信局",
            Self::Tax => "区税务局",
            Self::UrbanManagement => "区城管执法局",
            Self::ZgcMentougouPark => "中关村门头沟园管委会",
            Self::TownStreet => "镇街",
            Self::IndustryAuthority => "行业主管部门",
            Self::Other => "其他部门",
        }
    }
    pub fn en(self) -> &'static str {
        match self {
            Self::MarketSupervision => "District Market Supervision Bureau",
            Self::HumanResourcesSocialSecurity => {
                "District Human Resources and Social Security Bureau"
            }
            Self::EmergencyManagement => "District Emergency Management Bureau",
            Self::FireRescue => "District Fire and Rescue Detachment",
            Self::EcologyEnvironment => "District Ecology and Environment Bureau",
            Self::ScienceInformation => "District Science and Information Bureau",
            Self::Tax => "District Tax Bureau",
            Self::UrbanManagement => "District Urban Management Bureau",
            Self::ZgcMentougouPark => "Zhongguancun Mentougou Park Committee",
            Self::TownStreet => "Town or street office",
            Self::IndustryAuthority => "Industry authority",
            Self::Other => "Other department",
        }
    }
}

/// PROC-REVIEW: one department asked for its opinion, and its answer once given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DepartmentOpinion {
    pub department: Department,
    /// The department's name when it is [`Department::Other`].
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// The day it answered; absent while the answer is awaited.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answered_on: Option<NaiveDate>,
    /// The department objects to subsidising this applicant (an answer).
    #[serde(default)]
    pub objects: bool,
    #[serde(default)]
    pub note: String,
}

impl DepartmentOpinion {
    /// The department as the decision names it.
    pub fn label_zh(&self) -> String {
        match self.department {
            Department::Other => self.name.clone(),
            d => d.zh().to_owned(),
        }
    }

    pub fn label_en(&self) -> String {
        match self.department {
            Department::Other => self.name.clone(),
            d => d.en().to_owned(),
        }
    }
}

/// PROC-CREDIT: where the credit record was checked (QA 3(1)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CreditSource {
    /// 信用中国
    CreditChina,
    /// 信用中国（北京）
    CreditChinaBeijing,
}

impl CreditSource {
    pub fn zh(self) -> &'static str {
        match self {
            Self::CreditChina => "信用中国",
            Self::CreditChinaBeijing => "信用中国（北京）",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            Self::CreditChina => "Credit China",
            Self::CreditChinaBeijing => "Credit China (Beijing)",
        }
    }
}

/// PROC-CREDIT: the credit report the review relied on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreditReport {
    pub source: CreditSource,
    /// The day the report was obtained.
    pub checked_on: NaiveDate,
    /// The report's number or reference.
    pub reference: String,
    /// 公共信用综合评价结果, as the report states it (e.g. `A`).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub public_credit_rating: String,
}

/// PROC-REVIEW: the review record, once officers have reviewed the application. It is
/// final when every department asked has answered and the credit report is recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Review {
    /// The departments asked (QA 4's list, or another by name) and their answers.
    #[serde(default)]
    pub opinions: Vec<DepartmentOpinion>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credit_report: Option<CreditReport>,
}

impl Review {
    /// What the review still lacks to be final, in Chinese and English (empty when final).
    pub fn missing(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        if self.opinions.is_empty() {
            out.push((
                "未征求任何部门意见".to_owned(),
                "no department was asked".to_owned(),
            ));
        }
        for o in self.opinions.iter().filter(|o| o.answered_on.is_none()) {
            out.push((
                format!("{}的意见", o.label_zh()),
                format!("the opinion of the {}", o.label_en()),
            ));
        }
        if self.credit_report.is_none() {
            out.push((
                "信用中国（北京）信用报告".to_owned(),
                "the Credit China (Beijing) report".to_owned(),
            ));
        }
        out
    }

    /// Every department asked has answered and the credit report is recorded.
    pub fn is_final(&self) -> bool {
        self.missing().is_empty()
    }
}

/// The application as the enterprise makes it (plus, after review, the review record).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Application {
    pub enterprise: Enterprise,
    pub loans: Vec<Loan>,
    /// Earlier subsidies (CAP-YEAR, CAP-TIMES).
    #[serde(default)]
    pub history: Vec<SubsidyRecord>,
    /// TRUTH: the applicant declares its documents true and valid.
    #[serde(default)]
    pub declared_truthful: bool,
    /// PROC-REVIEW: absent until officers review; the decision is provisional until then.
    #[serde(default)]
    pub review: Option<Review>,
}

/// PROC-GUIDE: the year's round as its application guide sets it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Round {
    /// The round's year (申报年度): the year of CAP-YEAR (reading 3).
    pub year: i32,
    pub window: Window,
    /// Reading 9: loans whose final repayment falls in this period (inclusive).
    pub covered_period: Period,
    /// BUDGET.
    pub budget: Money,
    /// The guide's reference (申报指南文号).
    #[serde(default)]
    pub guide_reference: String,
    /// SUB-KEY "等": key industries this year's guide adds.
    #[serde(default)]
    pub extra_key_industries: Vec<Industry>,
    /// PROC-GUIDE: the guide itself and the district government's approval of it (a round
    /// opens for applications only with it recorded; older rounds may lack it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub guide: Option<Guide>,
}

/// PROC-GUIDE: 申报指南…报政府审议通过后实施 — the year's guide as published, approved by
/// the district government.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Guide {
    /// Its title (e.g. 2026年度门头沟区知识产权质押融资贴息申报指南).
    pub title: String,
    /// Where the published guide is read, when online (http or https).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// 申报材料清单: what an application brings, in the guide's order.
    pub materials: Vec<String>,
    /// The district government's approval of the guide.
    pub approval: GovernmentApproval,
}

/// A decision of the district government (会议审议), by date and reference.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GovernmentApproval {
    pub approved_on: NaiveDate,
    /// The meeting's minutes or the reply's number (会议纪要、批复文号).
    pub reference: String,
}

/// PROC-GUIDE, PROC-LATE: the application window, both ends inclusive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Window {
    pub opens_at: DateTime<FixedOffset>,
    pub closes_at: DateTime<FixedOffset>,
}

/// A span of dates, both ends inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Period {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl Period {
    pub fn contains(&self, d: NaiveDate) -> bool {
        self.from <= d && d <= self.to
    }
}

/// A pre-check: the application, the moment it is assessed, and (when known) the round.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PrecheckRequest {
    /// The submission moment, with its offset: PROC-LATE, VALID, and whether each loan was
    /// repaid when the application was made (SUB-REPAID).
    pub as_of: DateTime<FixedOffset>,
    /// The assessment moment (the review): PROC-CREDIT and FRAUD are judged on the record
    /// as it stands then — a finding made, or a credit repaired, after the submission
    /// counts. Absent, the submission moment; never before it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assessed_at: Option<DateTime<FixedOffset>>,
    /// Without a round, the window and the covered period are not checked and CAP-YEAR
    /// uses the year of `as_of`.
    #[serde(default)]
    pub round: Option<Round>,
    pub application: Application,
}
