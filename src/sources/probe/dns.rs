//! Name look-ups. Without `--probe-dns`, addresses come from the operating
//! system's resolver (`getaddrinfo`, on Windows the DNS client service),
//! which is what the client itself uses, hosts file and suffix search
//! included; it runs in a thread that is abandoned at the time limit,
//! since the OS call cannot be cancelled. SRV records, and everything when
//! `--probe-dns` names a server, are plain DNS questions over UDP built with
//! `hickory-proto`.

use std::net::{IpAddr, SocketAddr, ToSocketAddrs, UdpSocket};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use hickory_proto::op::{Message, Query, ResponseCode};
use hickory_proto::rr::{Name, RData, RecordType};

use super::{Failure, StepError};

/// A/AAAA for `host`, as socket addresses with `port`.
pub(crate) fn addresses(
    host: &str,
    port: u16,
    server: Option<SocketAddr>,
    budget: Duration,
) -> Result<Vec<SocketAddr>, StepError> {
    match server {
        Some(s) => udp_addresses(host, port, s, Instant::now() + budget),
        None => system_addresses(host, port, budget),
    }
}

fn system_addresses(host: &str, port: u16, budget: Duration) -> Result<Vec<SocketAddr>, StepError> {
    let (tx, rx) = mpsc::channel();
    let query = (host.to_string(), port);
    let spawned = std::thread::Builder::new()
        .name("probe-resolve".into())
        .spawn(move || {
            let r = query.to_socket_addrs().map(|a| a.collect::<Vec<_>>());
            let _ = tx.send(r);
        });
    if let Err(e) = spawned {
        return Err(StepError::new(
            Failure::DnsError,
            format!("could not start the name look-up for {host}: {e}"),
        ));
    }
    match rx.recv_timeout(budget) {
        Ok(Ok(a)) if !a.is_empty() => Ok(a),
        Ok(Ok(_)) => Err(StepError::new(
            Failure::NoAddress,
            format!("{host} has no address (the system resolver returned none)"),
        )),
        Ok(Err(e)) => Err(StepError::new(
            Failure::NameNotFound,
            format!("name not found: the system resolver has no address for {host} ({e})"),
        )),
        Err(_) => Err(StepError::new(
            Failure::TimedOut,
            format!(
                "the system resolver did not answer for {host} within {} ms",
                budget.as_millis()
            ),
        )),
    }
}

fn udp_addresses(
    host: &str,
    port: u16,
    server: SocketAddr,
    deadline: Instant,
) -> Result<Vec<SocketAddr>, StepError> {
    let answers = ask(server, host, &[RecordType::A, RecordType::AAAA], deadline)?;
    let mut out = Vec::new();
    let mut codes = Vec::new();
    for m in &answers {
        codes.push(m.metadata.response_code);
        for r in &m.answers {
            match &r.data {
                RData::A(a) => out.push(SocketAddr::new(IpAddr::V4(a.0), port)),
                RData::AAAA(a) => out.push(SocketAddr::new(IpAddr::V6(a.0), port)),
                _ => {}
            }
        }
    }
    if !out.is_empty() {
        // IPv4 first, as happy-eyeballs clients on these networks mostly end up.
        out.sort_by_key(|a| a.is_ipv6());
        return Ok(out);
    }
    if codes.contains(&ResponseCode::NXDomain) {
        return Err(StepError::new(
            Failure::NameNotFound,
            format!("name not found: DNS server {server} says {host} does not exist (NXDOMAIN)"),
        ));
    }
    if let Some(c) = codes.iter().find(|c| **c != ResponseCode::NoError) {
        return Err(StepError::new(
            Failure::DnsError,
            format!("DNS server {server} answered {c} for {host}"),
        ));
    }
    Err(StepError::new(
        Failure::NoAddress,
        format!("{host} exists but has no A or AAAA record at DNS server {server}"),
    ))
}

