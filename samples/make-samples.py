import os, sys
def entry(ts, tid, level, text):
    return f"{ts} {tid} {level:<5} :: {text}\r\n"

def log(user, domain, build, ews_host, archiving=None, user_arch=None, ews_fail=None, offline=None, date="11/23/2026", sip_error=False):
    L=[]
    t=[9,58,1,123]
    def ts():
        t[3]+=137
        if t[3]>=1000: t[3]-=1000; t[2]+=1
        if t[2]>=60: t[2]-=60; t[1]+=1
        return f"{date}|{t[0]:02d}:{t[1]:02d}:{t[2]:02d}.{t[3]:03d}"
    tid="1A2C:2B3D"
    L.append(entry(ts(),tid,"INFO","CUccPlatform::Initialize - Skype for Business starting, tracing level full"))
    L.append(entry(ts(),tid,"INFO",f"Sending Packet - 10.20.0.5:443 (From Local Address: 10.20.1.77:50312) 1421 bytes:"))
    L.append(f"REGISTER sip:{domain} SIP/2.0\r\nVia: SIP/2.0/TLS 10.20.1.77:50312\r\nMax-Forwards: 70\r\nFrom: <sip:{user}@{domain}>;tag=8c6a1d0e7b;epid=4e1b5b2f3a\r\nTo: <sip:{user}@{domain}>\r\nCall-ID: 5d7c0f3a9e0b4c1d8a2f6e3b7c9d0a1e\r\nCSeq: 1 REGISTER\r\nContact: <sip:10.20.1.77:50312;transport=tls;ms-opaque=d3470f2e1d>;methods=\"INVITE, MESSAGE, INFO, SUBSCRIBE, OPTIONS, BYE, CANCEL, NOTIFY, ACK, REFER, BENOTIFY\"\r\nUser-Agent: UCCAPI/{build.replace('16.0.','16.0.')} OC/{build} (Skype for Business)\r\nSupported: gruu-10, adhoclist, msrtc-event-categories\r\nContent-Length: 0\r\n")
    L.append(entry(ts(),tid,"INFO","End of Sending Packet - 10.20.0.5:443 (From Local Address: 10.20.1.77:50312) 1421 bytes"))
    L.append(entry(ts(),tid,"INFO","Data Received - 10.20.0.5:443 (To Local Address: 10.20.1.77:50312) 2210 bytes:"))
    L.append(f"SIP/2.0 200 OK\r\nFrom: <sip:{user}@{domain}>;tag=8c6a1d0e7b\r\nTo: <sip:{user}@{domain}>;tag=A6F1C2D3\r\nCall-ID: 7f2e9a1c3b5d4e6f8a0b1c2d3e4f5a6b\r\nCSeq: 1 SUBSCRIBE\r\nContent-Type: application/vnd-microsoft-roaming-provisioning-v2+xml\r\n\r\n<provisionGroupList xmlns=\"http://schemas.microsoft.com/2006/09/sip/provisiongrouplist\"><provisionGroup name=\"endpointConfiguration\"><propertyEntryList><property name=\"EnableTracing\">true</property>")
    if archiving is not None:
        L.append(f"<property name=\"EnableIMAutoArchiving\">{'true' if archiving else 'false'}</property>")
    L.append("<property name=\"EnableSkypeUI\">true</property></propertyEntryList></provisionGroup></provisionGroupList>\r\n")
    L.append(entry(ts(),tid,"INFO","End of Data Received - 10.20.0.5:443 (To Local Address: 10.20.1.77:50312) 2210 bytes"))
    if user_arch is not None:
        L.append(entry(ts(),tid,"INFO","Sending Packet - 10.20.0.5:443 (From Local Address: 10.20.1.77:50312) 812 bytes:"))
        L.append(f"SERVICE sip:{user}@{domain} SIP/2.0\r\nContent-Type: application/msrtc-category-publish+xml\r\n\r\n<publish xmlns=\"http://schemas.microsoft.com/2006/09/sip/rich-presence\"><publications uri=\"sip:{user}@{domain}\"><publication categoryName=\"otherOptions\" instance=\"1\" container=\"1\" version=\"3\"><otherOptions xmlns=\"http://schemas.microsoft.com/2006/09/sip/options/otherOptions\"><imAutoArchiving>{'true' if user_arch else 'false'}</imAutoArchiving></otherOptions></publication></publications></publish>\r\n")
        L.append(entry(ts(),tid,"INFO","End of Sending Packet - 10.20.0.5:443 (From Local Address: 10.20.1.77:50312) 812 bytes"))
    if ews_host:
        L.append(entry(ts(),tid,"INFO",f"CAutoDiscoverManager::OnAutoDiscoverComplete - EWS internal url: https://{ews_host}/EWS/Exchange.asmx"))
        L.append(f"<EwsInternalUrl>https://{ews_host}/EWS/Exchange.asmx</EwsInternalUrl>\r\n<EwsExternalUrl>https://{ews_host}/EWS/Exchange.asmx</EwsExternalUrl>\r\n")
    if ews_fail:
        code, host = ews_fail
        L.append(entry(ts(),tid,"ERROR",f"CEwsRequest::OnResponse - POST https://{host}/EWS/Exchange.asmx failed: HTTP/1.1 {code} Service Unavailable"))
        L.append(entry(ts(),tid,"WARN",f"CAutoDiscoverManager - autodiscover request to https://autodiscover.{domain}/autodiscover/autodiscover.xml returned status code {code}"))
    L.append(entry(ts(),tid,"INFO","Sending Packet - 10.20.0.5:443 (From Local Address: 10.20.1.77:50312) 644 bytes:"))
    L.append(f"SUBSCRIBE sip:{user}@{domain} SIP/2.0\r\nUser-Agent: UCCAPI/{build} OC/{build} (Skype for Business)\r\nEvent: vnd-microsoft-roaming-contacts\r\nContent-Length: 0\r\n")
    L.append(entry(ts(),tid,"INFO","End of Sending Packet - 10.20.0.5:443 (From Local Address: 10.20.1.77:50312) 644 bytes"))
    if sip_error:
      L.append(entry(ts(),tid,"INFO","Data Received - 10.20.0.5:443 (To Local Address: 10.20.1.77:50312) 512 bytes:"))
      L.append(f"SIP/2.0 480 Temporarily Unavailable\r\nms-diagnostics: 15030;reason=\"Failed to route to Exchange Server\";source=\"fe01.{domain}\"\r\nContent-Length: 0\r\n")
      L.append(entry(ts(),tid,"INFO","End of Data Received - 10.20.0.5:443 (To Local Address: 10.20.1.77:50312) 512 bytes"))
    for kind in (offline or []):
        if kind=="ok":
            L.append(entry(ts(),tid,"INFO","COfflineImManager::ProcessSpooler - History Spooler item picked up after 120s timer"))
            L.append(entry(ts(),tid,"INFO","COfflineImManager::OnSendComplete - offline message delivered to recipient mailbox via EWS"))
        else:
            # "fail": EWS refused it (HTTP_E_STATUS_DENIED, 401); "fail-local":
            # the client gave up before EWS (E_FAIL).
            hr = "0x80004005" if kind=="fail-local" else "0x80190191"
            L.append(entry(ts(),tid,"INFO","COfflineImManager::ProcessSpooler - History Spooler item picked up after 120s timer"))
            L.append(entry(ts(),tid,"ERROR",f"COfflineImManager::OnSendComplete - failed to send offline message, hr={hr}"))
    L.append(entry(ts(),tid,"INFO","CUccPlatform - idle"))
    return "".join(L)

