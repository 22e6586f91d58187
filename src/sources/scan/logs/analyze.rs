//! One job of log text to facts.
//!
//! A job is a run of whole entries (see `pipeline`), each known from its
//! prefixed first line. Lines before the first entry start belong to the
//! entry the reader says is open there ("inherited"): the lines before a
//! file's first entry, or the rest of an entry cut for size. Every fact is
//! final here; only the pairing of a response with a request in an earlier
//! job waits for the merge ([`Reduction::merge`]).

use chrono::NaiveDateTime;
use regex::bytes::Captures;

use super::header::{parse_entry_header, parse_entry_time};
use super::matcher::{Candidate, LiteralSet, RuleMask};
use super::reduce::{EntryCtx, Reduction};
use super::sink::{Found, Sink};
use super::source::ChunkBuf;
use super::tz::Converter;
use super::xml::{self, Element};
use super::{LogScanOptions, SipDiagnostic};
use crate::client_build::ClientBuild;
use crate::rules::{Rule, RuleKind};

mod entry;

/// Longest excerpt kept, in characters.
const EXCERPT_CHARS: usize = 200;

/// The rules of one scan, with their prefilters built.
pub(crate) struct Compiled {
    pub rules: Vec<Rule>,
    /// Literals of the kinds that select a line or an entry by themselves.
    pub primary: LiteralSet,
    /// Literals of the entry kinds, searched inside selected entries only.
    pub entry: LiteralSet,
    pub build_mask: RuleMask,
    pub mention_mask: RuleMask,
}

impl Compiled {
    pub(crate) fn new(opts: &LogScanOptions) -> Compiled {
        let rules: Vec<Rule> = opts.rules.iter().take(128).cloned().collect();
        let mut primary = Vec::new();
        let mut entry = Vec::new();
        let mut build_mask = 0;
        let mut mention_mask = 0;
        for (i, r) in rules.iter().enumerate() {
            let bit: RuleMask = 1 << i;
            if r.kind == RuleKind::ClientBuild {
                build_mask |= bit;
            }
            if r.kind.is_entry_level() && !r.kind.is_entry_condition() {
                mention_mask |= bit;
            }
            for l in &r.literals {
                if !r.kind.is_entry_condition() {
                    primary.push((l.clone(), i));
                }
                if r.kind.is_entry_level() {
                    entry.push((l.clone(), i));
                }
            }
        }
        Compiled {
            primary: LiteralSet::new(&primary),
            entry: LiteralSet::new(&entry),
            rules,
            build_mask,
            mention_mask,
        }
    }

    fn rules_in(&self, mask: RuleMask) -> impl Iterator<Item = (usize, &Rule)> {
        self.rules
            .iter()
            .enumerate()
            .filter(move |(i, _)| mask & (1 << i) != 0)
    }
}

/// Where the entry open at a job's start began, as the reader found it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct EntryStart {
    pub line: u64,
    pub offset: u64,
    pub local: Option<NaiveDateTime>,
    pub thread: u64,
}

impl EntryStart {
    /// Lines before the first prefixed line form an entry of their own,
    /// starting at line 1 with no timestamp.
    pub(crate) const ORPHAN: EntryStart = EntryStart {
        line: 1,
        offset: 0,
        local: None,
        thread: 0,
    };
}

/// Where an entry stands with respect to a SIP `MESSAGE` body. The body of
/// a MESSAGE is what a user typed: no rule ever reads it, so a chat about
/// "an error with my offline message" is neither evidence nor excerpt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BodyState {
    /// At the entry's first line.
    Fresh,
    /// At its second line (the SIP start line may follow a framing line
    /// such as `Sending Packet - ...` without a prefix of its own).
    Second,
    /// In the headers of a MESSAGE: the body starts after the blank line.
    Headers,
    /// In the body of a MESSAGE, up to the entry's end.
    Body,
    /// Not a MESSAGE.
    Other,
}

fn is_message_start(text: &[u8]) -> bool {
    text.starts_with(b"MESSAGE ") && memchr::memmem::find(text, b" SIP/2.0").is_some()
}