/// The SRV record `name`: the best target (lowest priority, then highest weight) and its port.
pub(crate) fn srv(
    name: &str,
    server: Option<SocketAddr>,
    budget: Duration,
) -> Result<(String, u16), StepError> {
    let deadline = Instant::now() + budget;
    let servers = match server {
        Some(s) => vec![s],
        None => system_dns_servers(),
    };
    if servers.is_empty() {
        return Err(StepError::new(
            Failure::DnsError,
            "no DNS server found in this machine's settings to ask for the SRV record",
        ));
    }
    let mut last = None;
    for s in servers {
        match ask(s, name, &[RecordType::SRV], deadline) {
            Ok(m) => return srv_from(name, s, &m),
            Err(e) => last = Some(e),
        }
        if Instant::now() >= deadline {
            break;
        }
    }
    Err(last.unwrap_or_else(|| StepError::new(Failure::TimedOut, "no DNS server answered")))
}

fn srv_from(
    name: &str,
    server: SocketAddr,
    answers: &[Message],
) -> Result<(String, u16), StepError> {
    let best = answers
        .iter()
        .flat_map(|m| m.answers.iter())
        .filter_map(|r| match &r.data {
            RData::SRV(s) => Some(s),
            _ => None,
        })
        .min_by_key(|s| (s.priority, std::cmp::Reverse(s.weight)));
    match best {
        Some(s) => {
            let target = s.target.to_ascii();
            let target = target.trim_end_matches('.').to_ascii_lowercase();
            if target.is_empty() {
                Err(StepError::new(
                    Failure::NoSrvRecord,
                    format!("{name} says the service is not offered (target '.')"),
                ))
            } else {
                Ok((target, s.port))
            }
        }
        None => {
            let code = answers
                .iter()
                .map(|m| m.metadata.response_code)
                .find(|c| *c != ResponseCode::NoError && *c != ResponseCode::NXDomain);
            match code {
                Some(c) => Err(StepError::new(
                    Failure::DnsError,
                    format!("DNS server {server} answered {c} for {name}"),
                )),
                None => Err(StepError::new(
                    Failure::NoSrvRecord,
                    format!("no SRV record {name} at DNS server {server}"),
                )),
            }
        }
    }
}

/// Send one question per record type to `server` and wait for every answer until `deadline`.
fn ask(
    server: SocketAddr,
    name: &str,
    types: &[RecordType],
    deadline: Instant,
) -> Result<Vec<Message>, StepError> {
    let err = |e: std::io::Error| {
        StepError::new(
            Failure::DnsError,
            format!("cannot ask DNS server {server}: {e}"),
        )
    };
    let fqdn = Name::from_ascii(format!("{}.", name.trim_end_matches('.')))
        .map_err(|e| StepError::new(Failure::DnsError, format!("{name} is not a DNS name: {e}")))?;
    let bind: SocketAddr = if server.is_ipv6() {
        "[::]:0"
            .parse()
            .map_err(|_| err(std::io::ErrorKind::InvalidInput.into()))?
    } else {
        "0.0.0.0:0"
            .parse()
            .map_err(|_| err(std::io::ErrorKind::InvalidInput.into()))?
    };
    let socket = UdpSocket::bind(bind).map_err(err)?;
    socket.connect(server).map_err(err)?;
    let mut pending = Vec::new();
    for t in types {
        let mut m = Message::query();
        m.metadata.recursion_desired = true;
        m.add_query(Query::query(fqdn.clone(), *t));
        let bytes = m.to_vec().map_err(|e| {
            StepError::new(
                Failure::DnsError,
                format!("cannot build the DNS question: {e}"),
            )
        })?;
        socket.send(&bytes).map_err(err)?;
        pending.push(m.metadata.id);
    }
    let mut answers = Vec::new();
    let mut buf = [0u8; 4096];
    while !pending.is_empty() {
        let left = deadline.saturating_duration_since(Instant::now());
        if left < Duration::from_millis(1) {
            return Err(StepError::new(
                Failure::TimedOut,
                format!("DNS server {server} did not answer for {name}: timed out"),
            ));
        }
        socket.set_read_timeout(Some(left)).map_err(err)?;
        match socket.recv(&mut buf) {
            Ok(n) => {
                let Some(bytes) = buf.get(..n) else { continue };
                let Ok(m) = Message::from_vec(bytes) else {
                    continue;
                };
                if let Some(i) = pending.iter().position(|id| *id == m.metadata.id) {
                    pending.swap_remove(i);
                    answers.push(m);
                }
            }
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) =>
            {
                continue;
            }
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionRefused => {
                return Err(StepError::new(
                    Failure::DnsError,
                    format!("DNS server {server} refused the question (nothing listens there)"),
                ));
            }
            Err(e) => return Err(err(e)),
        }
    }
    Ok(answers)
}

