//! `--redact`: personal data becomes stable pseudonyms.
//!
//! SIP and e-mail addresses, Windows user names (also inside paths such as
//! `C:\Users\<name>` and `sip_<address>` folders), host names (the EWS
//! host, the machine name) and the domains they belong to are replaced by a
//! keyed hash (HMAC-SHA256) of the value. The same input gives the same
//! pseudonym in every run and every output (table, JSON, Markdown, NDJSON,
//! bundles), so tickets about one user still line up. The key is the salt
//! from `--redact-salt` or `OFFLINE_IM_DOCTOR_REDACT_SALT`; the default salt
//! is public, so an organisation that shares redacted reports outside should
//! set its own (with the default, anyone can hash a guessed address and
//! compare).
//!
//! Microsoft's public service hosts (Exchange Online) are not personal and
//! are kept, so a redacted report still says "online".

pub mod classes;
mod hosts;
pub mod personal;
pub mod secrets;

use std::collections::BTreeSet;
use std::sync::{LazyLock, OnceLock};

use hmac::{Hmac, KeyInit, Mac};
use regex::{Captures, Regex};
use sha2::Sha256;

use hosts::{domain_of, host_start, is_public, not_a_domain};

pub const SALT_ENV: &str = "OFFLINE_IM_DOCTOR_REDACT_SALT";
pub const DEFAULT_SALT: &str = "offline-im-doctor/redact/v1";

// The local parts are unbounded: a bound would let a match start inside a
// longer run (`xxxx…alice@`), leaving a prefix that a second redaction
// reads as another address. The regex crate is linear-time either way.
// Group 1 is the address; group 2 the character after it, which must not
// continue the top-level domain (`alice@contoso.com38e` is not
// `alice@contoso.com` followed by `38e`): the regex crate has no look-ahead.
static ADDRESS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)([\p{L}\p{N}][\p{L}\p{N}._%+\-]*@[\p{L}\p{N}][\p{L}\p{N}\-]{0,62}(?:\.[\p{L}\p{N}][\p{L}\p{N}\-]{0,62})*\.\p{L}{2,24})($|[^\p{L}\p{N}\-])")
        .expect("static regex")
});
/// Labels unbounded, so a host is never cut inside a label (the rest would
/// be glued to its pseudonym).
static URL_HOST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(https?://)([\p{L}\p{N}][\p{L}\p{N}\-]*(?:\.[\p{L}\p{N}][\p{L}\p{N}\-]*)+)")
        .expect("static regex")
});
/// An address written URL-encoded, as in a query string: `alice%40contoso.com`.
static ADDRESS_PCT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b([A-Z0-9][A-Z0-9._+\-]*)%40([A-Z0-9][A-Z0-9\-]{0,62}(?:\.[A-Z0-9][A-Z0-9\-]{0,62})*\.[A-Z]{2,24})($|[^A-Z0-9\-])")
        .expect("static regex")
});
/// `DOMAIN\user` (a NetBIOS domain is written in capitals).
static DOMAIN_USER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b([A-Z][A-Z0-9\-]{1,14})\\(\p{L}[\p{L}\p{N}._\-]{0,63})\b").expect("static regex")
});
/// An Active Directory distinguished name: `CN=Alice Smith,OU=Sales,DC=contoso,DC=com`.
static DN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:CN|OU)=[^,;\r\n]+(?:,\s*(?:CN|OU|DC|O|L|C|ST)=[^,;\r\n]+)+")
        .expect("static regex")
});
static DN_PART: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\b(CN|OU|DC|O|L|ST|C)=([^,;\r\n]+)").expect("static regex"));
/// A display name before an address: `"Alice Smith" <sip:...>`, `Alice Smith <mailto:...>`.
static NAMED_ADDRESS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i)(?:"[^"\r\n]{1,256}"|\b[A-Z][\w.'\-]*(?: [A-Z][\w.'\-]*){0,3})(\s*<(?:sip|sips|mailto|tel):)"#)
        .expect("static regex")
});
/// What this module writes: never hashed again, so redacting a redacted
/// report or bundle leaves it as it is.
static PSEUDONYM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:(?:user|host|machine|name|phone|ip|mac|cn|ou|dc|o|l|st|c)-[0-9a-f]{8}(?:[.@].*)?|domain-[0-9a-f]{8}\.invalid|\[redacted\]|\[name\])$")
        .expect("static regex")
});
static USER_DIR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)([\\/](?:Users|home|Documents and Settings)[\\/])([^\\/\r\n]+)")
        .expect("static regex")
});

