//! The proxy the client would use, and the CONNECT tunnel through it.
//!
//! On Windows the client goes through WinINET, so the setting read is the
//! user's WinINET one: `HKCU\Software\Microsoft\Windows\CurrentVersion\Internet Settings`
//! (`ProxyEnable`, `ProxyServer`, `ProxyOverride`, `AutoConfigURL`). A PAC
//! script (`AutoConfigURL`) is not evaluated: the report says so. Elsewhere
//! the conventional `HTTPS_PROXY` / `https_proxy` and `NO_PROXY` / `no_proxy`.
//! Only `http://` proxies are used (what CONNECT needs); the probe never
//! sends proxy credentials, so a proxy that asks for them is reported.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Instant;

use super::{Failure, StepError, io_failure};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProxyServer {
    pub host: String,
    pub port: u16,
}

impl std::fmt::Display for ProxyServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.host.contains(':') {
            write!(f, "[{}]:{}", self.host, self.port)
        } else {
            write!(f, "{}:{}", self.host, self.port)
        }
    }
}

/// The proxy setting in force and the hosts that bypass it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProxyConfig {
    pub server: Option<ProxyServer>,
    /// NO_PROXY / ProxyOverride entries, lower case.
    pub bypass: Vec<String>,
    /// Where the setting came from, e.g. `HTTPS_PROXY` or `WinINET (HKCU Internet Settings)`.
    pub source: String,
    /// What was seen but not evaluated (a PAC URL, an unsupported scheme).
    pub notes: Vec<String>,
}

impl ProxyConfig {
    /// No proxy at all.
    pub fn direct() -> Self {
        ProxyConfig::default()
    }

    /// The setting the client on this machine would use.
    pub fn from_system() -> Self {
        #[cfg(windows)]
        {
            wininet()
        }
        #[cfg(not(windows))]
        {
            Self::from_env(|k| std::env::var(k).ok())
        }
    }

    /// `HTTPS_PROXY` (or `https_proxy`) and `NO_PROXY` (or `no_proxy`).
    pub fn from_env(var: impl Fn(&str) -> Option<String>) -> Self {
        let get = |a: &str, b: &str| var(a).or_else(|| var(b)).filter(|v| !v.trim().is_empty());
        let mut c = ProxyConfig::default();
        let Some(raw) = get("HTTPS_PROXY", "https_proxy") else {
            return c;
        };
        c.source = "HTTPS_PROXY".into();
        match parse_proxy_url(&raw) {
            Ok(p) => c.server = Some(p),
            Err(why) => c.notes.push(format!("HTTPS_PROXY not used: {why}")),
        }
        if let Some(n) = get("NO_PROXY", "no_proxy") {
            c.bypass = n
                .split(',')
                .map(|s| s.trim().to_ascii_lowercase())
                .filter(|s| !s.is_empty())
                .collect();
        }
        c
    }

    /// The proxy for `host`, or `None` for a direct connection.
    pub fn for_host(&self, host: &str) -> Option<&ProxyServer> {
        let server = self.server.as_ref()?;
        let host = host.to_ascii_lowercase();
        (!self.bypass.iter().any(|b| bypassed(b, &host))).then_some(server)
    }

    pub fn describe(&self) -> String {
        match &self.server {
            None if self.source.is_empty() => "none (direct connections)".into(),
            None => format!("none usable ({})", self.source),
            Some(p) if self.bypass.is_empty() => format!("{p} from {}", self.source),
            Some(p) => format!(
                "{p} from {}, bypassed for {}",
                self.source,
                self.bypass.join(", ")
            ),
        }
    }
}

fn parse_proxy_url(raw: &str) -> Result<ProxyServer, String> {
    let raw = raw.trim();
    if let Some((scheme, _)) = raw.split_once("://")
        && !scheme.eq_ignore_ascii_case("http")
    {
        return Err(format!(
            "{}:// proxies are not supported by the probe (only http:// with CONNECT)",
            scheme.to_ascii_lowercase()
        ));
    }
    // Credentials in the URL are never used (and never shown).
    parse_host_port(raw, 80).ok_or_else(|| "no proxy host in the setting".to_string())
}

