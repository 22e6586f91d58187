//! PowerShell's two default views, read into records of `(name, value, line)`
//! without knowing which cmdlet wrote them.
//!
//! - List view (`Format-List`, `| fl`): `Name<padding> : Value`, names at the
//!   start of the line, one object per block, blocks separated by blank lines;
//!   a long value wraps onto lines indented further than the names.
//! - Table view (`Format-Table`, `| ft`, and the default for objects with few
//!   properties such as `Select-Object ClientPolicy`): a header line, a line
//!   of dashes under each column name, one row per object. PowerShell cuts
//!   values that do not fit (`...`) and `-Wrap` continues them on the next
//!   row; neither can be read back, so such a table is an error that asks for
//!   the list view.

/// One `Name : Value` pair and the 1-based line it was read from.
#[derive(Debug, Clone)]
pub(crate) struct Property {
    pub name: String,
    pub value: String,
    pub line: u64,
}

/// One object as pasted.
#[derive(Debug, Clone, Default)]
pub(crate) struct Record {
    pub props: Vec<Property>,
}

impl Record {
    /// The property named `name`, case-insensitively (the cmdlet reference and
    /// the product docs spell some names differently: `EnableOfflineIm`/`IM`).
    pub fn get(&self, name: &str) -> Option<&Property> {
        self.props
            .iter()
            .find(|p| p.name.eq_ignore_ascii_case(name))
    }

    pub fn has(&self, name: &str) -> bool {
        self.get(name).is_some()
    }

    pub fn first_line(&self) -> u64 {
        self.props.first().map_or(1, |p| p.line)
    }
}

/// A table view whose columns cannot be told apart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TableError {
    pub line: u64,
    pub reason: String,
}

/// Split pasted text into records, list and table views alike.
pub(crate) fn records(text: &str) -> Result<Vec<Record>, TableError> {
    let lines: Vec<(u64, &str)> = text
        .lines()
        .enumerate()
        .map(|(i, l)| (i as u64 + 1, l.trim_end_matches(['\r', '\u{feff}'])))
        .collect();
    let mut out = Vec::new();
    let mut current = Record::default();
    let mut indent = 0usize;
    let mut i = 0;
    while let Some(&(line_no, line)) = lines.get(i) {
        if line.trim().is_empty() {
            flush(&mut out, &mut current);
            i += 1;
            continue;
        }
        if let Some(&(_, next)) = lines.get(i + 1)
            && is_dash_line(next)
            && split_property(line).is_none()
        {
            flush(&mut out, &mut current);
            let (records, consumed) = table(&lines[i..])?;
            out.extend(records);
            i += consumed;
            continue;
        }
        let this_indent = line.len() - line.trim_start().len();
        let continues = !current.props.is_empty() && this_indent > indent;
        if continues {
            // A wrapped value continues on a line indented to the value column.
            if let Some(last) = current.props.last_mut() {
                last.value.push_str(line.trim());
            }
        } else if let Some((name, value)) = split_property(line) {
            if current.props.is_empty() {
                indent = this_indent;
            }
            current.props.push(Property {
                name: name.to_string(),
                value: value.to_string(),
                line: line_no,
            });
        }
        i += 1;
    }
    flush(&mut out, &mut current);
    Ok(out)
}

fn flush(out: &mut Vec<Record>, current: &mut Record) {
    if !current.props.is_empty() {
        out.push(std::mem::take(current));
    }
}

/// `Name<spaces> : Value` → (Name, Value). The name is one word; the first
/// colon after it separates (values such as `Tag:Sales` keep theirs).
pub(crate) fn split_property(line: &str) -> Option<(&str, &str)> {
    let (name, rest) = line.split_once(':')?;
    let name = name.trim();
    if !is_property_name(name) {
        return None;
    }
    Some((name, rest.trim()))
}

fn is_property_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-' || b == b'.')
}

fn is_dash_line(line: &str) -> bool {
    let t = line.trim();
    !t.is_empty() && t.chars().all(|c| c == '-' || c == ' ')
}

fn cut_off(value: &str) -> bool {
    value.ends_with("...") || value.ends_with('\u{2026}')
}

