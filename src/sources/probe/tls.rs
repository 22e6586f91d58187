//! TLS as the client sees it: `rustls` with `rustls-platform-verifier`, so
//! the certificate is judged by the platform: on Windows by CryptoAPI
//! against the Windows certificate store (the store the client's WinINET /
//! WinHTTP use, with enterprise roots from Group Policy), elsewhere by
//! WebPKI against the system roots, honouring `SSL_CERT_FILE`. The server's
//! certificate is kept also when it is rejected, so the report can say whose
//! it was, who issued it and when it expires.

use std::io::{self, Read, Write};
use std::net::TcpStream;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{
    CertificateError, ClientConfig, ClientConnection, DigitallySignedStruct, StreamOwned,
};

use super::{CertificateInfo, Failure, StepError};

/// A TCP stream whose every read and write ends by `deadline`.
pub(crate) struct DeadlineStream {
    pub sock: TcpStream,
    pub deadline: Instant,
}

impl DeadlineStream {
    fn arm(&self) -> io::Result<()> {
        let left = self.deadline.saturating_duration_since(Instant::now());
        if left.as_millis() == 0 {
            return Err(io::ErrorKind::TimedOut.into());
        }
        self.sock.set_read_timeout(Some(left))?;
        self.sock.set_write_timeout(Some(left))
    }
}

impl Read for DeadlineStream {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.arm()?;
        self.sock.read(buf)
    }
}

impl Write for DeadlineStream {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.arm()?;
        self.sock.write(buf)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.sock.flush()
    }
}

pub(crate) type TlsStream = StreamOwned<ClientConnection, DeadlineStream>;

/// The platform verifier, built once per probe.
pub(crate) struct Tls {
    verifier: Result<Arc<dyn ServerCertVerifier>, String>,
    provider: Arc<rustls::crypto::CryptoProvider>,
}

pub(crate) struct Handshake {
    pub result: Result<TlsStream, StepError>,
    pub certificate: Option<CertificateInfo>,
}

impl Tls {
    pub(crate) fn new() -> Self {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let verifier = rustls_platform_verifier::Verifier::new(provider.clone())
            .map(|v| Arc::new(v) as Arc<dyn ServerCertVerifier>)
            .map_err(|e| e.to_string());
        Tls { verifier, provider }
    }

    /// Why no certificate can be trusted at all, if so.
    pub(crate) fn setup_error(&self) -> Option<&str> {
        self.verifier.as_ref().err().map(String::as_str)
    }

    pub(crate) fn handshake(&self, sock: TcpStream, host: &str, deadline: Instant) -> Handshake {
        let fail = |f, d: String| Handshake {
            result: Err(StepError::new(f, d)),
            certificate: None,
        };
        let inner = match &self.verifier {
            Ok(v) => v.clone(),
            Err(e) => {
                return fail(
                    Failure::CertificateUntrusted,
                    format!(
                        "no trusted certificate authorities could be loaded on this machine: {e}"
                    ),
                );
            }
        };
        let capture = Arc::new(Capturing {
            inner,
            seen: Mutex::new(None),
            error: Mutex::new(None),
        });
        let config = ClientConfig::builder_with_provider(self.provider.clone())
            .with_safe_default_protocol_versions()
            .map(|b| {
                b.dangerous()
                    .with_custom_certificate_verifier(capture.clone())
                    .with_no_client_auth()
            });
        let mut config = match config {
            Ok(c) => c,
            Err(e) => return fail(Failure::TlsFailed, format!("TLS set-up failed: {e}")),
        };
        config.alpn_protocols = vec![b"http/1.1".to_vec()];
        let name = match ServerName::try_from(host.to_string()) {
            Ok(n) => n,
            Err(e) => {
                return fail(
                    Failure::TlsFailed,
                    format!("{host} is not a TLS server name: {e}"),
                );
            }
        };
        let conn = match ClientConnection::new(Arc::new(config), name) {
            Ok(c) => c,
            Err(e) => return fail(Failure::TlsFailed, format!("TLS set-up failed: {e}")),
        };
        let mut stream = StreamOwned::new(conn, DeadlineStream { sock, deadline });
        let mut result = Ok(());
        while stream.conn.is_handshaking() {
            if let Err(e) = stream.conn.complete_io(&mut stream.sock) {
                result = Err(e);
                break;
            }
        }
        let certificate = capture
            .seen
            .lock()
            .ok()
            .and_then(|s| s.as_ref().and_then(|der| certificate_info(der)));
        let verdict = capture.error.lock().ok().and_then(|mut e| e.take());
        let result = match (result, verdict) {
            (Ok(()), _) => Ok(stream),
            (Err(_), Some(e)) => Err(classify(host, &e, certificate.as_ref())),
            (Err(e), None) => Err(
                match e.get_ref().and_then(|i| i.downcast_ref::<rustls::Error>()) {
                    Some(te) => classify(host, te, certificate.as_ref()),
                    None => super::io_failure("the TLS handshake", &e),
                },
            ),
        };
        Handshake {
            result,
            certificate,
        }
    }
}

