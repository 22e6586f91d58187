//! Personal data that is not a name the redactor learns: network
//! identifiers, phone numbers, names and subjects in XML, and the personal
//! properties of the cmdlet outputs the tool reads.

use std::sync::LazyLock;

use regex::Regex;

/// The personal properties of each pasted cmdlet output the tool reads
/// (`src/sources/server_config`), with the kind of pseudonym each value
/// becomes. Property names from Microsoft Learn's pages for each cmdlet:
/// <https://learn.microsoft.com/en-us/powershell/module/skype/get-csuser>,
/// <https://learn.microsoft.com/en-us/powershell/module/exchange/get-casmailbox>,
/// <https://learn.microsoft.com/en-us/powershell/module/exchange/get-organizationconfig>;
/// `Get-CsClientPolicy` and `Get-CsImConfiguration` hold policy settings
/// only (their `Identity` is a policy name such as `Tag:NoArchive`, which
/// the checks need). Values that are addresses (`SipAddress`,
/// `UserPrincipalName`, `PrimarySmtpAddress`, `EmailAddresses`,
/// `WindowsEmailAddress`) are pseudonymised by the address class; `LineURI`
/// and the phone properties by the phone class.
pub const PERSONAL_PROPERTIES: &[(&str, &[(&str, PropertyKind)])] = &[
    (
        "Get-CsUser",
        &[
            ("DisplayName", PropertyKind::Name),
            ("SamAccountName", PropertyKind::User),
            ("FirstName", PropertyKind::Name),
            ("LastName", PropertyKind::Name),
            ("Name", PropertyKind::Name),
            ("Alias", PropertyKind::User),
            ("DistinguishedName", PropertyKind::Name),
            ("LineURI", PropertyKind::Phone),
            ("PrivateLine", PropertyKind::Phone),
            ("OnPremLineURI", PropertyKind::Phone),
            ("Phone", PropertyKind::Phone),
            ("Title", PropertyKind::Name),
            ("Department", PropertyKind::Name),
            ("Office", PropertyKind::Name),
            ("City", PropertyKind::Name),
            ("Company", PropertyKind::Name),
            ("Sid", PropertyKind::Name),
            ("Guid", PropertyKind::Name),
            ("ObjectId", PropertyKind::Name),
        ],
    ),
    (
        "Get-CASMailbox",
        &[
            ("DisplayName", PropertyKind::Name),
            ("Name", PropertyKind::Name),
            ("SamAccountName", PropertyKind::User),
            ("ServerLegacyDN", PropertyKind::Name),
            ("LegacyExchangeDN", PropertyKind::Name),
            ("LinkedMasterAccount", PropertyKind::User),
            ("DistinguishedName", PropertyKind::Name),
            ("Guid", PropertyKind::Name),
            ("ExchangeGuid", PropertyKind::Name),
        ],
    ),
    (
        "Get-OrganizationConfig",
        &[
            ("DisplayName", PropertyKind::Name),
            ("Name", PropertyKind::Name),
            ("DistinguishedName", PropertyKind::Name),
            ("Guid", PropertyKind::Name),
            ("OrganizationId", PropertyKind::Name),
        ],
    ),
    ("Get-CsClientPolicy", &[]),
    ("Get-CsImConfiguration", &[]),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PropertyKind {
    /// A person's or organisation's name or identifier: `name-<hash>`.
    Name,
    /// An account name: `user-<hash>`, as in `DOMAIN\user`.
    User,
    /// A phone number or `tel:` URI: `phone-<hash>`.
    Phone,
}

/// `Property : value` of a list view, for every property above.
pub(crate) static PROPERTY_LINE: LazyLock<Regex> = LazyLock::new(|| {
    let mut names: Vec<&str> = PERSONAL_PROPERTIES
        .iter()
        .flat_map(|(_, ps)| ps.iter().map(|(p, _)| *p))
        .collect();
    names.sort_unstable();
    names.dedup();
    Regex::new(&format!(
        r"(?mi)^([ \t]*(?:{})[ \t]*:[ \t]*)([^\r\n]*?)([ \t]*\r?)$",
        names.join("|")
    ))
    .expect("static regex")
});

pub(crate) fn property_kind(name: &str) -> Option<PropertyKind> {
    PERSONAL_PROPERTIES
        .iter()
        .flat_map(|(_, ps)| ps.iter())
        .find(|(p, _)| p.eq_ignore_ascii_case(name))
        .map(|(_, k)| *k)
}

/// IPv4 (validated by `std::net`); not after `/` (a product version such
/// as `UCCAPI/16.0.4.5`) nor inside a longer dotted run.
pub(crate) static IPV4: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(^|[^0-9A-Za-z./])((?:[0-9]{1,3}\.){3}[0-9]{1,3})($|[^0-9A-Za-z.]|\.[^0-9])")
        .expect("static regex")
});
/// IPv6 candidates (validated by `std::net`), with an optional zone.
pub(crate) static IPV6: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(^|[^0-9a-z:.])((?:[0-9a-f]{0,4}:){2,7}(?:[0-9a-f]{1,4}|(?:[0-9]{1,3}\.){3}[0-9]{1,3})?(?:%[0-9a-z]+)?)")
        .expect("static regex")
});
/// A MAC address: six hexadecimal pairs joined by `:` or `-`.
pub(crate) static MAC: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:[0-9a-f]{2}:){5}[0-9a-f]{2}\b|\b(?:[0-9a-f]{2}-){5}[0-9a-f]{2}\b")
        .expect("static regex")
});
/// A `tel:` URI (RFC 3966).
pub(crate) static TEL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\b(tel:)(\+?[0-9][0-9().\-]*)").expect("static regex"));
/// An E.164-looking number: `+`, then 7 to 15 digits (ITU-T E.164).
pub(crate) static E164: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\+[1-9][0-9]{6,14}\b").expect("static regex"));
/// Any number of 7 digits or more with separators, in a field that holds
/// phone numbers: `P-Asserted-Identity`, `P-Preferred-Identity`
/// (RFC 3325), `<displayString>` and `<uri>` of a presence phone, `tel`
/// attributes of a contact card.
pub(crate) static PHONE_FIELD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:P-Asserted-Identity|P-Preferred-Identity|Remote-Party-ID|displayString|phoneNumber|telephoneNumber|mobile|homePhone|<tel\b)")
        .expect("static regex")
});
pub(crate) static PHONE_DIGITS: LazyLock<Regex> = LazyLock::new(|| {
    // Not inside a word or a pseudonym (`user-54322634`).
    Regex::new(r"(^|[^\p{L}\p{N}\-+])(\(?\+?[0-9][0-9 ().\-]{5,}[0-9])").expect("static regex")
});
/// Names and subjects in XML attributes: display names, and a roaming
/// contact's or group's `name="..."` ([MS-SIP] contact lists; only on
/// `contact` and `group`: `<property name="...">` is evidence).
pub(crate) static XML_NAME_ATTR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i)\b((?:display-?name|givenName|surname|title|company|office|department|note|subject|location)\s*=\s*")[^"\r\n]*(")"#)
        .expect("static regex")
});
pub(crate) static CONTACT_NAME_ATTR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i)(<(?:[a-z0-9]+:)?(?:contact|group)\b[^>]*?\bname\s*=\s*")[^"\r\n]*(")"#)
        .expect("static regex")
});
/// Names and subjects in XML elements: presence `<meetingSubject>`,
/// `<meetingLocation>`, contact cards, `<displayString>`.
pub(crate) static XML_NAME_ELEMENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(<(?:[a-z0-9]+:)?(?:displayName|name|givenName|surname|title|company|office|department|note|subject|meetingSubject|meetingLocation|location|displayString|freeText)\b[^>/]*>)[^<]*(</)")
        .expect("static regex")
});