/// A salted, deterministic pseudonymiser. Learn the names first (so that a
/// domain seen in an address is also redacted where it stands alone), then
/// redact text.
#[derive(Clone)]
pub struct Redactor {
    key: Vec<u8>,
    domains: BTreeSet<String>,
    words: BTreeSet<(String, &'static str)>,
    /// The learnt names compiled for [`Redactor::redact`]: built on first
    /// use after the last `learn*`, so a log redacted line by line compiles
    /// them once, not once a line.
    compiled: OnceLock<LearntNames>,
}

/// Learnt names and their pseudonyms as a few case-insensitive
/// alternations: domains first (with the host labels before them), then
/// words (longest first, so a machine name goes before its 15-character
/// cut), found inside other tokens too.
#[derive(Clone)]
struct LearntNames {
    domains: Vec<NameBatch>,
    words: Vec<NameBatch>,
}

/// Where a learnt name is found.
#[derive(Clone, Copy, PartialEq, Eq)]
enum NameMode {
    /// A domain standing as a domain, with the host labels before it: the
    /// whole host becomes a host pseudonym (`fe01.contoso.com`).
    Domain,
    /// A word anywhere, inside other tokens too (`WKS-ASMITH-01` once
    /// `asmith` is learnt), case-insensitively; never inside what this
    /// module wrote.
    Anywhere,
    /// A word of two characters: only where it stands alone.
    Alone,
}

/// Up to [`NAME_BATCH`] names in one regex.
#[derive(Clone)]
struct NameBatch {
    regex: Regex,
    mode: NameMode,
    /// The group of the first name.
    first: usize,
    pseudonyms: Vec<String>,
}

/// Names per regex: keeps each regex far below the crate's size limit
/// however many names a hostile input makes the redactor learn.
const NAME_BATCH: usize = 256;

/// What this module writes, skipped whole by [`NameMode::Anywhere`] so a
/// name is never found inside a pseudonym or a marker.
const WRITTEN: &str = r"domain-[0-9a-f]{8}\.invalid|(?:user|host|machine|domain|name|phone|ip|mac|cn|ou|dc|o|l|st|c)-[0-9a-f]{8}|\[(?:[a-z]+ removed, [0-9]+ bytes|redacted|name)\]|\[offline-im-doctor[^\]]*\]";

impl NameBatch {
    fn compile(names: &[(&str, String)], mode: NameMode) -> Vec<NameBatch> {
        names
            .chunks(NAME_BATCH)
            .filter_map(|chunk| {
                let alternation: Vec<String> = chunk
                    .iter()
                    .map(|(n, _)| format!("({})", regex::escape(n)))
                    .collect();
                let alternation = alternation.join("|");
                let (pattern, first) = match mode {
                    // The host labels before the domain are found by hand
                    // ([`host_start`]): in the regex they would make every
                    // label a possible start, which the lazy DFA cannot
                    // cache for hundreds of names.
                    NameMode::Domain => (
                        format!(r"(?i)(^|[^A-Za-z0-9\-])(?:{alternation})($|[^A-Za-z0-9\-])"),
                        2,
                    ),
                    NameMode::Anywhere => (format!(r"(?i)({WRITTEN})|{alternation}"), 2),
                    NameMode::Alone => (
                        format!(r"(?i)(^|[^A-Za-z0-9\-])(?:{alternation})($|[^A-Za-z0-9\-])"),
                        2,
                    ),
                };
                let regex = Regex::new(&pattern).ok()?;
                Some(NameBatch {
                    regex,
                    mode,
                    first,
                    pseudonyms: chunk.iter().map(|(_, p)| p.clone()).collect(),
                })
            })
            .collect()
    }

    /// Replace every name of the batch. Says whether anything was replaced.
    fn replace(&self, hay: &mut String, r: &Redactor) -> bool {
        let mut changed = false;
        // Matches can share a boundary character; loop until stable.
        loop {
            let mut out = String::new();
            let mut last = 0;
            for c in self.regex.captures_iter(hay) {
                let Some(whole) = c.get(0) else { continue };
                if self.mode == NameMode::Anywhere && c.get(1).is_some() {
                    continue;
                }
                let Some(i) = (0..self.pseudonyms.len()).find(|i| c.get(i + self.first).is_some())
                else {
                    continue;
                };
                let Some(name) = c.get(i + self.first) else {
                    continue;
                };
                let pseudonym = &self.pseudonyms[i];
                let (start, replacement) = match self.mode {
                    NameMode::Anywhere => (name.start(), pseudonym.clone()),
                    NameMode::Alone => (name.start(), pseudonym.clone()),
                    NameMode::Domain => {
                        let start = host_start(hay, name.start(), last);
                        let labels = &hay[start..name.start()];
                        if labels.is_empty() || is_pseudonym(labels.trim_end_matches('.')) {
                            (name.start(), pseudonym.clone())
                        } else {
                            (start, r.host(&hay[start..name.end()]))
                        }
                    }
                };
                out.push_str(&hay[last..start]);
                out.push_str(&replacement);
                last = name.end();
                // The boundary after the name stays (it is in the match).
                out.push_str(&hay[last..whole.end()]);
                last = whole.end();
            }
            if last == 0 {
                return changed;
            }
            out.push_str(&hay[last..]);
            if out == *hay {
                return changed;
            }
            *hay = out;
            changed = true;
        }
    }
}

impl std::fmt::Debug for Redactor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print the key or the names it learnt.
        f.debug_struct("Redactor").finish_non_exhaustive()
    }
}

fn is_pseudonym(s: &str) -> bool {
    PSEUDONYM.is_match(s)
}

impl Redactor {
    pub fn new(salt: &str) -> Self {
        Self {
            key: salt.as_bytes().to_vec(),
            domains: BTreeSet::new(),
            words: BTreeSet::new(),
            compiled: OnceLock::new(),
        }
    }

    /// Salt from the option, else the environment, else the default.
    pub fn from_option(salt: Option<&str>) -> Self {
        let env = std::env::var(SALT_ENV).ok().filter(|s| !s.is_empty());
        Self::new(salt.or(env.as_deref()).unwrap_or(DEFAULT_SALT))
    }

