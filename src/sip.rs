//! SIP addresses as people and tools write them: `sip:jdoe@fabrikam.com`,
//! `SIP:JDoe@Fabrikam.com`, the folder name `sip_jdoe@fabrikam.com`, or bare.

use std::fmt;

/// A SIP address without its `sip:` / `sip_` prefix (any case), kept as
/// written; two addresses are the same when they differ only in ASCII case.
#[derive(Debug, Clone)]
pub struct SipAddress(String);

impl SipAddress {
    pub fn new(text: &str) -> SipAddress {
        SipAddress(bare(text.trim()).to_string())
    }

    /// The address without a prefix, as written.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether `other` (with or without a prefix) names this address.
    pub fn matches(&self, other: &str) -> bool {
        bare(other.trim()).eq_ignore_ascii_case(&self.0)
    }
}

impl PartialEq for SipAddress {
    fn eq(&self, other: &Self) -> bool {
        self.0.eq_ignore_ascii_case(&other.0)
    }
}

impl Eq for SipAddress {}

impl fmt::Display for SipAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// `sip:alice@contoso.test` (or `SIP:`, `sip_`) → `alice@contoso.test`.
pub fn bare(text: &str) -> &str {
    match text.get(..4) {
        Some(p) if p.eq_ignore_ascii_case("sip:") || p.eq_ignore_ascii_case("sip_") => &text[4..],
        _ => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_and_case() {
        for written in [
            "jdoe@fabrikam.com",
            "sip:jdoe@fabrikam.com",
            "SIP:JDoe@Fabrikam.com",
            "sip_jdoe@fabrikam.com",
            " Sip_JDOE@fabrikam.com ",
        ] {
            let a = SipAddress::new(written);
            assert!(a.matches("jdoe@fabrikam.com"), "{written}");
            assert!(a.matches("SIP:jdoe@FABRIKAM.com"), "{written}");
            assert_eq!(a, SipAddress::new("jdoe@fabrikam.com"));
        }
        assert_eq!(SipAddress::new("SIP:JDoe@x").as_str(), "JDoe@x");
        assert!(!SipAddress::new("sip:a@x").matches("b@x"));
        assert_eq!(SipAddress::new("sip").as_str(), "sip");
        assert_eq!(SipAddress::new("").as_str(), "");
    }
}
