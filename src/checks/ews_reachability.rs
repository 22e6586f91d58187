//! `ews-reachability`: what `--probe` saw from this machine.
//!
//! - skip without `--probe` (`probe-not-run`) or with nothing to probe;
//! - fail when no EWS URL answered (the code names the first failure:
//!   DNS, connect, time-out, proxy, certificate trust/name/expiry, HTTP 5xx);
//! - warn when an EWS URL answered but autodiscover failed in every way the
//!   client tries for a SIP domain (the client finds EWS through autodiscover);
//! - pass when an EWS URL answered over trusted TLS (a 401 is an answer).
//!
//! With no EWS URL known (no logs, or none in them), autodiscover alone is
//! judged: info when it answered for every SIP domain (the client can find
//! EWS; the URL itself comes back only after sign-in, which the probe never
//! does), fail when it failed in every way for a domain (the client has no
//! way to EWS from this machine).

use std::collections::BTreeMap;

use strum::{EnumIter, EnumMessage, EnumString, IntoStaticStr};

use super::{Context, Outcome, judged};
use crate::i18n::{Arg, Msg};
use crate::model::{CheckResult, Code, Evidence, EvidenceSource, Status};
use crate::sources::probe::{Endpoint, EndpointRole, Failure, ProbeReport};

/// Reason codes of `ews-reachability`.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    EnumIter,
    EnumMessage,
    EnumString,
    IntoStaticStr,
)]
#[strum(serialize_all = "kebab-case")]
pub enum EwsReachabilityCode {
    #[strum(message = "Not probed: --probe not given")]
    ProbeNotRun,
    #[strum(message = "No SIP domain and no EWS URL to probe")]
    ProbeNothingToProbe,
    #[strum(message = "EWS answered over trusted TLS (a 401 challenge is an answer)")]
    ProbeEwsAnswered,
    #[strum(message = "EWS answered, but autodiscover failed in every way the client tries")]
    ProbeAutodiscoverFailed,
    #[strum(message = "EWS host name not found in DNS")]
    ProbeEwsNameNotFound,
    #[strum(message = "EWS connection refused or failed")]
    ProbeEwsConnectFailed,
    #[strum(message = "EWS timed out (DNS, connect, TLS or HTTP)")]
    ProbeEwsTimedOut,
    #[strum(message = "The proxy refused the tunnel to EWS or wants credentials")]
    ProbeEwsProxyRefused,
    #[strum(message = "EWS certificate not issued by an authority this machine trusts")]
    ProbeEwsCertificateUntrusted,
    #[strum(message = "EWS certificate not valid for the EWS host name")]
    ProbeEwsCertificateWrongName,
    #[strum(message = "EWS certificate expired, not yet valid or revoked")]
    ProbeEwsCertificateExpired,
    #[strum(message = "EWS answered with an HTTP 5xx server error")]
    ProbeEwsServerError,
    #[strum(message = "EWS could not be reached for another reason (TLS, no answer, deadline)")]
    ProbeEwsUnreachable,
    #[strum(message = "No EWS URL known; autodiscover answered, so the client can find EWS")]
    ProbeAutodiscoverOnlyAnswered,
    #[strum(message = "No EWS URL known and autodiscover failed in every way the client tries")]
    ProbeAutodiscoverOnlyFailed,
}

/// An EWS URL that answered: its status and the way there (direct or a
/// proxy).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Answer {
    pub url: String,
    pub status: Option<u16>,
    pub path: String,
}

impl Answer {
    fn arg(&self) -> Arg {
        Arg::Msg(Box::new(
            Msg::new("reach-answer")
                .with("url", Arg::Url(self.url.clone()))
                .with(
                    "status",
                    match self.status {
                        Some(s) => Arg::Status(s),
                        None => Arg::Code("?".into()),
                    },
                )
                .with("path", Arg::Text(self.path.clone())),
        ))
    }
}

/// What the check concluded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ReachabilityOutcome {
    NotRun,
    NothingToProbe,
    /// No EWS URL known; autodiscover answered at these URLs.
    AutodiscoverOnlyAnswered {
        urls: Vec<String>,
    },
    /// No EWS URL known; autodiscover failed every way for these domains.
    AutodiscoverOnlyFailed {
        domains: Vec<String>,
    },
    EwsAnswered(Answer),
    /// EWS answered; autodiscover failed every way for these domains.
    AutodiscoverFailed {
        answer: Answer,
        domains: Vec<String>,
    },
    /// No EWS URL answered; the first one's failure.
    EwsFailed {
        failure: Option<Failure>,
        url: Option<String>,
        detail: Option<String>,
    },
}