/// Follow the lines of `hay` (which starts at a line start, inside one
/// entry) from `state`. Returns the state at the end and where in `hay` a
/// MESSAGE body starts, if it does.
pub(crate) fn walk_body(hay: &[u8], mut state: BodyState) -> (BodyState, Option<usize>) {
    if state == BodyState::Body {
        return (state, Some(0));
    }
    let mut start = 0;
    while start < hay.len()
        && matches!(
            state,
            BodyState::Fresh | BodyState::Second | BodyState::Headers
        )
    {
        let end = memchr::memchr(b'\n', &hay[start..]).map_or(hay.len(), |i| start + i);
        let line = &hay[start..end];
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        state = match state {
            BodyState::Fresh => {
                let text = parse_entry_header(line)
                    .map_or(line, |h| line.get(h.text_start..).unwrap_or_default());
                if is_message_start(text) {
                    BodyState::Headers
                } else {
                    BodyState::Second
                }
            }
            BodyState::Second => {
                if is_message_start(line) {
                    BodyState::Headers
                } else {
                    BodyState::Other
                }
            }
            BodyState::Headers if line.is_empty() => {
                return (BodyState::Body, Some((end + 1).min(hay.len())));
            }
            other => other,
        };
        start = end + 1;
    }
    (state, None)
}

pub(crate) struct Job {
    pub seq: u64,
    pub bytes: ChunkBuf,
    /// Lines before this job in the scanned text.
    pub base_line: u64,
    pub base_offset: u64,
    /// The entry the lines before the job's first entry start belong to.
    pub inherited: EntryStart,
    /// Where the inherited entry stands at the job's start.
    pub inherited_body: BodyState,
    /// Raw file bytes consumed once this job was read, for progress.
    pub consumed: u64,
}

pub(crate) struct ChunkResult {
    pub seq: u64,
    pub agg: Reduction,
    pub entries: u64,
    pub overlong_lines: u64,
    pub consumed: u64,
}

struct Hdr {
    pos: usize,
    ctx: EntryCtx,
    /// Where a MESSAGE body starts in this entry: not yet known, none, or
    /// the position.
    body: Option<Option<usize>>,
}

/// Per-thread state, reused from job to job.
pub(crate) struct Analyzer<'a> {
    compiled: &'a Compiled,
    file_idx: u32,
    path: &'a str,
    max_line: usize,
    conv: Converter,
    scratch: Vec<u8>,
    cands: Vec<Candidate>,
    entry_cands: Vec<Candidate>,
    headers: Vec<Hdr>,
    /// [`Analyzer::body_from`] of the inherited entry, per job.
    head_body: Option<Option<usize>>,
    /// Lines longer than `max_line` in this job (the reader counts those
    /// it cut itself).
    overlong: u64,
}

/// The line without its `\r` and capped at the retained length.
fn line_text<'h>(hay: &'h [u8], c: &Candidate, max_line: usize) -> &'h [u8] {
    let end = c.end.min(c.start.saturating_add(max_line));
    let l = &hay[c.start..end];
    l.strip_suffix(b"\r").unwrap_or(l)
}

/// A short, single-line, printable rendering of matched bytes: invalid
/// UTF-8 replaced, control and bidi characters dropped, whitespace
/// collapsed, at most [`EXCERPT_CHARS`] characters.
pub(crate) fn excerpt(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(&bytes[..bytes.len().min(EXCERPT_CHARS * 4)]);
    let mut out = String::with_capacity(text.len().min(EXCERPT_CHARS));
    let mut n = 0;
    let mut space = false;
    for c in text.chars() {
        // Bidi and zero-width marks could reorder or hide text on a
        // terminal: dropped. Controls and whitespace separate words.
        if matches!(c, '\u{200B}'..='\u{200F}' | '\u{061C}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
        {
            continue;
        }
        if c.is_control() || c.is_whitespace() {
            space = !out.is_empty();
            continue;
        }
        if space {
            out.push(' ');
            n += 1;
            space = false;
        }
        if n >= EXCERPT_CHARS {
            break;
        }
        out.push(c);
        n += 1;
    }
    out
}

fn group<'h>(caps: &Captures<'h>, name: &str) -> Option<&'h [u8]> {
    caps.name(name).map(|m| m.as_bytes())
}

use xml::parse_bool;

