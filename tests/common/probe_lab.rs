//! A network lab on loopback for `--probe` tests: a test CA, a DNS server
//! on UDP 127.0.0.1 answering `.test` names, HTTPS servers with chosen
//! certificates and answers, and a proxy that refuses CONNECT. Nothing here
//! touches a real name or the system resolver.
#![allow(dead_code)]

use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream, UdpSocket};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use hickory_proto::op::{Message, MessageType, ResponseCode};
use hickory_proto::rr::rdata::{A, SRV};
use hickory_proto::rr::{Name, RData, Record, RecordType};
use rcgen::{
    BasicConstraints, CertificateParams, DistinguishedName, DnType, IsCa, Issuer, KeyPair,
    date_time_ymd,
};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};

/// A certificate authority that signs the lab's server certificates.
pub struct TestCa {
    issuer: Issuer<'static, KeyPair>,
    pub cert: CertificateDer<'static>,
    pub pem: String,
}

/// A server certificate and its key.
#[derive(Clone)]
pub struct Leaf {
    pub chain: Vec<CertificateDer<'static>>,
    pub key: Vec<u8>,
}

impl TestCa {
    pub fn new(name: &str) -> Self {
        let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        let mut dn = DistinguishedName::new();
        dn.push(DnType::CommonName, name);
        params.distinguished_name = dn;
        let key = KeyPair::generate().unwrap();
        let cert = params.self_signed(&key).unwrap();
        TestCa {
            pem: cert.pem(),
            cert: cert.der().clone(),
            issuer: Issuer::new(params, key),
        }
    }

    /// A certificate for `names`, valid now, or expired in 2020 when `expired`.
    pub fn leaf(&self, names: &[&str], expired: bool) -> Leaf {
        let mut params =
            CertificateParams::new(names.iter().map(|s| s.to_string()).collect::<Vec<_>>())
                .unwrap();
        let mut dn = DistinguishedName::new();
        dn.push(DnType::CommonName, names[0]);
        params.distinguished_name = dn;
        if expired {
            params.not_before = date_time_ymd(2019, 1, 1);
            params.not_after = date_time_ymd(2020, 1, 1);
        } else {
            params.not_before = date_time_ymd(2020, 1, 1);
            params.not_after = date_time_ymd(2099, 1, 1);
        }
        let key = KeyPair::generate().unwrap();
        let cert = params.signed_by(&key, &self.issuer).unwrap();
        Leaf {
            chain: vec![cert.der().clone()],
            key: key.serialize_der(),
        }
    }

    /// The CA as a PEM file, for `SSL_CERT_FILE`.
    pub fn write_pem(&self, dir: &std::path::Path) -> PathBuf {
        let p = dir.join("test-ca.pem");
        std::fs::write(&p, &self.pem).unwrap();
        p
    }
}

/// A DNS server on UDP 127.0.0.1 that answers A and SRV for the names it
/// was given (NXDOMAIN otherwise), or never answers when silent.
pub struct DnsServer {
    pub addr: SocketAddr,
    pub queries: Arc<AtomicUsize>,
    pub names: Arc<Mutex<Vec<String>>>,
}

#[derive(Clone, Default)]
pub struct Zone {
    pub a: HashMap<String, Ipv4Addr>,
    pub srv: HashMap<String, (String, u16)>,
}

impl Zone {
    pub fn a(mut self, name: &str) -> Self {
        self.a.insert(name.to_string(), Ipv4Addr::LOCALHOST);
        self
    }
    pub fn srv(mut self, name: &str, target: &str, port: u16) -> Self {
        self.srv
            .insert(name.to_string(), (target.to_string(), port));
        self
    }
}

impl DnsServer {
    pub fn start(zone: Zone) -> Self {
        Self::spawn(Some(zone))
    }

    /// Receives questions and never answers.
    pub fn silent() -> Self {
        Self::spawn(None)
    }

    fn spawn(zone: Option<Zone>) -> Self {
        let socket = UdpSocket::bind("127.0.0.1:0").unwrap();
        let addr = socket.local_addr().unwrap();
        let queries = Arc::new(AtomicUsize::new(0));
        let names = Arc::new(Mutex::new(Vec::new()));
        let (q, n) = (queries.clone(), names.clone());
        std::thread::spawn(move || {
            let mut buf = [0u8; 2048];
            while let Ok((len, from)) = socket.recv_from(&mut buf) {
                q.fetch_add(1, Ordering::SeqCst);
                let Ok(req) = Message::from_vec(&buf[..len]) else {
                    continue;
                };
                let Some(query) = req.queries.first().cloned() else {
                    continue;
                };
                let name = query
                    .name()
                    .to_ascii()
                    .trim_end_matches('.')
                    .to_ascii_lowercase();
                n.lock().unwrap().push(name.clone());
                let Some(zone) = &zone else { continue };
                let mut resp = Message::response(req.metadata.id, req.metadata.op_code);
                resp.metadata.message_type = MessageType::Response;
                resp.metadata.recursion_desired = req.metadata.recursion_desired;
                resp.add_query(query.clone());
                let owner = query.name().clone();
                let known = zone.a.contains_key(&name) || zone.srv.contains_key(&name);
                match query.query_type() {
                    RecordType::A => {
                        if let Some(ip) = zone.a.get(&name) {
                            resp.add_answer(Record::from_rdata(owner, 60, RData::A(A(*ip))));
                        }
                    }
                    RecordType::SRV => {
                        if let Some((t, port)) = zone.srv.get(&name) {
                            let target = Name::from_ascii(format!("{t}.")).unwrap();
                            resp.add_answer(Record::from_rdata(
                                owner,
                                60,
                                RData::SRV(SRV::new(0, 0, *port, target)),
                            ));
                        }
                    }
                    _ => {}
                }
                if !known {
                    resp.metadata.response_code = ResponseCode::NXDomain;
                }
                let _ = socket.send_to(&resp.to_vec().unwrap(), from);
            }
        });
        DnsServer {
            addr,
            queries,
            names,
        }
    }

