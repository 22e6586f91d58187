//! Element-aware reading of the two auto-archiving values.
//!
//! Public material (a support article quoting the UCCAPI log, the Lync SDK
//! docs; see `docs/rules.md`) shows the same
//! element written several ways:
//! `<property name="EnableContextualMessages" >False</property>` (a space
//! before `>`, PowerShell-style `False`), an
//! `xmlns` attribute after `name`, namespace prefixes such as
//! `<oo:imAutoArchiving>`, and values on the next, unprefixed line. So the
//! element is matched, not one byte layout: any attribute order, extra
//! attributes, prefixes, whitespace, and a value that starts on the next
//! line. This runs only on lines the literal prefilter selected.

/// What to look for.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Element<'a> {
    /// `<[p:]property ... name="NAME" ...>VALUE</...>`.
    Property(&'a str),
    /// `<[p:]NAME ...>VALUE</...>`.
    Named(&'a str),
}

/// A start tag: its local name and attributes, and where its content starts.
struct Tag<'h> {
    local: &'h [u8],
    attrs: &'h [u8],
    content: usize,
}

/// The start tag at `lt` (which holds `<`), if it is one (not an end tag,
/// comment, declaration or an empty element).
fn start_tag(hay: &[u8], lt: usize) -> Option<Tag<'_>> {
    let rest = hay.get(lt + 1..)?;
    let name_len = rest
        .iter()
        .position(|b| b.is_ascii_whitespace() || matches!(b, b'>' | b'/'))
        .unwrap_or(rest.len());
    let name = rest.get(..name_len)?;
    if name.is_empty() || matches!(name.first(), Some(b'/' | b'!' | b'?')) {
        return None;
    }
    let local = match memchr::memrchr(b':', name) {
        Some(i) => name.get(i + 1..)?,
        None => name,
    };
    // The tag ends at the first `>` outside quotes.
    let mut quote = None;
    let mut end = None;
    for (i, &b) in rest.iter().enumerate().skip(name_len) {
        match (quote, b) {
            (Some(q), _) if b == q => quote = None,
            (Some(_), _) => {}
            (None, b'"' | b'\'') => quote = Some(b),
            (None, b'>') => {
                end = Some(i);
                break;
            }
            _ => {}
        }
    }
    let end = end?;
    let attrs = rest.get(name_len..end)?;
    if attrs.trim_ascii_end().ends_with(b"/") {
        return None;
    }
    Some(Tag {
        local,
        attrs,
        content: lt + 1 + end + 1,
    })
}

/// The value of the attribute whose local name is `want` (any prefix).
fn attr<'h>(attrs: &'h [u8], want: &str) -> Option<&'h [u8]> {
    let mut i = 0;
    while i < attrs.len() {
        let rest = attrs.get(i..)?;
        let skip = rest.iter().take_while(|b| b.is_ascii_whitespace()).count();
        let rest = rest.get(skip..)?;
        let name_len = rest
            .iter()
            .position(|b| b.is_ascii_whitespace() || *b == b'=')
            .unwrap_or(rest.len());
        let name = rest.get(..name_len)?;
        let after = rest.get(name_len..)?;
        let ws = after.iter().take_while(|b| b.is_ascii_whitespace()).count();
        let after = after.get(ws..)?;
        let local = match memchr::memrchr(b':', name) {
            Some(p) => name.get(p + 1..)?,
            None => name,
        };
        let Some(after_eq) = after.strip_prefix(b"=") else {
            // A bare word: skip it.
            i += skip + name_len.max(1) + ws;
            continue;
        };
        let ws2 = after_eq
            .iter()
            .take_while(|b| b.is_ascii_whitespace())
            .count();
        let val = after_eq.get(ws2..)?;
        let (value, used) = match val.first() {
            Some(&q @ (b'"' | b'\'')) => {
                let close = memchr::memchr(q, val.get(1..)?)?;
                (val.get(1..1 + close)?, close + 2)
            }
            _ => {
                let n = val
                    .iter()
                    .position(u8::is_ascii_whitespace)
                    .unwrap_or(val.len());
                (val.get(..n)?, n)
            }
        };
        if local.eq_ignore_ascii_case(want.as_bytes()) {
            return Some(value);
        }
        i += skip + name_len + ws + 1 + ws2 + used.max(1);
    }
    None
}

/// `true`/`false` in any case, `$true`, `1`/`0`.
pub(crate) fn parse_bool(b: &[u8]) -> Option<bool> {
    let s = std::str::from_utf8(b).ok()?.trim().trim_start_matches('$');
    if s.eq_ignore_ascii_case("true") || s == "1" || s.eq_ignore_ascii_case("yes") {
        Some(true)
    } else if s.eq_ignore_ascii_case("false") || s == "0" || s.eq_ignore_ascii_case("no") {
        Some(false)
    } else {
        None
    }
}