fn failure_code(f: Option<Failure>) -> EwsReachabilityCode {
    use EwsReachabilityCode as C;
    use Failure as F;
    match f {
        Some(F::NameNotFound | F::NoAddress | F::DnsError) => C::ProbeEwsNameNotFound,
        Some(F::ConnectionRefused | F::ConnectFailed) => C::ProbeEwsConnectFailed,
        Some(F::TimedOut) => C::ProbeEwsTimedOut,
        Some(F::ProxyRefused | F::ProxyAuthRequired) => C::ProbeEwsProxyRefused,
        Some(F::CertificateUntrusted | F::CertificateInvalid) => C::ProbeEwsCertificateUntrusted,
        Some(F::CertificateWrongName) => C::ProbeEwsCertificateWrongName,
        Some(F::CertificateExpired | F::CertificateNotYetValid | F::CertificateRevoked) => {
            C::ProbeEwsCertificateExpired
        }
        Some(F::HttpServerError) => C::ProbeEwsServerError,
        Some(F::NoSrvRecord | F::TlsFailed | F::HttpNoAnswer | F::DeadlineReached) | None => {
            C::ProbeEwsUnreachable
        }
    }
}

fn domains_arg(domains: &[String]) -> Arg {
    Arg::List(domains.iter().map(|d| Arg::Host(d.clone())).collect())
}

impl Outcome for ReachabilityOutcome {
    fn code(&self) -> Code {
        use EwsReachabilityCode as C;
        match self {
            Self::NotRun => C::ProbeNotRun,
            Self::NothingToProbe => C::ProbeNothingToProbe,
            Self::AutodiscoverOnlyAnswered { .. } => C::ProbeAutodiscoverOnlyAnswered,
            Self::AutodiscoverOnlyFailed { .. } => C::ProbeAutodiscoverOnlyFailed,
            Self::EwsAnswered(_) => C::ProbeEwsAnswered,
            Self::AutodiscoverFailed { .. } => C::ProbeAutodiscoverFailed,
            Self::EwsFailed { failure, .. } => failure_code(*failure),
        }
        .into()
    }

    fn status(&self) -> Status {
        match self {
            Self::NotRun | Self::NothingToProbe => Status::Skip,
            Self::AutodiscoverOnlyAnswered { .. } => Status::Info,
            Self::AutodiscoverOnlyFailed { .. } | Self::EwsFailed { .. } => Status::Fail,
            Self::EwsAnswered(_) => Status::Pass,
            Self::AutodiscoverFailed { .. } => Status::Warn,
        }
    }

    fn args(&self) -> BTreeMap<String, Arg> {
        let mut a = BTreeMap::new();
        match self {
            Self::NotRun => {
                a.insert("option".into(), Arg::Code("--probe".into()));
            }
            Self::NothingToProbe => {}
            Self::AutodiscoverOnlyAnswered { urls } => {
                a.insert(
                    "urls".into(),
                    Arg::List(urls.iter().map(|u| Arg::Url(u.clone())).collect()),
                );
            }
            Self::AutodiscoverOnlyFailed { domains } => {
                a.insert("domains".into(), domains_arg(domains));
            }
            Self::EwsAnswered(answer) => {
                a.insert("answer".into(), answer.arg());
            }
            Self::AutodiscoverFailed { answer, domains } => {
                a.insert("answer".into(), answer.arg());
                a.insert("domains".into(), domains_arg(domains));
            }
            Self::EwsFailed { url, detail, .. } => {
                a.insert(
                    "url".into(),
                    url.clone().map_or(Arg::Key("none".into()), Arg::Url),
                );
                a.insert(
                    "detail".into(),
                    detail.clone().map_or(Arg::Key("none".into()), Arg::Text),
                );
            }
        }
        a
    }

    fn steps(&self) -> Vec<Msg> {
        match self {
            Self::AutodiscoverOnlyFailed { .. } | Self::AutodiscoverFailed { .. } => vec![
                Msg::new("step-reach-publish-autodiscover")
                    .with("host", Arg::Code("autodiscover.<domain>".into()))
                    .with("srv", Arg::Code("_autodiscover._tcp.<domain>".into())),
            ],
            Self::EwsFailed { failure, .. } => {
                let code = failure_code(*failure);
                let id: &'static str = code.into();
                let mut m = Msg::new(format!("step-{id}"));
                if code == EwsReachabilityCode::ProbeEwsCertificateWrongName {
                    m = m.with(
                        "cmdlet",
                        Arg::Cmdlet(
                            "Set-WebServicesVirtualDirectory -InternalUrl / -ExternalUrl".into(),
                        ),
                    );
                }
                vec![m]
            }
            _ => Vec::new(),
        }
    }
}

pub(crate) fn ews_reachability(ctx: &Context<'_>) -> CheckResult {
    let Some(p) = ctx.probe else {
        return judged(&ReachabilityOutcome::NotRun, Vec::new());
    };
    judged(&judge(p), evidence(p))
}

