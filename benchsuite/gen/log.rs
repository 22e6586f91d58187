//! Seeded generator of realistic `Lync-UccApi-*.UccApilog` text, for the log
//! scanner's benchmark (`benchsuite/logscan.sh`) and for manual testing.
//!
//! ```text
//! cargo run --release --example gen-log -- --size 1GiB --seed 42 --out /tmp/Lync-UccApi-0.UccApilog
//! ```
//!
//! The layout follows `docs/rules.md` ("How a log is read"): a prefixed
//! line `11/24/2026|09:58:01.123 1A2C:2B3D INFO  :: text`, SIP messages
//! framed by `Sending Packet` / `Data Received` and `End of ...`, headers and
//! XML bodies unprefixed. The mix is mostly SIP noise (REGISTER, SUBSCRIBE,
//! MESSAGE, INVITE, BYE, NOTIFY, BENOTIFY and their responses) and component
//! trace lines, with the rare lines the doctor looks for sprinkled in: in-band
//! provisioning with `EnableIMAutoArchiving`, the `imAutoArchiving` user
//! option, EWS autodiscover, 401/500 failures, `ms-diagnostics`, and
//! offline-message / History Spooler processing. Same seed, same bytes.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::process::ExitCode;

/// xorshift64*: tiny, seeded, good enough to vary a benchmark log.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        // A zero state would stay zero forever.
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        if n == 0 { 0 } else { self.next() % n }
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }
    /// True with probability 1/n.
    fn one_in(&mut self, n: u64) -> bool {
        self.below(n) == 0
    }
    fn hex(&mut self, digits: usize) -> String {
        let v = self.next();
        let s = format!("{v:016X}");
        s[16 - digits.min(16)..].to_string()
    }
}

/// The local clock of the log: starts at a fixed date, advances per entry.
struct Clock {
    /// Milliseconds since 2026-11-24 00:00 local.
    ms: u64,
    day0: (u32, u32, u32),
}

impl Clock {
    fn stamp(&self) -> String {
        let days = self.ms / 86_400_000;
        let in_day = self.ms % 86_400_000;
        let (mut y, mut m, mut d) = self.day0;
        for _ in 0..days {
            (y, m, d) = next_day(y, m, d);
        }
        format!(
            "{m:02}/{d:02}/{y:04}|{:02}:{:02}:{:02}.{:03}",
            in_day / 3_600_000,
            in_day / 60_000 % 60,
            in_day / 1000 % 60,
            in_day % 1000
        )
    }
}

