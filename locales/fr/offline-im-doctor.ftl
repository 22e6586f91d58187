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

install-msi = Le client est une installation MSI ; la messagerie instantanée hors connexion n'existe que dans le client Démarrer en un clic (Click-to-Run).
    .plain = Ce Skype Entreprise est une installation MSI, qui n'a pas de messages hors connexion.
install-click-to-run = { $channel ->
        [none] Le client est une installation Démarrer en un clic.
       *[other] Le client est une installation Démarrer en un clic (canal { $channel }).
    }
install-unknown = Type d'installation inconnu : ni registre Démarrer en un clic ni lync.exe (sur une copie collectée, passez { $option } avec le lync.exe copié).
# Outil de déploiement d'Office : https://learn.microsoft.com/fr-fr/microsoft-365-apps/deploy/overview-office-deployment-tool
step-install-click-to-run = Désinstallez Skype Entreprise 2016 MSI et déployez le client Démarrer en un clic avec l'Outil de déploiement d'Office ({ $command }, la configuration nommant un produit tel que { $products }).

# (end of client-install)

## spooler-stuck

# (end of spooler-stuck)

## im-auto-archiving

# (end of im-auto-archiving)

## server-offline-im

server-config-not-given = Pas de --server-config : collez la sortie de { $cmdlet } dans un fichier et passez-le avec --server-config pour vérifier le paramètre du serveur.
server-im-configuration-missing = Aucune sortie de { $cmdlet } dans { $files }.
server-offline-im-disabled = { $setting } vaut False dans { $count ->
        [one] la configuration de messagerie instantanée
       *[other] { $count } configurations de messagerie instantanée
    } { $identities } : le serveur désactive la messagerie instantanée hors connexion pour les utilisateurs concernés.
    .plain = Le paramètre de Skype Entreprise Server qui autorise les messages hors connexion est désactivé.