fn judge(p: &ProbeReport) -> ReachabilityOutcome {
    let ews: Vec<&Endpoint> = p
        .endpoints
        .iter()
        .filter(|e| e.role == EndpointRole::Ews)
        .collect();
    let auto: Vec<&Endpoint> = p
        .endpoints
        .iter()
        .filter(|e| e.role.is_autodiscover())
        .collect();
    if ews.is_empty() && auto.is_empty() {
        return ReachabilityOutcome::NothingToProbe;
    }
    // Domains whose every autodiscover way failed.
    let mut failed_domains: Vec<String> = Vec::new();
    for e in &auto {
        let Some(d) = e.domain.as_deref() else {
            continue;
        };
        let answered = auto
            .iter()
            .any(|x| x.domain.as_deref() == Some(d) && x.answered);
        if !answered && !failed_domains.iter().any(|f| f == d) {
            failed_domains.push(d.to_string());
        }
    }

    if ews.is_empty() {
        return if failed_domains.is_empty() {
            ReachabilityOutcome::AutodiscoverOnlyAnswered {
                urls: auto
                    .iter()
                    .filter(|e| e.answered)
                    .map(|e| e.url.clone())
                    .collect(),
            }
        } else {
            ReachabilityOutcome::AutodiscoverOnlyFailed {
                domains: failed_domains,
            }
        };
    }

    if let Some(ok) = ews.iter().find(|e| e.answered) {
        let answer = Answer {
            url: ok.url.clone(),
            status: ok.status,
            path: ok.path.clone(),
        };
        return if failed_domains.is_empty() {
            ReachabilityOutcome::EwsAnswered(answer)
        } else {
            ReachabilityOutcome::AutodiscoverFailed {
                answer,
                domains: failed_domains,
            }
        };
    }

    // No EWS URL answered: judge by the first (newest) one.
    let first = ews.first().copied();
    ReachabilityOutcome::EwsFailed {
        failure: first.and_then(|e| e.failure),
        url: first.map(|e| e.url.clone()),
        detail: first.and_then(|e| e.detail.clone()),
    }
}

fn evidence(p: &ProbeReport) -> Vec<Evidence> {
    let mut ev: Vec<Evidence> = p
        .endpoints
        .iter()
        .map(|e| {
            let role: &'static str = e.role.into();
            let outcome = if e.answered {
                format!(
                    "answered HTTP {}",
                    e.status.map_or_else(|| "?".into(), |s| s.to_string())
                )
            } else {
                format!(
                    "failed ({}): {}",
                    e.failure.map_or("unknown", Failure::as_str),
                    e.detail.as_deref().unwrap_or("")
                )
            };
            Evidence::note(
                EvidenceSource::Probe,
                format!("{role} {} via {}: {outcome}", e.url, e.path),
            )
        })
        .collect();
    ev.push(Evidence::note(
        EvidenceSource::Probe,
        format!("probe took {} ms; DNS: {}; proxy: {}", p.ms, p.dns, p.proxy),
    ));
    if p.deadline_reached {
        ev.push(Evidence::note(
            EvidenceSource::Probe,
            "the probe stopped at its deadline; later steps did not run",
        ));
    }
    ev.extend(
        p.notes
            .iter()
            .map(|n| Evidence::note(EvidenceSource::Probe, n)),
    );
    ev
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::assert_catalogued;
    use crate::i18n::{Lang, text};
    use strum::IntoEnumIterator;

    fn answer() -> Answer {
        Answer {
            url: "https://mail.contoso.test/EWS/Exchange.asmx".into(),
            status: Some(401),
            path: "direct".into(),
        }
    }

    #[test]
    fn every_outcome_speaks_both_languages() {
        let mut all = vec![
            ReachabilityOutcome::NotRun,
            ReachabilityOutcome::NothingToProbe,
            ReachabilityOutcome::AutodiscoverOnlyAnswered {
                urls: vec![
                    "https://autodiscover.contoso.test/autodiscover/autodiscover.xml".into(),
                ],
            },
            ReachabilityOutcome::AutodiscoverOnlyFailed {
                domains: vec!["contoso.test".into()],
            },
            ReachabilityOutcome::EwsAnswered(answer()),
            ReachabilityOutcome::AutodiscoverFailed {
                answer: Answer {
                    status: None,
                    ..answer()
                },
                domains: vec!["contoso.test".into(), "fabrikam.test".into()],
            },
            ReachabilityOutcome::EwsFailed {
                failure: None,
                url: None,
                detail: None,
            },
        ];
        for f in Failure::iter() {
            all.push(ReachabilityOutcome::EwsFailed {
                failure: Some(f),
                url: Some(answer().url),
                detail: Some("no such host".into()),
            });
        }
        for o in all {
            let r = judged(&o, Vec::new());
            assert_catalogued(&r);
            if r.status == Status::Fail {
                assert!(!r.steps.is_empty(), "{}: no step", r.code);
            }
        }
    }

    #[test]
    fn an_untrusted_certificate_names_the_fix_in_both_languages() {
        let r = judged(
            &ReachabilityOutcome::EwsFailed {
                failure: Some(Failure::CertificateUntrusted),
                url: Some(answer().url),
                detail: Some("unknown issuer".into()),
            },
            Vec::new(),
        );
        assert_eq!(r.code.as_str(), "probe-ews-certificate-untrusted");
        assert_eq!(
            text(Lang::En, r.message.as_ref().unwrap()),
            "EWS cannot be reached from this machine: https://mail.contoso.test/EWS/Exchange.asmx: unknown issuer."
        );
        assert!(text(Lang::Fr, &r.steps[0]).contains("autorité de certification"));
    }
}
