//! One EWS or autodiscover endpoint's outcomes, as the reducer keeps them.

use super::kept::{merge_newer, newer, newer_owned};
use super::reduce::Key;
use super::{EndpointKind, EwsAnswer, HttpEndpoint, LogFact};

/// Failures per endpoint kept for pairing with a later success; older ones
/// are only counted (and called recovered only when a success follows them
/// all).
const KEEP_OPEN_FAILURES: usize = 256;

/// 401 and 407 carry an authentication challenge: the first leg of
/// Negotiate/NTLM, answered by the next request on the same connection.
pub(super) fn is_challenge(status: u16) -> bool {
    matches!(status, 401 | 407)
}

/// Per-endpoint outcomes, a function of the set of responses: a failure is
/// recovered (or a handshake) when a success with a larger key exists.
pub(super) struct EndpointAgg {
    pub kind: EndpointKind,
    pub url: Option<String>,
    pub latest: (Key, LogFact<u16>),
    pub last_success: Option<(Key, LogFact<u16>)>,
    pub last_failure: Option<(Key, LogFact<u16>)>,
    pub responses: u64,
    pub failures: u64,
    pub recovered: u64,
    pub handshakes: u64,
    /// Failures newer than `last_success`, not yet recovered.
    pub open: Vec<(Key, u16)>,
    /// Failures dropped from `open`: (challenges, others, newest key).
    pub dropped: (u64, u64, Key),
    /// The newest response that carried `X-EWS-Policy-Reason`.
    pub policy_reason: Option<(Key, String)>,
    /// The newest response that carried a `WWW-Authenticate` challenge.
    pub auth_schemes: Option<(Key, String)>,
    /// The newest response whose entry held an EWS SOAP answer.
    pub ews_answer: Option<(Key, EwsAnswer)>,
}

impl EndpointAgg {
    pub(super) fn new(kind: EndpointKind, url: Option<String>, key: Key, f: LogFact<u16>) -> Self {
        EndpointAgg {
            kind,
            url,
            latest: (key, f),
            last_success: None,
            last_failure: None,
            responses: 0,
            failures: 0,
            recovered: 0,
            handshakes: 0,
            open: Vec::new(),
            dropped: (0, 0, (None, 0, 0)),
            policy_reason: None,
            auth_schemes: None,
            ews_answer: None,
        }
    }

    fn classify(&mut self, status: u16) {
        if is_challenge(status) {
            self.handshakes += 1;
        } else {
            self.recovered += 1;
        }
    }

    fn success_at(&mut self, key: Key, f: LogFact<u16>) {
        if self.last_success.as_ref().is_some_and(|(k, _)| *k >= key) {
            return;
        }
        let open = std::mem::take(&mut self.open);
        for (k, st) in open {
            if k < key {
                self.classify(st);
            } else {
                self.open.push((k, st));
            }
        }
        let (ch, other, max) = self.dropped;
        if ch + other > 0 && max < key {
            self.handshakes += ch;
            self.recovered += other;
            self.dropped = (0, 0, (None, 0, 0));
        }
        self.last_success = Some((key, f));
    }

    fn place_failure(&mut self, key: Key, status: u16) {
        if self.last_success.as_ref().is_some_and(|(k, _)| key < *k) {
            self.classify(status);
            return;
        }
        self.open.push((key, status));
        if self.open.len() > KEEP_OPEN_FAILURES
            && let Some((i, _)) = self.open.iter().enumerate().min_by_key(|(_, (k, _))| *k)
        {
            let (k, st) = self.open.swap_remove(i);
            if is_challenge(st) {
                self.dropped.0 += 1;
            } else {
                self.dropped.1 += 1;
            }
            self.dropped.2 = self.dropped.2.max(k);
        }
    }

    pub(super) fn add(&mut self, key: Key, f: LogFact<u16>, failed: bool) {
        self.responses += 1;
        let status = f.value;
        if failed {
            self.failures += 1;
            newer(&mut self.last_failure, key, || f.clone());
            self.place_failure(key, status);
        } else {
            self.success_at(key, f.clone());
        }
        newer_owned(&mut self.latest, key, f);
    }

    pub(super) fn merge(&mut self, o: EndpointAgg) {
        self.responses += o.responses;
        self.failures += o.failures;
        self.recovered += o.recovered;
        self.handshakes += o.handshakes;
        newer_owned(&mut self.latest, o.latest.0, o.latest.1);
        merge_newer(&mut self.last_failure, o.last_failure);
        merge_newer(&mut self.policy_reason, o.policy_reason);
        merge_newer(&mut self.auth_schemes, o.auth_schemes);
        merge_newer(&mut self.ews_answer, o.ews_answer);
        if let Some((k, f)) = o.last_success {
            self.success_at(k, f);
        }
        for (k, st) in o.open {
            self.place_failure(k, st);
        }
        let (ch, other, max) = o.dropped;
        if ch + other > 0 {
            if self.last_success.as_ref().is_some_and(|(k, _)| max < *k) {
                self.handshakes += ch;
                self.recovered += other;
            } else {
                self.dropped.0 += ch;
                self.dropped.1 += other;
                self.dropped.2 = self.dropped.2.max(max);
            }
        }
    }

    pub(super) fn into_endpoint(self) -> HttpEndpoint {
        fn at<T: Clone>(slot: &Option<(Key, T)>, key: Key) -> Option<T> {
            slot.as_ref()
                .filter(|(k, _)| *k == key)
                .map(|(_, r)| r.clone())
        }
        let failure_key = self.last_failure.as_ref().map(|(k, _)| *k);
        let latest_policy_reason = at(&self.policy_reason, self.latest.0);
        let last_failure_policy_reason = failure_key.and_then(|k| at(&self.policy_reason, k));
        let latest_auth_challenge = at(&self.auth_schemes, self.latest.0);
        let last_failure_auth_challenge = failure_key.and_then(|k| at(&self.auth_schemes, k));
        let latest_ews_answer = at(&self.ews_answer, self.latest.0);
        let last_failure_ews_answer = failure_key.and_then(|k| at(&self.ews_answer, k));
        HttpEndpoint {
            latest_ews_answer,
            last_failure_ews_answer,
            latest_policy_reason,
            last_failure_policy_reason,
            latest_auth_challenge,
            last_failure_auth_challenge,
            newest_auth_challenge: self.auth_schemes.as_ref().map(|(_, a)| a.clone()),
            url: self.url,
            kind: self.kind,
            latest: self.latest.1,
            last_success: self.last_success.map(|(_, f)| f),
            last_failure: self.last_failure.map(|(_, f)| f),
            responses: self.responses,
            failures: self.failures,
            recovered: self.recovered,
            handshakes: self.handshakes,
        }
    }
}
