//! What the analyzer finds, apart from what it is worth.
//!
//! The analyzer (`analyze`) reads a chunk and pushes one typed [`Found`]
//! per match (or per selected entry) into a [`Sink`]; it never decides
//! which facts are kept. The reducer (`reduce`) is the sink of a scan: it
//! keeps the newest, counts the rest and pairs requests with responses.
//! The split is grep-searcher's: a searcher finds matches, a `Sink`
//! decides what they mean.
//!
//! Each variant is produced by the rule kinds whose row in
//! [`crate::rules::KINDS`] names its `LogFacts` field.

use super::reduce::EntryCtx;
use super::{EndpointKind, EwsAnswer, SipDiagnostic};
use crate::client_build::ClientBuild;

/// One fact as the analyzer found it. `excerpt` is the cleaned matched
/// text ([`super::analyze::excerpt`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Found {
    /// `client-build`: the build of a `User-Agent` header.
    Build { build: ClientBuild, excerpt: String },
    /// `policy-auto-archiving` (`user_option` false) or
    /// `user-auto-archiving` (true).
    AutoArchiving {
        user_option: bool,
        value: bool,
        excerpt: String,
    },
    /// `ews-url`: one URL (a line may hold several).
    EwsUrl { url: String, excerpt: String },
    /// `im-recipient`: the address of a `MESSAGE` request line.
    ImRecipient { to: String, excerpt: String },
    /// `http-diagnostic`: an `x-ms-diagnostics` header.
    HttpDiagnostic {
        diag: SipDiagnostic,
        excerpt: String,
    },
    /// `sip-diagnostic`: an `ms-diagnostics` error.
    SipError {
        diag: SipDiagnostic,
        excerpt: String,
    },
    /// An entry about EWS/autodiscover traffic (the entry kinds
    /// `ews-request`, `autodiscover-request`, `http-status`,
    /// `http-status-hresult`, with the `http-policy-reason`,
    /// `http-auth-challenge` and `ews-response` headers of its response).
    Http(HttpEntry),
    /// `http-policy-reason` in an entry of its own (no request, no status).
    PolicyReason(String),
    /// `offline-event`, and `offline-failure` inside it.
    Offline {
        mention: String,
        failure: Option<OfflineFailure>,
    },
}

/// The failure marker of an offline-message entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct OfflineFailure {
    /// The marker the rule matched (`failed`, `0x80190191`).
    pub marker: String,
    /// The client's line the marker is on, as an excerpt.
    pub line: String,
}

/// What one entry says about EWS/autodiscover traffic.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct HttpEntry {
    /// The service the entry mentions, if any.
    pub kind: Option<EndpointKind>,
    /// The request URL the entry names, as written.
    pub url: Option<String>,
    /// The first final HTTP status in the entry, with its excerpt.
    pub status: Option<(u16, String)>,
    /// Headers of that response the checks read.
    pub headers: RespHeaders,
}

/// Response headers kept with an endpoint's responses.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct RespHeaders {
    /// `X-EWS-Policy-Reason`.
    pub policy_reason: Option<String>,
    /// The schemes `WWW-Authenticate` offered (`Negotiate, NTLM, Bearer`).
    pub auth_schemes: Option<String>,
    /// What the EWS SOAP answer in the entry said.
    pub ews_answer: Option<EwsAnswer>,
}

impl RespHeaders {
    /// The response failed: 400 or above, or `ResponseClass="Error"`.
    pub(crate) fn failed(&self, status: u16) -> bool {
        status >= 400 || self.ews_answer.as_ref().is_some_and(EwsAnswer::is_error)
    }
}

/// Where found facts go. `ctx` is the entry the fact is in; `offset` the
/// byte offset that orders facts of one entry (the matched line's, or the
/// match's for kinds with several matches per line; the entry's own for
/// entry facts).
pub(crate) trait Sink {
    fn push(&mut self, ctx: &EntryCtx, offset: u64, found: Found);
}

/// Every fact in the order found (tests).
impl Sink for Vec<(EntryCtx, u64, Found)> {
    fn push(&mut self, ctx: &EntryCtx, offset: u64, found: Found) {
        Vec::push(self, (*ctx, offset, found));
    }
}