/// A URL at `at` in `line` that is an XML element's value (`<EwsUrl>https://`,
/// `<ASUrl>`: what autodiscover answered) or a namespace
/// (`xmlns="http://schemas.microsoft.com/exchange/autodiscover/..."`), not
/// a request to it.
fn not_a_request(line: &[u8], at: usize) -> bool {
    let before = line.get(..at).unwrap_or_default();
    match before.last() {
        Some(b'>') => true,
        Some(b'"' | b'\'') => {
            let name = before[..before.len() - 1].trim_ascii_end();
            let Some(name) = name.strip_suffix(b"=") else {
                return false;
            };
            let name = name.trim_ascii_end();
            let start = name
                .iter()
                .rposition(|b| b.is_ascii_whitespace() || *b == b'<')
                .map_or(0, |p| p + 1);
            let attr = &name[start..];
            attr.eq_ignore_ascii_case(b"xmlns")
                || attr.len() > 6 && attr[..6].eq_ignore_ascii_case(b"xmlns:")
        }
        _ => false,
    }
}

/// The thread id of the entry whose first line starts `entry`.
fn thread_of(entry: &[u8]) -> u64 {
    let end = memchr::memchr(b'\n', entry).unwrap_or(entry.len());
    let line = entry.get(..end).unwrap_or(entry);
    parse_entry_header(line).map_or(0, |h| h.thread_id(line))
}

/// The line after the candidate's, when it continues the same entry (no
/// prefix of its own): an element's value may sit there.
fn next_line<'h>(hay: &'h [u8], c: &Candidate, max_line: usize) -> Option<&'h [u8]> {
    let start = c.end.checked_add(1)?;
    let rest = hay.get(start..)?;
    let end = memchr::memchr(b'\n', rest)
        .unwrap_or(rest.len())
        .min(max_line);
    let line = rest.get(..end)?;
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    (!line.is_empty() && parse_entry_header(line).is_none()).then_some(line)
}

fn parse_num<T: std::str::FromStr>(b: &[u8]) -> Option<T> {
    std::str::from_utf8(b).ok()?.trim().parse().ok()
}

impl<'a> Analyzer<'a> {
    pub(crate) fn new(
        compiled: &'a Compiled,
        opts: &LogScanOptions,
        file_idx: u32,
        path: &'a str,
    ) -> Self {
        Analyzer {
            compiled,
            file_idx,
            path,
            max_line: opts.max_line_bytes.max(1),
            conv: Converter::new(opts.time_zone),
            scratch: Vec::new(),
            cands: Vec::new(),
            entry_cands: Vec::new(),
            headers: Vec::new(),
            head_body: None,
            overlong: 0,
        }
    }

    pub(crate) fn analyze(&mut self, job: &Job) -> ChunkResult {
        let mut agg = Reduction::new(self.file_idx, self.path);
        self.find(job, &mut agg);
        ChunkResult {
            seq: job.seq,
            agg,
            entries: self.headers.len() as u64,
            overlong_lines: self.overlong,
            consumed: job.consumed,
        }
    }

    /// Push every fact of the job into `sink`: line facts newest first,
    /// then entry facts in log order.
    pub(crate) fn find(&mut self, job: &Job, sink: &mut impl Sink) {
        let hay = job.bytes.as_slice();
        self.find_headers(hay, job);
        self.head_body = None;
        let inherited = EntryCtx {
            line: job.inherited.line,
            offset: job.inherited.offset,
            ts: job.inherited.local.and_then(|l| self.conv.utc(l)),
            thread: job.inherited.thread,
        };

        let mut cands = std::mem::take(&mut self.cands);
        self.compiled
            .primary
            .candidates(hay, self.max_line, &mut self.scratch, &mut cands);

        // Line facts, and which entries need a closer look (`hi`: 0 for
        // the inherited entry, else header `hi - 1`). Newest first: the
        // bounded lists then fill with their final members and turn the
        // older rest away before anything is built for them.
        let mut selected: Vec<usize> = Vec::new();
        for c in cands.iter().rev() {
            let hi = self.headers.partition_point(|h| h.pos <= c.start);
            if self.in_body(hay, hi, c, job.inherited_body) {
                continue;
            }
            let ctx = if hi == 0 {
                inherited
            } else {
                self.headers[hi - 1].ctx
            };
            let offset = job.base_offset + c.start as u64;
            self.line_facts(hay, c, &ctx, offset, sink);
            if c.mask & self.compiled.mention_mask != 0 && selected.last() != Some(&hi) {
                selected.push(hi);
            }
        }
        self.newest_build(hay, &cands, &inherited, job, sink);
        self.cands = cands;

        // In log order: a response pairs with the request before it.
        for &hi in selected.iter().rev() {
            let start = if hi == 0 { 0 } else { self.headers[hi - 1].pos };
            let end = self.headers.get(hi).map_or(hay.len(), |h| h.pos);
            let body = self
                .body_from(hay, hi, job.inherited_body)
                .map(|b| b - start);
            let flags = self.entry_flags(&hay[start..end], body);
            let mut ctx = if hi == 0 {
                inherited
            } else {
                self.headers[hi - 1].ctx
            };
            if (flags.is_http() || flags.policy_reason.is_some()) && hi > 0 {
                ctx.thread = thread_of(&hay[start..end]);
            }
            flags.finish(&ctx, sink);
        }
    }

