//! Escaping for HTML and XML text and attribute values.

/// Escapes text for HTML content or a quoted attribute.
pub fn html(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 16);
    // Copies the runs between special characters whole (they are ASCII, so byte
    // positions are character boundaries): most text has none and is one copy.
    let mut from = 0;
    for (i, b) in s.bytes().enumerate() {
        let entity = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        out.push_str(&s[from..i]);
        out.push_str(entity);
        from = i + 1;
    }
    out.push_str(&s[from..]);
    out
}

/// Escapes text for XML, dropping characters XML 1.0 cannot carry at all.
pub fn xml(s: &str) -> String {
    let clean: String = s
        .chars()
        .filter(|&c| {
            matches!(c, '\t' | '\n' | '\r') || (c >= ' ' && c != '\u{FFFE}' && c != '\u{FFFF}')
        })
        .collect();
    html(&clean).replace("&#39;", "&apos;")
}

#[cfg(test)]
mod tests {
    #[test]
    fn escapes_markup_and_drops_xml_illegal_characters() {
        assert_eq!(
            super::html("<a href=\"x\">&'"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
        assert_eq!(super::xml("a\u{0}b\u{1b}c'"), "abc&apos;");
        assert_eq!(super::html("门头沟"), "门头沟");
        assert_eq!(
            super::html("<门>头&沟\"'区"),
            "&lt;门&gt;头&amp;沟&quot;&#39;区"
        );
    }
}