    fn hash(&self, kind: &str, value: &str) -> String {
        let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(&self.key).unwrap_or_else(|_| {
            <Hmac<Sha256> as KeyInit>::new_from_slice(b"").expect("HMAC takes any key")
        });
        mac.update(kind.as_bytes());
        mac.update(b"\0");
        mac.update(value.to_lowercase().as_bytes());
        let out = mac.finalize().into_bytes();
        out[..4].iter().map(|b| format!("{b:02x}")).collect()
    }

    pub fn domain(&self, d: &str) -> String {
        if is_public(d) || is_pseudonym(d) {
            return d.to_string();
        }
        format!("domain-{}.invalid", self.hash("domain", d))
    }

    pub fn address(&self, a: &str) -> String {
        if is_pseudonym(a) {
            return a.to_string();
        }
        let (_, domain) = a.rsplit_once('@').unwrap_or((a, ""));
        format!(
            "user-{}@{}",
            self.hash("address", a),
            self.domain(&domain_of(domain))
        )
    }

    pub fn host(&self, h: &str) -> String {
        if is_public(h) || is_pseudonym(h) {
            return h.to_string();
        }
        format!(
            "host-{}.{}",
            self.hash("host", h),
            self.domain(&domain_of(h))
        )
    }

    pub fn user(&self, u: &str) -> String {
        if is_pseudonym(u) {
            return u.to_string();
        }
        format!("user-{}", self.hash("user", u))
    }

    /// Remember names in `text` so their parts are redacted everywhere.
    pub fn learn(&mut self, text: &str) {
        self.compiled = OnceLock::new();
        // Each pattern needs a character the text may lack: a log of
        // millions of lines is learnt line by line.
        let at = text.contains('@');
        let slash = text.contains(['\\', '/']);
        for c in ADDRESS.captures_iter(if at { text } else { "" }) {
            if let Some((_, d)) = c[1].rsplit_once('@') {
                let d = domain_of(d);
                if !is_public(&d) {
                    self.domains.insert(d);
                }
            }
        }
        for c in URL_HOST.captures_iter(if slash { text } else { "" }) {
            let d = domain_of(&c[2]);
            if !is_public(&c[2]) && !is_public(&d) && !is_pseudonym(&d) {
                self.domains.insert(d);
            }
        }
        for c in ADDRESS_PCT.captures_iter(text) {
            let d = domain_of(&c[2]);
            if !is_public(&d) && !is_pseudonym(&d) {
                self.domains.insert(d);
            }
        }
        // A user name seen in a profile path is personal wherever it stands.
        for c in USER_DIR.captures_iter(if slash { text } else { "" }) {
            let name = &c[2];
            if !name.eq_ignore_ascii_case("Public") && !name.eq_ignore_ascii_case("Default") {
                self.learn_word(name, "user");
            }
        }
        // The values of personal cmdlet properties are personal wherever
        // they stand (`Identity : Alice Smith` beside `DisplayName`).
        for c in personal::PROPERTY_LINE.captures_iter(text) {
            let value = c[2].trim();
            let name = c[1].trim().trim_end_matches(':').trim();
            if value.contains('@') || value.contains(['=', '\\', '/']) {
                continue;
            }
            match personal::property_kind(name) {
                Some(personal::PropertyKind::User) => self.learn_word(value, "user"),
                Some(personal::PropertyKind::Name) if value.chars().count() >= 3 => {
                    self.learn_word(value, "name")
                }
                _ => {}
            }
        }
        for c in DOMAIN_USER.captures_iter(if slash { text } else { "" }) {
            if !not_a_domain(&c[1]) {
                // The domain too: a machine's full name ends in it.
                self.learn_word(&c[1], "domain");
                self.learn_word(&c[2], "user");
            }
        }
    }

    /// A profile's name: a SIP address, or for a History Spooler outside a
    /// `sip_` folder the folder's own name (`asmith-backup`), personal too.
    pub fn learn_profile_name(&mut self, name: &str) {
        if name.contains('@') || name.eq_ignore_ascii_case("Lync") {
            return;
        }
        for part in name.split(['/', '\\']) {
            if !part.eq_ignore_ascii_case("History Spooler") {
                self.learn_word(part, "user");
            }
        }
    }

    /// Remember a name that is personal on its own: `kind` is `machine` or `user`.
    pub fn learn_word(&mut self, word: &str, kind: &'static str) {
        self.compiled = OnceLock::new();
        if word.len() >= 2 && !is_pseudonym(word) && !word.contains('@') {
            self.words.insert((word.to_string(), kind));
            // A NetBIOS machine name is cut to 15 characters where logs write it.
            if kind == "machine" && word.len() > 15 && word.is_char_boundary(15) {
                self.words.insert((word[..15].to_string(), kind));
            }
        }
    }

