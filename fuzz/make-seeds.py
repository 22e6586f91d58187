#!/usr/bin/env python3
"""Write the text seed corpora of the fuzz targets (server_config,
spooler_sniff, pe_version's hand-built headers). Deterministic; rerun after
editing:  python3 fuzz/make-seeds.py
The real-DLL and bundle seeds are copied/produced as fuzz/corpus/README.md says."""
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))


def write(target, name, data):
    d = os.path.join(HERE, "corpus", target)
    os.makedirs(d, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def utf16le_bom(s):
    return b"\xff\xfe" + s.encode("utf-16-le")


# ------------------------------------------------------------ server_config
IM_CONFIG = """PS C:\\> Get-CsImConfiguration

Identity                  : Global
EnableOfflineIm           : True
EnableFileTransfer        :
EnableSkypeForBusinessIm  : True

Identity                  : Site:Redmond
EnableOfflineIm           : False
EnableFileTransfer        : True

Identity                  : Site:Dublin
EnableOfflineIm           :

"""
CLIENT_POLICY = """PS C:\\> Get-CsClientPolicy | Format-List

Identity                              : Global
PolicyEntry                           : {}
Description                           :
EnableIMAutoArchiving                 : True
DisableSavingIM                       : False
EnableServerConversationHistory       : True

Identity                              : Tag:NoArchive
PolicyEntry                           : {}
Description                           : Users who must not keep IM history on
                                        their own machines (legal hold, see
                                        ticket 4711)
EnableIMAutoArchiving                 : False
DisableSavingIM                       : True
EnableServerConversationHistory       :

Identity                              : Tag:Weird
EnableIMAutoArchiving                 : $false
DisableSavingIM                       : maybe
"""
write("server_config", "im-config-crlf", IM_CONFIG.replace("\n", "\r\n"))
write("server_config", "im-config-lf", IM_CONFIG)
write("server_config", "client-policy-crlf", CLIENT_POLICY.replace("\n", "\r\n"))
write("server_config", "both-utf16le-bom", utf16le_bom((IM_CONFIG + CLIENT_POLICY).replace("\n", "\r\n")))
write("server_config", "utf16le-no-bom", "Identity : Global\r\nEnableOfflineIm : False\r\n".encode("utf-16-le"))
write("server_config", "utf16be-bom", b"\xfe\xff" + "Identity : Global\r\nenableofflineim : TRUE\r\n".encode("utf-16-be"))
write("server_config", "utf8-bom-junk",
      b"\xef\xbb\xbf" + """Get-CsImConfiguration : The term 'Get-CsImConfiguration' is not recognized
At line:1 char:1
+ Get-CsImConfiguration
    + CategoryInfo          : ObjectNotFound: (Get-CsImConfiguration:String) [], CommandNotFoundException
: no name
Identity :
EnableOfflineIm : True
EnableOfflineIm : False
Identity : Tag:\u00e9t\u00e9\u202e
EnableIMAutoArchiving:True
\tcontinued
""".encode("utf-8"))
write("server_config", "invalid-utf8", b"Identity : Global\nEnableOfflineIm : Tr\xffue\n\n\x00\x01Identity : \xc3\x28\r\rEnableIMAutoArchiving : False\n")

TABLES = """PS C:\\> Get-CsClientPolicy | ft Identity,DisableSavingIM,EnableIMAutoArchiving

Identity              DisableSavingIM EnableIMAutoArchiving
--------              --------------- ---------------------
Global                False           True
Tag:NoArchive         False           False


PS C:\\> Get-CsUser sip:ken@contoso.test | Select-Object ClientPolicy

ClientPolicy
------------
NoArchive

"""
EXCHANGE = """Identity                   : contoso.onmicrosoft.test
EwsAllowList               : {SkypeForBusiness/*, OC/*, Outlook/*, OWA/*...}
EwsAllowedAppIDs           : {00000004-0000-0ff1-ce00-000000000000,
                             d3590ed6-52b3-4102-aeff-aad2292ab01c}
EwsApplicationAccessPolicy : EnforceAllowList
EwsBlockList               : {}
EwsEnabled                 : True
IsDehydrated               : False

Identity                   : Ken Myer
PrimarySmtpAddress         : ken@contoso.test
EwsEnabled                 :
EwsBlockList               :

SipAddress                 : sip:ken@contoso.test
ClientPolicy               :
"""
write("server_config", "tables-crlf", TABLES.replace("\n", "\r\n"))
write("server_config", "exchange-and-csuser", EXCHANGE)
write("server_config", "table-cut-off", "Identity      EnableIMAutoArchiving\n--------      ---------------------\nTag:Very...   False\n")
write("server_config", "table-wrapped", "Identity  EwsAllowList\n--------  ------------\nContoso   {OWA/*,\n          Outlook/*}\n")

# ------------------------------------------------------------ spooler_sniff
XML = """<?xml version="1.0" encoding="utf-8"?>
<conversation xmlns:im="http://schemas.microsoft.com/rtc/2005/08/imconversation">
  <from>sip:jdoe@fabrikam.com</from>
  <im:to>sip:mbrown@fabrikam.com; sip:klee@fabrikam.com</im:to>
  <recipients><target>Ann.Other@Contoso.COM</target></recipients>
  <message time="2029-12-31T23:40:00Z">Please review the draft before lunch.</message>
</conversation>
"""
write("spooler_sniff", "xml-to", XML.replace("\n", "\r\n"))
write("spooler_sniff", "xml-utf16le-bom", utf16le_bom(XML.replace("\n", "\r\n")))
write("spooler_sniff", "xml-sip-only",
      "<spool><item uri=\"sip:a@b.example\"/><item uri=\"SIP:c.d@e.example\"/><x>sip:f@g.example sip:h@i.example sip:j@k.example sip:l@m.example</x></spool>")
write("spooler_sniff", "mime-headers",
      "From: John Doe <jdoe@fabrikam.com>\r\nTo: Kim Lee <klee@fabrikam.com>, mbrown@fabrikam.com\r\nCc: \r\n"
      "X-MS-Recipient: sip:ann@contoso.com\r\nSubject: Missed conversation\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
      "To: not-a-header@body.example\r\nPlease review the draft.\r\n")
write("spooler_sniff", "mime-utf16-lf", utf16le_bom("Recipient: x@y.example\nTo:\tz@w.example\n\nbody\n"))
write("spooler_sniff", "text", "just some text with sip:someone@fabrikam.com in it\n")
write("spooler_sniff", "utf8-bom-text", b"\xef\xbb\xbf  \n  <to>a@b.cc</to>")
write("spooler_sniff", "binary", bytes(range(256)) + b"\x00\x00sip:x@y.zz\xff\xfe")
write("spooler_sniff", "empty", b"")

# ------------------------------------------------------------ pe_version
# A minimal PE32 (32-bit) image with only a version resource, built here so
# the corpus holds a PE32 next to Wine's PE32+ DLLs.
def pe32_with_version(ver=(16, 0, 10730, 20304)):
    file_align = 0x200
    rsrc_rva = 0x1000
    # VS_VERSION_INFO: wLength, wValueLength, wType, "VS_VERSION_INFO\0", pad, VS_FIXEDFILEINFO
    key = "VS_VERSION_INFO\0".encode("utf-16-le")
    head_len = 6 + len(key)
    pad = (4 - head_len % 4) % 4
    ms = (ver[0] << 16) | ver[1]
    ls = (ver[2] << 16) | ver[3]
    ffi = struct.pack("<13I", 0xFEEF04BD, 0x00010000, ms, ls, ms, ls, 0x3F, 0, 0x40004, 2, 0, 0, 0)
    total = head_len + pad + len(ffi)
    vsinfo = struct.pack("<HHH", total, len(ffi), 0) + key + b"\0" * pad + ffi
    # Resource tree: root -> type 16 (RT_VERSION) -> name 1 -> lang 0x409 -> data entry
    def dir_(entries):
        return struct.pack("<IIHHHH", 0, 0, 0, 0, 0, len(entries)) + b"".join(
            struct.pack("<II", i, off) for i, off in entries)
    root = dir_([(16, 0x80000000 | 0x18)])
    typ = dir_([(1, 0x80000000 | 0x30)])
    name = dir_([(0x409, 0x48)])
    data_off = 0x58
    entry = struct.pack("<IIII", rsrc_rva + data_off, len(vsinfo), 0, 0)
    rsrc = root + typ + name + entry
    rsrc += b"\0" * (data_off - len(rsrc)) + vsinfo
    raw_size = (len(rsrc) + file_align - 1) // file_align * file_align
    rsrc = rsrc.ljust(raw_size, b"\0")

    dos = bytearray(0x80)
    dos[0:2] = b"MZ"
    struct.pack_into("<I", dos, 0x3C, 0x80)
    coff = struct.pack("<HHIIIHH", 0x14C, 1, 0, 0, 0, 0xE0, 0x2102)
    opt = struct.pack("<HBBIIIIIIIIIHHHHHHIIIIHHIIIIII",
                      0x10B, 14, 0, 0, raw_size, 0, 0, 0, 0, 0x10000000,
                      0x1000, file_align, 6, 0, 0, 0, 6, 0, 0,
                      rsrc_rva + 0x1000, 0x200, 0, 2, 0x140,
                      0x100000, 0x1000, 0x100000, 0x1000, 0, 16)
    dirs = [(0, 0)] * 16
    dirs[2] = (rsrc_rva, len(rsrc))
    opt += b"".join(struct.pack("<II", a, s) for a, s in dirs)
    assert len(opt) == 0xE0, hex(len(opt))
    sect = struct.pack("<8sIIIIIIHHI", b".rsrc", raw_size, rsrc_rva, raw_size, 0x200, 0, 0, 0, 0, 0x40000040)
    headers = bytes(dos) + b"PE\0\0" + coff + opt + sect
    headers = headers.ljust(0x200, b"\0")
    return headers + rsrc


pe32 = pe32_with_version()
write("pe_version", "pe32-version-only", pe32)
write("pe_version", "pe32-cut-in-resource", pe32[: 0x200 + 0x70])
write("pe_version", "mz-only", b"MZ" + b"\0" * 0x3A + struct.pack("<I", 0x40) + b"PE\0\0")
write("pe_version", "not-pe", b"#!/bin/sh\necho lync.exe\n")

# ------------------------------------------------------------ bundle_reader
# stuck.zip, stuck-redacted.zip and healthy.zip are real bundles written by
# `offline-im-doctor collect` (see fuzz/corpus/README.md); the seeds below
# are derived from stuck.zip.
import io
import json
import zipfile

bundles = os.path.join(HERE, "corpus", "bundle_reader")
stuck_path = os.path.join(bundles, "stuck.zip")
if os.path.exists(stuck_path):
    stuck = open(stuck_path, "rb").read()
    write("bundle_reader", "stuck-truncated.zip", stuck[: len(stuck) * 2 // 3])
    zf = zipfile.ZipFile(io.BytesIO(stuck))
    members = {n: zf.read(n) for n in zf.namelist()}
    # The target's "members" form (an input not starting with PK): the
    # target zips these itself, so mutations get past the zip CRCs. The
    # manifest lists the logs only, so the JSON members have no hash to
    # match and mutated inventories reach the parser and `facts`.
    manifest = json.loads(members["manifest.json"])
    manifest["files"] = [f for f in manifest["files"] if f["path"].startswith("logs/")]
    records = []
    for name in ["manifest.json", "inventory.json", "machine.json",
                 "logs/16.0/Lync-UccApi-0.UccApilog"]:
        body = json.dumps(manifest, indent=1).encode() if name == "manifest.json" else members[name]
        records.append(b"@@ " + name.encode() + b"\n" + body)
    # The "\n" before each "@@ " separates; it is not part of the member.
    write("bundle_reader", "members-stuck", b"\n".join(records))
    # Members form: a log the manifest lies about (size), a path that climbs.
    m2 = dict(manifest)
    m2["files"] = [dict(manifest["files"][1], size=10)]
    write("bundle_reader", "members-lying-size",
          b"@@ manifest.json\n" + json.dumps(m2).encode() + b"\n@@ inventory.json\n"
          + members["inventory.json"] + b"\n@@ logs/16.0/Lync-UccApi-0.UccApilog\n"
          + members["logs/16.0/Lync-UccApi-0.UccApilog"][:600] + b"\n@@ ../evil\nx\n")

# A zip that is not a bundle, and one whose entry name climbs out.
buf = io.BytesIO()
with zipfile.ZipFile(buf, "w") as z:
    z.writestr(zipfile.ZipInfo("README.txt", (1980, 1, 1, 0, 0, 0)), "not a bundle\n")
    z.writestr(zipfile.ZipInfo("manifest.json", (1980, 1, 1, 0, 0, 0)), '{"bundle_version": 2}')
write("bundle_reader", "not-a-bundle.zip", buf.getvalue())
buf = io.BytesIO()
with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr(zipfile.ZipInfo("../../etc/passwd", (1980, 1, 1, 0, 0, 0)), "root:x:0:0\n")
write("bundle_reader", "climbing-name.zip", buf.getvalue())


# ------------------------------------------------------------ etl_reader
# Small ETW traces in the layout docs/etl.md describes (the same one
# tests/common/etl_builder.rs writes): 1 KiB buffers, QPC clock at 10 MHz.
def etl_trace(buffers, size=1024, mode=1, clock=1, ptr=8, lost=0, compressed=()):
    start = 134_090_496_000_000_000  # 2025-12-01 FILETIME
    qpc = 5_000_000_000
    h = bytearray(0x38 + 2 * ptr)
    struct.pack_into("<IIII", h, 0, size, 0x01050A00, 0, 2)
    struct.pack_into("<Q", h, 0x10, start + 36_000_000_000)
    struct.pack_into("<IIIIII", h, 0x20, mode, len(buffers), 0, ptr, lost, 2400)
    h += bytes(172)
    h += bytes((-len(h)) % 8)
    h += struct.pack("<QQQII", 0, 10_000_000, start, clock, 0)
    h += "Lync\0C:\\t.etl\0".encode("utf-16-le")
    rec = struct.pack("<HBBHBBIIQQ", 2, 2, 0xC0, 32 + len(h), 0, 0, 0, 0, qpc, 0) + bytes(h)
    out = b""
    for i, recs in enumerate(buffers):
        area = b""
        for r in ([rec] if i == 0 else []) + recs:
            area += r + bytes((-len(r)) % 8)
        saved = 0x48 + len(area)
        hdr = bytearray(0x48)
        struct.pack_into("<III", hdr, 0, size, saved, saved)
        struct.pack_into("<I", hdr, 0x30, saved)
        struct.pack_into("<HH", hdr, 0x34, 0x40 if i in compressed else 1, 4 if i == 0 else 0)
        out += bytes(hdr) + area + b"\xff" * (size - saved)
    return out


def wpp(guid, number, secs, payload):
    body = struct.pack("<I", 7) + guid + struct.pack("<QII", 5_000_000_000 + int(secs * 1e7), 1, 2) + payload
    return struct.pack("<HBBHH", 8 + len(body), 0, 0x90, number, 0x2B) + body


def event(guid, secs, payload):
    return (struct.pack("<HBBHHIIQ", 80 + len(payload), 0x13, 0xC0, 0x40, 0, 1, 2, 5_000_000_000 + int(secs * 1e7))
            + guid + bytes(16) + bytes(8) + bytes(16) + payload)


GA, GB = bytes(range(1, 17)), b"\xaa" * 16
b1 = [wpp(GA, 10, 300, "sip:bob@contoso.com\0".encode("utf-16-le")), wpp(GA, 11, 330, b"hr=0x80190191\0"), event(GB, 400, b"\1\2\3")]
b2 = [wpp(GA, 12, 600, "https://mail.contoso.com/EWS/Exchange.asmx\0".encode("utf-16-le")), wpp(GB, 1, 900, b"HTTP/1.1 401 Unauthorized\0")]
full = etl_trace([b1, b2])
write("etl_reader", "two-buffers.etl", full)
write("etl_reader", "truncated.etl", full[:1024 + 0x48 + 40])
write("etl_reader", "circular.etl", etl_trace([b2, b1], mode=2))
write("etl_reader", "compressed-buffer.etl", etl_trace([b1, b2], compressed=(1,)))
write("etl_reader", "lost-events-32bit-systime.etl", etl_trace([b1], ptr=4, clock=2, lost=5))
write("etl_reader", "header-only.etl", etl_trace([[]]))
write("etl_reader", "not-an-etl.txt", b"11/24/2026|09:00:00.000 1A2C:2B3D INFO  :: text, not a trace\r\n")
