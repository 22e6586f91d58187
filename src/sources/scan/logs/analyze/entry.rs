//! What one selected entry says: the entry kinds' matches of an entry
//! together (a request, its status and the headers of the response; an
//! offline-message event and its failure), pushed as one fact.

use super::super::header::parse_entry_header;
use super::super::reduce::EntryCtx;
use super::super::sink::{Found, HttpEntry, OfflineFailure, RespHeaders, Sink};
use super::super::{EndpointKind, EwsAnswer};
use super::{Analyzer, excerpt, group, line_text, not_a_request, parse_num};
use crate::rules::{Rule, RuleKind};

/// What one entry says; the first sighting of each wins.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct EntryFlags {
    /// The service the entry first mentions.
    pub request: Option<EndpointKind>,
    /// The first request URL the entry names (never one that is an XML
    /// element's value, such as `<EwsUrl>` in an autodiscover answer), and
    /// its service.
    pub url: Option<(EndpointKind, String)>,
    /// The first final (200 or above) HTTP status.
    pub status: Option<(u16, String)>,
    /// The status came from an HRESULT (`0x8019XXXX`).
    pub status_from_hresult: bool,
    /// `X-EWS-Policy-Reason`, when the entry carries it.
    pub policy_reason: Option<String>,
    /// The schemes of the entry's `WWW-Authenticate` headers, in order.
    pub auth_schemes: Vec<String>,
    /// What the entry's EWS SOAP answer said.
    pub ews_answer: EwsAnswer,
    pub offline: Option<String>,
    pub failure: Option<String>,
    /// The line the failure marker is on, as an excerpt.
    pub failure_line: Option<String>,
}

impl EntryFlags {
    /// Whether the entry says anything about EWS/autodiscover traffic.
    pub(crate) fn is_http(&self) -> bool {
        self.request.is_some() || self.url.is_some() || self.status.is_some()
    }

    /// The entry is complete: turn what it said into facts.
    pub(crate) fn finish(self, ctx: &EntryCtx, sink: &mut impl Sink) {
        if !self.is_http()
            && let Some(reason) = &self.policy_reason
        {
            sink.push(ctx, ctx.offset, Found::PolicyReason(reason.clone()));
        }
        if self.is_http() {
            let (kind, url) = match self.url {
                Some((k, u)) => (Some(k), Some(u)),
                // An HTTP status in an HRESULT of an offline-message entry
                // is EWS's answer: offline messages travel over EWS.
                None if self.request.is_none()
                    && self.status_from_hresult
                    && self.offline.is_some() =>
                {
                    (Some(EndpointKind::Ews), None)
                }
                None => (self.request, None),
            };
            sink.push(
                ctx,
                ctx.offset,
                Found::Http(HttpEntry {
                    kind,
                    url,
                    status: self.status.clone(),
                    headers: RespHeaders {
                        policy_reason: self.policy_reason.clone(),
                        auth_schemes: (!self.auth_schemes.is_empty())
                            .then(|| self.auth_schemes.join(", ")),
                        ews_answer: (!self.ews_answer.is_empty()).then(|| self.ews_answer.clone()),
                    },
                }),
            );
        }
        if let Some(mention) = self.offline {
            // The evidence shows the HTTP status an HRESULT carries.
            let line = match (&self.failure_line, &self.status) {
                (Some(l), Some((status, _))) if self.status_from_hresult => {
                    Some(format!("{l} [HTTP {status}]"))
                }
                (l, _) => l.clone(),
            };
            let failure = self.failure.map(|marker| OfflineFailure {
                line: line.unwrap_or_else(|| marker.clone()),
                marker,
            });
            sink.push(ctx, ctx.offset, Found::Offline { mention, failure });
        }
    }
}