    /// Replace every personal name in `text`: the classes of
    /// [`classes::CLASSES`], in that order.
    pub fn redact(&self, text: &str) -> String {
        let s = secrets::strip(text);
        let s = self.personal(&s);
        let s = NAMED_ADDRESS.replace_all(&s, |c: &Captures<'_>| {
            // A pseudonym before an address is not a display name.
            let name = c[0][..c[0].len() - c[1].len()].trim();
            if is_pseudonym(name) || is_pseudonym(name.trim_matches('"')) {
                return c[0].to_string();
            }
            format!("\"[name]\"{}", &c[1])
        });
        let s = DN.replace_all(&s, |c: &Captures<'_>| {
            DN_PART
                .replace_all(&c[0], |p: &Captures<'_>| {
                    let kind = p[1].to_ascii_lowercase();
                    let value = p[2].trim();
                    if is_pseudonym(value) || value == "[name]" {
                        p[0].to_string()
                    } else {
                        format!("{}={kind}-{}", &p[1], self.hash(&kind, value))
                    }
                })
                .into_owned()
        });
        let s = ADDRESS_PCT.replace_all(&s, |c: &Captures<'_>| {
            let pseudonym = self
                .address(&format!("{}@{}", &c[1], &c[2]))
                .replacen('@', "%40", 1);
            format!("{pseudonym}{}", &c[3])
        });
        let s = DOMAIN_USER.replace_all(&s, |c: &Captures<'_>| {
            if is_pseudonym(&c[2]) || not_a_domain(&c[1]) {
                return c[0].to_string();
            }
            format!("{}\\{}", self.word("domain", &c[1]), self.user(&c[2]))
        });
        let s = self.addresses(&s);
        let s = self.phones(&s);
        let s = URL_HOST.replace_all(&s, |c: &Captures<'_>| {
            format!("{}{}", &c[1], self.host(&c[2]))
        });
        let s = USER_DIR.replace_all(&s, |c: &Captures<'_>| {
            let name = &c[2];
            if name.eq_ignore_ascii_case("Public") || name.eq_ignore_ascii_case("Default") {
                c[0].to_string()
            } else {
                format!("{}{}", &c[1], self.user(name))
            }
        });
        let names = self.compiled.get_or_init(|| self.compile_names());
        let mut s = s.into_owned();
        let mut domains_replaced = false;
        for batch in &names.domains {
            domains_replaced |= batch.replace(&mut s, self);
        }
        // A learnt domain can complete an address the patterns did not take
        // for one (`alice@contoso.c<NUL>` once `contoso.c` is learnt from a
        // URL): that address is pseudonymised too, as a second pass would.
        if domains_replaced {
            s = self.addresses(&s).into_owned();
        }
        for batch in &names.words {
            batch.replace(&mut s, self);
        }
        s
    }

    /// Names and subjects in XML, personal cmdlet properties, network
    /// identifiers.
    fn personal(&self, text: &str) -> String {
        use personal::*;
        let xml = text.contains(['<', '=']);
        let s = if xml {
            let s = XML_NAME_ATTR.replace_all(text, "${1}[redacted]$2");
            let s = CONTACT_NAME_ATTR
                .replace_all(&s, "${1}[redacted]$2")
                .into_owned();
            XML_NAME_ELEMENT
                .replace_all(&s, "${1}[redacted]$2")
                .into_owned()
        } else {
            text.to_string()
        };
        let s = PROPERTY_LINE.replace_all(&s, |c: &Captures<'_>| {
            let value = &c[2];
            let name = c[1].trim().trim_end_matches(':').trim();
            let out = match property_kind(name) {
                _ if value.is_empty() || value.contains('@') || is_pseudonym(value) => {
                    value.to_string()
                }
                Some(PropertyKind::User) => self.user(value),
                Some(PropertyKind::Phone) => self.phone(value),
                _ => format!("name-{}", self.hash("name", value)),
            };
            format!("{}{out}{}", &c[1], &c[3])
        });
        let s = MAC.replace_all(&s, |c: &Captures<'_>| {
            format!("mac-{}", self.hash("mac", &c[0].replace('-', ":")))
        });
        let s = IPV4.replace_all(&s, |c: &Captures<'_>| {
            let ip = &c[2];
            match ip.parse::<std::net::Ipv4Addr>() {
                Ok(a) if !(a.is_loopback() || a.is_unspecified() || a.is_broadcast()) => {
                    format!("{}ip-{}{}", &c[1], self.hash("ip", ip), &c[3])
                }
                _ => c[0].to_string(),
            }
        });
        // An IPv6 address has `::` or at least five colons (seven groups
        // and more are written out): a log time and thread id have four.
        if !(s.contains("::") || s.matches(':').count() >= 5) {
            return s.into_owned();
        }
        let s = IPV6.replace_all(&s, |c: &Captures<'_>| {
            let ip = &c[2];
            let bare = ip.split('%').next().unwrap_or(ip);
            match bare.parse::<std::net::Ipv6Addr>() {
                Ok(a) if !(a.is_loopback() || a.is_unspecified()) => {
                    format!("{}ip-{}", &c[1], self.hash("ip", bare))
                }
                _ => c[0].to_string(),
            }
        });
        s.into_owned()
    }

    /// `tel:` URIs, E.164-looking numbers, and numbers in phone fields.
    fn phones<'t>(&self, text: &'t str) -> std::borrow::Cow<'t, str> {
        use personal::*;
        let mut s = TEL.replace_all(text, |c: &Captures<'_>| {
            format!("{}{}", &c[1], self.phone(&c[2]))
        });
        if E164.is_match(&s) {
            s = std::borrow::Cow::Owned(
                E164.replace_all(&s, |c: &Captures<'_>| self.phone(&c[0]))
                    .into_owned(),
            );
        }
        // Only after the field's name: the entry's own time and thread id
        // before it (`09:58:05.000 1A2B`) are digits too, and stay.
        if let Some(field) = PHONE_FIELD.find(&s) {
            let (before, after) = s.split_at(field.start());
            let after = PHONE_DIGITS.replace_all(after, |c: &Captures<'_>| {
                format!("{}{}", &c[1], self.phone(&c[2]))
            });
            s = std::borrow::Cow::Owned(format!("{before}{after}"));
        }
        s
    }

    /// The pseudonym of a phone number (its digits only, so `+1 425-555`
    /// and `+1425555` are one number).
    pub fn phone(&self, p: &str) -> String {
        if is_pseudonym(p) {
            return p.to_string();
        }
        let digits: String = p
            .chars()
            .filter(|c| c.is_ascii_digit() || *c == '+')
            .collect();
        format!("phone-{}", self.hash("phone", &digits))
    }

    /// Every address in `text` replaced by its pseudonym.
    fn addresses<'t>(&self, text: &'t str) -> std::borrow::Cow<'t, str> {
        ADDRESS.replace_all(text, |c: &Captures<'_>| {
            // `sip_<address>` folders: the prefix is the client's, the address the user's.
            let m = &c[1];
            let pseudonym = match m.get(..4) {
                Some(p) if p.eq_ignore_ascii_case("sip_") => {
                    format!("{p}{}", self.address(&m[4..]))
                }
                _ => self.address(m),
            };
            format!("{pseudonym}{}", &c[2])
        })
    }

    fn compile_names(&self) -> LearntNames {
        let mut domains: Vec<(&str, String)> = self
            .domains
            .iter()
            .map(|d| (d.as_str(), self.domain(d)))
            .collect();
        // Longest first: at one place the first name that matches wins.
        domains.sort_by_key(|(d, _)| std::cmp::Reverse(d.len()));
        let mut words: Vec<(&str, String)> = Vec::new();
        let mut seen = BTreeSet::new();
        for (w, kind) in &self.words {
            // The same name learnt as two kinds takes the first kind's pseudonym.
            if seen.insert(w.to_lowercase()) {
                words.push((w.as_str(), self.word(kind, w)));
            }
        }
        words.sort_by_key(|(w, _)| std::cmp::Reverse(w.chars().count()));
        let (long, short): (Vec<_>, Vec<_>) =
            words.into_iter().partition(|(w, _)| w.chars().count() >= 3);
        let mut word_batches = NameBatch::compile(&long, NameMode::Anywhere);
        word_batches.extend(NameBatch::compile(&short, NameMode::Alone));
        LearntNames {
            domains: NameBatch::compile(&domains, NameMode::Domain),
            words: word_batches,
        }
    }

    /// The pseudonym of a name personal on its own.
    fn word(&self, kind: &str, w: &str) -> String {
        if kind == "user" {
            return self.user(w);
        }
        format!("{kind}-{}", self.hash(kind, w))
    }
}