fn classify(host: &str, e: &rustls::Error, cert: Option<&CertificateInfo>) -> StepError {
    let who = cert.map(describe).unwrap_or_default();
    let with = |s: String| {
        if who.is_empty() {
            s
        } else {
            format!("{s} ({who})")
        }
    };
    match e {
        rustls::Error::InvalidCertificate(ce) => match ce {
            CertificateError::UnknownIssuer | CertificateError::BadSignature => StepError::new(
                Failure::CertificateUntrusted,
                with(format!(
                    "certificate untrusted: {host}'s certificate is not issued by an authority this machine trusts"
                )),
            ),
            CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. } => {
                StepError::new(
                    Failure::CertificateWrongName,
                    with(format!(
                        "certificate has the wrong name: it is not valid for {host}"
                    )),
                )
            }
            CertificateError::Expired | CertificateError::ExpiredContext { .. } => StepError::new(
                Failure::CertificateExpired,
                with(format!(
                    "certificate expired: {host}'s certificate is past its end date"
                )),
            ),
            CertificateError::NotValidYet | CertificateError::NotValidYetContext { .. } => {
                StepError::new(
                    Failure::CertificateNotYetValid,
                    with(format!(
                        "certificate not yet valid for {host} (or this machine's clock is wrong)"
                    )),
                )
            }
            CertificateError::Revoked => StepError::new(
                Failure::CertificateRevoked,
                with(format!(
                    "certificate revoked: {host}'s certificate was withdrawn by its issuer"
                )),
            ),
            other => StepError::new(
                Failure::CertificateInvalid,
                with(format!("certificate rejected for {host}: {other:?}")),
            ),
        },
        rustls::Error::AlertReceived(a) => StepError::new(
            Failure::TlsFailed,
            format!("{host} ended the TLS handshake with alert {a:?}"),
        ),
        other => StepError::new(
            Failure::TlsFailed,
            format!("TLS with {host} failed: {other}"),
        ),
    }
}

/// One line about a certificate: names, issuer, end date.
pub(crate) fn describe(c: &CertificateInfo) -> String {
    let names = if c.names.is_empty() {
        c.subject.clone()
    } else {
        c.names.join(", ")
    };
    let until = c
        .not_after
        .map(|d| format!(", valid until {}", d.format("%Y-%m-%d")))
        .unwrap_or_default();
    format!("names {names}; issued by {}{until}", c.issuer)
}

fn certificate_info(der: &[u8]) -> Option<CertificateInfo> {
    let (_, cert) = x509_parser::parse_x509_certificate(der).ok()?;
    let names = cert
        .subject_alternative_name()
        .ok()
        .flatten()
        .map(|san| {
            san.value
                .general_names
                .iter()
                .filter_map(|g| match g {
                    x509_parser::extensions::GeneralName::DNSName(n) => Some(n.to_string()),
                    _ => None,
                })
                .collect()
        })
        .unwrap_or_default();
    let time = |t: &x509_parser::time::ASN1Time| chrono::DateTime::from_timestamp(t.timestamp(), 0);
    let v = cert.validity();
    Some(CertificateInfo {
        subject: cert.subject().to_string(),
        names,
        issuer: cert.issuer().to_string(),
        not_before: time(&v.not_before),
        not_after: time(&v.not_after),
    })
}

/// Delegates every decision to the platform verifier; remembers the
/// end-entity certificate and the verdict.
#[derive(Debug)]
struct Capturing {
    inner: Arc<dyn ServerCertVerifier>,
    seen: Mutex<Option<Vec<u8>>>,
    error: Mutex<Option<rustls::Error>>,
}

impl ServerCertVerifier for Capturing {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        if let Ok(mut s) = self.seen.lock() {
            *s = Some(end_entity.as_ref().to_vec());
        }
        let r = self.inner.verify_server_cert(
            end_entity,
            intermediates,
            server_name,
            ocsp_response,
            now,
        );
        if let (Err(e), Ok(mut slot)) = (&r, self.error.lock()) {
            *slot = Some(e.clone());
        }
        r
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.inner.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.inner.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<rustls::SignatureScheme> {
        self.inner.supported_verify_schemes()
    }

    fn requires_raw_public_keys(&self) -> bool {
        self.inner.requires_raw_public_keys()
    }

    fn root_hint_subjects(&self) -> Option<&[rustls::DistinguishedName]> {
        self.inner.root_hint_subjects()
    }
}