impl Analyzer<'_> {
    /// What one entry says; lines from `body` on are a MESSAGE body and
    /// are not read.
    pub(super) fn entry_flags(&mut self, hay: &[u8], body: Option<usize>) -> EntryFlags {
        let mut flags = EntryFlags::default();
        if hay.is_empty() {
            return flags;
        }
        let mut cands = std::mem::take(&mut self.entry_cands);
        self.compiled
            .entry
            .candidates(hay, self.max_line, &mut self.scratch, &mut cands);
        for c in cands
            .iter()
            .take_while(|c| body.is_none_or(|b| c.start < b))
        {
            let text = line_text(hay, c, self.max_line);
            for (_, rule) in self.compiled.rules_in(c.mask) {
                match rule.kind {
                    RuleKind::EwsRequest | RuleKind::AutodiscoverRequest
                        if flags.request.is_none() || flags.url.is_none() =>
                    {
                        let kind = if rule.kind == RuleKind::EwsRequest {
                            EndpointKind::Ews
                        } else {
                            EndpointKind::Autodiscover
                        };
                        for caps in rule.regex().captures_iter(text) {
                            // `<EwsUrl>https://...` or `<ASUrl>` is what
                            // autodiscover answered: neither a request to
                            // that URL nor a mention of that service.
                            let url = caps.name("url");
                            if url.is_some_and(|m| not_a_request(text, m.start())) {
                                continue;
                            }
                            if flags.request.is_none() {
                                flags.request = Some(kind);
                            }
                            if flags.url.is_none() {
                                flags.url = url
                                    .map(|m| excerpt(m.as_bytes()))
                                    .filter(|u| !u.is_empty())
                                    .map(|u| (kind, u));
                            }
                            if flags.url.is_some() {
                                break;
                            }
                        }
                    }
                    RuleKind::HttpStatus if flags.status.is_none() => {
                        for caps in rule.regex().captures_iter(text) {
                            let Some(status) = group(&caps, "status").and_then(parse_num::<u16>)
                            else {
                                continue;
                            };
                            if status >= 200 {
                                let ex = caps
                                    .get(0)
                                    .map(|m| excerpt(m.as_bytes()))
                                    .unwrap_or_default();
                                flags.status = Some((status, ex));
                                break;
                            }
                        }
                    }
                    RuleKind::HttpStatusHresult if flags.status.is_none() => {
                        for caps in rule.regex().captures_iter(text) {
                            let Some(status) = group(&caps, "hresult").and_then(hresult_status)
                            else {
                                continue;
                            };
                            let hr = group(&caps, "hresult").map(excerpt).unwrap_or_default();
                            flags.status = Some((status, format!("{hr} (HTTP {status})")));
                            flags.status_from_hresult = true;
                            break;
                        }
                    }
                    RuleKind::HttpPolicyReason if flags.policy_reason.is_none() => {
                        if let Some(r) = rule
                            .regex()
                            .captures(text)
                            .and_then(|caps| group(&caps, "reason").map(excerpt))
                            .map(|r| r.trim().to_string())
                            .filter(|r| !r.is_empty())
                        {
                            flags.policy_reason = Some(r);
                        }
                    }
                    RuleKind::HttpAuthChallenge if flags.auth_schemes.len() < 8 => {
                        for caps in rule.regex().captures_iter(text) {
                            let Some(list) = group(&caps, "schemes").map(excerpt) else {
                                continue;
                            };
                            for scheme in auth_schemes(&list) {
                                if !flags
                                    .auth_schemes
                                    .iter()
                                    .any(|s| s.eq_ignore_ascii_case(&scheme))
                                    && flags.auth_schemes.len() < 8
                                {
                                    flags.auth_schemes.push(scheme);
                                }
                            }
                        }
                    }
                    RuleKind::EwsResponse => {
                        let a = &mut flags.ews_answer;
                        for caps in rule.regex().captures_iter(text) {
                            if a.class.is_none()
                                && let Some(c) = group(&caps, "class").map(excerpt)
                            {
                                a.class = Some(c);
                            }
                            if let Some(c) = group(&caps, "code").map(excerpt)
                                && a.codes.len() < 4
                                && !a.codes.iter().any(|h| h.eq_ignore_ascii_case(&c))
                            {
                                a.codes.push(c);
                            }
                            if a.message.is_none()
                                && let Some(m) = group(&caps, "text")
                                    .map(excerpt)
                                    .map(|m| m.trim().to_string())
                                    .filter(|m| !m.is_empty())
                            {
                                a.message = Some(m);
                            }
                            if a.back_off_ms.is_none() {
                                a.back_off_ms = group(&caps, "backoff").and_then(parse_num::<u64>);
                            }
                        }
                    }
                    // A value an entry carries once (a mention, a header)
                    // is one line: the kind, the field, the capture group.
                    RuleKind::OfflineEvent => first(&mut flags.offline, rule, text, None),
                    RuleKind::OfflineFailure if flags.failure.is_none() => {
                        if let Some(m) = rule.regex().find(text) {
                            flags.failure = Some(excerpt(m.as_bytes()));
                            // The client's own line says what failed (never a
                            // MESSAGE body: those lines are not read).
                            flags.failure_line = Some(match parse_entry_header(text) {
                                Some(h) => {
                                    let own = text.get(h.text_start..).unwrap_or_default();
                                    let level = h
                                        .level
                                        .map(|l| l.as_str().to_ascii_uppercase())
                                        .unwrap_or_default();
                                    excerpt(
                                        format!("{level} {}", String::from_utf8_lossy(own))
                                            .as_bytes(),
                                    )
                                }
                                None => excerpt(text),
                            });
                        }
                    }
                    _ => {}
                }
            }
        }
        self.entry_cands = cands;
        flags
    }
}