server-offline-im-enabled = { $unreadable ->
        [0] { $setting } vaut True (ou n'est pas défini : True par défaut depuis Skype Entreprise Server 2015 CU3) dans toutes les configurations de messagerie instantanée.
       *[other] { $setting } ne vaut False nulle part, mais sa valeur n'a pas pu être lue pour { $identities }.
    }
step-server-enable-offline-im = Dans Skype Entreprise Server Management Shell, exécutez { $command }.

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

exo-mailbox-unknown = L'emplacement de la boîte aux lettres est inconnu (aucune URL EWS dans les journaux) : le retrait d'EWS dans Exchange Online ne peut donc pas être évalué.
exo-on-premises = La boîte aux lettres est dans Exchange local, que le retrait d'EWS dans Exchange Online ne concerne pas.
exo-before-block = La boîte aux lettres est dans Exchange Online, et les messages hors connexion vers elle passent par EWS. Le retrait d'EWS y commence le { $from } ; à partir du { $required }, { $enabled } True exige une liste { $app-ids } qui nomme le client, et à partir du { $end }, EWS dans Exchange Online est définitivement désactivé.
exo-ews-retired = EWS dans Exchange Online est définitivement désactivé depuis le { $end } : le client ne peut plus déposer de messages hors connexion (ni l'historique des conversations) dans cette boîte aux lettres Exchange Online.
    .plain = Exchange Online ne permet plus à aucun client d'utiliser les services web Exchange (EWS) : les messages hors connexion ne peuvent donc pas être enregistrés dans cette boîte aux lettres.
exo-ews-disabled = Les paramètres Exchange collés désactivent EWS ({ $enabled } False) : le client ne peut donc pas remettre les messages hors connexion à la boîte aux lettres Exchange Online.
    .plain = Les services web Exchange (EWS) sont désactivés pour cet utilisateur ou cette organisation dans Exchange Online : les messages hors connexion ne peuvent donc pas être enregistrés.
exo-client-not-allowed = Les paramètres Exchange collés excluent le client Skype Entreprise d'EWS (liste d'autorisation ou de blocage d'agents utilisateurs).
    .plain = Les paramètres Exchange Online de l'organisation ne permettent pas à Skype Entreprise d'utiliser les services web Exchange (EWS) : les messages hors connexion ne peuvent donc pas être enregistrés.
exo-ews-failing-after-block = Les requêtes EWS vers Exchange Online échouent depuis le début du retrait d'EWS (code plus utilisé).
    .plain = Exchange Online refuse les demandes du client pour enregistrer les messages hors connexion.
exo-ews-working = Des requêtes EWS vers Exchange Online ont réussi le { $from } ou après : le locataire a conservé EWS pour ce client, jusqu'au { $end }, date de son arrêt définitif.
exo-tenant-choice-unknown =
    { $why ->
        [app-ids-empty] Le paramètre { $enabled } de l'organisation vaut True avec une liste { $app-ids } vide : à partir du { $required }, cela bloque tout EWS, sauf si Microsoft préremplit la liste d'après l'utilisation du locataire.
        [office-app-id-listed] { $app-ids } contient { $office } (« Microsoft Office »), l'ID que des sources communautaires donnent pour les clients de bureau Office ; Microsoft n'a pas confirmé que le client Skype Entreprise le présente, et aucune requête EWS réussie le { $from } ou après n'a été vue.
        [mailbox-only] Rien dans les paramètres de boîte aux lettres collés n'exclut le client, mais les paramètres EWS de l'organisation n'ont pas été collés et aucune requête EWS réussie vers Exchange Online depuis le { $from } n'a été vue.
       *[other] La boîte aux lettres est dans Exchange Online et le retrait d'EWS a commencé le { $from } : EWS n'y fonctionne que si le locataire l'a conservé pour ce client, et rien de ce qui a été vu ne dit s'il l'a fait.
    }
    .plain = Exchange Online ne permet peut-être plus à ce client d'utiliser les services web Exchange (EWS), et les messages hors connexion ne peuvent alors pas être enregistrés ; les paramètres de l'organisation le diraient.
exo-allowed-app-ids-empty = Le paramètre { $enabled } de l'organisation vaut True avec une liste { $app-ids } vide : depuis le { $required }, cela bloque tout EWS dans Exchange Online, et le client ne peut donc pas remettre les messages hors connexion.
    .plain = L'organisation autorise les services web Exchange (EWS) mais n'y autorise aucune application, ce qui bloque tous les clients : les messages hors connexion ne peuvent donc pas être enregistrés.
exo-policy-reason-disabled = Exchange Online a refusé EWS avec HTTP { $status } et { $header } : « { $reason } » : le paramètre { $enabled } de l'organisation ou de la boîte aux lettres bloque ce client (le False de l'organisation l'emporte sur le True d'une boîte aux lettres).
    .plain = Exchange Online ne permet plus à ce client d'utiliser les services web Exchange (EWS), désactivés pour l'utilisateur ou l'organisation : les messages hors connexion ne peuvent donc pas être enregistrés.
exo-policy-reason-blocked = Exchange Online a refusé EWS avec HTTP { $status } et { $header } : « { $reason } » : { $app-ids } (la liste d'ID d'application) ou les listes d'agents utilisateurs ({ $policy }, { $allow-list }, { $block-list }) bloquent ce client ; l'en-tête ne dit pas lesquelles.
    .plain = Exchange Online ne permet plus à ce client d'utiliser les services web Exchange (EWS) : les messages hors connexion ne peuvent donc pas être enregistrés.
exo-policy-reason-other = Exchange Online a refusé EWS avec HTTP { $status } et { $header } : « { $reason } » : les paramètres EWS du locataire ({ $enabled }, { $app-ids }, les listes d'agents utilisateurs) bloquent ce client.
    .plain = Exchange Online refuse que ce client utilise les services web Exchange (EWS) : les messages hors connexion ne peuvent donc pas être enregistrés.
exo-status-without-policy-reason = Exchange Online a répondu à EWS par HTTP { $status } le { $from } ou après, sans en-tête { $header } : cela peut venir du retrait d'EWS, mais seul cet en-tête le prouve.
    .plain = Exchange Online a refusé la demande du client pour enregistrer un message hors connexion ; le retrait des services web Exchange (EWS) en est peut-être la cause, mais rien ne le prouve encore.
exo-app-ids-not-retrieved = Le paramètre { $enabled } de l'organisation vaut True, mais le collage ne contient pas { $app-ids } (seul { $cmdlet } le renvoie) : depuis le { $required }, True sans cette liste bloque tout EWS.
    .plain = Les paramètres collés ne montrent pas quelles applications peuvent utiliser les services web Exchange (EWS) : on ne sait donc pas si les messages hors connexion peuvent être enregistrés.
exo-office-app-id-not-listed = { $app-ids } contient des applications, mais pas { $office } (« Microsoft Office », l'ID que des sources communautaires donnent pour les clients de bureau Office). Microsoft n'a pas confirmé quel ID présente le client Skype Entreprise : le rapport d'utilisation EWS du locataire et les journaux de connexion Microsoft Entra montrent le vrai.
    .plain = La liste des applications autorisées à utiliser les services web Exchange (EWS) omet peut-être Skype Entreprise, et les messages hors connexion ne peuvent alors pas être enregistrés.
exo-org-ews-unset = Le paramètre { $enabled } de l'organisation est vide (Null) : après le { $required }, Microsoft passe ces locataires à False (EWS bloqué) un par un, chacun après un préavis de { $days ->
        [one] 1 jour
       *[other] { $days } jours
    } dans le Centre de messages, avec { $app-ids } prérempli d'après l'utilisation récente.
    .plain = Microsoft désactive, après préavis, les services web Exchange (EWS) des organisations qui ne les ont jamais configurés, et les messages hors connexion ne peuvent alors plus être enregistrés.
step-exo-pass-mailbox = Indiquez { $online } ou { $on-premises } pour dire où se trouve la boîte aux lettres.
step-exo-move-mailbox = Rien sur le client ne corrige cela : déplacez la boîte aux lettres de l'utilisateur vers Exchange local (Exchange Server SE) s'il a besoin des messages hors connexion, ou faites passer l'utilisateur à Teams, qui remet les messages aux utilisateurs hors connexion.
step-exo-enable-org = Administrateur Exchange Online : exécutez { $cmdlet } (le False de l'organisation bloque toutes les boîtes aux lettres).
step-exo-enable-mailbox = Vérifiez que { $cmdlet } n'affiche pas False pour l'expéditeur, en comptant environ une heure pour qu'une modification du paramètre { $enabled } s'applique.
step-exo-read-app-ids = Administrateur Exchange Online : lisez d'abord la liste d'ID d'application avec { $cmdlet }, car { $set } remplace toute la liste.
step-exo-add-app-id = Ajoutez l'ID d'application qu'utilise le client Skype Entreprise, que montrent le rapport d'utilisation EWS du locataire et les journaux de connexion Microsoft Entra (des sources communautaires citent { $office }, « Microsoft Office »), en comptant jusqu'à 24 heures pour que la modification s'applique.
step-exo-user-agents = Si { $policy } vaut { $allow-policy }, gardez { $patterns } dans { $allow-list } : les deux listes doivent laisser passer le client.
step-exo-until-end = Cela ne garde EWS que jusqu'au { $end } : ensuite, les messages hors connexion vers des boîtes aux lettres Exchange Online exigent une boîte aux lettres sur site ou le passage à Teams.
step-exo-ask-settings = Demandez à l'administrateur Exchange Online la sortie de { $org-cmdlet } et de { $mailbox-cmdlet }, et passez-la avec { $option }.
step-exo-usage-report = Demandez à l'administrateur quel ID d'application utilise le client Skype Entreprise, d'après le rapport d'utilisation EWS du locataire.
step-exo-plan-end = Préparez-vous pour le { $end } : EWS dans Exchange Online s'arrête alors, et avec lui les messages hors connexion vers les boîtes aux lettres Exchange Online.
step-exo-capture-headers = Capturez les en-têtes de réponse EWS (la trace HTTP du journal du client, ou { $probe } depuis cet ordinateur) et cherchez { $header }.

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