/// `host[:port]`, `[v6]:port` or `http://host:port/`, read by the `url` crate.
fn parse_host_port(s: &str, default_port: u16) -> Option<ProxyServer> {
    let url = crate::urls::parse(s)?;
    Some(ProxyServer {
        host: crate::urls::host(&url)?,
        port: url.port().unwrap_or(default_port),
    })
}

/// NO_PROXY (`*`, `example.com`, `.example.com`) and WinINET ProxyOverride
/// (`*.example.com`, `<local>`) entries.
fn bypassed(entry: &str, host: &str) -> bool {
    let entry = entry.trim();
    if entry == "*" {
        return true;
    }
    if entry == "<local>" {
        return !host.contains('.');
    }
    // Ports in entries are ignored.
    let entry = match entry.rsplit_once(':') {
        Some((h, p)) if p.bytes().all(|b| b.is_ascii_digit()) && !h.contains(':') => h,
        _ => entry,
    };
    if entry.contains('*') {
        return glob(entry, host);
    }
    let bare = entry.trim_start_matches('.');
    host == bare || host.ends_with(&format!(".{bare}"))
}

fn glob(pattern: &str, text: &str) -> bool {
    let parts: Vec<&str> = pattern.split('*').collect();
    let mut rest = text;
    for (i, p) in parts.iter().enumerate() {
        if i == 0 {
            let Some(r) = rest.strip_prefix(p) else {
                return false;
            };
            rest = r;
        } else if i == parts.len() - 1 {
            return rest.ends_with(p);
        } else {
            match rest.find(p) {
                Some(at) => rest = rest.get(at + p.len()..).unwrap_or(""),
                None => return false,
            }
        }
    }
    rest.is_empty()
}

/// WinINET `ProxyServer`: `host:port`, or per-protocol `http=h:p;https=h:p`.
#[cfg(any(windows, test))]
fn wininet_https_server(value: &str) -> Option<ProxyServer> {
    let value = value.trim();
    if !value.contains('=') {
        return parse_host_port(value, 80);
    }
    value.split(';').find_map(|part| {
        let (proto, hp) = part.split_once('=')?;
        proto
            .trim()
            .eq_ignore_ascii_case("https")
            .then(|| parse_host_port(hp, 80))
            .flatten()
    })
}

#[cfg(windows)]
fn wininet() -> ProxyConfig {
    use winreg::RegKey;
    use winreg::enums::{HKEY_CURRENT_USER, KEY_READ};
    const KEY: &str = r"Software\Microsoft\Windows\CurrentVersion\Internet Settings";
    let mut c = ProxyConfig {
        source: r"WinINET (HKCU\...\Internet Settings)".into(),
        ..ProxyConfig::default()
    };
    let Ok(k) = RegKey::predef(HKEY_CURRENT_USER).open_subkey_with_flags(KEY, KEY_READ) else {
        return c;
    };
    let pac: String = k.get_value("AutoConfigURL").unwrap_or_default();
    if !pac.trim().is_empty() {
        c.notes.push(format!(
            "a proxy auto-configuration script is set (AutoConfigURL {}); it was not evaluated, so the path the client takes may differ",
            pac.trim()
        ));
    }
    let enabled: u32 = k.get_value("ProxyEnable").unwrap_or(0);
    if enabled != 0 {
        let server: String = k.get_value("ProxyServer").unwrap_or_default();
        c.server = wininet_https_server(&server);
        if c.server.is_none() {
            c.notes
                .push(format!("ProxyServer '{server}' names no proxy for https"));
        }
        let over: String = k.get_value("ProxyOverride").unwrap_or_default();
        c.bypass = over
            .split(';')
            .map(|s| s.trim().to_ascii_lowercase())
            .filter(|s| !s.is_empty())
            .collect();
    }
    c
}

