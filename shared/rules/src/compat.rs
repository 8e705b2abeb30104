//! Compatibility forms of Latin letters, digits and Chinese characters, folded to what
//! they stand for (Unicode NFKC, as far as a written reference's identity needs it:
//! SUB-LOAN, one loan counted once however its number is written).
//!
//! `①`, `Ⓙ`, `𝐉`, `ＪＫ`, `²`, `Ⅻ`, `ﬁ` and the compatibility ideograph `北` (U+F963) are
//! read as `1`, `J`, `J`, `JK`, `2`, `XII`, `fi` and `北`. A form whose NFKC is neither
//! ASCII nor a CJK ideograph (Arabic presentation forms, say) is left as written: no
//! contract number or Chinese lender's name is written with them, and the table stays
//! small (it is in every component that reads loans). `compat_table.rs` is generated from
//! the `unicode-normalization` crate and kept current by the tests below.

use crate::compat_table::{MULTI, RUNS, SINGLE_BMP, SINGLE_WIDE};

/// What `c` stands for (its letters and digits only), when it is a compatibility form;
/// `None` when it stands for itself.
pub fn fold(c: char) -> Option<Folded> {
    let cp = c as u32;
    if let Ok(cp16) = u16::try_from(cp)
        && let Ok(i) = SINGLE_BMP.binary_search_by_key(&cp16, |&(from, _)| from)
    {
        return char::from_u32(u32::from(SINGLE_BMP[i].1)).map(Folded::One);
    }
    if let Ok(i) = SINGLE_WIDE.binary_search_by_key(&cp, |&(from, _)| from) {
        return char::from_u32(SINGLE_WIDE[i].1).map(Folded::One);
    }
    let run = RUNS.partition_point(|&(start, _, _)| start <= cp);
    if let Some(&(start, len, to)) = run.checked_sub(1).map(|i| &RUNS[i])
        && cp < start + u32::from(len)
    {
        return char::from_u32(to + (cp - start)).map(Folded::One);
    }
    MULTI
        .binary_search_by_key(&cp, |&(from, _)| from)
        .ok()
        .map(|i| Folded::Many(MULTI[i].1))
}

/// A folded character: one character or several (`ﬁ` → `fi`, `⑩` → `10`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Folded {
    One(char),
    Many(&'static str),
}

#[cfg(test)]
mod tests {
    use super::{Folded, fold};
    use unicode_normalization::UnicodeNormalization;

    /// What NFKC makes of `c`, its letters and digits only, when that differs from `c`'s
    /// own and is ASCII or CJK ideographs: the table's definition.
    fn expected(c: char) -> Option<String> {
        let own: String = Some(c)
            .filter(|c| c.is_alphanumeric())
            .into_iter()
            .collect();
        let nfkc: String = c
            .to_string()
            .nfkc()
            .filter(|c| c.is_alphanumeric())
            .collect();
        let plain = |c: char| c.is_ascii() || is_ideograph(c);
        (nfkc != own && !nfkc.is_empty() && nfkc.chars().all(plain)).then_some(nfkc)
    }

    fn is_ideograph(c: char) -> bool {
        matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0x20000..=0x3FFFF)
    }

    fn all_chars() -> impl Iterator<Item = char> {
        (0..=0x10FFFF).filter_map(char::from_u32)
    }

    /// SUB-LOAN: the table folds exactly what NFKC folds (within its scope), for every
    /// character there is.
    #[test]
    fn sub_loan_the_table_is_nfkc_for_every_character() {
        for c in all_chars() {
            let got = fold(c).map(|f| match f {
                Folded::One(one) => one.to_string(),
                Folded::Many(many) => many.to_owned(),
            });
            assert_eq!(got, expected(c), "U+{:04X} {c}", c as u32);
        }
    }

    /// Writes `compat_table.rs` from the `unicode-normalization` crate (after updating it):
    /// `cargo test -p mentougou-rules --lib compat -- --ignored`.
    #[test]
    #[ignore = "regenerates src/compat_table.rs"]
    fn regenerate_the_table() {
        let folded: Vec<(u32, String)> = all_chars()
            .filter_map(|c| expected(c).map(|e| (c as u32, e)))
            .collect();
        let (mut runs, mut bmp, mut wide, mut multi) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        let mut i = 0;
        while i < folded.len() {
            let (cp, ref to) = folded[i];
            let mut chars = to.chars();
            let (Some(first), None) = (chars.next(), chars.next()) else {
                multi.push(format!("    (0x{cp:X}, {to:?}),"));
                i += 1;
                continue;
            };
            let mut len = 1;
            while let Some((next, next_to)) = folded.get(i + len) {
                let mut n = next_to.chars();
                let follows = *next == cp + len as u32
                    && matches!((n.next(), n.next()), (Some(c), None) if c as u32 == first as u32 + len as u32);
                if !follows {
                    break;
                }
                len += 1;
            }
            if len >= 3 {
                runs.push(format!("    (0x{cp:X}, {len}, 0x{:X}),", first as u32));
                i += len;
                continue;
            }
            if cp <= 0xFFFF && first as u32 <= 0xFFFF {
                bmp.push(format!("    (0x{cp:X}, 0x{:X}),", first as u32));
            } else {
                wide.push(format!("    (0x{cp:X}, 0x{:X}),", first as u32));
            }
            i += 1;
        }
        let table = |name: &str, ty: &str, rows: &[String]| {
            format!("pub static {name}: &[{ty}] = &[\n{}\n];\n", rows.join("\n"))
        };
        let text = format!(
            "//! @generated by `compat::tests::regenerate_the_table` from the unicode-normalization\n\
             //! crate: compatibility forms and what they stand for (see `compat`). Do not edit.\n\n\
             /// Runs: `len` characters from `start` standing for `len` characters from `to`.\n{}\n\
             /// Single characters of the Basic Multilingual Plane.\n{}\n\
             /// Single characters beyond it.\n{}\n\
             /// Characters standing for several.\n{}",
            table("RUNS", "(u32, u16, u32)", &runs),
            table("SINGLE_BMP", "(u16, u16)", &bmp),
            table("SINGLE_WIDE", "(u32, u32)", &wide),
            table("MULTI", "(u32, &str)", &multi),
        );
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/src/compat_table.rs");
        std::fs::write(path, text).unwrap();
    }
}