    pub fn query_count(&self) -> usize {
        self.queries.load(Ordering::SeqCst)
    }
}

/// An HTTPS server on 127.0.0.1 with one certificate and one answer.
pub struct HttpsServer {
    pub port: u16,
    /// Every request head received, as text.
    pub requests: Arc<Mutex<Vec<String>>>,
}

impl HttpsServer {
    /// Answers every request with `status` and a `WWW-Authenticate: Negotiate` / `NTLM` challenge.
    pub fn start(leaf: &Leaf, status: u16) -> Self {
        Self::start_with_headers(leaf, status, &[])
    }

    /// As [`HttpsServer::start`], with more response header lines (`Name: value`).
    pub fn start_with_headers(leaf: &Leaf, status: u16, headers: &[&str]) -> Self {
        let extra: String = headers.iter().map(|h| format!("{h}\r\n")).collect();
        let _ = rustls::crypto::ring::default_provider().install_default();
        let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(leaf.key.clone()));
        let config = Arc::new(
            rustls::ServerConfig::builder()
                .with_no_client_auth()
                .with_single_cert(leaf.chain.clone(), key)
                .unwrap(),
        );
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let seen = requests.clone();
        std::thread::spawn(move || {
            for sock in listener.incoming() {
                let Ok(mut sock) = sock else { continue };
                let config = config.clone();
                let seen = seen.clone();
                let extra = extra.clone();
                std::thread::spawn(move || {
                    let _ = sock.set_read_timeout(Some(Duration::from_secs(5)));
                    let Ok(conn) = rustls::ServerConnection::new(config) else {
                        return;
                    };
                    let mut tls = rustls::StreamOwned::new(conn, &mut sock);
                    let mut head = Vec::new();
                    let mut buf = [0u8; 1024];
                    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                        match tls.read(&mut buf) {
                            Ok(0) | Err(_) => return,
                            Ok(n) => head.extend_from_slice(&buf[..n]),
                        }
                    }
                    seen.lock()
                        .unwrap()
                        .push(String::from_utf8_lossy(&head).into_owned());
                    let reason = match status {
                        401 => "Unauthorized",
                        403 => "Forbidden",
                        503 => "Service Unavailable",
                        _ => "Whatever",
                    };
                    let resp = format!(
                        "HTTP/1.1 {status} {reason}\r\nWWW-Authenticate: Negotiate\r\nWWW-Authenticate: NTLM\r\n{extra}Content-Length: 0\r\nConnection: close\r\n\r\n"
                    );
                    let _ = tls.write_all(resp.as_bytes());
                    tls.conn.send_close_notify();
                    let _ = tls.flush();
                });
            }
        });
        HttpsServer { port, requests }
    }
}

/// A proxy on 127.0.0.1 that answers every CONNECT with 403.
pub struct RefusingProxy {
    pub addr: SocketAddr,
    pub requests: Arc<Mutex<Vec<String>>>,
}

impl RefusingProxy {
    pub fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let seen = requests.clone();
        std::thread::spawn(move || {
            for sock in listener.incoming() {
                let Ok(mut sock) = sock else { continue };
                let _ = sock.set_read_timeout(Some(Duration::from_secs(5)));
                let mut head = Vec::new();
                let mut buf = [0u8; 1024];
                while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                    match sock.read(&mut buf) {
                        Ok(0) | Err(_) => break,
                        Ok(n) => head.extend_from_slice(&buf[..n]),
                    }
                }
                seen.lock()
                    .unwrap()
                    .push(String::from_utf8_lossy(&head).into_owned());
                let _ = sock.write_all(
                    b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                );
            }
        });
        RefusingProxy { addr, requests }
    }
}

/// A loopback port where nothing listens.
pub fn closed_port() -> u16 {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port();
    drop(l);
    // Make sure it is really closed.
    assert!(TcpStream::connect(("127.0.0.1", port)).is_err());
    port
}

/// The lab's names: SIP domain `contoso.test`, EWS at `mail.contoso.test`.
pub const DOMAIN: &str = "contoso.test";
pub const EWS_HOST: &str = "mail.contoso.test";
pub const EWS_URL: &str = "https://mail.contoso.test/EWS/Exchange.asmx";

/// The names a fully working lab resolves.
pub fn full_zone() -> Zone {
    Zone::default()
        .a(DOMAIN)
        .a("autodiscover.contoso.test")
        .a(EWS_HOST)
}

/// Names the lab's good certificate covers.
pub const CERT_NAMES: [&str; 3] = [EWS_HOST, "autodiscover.contoso.test", DOMAIN];