/// Redact every string in a JSON value, learning names from all of it first.
pub fn redact_json(value: &mut serde_json::Value, r: &mut Redactor) {
    fn walk(v: &serde_json::Value, f: &mut dyn FnMut(&str)) {
        match v {
            serde_json::Value::String(s) => f(s),
            serde_json::Value::Array(a) => a.iter().for_each(|x| walk(x, f)),
            serde_json::Value::Object(o) => o.values().for_each(|x| walk(x, f)),
            _ => {}
        }
    }
    fn rewrite(v: &mut serde_json::Value, r: &Redactor) {
        match v {
            serde_json::Value::String(s) => *s = r.redact(s),
            serde_json::Value::Array(a) => a.iter_mut().for_each(|x| rewrite(x, r)),
            serde_json::Value::Object(o) => o.values_mut().for_each(|x| rewrite(x, r)),
            _ => {}
        }
    }
    walk(value, &mut |s| r.learn(s));
    rewrite(value, r);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stable_and_salted() {
        let a = Redactor::new("s1");
        let b = Redactor::new("s1");
        let c = Redactor::new("s2");
        assert_eq!(
            a.address("jdoe@fabrikam.com"),
            b.address("JDoe@Fabrikam.com")
        );
        assert_ne!(
            a.address("jdoe@fabrikam.com"),
            c.address("jdoe@fabrikam.com")
        );
        assert!(a.address("jdoe@fabrikam.com").ends_with(".invalid"));
    }

    #[test]
    fn redacts_addresses_paths_hosts_and_bare_domains() {
        let mut r = Redactor::new("t");
        let text = r"C:\Users\jdoe\AppData\Local\Microsoft\Office\16.0\Lync\sip_jdoe@fabrikam.com\History Spooler; EWS https://mail.fabrikam.com/EWS/Exchange.asmx; source=fe01.fabrikam.com; sip:kim@fabrikam.com";
        r.learn(text);
        let out = r.redact(text);
        for secret in ["jdoe", "fabrikam", "kim@"] {
            assert!(
                !out.to_lowercase().contains(secret),
                "{secret} left in {out}"
            );
        }
        assert!(out.contains(r"\Users\user-"));
        assert!(out.contains("sip_user-"));
        assert!(out.contains("https://host-"));
        assert!(out.contains("History Spooler"));
    }

    #[test]
    fn exchange_online_stays_readable() {
        let mut r = Redactor::new("t");
        let t = "https://outlook.office365.com/EWS/Exchange.asmx";
        r.learn(t);
        assert_eq!(r.redact(t), t);
    }

    #[test]
    fn a_phone_field_keeps_the_entry_time_before_it() {
        let r = Redactor::new("t");
        let line = "11/23/2026|09:58:05.000 1A2B:3C4D INFO  :: P-Asserted-Identity: <tel:+14255550123>, \"+1 (425) 555-0199\"";
        let out = r.redact(line);
        assert!(
            out.starts_with("11/23/2026|09:58:05.000 1A2B:3C4D INFO  :: P-Asserted-Identity: "),
            "{out}"
        );
        assert!(
            !out.contains("4255550123") && !out.contains("555-0199"),
            "{out}"
        );
        assert_eq!(r.redact(&out), out);
    }

    #[test]
    fn redacting_twice_changes_nothing() {
        let text = r"sip:jdoe@fabrikam.co.uk https://mail.fabrikam.co.uk/EWS C:\Users\jdoe FABRIKAM\jdoe CN=John Doe,OU=Sales,DC=fabrikam,DC=co,DC=uk";
        let mut r = Redactor::new("t");
        r.learn(text);
        let once = r.redact(text);
        assert!(!once.to_lowercase().contains("fabrikam"), "{once}");
        assert!(!once.contains("jdoe") && !once.contains("John"), "{once}");
        let mut r2 = Redactor::new("t");
        r2.learn(&once);
        assert_eq!(r2.redact(&once), once);
    }

    #[test]
    fn a_local_part_longer_than_64_characters_is_one_address() {
        // Found by the `redact` fuzz target: a bounded local part left a
        // prefix that the second redaction took for another address.
        let text = format!(
            "POST https://mail.csip_user-01f9f{}38e@domain-e47265bd.invalid x{}%40contoso.com",
            "t".repeat(176),
            "y".repeat(80)
        );
        let mut r = Redactor::new("fuzz");
        r.learn(&text);
        let once = r.redact(&text);
        assert!(!once.contains("tttt") && !once.contains("yyyy"), "{once}");
        let mut again = Redactor::new("fuzz");
        again.learn(&once);
        assert_eq!(again.redact(&once), once);
    }

    #[test]
    fn hundreds_of_learnt_names_are_all_redacted() {
        // More names than one compiled alternation holds.
        let text: String = (0..600)
            .map(|i| format!("sip:u{i}@dom{i}.example FABRIKAM{}\\user{i} ", i % 7))
            .collect();
        let mut r = Redactor::new("t");
        r.learn(&text);
        let bare: String = (0..600)
            .map(|i| format!(" dom{i}.example user{i}"))
            .collect();
        let once = r.redact(&bare);
        assert!(
            !once.contains(".example") && !once.contains(" user5"),
            "{once}"
        );
        assert_eq!(once.matches("domain-").count(), 600);
        assert_eq!(r.redact(&once), once);
    }

    #[test]
    fn machine_names_learnt_as_words() {
        let mut r = Redactor::new("t");
        r.learn_word("DESKTOP-JDOE42", "machine");
        let out = r.redact("host DESKTOP-JDOE42 ran it");
        assert!(!out.contains("JDOE42"), "{out}");
        assert!(out.starts_with("host machine-"), "{out}");
    }
}