/// Fill `slot`, if still empty, with the first match of `rule` in `text`
/// (its `group`, or the whole match), as an excerpt.
fn first(slot: &mut Option<String>, rule: &Rule, text: &[u8], group: Option<&str>) {
    if slot.is_some() {
        return;
    }
    *slot = match group {
        Some(g) => rule
            .regex()
            .captures(text)
            .and_then(|c| c.name(g).map(|m| excerpt(m.as_bytes()))),
        None => rule.regex().find(text).map(|m| excerpt(m.as_bytes())),
    };
}

/// The HTTP status an `HTTP_E_STATUS_*` HRESULT carries: `0x8019` in the
/// high word, the status (200 or above) in the low word (winerror.h).
pub(crate) fn hresult_status(hex: &[u8]) -> Option<u16> {
    let s = std::str::from_utf8(hex).ok()?;
    let s = s
        .strip_prefix("0x")
        .or_else(|| s.strip_prefix("0X"))
        .unwrap_or(s);
    let v = u32::from_str_radix(s, 16).ok()?;
    let status = (v & 0xFFFF) as u16;
    (v >> 16 == 0x8019 && (200..600).contains(&status)).then_some(status)
}

/// The scheme names of one `WWW-Authenticate` value (RFC 9110 11.6.1: a
/// comma-separated list of challenges, each a scheme token followed by
/// optional parameters `name=value` or a token68). `Negotiate,NTLM`,
/// `Bearer realm="x", error="y"` and `Negotiate YII...` all work.
pub(crate) fn auth_schemes(value: &str) -> Vec<String> {
    let mut out = Vec::new();
    for part in value.split(',') {
        let part = part.trim();
        let token: &str = part.split([' ', '\t']).next().unwrap_or_default();
        // A parameter of the challenge before (`error="y"`), not a scheme.
        if token.is_empty() || token.contains('=') || token.contains('"') {
            continue;
        }
        if token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
        {
            out.push(token.to_string());
        }
    }
    out
}

#[cfg(test)]
mod auth_tests {
    use super::auth_schemes;

    #[test]
    fn scheme_names_are_read_from_a_challenge_list() {
        assert_eq!(auth_schemes("Negotiate,NTLM"), ["Negotiate", "NTLM"]);
        assert_eq!(
            auth_schemes(
                r#"Bearer client_id="a", trusted_issuers="b@*", authorization_uri="https://x/y""#
            ),
            ["Bearer"]
        );
        assert_eq!(auth_schemes(r#"Basic Realm="""#), ["Basic"]);
        assert_eq!(auth_schemes("Negotiate YIIabc=="), ["Negotiate"]);
        assert!(auth_schemes("").is_empty());
    }
}