def write(path, text, enc="utf-8"):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(text.encode(enc))

S=sys.argv[1]
def lync(case): return f"{S}/{case}/Microsoft/Office/16.0/Lync"

# 1 healthy: current build, Exchange Online, archiving on, one delivered offline IM
c=lync("healthy")
write(f"{c}/Tracing/Lync-UccApi-0.UccApilog", log("alice","contoso.com","16.0.10730.20304","outlook.office365.com",archiving=True,user_arch=True,offline=["ok"]))
os.makedirs(f"{c}/sip_alice@contoso.com", exist_ok=True)
write(f"{c}/sip_alice@contoso.com/Galcontacts.db", "SQLite format 3\0")

# 2 stuck spooler: EWS failing, two spooled messages
c=lync("stuck-spooler")
write(f"{c}/Tracing/Lync-UccApi-0.UccApilog.bak", log("jdoe","fabrikam.com","16.0.7369.2054","mail.fabrikam.com",archiving=True,date="11/22/2026"))
write(f"{c}/Tracing/Lync-UccApi-0.UccApilog", log("jdoe","fabrikam.com","16.0.7571.2072","mail.fabrikam.com",archiving=True,ews_fail=(503,"mail.fabrikam.com"),offline=["fail","fail"],sip_error=True))
sp=f"{c}/sip_jdoe@fabrikam.com/History Spooler"
write(f"{sp}/{{6F1A2B3C-0001}}.xml", '<?xml version="1.0" encoding="utf-8"?>\r\n<conversation><from>sip:jdoe@fabrikam.com</from><to>sip:mbrown@fabrikam.com</to><message>Can you call me back about the invoice?</message></conversation>\r\n')
write(f"{sp}/{{6F1A2B3C-0002}}.eml", "From: John Doe <jdoe@fabrikam.com>\r\nTo: Kim Lee <klee@fabrikam.com>\r\nSubject: Missed conversation\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nPlease review the draft before lunch.\r\n")

