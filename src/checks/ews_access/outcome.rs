//! What `ews-access` concluded, as data: [`EwsAccessOutcome`]. The code and
//! the status follow from the variant; the words are the catalogue's
//! (`locales/*/offline-im-doctor.ftl`, section `ews-access`).

use std::collections::BTreeMap;

use super::EwsAccessCode as C;
use crate::checks::Outcome;
use crate::i18n::{Arg, Msg};
use crate::model::{CheckId, Code, Status};

/// Microsoft's EWS `ResponseCode` reference.
pub(crate) const RESPONSE_CODE_REFERENCE: &str =
    "https://learn.microsoft.com/exchange/client-developer/web-service-reference/responsecode";
/// Microsoft Remote Connectivity Analyzer: tests EWS and autodiscover from
/// outside, for Exchange on-premises and Microsoft 365 alike.
pub(crate) const CONNECTIVITY_ANALYZER: &str = "https://testconnectivity.microsoft.com";
/// Tests EWS from the Exchange side; on-premises Exchange only
/// (<https://learn.microsoft.com/powershell/module/exchangepowershell/test-outlookwebservices>).
pub(crate) const TEST_OUTLOOK_WEB_SERVICES: &str = "Test-OutlookWebServices";
/// The registry policy that lets the client use modern authentication for
/// EWS in a hybrid setup (Skype for Business on-premises, mailbox in
/// Exchange Online): SupportArticles-docs, "AllowAdalForNonLyncIndependentOfLync".
pub(crate) const ALLOW_ADAL: &str = "AllowAdalForNonLyncIndependentOfLync";
const LYNC_POLICY_KEY: &str = "HKCU\\Software\\Policies\\Microsoft\\Office\\16.0\\Lync";

/// One EWS or autodiscover request as the logs show it: the HRESULT line
/// of an offline message and the HTTP line of the same request are one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Endpoint {
    /// `ews` or `autodiscover`.
    pub kind: &'static str,
    pub url: Option<String>,
    /// The latest response's HTTP status.
    pub status: u16,
    /// EWS error `ResponseCode`s of the latest answer (HTTP below 400 with
    /// `ResponseClass="Error"`), with the class when the entry gave it.
    pub ews_error: Option<EwsError>,
}

/// An EWS SOAP error answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct EwsError {
    pub class: Option<String>,
    pub codes: Vec<String>,
    pub message: Option<String>,
}

impl Endpoint {
    fn msg(&self) -> Msg {
        let mut m = Msg::new("ews-endpoint")
            .with("kind", Arg::Code(self.kind.into()))
            .with(
                "url",
                match &self.url {
                    Some(u) => Arg::Url(u.clone()),
                    None => Arg::Key("none".into()),
                },
            )
            .with("status", Arg::Status(self.status));
        // "HTTP 200 ResponseClass=Error ErrorAccessDenied".
        let answer = self.ews_error.as_ref().map(|e| {
            let mut parts: Vec<String> = e
                .class
                .iter()
                .map(|c| format!("ResponseClass={c}"))
                .collect();
            if !e.codes.is_empty() {
                parts.push(e.codes.join("/"));
            }
            parts.join(" ")
        });
        m = match answer.filter(|a| !a.is_empty()) {
            Some(a) => m.with("codes", Arg::Code(a)),
            None => m.with("codes", Arg::Key("none".into())),
        };
        m
    }
}

/// How Exchange throttled a request (EWS throttling in Exchange).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Throttling {
    pub endpoint: Endpoint,
    /// The throttling `ResponseCode` (`ErrorServerBusy`, ...).
    pub code: Option<String>,
    /// `BackOffMilliseconds`.
    pub back_off_ms: Option<u64>,
}

impl Throttling {
    fn answer(&self) -> Msg {
        let wait = match (self.back_off_ms, self.endpoint.status) {
            (Some(ms), _) if ms >= 1000 => "back-off",
            (Some(_), _) => "back-off-short",
            (None, 503) => "queuing",
            (None, _) => "none",
        };
        Msg::new("ews-throttle-answer")
            .with("status", Arg::Status(self.endpoint.status))
            .with(
                "code",
                match &self.code {
                    Some(c) => Arg::Code(c.clone()),
                    None => Arg::Key("none".into()),
                },
            )
            .with("wait", Arg::Key(wait.into()))
            .with(
                "ms",
                Arg::Code(self.back_off_ms.unwrap_or_default().to_string()),
            )
            .with(
                "seconds",
                Arg::Count(self.back_off_ms.unwrap_or_default().div_ceil(1000)),
            )
    }
}

/// Where the mailbox is, as far as the steps care.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mailbox {
    /// Exchange Online: no browser sign-in to EWS (basic authentication is
    /// off there), no on-premises cmdlets.
    Online,
    /// On-premises, or not known.
    Other,
}