/// Filters a client log line by line for an evidence bundle.
///
/// With or without `--redact`, what people wrote and what proves who they
/// are never goes in: SIP MESSAGE/INFO bodies carry the IM text
/// (`text/plain`, `text/html`, `text/rtf`, multipart), EWS item bodies
/// (`<t:Body>` over several lines, CDATA included) carry the offline
/// message, and credentials and tokens are replaced by markers
/// ([`secrets::strip`]). SIP bodies are kept only when their content type
/// is XML (provisioning, presence, autodiscover: the evidence the checks
/// read). Every removed body line becomes a count, so the bundle shows
/// that something was there without what it said. With a [`Redactor`]
/// (`--redact`), every line is also pseudonymised.
pub struct LogRedactor<'r> {
    redactor: Option<&'r Redactor>,
    state: BodyState,
    content_type: Option<String>,
    /// Inside an XML element holding message text over several lines.
    in_xml_body: bool,
    dropped: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum BodyState {
    /// Entry text and unprefixed lines that are not part of a SIP message.
    Outside,
    /// SIP start line and headers of a packet.
    Headers,
    /// The body after the blank line; kept when XML.
    Body { keep: bool },
}

static DISPLAY_NAME: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#""[^"\r\n]{1,256}"(\s*<)"#).expect("static regex"));

impl<'r> LogRedactor<'r> {
    /// `redactor`: `Some` with `--redact`; without, only message text and
    /// credentials are removed.
    pub fn new(redactor: Option<&'r Redactor>) -> Self {
        Self {
            redactor,
            state: BodyState::Outside,
            content_type: None,
            in_xml_body: false,
            dropped: 0,
        }
    }