fn next_day(y: u32, m: u32, d: u32) -> (u32, u32, u32) {
    let leap = (y.is_multiple_of(4) && !y.is_multiple_of(100)) || y.is_multiple_of(400);
    let len = match m {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    if d < len {
        (y, m, d + 1)
    } else if m < 12 {
        (y, m + 1, 1)
    } else {
        (y + 1, 1, 1)
    }
}

struct Gen<W: Write> {
    out: W,
    rng: Rng,
    clock: Clock,
    written: u64,
    thread: String,
    user: &'static str,
    domain: &'static str,
    ews_host: &'static str,
    ua: String,
    cseq: u64,
}

const USERS: [&str; 4] = ["jdoe", "asmith", "mgarcia", "lchen"];
const DOMAINS: [&str; 3] = ["fabrikam.com", "contoso.com", "litwareinc.com"];
const PEERS: [&str; 6] = ["bob", "carol", "dave", "erin", "frank", "grace"];
const COMPONENTS: [&str; 12] = [
    "CUccTransportManager::OnTimer",
    "CUccConversation::OnStateChanged",
    "CUccPresenceManager::PublishState",
    "CUccContactManager::RefreshGroup",
    "CUccMediaManager::OnDeviceChange",
    "CUccSipEndpoint::ProcessKeepAlive",
    "CUccDataStore::FlushCache",
    "CUccLocationManager::Resolve",
    "CUccWebTicketManager::GetTicket",
    "CUccCallManager::OnSessionEvent",
    "CUccUcwaSession::PollEvents",
    "CUccAddressBook::SyncDelta",
];
const IM_TEXT: [&str; 6] = [
    "hi, do you have a minute?",
    "can we move the meeting to 3pm",
    "sure, sending the deck now",
    "thanks! see you there",
    "did you get my offline message? there was an error on my side",
    "ok",
];

impl<W: Write> Gen<W> {
    fn w(&mut self, s: &str) -> io::Result<()> {
        self.written += s.len() as u64 + 2;
        self.out.write_all(s.as_bytes())?;
        self.out.write_all(b"\r\n")
    }

    /// A prefixed line: timestamp, thread ids, level padded to five, `:: `.
    fn entry(&mut self, level: &str, text: &str) -> io::Result<()> {
        self.clock.ms += self.rng.below(40);
        if self.rng.one_in(50) {
            self.thread = format!("{}:{}", self.rng.hex(4), self.rng.hex(4));
        }
        let line = format!(
            "{} {} {:<5} :: {}",
            self.clock.stamp(),
            self.thread,
            level,
            text
        );
        self.w(&line)
    }

    fn sip_headers(
        &mut self,
        method: &str,
        to: &str,
        outgoing: bool,
        body_len: usize,
    ) -> io::Result<()> {
        self.cseq += 1;
        let tag = self.rng.hex(10);
        let call = self.rng.hex(16);
        let epid = self.rng.hex(10);
        let me = format!("{}@{}", self.user, self.domain);
        self.w("Via: SIP/2.0/TLS 192.168.10.20:51234;branch=z9hG4bK"
            .to_string()
            .as_str())?;
        self.w("Max-Forwards: 70")?;
        self.w(&format!("From: <sip:{me}>;tag={tag};epid={epid}"))?;
        self.w(&format!("To: <sip:{to}>"))?;
        self.w(&format!("Call-ID: {call}"))?;
        self.w(&format!("CSeq: {} {method}", self.cseq))?;
        if outgoing {
            let ua = self.ua.clone();
            self.w(&format!("User-Agent: {ua}"))?;
        } else {
            self.w("Server: RTC/7.0")?;
        }
        self.w(
            "Supported: gruu-10, adhoclist, msrtc-event-categories, com.microsoft.msrtc.presence",
        )?;
        self.w("ms-keep-alive: UAC;hop-hop=yes")?;
        self.w(&format!("Contact: <sip:{me};opaque=user:epid:{epid};gruu>"))?;
        self.w(&format!("Content-Length: {body_len}"))
    }

    fn framed(
        &mut self,
        outgoing: bool,
        start: &str,
        method: &str,
        to: &str,
        body: &[String],
    ) -> io::Result<()> {
        let bytes = 400 + body.iter().map(|l| l.len() + 2).sum::<usize>();
        let frame = if outgoing {
            format!(
                "Sending Packet - 10.0.0.5:443 (From Local Address: 192.168.10.20:51234) {bytes} bytes:"
            )
        } else {
            format!(
                "Data Received - 10.0.0.5:443 (To Local Address: 192.168.10.20:51234) {bytes} bytes:"
            )
        };
        self.entry("INFO", &frame)?;
        self.entry("INFO", start)?;
        let body_len = body.iter().map(|l| l.len() + 2).sum();
        self.sip_headers(method, to, outgoing, body_len)?;
        self.w("")?;
        for l in body {
            self.w(l)?;
        }
        let end = if outgoing {
            "End of Sending Packet"
        } else {
            "End of Data Received"
        };
        self.entry("INFO", &format!("{end} - 10.0.0.5:443 {bytes} bytes"))
    }

    fn noise(&mut self) -> io::Result<()> {
        let n = 1 + self.rng.below(6);
        for _ in 0..n {
            let c = self.rng.pick(&COMPONENTS);
            let level = match self.rng.below(40) {
                0 => "WARN",
                1 => "ERROR",
                2..=20 => "TRACE",
                _ => "INFO",
            };
            let hr = self.rng.hex(8);
            let text = match self.rng.below(4) {
                0 => format!("{c} - entered, this={}", self.rng.hex(8)),
                1 => format!(
                    "{c} - exiting, hr=0x{}",
                    if level == "ERROR" {
                        format!("8{}", &hr[1..])
                    } else {
                        "00000000".into()
                    }
                ),
                2 => format!("{c} - state {} -> {}", self.rng.below(9), self.rng.below(9)),
                _ => format!(
                    "{c} - queued work item {} (pending {})",
                    self.rng.hex(6),
                    self.rng.below(30)
                ),
            };
            self.entry(level, &text)?;
        }
        Ok(())
    }

    fn peer(&mut self) -> String {
        format!("{}@{}", self.rng.pick(&PEERS), self.domain)
    }

    fn register(&mut self) -> io::Result<()> {
        let domain = self.domain;
        self.framed(
            true,
            &format!("REGISTER sip:{domain} SIP/2.0"),
            "REGISTER",
            &format!("{}@{}", self.user, domain),
            &[],
        )?;
        if self.rng.one_in(6) {
            self.framed(false, "SIP/2.0 401 Unauthorized", "REGISTER", domain, &[])?;
        }
        self.framed(false, "SIP/2.0 200 OK", "REGISTER", domain, &[])
    }

    fn message(&mut self) -> io::Result<()> {
        let to = self.peer();
        let text = self.rng.pick(&IM_TEXT).to_string();
        self.framed(
            true,
            &format!("MESSAGE sip:{to} SIP/2.0"),
            "MESSAGE",
            &to,
            &[text],
        )?;
        if self.rng.one_in(10) {
            // Recipient signed out: the trigger for an offline message.
            self.framed(
                false,
                "SIP/2.0 480 Temporarily Unavailable",
                "MESSAGE",
                &to,
                &[],
            )?;
            self.w("ms-diagnostics: 15;reason=\"Temporarily unavailable\";source=\"pool01.fabrikam.com\"")?;
        } else {
            self.framed(false, "SIP/2.0 200 OK", "MESSAGE", &to, &[])?;
        }
        Ok(())
    }

    fn invite(&mut self) -> io::Result<()> {
        let to = self.peer();
        let sdp: Vec<String> = vec![
            "v=0".into(),
            format!("o=- 0 0 IN IP4 192.168.10.{}", self.rng.below(250)),
            "s=session".into(),
            "c=IN IP4 192.168.10.20".into(),
            "t=0 0".into(),
            "m=message 5061 sip null".into(),
            "a=accept-types:text/plain multipart/alternative image/gif text/rtf text/html application/x-ms-ink".into(),
        ];
        self.framed(
            true,
            &format!("INVITE sip:{to} SIP/2.0"),
            "INVITE",
            &to,
            &sdp,
        )?;
        self.framed(false, "SIP/2.0 100 Trying", "INVITE", &to, &[])?;
        self.framed(false, "SIP/2.0 200 OK", "INVITE", &to, &sdp)?;
        if self.rng.one_in(3) {
            self.framed(true, &format!("BYE sip:{to} SIP/2.0"), "BYE", &to, &[])?;
        }
        Ok(())
    }

    fn presence(&mut self) -> io::Result<()> {
        let to = self.peer();
        let body: Vec<String> = vec![
            "<batchSub xmlns=\"http://schemas.microsoft.com/2006/01/sip/batch-subscribe\" uri=\"sip:me\" name=\"\">".into(),
            format!("<action name=\"subscribe\" id=\"{}\"><adhocList>", self.rng.below(100000)),
            format!("<resource uri=\"sip:{to}\"/>"),
            "</adhocList><categoryList xmlns=\"http://schemas.microsoft.com/2006/09/sip/categorylist\">".into(),
            "<category name=\"state\"/><category name=\"note\"/><category name=\"contactCard\"/>".into(),
            "</categoryList></action></batchSub>".into(),
        ];
        self.framed(
            true,
            &format!("SUBSCRIBE sip:{}@{} SIP/2.0", self.user, self.domain),
            "SUBSCRIBE",
            &to,
            &body,
        )?;
        let state: Vec<String> = vec![
            format!(
                "<categories xmlns=\"http://schemas.microsoft.com/2006/09/sip/categories\" uri=\"sip:{to}\">"
            ),
            format!(
                "<category name=\"state\" instance=\"0\" publishTime=\"2026-11-24T09:{:02}:00.000\">",
                self.rng.below(60)
            ),
            format!(
                "<state xsi:type=\"aggregateState\"><availability>{}</availability></state>",
                3500 + 100 * self.rng.below(10)
            ),
            "</category></categories>".into(),
        ];
        self.framed(
            false,
            "BENOTIFY sip:192.168.10.20:51234;transport=tls SIP/2.0",
            "BENOTIFY",
            &to,
            &state,
        )
    }

    fn provisioning(&mut self) -> io::Result<()> {
        let domain = self.domain;
        let ews = self.ews_host;
        self.framed(true, &format!("SUBSCRIBE sip:{}@{domain} SIP/2.0", self.user), "SUBSCRIBE", domain, &[
            "<provisioningGroupList xmlns=\"http://schemas.microsoft.com/2006/09/sip/provisiongrouplist\">".into(),
            "<provisioningGroup name=\"ServerConfiguration\"/><provisioningGroup name=\"endpointConfiguration\"/>".into(),
            "</provisioningGroupList>".into(),
        ])?;
        let archiving = if self.rng.one_in(4) { "false" } else { "true" };
        let mut body: Vec<String> = vec![
            "<provisionGroupList xmlns=\"http://schemas.microsoft.com/2006/09/sip/provisiongrouplist-notification\">".into(),
            "<provisionGroup name=\"ServerConfiguration\">".into(),
            format!("<ucPolicy>x</ucPolicy><focusFactoryUri>sip:{}@{domain};gruu;opaque=app:conf:focusfactory</focusFactoryUri>", self.user),
            format!("<mrasUri>sip:mras.{domain}</mrasUri><absInternalServerUrl>https://pool01.{domain}/abs/int/handler</absInternalServerUrl>"),
            "</provisionGroup>".into(),
            "<provisionGroup name=\"endpointConfiguration\"><propertyEntryList>".into(),
            "<property name=\"EnableTracing\">true</property>".into(),
            format!("<property name=\"EnableIMAutoArchiving\">{archiving}</property>"),
            "<property name=\"DisableSavingIM\">false</property>".into(),
            "<property name=\"EnableExchangeContactSync\">true</property>".into(),
            "</propertyEntryList></provisionGroup>".into(),
        ];
        for i in 0..20 {
            body.push(format!("<provisionGroup name=\"privacySetting{i}\"><propertyEntryList><property name=\"Setting{i}\">{}</property></propertyEntryList></provisionGroup>", self.rng.below(2) == 0));
        }
        body.push("</provisionGroupList>".into());
        self.framed(false, "SIP/2.0 200 OK", "SUBSCRIBE", domain, &body)?;
        // The user's options roam in otherOptions.
        let user_opt = if self.rng.one_in(5) { "false" } else { "true" };
        self.framed(false, "BENOTIFY sip:192.168.10.20:51234;transport=tls SIP/2.0", "BENOTIFY", domain, &[
            "<otherOptions xmlns=\"http://schemas.microsoft.com/2007/09/sip/options\">".into(),
            format!("<imAutoArchiving>{user_opt}</imAutoArchiving><showEmailInContactCard>true</showEmailInContactCard>"),
            "</otherOptions>".into(),
        ])?;
        let _ = ews;
        Ok(())
    }

    fn ews(&mut self) -> io::Result<()> {
        let domain = self.domain;
        let ews = self.ews_host;
        let c = "CUccAutodiscoverRequest::SendRequest";
        self.entry("INFO", &format!("{c} - sending request to https://autodiscover.{domain}/autodiscover/autodiscover.xml"))?;
        if self.rng.one_in(4) {
            self.entry("WARN", &format!("{c} - response received, HTTP/1.1 401 Unauthorized, url=https://autodiscover.{domain}/autodiscover/autodiscover.xml"))?;
        }
        self.entry("INFO", &format!("{c} - response received, status 200"))?;
        self.w("<Autodiscover xmlns=\"http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a\"><Response>")?;
        self.w(&format!("<EwsUrl>https://{ews}/EWS/Exchange.asmx</EwsUrl>"))?;
        self.w(&format!("<EwsInternalUrl>https://{ews}/EWS/Exchange.asmx</EwsInternalUrl><EwsExternalUrl>https://{ews}/EWS/Exchange.asmx</EwsExternalUrl>"))?;
        self.w("</Response></Autodiscover>")?;
        let e = "CUccEwsRequest::Execute";
        if self.rng.one_in(3) {
            self.entry("ERROR", &format!("{e} - POST https://{ews}/EWS/Exchange.asmx failed: StatusCode=500 (Internal Server Error)"))
        } else {
            self.entry(
                "INFO",
                &format!("{e} - POST https://{ews}/EWS/Exchange.asmx completed, status code 200"),
            )
        }
    }

    fn offline(&mut self) -> io::Result<()> {
        let c = "CUccOfflineImManager::ProcessSpooler";
        let me = format!("{}@{}", self.user, self.domain);
        self.entry(
            "INFO",
            &format!("{c} - scanning History Spooler for sip_{me}"),
        )?;
        let id = self.rng.hex(8);
        self.entry(
            "INFO",
            &format!("{c} - sending offline message {id} to EWS"),
        )?;
        if self.rng.one_in(3) {
            let hr = format!("0x8{}", &self.rng.hex(7));
            self.entry("ERROR", &format!("{c} - offline message delivery failed, hr={hr}; message stays in History Spooler"))
        } else {
            self.entry(
                "INFO",
                &format!("{c} - offline message delivered, removed from History Spooler"),
            )
        }
    }

    fn run(&mut self, size: u64) -> io::Result<()> {
        while self.written < size {
            match self.rng.below(1000) {
                0..=1 => self.provisioning()?,
                2..=4 => self.ews()?,
                5..=7 => self.offline()?,
                8..=40 => self.register()?,
                41..=200 => self.message()?,
                201..=260 => self.invite()?,
                261..=500 => self.presence()?,
                _ => self.noise()?,
            }
            if self.rng.one_in(20_000) {
                // Client update mid-log: a newer build appears.
                self.ua = "UCCAPI/16.0.7766.5281 OC/16.0.7766.2047 (Skype for Business)".into();
            }
        }
        self.out.flush()
    }
}

fn parse_size(s: &str) -> Option<u64> {
    let s = s.trim();
    let split = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    let (num, unit) = s.split_at(split);
    let n: u64 = num.parse().ok()?;
    let mult: u64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kb" => 1000,
        "kib" => 1 << 10,
        "m" | "mb" => 1_000_000,
        "mib" => 1 << 20,
        "g" | "gb" => 1_000_000_000,
        "gib" => 1 << 30,
        _ => return None,
    };
    n.checked_mul(mult)
}