# 3 old build, on-premises mailbox: Deferred 1602
c=lync("old-build-onprem")
write(f"{c}/Tracing/Lync-UccApi-0.UccApilog", log("pat","fabrikam.com","16.0.6741.2048","mail.fabrikam.com",archiving=True))
os.makedirs(f"{c}/sip_pat@fabrikam.com", exist_ok=True)
write(f"{c}/sip_pat@fabrikam.com/ABS_pat@fabrikam.com.cache", "\x01\x02abs")

# 4 policy disables offline IM
c=lync("policy-disabled")
write(f"{c}/Tracing/Lync-UccApi-0.UccApilog", log("sam","contoso.com","16.0.10730.20304","outlook.office365.com",archiving=False,offline=["fail-local"]))
os.makedirs(f"{c}/sip_sam@contoso.com", exist_ok=True)
write(f"{c}/sip_sam@contoso.com/Galcontacts.db", "SQLite format 3\0")

# 5 server setting off
c=lync("server-offline-off")
write(f"{c}/Tracing/Lync-UccApi-0.UccApilog", log("lee","fabrikam.com","16.0.10730.20304","mail.fabrikam.com",archiving=True))
os.makedirs(f"{c}/sip_lee@fabrikam.com", exist_ok=True)
write(f"{c}/sip_lee@fabrikam.com/Galcontacts.db", "SQLite format 3\0")
write(f"{S}/server-offline-off/server-config.txt", """PS C:\\> Get-CsImConfiguration

Identity                    : Global
EnableOfflineIm             : False
EnableFileTransfer          : True
EnableEmoticons             : True

Identity                    : Site:Redmond
EnableOfflineIm             : True
EnableFileTransfer          : True

PS C:\\> Get-CsClientPolicy -Identity Global

Identity                              : Global
PolicyEntry                           : {}
Description                           :
AddressBookAvailability               : WebSearchAndFileDownload
DisableSavingIM                       :
EnableIMAutoArchiving                 : True
EnableServerConversationHistory       : True
EnableTracing                         : True
""".replace("\n","\r\n"), "utf-16")

# 6 logging off: no Tracing folder
c=lync("no-logs")
os.makedirs(f"{c}/sip_max@contoso.com", exist_ok=True)
write(f"{c}/sip_max@contoso.com/Galcontacts.db", "SQLite format 3\0")

# 7 Exchange Online after the October 2026 EWS block: Skype for Business LTSC
#   2024 (supported), mailbox in Exchange Online, EWS refused with 403 since
#   the tenant did not keep EWS; an offline message fails. No spooled file:
#   Git does not keep mtimes, so one would be "in the future". Documented --now
#   2026-11-24T10:00:00Z (samples/README.md).
c=lync("exchange-online-2026")
blocked = "".join([
    entry("11/23/2026|10:05:00.000","1A2C:2B3D","ERROR","CEwsRequest::OnResponse - POST https://outlook.office365.com/EWS/Exchange.asmx failed: HTTP/1.1 403 Forbidden"),
    entry("11/23/2026|10:05:00.200","1A2C:2B3D","INFO","COfflineImManager::ProcessSpooler - History Spooler item picked up after 120s timer"),
    entry("11/23/2026|10:05:01.000","1A2C:2B3D","ERROR","COfflineImManager::OnSendComplete - failed to send offline message, hr=0x80190193"),
])
write(f"{c}/Tracing/Lync-UccApi-0.UccApilog", log("nina","contoso.com","16.0.17932.20638","outlook.office365.com",archiving=True) + blocked)
os.makedirs(f"{c}/sip_nina@contoso.com", exist_ok=True)
write(f"{c}/sip_nina@contoso.com/Galcontacts.db", "SQLite format 3\0")

