# offline-im-doctor : le rapport en français.
#
# Mêmes identifiants que locales/en/offline-im-doctor.ftl. Termes de
# Microsoft (page « messagerie instantanée hors connexion » de Skype
# Entreprise) ; les cmdlets, propriétés, chemins et codes restent en anglais.

## checks: Check titles and what each looks at (check-<id>, check-<id>.looks-at)

check-client-build = Build du client
check-client-install = Type d'installation
check-spooler-stuck = Dossier History Spooler
check-im-auto-archiving = Archivage automatique des messages instantanés
check-server-offline-im = Paramètre serveur des messages hors connexion
check-ews-access = Accès aux services web Exchange (EWS)
check-offline-im-activity = Activité des messages hors connexion
check-client-logs = Journaux du client
check-drafts-known-issue = Problème connu du dossier « Brouillons »
check-client-support = Support du produit client
check-exchange-online-ews = Arrêt d'EWS dans Exchange Online
check-ews-reachability = EWS joignable depuis cet ordinateur
check-offline-im-recipients = Destinataires des messages hors connexion

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