/// The content up to the next `<`: on this line, or (when the line ends
/// right after the start tag) on the next line.
fn content<'h>(line: &'h [u8], at: usize, next: Option<&'h [u8]>) -> Option<&'h [u8]> {
    let rest = line.get(at..)?;
    let text = match memchr::memchr(b'<', rest) {
        Some(i) => rest.get(..i)?,
        None if rest.trim_ascii().is_empty() => {
            let next = next?;
            next.get(..memchr::memchr(b'<', next).unwrap_or(next.len()))?
        }
        None => rest,
    };
    Some(text.trim_ascii())
}

/// The first `element` in `line` from `from` on with a boolean value, and
/// the bytes from its `<` to the value's end for an excerpt.
pub(crate) fn find_bool<'h>(
    line: &'h [u8],
    from: usize,
    next: Option<&'h [u8]>,
    element: Element<'_>,
) -> Option<(bool, &'h [u8])> {
    let mut pos = from;
    while let Some(i) = line.get(pos..).and_then(|r| memchr::memchr(b'<', r)) {
        let lt = pos + i;
        pos = lt + 1;
        let Some(tag) = start_tag(line, lt) else {
            continue;
        };
        let hit = match element {
            Element::Property(name) => {
                tag.local.eq_ignore_ascii_case(b"property")
                    && attr(tag.attrs, "name")
                        .is_some_and(|v| v.trim_ascii().eq_ignore_ascii_case(name.as_bytes()))
            }
            Element::Named(name) => tag.local.eq_ignore_ascii_case(name.as_bytes()),
        };
        if !hit {
            continue;
        }
        if let Some(v) = content(line, tag.content, next).and_then(parse_bool) {
            // The excerpt ends with the element's end tag when it is on
            // this line.
            let end = line
                .get(tag.content..)
                .and_then(|r| memchr::memchr(b'>', r))
                .map_or(line.len(), |i| tag.content + i + 1);
            return Some((v, line.get(lt..end)?));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prop(line: &str, next: Option<&str>) -> Option<bool> {
        find_bool(
            line.as_bytes(),
            0,
            next.map(str::as_bytes),
            Element::Property("EnableIMAutoArchiving"),
        )
        .map(|(v, _)| v)
    }

    #[test]
    fn property_in_every_real_layout() {
        for (line, next, want) in [
            (
                "<property name=\"EnableIMAutoArchiving\">false</property>",
                None,
                Some(false),
            ),
            (
                "<property name=\"EnableIMAutoArchiving\" xmlns=\"http://schemas.microsoft.com/2006/09/sip/provisiongrouplist-notification\">false</property>",
                None,
                Some(false),
            ),
            (
                "<property xmlns=\"urn:x\" name='EnableIMAutoArchiving' >False</property>",
                None,
                Some(false),
            ),
            (
                "<p:property  name = \"enableimautoarchiving\"\t>TRUE</p:property>",
                None,
                Some(true),
            ),
            (
                "<property name=\"EnableIMAutoArchiving\">",
                Some("  False</property>"),
                Some(false),
            ),
            (
                "<property name=\"EnableTracing\">true</property><property name=\"EnableIMAutoArchiving\">false</property>",
                None,
                Some(false),
            ),
            (
                "<property name=\"EnableIMAutoArchivingX\">false</property>",
                None,
                None,
            ),
            ("<property name=\"EnableIMAutoArchiving\"/>", None, None),
            (
                "<property name=\"EnableIMAutoArchiving\">maybe</property>",
                None,
                None,
            ),
            ("<property name=\"EnableIMAutoArchiving", None, None),
        ] {
            assert_eq!(prop(line, next), want, "{line}");
        }
    }

    #[test]
    fn named_element_with_prefix() {
        let f = |l: &str| {
            find_bool(l.as_bytes(), 0, None, Element::Named("imAutoArchiving")).map(|(v, _)| v)
        };
        assert_eq!(
            f("<oo:imAutoArchiving>false</oo:imAutoArchiving>"),
            Some(false)
        );
        assert_eq!(f("<imAutoArchiving >true</imAutoArchiving>"), Some(true));
        assert_eq!(f("</imAutoArchiving>"), None);
    }

    #[test]
    fn never_panics_on_fragments() {
        let full = b"<p:property a='>' name=\"EnableIMAutoArchiving\" >false</p:property>";
        for n in 0..=full.len() {
            for s in 0..n {
                let _ = find_bool(
                    &full[s..n],
                    0,
                    Some(b"x"),
                    Element::Property("EnableIMAutoArchiving"),
                );
            }
        }
    }
}