/// The DNS servers this machine is set to use, for the SRV question.
#[cfg(unix)]
fn system_dns_servers() -> Vec<SocketAddr> {
    let text = std::fs::read_to_string("/etc/resolv.conf").unwrap_or_default();
    parse_resolv_conf(&text)
}

#[cfg(any(unix, test))]
fn parse_resolv_conf(text: &str) -> Vec<SocketAddr> {
    text.lines()
        .filter_map(|l| {
            let mut w = l.split_whitespace();
            (w.next() == Some("nameserver")).then(|| w.next()).flatten()
        })
        .filter_map(|ip| ip.split('%').next()?.parse::<IpAddr>().ok())
        .map(|ip| SocketAddr::new(ip, 53))
        .collect()
}

/// Windows: the global and per-interface `NameServer` / `DhcpNameServer`
/// values under the Tcpip parameters, static before DHCP-assigned.
#[cfg(windows)]
fn system_dns_servers() -> Vec<SocketAddr> {
    use winreg::RegKey;
    use winreg::enums::{HKEY_LOCAL_MACHINE, KEY_READ};
    let hklm = RegKey::predef(HKEY_LOCAL_MACHINE);
    let mut out: Vec<SocketAddr> = Vec::new();
    for base in [
        r"SYSTEM\CurrentControlSet\Services\Tcpip\Parameters",
        r"SYSTEM\CurrentControlSet\Services\Tcpip6\Parameters",
    ] {
        let Ok(params) = hklm.open_subkey_with_flags(base, KEY_READ) else {
            continue;
        };
        let mut keys = vec![params];
        if let Ok(ifs) = hklm.open_subkey_with_flags(format!(r"{base}\Interfaces"), KEY_READ) {
            for name in ifs.enum_keys().flatten() {
                if let Ok(k) = ifs.open_subkey_with_flags(&name, KEY_READ) {
                    keys.push(k);
                }
            }
        }
        for k in &keys {
            for value in ["NameServer", "DhcpNameServer"] {
                let v: String = k.get_value(value).unwrap_or_default();
                for ip in v.split([' ', ',', ';']).filter(|s| !s.is_empty()) {
                    if let Ok(ip) = ip.parse::<IpAddr>() {
                        let a = SocketAddr::new(ip, 53);
                        if !out.contains(&a) {
                            out.push(a);
                        }
                    }
                }
            }
        }
    }
    out
}

#[cfg(not(any(unix, windows)))]
fn system_dns_servers() -> Vec<SocketAddr> {
    Vec::new()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolv_conf_nameservers() {
        let s = parse_resolv_conf(
            "# comment\nsearch corp.test\nnameserver 10.0.0.2\nnameserver fe80::1%eth0\nnameserver bogus\n",
        );
        assert_eq!(
            s,
            [
                "10.0.0.2:53".parse::<SocketAddr>().unwrap(),
                "[fe80::1]:53".parse().unwrap()
            ]
        );
    }

    #[test]
    fn silent_server_times_out_in_time() {
        // A bound socket that never answers.
        let silent = UdpSocket::bind("127.0.0.1:0").unwrap();
        let addr = silent.local_addr().unwrap();
        let t = Instant::now();
        let e = addresses(
            "mail.contoso.test",
            443,
            Some(addr),
            Duration::from_millis(200),
        )
        .unwrap_err();
        assert_eq!(e.failure, Failure::TimedOut);
        assert!(t.elapsed() < Duration::from_secs(2));
    }
}