fn main() -> ExitCode {
    let mut size = 64u64 << 20;
    let mut seed = 42u64;
    let mut out: Option<String> = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let v = args.next();
        match (a.as_str(), v) {
            ("--size", Some(v)) => match parse_size(&v) {
                Some(n) => size = n,
                None => {
                    eprintln!("gen-log: bad --size `{v}` (e.g. 1GiB, 64MiB, 1000000)");
                    return ExitCode::from(2);
                }
            },
            ("--seed", Some(v)) => match v.parse() {
                Ok(n) => seed = n,
                Err(_) => {
                    eprintln!("gen-log: bad --seed `{v}`");
                    return ExitCode::from(2);
                }
            },
            ("--out", Some(v)) => out = Some(v),
            _ => {
                eprintln!("usage: gen-log [--size 1GiB] [--seed 42] --out FILE");
                return ExitCode::from(2);
            }
        }
    }
    let Some(out) = out else {
        eprintln!("usage: gen-log [--size 1GiB] [--seed 42] --out FILE");
        return ExitCode::from(2);
    };
    let file = match File::create(&out) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("gen-log: cannot create {out}: {e}");
            return ExitCode::from(1);
        }
    };
    let mut rng = Rng::new(seed);
    let user = USERS[rng.below(USERS.len() as u64) as usize];
    let domain = DOMAINS[rng.below(DOMAINS.len() as u64) as usize];
    let ews_host = if rng.one_in(2) {
        "outlook.office365.com"
    } else {
        "mail.fabrikam.com"
    };
    let thread = format!("{}:{}", rng.hex(4), rng.hex(4));
    let mut g = Gen {
        out: BufWriter::with_capacity(1 << 20, file),
        rng,
        clock: Clock {
            ms: 8 * 3_600_000,
            day0: (2026, 11, 24),
        },
        written: 0,
        thread,
        user,
        domain,
        ews_host,
        ua: "UCCAPI/16.0.6965.5308 OC/16.0.6965.2058 (Skype for Business)".into(),
        cseq: 0,
    };
    match g.run(size) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("gen-log: writing {out}: {e}");
            ExitCode::from(1)
        }
    }
}
