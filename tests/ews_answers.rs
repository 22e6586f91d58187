//! EWS answers judged as Exchange sends them: the three throttling shapes of
//! Microsoft's "EWS throttling in Exchange" (HTTP 503 queued in IIS; HTTP 500
//! with a SOAP fault `ErrorServerBusy` and `BackOffMilliseconds`; HTTP 200
//! whose EWS response says `ResponseClass="Error"` with a throttling or
//! concurrency code) warn with `ews-throttled`; any other
//! `ResponseClass="Error"` fails, naming the code, whatever the HTTP status.

use crate::common;

use common::*;

const EWS: &str = "https://mail.contoso.com/EWS/Exchange.asmx";

fn request(time: &str, thread: &str) -> String {
    format!("11/24/2026|{time} {thread} INFO  :: Sending request - POST {EWS}\r\n")
}

/// A response entry: the status line, then the body lines, unprefixed.
fn response(time: &str, thread: &str, status_line: &str, body: &[&str]) -> String {
    let mut s = format!(
        "11/24/2026|{time} {thread} INFO  :: Data Received - response:\r\n{status_line}\r\n"
    );
    for l in body {
        s.push_str(l);
        s.push_str("\r\n");
    }
    s
}

/// The SOAP fault Exchange sends with HTTP 500 when it throttles
/// ("EWS throttling in Exchange", table 4; the shape public EWS clients log).
const SERVER_BUSY_FAULT: &[&str] = &[
    "Content-Type: text/xml; charset=utf-8",
    "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body><s:Fault>",
    "<faultcode xmlns:a=\"http://schemas.microsoft.com/exchange/services/2006/types\">a:ErrorServerBusy</faultcode>",
    "<faultstring xml:lang=\"en-US\">The server cannot service this request right now. Try again later.</faultstring>",
    "<detail><e:ResponseCode xmlns:e=\"http://schemas.microsoft.com/exchange/services/2006/errors\">ErrorServerBusy</e:ResponseCode>",
    "<e:Message xmlns:e=\"http://schemas.microsoft.com/exchange/services/2006/errors\">The server cannot service this request right now. Try again later.</e:Message>",
    "<t:MessageXml xmlns:t=\"http://schemas.microsoft.com/exchange/services/2006/types\"><t:Value Name=\"BackOffMilliseconds\">297749</t:Value></t:MessageXml>",
    "</detail></s:Fault></s:Body></s:Envelope>",
];

fn error_response(code: &str, text: &str) -> Vec<String> {
    vec![
        "Content-Type: text/xml; charset=utf-8".to_string(),
        "<m:CreateItemResponse><m:ResponseMessages>".to_string(),
        "<m:CreateItemResponseMessage ResponseClass=\"Error\">".to_string(),
        format!("<m:MessageText>{text}</m:MessageText>"),
        format!("<m:ResponseCode>{code}</m:ResponseCode>"),
        "</m:CreateItemResponseMessage></m:ResponseMessages></m:CreateItemResponse>".to_string(),
    ]
}

fn run_log(log: &str) -> Report {
    let f = Fixture::new();
    f.profile("a@contoso.com");
    f.log(
        "Lync-UccApi-0.UccApilog",
        &(ews_url_entry("09:00:00.000", "mail.contoso.com") + log),
    );
    check_report(f.root(), &[]).1
}

fn markdown_of(log: &str) -> String {
    let f = Fixture::new();
    f.profile("a@contoso.com");
    f.log(
        "Lync-UccApi-0.UccApilog",
        &(ews_url_entry("09:00:00.000", "mail.contoso.com") + log),
    );
    check_run(f.root().to_str().unwrap(), &["--format", "markdown"]).stdout
}

#[test]
fn http_503_is_throttling_not_an_outage() {
    let log = request("09:05:00.000", "0F10:1A2C")
        + &response(
            "09:05:00.100",
            "0F10:1A2C",
            "HTTP/1.1 503 Service Unavailable",
            &[],
        );
    let v = run_log(&log);
    assert_eq!(
        (status(&v, CheckId::EwsAccess), code(&v, CheckId::EwsAccess)),
        (Status::Warn, "ews-throttled"),
        "{}",
        summary(&v, CheckId::EwsAccess)
    );
    let s = summary(&v, CheckId::EwsAccess);
    assert!(s.contains("HTTP 503") && s.contains("retries"), "{s}");
    let rem = check_of(&v, CheckId::EwsAccess)
        .remediation
        .as_deref()
        .unwrap();
    assert!(!rem.contains("DNS") && !rem.contains("proxy"), "{rem}");
}

