//! The validators of hostile text: the unified social credit code (GB 32100-2015), the
//! patent application number, amounts of money, and amounts in capitals (大写金额).
//! Every input is given to each of them; none may panic, and what one accepts must come
//! back unchanged through its canonical form.

#![no_main]

use std::str::FromStr;

use libfuzzer_sys::fuzz_target;
use rules::money::Money;
use rules::numerals::amount_in_capitals;
use rules::patent::PatentNumber;
use rules::uscc::CreditCode;
use rust_decimal::Decimal;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    credit_code(text);
    patent_number(text);
    money(text);
    capitals(text);
});

fn credit_code(text: &str) {
    if let Ok(code) = CreditCode::parse(text) {
        let s = code.as_str();
        assert_eq!(s.len(), 18, "{s}");
        assert!(
            s.bytes()
                .all(|b| b.is_ascii_digit() || b.is_ascii_uppercase()),
            "{s}"
        );
        assert!(
            code.division_code().bytes().all(|b| b.is_ascii_digit()),
            "{s}"
        );
        assert_eq!(code.organisation_code().len(), 9);
        // Canonical: it re-validates to itself, and its first 17 characters imply its
        // check character.
        assert_eq!(CreditCode::parse(s).as_ref(), Ok(&code));
        assert_eq!(CreditCode::with_check_char(&s[..17]).as_ref(), Ok(&code));
        let json = serde_json::to_string(&code).expect("serialises");
        assert_eq!(
            serde_json::from_str::<CreditCode>(&json).ok().as_ref(),
            Some(&code)
        );
        let class = code.registration_class();
        let _ = (
            class.zh(),
            class.en(),
            class.is_enterprise(),
            code.is_mentougou(),
        );
    }
    if let Ok(code) = CreditCode::with_check_char(text) {
        assert_eq!(CreditCode::parse(code.as_str()).as_ref(), Ok(&code));
        assert!(code.as_str().starts_with(&text.trim().to_ascii_uppercase()));
    }
}

fn patent_number(text: &str) {
    let Ok(number) = PatentNumber::parse(text) else {
        return;
    };
    let s = number.as_str();
    // `202310123456.7` or `98123456.X`: digits, one dot, the check character.
    let (digits, check) = s.split_once('.').expect("canonical form has a dot");
    assert!(matches!(digits.len(), 8 | 12), "{s}");
    assert!(digits.bytes().all(|b| b.is_ascii_digit()), "{s}");
    assert!(matches!(check.as_bytes(), [b'0'..=b'9' | b'X']), "{s}");
    assert_eq!(PatentNumber::parse(s).as_ref(), Ok(&number));
    let year = number.application_year();
    assert!((1985..=9999).contains(&year), "{s}: {year}");
    assert!(number.check_declared_type(number.patent_type()).is_ok());
    let json = serde_json::to_string(&number).expect("serialises");
    assert_eq!(
        serde_json::from_str::<PatentNumber>(&json).ok().as_ref(),
        Some(&number)
    );
}

fn money(text: &str) {
    let Ok(m) = Money::parse(text) else {
        return;
    };
    let shown = m.to_string();
    // Always two places, and it reads back as itself, in fen too.
    assert!(
        matches!(shown.split_once('.'), Some((_, fen)) if fen.len() == 2),
        "{shown}"
    );
    assert_eq!(Money::parse(&shown), Ok(m), "{shown}");
    assert_eq!(Money::from_fen(m.fen()), m);
    let json = serde_json::to_string(&m).expect("serialises");
    assert_eq!(serde_json::from_str::<Money>(&json).ok(), Some(m), "{json}");
    // Every amount the system accepts can be written in capitals.
    let capitals = amount_in_capitals(m.decimal()).expect("an accepted amount has capitals");
    assert_eq!(
        capitals.ends_with('整'),
        m.fen() % 100 == 0,
        "{shown} → {capitals}"
    );
}

fn capitals(text: &str) {
    let Ok(amount) = Decimal::from_str(text.trim()) else {
        return;
    };
    if let Ok(capitals) = amount_in_capitals(amount) {
        assert!(!capitals.is_empty());
        assert!(!capitals.contains("零零"), "{amount} → {capitals}");
        assert!(
            capitals == "零元整" || !capitals.starts_with('零'),
            "{amount} → {capitals}"
        );
    }
}
