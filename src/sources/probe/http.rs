//! The one HTTP request the probe sends: `GET <path>` with `Host`,
//! `User-Agent` and `Connection: close`, nothing else (no credentials, no
//! cookies, no body). Only the response head is read (`httparse`).

use std::io::{Read, Write};
use std::time::Instant;

use super::tls::TlsStream;
use super::{Failure, HttpAnswer, StepError, io_failure};

/// The response head is read up to this many bytes.
const MAX_HEAD: usize = 16 * 1024;

pub(crate) fn user_agent() -> String {
    format!("offline-im-doctor/{} (probe)", env!("CARGO_PKG_VERSION"))
}

/// The exact request bytes: the whole of what the probe says over HTTP.
pub(crate) fn request(host: &str, port: u16, path: &str) -> String {
    let host_header = if port == 443 {
        host.to_string()
    } else {
        format!("{host}:{port}")
    };
    format!(
        "GET {path} HTTP/1.1\r\nHost: {host_header}\r\nUser-Agent: {}\r\nConnection: close\r\n\r\n",
        user_agent()
    )
}

pub(crate) fn get(
    mut stream: TlsStream,
    host: &str,
    port: u16,
    path: &str,
    deadline: Instant,
) -> Result<HttpAnswer, StepError> {
    stream.sock.deadline = deadline;
    stream
        .write_all(request(host, port, path).as_bytes())
        .and_then(|()| stream.flush())
        .map_err(|e| io_failure("sending the request", &e))?;
    let mut head = Vec::new();
    let mut buf = [0u8; 2048];
    loop {
        match stream.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => {
                head.extend_from_slice(buf.get(..n).unwrap_or_default());
                if head.windows(4).any(|w| w == b"\r\n\r\n") || head.len() >= MAX_HEAD {
                    break;
                }
            }
            Err(e) if !head.is_empty() && e.kind() == std::io::ErrorKind::UnexpectedEof => break,
            Err(e) => return Err(io_failure("waiting for the answer", &e)),
        }
    }
    parse_head(&head).ok_or_else(|| {
        StepError::new(
            Failure::HttpNoAnswer,
            if head.is_empty() {
                "the server closed the connection without an answer".to_string()
            } else {
                "the answer is not HTTP".to_string()
            },
        )
    })
}

/// Status, authentication schemes and redirect target from a response head.
pub(crate) fn parse_head(head: &[u8]) -> Option<HttpAnswer> {
    let mut headers = [httparse::EMPTY_HEADER; 64];
    let mut resp = httparse::Response::new(&mut headers);
    resp.parse(head).ok()?;
    let status = resp.code?;
    let mut auth_schemes: Vec<String> = Vec::new();
    let mut location = None;
    let mut ews_policy_reason = None;
    for h in resp.headers.iter() {
        let value = String::from_utf8_lossy(h.value);
        if h.name.eq_ignore_ascii_case("www-authenticate") {
            let scheme: String = value
                .split_whitespace()
                .next()
                .unwrap_or("")
                .trim_end_matches(',')
                .chars()
                .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
                .take(32)
                .collect();
            if !scheme.is_empty() && !auth_schemes.contains(&scheme) {
                auth_schemes.push(scheme);
            }
        } else if h.name.eq_ignore_ascii_case("location") {
            location = Some(value.chars().take(300).collect());
        } else if h.name.eq_ignore_ascii_case("x-ews-policy-reason") {
            let v: String = value
                .chars()
                .filter(|c| !c.is_control())
                .take(200)
                .collect();
            ews_policy_reason = Some(v.trim().to_string()).filter(|v| !v.is_empty());
        }
    }
    Some(HttpAnswer {
        status,
        auth_schemes,
        location,
        ews_policy_reason,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_request_is_only_get_host_agent_close() {
        let r = request("mail.contoso.test", 443, "/EWS/Exchange.asmx");
        assert_eq!(
            r,
            format!(
                "GET /EWS/Exchange.asmx HTTP/1.1\r\nHost: mail.contoso.test\r\nUser-Agent: offline-im-doctor/{} (probe)\r\nConnection: close\r\n\r\n",
                env!("CARGO_PKG_VERSION")
            )
        );
        assert!(request("h.test", 8443, "/").contains("Host: h.test:8443\r\n"));
    }

    #[test]
    fn challenges_are_read() {
        let a = parse_head(
            b"HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Negotiate\r\nWWW-Authenticate: NTLM\r\nwww-authenticate: Bearer realm=\"x\", error=\"y\"\r\n\r\n",
        )
        .unwrap();
        assert_eq!(a.status, 401);
        assert_eq!(a.auth_schemes, ["Negotiate", "NTLM", "Bearer"]);
        assert!(parse_head(b"SSH-2.0-OpenSSH\r\n\r\n").is_none());
        assert_eq!(a.ews_policy_reason, None);
    }

    #[test]
    fn ews_policy_reason_is_read() {
        let a = parse_head(
            b"HTTP/1.1 403 Forbidden\r\nx-ews-policy-reason: EWS is blocked by policy for this user or tenant\r\n\r\n",
        )
        .unwrap();
        assert_eq!(a.status, 403);
        assert_eq!(
            a.ews_policy_reason.as_deref(),
            Some("EWS is blocked by policy for this user or tenant")
        );
    }
}