#[test]
fn http_500_with_server_busy_and_back_off_is_throttling() {
    let log = request("09:05:00.000", "0F10:1A2C")
        + &response(
            "09:05:00.100",
            "0F10:1A2C",
            "HTTP/1.1 500 Internal Server Error",
            SERVER_BUSY_FAULT,
        );
    let v = run_log(&log);
    assert_eq!(
        (status(&v, CheckId::EwsAccess), code(&v, CheckId::EwsAccess)),
        (Status::Warn, "ews-throttled"),
        "{}",
        summary(&v, CheckId::EwsAccess)
    );
    let s = summary(&v, CheckId::EwsAccess);
    for want in [
        "HTTP 500",
        "ErrorServerBusy",
        "BackOffMilliseconds 297749",
        "about 298 s",
        "retries",
    ] {
        assert!(s.contains(want), "{want} not in {s}");
    }
    assert_ne!(v.verdict, Verdict::Fail);
    let e = evidence_text(&v, CheckId::EwsAccess);
    assert!(e.contains("ResponseCode ErrorServerBusy"), "{e}");
    // Every format a person reads shows the code and the back-off.
    let md = markdown_of(&log);
    assert!(
        md.contains("ErrorServerBusy") && md.contains("297749"),
        "{md}"
    );
    // A bare 500 (no code, no back-off) stays an outage.
    let bare = request("09:05:00.000", "0F10:1A2C")
        + &response(
            "09:05:00.100",
            "0F10:1A2C",
            "HTTP/1.1 500 Internal Server Error",
            &[],
        );
    let v = run_log(&bare);
    assert_eq!(code(&v, CheckId::EwsAccess), "ews-requests-failing");
}

#[test]
fn http_200_with_a_throttling_code_in_an_error_response_is_throttling() {
    for throttle in [
        "ErrorTooManyObjectsOpened",
        "ErrorExceededConnectionCount",
        "ErrorServerBusy",
    ] {
        let body = error_response(
            throttle,
            "The server cannot service this request right now.",
        );
        let body: Vec<&str> = body.iter().map(String::as_str).collect();
        let log = request("09:05:00.000", "0F10:1A2C")
            + &response("09:05:00.100", "0F10:1A2C", "HTTP/1.1 200 OK", &body);
        let v = run_log(&log);
        assert_eq!(
            (status(&v, CheckId::EwsAccess), code(&v, CheckId::EwsAccess)),
            (Status::Warn, "ews-throttled"),
            "{throttle}: {}",
            summary(&v, CheckId::EwsAccess)
        );
        let s = summary(&v, CheckId::EwsAccess);
        assert!(s.contains(throttle) && s.contains("HTTP 200"), "{s}");
    }
}

#[test]
fn http_200_with_response_class_error_never_passes() {
    let body = error_response(
        "ErrorAccessDenied",
        "Access is denied. Check credentials and try again.",
    );
    let body: Vec<&str> = body.iter().map(String::as_str).collect();
    let log = request("09:05:00.000", "0F10:1A2C")
        + &response("09:05:00.100", "0F10:1A2C", "HTTP/1.1 200 OK", &body);
    let v = run_log(&log);
    assert_eq!(
        (status(&v, CheckId::EwsAccess), code(&v, CheckId::EwsAccess)),
        (Status::Fail, "ews-requests-failing"),
        "{}",
        summary(&v, CheckId::EwsAccess)
    );
    let s = summary(&v, CheckId::EwsAccess);
    assert!(
        s.contains("HTTP 200 ResponseClass=Error ErrorAccessDenied"),
        "{s}"
    );
    let rem = check_of(&v, CheckId::EwsAccess)
        .remediation
        .as_deref()
        .unwrap();
    assert!(
        rem.contains("ErrorAccessDenied") && rem.contains("Access is denied"),
        "{rem}"
    );

    // ResponseClass="Success" with NoError is a success.
    let ok = vec![
        "<m:CreateItemResponseMessage ResponseClass=\"Success\">",
        "<m:ResponseCode>NoError</m:ResponseCode>",
    ];
    let log = request("09:05:00.000", "0F10:1A2C")
        + &response("09:05:00.100", "0F10:1A2C", "HTTP/1.1 200 OK", &ok);
    let v = run_log(&log);
    assert_eq!(
        status(&v, CheckId::EwsAccess),
        Status::Pass,
        "{}",
        summary(&v, CheckId::EwsAccess)
    );
}
