//! What never belongs in a bundle, with or without `--redact`: credentials
//! and tokens, and message text that travels inside a header or on one line.
//!
//! Every replacement is a marker in square brackets that none of these
//! patterns reads again, so stripping stripped text changes nothing.

use std::borrow::Cow;
use std::sync::LazyLock;

use regex::{Captures, Regex};

/// `Authorization: NTLM qop="auth", ..., response="..."` (SIP, RFC 3261
/// 20.7; Microsoft's [MS-SIPAE] 2.2.2) and HTTP (RFC 9110 11.6.2 and
/// 11.7.2): after the scheme, all of it is the user's credential.
static AUTHORIZATION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b((?:Proxy-)?Authorization[ \t]*:[ \t]*)([A-Za-z0-9_\-]+)([ \t]+[^\r\n]*)")
        .expect("static regex")
});
/// `Cookie:` and `Set-Cookie:` (RFC 6265): session identifiers.
static COOKIE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b((?:Set-)?Cookie[ \t]*:[ \t]*)([^\r\n]+)").expect("static regex")
});
/// A challenge's opaque security blob ([MS-SIPAE] 2.2.2: `gssapi-data`,
/// `opaque`, `response`, `crand`, `cnum`, `snum`, `srand`) in a SIP
/// `WWW-Authenticate`, `Authentication-Info` or `Proxy-Authenticate`.
static SECURITY_PARAM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?i)\b(gssapi-data|opaque|response|crand|cnum|snum|srand|signature)(=)"([^"\r\n]*)""#,
    )
    .expect("static regex")
});
/// A token68 right after a scheme in an HTTP challenge
/// (`WWW-Authenticate: Negotiate oYH1MIHy...`, RFC 9110 11.3).
static CHALLENGE_TOKEN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b((?:Negotiate|NTLM|Kerberos|TLS-DSK|Bearer|Basic)[ \t]+)([A-Za-z0-9+/._~\-]{16,}=*)")
        .expect("static regex")
});
/// A JSON Web Token anywhere (RFC 7519: three base64url parts, the first a
/// JSON header that starts `{"`, so `eyJ`).
static JWT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\beyJ[A-Za-z0-9_\-]{4,}\.[A-Za-z0-9_\-]{4,}\.[A-Za-z0-9_\-]*")
        .expect("static regex")
});
/// Query parameters that carry a secret: Azure shared access signatures
/// (`sig=`), OAuth (`access_token`, `id_token`, `refresh_token`, `code`,
/// `client_secret`), passwords.
static SECRET_QUERY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i)([?&;](?:sig|signature|access_token|id_token|refresh_token|code|client_secret|password|pwd|token)=)([^&\s"'<>\[]+)"#)
        .expect("static regex")
});
/// The first IM of a conversation in the INVITE: `Ms-Text-Format:
/// text/plain; charset=UTF-8; msgr=...; ms-body=<base64>`.
static MS_BODY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\b(ms-body=)([^;\s\[]+)").expect("static regex"));
/// An element that holds message text, opened and closed on one line
/// (plain text or CDATA): EWS `<t:Body>`, `<t:UniqueBody>`, `<t:TextBody>`,
/// conversation history `<message>`/`<text>`.
static ONE_LINE_BODY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(<(?:[a-z0-9]+:)?(Body|UniqueBody|TextBody|message|text|ms-body)\b[^>]*[^/>]>|<(?:[a-z0-9]+:)?(?:Body|UniqueBody|TextBody|message|text|ms-body)>)((?:<!\[CDATA\[.*?\]\]>|[^<])+)(</(?:[a-z0-9]+:)?(?:Body|UniqueBody|TextBody|message|text|ms-body)\s*>)")
        .expect("static regex")
});

/// The element names whose text is a message, for a body over several lines.
pub(crate) static BODY_OPEN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)<(?:[a-z0-9]+:)?(Body|UniqueBody|TextBody)\b[^>]*?(/?)>")
        .expect("static regex")
});
pub(crate) static BODY_CLOSE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)</(?:[a-z0-9]+:)?(?:Body|UniqueBody|TextBody)\s*>").expect("static regex")
});

fn removed(what: &str, bytes: usize) -> String {
    format!("[{what} removed, {bytes} bytes]")
}

fn is_marker(s: &str) -> bool {
    let s = s.trim();
    s.starts_with('[') && s.ends_with(']') && s.contains(" removed")
}