    /// Where the MESSAGE body of entry `hi` (0: the inherited entry, else
    /// header `hi - 1`) starts in the job, if it has one. Cached.
    fn body_from(&mut self, hay: &[u8], hi: usize, inherited: BodyState) -> Option<usize> {
        if hi == 0 {
            if let Some(b) = self.head_body {
                return b;
            }
            let end = self.headers.first().map_or(hay.len(), |h| h.pos);
            let b = walk_body(&hay[..end], inherited).1;
            self.head_body = Some(b);
            return b;
        }
        let i = hi - 1;
        if let Some(b) = self.headers[i].body {
            return b;
        }
        let start = self.headers[i].pos;
        let end = self.headers.get(i + 1).map_or(hay.len(), |h| h.pos);
        let b = walk_body(&hay[start..end], BodyState::Fresh)
            .1
            .map(|p| p + start);
        self.headers[i].body = Some(b);
        b
    }

    fn in_body(&mut self, hay: &[u8], hi: usize, c: &Candidate, inherited: BodyState) -> bool {
        self.body_from(hay, hi, inherited)
            .is_some_and(|b| c.start >= b)
    }

    fn find_headers(&mut self, hay: &[u8], job: &Job) {
        self.headers.clear();
        self.overlong = 0;
        let mut start = 0;
        let line_ends = memchr::memchr_iter(b'\n', hay).chain(std::iter::once(hay.len()));
        for (line, nl) in (job.base_line + 1..).zip(line_ends) {
            if start >= hay.len() {
                break;
            }
            // Only a digit (or `T` of Lync 2010's `TL_`) can start a prefix;
            // most lines are SIP headers or XML and stop here.
            if matches!(hay[start], b'0'..=b'9' | b'T')
                && let Some(local) = parse_entry_time(&hay[start..nl])
            {
                let ctx = EntryCtx {
                    line,
                    offset: job.base_offset + start as u64,
                    ts: self.conv.utc(local),
                    // Hashed only for entries that turn out to be HTTP
                    // traffic (`thread_of`): most entries never need it.
                    thread: 0,
                };
                self.headers.push(Hdr {
                    pos: start,
                    ctx,
                    body: None,
                });
            }
            if nl - start > self.max_line {
                self.overlong += 1;
            }
            start = nl + 1;
        }
    }