/// `CONNECT host:port` through the proxy; the stream is the tunnel on success.
pub(crate) fn connect_tunnel(
    mut stream: TcpStream,
    host: &str,
    port: u16,
    deadline: Instant,
) -> Result<(TcpStream, String), StepError> {
    let left = deadline.saturating_duration_since(Instant::now());
    if left.is_zero() {
        return Err(StepError::new(
            Failure::TimedOut,
            "no time left for the proxy",
        ));
    }
    let _ = stream.set_read_timeout(Some(left));
    let _ = stream.set_write_timeout(Some(left));
    let req = format!(
        "CONNECT {host}:{port} HTTP/1.1\r\nHost: {host}:{port}\r\nUser-Agent: {}\r\n\r\n",
        super::http::user_agent()
    );
    stream
        .write_all(req.as_bytes())
        .map_err(|e| io_failure("sending CONNECT to the proxy", &e))?;
    // Byte by byte up to the blank line, so nothing of the tunnel is consumed.
    let mut head = Vec::new();
    let mut b = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") && head.len() < 16 * 1024 {
        match stream.read(&mut b) {
            Ok(0) => break,
            Ok(_) => head.extend_from_slice(&b),
            Err(e) => {
                let mut err = io_failure("waiting for the proxy's answer to CONNECT", &e);
                if err.failure != Failure::TimedOut {
                    err.failure = Failure::ProxyRefused;
                }
                return Err(err);
            }
        }
    }
    let line = String::from_utf8_lossy(&head)
        .lines()
        .next()
        .unwrap_or("")
        .chars()
        .take(200)
        .collect::<String>();
    let status = super::http::parse_head(&head).map(|a| a.status);
    match status {
        Some(s) if (200..300).contains(&s) => Ok((stream, line)),
        Some(407) => Err(StepError::new(
            Failure::ProxyAuthRequired,
            format!(
                "the proxy wants credentials for CONNECT {host}:{port} ({line}); the probe sends none, the client would sign in to the proxy"
            ),
        )),
        Some(_) => Err(StepError::new(
            Failure::ProxyRefused,
            format!("proxy refused CONNECT {host}:{port}: {line}"),
        )),
        None if head.is_empty() => Err(StepError::new(
            Failure::ProxyRefused,
            format!("the proxy closed the connection on CONNECT {host}:{port}"),
        )),
        None => Err(StepError::new(
            Failure::ProxyRefused,
            format!("the proxy's answer to CONNECT {host}:{port} is not HTTP"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let v: Vec<(String, String)> = pairs
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect();
        move |k| v.iter().find(|(a, _)| a == k).map(|(_, b)| b.clone())
    }

    #[test]
    fn env_proxy_and_no_proxy() {
        let c = ProxyConfig::from_env(env(&[
            ("https_proxy", "http://user:secret@proxy.corp.test:3128/"),
            (
                "NO_PROXY",
                "localhost, .internal.test,mail.contoso.test:443",
            ),
        ]));
        let p = c.for_host("autodiscover.contoso.test").unwrap();
        assert_eq!(p.to_string(), "proxy.corp.test:3128");
        assert!(c.for_host("mail.contoso.test").is_none());
        assert!(c.for_host("a.internal.test").is_none());
        assert!(c.for_host("internal.test").is_none());
        assert!(!c.describe().contains("secret"));
        assert!(ProxyConfig::from_env(env(&[])).for_host("x.test").is_none());
        let socks = ProxyConfig::from_env(env(&[("HTTPS_PROXY", "socks5://p.test:1080")]));
        assert!(socks.server.is_none());
        assert!(socks.notes[0].contains("not supported"));
    }

    #[test]
    fn wininet_forms() {
        assert_eq!(
            wininet_https_server("proxy.test:8080").unwrap().to_string(),
            "proxy.test:8080"
        );
        assert_eq!(
            wininet_https_server("http=a.test:80;https=b.test:8443")
                .unwrap()
                .to_string(),
            "b.test:8443"
        );
        assert!(wininet_https_server("ftp=a.test:21").is_none());
        assert!(bypassed("*.contoso.test", "mail.contoso.test"));
        assert!(!bypassed("*.contoso.test", "contoso.example"));
        assert!(bypassed("<local>", "intranet"));
        assert!(!bypassed("<local>", "mail.contoso.test"));
    }
}
