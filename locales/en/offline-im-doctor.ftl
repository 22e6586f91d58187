# offline-im-doctor: the report in English.
#
# Message ids are reason codes (`build-below-minimum`), with the attribute
# `.plain` (one plain sentence for the diagnosis) where a code can be a
# cause; steps are `step-*`, report words `ui-*`. Values (`{ $build }`)
# are typed by the code; cmdlets, properties, paths and codes stay in
# English in every language.

## checks: Check titles and what each looks at (check-<id>, check-<id>.looks-at)

check-client-build = Client build
check-client-install = Install type
check-spooler-stuck = History Spooler
check-im-auto-archiving = IM auto-archiving
check-server-offline-im = Server Offline IM setting
check-ews-access = Exchange Web Services access
check-offline-im-activity = Offline-message activity
check-client-logs = Client logs
check-drafts-known-issue = Drafts-folder known issue
check-client-support = Client product support
check-exchange-online-ews = Exchange Online EWS shutdown
check-ews-reachability = EWS reachable from this machine
check-offline-im-recipients = Offline-message recipients

# (end of checks)

## client-build

build-unknown = Client build unknown: no { $option }, no Click-to-Run registry or lync.exe seen, and no User-Agent in the client logs.
    .plain = The version of Skype for Business could not be found, so whether it can send offline messages is not known.
build-lync-2013 = Client build { $build } is Lync 2013 / Skype for Business 2015 (major { $major }), which has no Offline IM.{ $note ->
        [none] {""}
       *[other] {" "}Note: { $note }.
    }
    .plain = This is Lync 2013 or Skype for Business 2015, which cannot send offline messages.
build-below-minimum = Client build { $build } is below { $min }, the first build with Offline IM.{ $note ->
        [none] {""}
       *[other] {" "}Note: { $note }.
    }
    .plain = This Skype for Business is too old to send offline messages.
build-below-onprem-threshold = Client build { $build } is below { $min }, which Offline IM needs when the mailbox is in Exchange on-premises.{ $note ->
        [none] {""}
       *[other] {" "}Note: { $note }.
    }
    .plain = This Skype for Business is too old to send offline messages to a mailbox in Exchange on-premises.
build-onprem-threshold-mailbox-unknown = Client build { $build } supports Offline IM with an Exchange Online mailbox but not with an on-premises one (needs { $min }); the mailbox location is unknown.{ $note ->
        [none] {""}
       *[other] {" "}Note: { $note }.
    }
    .plain = This Skype for Business can send offline messages only if the mailbox is in Exchange Online, and where the mailbox is is not known.
build-supported = Client build { $build } is at or above { $min }.{ $note ->
        [none] {""}
       *[other] {" "}Note: { $note }.
    }