    /// The facts of one candidate line.
    fn line_facts(
        &self,
        hay: &[u8],
        c: &Candidate,
        ctx: &EntryCtx,
        offset: u64,
        sink: &mut impl Sink,
    ) {
        let text = line_text(hay, c, self.max_line);
        let mut done: u16 = 0;
        for (_, rule) in self.compiled.rules_in(c.mask & !self.compiled.build_mask) {
            let kind_bit = 1u16 << (rule.kind as u16);
            // The first rule of a kind that matches a line decides it.
            if done & kind_bit != 0 {
                continue;
            }
            let matched = match rule.kind {
                RuleKind::PolicyAutoArchiving | RuleKind::UserAutoArchiving => rule
                    .regex()
                    .captures(text)
                    .and_then(|caps| {
                        // The regex finds the element; its value is read
                        // element-aware (any attribute order, prefixes,
                        // a value on the next line).
                        let at = caps.get(0)?.start();
                        let element = if rule.kind == RuleKind::UserAutoArchiving {
                            Element::Named("imAutoArchiving")
                        } else {
                            Element::Property("EnableIMAutoArchiving")
                        };
                        let next = next_line(hay, c, self.max_line);
                        match xml::find_bool(text, at, next, element) {
                            Some((v, ex)) => Some((v, excerpt(ex))),
                            None => {
                                let v = group(&caps, "value").and_then(parse_bool)?;
                                Some((v, excerpt(caps.get(0)?.as_bytes())))
                            }
                        }
                    })
                    .map(|(value, excerpt)| {
                        let user_option = rule.kind == RuleKind::UserAutoArchiving;
                        let found = Found::AutoArchiving {
                            user_option,
                            value,
                            excerpt,
                        };
                        sink.push(ctx, offset, found);
                    })
                    .is_some(),
                RuleKind::EwsUrl => {
                    let mut any = false;
                    for caps in rule.regex().captures_iter(text) {
                        if let (Some(url), Some(all)) = (group(&caps, "url"), caps.get(0)) {
                            let url = excerpt(url);
                            if !url.is_empty() {
                                // Two URLs on one line are two facts: their
                                // keys differ by where they start.
                                let at = offset + all.start() as u64;
                                let excerpt = excerpt(all.as_bytes());
                                sink.push(ctx, at, Found::EwsUrl { url, excerpt });
                                any = true;
                            }
                        }
                    }
                    any
                }
                RuleKind::ImRecipient => {
                    let mut any = false;
                    for caps in rule.regex().captures_iter(text) {
                        if let (Some(to), Some(all)) = (group(&caps, "to"), caps.get(0)) {
                            let to = excerpt(to);
                            if !to.is_empty() {
                                let at = offset + all.start() as u64;
                                let excerpt = excerpt(all.as_bytes());
                                sink.push(ctx, at, Found::ImRecipient { to, excerpt });
                                any = true;
                            }
                        }
                    }
                    any
                }
                RuleKind::HttpDiagnostic => diagnostic(rule, text)
                    .map(|(diag, excerpt)| {
                        sink.push(ctx, offset, Found::HttpDiagnostic { diag, excerpt })
                    })
                    .is_some(),
                RuleKind::SipDiagnostic => diagnostic(rule, text)
                    .map(|(diag, excerpt)| {
                        sink.push(ctx, offset, Found::SipError { diag, excerpt })
                    })
                    .is_some(),
                // Entry kinds are read per entry; builds newest-first below.
                _ => false,
            };
            if matched {
                done |= kind_bit;
            }
        }
    }

    /// The newest `User-Agent` build of the job. Candidates are visited
    /// newest-first so that, in a log whose time only moves forward, one
    /// regex per job settles it and the other ~100k User-Agent lines per
    /// GiB cost no regex at all.
    fn newest_build(
        &mut self,
        hay: &[u8],
        cands: &[Candidate],
        inherited: &EntryCtx,
        job: &Job,
        sink: &mut impl Sink,
    ) {
        let bm = self.compiled.build_mask;
        if bm == 0 {
            return;
        }
        let mut local_best = None;
        let mut inherited_done = false;
        for c in cands.iter().rev().filter(|c| c.mask & bm != 0) {
            let hi = self.headers.partition_point(|h| h.pos <= c.start);
            let offset = job.base_offset + c.start as u64;
            let ctx = if hi == 0 {
                if inherited_done {
                    continue;
                }
                *inherited
            } else {
                let ctx = self.headers[hi - 1].ctx;
                // Visiting backwards, an equal time at an earlier offset
                // loses the tie too.
                if local_best.is_some_and(|ts| ctx.ts <= ts) {
                    continue;
                }
                ctx
            };
            if self.in_body(hay, hi, c, job.inherited_body) {
                continue;
            }
            let text = line_text(hay, c, self.max_line);
            for (_, rule) in self.compiled.rules_in(c.mask & bm) {
                let Some(caps) = rule.regex().captures(text) else {
                    continue;
                };
                let Some(build) = group(&caps, "build")
                    .and_then(|b| std::str::from_utf8(b).ok())
                    .and_then(|s| s.parse::<ClientBuild>().ok())
                else {
                    continue;
                };
                let excerpt = caps
                    .get(0)
                    .map(|m| excerpt(m.as_bytes()))
                    .unwrap_or_default();
                sink.push(&ctx, offset, Found::Build { build, excerpt });
                if hi == 0 {
                    inherited_done = true;
                } else {
                    local_best = Some(ctx.ts);
                }
                break;
            }
        }
    }
}