    /// The filtered line (without its line end), or `None` when the line is dropped.
    pub fn line(&mut self, line: &str) -> Option<String> {
        if crate::sources::scan::logs::parse_entry_header(line.as_bytes()).is_some() {
            let note = self.flush_note();
            self.content_type = None;
            self.in_xml_body = false;
            let lower = line.to_ascii_lowercase();
            self.state = if lower.contains("sending packet") || lower.contains("data received") {
                BodyState::Headers
            } else {
                BodyState::Outside
            };
            let out = self.redact_text(line);
            return Some(match note {
                Some(n) => format!("{n}\n{out}"),
                None => out,
            });
        }
        match self.state {
            BodyState::Outside | BodyState::Body { keep: true } => self.xml_line(line),
            BodyState::Headers => {
                if line.trim().is_empty() {
                    let keep = self
                        .content_type
                        .as_deref()
                        .is_some_and(|ct| ct.contains("xml"));
                    self.state = BodyState::Body { keep };
                    return Some(String::new());
                }
                if let Some((name, value)) = line.split_once(':')
                    && name.trim().eq_ignore_ascii_case("content-type")
                {
                    self.content_type = Some(value.trim().to_ascii_lowercase());
                }
                Some(self.redact_text(line))
            }
            BodyState::Body { keep: false } => {
                self.dropped += 1;
                None
            }
        }
    }

    /// A line of XML or text: an element holding message text that opens
    /// here and closes on a later line drops the lines between.
    fn xml_line(&mut self, line: &str) -> Option<String> {
        if self.in_xml_body {
            if let Some(m) = secrets::BODY_CLOSE.find(line) {
                self.in_xml_body = false;
                let out = self.redact_text(&line[m.start()..]);
                return Some(match self.flush_note() {
                    Some(n) => format!("{n}\n{out}"),
                    None => out,
                });
            }
            self.dropped += 1;
            return None;
        }
        let stripped = secrets::strip(line);
        // The last opening tag on the line without its closing tag after it.
        if let Some(open) = secrets::BODY_OPEN.find_iter(&stripped).last()
            && !open.as_str().ends_with("/>")
            && !secrets::BODY_CLOSE.is_match(&stripped[open.end()..])
        {
            let kept = &stripped[..open.end()];
            let rest = stripped[open.end()..].trim();
            self.in_xml_body = true;
            if !rest.is_empty() {
                self.dropped += 1;
            }
            return Some(self.redact_text(kept));
        }
        Some(self.redact_text(&stripped))
    }

    fn redact_text(&self, line: &str) -> String {
        let l = secrets::strip(line);
        match self.redactor {
            Some(r) => {
                let l = DISPLAY_NAME.replace_all(&l, "\"[name]\"$1");
                r.redact(&l)
            }
            None => l.into_owned(),
        }
    }

    fn flush_note(&mut self) -> Option<String> {
        if self.dropped == 0 {
            return None;
        }
        let n = std::mem::take(&mut self.dropped);
        Some(format!(
            "[offline-im-doctor: {n} line(s) of a message body removed]"
        ))
    }

    /// Call at the end of the log: a trailing note for a body cut off there.
    pub fn finish(&mut self) -> Option<String> {
        self.flush_note()
    }
}

#[cfg(test)]
mod log_tests {
    use super::*;

    #[test]
    fn im_text_is_dropped_xml_kept_names_replaced() {
        let mut r = Redactor::new("t");
        let log = "11/24/2026|09:58:01.123 1A2C:2B3D INFO  :: Sending Packet - 10.0.0.5:443 (From Local Address: 10.0.0.12:50312) 900 bytes:\n\
MESSAGE sip:kim@fabrikam.com SIP/2.0\n\
From: \"John Doe\" <sip:jdoe@fabrikam.com>;tag=1\n\
Content-Type: text/plain; charset=UTF-8\n\
\n\
the secret plan for friday\n\
11/24/2026|09:58:02.000 1A2C:2B3D INFO  :: Data Received - x:\n\
SIP/2.0 200 OK\n\
Content-Type: application/vnd-microsoft-roaming-provisioning-v2+xml\n\
\n\
<property name=\"EnableIMAutoArchiving\">false</property><displayName>John Doe</displayName>\n";
        r.learn(log);
        let mut lr = LogRedactor::new(Some(&r));
        let out: Vec<String> = log.lines().filter_map(|l| lr.line(l)).collect();
        let out = out.join("\n");
        assert!(!out.contains("secret plan"), "{out}");
        assert!(!out.contains("John Doe"), "{out}");
        assert!(!out.contains("jdoe") && !out.contains("fabrikam"), "{out}");
        assert!(out.contains("1 line(s) of a message body removed"), "{out}");
        assert!(
            out.contains("EnableIMAutoArchiving\">false</property>"),
            "{out}"
        );
    }
}

#[cfg(test)]
mod class_tests {
    use super::*;

    /// Learn from `text`, redact it, check nothing of `secrets` remains
    /// (case-insensitively) and that a second pass changes nothing.
    fn redacted(text: &str, secrets: &[&str]) -> String {
        let mut r = Redactor::new("t");
        r.learn(text);
        let once = r.redact(text);
        let low = once.to_lowercase();
        for s in secrets {
            assert!(!low.contains(&s.to_lowercase()), "{s:?} left in {once}");
        }
        let mut again = Redactor::new("t");
        again.learn(&once);
        assert_eq!(again.redact(&once), once, "a second pass changed it");
        once
    }

