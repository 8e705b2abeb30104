//! Escaping for HTML and XML text and attribute values.

/// Escapes text for HTML content or a quoted attribute.
pub fn html(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
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
    }
}
