// @generated from data/parameters.json by
// `cargo test -p mentougou-rules --lib params -- --ignored`; do not edit.

/// The shipped defaults (checked against the file by `shipped_defaults_are_the_file`).
fn shipped() -> Parameters {
    let date = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).expect("a shipped date");
    let rate = |d| Rate::new(d).expect("a shipped rate");
    Parameters {
        measures: Measures {
            title_zh: String::from("门头沟区知识产权质押融资发展促进管理办法（试行）"),
            title_en: String::from("Mentougou District IP Pledge Financing Development Promotion Measures (trial)"),
            publication_date: date(2025, 1, 1),
            validity_years: 3,
        },
        rates: Rates {
            base: rate(rust_decimal::Decimal::from_i128_with_scale(50, 2)),
            key: rate(rust_decimal::Decimal::from_i128_with_scale(60, 2)),
        },
        caps: Caps {
            per_enterprise_per_year: Money::from_fen(30000000),
            max_times: 3,
        },
        key_industries: vec![
            Industry {
                code: String::from("artificial_intelligence"),
                zh: String::from("人工智能"),
                en: String::from("Artificial intelligence"),
            },
            Industry {
                code: String::from("uhd_audio_visual"),
                zh: String::from("超高清数字视听"),
                en: String::from("Ultra-high-definition digital audio-visual"),
            },
            Industry {
                code: String::from("cardiovascular_devices"),
                zh: String::from("心血管领域医疗器械"),
                en: String::from("Cardiovascular medical devices"),
            },
            Industry {
                code: String::from("culture_tourism"),
                zh: String::from("文旅"),
                en: String::from("Culture and tourism"),
            },
        ],
        notice_working_days: 5,
        fraud_ban_years: 3,
        readings: Readings {
            key_rate: KeyRateReading::KeyIndustryPatentOrAnyWellKnownTrademark,
            ceiling: CeilingReading::CeilingUnlessBudget,
            cap_year_basis: CapYearBasis::RoundYear,
            times: TimesReading::RoundsWithAnySubsidyIncludingRecovered,
            budget: BudgetReading::Proportional,
            rounding: RoundingReading::DownToFen,
            notice_day_one: NoticeDayOne::PublicationDayIfWorking,
            ban: BanReading::SameCalendarDate,
            covered_loans: CoveredLoans::FinalRepaymentInRoundPeriod,
            validity: ValidityReading::RoundsInsideValidity,
            credit_window: CreditWindow::FromCoveredPeriodStart,
        },
    }
}