    #[test]
    fn learnt_names_inside_other_tokens_any_case() {
        let out = redacted(
            r"user CONTOSO\asmith profile C:\Users\asmith\AppData from WKS-ASMITH-01 and ws-Asmith.x",
            &["asmith", "contoso"],
        );
        assert!(out.contains("WKS-user-"), "{out}");
        let out = redacted(r"C:\Users\jürgen\x then PC-JÜRGEN-2", &["jürgen"]);
        assert!(out.contains("PC-user-"), "{out}");
    }

    #[test]
    fn unicode_addresses_are_whole() {
        let out = redacted(
            r"C:\x\sip_jürgen.müller@contoso.de\History Spooler",
            &["jürgen", "müller", "contoso", "ller@"],
        );
        assert!(out.contains(r"\sip_user-"), "{out}");
    }

    #[test]
    fn host_labels_in_a_learnt_domain() {
        let out = redacted(
            "sip:kim@contoso.com source=\"fe01.contoso.com\" pool fe01.Contoso.com.",
            &["fe01", "contoso"],
        );
        assert!(out.contains("\"host-"), "{out}");
    }

    #[test]
    fn network_identifiers() {
        let out = redacted(
            "Sending Packet - 10.20.0.5:443 (From Local Address: 10.20.1.77:50312) fe80::1c2d:3e4f:5a6b:7c8d%12 [2001:db8::42]:5061 mac 00-1A-2B-3C-4D-5E 00:1a:2b:3c:4d:5f UCCAPI/16.0.7571.2072 127.0.0.1",
            &[
                "10.20.0.5",
                "10.20.1.77",
                "fe80::",
                "2001:db8",
                "00-1a-2b",
                "00:1a:2b",
            ],
        );
        assert!(out.contains("ip-") && out.contains(":443"), "{out}");
        assert!(
            out.contains("UCCAPI/16.0.7571.2072") && out.contains("127.0.0.1"),
            "{out}"
        );
        assert!(out.contains("1A2C:2B3D") || !out.contains("1A2C"), "{out}");
    }

    #[test]
    fn thread_ids_and_scopes_are_not_addresses() {
        let t = "11/24/2026|09:58:01.123 1A2C:2B3D INFO  :: CAutoDiscoverManager::OnComplete";
        assert_eq!(redacted(t, &[]), t);
    }

    #[test]
    fn phone_numbers() {
        redacted(
            "P-Asserted-Identity: <tel:+14255550100;ext=100>, <sip:+14255550100@contoso.com;user=phone>\n<displayString>425 555 0199</displayString> call +4930123456 or tel:0612345678",
            &[
                "4255550100",
                "425 555 0199",
                "4930123456",
                "0612345678",
                "555",
            ],
        );
    }

    #[test]
    fn credentials_everywhere() {
        let out = redacted(
            "Authorization: NTLM qop=\"auth\", realm=\"SIP Communications Service\", gssapi-data=\"TlRMTVNTUAADAAAAGAAYAHAAAAA\"",
            &["TlRMTVNTUAAD", "realm"],
        );
        assert!(
            out.starts_with("Authorization: NTLM [token removed, "),
            "{out}"
        );
    }

    #[test]
    fn message_text() {
        redacted(
            "Ms-Text-Format: text/plain; charset=UTF-8; ms-body=c2VjcmV0IHBsYW4=\n<t:Body BodyType=\"Text\"><![CDATA[the secret plan]]></t:Body>",
            &["c2VjcmV0IHBsYW4", "secret plan"],
        );
    }

    #[test]
    fn xml_names_and_subjects() {
        redacted(
            "<contact uri=\"sip:kim@contoso.com\" name=\"Kim Akers\" groups=\"1\"/><group id=\"1\" name=\"Project Falcon\"/><meetingSubject>Layoffs Q3</meetingSubject><meetingLocation>Room 12</meetingLocation>",
            &["Kim Akers", "Falcon", "Layoffs", "Room 12"],
        );
        // Provisioning evidence stays.
        let t = "<property name=\"EnableIMAutoArchiving\">false</property>";
        assert_eq!(redacted(t, &[]), t);
    }

    /// One pasted list view per cmdlet the tool reads.
    #[test]
    fn every_personal_property_of_every_cmdlet() {
        for (cmdlet, props) in personal::PERSONAL_PROPERTIES {
            let paste: String = props
                .iter()
                .enumerate()
                .map(|(i, (p, _))| format!("{p:<20} : Secret Value{i}x\r\n"))
                .collect::<String>()
                + "Identity             : Tag:NoArchive\r\nEnableIMAutoArchiving : False\r\n";
            let out = redacted(&paste, &["secret value"]);
            assert!(
                out.contains("Tag:NoArchive") && out.contains(": False"),
                "{cmdlet}: {out}"
            );
        }
        let out = redacted(
            "DisplayName : Alice Smith\r\nSamAccountName : asmith\r\nLineURI : tel:+14255550100\r\nIdentity : Alice Smith\r\nHomeServer : WKS-ASMITH",
            &["alice", "asmith", "4255550100"],
        );
        assert!(out.contains("LineURI : phone-"), "{out}");
    }

    #[test]
    fn every_class_is_in_the_privacy_document() {
        let doc = include_str!("../../docs/privacy.md");
        for c in classes::CLASSES {
            assert!(
                doc.contains(&format!("`{}`", c.id)),
                "docs/privacy.md lacks {}",
                c.id
            );
        }
    }
}