# 8 Exchange Online after 2026-10-10: the tenant's EWS policy blocks the
#   client, and Exchange Online says so with X-EWS-Policy-Reason on the 403.
#   The admin pasted `Get-OrganizationConfig -RetrieveEwsOperationAccessPolicy
#   | Select-Object Ews*` (EwsEnabled True, an app-ID list without the Office
#   app ID) and `Get-CASMailbox | Select-Object Ews*`. Documented --now
#   2026-12-01T10:00:00Z (samples/README.md).
c=lync("exchange-online-2026-policy")
policy = "".join([
    entry("11/30/2026|14:12:07.311","1A2C:2B3D","INFO","CEwsRequest::Send - POST https://outlook.office365.com/EWS/Exchange.asmx (CreateItem, offline message)"),
    entry("11/30/2026|14:12:07.902","1A2C:2B3D","ERROR","CEwsRequest::OnResponse - response received:"),
    "HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nX-EWS-Policy-Reason: EWS is blocked by policy for this user or tenant\r\nX-MS-Diagnostics: 2000010;reason=\"EWS request blocked\"\r\n",
    entry("11/30/2026|14:12:08.010","1A2C:2B3D","INFO","COfflineImManager::ProcessSpooler - History Spooler item picked up after 120s timer"),
    entry("11/30/2026|14:12:08.120","1A2C:2B3D","ERROR","COfflineImManager::OnSendComplete - failed to send offline message, hr=0x80190193"),
])
write(f"{c}/Tracing/Lync-UccApi-0.UccApilog", log("omar","contoso.com","16.0.17932.20638","outlook.office365.com",archiving=True,date="11/30/2026") + policy)
os.makedirs(f"{c}/sip_omar@contoso.com", exist_ok=True)
write(f"{c}/sip_omar@contoso.com/Galcontacts.db", "SQLite format 3\0")
write(f"{S}/exchange-online-2026-policy/server-config.txt", """PS C:\\> Get-OrganizationConfig -RetrieveEwsOperationAccessPolicy | Select-Object Ews*

EwsAllowedAppIDs           : 00000002-0000-0ff1-ce00-000000000000,cc15fd57-2c6c-4117-a88c-83b1d56b4bbe
EwsAllowEntourage          :
EwsAllowList               :
EwsAllowMacOutlook         :
EwsAllowOutlook            :
EwsApplicationAccessPolicy :
EwsBlockList               :
EwsEnabled                 : True

PS C:\\> Get-CASMailbox omar@contoso.com | Select-Object Ews*

EwsEnabled                 : True
EwsAllowOutlook            :
EwsAllowMacOutlook         :
EwsAllowEntourage          :
EwsApplicationAccessPolicy :
EwsAllowList               : {}
EwsBlockList               : {}

""".replace("\n","\r\n"))

# 9 federated recipient: a healthy sender (Skype for Business LTSC 2024,
#   on-premises mailbox, archiving on) whose offline message went to a
#   colleague at a federated organisation (fabrikam.com) and was delivered:
#   it arrives there as plain e-mail in the Inbox, not in Missed Conversations
#   or Conversation History. The admin pasted Get-CsSipDomain (table view,
#   CRLF): contoso.com and contoso.net are the organisation's. Documented
#   --now 2026-11-24T10:00:00Z (samples/README.md).
c=lync("federated-recipient")
im = "".join([
    entry("11/23/2026|15:40:02.114","1A2C:2B3D","INFO","Sending Packet - 10.20.0.5:443 (From Local Address: 10.20.1.77:50312) 980 bytes:"),
    "MESSAGE sip:ben@fabrikam.com SIP/2.0\r\nFrom: <sip:ana@contoso.com>;tag=41c2\r\nTo: <sip:ben@fabrikam.com>\r\nCSeq: 1 MESSAGE\r\nContent-Type: text/plain\r\nContent-Length: 0\r\n",
    entry("11/23/2026|15:40:02.301","1A2C:2B3D","INFO","Sending Packet - 10.20.0.5:443 (From Local Address: 10.20.1.77:50312) 970 bytes:"),
    "MESSAGE sip:carla@contoso.net SIP/2.0\r\nFrom: <sip:ana@contoso.com>;tag=41c3\r\nTo: <sip:carla@contoso.net>\r\nCSeq: 1 MESSAGE\r\nContent-Type: text/plain\r\nContent-Length: 0\r\n",
])
delivered = "".join([
    entry("11/23/2026|15:42:03.010","1A2C:2B3D","INFO","COfflineImManager::ProcessSpooler - History Spooler item picked up after 120s timer"),
    entry("11/23/2026|15:42:03.620","1A2C:2B3D","INFO","COfflineImManager::OnSendComplete - offline message delivered to recipient mailbox via EWS"),
])
write(f"{c}/Tracing/Lync-UccApi-0.UccApilog", log("ana","contoso.com","16.0.17932.20638","mail.contoso.com",archiving=True,user_arch=True) + im + delivered)
os.makedirs(f"{c}/sip_ana@contoso.com", exist_ok=True)
write(f"{c}/sip_ana@contoso.com/Galcontacts.db", "SQLite format 3\0")
write(f"{S}/federated-recipient/server-config.txt", """PS C:\\> Get-CsSipDomain

Identity                 Name                     IsDefault
--------                 ----                     ---------
contoso.com              contoso.com              True
contoso.net              contoso.net              False

""".replace("\n","\r\n"))
