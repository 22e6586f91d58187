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

# (end of client-build)

## client-install

# (end of client-install)

## spooler-stuck

# (end of spooler-stuck)

## im-auto-archiving

# (end of im-auto-archiving)

## server-offline-im

# (end of server-offline-im)

## ews-access

# (end of ews-access)

## offline-im-activity

# (end of offline-im-activity)

## client-logs

# (end of client-logs)

## drafts-known-issue

# (end of drafts-known-issue)

## client-support

# (end of client-support)

## exchange-online-ews

# (end of exchange-online-ews)

## ews-reachability

# (end of ews-reachability)

## offline-im-recipients

# (end of offline-im-recipients)

## steps: Steps shared by several checks (step-*)

# (end of steps)

## diagnosis: The diagnosis (diagnosis-*)

# (end of diagnosis)

## report: Words of the table, Markdown and HTML reports (ui-*)

# (end of report)