/// Whether modern authentication explains a 401 in a hybrid setup.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ModernAuth {
    /// EWS offered `Bearer` and the registry policy does not set
    /// `AllowAdalForNonLyncIndependentOfLync`; `registry_read` says whether
    /// the registry was read at all.
    Offered {
        challenge: String,
        registry_read: bool,
    },
    /// The log does not show the refusing response's `WWW-Authenticate`.
    ChallengeNotLogged,
}

/// What `ews-access` concluded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum EwsAccessOutcome {
    NoLogs,
    /// The only failures are Exchange throttling; the newest one.
    Throttled(Throttling),
    /// The newest failing request was refused (401 or 403).
    Refused {
        status: u16,
        endpoints: Vec<Endpoint>,
        throttled: Vec<Endpoint>,
        ews_url: Option<String>,
        mailbox: Mailbox,
        modern_auth: Option<ModernAuth>,
    },
    /// The latest request to these endpoints failed otherwise.
    Failing {
        endpoints: Vec<Endpoint>,
        throttled: Vec<Endpoint>,
        /// Exchange's own error answer to the newest failing request.
        ews_error: Option<EwsError>,
        ews_url: Option<String>,
        mailbox: Mailbox,
    },
    UrlNotSeen,
    Recovered {
        urls: usize,
        recovered: u64,
    },
    HandshakeOnly {
        urls: usize,
        handshakes: u64,
    },
    Ok {
        urls: usize,
    },
}

fn endpoints(list: &[Endpoint]) -> Arg {
    Arg::List(list.iter().map(|e| Arg::Msg(Box::new(e.msg()))).collect())
}

fn ews_url(url: &Option<String>) -> Arg {
    match url {
        Some(u) => Arg::Url(u.clone()),
        None => Arg::Code("https://<mail server>/EWS/Exchange.asmx".into()),
    }
}

impl Outcome for EwsAccessOutcome {
    fn code(&self) -> Code {
        match self {
            Self::NoLogs => C::EwsNoLogs,
            Self::Throttled(_) => C::EwsThrottled,
            Self::Refused { .. } => C::EwsRequestsRefused,
            Self::Failing { .. } => C::EwsRequestsFailing,
            Self::UrlNotSeen => C::EwsUrlNotSeen,
            Self::Recovered { .. } => C::EwsRecovered,
            Self::HandshakeOnly { .. } => C::EwsAuthHandshakeOnly,
            Self::Ok { .. } => C::EwsOk,
        }
        .into()
    }

    fn status(&self) -> Status {
        match self {
            Self::NoLogs => Status::Skip,
            Self::Throttled(_) | Self::UrlNotSeen => Status::Warn,
            Self::Refused { .. } | Self::Failing { .. } => Status::Fail,
            Self::Recovered { .. } | Self::HandshakeOnly { .. } | Self::Ok { .. } => Status::Pass,
        }
    }

    fn args(&self) -> BTreeMap<String, Arg> {
        let mut a = BTreeMap::new();
        let mut set = |k: &str, v: Arg| {
            a.insert(k.to_string(), v);
        };
        match self {
            Self::NoLogs | Self::UrlNotSeen => {}
            Self::Throttled(t) => {
                set("endpoint", Arg::Msg(Box::new(t.endpoint.msg())));
                set("answer", Arg::Msg(Box::new(t.answer())));
            }
            Self::Refused {
                status,
                endpoints: list,
                throttled,
                ..
            } => {
                set("status", Arg::Status(*status));
                set(
                    "refusal",
                    Arg::Key(
                        if *status == 401 {
                            "not-authenticated"
                        } else {
                            "denied"
                        }
                        .into(),
                    ),
                );
                set("endpoints", endpoints(list));
                set("throttled", Arg::Count(throttled.len() as u64));
                set("throttled-endpoints", endpoints(throttled));
            }
            Self::Failing {
                endpoints: list,
                throttled,
                ..
            } => {
                set("count", Arg::Count(list.len() as u64));
                set("endpoints", endpoints(list));
                set("throttled", Arg::Count(throttled.len() as u64));
                set("throttled-endpoints", endpoints(throttled));
            }
            Self::Recovered { urls, recovered } => {
                set("urls", Arg::Count(*urls as u64));
                set("recovered", Arg::Count(*recovered));
            }
            Self::HandshakeOnly { urls, handshakes } => {
                set("urls", Arg::Count(*urls as u64));
                set("handshakes", Arg::Count(*handshakes));
            }
            Self::Ok { urls } => set("urls", Arg::Count(*urls as u64)),
        }
        a
    }

