//! Wrapping prose at a width without ever splitting a word: a URL, a path,
//! a reason code or a command stays on one line (a token longer than the
//! width gets a line of its own and is the only thing that may pass it).

use unicode_width::UnicodeWidthStr;

/// Display width of `s` in terminal columns.
pub fn width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

/// `text` wrapped to `width` columns: the first line starts with `first`,
/// the others with `rest` (a hanging indent). Splits only at spaces.
pub fn wrap(text: &str, width: usize, first: &str, rest: &str) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = first.to_string();
    let mut empty = true;
    for word in units(text) {
        let word = word.as_str();
        let prefix_only = empty;
        let needed = if prefix_only {
            self::width(&line) + self::width(word)
        } else {
            self::width(&line) + 1 + self::width(word)
        };
        if !prefix_only && needed > width {
            lines.push(std::mem::replace(&mut line, rest.to_string()));
            empty = true;
        } else if prefix_only
            && needed > width
            && lines.is_empty()
            && self::width(rest) < self::width(&line)
        {
            // A wide first prefix (a timeline head) leaves no room: the
            // prefix on its own line, the word under it.
            lines.push(
                std::mem::replace(&mut line, rest.to_string())
                    .trim_end()
                    .to_string(),
            );
        }
        if !empty {
            line.push(' ');
        }
        line.push_str(word);
        empty = false;
    }
    if !empty || lines.is_empty() {
        lines.push(line.trim_end().to_string());
    }
    lines
}

/// The words of `text`, a `code span` (between backticks) kept as one.
fn units(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut open = false;
    // A no-break space (French before `:` and `;`) joins its words.
    for w in text
        .split(|c: char| c.is_whitespace() && c != '\u{a0}' && c != '\u{202f}')
        .filter(|w| !w.is_empty())
    {
        if open && let Some(last) = out.last_mut() {
            last.push(' ');
            last.push_str(w);
        } else {
            out.push(w.to_string());
        }
        if w.matches('`').count() % 2 == 1 {
            open = !open;
        }
    }
    out
}

/// `s` cut to at most `width` columns, ending in `ellipsis` when cut (at a
/// word boundary whenever the text has one before the cut).
pub fn ellipsize(s: &str, width: usize, ellipsis: &str) -> String {
    if self::width(s) <= width {
        return s.to_string();
    }
    let room = width.saturating_sub(self::width(ellipsis));
    let mut out = String::new();
    for c in s.chars() {
        let mut buf = [0u8; 4];
        if self::width(&out) + self::width(c.encode_utf8(&mut buf)) > room {
            break;
        }
        out.push(c);
    }
    // End at a word boundary, so a URL, path or code is never cut short
    // (only a single word longer than the room is).
    let at_boundary = s[out.len()..].starts_with(' ');
    if !at_boundary && let Some(i) = out.rfind(' ') {
        out.truncate(i);
    }
    out.truncate(out.trim_end().len());
    out.push_str(ellipsis);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_at_spaces_with_a_hanging_indent() {
        let l = wrap("one two three four five six", 12, "- ", "  ");
        assert_eq!(l, vec!["- one two", "  three four", "  five six"]);
        assert!(l.iter().all(|l| width(l) <= 12));
    }

    #[test]
    fn never_splits_a_long_word() {
        let url = "https://autodiscover.fabrikam.com/autodiscover/autodiscover.xml";
        let l = wrap(&format!("see {url} now"), 30, "", "    ");
        assert_eq!(
            l,
            vec!["see".to_string(), format!("    {url}"), "    now".into()]
        );
    }

    #[test]
    fn never_splits_a_code_span() {
        let l = wrap("run `Set-X -A $true` then go", 14, "", "");
        assert_eq!(l, vec!["run", "`Set-X -A $true`", "then go"]);
    }

    #[test]
    fn a_wide_prefix_gets_a_line_of_its_own() {
        let l = wrap("autodiscover", 20, "  2026-11-23 ews-failure ", "    ");
        assert_eq!(l, vec!["  2026-11-23 ews-failure", "    autodiscover"]);
    }

    #[test]
    fn empty_text_keeps_its_prefix() {
        assert_eq!(wrap("", 10, "x:", ""), vec!["x:"]);
    }

    #[test]
    fn ellipsis_fits_the_width() {
        let s = ellipsize("alpha beta gamma delta epsilon", 20, "...");
        assert!(width(&s) <= 20, "{s}");
        assert!(s.ends_with("..."));
        assert_eq!(ellipsize("short", 20, "..."), "short");
    }
}
