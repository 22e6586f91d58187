//! URLs and hosts, parsed by the `url` crate (WHATWG URL Standard), so that
//! every part of the tool reads a URL the same way.

use url::{Host, Url};

/// A URL as the `url` crate reads it. Text without a scheme
/// (`mail.contoso.com/EWS`) is read as `http://` plus the text, as proxies
/// and some log lines write it.
pub fn parse(text: &str) -> Option<Url> {
    let text = text.trim();
    if text.contains("://") {
        Url::parse(text).ok()
    } else {
        Url::parse(&format!("http://{text}")).ok()
    }
}

/// A URL's host name, lower case, without user info, port or trailing dot;
/// an IPv6 address without brackets. `None` when there is no host.
pub fn host(url: &Url) -> Option<String> {
    let host = match url.host()? {
        Host::Domain(d) => d.trim_end_matches('.').to_ascii_lowercase(),
        Host::Ipv4(a) => a.to_string(),
        Host::Ipv6(a) => a.to_string(),
    };
    (!host.is_empty()).then_some(host)
}

/// The host of a URL written as text (see [`parse`] and [`host`]).
pub fn host_of(text: &str) -> Option<String> {
    host(&parse(text)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts() {
        assert_eq!(
            host_of("https://mail.fabrikam.com/EWS/Exchange.asmx").as_deref(),
            Some("mail.fabrikam.com")
        );
        assert_eq!(
            host_of("https://u:p@H.com:443/EWS").as_deref(),
            Some("h.com")
        );
        assert_eq!(
            host_of("HTTPS://Mail.Test./x?y#z").as_deref(),
            Some("mail.test")
        );
        assert_eq!(host_of("mail.test:8443/EWS").as_deref(), Some("mail.test"));
        assert_eq!(host_of("http://[::1]:80/").as_deref(), Some("::1"));
        assert_eq!(host_of("file:///C:/x"), None);
        assert_eq!(host_of(""), None);
    }
}