/// Credentials, tokens, cookies and one-line message text replaced by
/// markers that keep the scheme.
pub fn strip(text: &str) -> Cow<'_, str> {
    let mut s = Cow::Borrowed(text);
    let mut apply = |re: &Regex, f: &dyn Fn(&Captures<'_>) -> String| {
        if re.is_match(&s) {
            s = Cow::Owned(re.replace_all(&s, |c: &Captures<'_>| f(c)).into_owned());
        }
    };
    apply(&AUTHORIZATION, &|c| {
        let rest = c[3].trim_start();
        if is_marker(rest) {
            return c[0].to_string();
        }
        format!("{}{} {}", &c[1], &c[2], removed("token", rest.len()))
    });
    apply(&COOKIE, &|c| {
        if is_marker(&c[2]) {
            return c[0].to_string();
        }
        format!("{}{}", &c[1], removed("cookie", c[2].len()))
    });
    apply(&SECURITY_PARAM, &|c| {
        if is_marker(&c[3]) {
            return c[0].to_string();
        }
        format!("{}{}\"{}\"", &c[1], &c[2], removed("token", c[3].len()))
    });
    apply(&CHALLENGE_TOKEN, &|c| {
        format!("{}{}", &c[1], removed("token", c[2].len()))
    });
    apply(&JWT, &|c| removed("token", c[0].len()));
    apply(&SECRET_QUERY, &|c| {
        format!("{}{}", &c[1], removed("secret", c[2].len()))
    });
    apply(&MS_BODY, &|c| {
        format!("{}{}", &c[1], removed("message", c[2].len()))
    });
    apply(&ONE_LINE_BODY, &|c| {
        if is_marker(&c[3]) {
            return c[0].to_string();
        }
        format!("{}{}{}", &c[1], removed("message", c[3].len()), &c[4])
    });
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn twice(t: &str) -> String {
        let once = strip(t).into_owned();
        assert_eq!(strip(&once), once, "stripping twice changed {t:?}");
        once
    }

    #[test]
    fn credentials_keep_their_scheme() {
        let blob = "T".repeat(812);
        let out = twice(&format!("Authorization: NTLM {blob}"));
        assert_eq!(out, "Authorization: NTLM [token removed, 812 bytes]");
        let out = twice(&format!(
            "Proxy-Authorization: NTLM qop=\"auth\", realm=\"SIP Communications Service\", gssapi-data=\"{blob}\""
        ));
        assert!(
            out.starts_with("Proxy-Authorization: NTLM [token removed, "),
            "{out}"
        );
        assert!(!out.contains("TTTT") && !out.contains("realm"), "{out}");
        let jwt = "eyJhbGciOiJSUzI1NiJ9.eyJ1cG4iOiJhbGljZUBjb250b3NvLmNvbSJ9.c2lnbmF0dXJl";
        let out = twice(&format!("Authorization: Bearer {jwt}"));
        assert_eq!(out, "Authorization: Bearer [token removed, 70 bytes]");
        let out = twice(&format!("token in text {jwt} end"));
        assert!(!out.contains("eyJ"), "{out}");
    }

    #[test]
    fn challenges_keep_schemes_not_blobs() {
        let out = twice(
            "WWW-Authenticate: NTLM realm=\"SIP Communications Service\", targetname=\"fe01.contoso.com\", opaque=\"ABCD\", gssapi-data=\"TlRMTVNTUAACAAAA\", version=4",
        );
        assert!(out.contains("WWW-Authenticate: NTLM realm="), "{out}");
        assert!(
            !out.contains("TlRMTVNTUAACAAAA") && !out.contains("ABCD"),
            "{out}"
        );
        let out = twice("WWW-Authenticate: Negotiate oYH1MIHyoAMKAQChCwYJKoZIgvcSAQICooHd");
        assert_eq!(out, "WWW-Authenticate: Negotiate [token removed, 36 bytes]");
        let out = twice("WWW-Authenticate: Bearer client_id=\"00000002\", trusted_issuers=\"x\"");
        assert!(out.contains("Bearer client_id"), "{out}");
    }

    #[test]
    fn cookies_and_signed_urls() {
        let out = twice("Set-Cookie: X-OWA-CANARY=abc123; path=/");
        assert_eq!(out, "Set-Cookie: [cookie removed, 27 bytes]");
        let out = twice(
            "GET https://x.blob.core.windows.net/c/f?sv=2020-08-04&se=2026&sp=r&sig=AbC%2Bd%3D HTTP/1.1",
        );
        assert!(
            out.contains("sv=2020-08-04&se=2026&sp=r&sig=[secret removed, 10 bytes]"),
            "{out}"
        );
    }

    #[test]
    fn message_text_in_headers_and_one_line_bodies() {
        let out = twice(
            "Ms-Text-Format: text/plain; charset=UTF-8; msgr=WAAtAE0A; ms-body=c2VjcmV0IHBsYW4=",
        );
        assert_eq!(
            out,
            "Ms-Text-Format: text/plain; charset=UTF-8; msgr=WAAtAE0A; ms-body=[message removed, 16 bytes]"
        );
        let out = twice("<t:Body BodyType=\"Text\"><![CDATA[the <b>secret</b> plan]]></t:Body>");
        assert!(!out.contains("secret"), "{out}");
        assert!(
            out.starts_with("<t:Body BodyType=\"Text\">[message removed"),
            "{out}"
        );
        let out = twice("<t:Body>the secret plan</t:Body>");
        assert_eq!(out, "<t:Body>[message removed, 15 bytes]</t:Body>");
    }
}