    fn steps(&self) -> Vec<Msg> {
        match self {
            Self::Throttled(_) => vec![
                Msg::new("step-ews-throttled-wait")
                    .with("command", Arg::Cmdlet("offline-im-doctor watch".into())),
                Msg::new("step-ews-throttled-budget")
                    .with(
                        "association",
                        Arg::Cmdlet("Get-ThrottlingPolicyAssociation <sender>".into()),
                    )
                    .with("policy", Arg::Cmdlet("Get-ThrottlingPolicy".into()))
                    .with(
                        "settings",
                        Arg::List(
                            [
                                "EWSMaxConcurrency",
                                "EWSPercentTimeInCAS",
                                "EWSPercentTimeInMailboxRPC",
                            ]
                            .map(|s| Arg::Code(s.into()))
                            .to_vec(),
                        ),
                    ),
            ],
            Self::Refused {
                status,
                ews_url: url,
                mailbox,
                modern_auth,
                ..
            } => {
                let mut steps = Vec::new();
                if *status == 401 {
                    steps.push(Msg::new("step-ews-sign-in-again"));
                } else {
                    steps.push(Msg::new("step-ews-allowed").with(
                        "cmdlet",
                        Arg::Cmdlet("Get-CASMailbox <sender> | Format-List EwsEnabled".into()),
                    ));
                }
                match mailbox {
                    Mailbox::Online => {
                        if *status == 401 {
                            steps.push(test_online());
                        }
                        steps.push(
                            Msg::new("step-ews-see-exchange-online")
                                .with("check", Arg::Check(CheckId::ExchangeOnlineEws)),
                        );
                    }
                    Mailbox::Other => {
                        steps.push(open_in_browser(url));
                        if *status == 401 {
                            steps.push(test_on_premises());
                        }
                    }
                }
                match modern_auth {
                    Some(ModernAuth::Offered {
                        challenge,
                        registry_read,
                    }) => steps.push(
                        Msg::new("step-ews-allow-adal")
                            .with("challenge", Arg::Code(challenge.clone()))
                            .with("policy", Arg::Code(ALLOW_ADAL.into()))
                            .with("key", Arg::Path(LYNC_POLICY_KEY.into()))
                            .with(
                                "entry",
                                Arg::Cmdlet(format!(
                                    "New-CsClientPolicyEntry -Name {ALLOW_ADAL} -Value \"True\""
                                )),
                            )
                            .with(
                                "set",
                                Arg::Cmdlet("Set-CsClientPolicy -PolicyEntry @{Add=...}".into()),
                            )
                            .with(
                                "registry",
                                Arg::Key(if *registry_read { "read" } else { "unread" }.into()),
                            ),
                    ),
                    Some(ModernAuth::ChallengeNotLogged) => steps.push(
                        Msg::new("step-ews-capture-challenge")
                            .with("probe", Arg::Code("--probe".into())),
                    ),
                    None => {}
                }
                steps
            }
            Self::Failing {
                ews_error: Some(e), ..
            } => vec![
                Msg::new("step-ews-response-code")
                    .with(
                        "codes",
                        if e.codes.is_empty() {
                            Arg::Code(format!(
                                "ResponseClass=\"{}\"",
                                e.class.as_deref().unwrap_or("Error")
                            ))
                        } else {
                            Arg::Code(e.codes.join("/"))
                        },
                    )
                    .with(
                        "message",
                        match &e.message {
                            Some(m) => Arg::Text(m.clone()),
                            None => Arg::Key("none".into()),
                        },
                    )
                    .with("url", Arg::Url(RESPONSE_CODE_REFERENCE.into())),
            ],
            Self::Failing {
                ews_error: None,
                ews_url: url,
                mailbox,
                ..
            } => match mailbox {
                Mailbox::Online => vec![check_autodiscover(), test_online()],
                Mailbox::Other => vec![
                    open_in_browser(url),
                    check_autodiscover(),
                    test_on_premises(),
                ],
            },
            Self::UrlNotSeen => vec![
                Msg::new("step-ews-configuration-information"),
                Msg::new("step-ews-fix-autodiscover"),
            ],
            _ => Vec::new(),
        }
    }
}

fn open_in_browser(url: &Option<String>) -> Msg {
    Msg::new("step-ews-open-in-browser").with("url", ews_url(url))
}

fn test_on_premises() -> Msg {
    Msg::new("step-ews-test-on-premises")
        .with("cmdlet", Arg::Cmdlet(TEST_OUTLOOK_WEB_SERVICES.into()))
        .with("analyzer", Arg::Url(CONNECTIVITY_ANALYZER.into()))
}

fn test_online() -> Msg {
    Msg::new("step-ews-test-online").with("analyzer", Arg::Url(CONNECTIVITY_ANALYZER.into()))
}

fn check_autodiscover() -> Msg {
    Msg::new("step-ews-check-autodiscover")
        .with("host", Arg::Code("autodiscover.<domain>".into()))
        .with("srv", Arg::Code("_autodiscover._tcp".into()))
}
