//! The redaction model: the classes of personal data and secrets, each
//! with its rule, in the order [`super::Redactor::redact`] applies them.
//! `docs/privacy.md` lists the same classes (a test checks it names each).

/// One class of data the tool removes or pseudonymises.
#[derive(Debug, Clone, Copy)]
pub struct Class {
    /// The name `docs/privacy.md` uses.
    pub id: &'static str,
    /// What is found and what it becomes.
    pub rule: &'static str,
    /// Whether bundles lose it without `--redact` too.
    pub always: bool,
}

pub const CLASSES: &[Class] = &[
    Class {
        id: "credentials",
        rule: "Authorization and Proxy-Authorization values, SIP security blobs (gssapi-data, opaque, response, crand, cnum, snum, srand, signature), tokens after a scheme in challenges, JSON Web Tokens, Cookie and Set-Cookie values, secret query parameters (sig, access_token, id_token, refresh_token, code, client_secret, password, pwd, token): replaced by `[token removed, N bytes]` (and cookie/secret), keeping the scheme",
        always: true,
    },
    Class {
        id: "message-text",
        rule: "SIP MESSAGE/INFO bodies that are not XML, the INVITE's `ms-body=`, EWS `<t:Body>`/`<t:UniqueBody>`/`<t:TextBody>` over one or several lines (CDATA included), `<message>`/`<text>`: replaced by a count or `[message removed, N bytes]`; spooled messages only with --include-messages",
        always: true,
    },
    Class {
        id: "xml-names",
        rule: "display names, given names, surnames, titles, notes, subjects and locations in XML attributes and elements (`<meetingSubject>`, `<meetingLocation>`, `<displayString>`), a roaming contact's or group's `name=\"...\"`: `[redacted]`",
        always: false,
    },
    Class {
        id: "cmdlet-properties",
        rule: "the personal properties of every pasted cmdlet output the tool reads (list view; `PERSONAL_PROPERTIES`): `name-<hash>`, `user-<hash>` or `phone-<hash>`; the values are learnt as names",
        always: false,
    },
    Class {
        id: "network-identifiers",
        rule: "IPv4 and IPv6 addresses except loopback, unspecified and broadcast: `ip-<hash>`; MAC addresses: `mac-<hash>`",
        always: false,
    },
    Class {
        id: "display-names",
        rule: "a quoted or capitalised name before `<sip:`, `<mailto:`, `<tel:`: `\"[name]\"`",
        always: false,
    },
    Class {
        id: "directory-names",
        rule: "Active Directory distinguished names: each CN/OU/DC/O/L/ST/C value becomes `cn-<hash>`...",
        always: false,
    },
    Class {
        id: "windows-accounts",
        rule: "`DOMAIN\\user`: `domain-<hash>\\user-<hash>`; both are learnt",
        always: false,
    },
    Class {
        id: "addresses",
        rule: "SIP and e-mail addresses, Unicode local parts and domains (RFC 6531), also URL-encoded: `user-<hash>@domain-<hash>.invalid`; the domain is learnt",
        always: false,
    },
    Class {
        id: "phone-numbers",
        rule: "`tel:` URIs, E.164-looking numbers (`+` and 7 to 15 digits), numbers in P-Asserted-Identity, P-Preferred-Identity, Remote-Party-ID and `<displayString>`: `phone-<hash>`",
        always: false,
    },
    Class {
        id: "hosts",
        rule: "hosts in URLs, and every host in a learnt domain with all its labels (`fe01.contoso.com`): `host-<hash>.domain-<hash>.invalid`; a learnt domain alone: `domain-<hash>.invalid`; Microsoft's public service hosts stay",
        always: false,
    },
    Class {
        id: "profile-paths",
        rule: "the user name in `\\Users\\<name>`, `/home/<name>`, `Documents and Settings`: `user-<hash>`, learnt",
        always: false,
    },
    Class {
        id: "learnt-names",
        rule: "every learnt user, machine, domain and property value, wherever it appears: inside other tokens (`WKS-ASMITH-01`), case-insensitively, Unicode; names of two characters only where they stand alone",
        always: false,
    },
    Class {
        id: "collector-paths",
        rule: "the technician's paths (the bundle's --root, --out, pasted files' locations) never go into a bundle: inventory.json's root is the kind of root, not its path",
        always: true,
    },
];
