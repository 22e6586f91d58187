//! The machines the integration tests share: one place to read what a
//! scenario holds, instead of a near-identical `scenario()` per file.
//!
//! Every scenario is jdoe@fabrikam.com with an on-premises mailbox
//! (`mail.fabrikam.com`) and client build [`BUILD`]; ages are measured from
//! [`super::NOW`].

use super::{Fixture, entry, ews_url_entry, user_agent_entry};

/// The signed-in user of every scenario.
pub const USER: &str = "jdoe@fabrikam.com";
/// The client build the current log reports.
pub const BUILD: &str = "16.0.6965.2053";
/// The build an older, rotated log (`.bak`) reports.
pub const OLDER_BUILD: &str = "16.0.6741.2048";
/// The current client log's path under the root.
pub const LOG: &str = "Lync-UccApi-0.UccApilog";

/// What `--redact` must remove from every output of [`stuck_on_premises`]
/// (lower case): addresses, names and the text of messages.
pub const PERSONAL: &[&str] = &[
    "jdoe",
    "fabrikam",
    "klee",
    "mbrown",
    "john doe",
    "dock at nine",
    "the secret plan",
    "lunch at noon",
];

fn throttled_log() -> String {
    user_agent_entry("09:00:00.000", BUILD)
        + &ews_url_entry("09:00:01.000", "mail.fabrikam.com")
        + &entry(
            "09:00:02.000",
            "ERROR",
            "POST https://mail.fabrikam.com/EWS/Exchange.asmx failed: HTTP/1.1 503 Service Unavailable",
        )
}

/// One message stuck for an hour (`m1.xml`, to mbrown, with its text) and a
/// log in which EWS answered HTTP 503 (Exchange throttling): nothing else.
pub fn throttled_on_premises() -> Fixture {
    let f = Fixture::new();
    spool_stuck_message(&f);
    f.log(LOG, &throttled_log());
    f
}

/// [`throttled_on_premises`] plus what a real failing machine adds: a second
/// message spooled 30 s ago (`m2.eml`, to Kim, with its text), a SIP MESSAGE
/// with its text in the log, the client's "failed to send offline message"
/// with HRESULT 0x80190191 (HTTP 401), and a rotated `.bak` log from
/// [`OLDER_BUILD`].
pub fn stuck_on_premises() -> Fixture {
    let f = Fixture::new();
    spool_stuck_message(&f);
    f.spool(
        USER,
        "m2.eml",
        b"To: Kim <klee@fabrikam.com>\r\n\r\nlunch at noon",
        30,
    );
    let log = throttled_log()
        + &entry(
            "09:00:03.000",
            "INFO",
            "Sending Packet - 10.0.0.5:443 (From Local Address: 10.0.0.12:50312) 400 bytes:",
        )
        + "MESSAGE sip:klee@fabrikam.com SIP/2.0\r\nFrom: \"John Doe\" <sip:jdoe@fabrikam.com>;tag=1\r\nContent-Type: text/plain\r\n\r\nmeet me at the dock at nine\r\n"
        + &entry(
            "09:00:04.000",
            "ERROR",
            "failed to send offline message, hr=0x80190191",
        );
    f.log(
        &format!("{LOG}.bak"),
        &user_agent_entry("08:00:00.000", OLDER_BUILD),
    );
    f.log(LOG, &log);
    f
}

fn spool_stuck_message(f: &Fixture) {
    f.spool(
        USER,
        "m1.xml",
        b"<m><to>sip:mbrown@fabrikam.com</to><body>the secret plan</body></m>",
        3600,
    );
}