/// Parse one table starting at its header line; returns its records and how
/// many lines it spans (header, dashes, rows up to the first blank line).
fn table(lines: &[(u64, &str)]) -> Result<(Vec<Record>, usize), TableError> {
    let (Some(&(header_no, header)), Some(&(dash_no, dashes))) = (lines.first(), lines.get(1))
    else {
        return Ok((Vec::new(), lines.len().max(1)));
    };
    let header: Vec<char> = header.chars().collect();
    let dashes: Vec<char> = dashes.chars().collect();
    let err = |line: u64, reason: String| TableError { line, reason };

    // Each run of dashes underlines exactly one column name.
    let mut columns: Vec<(usize, String)> = Vec::new();
    let mut k = 0;
    while k < dashes.len() {
        if dashes.get(k) != Some(&'-') {
            k += 1;
            continue;
        }
        let start = k;
        while dashes.get(k) == Some(&'-') {
            k += 1;
        }
        let name: String = (start..k).filter_map(|j| header.get(j)).collect();
        let lined_up = name.chars().count() == k - start
            && !name.contains(' ')
            && start
                .checked_sub(1)
                .and_then(|j| header.get(j))
                .is_none_or(|c| *c == ' ')
            && header.get(k).is_none_or(|c| *c == ' ');
        if !lined_up {
            return Err(err(
                dash_no,
                "the dashes do not line up with the column names above them".into(),
            ));
        }
        if cut_off(&name) {
            return Err(err(
                header_no,
                format!("the column name {name:?} is cut off"),
            ));
        }
        if !is_property_name(&name) {
            return Err(err(header_no, format!("{name:?} is not a property name")));
        }
        columns.push((start, name));
    }
    let underlined: usize = columns.iter().map(|(_, n)| n.chars().count()).sum();
    if header.iter().filter(|c| **c != ' ').count() != underlined {
        return Err(err(
            header_no,
            "a column name has no dashes under it".into(),
        ));
    }

    let mut records = Vec::new();
    let mut consumed = 2;
    for &(row_no, row) in lines.iter().skip(2) {
        if row.trim().is_empty() {
            break;
        }
        consumed += 1;
        let chars: Vec<char> = row.chars().collect();
        let mut props = Vec::new();
        for (c, (start, name)) in columns.iter().enumerate() {
            let end = columns.get(c + 1).map_or(chars.len(), |(s, _)| *s);
            if c == 0 && chars.iter().take(*start).any(|ch| *ch != ' ') {
                return Err(err(row_no, "a value starts left of its column".into()));
            }
            if *start > 0
                && chars.get(start - 1).is_some_and(|ch| *ch != ' ')
                && chars.get(*start).is_some_and(|ch| *ch != ' ')
            {
                return Err(err(row_no, format!("a value runs into the column {name}")));
            }
            let value: String = chars
                .get(*start..end.max(*start).min(chars.len()))
                .map(|s| s.iter().collect::<String>())
                .unwrap_or_default()
                .trim()
                .to_string();
            if cut_off(&value) {
                return Err(err(
                    row_no,
                    format!("the value of {name} is cut off ({value:?})"),
                ));
            }
            props.push(Property {
                name: name.clone(),
                value,
                line: row_no,
            });
        }
        let first_blank = props.first().is_some_and(|p| p.value.is_empty());
        if first_blank && columns.len() > 1 && !records.is_empty() {
            return Err(err(
                row_no,
                "a row continues on the next line (Format-Table -Wrap)".into(),
            ));
        }
        records.push(Record { props });
    }
    if records.is_empty() {
        // PowerShell writes no header for no objects; a header without rows
        // is one object whose values are all empty (a blank row).
        records.push(Record {
            props: columns
                .iter()
                .map(|(_, name)| Property {
                    name: name.clone(),
                    value: String::new(),
                    line: header_no,
                })
                .collect(),
        });
    }
    Ok((records, consumed))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(r: &Record) -> Vec<(&str, &str)> {
        r.props
            .iter()
            .map(|p| (p.name.as_str(), p.value.as_str()))
            .collect()
    }

    #[test]
    fn table_view_with_aligned_columns() {
        let text = "PS C:\\> Get-CsClientPolicy | ft Identity,DisableSavingIM,EnableIMAutoArchiving\r\n\r\nIdentity                 DisableSavingIM EnableIMAutoArchiving\r\n--------                 --------------- ---------------------\r\nGlobal                   False           True\r\nTag:NoArchiveNoSave      True            False\r\n\r\n";
        let r = records(text).unwrap();
        assert_eq!(r.len(), 2);
        assert_eq!(
            values(&r[1]),
            [
                ("Identity", "Tag:NoArchiveNoSave"),
                ("DisableSavingIM", "True"),
                ("EnableIMAutoArchiving", "False")
            ]
        );
        assert_eq!(r[1].first_line(), 6);
    }

    #[test]
    fn header_without_rows_is_one_blank_object() {
        let r = records("ClientPolicy\n------------\n\n").unwrap();
        assert_eq!(values(&r[0]), [("ClientPolicy", "")]);
    }

    #[test]
    fn cut_off_or_misaligned_tables_are_errors() {
        let cut = "Identity     EnableIMAutoArch...\n--------     -------------------\nGlobal       True\n";
        assert!(records(cut).unwrap_err().reason.contains("cut off"));
        let value_cut = "Identity   EnableIMAutoArchiving\n--------   ---------------------\nTag:Lon... False\n";
        let e = records(value_cut).unwrap_err();
        assert_eq!(e.line, 3);
        let misaligned = "Identity EnableIMAutoArchiving\n-------- ----\nGlobal True\n";
        assert!(records(misaligned).unwrap_err().reason.contains("line up"));
        let wrapped = "Identity  EwsAllowList\n--------  ------------\nContoso   {OWA/*,\n          Outlook/*}\n";
        assert!(records(wrapped).unwrap_err().reason.contains("-Wrap"));
    }

    #[test]
    fn list_view_wrapped_value_and_urls_in_continuations() {
        let text = "Identity     : Contoso\nEwsAllowList : {OWA/*, Outlook/*,\n                https://x.test/*}\nEwsEnabled   : True\n";
        let r = records(text).unwrap();
        assert_eq!(
            values(&r[0]),
            [
                ("Identity", "Contoso"),
                ("EwsAllowList", "{OWA/*, Outlook/*,https://x.test/*}"),
                ("EwsEnabled", "True")
            ]
        );
    }
}