# The Office 2016 release notes on a build's channel (docs/landscape.md).
note-msi-2016 = 16.0.4xxx builds are the MSI release of Office 2016, which has no Offline IM
note-deferred-1602 = 16.0.6741 is Deferred channel version 1602, which has no Offline messages; the first Deferred build with them is { $first } ({ $date })
note-before-current-1605 = Offline messages were added in Current channel 1605 ({ $first }, { $date })
note-current-1605 = { $build } is Current 1605 ({ $date }), before the { $fix } fix for offline messages filling the Drafts folder
note-drafts-fix = { $build } is Current / First Release for Deferred 1605 ({ $date }), the build with the Drafts fix
note-before-current-1608 = builds before Current 1608 ({ $current-1608 }) show saved chat history as drafts; 1609 ({ $current-1609 }) fixes no Exchange connection after a move to Exchange Online
note-before-current-1609 = builds before Current 1609 ({ $current-1609 }) can lose the Exchange connection after a mailbox move to Exchange Online
note-before-current-1611 = builds before Current 1611 ({ $current-1611 }) show no unread count for missed offline IMs
step-build-pass-version = Pass { $option } (from lync.exe's file properties, Details tab), or turn on client logging so the User-Agent is recorded; Offline IM needs { $min } or later ({ $min-on-premises } with an on-premises mailbox).
step-build-install-2016 = Install Skype for Business 2016 Click-to-Run, build { $build } or later.
step-build-update = Update Skype for Business 2016 Click-to-Run to { $build } or later (any current build is far beyond it).
step-build-pass-mailbox = Pass { $option }, or update to { $build } or later.

# (end of client-build)

## client-install

install-msi = The client is an MSI install; Offline IM ships only in the Click-to-Run client.
    .plain = This Skype for Business is an MSI installation, which has no offline messages.
install-click-to-run = { $channel ->
        [none] The client is a Click-to-Run install.
       *[other] The client is a Click-to-Run install ({ $channel } channel).
    }
install-unknown = Install type unknown: no Click-to-Run registry and no lync.exe seen (on a collected copy, pass { $option } with the copied lync.exe).
# Office Deployment Tool: https://learn.microsoft.com/microsoft-365-apps/deploy/overview-office-deployment-tool
step-install-click-to-run = Uninstall the MSI Skype for Business 2016 and deploy the Click-to-Run client with the Office Deployment Tool ({ $command }, the configuration naming a product such as { $products }).

# (end of client-install)

## spooler-stuck

spooler-aside = { $skewed ->
        [0] {""}
       *[other] ; { $skewed } dated in the future (clock skew, not counted as stuck)
    }{ $odd ->
        [0] {""}
        [one] ; 1 non-regular entry not opened
       *[other] ; { $odd } non-regular entries not opened
    }{ $unread ->
        [0] {""}
        [one] ; 1 place could not be read, so more may be stuck
       *[other] ; { $unread } places could not be read, so more may be stuck
    }
spooler-stuck = { $stuck } of { $files ->
        [one] 1 spooled file
       *[other] { $files } spooled files
    } older than { $threshold }, the oldest { $oldest } old: offline messages the client could not deliver{ $aside }.
    .plain = Offline messages are waiting on this computer because the client could not deliver them.
spooler-unreadable = Could not read { $count ->
        [one] a History Spooler
       *[other] { $count } History Spoolers or profile folders
    }: { $unread }{ $files ->
        [0] .
        [one] ; 1 spooled file elsewhere, not stuck.
       *[other] ; { $files } spooled files elsewhere, none stuck.
    }
    .plain = The folder where unsent offline messages wait could not be read, so some may be stuck unseen.
spooler-in-flight = { $files ->
        [one] 1 spooled file
       *[other] { $files } spooled files
    }, none older than { $threshold }: messages in flight{ $aside }.
spooler-absent = No History Spooler folder: nothing is waiting to be sent.
spooler-empty = History Spooler empty in { $spoolers ->
        [one] 1 profile
       *[other] { $spoolers } profiles
    }{ $aside }.
step-spooler-fix-cause = Fix the cause the other failing checks name (EWS access, auto-archiving policy, build), then restart Skype for Business so it retries the spooler.
step-spooler-keep-files = The files in { $folders } are unsent messages: copy them elsewhere before removing any.
step-spooler-run-as-user = Run the tool as the user who signs in to Skype for Business (the History Spooler belongs to that user), or give a copy made with that user's rights.

# (end of spooler-stuck)

## im-auto-archiving

archiving-at = { $path }, line { $line }
archiving-this-user = this user
archiving-how = { $how ->
        [assigned] assigned to { $who }
        [no-per-user-policy] { $who } has no per-user policy
       *[global-unless-assigned] Global, unless another policy is assigned
    }
archiving-off-in-band = client policy { $setting } (in-band provisioning) is false in the client log ({ $at })
archiving-off-user-option = user option imAutoArchiving is false in the client log ({ $at })
archiving-off-pasted = client policy { $policy } ({ $how }) has { $setting } False ({ $at })
archiving-off-registry = the registry value (not a documented policy setting) { $setting } under { $key } is { $value }
archiving-open-not-pasted = { $who } has client policy { $policy } ({ $at }), whose { $setting } was not pasted
archiving-open-site = { $who } has no per-user client policy, and site policy { $policy } ({ $at }) has { $setting } False: it applies if { $who } is homed on that site
archiving-open-unknown = client policy { $policy } ({ $at }) has { $setting } False, and whether { $who } has it is not known
archiving-open-conflict = the client received { $setting } { $in-band } in-band { $when ->
        [none] at an unknown time
       *[other] at { $when }
    } ({ $at }), but the pasted client policy { $policy } ({ $how }, { $pasted-at }) has it { $pasted }: the policy was changed after the client's last sign-in, or another policy reaches the client
archiving-disabled = Offline IM is off for this sender: { $reasons }.
    .plain = A Skype for Business setting (the client policy or the user's own option) stops the client from saving conversations in the mailbox, and offline messages with them.
archiving-policy-assignment-unknown = Offline IM may be off for this sender: { $reasons }.
    .plain = A client policy that turns offline messages off may apply to this user; which policy the user has would tell.
archiving-assigned-policy-not-pasted = Offline IM may be off for this sender: { $reasons }.
    .plain = The user has a client policy whose settings were not pasted, and it may turn offline messages off.
archiving-policy-conflict = Offline IM may be off for this sender: { $reasons }.
    .plain = The user's Skype for Business has not yet picked up the latest client policy; signing out and in again does it.
archiving-no-source = No source for the auto-archiving setting: no client logs and no { $cmdlet } output ({ $option }).
archiving-enabled = { $seen ->
        [none] { $setting } and { $option } are not set anywhere seen (default: on).
       *[some] IM auto-archiving is on (or not set) in every source seen.
    }
step-archiving-grant-policy = Grant the user a client policy with auto-archiving on: { $set } (or { $grant }); the client picks it up at its next sign-in.
step-archiving-user-option = In Skype for Business: Options > Personal > tick "Save IM conversations in my email Conversation History folder".
step-archiving-set-policy = In the Skype for Business Server Management Shell, run { $command }.
step-archiving-registry = Remove or set to 1 the { $setting } registry value under { $key } (not a documented Group Policy setting: whatever wrote it, a script or a preference, writes it again unless it is changed there).
step-archiving-paste-policy = Run { $command } and pass its output with another { $option }.
step-archiving-find-site = Find the user's site: { $pool }, then { $site }.
step-archiving-paste-user = Run { $command } and pass its output with another { $option } (a blank ClientPolicy means the site or Global policy applies).
step-archiving-sign-in-again = A client policy change reaches the client at its next sign-in: have { $who } sign out and in, then run this tool again; if the log still shows { $in-band }, check which policy is assigned ({ $command }).

# (end of im-auto-archiving)

## server-offline-im

server-config-not-given = No --server-config: paste the output of { $cmdlet } into a file and pass it with --server-config to check the server setting.
server-im-configuration-missing = No { $cmdlet } output in { $files }.
server-offline-im-disabled = { $setting } is False in { $count ->
        [one] the IM configuration
       *[other] { $count } IM configurations
    } { $identities }: the server turns Offline IM off for the users it applies to.
    .plain = The Skype for Business Server setting that allows offline messages is turned off.
server-offline-im-enabled = { $unreadable ->
        [0] { $setting } is True (or not set: True by default since Skype for Business Server 2015 CU3) in every IM configuration.
       *[other] { $setting } is not False anywhere, but its value could not be read for { $identities }.
    }
step-server-enable-offline-im = In the Skype for Business Server Management Shell, run { $command }.

# (end of server-offline-im)

## ews-access

ews-no-logs = No client logs were read.
ews-endpoint = { $kind } { $url ->
        [none] (no URL in the entries)
       *[other] { $url }
    } HTTP { $status }{ $codes ->
        [none] {""}
       *[other] {" "}{ $codes }
    }
ews-throttle-answer = HTTP { $status }{ $code ->
        [none] {""}
       *[other] {" "}with { $code }
    } ({ $wait ->
        [back-off] BackOffMilliseconds { $ms }: about { $seconds } s
        [back-off-short] BackOffMilliseconds { $ms }
        [queuing] requests queuing in IIS
       *[none] no BackOffMilliseconds in the entry
    })
ews-throttled = Exchange throttled the newest EWS request to { $endpoint }: { $answer }. The server is busy for this user (its EWS budget), not down and not refusing the credentials: the client waits and retries, so offline messages go out late.
    .plain = Exchange is too busy for this user right now and asks the client to wait: offline messages go out late, not never.
ews-requests-refused = The newest failing EWS request was refused with HTTP { $status } ({ $refusal ->
        [not-authenticated] not authenticated
       *[denied] access denied
    }): { $endpoints }.{ $throttled ->
        [0] {""}
        [one] {" "}Exchange also throttled { $throttled-endpoints }: busy, the client retries.
       *[other] {" "}Exchange also throttled { $throttled } endpoints ({ $throttled-endpoints }): busy, the client retries.
    }
    .plain = { $refusal ->
        [not-authenticated] Exchange did not accept the user's credentials when the client tried to save the offline message.
       *[denied] Exchange refused the client access to the mailbox when it tried to save the offline message.
    }
ews-requests-failing = The latest request to { $count ->
        [one] 1 EWS/autodiscover endpoint
       *[other] { $count } EWS/autodiscover endpoints
    } failed in the client log ({ $endpoints }), so the client cannot put offline messages into the recipient's mailbox.{ $throttled ->
        [0] {""}
        [one] {" "}Exchange also throttled { $throttled-endpoints }: busy, the client retries.
       *[other] {" "}Exchange also throttled { $throttled } endpoints ({ $throttled-endpoints }): busy, the client retries.
    }
    .plain = The client could not reach the user's mailbox to save the offline message.
ews-url-not-seen = No EWS URL anywhere in the client logs: the client may never have discovered Exchange (autodiscover).
    .plain = The client never found the user's mailbox, so it has nowhere to save offline messages.
ews-ok = EWS URL seen ({ $urls }) and no EWS/autodiscover request failed.
ews-recovered = EWS URL seen ({ $urls }); { $recovered ->
        [one] 1 failed EWS/autodiscover request was
       *[other] { $recovered } failed EWS/autodiscover requests were
    } followed by a success on the same endpoint, and every endpoint's latest request succeeded.
ews-auth-handshake-only = EWS URL seen ({ $urls }); { $handshakes ->
        [one] 1 HTTP 401 challenge, answered
       *[other] { $handshakes } HTTP 401 challenges, each answered
    } by a success on the same endpoint: the Windows-authentication (Negotiate/NTLM) handshake, not a failure.
step-ews-throttled-wait = Nothing to change on this machine: the client retries after the back-off; watch whether the messages leave the History Spooler ({ $command }).
step-ews-throttled-budget = If it keeps happening: another EWS application using the same mailbox can use up the user's budget; on-premises, read { $association } and { $policy } ({ $settings }); Exchange Online offers no throttling cmdlets (Microsoft support).
step-ews-sign-in-again = Have the user sign out of Skype for Business, delete the saved credentials (Control Panel > Credential Manager: the entries for the mail server and Skype for Business) and sign in again.
step-ews-allowed = Check that EWS is allowed for this mailbox and its organisation ({ $cmdlet } and the organisation's EWS settings).
step-ews-open-in-browser = Open { $url } in a browser on the user's machine and sign in with the user's account.
step-ews-test-on-premises = Test the mailbox's EWS from the Exchange side with { $cmdlet } (Exchange on-premises) or Microsoft Remote Connectivity Analyzer ({ $analyzer }).
step-ews-test-online = Test EWS for this mailbox with Microsoft Remote Connectivity Analyzer ({ $analyzer }, Microsoft 365 tests); basic authentication to Exchange Online is off, so signing in to the EWS address in a browser proves nothing.
step-ews-see-exchange-online = The mailbox is in Exchange Online: see { $check } for the EWS retirement.
step-ews-allow-adal = EWS offered modern authentication (WWW-Authenticate: { $challenge }): with Skype for Business Server on-premises (hybrid) the client uses it for EWS only with { $policy } = 1 ({ $key }, or in the client policy: { $entry } added to the user's client policy with { $set }); { $registry ->
        [read] the registry policy does not set it: check the client policy.
       *[unread] check it on the user's machine and in the client policy.
    }
step-ews-capture-challenge = The log does not show the refusing response's WWW-Authenticate header: whether it offers Bearer (modern authentication) tells whether a hybrid client setting is missing (capture the response headers, e.g. with { $probe } or a Fiddler trace).
step-ews-response-code = Exchange answered and refused the request with { $codes }{ $message ->
        [none] {""}
       *[other] {" "}("{ $message }")
    }: look the code up in Microsoft's EWS ResponseCode reference ({ $url }); it is not a network or DNS problem.
step-ews-check-autodiscover = Check the autodiscover DNS records for the user's SMTP domain ({ $host } and the { $srv } SRV record), the proxy and the credentials.
step-ews-configuration-information = Hold Ctrl, right-click the Skype for Business icon in the notification area > Configuration Information, and read "EWS Internal URL", "EWS External URL" and "EWS Information".
step-ews-fix-autodiscover = If they are empty, fix autodiscover DNS for the user's SMTP domain, then have the user sign out and in.

# (end of ews-access)

## offline-im-activity

offline-no-logs = No client logs were read.
offline-failures = { $failures ->
        [one] 1 offline-message failure
       *[other] { $failures } offline-message failures
    } among { $events ->
        [one] 1 offline-message event
       *[other] { $events } offline-message events
    } in the client logs.
    .plain = The client logs show offline messages that failed to be saved.
offline-events = { $events ->
        [one] 1 offline-message event
       *[other] { $events } offline-message events
    }, no failures.
offline-no-text-events = No offline-message lines in the text logs, which proves nothing: the client records offline-message processing in its ETL trace, { $traces ->
        [0] and no .etl trace was found.
        [one] 1 .etl file below (times and counts read, message text not decoded){ $stuck ->
            [none] .
           *[some] { $covering ->
                [0] ; it holds no events from before to after the stuck messages: no trace covers them.
               *[other] ; it holds events from before to after the stuck messages.
            }
        }
       *[other] { $traces } .etl files below (times and counts read, message text not decoded){ $stuck ->
            [none] .
           *[some] ; { $covering } of them hold events from before to after the stuck messages{ $covering ->
                [0] : no trace covers them.
               *[other] .
            }
        }
    }
step-offline-read-timeline = Read the timeline for what failed first: the failures usually follow an EWS or policy problem another check names. Fix that, restart the client, and send a test offline IM to a signed-out colleague.
step-offline-send-traces = Send the .etl trace(s) with this report to whoever can decode them (Microsoft support): they hold the offline-message processing the text log leaves out.

# (end of offline-im-activity)

## client-logs

logs-unread-place = { $path } ({ $why })
logs-folder-absent = { $path } (absent)
logs-read = { $read ->
        [one] 1 client log file read
       *[other] { $read } client log files read
    } ({ $entries ->
        [one] 1 entry
       *[other] { $entries } entries
    }){ $traces ->
        [0] {""}
        [one] , 1 ETL trace inventoried
       *[other] , { $traces } ETL traces inventoried
    }{ $level ->
        [full] {""}
       *[other] ; { $setting } is { $level }, not Full: the log may leave out the EWS traffic
    }.
logs-partly-unreadable = { $read ->
        [one] 1 client log file read
       *[other] { $read } client log files read
    }, but { $count } could not be: { $unread }.
    .plain = Some of the client's logs could not be read, so the answer may miss what they hold.
logs-tracing-off = No client log found, and the registry says why: { $setting } is 0 under { $key } (logging off).
    .plain = Skype for Business logging is turned off on this computer, so there is no record of what happened.
logs-unreadable = { $count ->
        [0] Client log files exist but none could be read.
       *[other] Could not read the client logs: { $unread }.
    }
    .plain = The client's logs could not be read, so there is no record of what happened.
logs-missing = No { $log } client log found (searched { $searched ->
        [0] no Tracing folder
       *[other] { $folders }
    }): logging is probably off.
    .plain = No Skype for Business log was found: logging is probably turned off, so there is no record of what happened.
step-logs-run-as-user = Run the tool as the user who signs in to Skype for Business, or copy the Tracing folder with that user's rights.
step-logs-links-are-not-logs = A log that is a link or a pipe is not the client's own: copy the real files.
step-logs-full = For a complete log, set Options > General > Logging in Skype for Business: Full (TracingLevel FULL), sign out and in, and reproduce.
step-logs-turn-on = Turn on logging: in Skype for Business, Options > General > Logging in Skype for Business: Full (sets EnableTracing 1 and TracingLevel FULL; or { $cmdlet }), sign out and in, reproduce the failed offline IM, then run this tool again.

# (end of client-logs)

## drafts-known-issue

drafts-build-unknown = Client build unknown, so the Drafts-folder known issue cannot be ruled out.
drafts-affected = Build { $build } with an on-premises mailbox predates { $fix } ({ $date }): offline messages can fail and fill the Drafts folder.
    .plain = With this old Skype for Business and a mailbox in Exchange on-premises, offline messages can fail and pile up in the Drafts folder.
drafts-fixed = Build { $build } includes the { $date } Drafts fix ({ $fix }).
drafts-online-not-affected = The Drafts-folder known issue affects on-premises mailboxes only; this one is in Exchange Online.
drafts-mailbox-unknown = Mailbox location unknown; the Drafts-folder issue affects on-premises mailboxes with builds before { $fix }{ $this ->
        [affected] , which this build is.
       *[fixed] , and this build has the fix.
    }
step-drafts-update = Update the client to { $build } or later.

# (end of drafts-known-issue)

## client-support

support-m365-connectivity-ended = { $count ->
        [one] { $names } is
       *[other] This client could be { $names }; either way it is
    } an Office 2016/2019-era client and the mailbox is in Exchange Online: support for connecting such clients to Microsoft 365 services ended on { $end }{ $ended ->
        [yes] , and the product itself is past its end of support.
       *[no] .
    }
    .plain = Microsoft no longer supports this Skype for Business with Exchange Online, so problems such as undelivered offline messages will not be fixed for it.
support-ended = { $count ->
        [one] { $names } is past its end of support on { $now }{ $ended ->
            [none] {""}
           *[other] {" "}(ended { $ended })
        }: no security or bug fixes, and Microsoft no longer helps with problems such as Offline IM.
       *[other] This client could be { $names }; either way it is past its end of support on { $now }.
    }
    .plain = This Skype for Business is past its end of support: Microsoft no longer fixes it, offline messages included.
support-current = { $how ->
        [until] { $names } is supported until { $day }.
        [serviced] { $names }: its channel still serviced this version on { $day }, the newest servicing list this tool has; keep it updated.
        [supported] { $names } is supported.
       *[either] This client could be { $names }; either way it is supported on { $now }.
    }
support-products-disagree = The product cannot be told from what was seen: it could be { $names }, and they differ in support on { $now }.
support-product-unknown = { $count ->
        [0] The product cannot be told: no Click-to-Run registry, lync.exe or client build was seen.
       *[other] The support of { $names } cannot be judged from what was seen.
    }
step-support-upgrade = Move the user to a supported client: { $ltsc } (Office LTSC 2024{ $until ->
        [none] {""}
       *[other] , supported until { $until }
    }) or Microsoft 365 Apps on a channel that still services its version, deployed with the Office Deployment Tool (Click-to-Run).
step-support-identify = Run the tool on the user's machine (it reads ProductReleaseIds and the update channel from the Click-to-Run registry), or check Control Panel > Programs for the installed Office product.
step-support-pass-version = Pass { $option } (lync.exe's file version), or run the tool on the user's machine so it reads the Click-to-Run registry.

# (end of client-support)

## exchange-online-ews

exo-mailbox-unknown = The mailbox location is unknown (no EWS URL in the logs), so the Exchange Online EWS retirement cannot be judged.
exo-on-premises = The mailbox is in Exchange on-premises, which the Exchange Online EWS retirement does not affect.
exo-before-block = The mailbox is in Exchange Online, and Offline IM to it depends on EWS. The EWS retirement there begins on { $from }; from { $required } { $enabled } True needs an { $app-ids } list that names the client, and from { $end } EWS in Exchange Online is off for good.
exo-ews-retired = EWS in Exchange Online has been off for good since { $end }, so the client cannot put offline messages (or Conversation History) into this Exchange Online mailbox.
    .plain = Exchange Online no longer lets any client use Exchange Web Services, so offline messages cannot be saved in this mailbox.
exo-ews-disabled = The pasted Exchange settings turn EWS off ({ $enabled } False), so the client cannot deliver offline messages to the Exchange Online mailbox.
    .plain = Exchange Web Services is turned off for this user or organisation in Exchange Online, so offline messages cannot be saved.
exo-client-not-allowed = The pasted Exchange settings leave the Skype for Business client out of EWS (a user-agent allow or block list).
    .plain = The organisation's Exchange Online settings do not let Skype for Business use Exchange Web Services, so offline messages cannot be saved.
exo-ews-failing-after-block = EWS requests to Exchange Online fail since the EWS retirement began (no longer given).
    .plain = Exchange Online refuses the client's requests to save offline messages.
exo-ews-working = EWS requests to Exchange Online succeeded on or after { $from }: the tenant kept EWS for this client, until { $end } when it ends for good.
exo-tenant-choice-unknown =
    { $why ->
        [app-ids-empty] The organisation's { $enabled } is True with an empty { $app-ids }: from { $required } that blocks all EWS unless Microsoft pre-fills the list from the tenant's use.
        [office-app-id-listed] { $app-ids } lists { $office } ("Microsoft Office"), which community sources give for the Office desktop clients; Microsoft has not confirmed that the Skype for Business client presents it, and no successful EWS request on or after { $from } was seen.
        [mailbox-only] Nothing in the pasted mailbox settings keeps the client out, but the organisation's EWS settings were not pasted and no successful EWS request to Exchange Online since { $from } was seen.
       *[other] The mailbox is in Exchange Online and the EWS retirement began on { $from }: EWS works there only if the tenant kept it for this client, and nothing seen says whether it did.
    }
    .plain = Exchange Online may no longer let this client use Exchange Web Services, and then offline messages cannot be saved; the organisation's settings would tell.
exo-allowed-app-ids-empty = The organisation's { $enabled } is True with an empty { $app-ids }: since { $required } that blocks all EWS in Exchange Online, so the client cannot deliver offline messages.
    .plain = The organisation allows Exchange Web Services but lists no application that may use it, which blocks every client, so offline messages cannot be saved.
exo-policy-reason-disabled = Exchange Online refused EWS with HTTP { $status } and { $header }: "{ $reason }": the organisation's or the mailbox's { $enabled } blocks this client (the organisation's False wins over a mailbox's True).
    .plain = Exchange Online no longer lets this client use Exchange Web Services (it is turned off for the user or the organisation), so offline messages cannot be saved.
exo-policy-reason-blocked = Exchange Online refused EWS with HTTP { $status } and { $header }: "{ $reason }": { $app-ids } (the application ID list) or the user-agent lists ({ $policy }, { $allow-list }, { $block-list }) block this client; the header does not say which.
    .plain = Exchange Online no longer lets this client use Exchange Web Services, so offline messages cannot be saved.
exo-policy-reason-other = Exchange Online refused EWS with HTTP { $status } and { $header }: "{ $reason }": the tenant's EWS settings ({ $enabled }, { $app-ids }, the user-agent lists) block this client.
    .plain = Exchange Online refuses to let this client use Exchange Web Services, so offline messages cannot be saved.
exo-status-without-policy-reason = Exchange Online answered EWS with HTTP { $status } on or after { $from } without an { $header } header: that can be the EWS retirement, but only that header proves it.
    .plain = Exchange Online refused the client's request to save an offline message; the Exchange Web Services retirement may be why, but nothing proves it yet.
exo-app-ids-not-retrieved = The organisation's { $enabled } is True, but the paste has no { $app-ids } (only { $cmdlet } returns it): since { $required } True without the list blocks all EWS.
    .plain = The pasted settings do not show which applications may use Exchange Web Services, so it is not known whether offline messages can be saved.
exo-office-app-id-not-listed = { $app-ids } lists applications but not { $office } ("Microsoft Office", the ID community sources give for the Office desktop clients). Microsoft has not confirmed which ID the Skype for Business client presents: the tenant's EWS usage report and Entra sign-in logs show the real one.
    .plain = The organisation's list of applications allowed to use Exchange Web Services may leave out Skype for Business, and then offline messages cannot be saved.
exo-org-ews-unset = The organisation's { $enabled } is blank (Null): after { $required } Microsoft switches such tenants to False (EWS blocked) one by one, each after { $days ->
        [one] 1 day's
       *[other] { $days } days'
    } Message Center notice, with { $app-ids } pre-filled from recent use.
    .plain = Microsoft turns Exchange Web Services off, after notice, for organisations that never set it, and then offline messages cannot be saved.
step-exo-pass-mailbox = Pass { $online } or { $on-premises } to say where the mailbox is.
step-exo-move-mailbox = Nothing on the client fixes this: move the user's mailbox to Exchange on-premises (Exchange Server SE) if they need Offline IM, or move the user to Teams, which delivers messages to offline users.
step-exo-enable-org = Exchange Online admin: run { $cmdlet } (the organisation's False blocks every mailbox).
step-exo-enable-mailbox = Make sure { $cmdlet } does not show False for the sender, and allow about an hour for a change to { $enabled }.
step-exo-read-app-ids = Exchange Online admin: read the application ID list with { $cmdlet } first, because { $set } writes the whole list.
step-exo-add-app-id = Add the application ID the Skype for Business client uses, which the tenant's EWS usage report and the Entra sign-in logs show (community sources name { $office }, "Microsoft Office"), and allow up to 24 hours for the change.
step-exo-user-agents = If { $policy } is { $allow-policy }, keep { $patterns } in { $allow-list }: both lists must let the client through.
step-exo-until-end = This keeps EWS only until { $end }: from then on Offline IM to Exchange Online mailboxes needs the mailbox on-premises or a move to Teams.
step-exo-ask-settings = Ask the Exchange Online admin for the output of { $org-cmdlet } and { $mailbox-cmdlet }, and pass it with { $option }.
step-exo-usage-report = Ask the admin which application ID the Skype for Business client uses, from the tenant's EWS usage report.
step-exo-plan-end = Plan for { $end }: EWS in Exchange Online ends then, and with it Offline IM to Exchange Online mailboxes.
step-exo-capture-headers = Capture the EWS response headers (the client log's HTTP trace, or { $probe } from this machine) and look for { $header }.

# (end of exchange-online-ews)

## ews-reachability

reach-answer = { $url } answered HTTP { $status } over trusted TLS ({ $path })
probe-not-run = Not probed: run with { $option } to test from this machine whether the client can reach EWS (sends no credentials).
probe-nothing-to-probe = Nothing to probe: no SIP domain in the profiles and no EWS URL in the logs.
probe-autodiscover-only-answered = No EWS URL known (none in the logs); autodiscover answered from this machine ({ $urls }), so the client can find EWS after sign-in.
probe-autodiscover-only-failed = No EWS URL known, and autodiscover failed in every way the client tries for { $domains }: the client cannot find EWS from this machine.
    .plain = From this computer the client cannot find the server that holds the user's mailbox.
probe-ews-answered = EWS is reachable from this machine: { $answer }.
probe-autodiscover-failed = EWS is reachable ({ $answer }), but autodiscover failed in every way the client tries for { $domains }: a client without a cached EWS URL cannot find it.
    .plain = The mailbox server answers from this computer, but a client that does not already know its address cannot find it.
probe-ews-name-not-found = EWS cannot be reached from this machine: { $url ->
        [none] no EWS URL
       *[other] { $url }
    }: { $detail ->
        [none] no answer
       *[other] { $detail }
    }.
    .plain = This computer cannot find the mailbox server's name in DNS.
probe-ews-connect-failed = { probe-ews-name-not-found }
    .plain = Nothing answers on the mailbox server's address from this computer.
probe-ews-timed-out = { probe-ews-name-not-found }
    .plain = The mailbox server did not answer this computer in time.
probe-ews-proxy-refused = { probe-ews-name-not-found }
    .plain = The proxy does not let this computer through to the mailbox server.
probe-ews-certificate-untrusted = { probe-ews-name-not-found }
    .plain = This computer does not trust the mailbox server's certificate.
probe-ews-certificate-wrong-name = { probe-ews-name-not-found }
    .plain = The mailbox server's certificate does not carry the name the client uses.
probe-ews-certificate-expired = { probe-ews-name-not-found }
    .plain = The mailbox server's certificate is expired or not valid.
probe-ews-server-error = { probe-ews-name-not-found }
    .plain = The mailbox server answers this computer with an error.
probe-ews-unreachable = { probe-ews-name-not-found }
    .plain = This computer cannot reach the mailbox server.
step-reach-publish-autodiscover = Publish autodiscover for the SIP domain where the client looks: a DNS name { $host } (or the domain itself) that answers HTTPS with a certificate carrying that name, or an { $srv } SRV record pointing at the Exchange autodiscover host.
step-probe-ews-name-not-found = This machine cannot resolve the EWS host name: add the record to the DNS zone this machine uses (internal or split DNS), or check the VPN that provides it.
step-probe-ews-connect-failed = Nothing accepts HTTPS on the EWS address from this machine: check that the Exchange server or load balancer listens on port 443 there and that no firewall rejects the connection.
step-probe-ews-timed-out = The EWS server did not answer in time: a firewall may drop the packets, or this network may require the proxy; check the route from this machine to port 443 of the EWS host.
step-probe-ews-proxy-refused = The proxy does not let the connection to EWS through: allow the EWS host on the proxy (CONNECT to port 443), or add it to the proxy bypass list (ProxyOverride) so the client goes direct.
step-probe-ews-certificate-untrusted = This machine does not trust the EWS certificate's issuer: deploy the issuing CA (root and intermediates) to the Windows certificate store, e.g. by Group Policy, or use a certificate from a CA the machines trust.
step-probe-ews-certificate-wrong-name = The EWS certificate does not carry the EWS host name: issue a certificate that includes it, or set the EWS URL ({ $cmdlet }) to a name on the certificate.
step-probe-ews-certificate-expired = Replace the EWS certificate on the Exchange server or load balancer with a valid one (and check this machine's clock).
step-probe-ews-server-error = EWS answers with a server error: check the Exchange EWS virtual directory and its application pool (MSExchangeServicesAppPool), and the load balancer's health checks.
step-probe-ews-unreachable = Check the EWS URL from this machine in a browser (it should ask for credentials) and the network path to it.

# (end of ews-reachability)

## offline-im-recipients

recipients-within = within the organisation a delivered offline message arrives as e-mail of class IM.Note.MissedConversation, in Outlook's Missed Conversations folder and in Conversation History (the Skype for Business recent list)
recipients-across = sent to a federated organisation it arrives as plain e-mail in the recipient's Inbox, not in Missed Conversations or Conversation History
recipients-cannot-check = the recipient's side cannot be checked from the sender's machine
recipients-none-seen = No recipient seen (no spooled message or sent instant message in the logs names one): where a delivered offline message appears depends on the recipient.
recipients-same-org = { $inside ->
        [one] 1 recipient seen, in the organisation
       *[other] { $inside } recipients seen, all in the organisation
    }: { recipients-within }; { recipients-cannot-check }.
recipients-federated = { $known ->
        [pasted] { $inside ->
            [one] 1 recipient
           *[other] { $inside } recipients
        } in the organisation, { $outside } federated ({ $addresses }): { recipients-across }; { recipients-cannot-check }.
       *[sender] { $inside ->
            [one] 1 recipient
           *[other] { $inside } recipients
        } in the sender's SIP domain, { $outside } probably federated ({ $addresses }): { recipients-across }; only the sender's domain is known, { $cmdlet } settles which domains are the organisation's; { recipients-cannot-check }.
    }
recipient-side-note = not checked from the sender's machine (Microsoft: "there is no mechanism to check if the recipient is able to receive Offline messages"); a delivered message appears in Missed Conversations and Conversation History within the organisation, in the Inbox across federation

# (end of offline-im-recipients)

## steps: Steps shared by several checks (step-*)

step-update-now = In the client: File > Office Account > Update Options > Update Now, or move the machine to a supported Click-to-Run update channel in your Office deployment.

# (end of steps)

## diagnosis: The diagnosis (diagnosis-*, symptom-*)

diagnosis-unexplained-failure = { $checks } failed, but no check found why: the cause is outside what this run could see.
diagnosis-all-clear = No check failed or warned: nothing seen stops Offline IM{ $skipped ->
        [0] .
       *[other] {" "}({ $checks } had no input to judge).
    }
diagnosis-warnings-only = No check failed; { $count } warned: { $checks }.
diagnosis-read-evidence = Read the evidence of { $check } (-v shows it).
diagnosis-read-failing = Read the failing checks (-v shows their evidence).
diagnosis-read-warnings = Read the warnings (-v shows their evidence).
diagnosis-find-cause = Find the cause: { $summary }
diagnosis-rule-out = To rule out { $check } too: { $summary }
diagnosis-nothing-to-fix = Nothing to fix. If an offline message still fails, reproduce it with client logging on and run this again.
diagnosis-step = { $step }
# The symptoms a cause explains, as data/causes.toml words them.
symptom-spooler-stuck = messages stuck in the History Spooler
symptom-offline-im-activity = offline-message failures in the client log
symptom-ews-access = EWS requests refused or failing in the client log

# (end of diagnosis)

## report: Words of the table, Markdown and HTML reports (ui-*)

ui-title = Offline IM diagnosis: { $verdict }
ui-machine = Machine
ui-log-times = Log times
ui-user = User
ui-as-of = As of
ui-client = Client
ui-mailbox = Mailbox
ui-profile = Profile
ui-watch = Watch
ui-message = Message
ui-recipient = Recipient
ui-cause = Cause
ui-finding = Finding
ui-explains = Explains
ui-next-steps = Next steps
ui-also = Also
ui-checks = Checks
ui-status = Status
ui-check = Check
ui-summary = Summary
ui-files = Files
ui-evidence = Evidence
ui-details = Details
ui-timeline = Timeline (last { $shown } of { $total } events, UTC)
ui-no-time = (no time)
ui-fix = Fix
ui-fix-next-steps = the next steps above
ui-more-evidence = ... { $count } more (-v shows all evidence)
ui-follows-from = follows from { $cause }
ui-same-update = the update for { $check } fixes it too
ui-then = Then { $check } ({ $status })
ui-passed = Passed: { $checks }
ui-skipped = Not judged: { $checks }
ui-recap = { $verdict }: { $step }
ui-recap-no-step = { $verdict }: nothing to do.
ui-verbose-hint = -v shows the evidence, the timeline and every check.
ui-copied-folder = unknown: a copied folder
ui-time-zone = time zone { $zone }
ui-log-times-read = UTC{ $offset }, { $why }
ui-offset-assumed = this machine's zone, assumed ({ $option } sets it)
ui-offset-option = from { $option }
ui-unknown-build = unknown build
ui-from = from { $source }
ui-install = install { $install }
ui-channel = { $channel } channel
ui-ews = { $url }
ui-profile-line = { $address } ({ $version }): { $spooled } spooled, { $stuck } stuck{ $oldest ->
        [none] {""}
       *[other] , oldest { $oldest }
    }

ui-install-click-to-run = Click-to-Run
ui-install-msi = MSI
ui-install-unknown = unknown
ui-mailbox-online = Exchange Online
ui-mailbox-on-premises = Exchange on-premises
ui-mailbox-unknown = unknown
ui-source-option = --client-version
ui-source-registry = the registry
ui-source-lync-exe = lync.exe
ui-source-log = the client log
ui-source-etl-name = an ETL trace's name

ui-any-of = { $head } or { $last }

# (end of report)