/// A `code;reason="..."` diagnostic (SIP `ms-diagnostics` or HTTP
/// `x-ms-diagnostics`: the same shape, told apart by the rule's kind).
fn diagnostic(rule: &Rule, text: &[u8]) -> Option<(SipDiagnostic, String)> {
    let caps = rule.regex().captures(text)?;
    let code: u32 = parse_num(group(&caps, "code")?)?;
    let reason = group(&caps, "reason")
        .map(excerpt)
        .filter(|r| !r.is_empty());
    Some((
        SipDiagnostic { code, reason },
        excerpt(caps.get(0)?.as_bytes()),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpt_is_clean_and_short() {
        assert_eq!(
            excerpt(b"  a\x1b[31m\tb\r\n c\xff\xfe"),
            "a [31m b c\u{fffd}\u{fffd}"
        );
        assert_eq!(excerpt("x\u{202e}y".as_bytes()), "xy");
        assert_eq!(excerpt(&[b'z'; 1000]).chars().count(), EXCERPT_CHARS);
        assert_eq!(excerpt(b"\0\0"), "");
    }

    #[test]
    fn namespaces_and_element_values_are_not_requests() {
        let at = |l: &str| l.find("http").unwrap();
        for (line, want) in [
            (
                "<Autodiscover xmlns=\"http://schemas.microsoft.com/exchange/autodiscover/x\">",
                true,
            ),
            (
                "<a:Autodiscover xmlns:a = 'http://schemas.microsoft.com/autodiscover'>",
                true,
            ),
            (
                "<EwsUrl>https://mail.contoso.com/EWS/Exchange.asmx</EwsUrl>",
                true,
            ),
            (
                "GET https://autodiscover.contoso.com/autodiscover/autodiscover.xml",
                false,
            ),
            (
                "url=\"https://autodiscover.contoso.com/autodiscover/autodiscover.svc\"",
                false,
            ),
            ("\"https://autodiscover.contoso.com/\"", false),
        ] {
            assert_eq!(not_a_request(line.as_bytes(), at(line)), want, "{line}");
        }
    }

    /// The analyzer only finds: what it pushes is the typed fact of each
    /// match, in the order the sink gets them (line facts newest first,
    /// then entries in log order), with nothing kept or counted yet.
    #[test]
    fn the_analyzer_pushes_typed_facts_into_its_sink() {
        let opts = LogScanOptions {
            time_zone: super::super::LogTimeZone::Fixed(chrono::FixedOffset::east_opt(0).unwrap()),
            ..LogScanOptions::default()
        };
        let compiled = Compiled::new(&opts);
        let mut analyzer = Analyzer::new(&compiled, &opts, 0, "p");
        let log = "11/24/2026|09:00:00.000 1A:2B INFO  :: ms-diagnostics: 15;reason=\"x\"\n\
                   11/24/2026|09:00:01.000 1A:2B INFO  :: ms-diagnostics: 16\n\
                   11/24/2026|09:00:02.000 1A:2B INFO  :: GET https://mail.contoso.test/EWS/Exchange.asmx\n\
                   HTTP/1.1 503 Service Unavailable\n";
        let job = Job {
            seq: 0,
            bytes: ChunkBuf::from(log.as_bytes()),
            base_line: 0,
            base_offset: 0,
            inherited: EntryStart::ORPHAN,
            inherited_body: BodyState::Fresh,
            consumed: 0,
        };
        let mut found: Vec<(EntryCtx, u64, Found)> = Vec::new();
        analyzer.find(&job, &mut found);
        let kinds: Vec<String> = found
            .iter()
            .map(|(ctx, _, f)| match f {
                Found::SipError { diag, .. } => format!("sip {} line {}", diag.code, ctx.line),
                Found::EwsUrl { url, .. } => format!("url {url}"),
                Found::Http(e) => format!(
                    "http {:?} {:?} line {}",
                    e.url,
                    e.status.as_ref().map(|s| s.0),
                    ctx.line
                ),
                other => format!("{other:?}"),
            })
            .collect();
        assert_eq!(
            kinds,
            [
                "url https://mail.contoso.test/EWS/Exchange.asmx",
                "sip 16 line 2",
                "sip 15 line 1",
                "http Some(\"https://mail.contoso.test/EWS/Exchange.asmx\") Some(503) line 3",
            ]
        );
    }

    #[test]
    fn bools() {
        assert_eq!(parse_bool(b"TRUE"), Some(true));
        assert_eq!(parse_bool(b"$false"), Some(false));
        assert_eq!(parse_bool(b"maybe"), None);
    }
}
