//! Hosts and domains in redacted text: where a host begins, which hosts
//! are Microsoft's services (kept), the registrable part of a domain, and
//! the capitals before a backslash that are no Windows domain.

/// Hosts that identify Microsoft's services, not a user or an organisation.
const PUBLIC_SUFFIXES: [&str; 7] = [
    "outlook.office365.com",
    "office365.com",
    "outlook.office.com",
    "outlook.com",
    "office.com",
    "microsoft.com",
    "lync.com",
];

/// Second-level labels under which a country's domains are registered
/// (`contoso.co.uk`): the registrable part is then the last three labels.
const SECOND_LEVEL: [&str; 10] = [
    "co", "com", "org", "net", "ac", "gov", "edu", "ne", "or", "ltd",
];

/// Where the host whose domain starts at `at` begins: back over
/// `label.` runs (ASCII letters, digits, `-`), never before `floor`.
pub(super) fn host_start(hay: &str, at: usize, floor: usize) -> usize {
    let b = hay.as_bytes();
    let mut start = at;
    let mut dot = at;
    while dot > floor && b[dot - 1] == b'.' {
        let mut k = dot - 1;
        while k > floor && (b[k - 1].is_ascii_alphanumeric() || b[k - 1] == b'-') {
            k -= 1;
        }
        if k == dot - 1 {
            break;
        }
        start = k;
        dot = k;
    }
    start
}

pub(super) fn is_public(host: &str) -> bool {
    let h = host.to_ascii_lowercase();
    PUBLIC_SUFFIXES
        .iter()
        .any(|p| h == *p || h.ends_with(&format!(".{p}")))
}

/// The registrable-looking part of a host: its last two labels, or three
/// under a country's second level (`contoso.co.uk`).
pub(super) fn domain_of(host: &str) -> String {
    let labels: Vec<&str> = host.split('.').collect();
    let n = labels.len();
    let keep = if n >= 3
        && labels[n - 1].len() == 2
        && SECOND_LEVEL
            .iter()
            .any(|s| labels[n - 2].eq_ignore_ascii_case(s))
    {
        3
    } else {
        2
    };
    labels[n.saturating_sub(keep)..]
        .join(".")
        .to_ascii_lowercase()
}

/// Capitals before a backslash that are not a Windows domain: registry
/// hives, Windows' own principals.
pub(super) fn not_a_domain(s: &str) -> bool {
    let u = s.to_ascii_uppercase();
    u.starts_with("HKEY")
        || [
            "HKCU",
            "HKLM",
            "HKU",
            "HKCR",
            "HKCC",
            "AUTHORITY",
            "BUILTIN",
            "NT",
        ]
        .contains(&u.as_str())
}
