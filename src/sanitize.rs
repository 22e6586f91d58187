//! Text that came from a user's folder (file names, log lines, pasted
//! server output) can hold control, escape and bidi characters. Before it
//! reaches a terminal or a Markdown ticket it is escaped, visibly, as fd's
//! `sanitize` does; JSON keeps the raw text (serde escapes it).

use std::borrow::Cow;

fn needs_escape(c: char) -> bool {
    c.is_control()
        || matches!(c,
            '\u{200B}'..='\u{200F}' | '\u{061C}' | '\u{2060}'..='\u{2064}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2066}'..='\u{2069}'
            | '\u{2028}' | '\u{2029}' | '\u{FEFF}')
}

/// Escape control, escape and bidi characters as `\x1b`, `\u{202e}` and so on.
pub fn terminal_safe(s: &str) -> Cow<'_, str> {
    if !s.chars().any(needs_escape) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if needs_escape(c) {
            match c {
                '\t' => out.push_str("\\t"),
                '\n' => out.push_str("\\n"),
                '\r' => out.push_str("\\r"),
                c if (c as u32) < 0x100 => out.push_str(&format!("\\x{:02x}", c as u32)),
                c => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            }
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Serialized JSON with bidi controls, zero-width marks and the Unicode line
/// separators written as `\uXXXX` escapes: serde_json leaves them raw (they
/// are valid in JSON strings), but a terminal or viewer showing the JSON
/// would obey them. The text decodes to the same values.
pub fn json_safe(json: String) -> String {
    if !json.chars().any(|c| c != '\n' && needs_escape(c)) {
        return json;
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if c != '\n' && needs_escape(c) {
            out.push_str(&format!("\\u{:04x}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

/// Like [`terminal_safe`] and also escapes what Markdown would interpret in
/// a table cell or inline text.
pub fn markdown_safe(s: &str) -> String {
    let t = terminal_safe(s);
    let mut out = String::with_capacity(t.len() + 8);
    for c in t.chars() {
        if matches!(
            c,
            '|' | '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_controls_and_bidi() {
        assert_eq!(terminal_safe("a\x1b[31mb"), "a\\x1b[31mb");
        assert_eq!(terminal_safe("x\u{202e}y"), "x\\u{202e}y");
        assert_eq!(terminal_safe("plain"), "plain");
        assert_eq!(terminal_safe("\u{9b}"), "\\x9b");
        assert_eq!(terminal_safe("a\u{200b}b"), "a\\u{200b}b");
    }

    #[test]
    fn json_escapes_bidi_and_stays_json() {
        let raw = serde_json::to_string(&"a\u{202e}b\u{2028}c").unwrap();
        let safe = json_safe(raw);
        assert_eq!(safe, r#""a\u202eb\u2028c""#);
        let back: String = serde_json::from_str(&safe).unwrap();
        assert_eq!(back, "a\u{202e}b\u{2028}c");
    }

    #[test]
    fn markdown_escapes_table_syntax() {
        assert_eq!(markdown_safe("a|b"), "a\\|b");
        assert_eq!(markdown_safe("sip_x\x07"), r"sip\_x\\x07");
    }
}
