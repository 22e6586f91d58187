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

build-unknown = Build du client inconnu : pas de { $option }, ni registre Démarrer en un clic ni lync.exe, et pas de User-Agent dans les journaux du client.
    .plain = La version de Skype Entreprise n'a pas pu être trouvée : on ne sait donc pas s'il peut envoyer des messages hors connexion.
build-lync-2013 = Le build du client { $build } est Lync 2013 / Skype Entreprise 2015 (version majeure { $major }), qui n'a pas de messagerie instantanée hors connexion.{ $note ->
        [none] {""}
       *[other] {" "}Remarque : { $note }.
    }
    .plain = C'est Lync 2013 ou Skype Entreprise 2015, qui ne peut pas envoyer de messages hors connexion.
build-below-minimum = Le build du client { $build } est antérieur à { $min }, le premier build avec la messagerie instantanée hors connexion.{ $note ->
        [none] {""}
       *[other] {" "}Remarque : { $note }.
    }
    .plain = Ce Skype Entreprise est trop ancien pour envoyer des messages hors connexion.
build-below-onprem-threshold = Le build du client { $build } est antérieur à { $min }, nécessaire à la messagerie instantanée hors connexion quand la boîte aux lettres est dans Exchange local.{ $note ->
        [none] {""}
       *[other] {" "}Remarque : { $note }.
    }
    .plain = Ce Skype Entreprise est trop ancien pour envoyer des messages hors connexion à une boîte aux lettres Exchange local.
build-onprem-threshold-mailbox-unknown = Le build du client { $build } permet la messagerie instantanée hors connexion avec une boîte aux lettres Exchange Online mais pas avec une boîte locale (il faut { $min }) ; l'emplacement de la boîte aux lettres est inconnu.{ $note ->
        [none] {""}
       *[other] {" "}Remarque : { $note }.
    }
    .plain = Ce Skype Entreprise ne peut envoyer des messages hors connexion que si la boîte aux lettres est dans Exchange Online, et on ne sait pas où elle est.
build-supported = Le build du client { $build } est égal ou postérieur à { $min }.{ $note ->
        [none] {""}
       *[other] {" "}Remarque : { $note }.
    }
# The Office 2016 release notes on a build's channel (docs/landscape.md).
note-msi-2016 = les builds 16.0.4xxx sont la version MSI d'Office 2016, qui n'a pas de messagerie instantanée hors connexion
note-deferred-1602 = 16.0.6741 est la version 1602 du canal différé, qui n'a pas de messages hors connexion ; le premier build différé qui les a est { $first } ({ $date })
note-before-current-1605 = les messages hors connexion sont arrivés dans la version 1605 du canal actuel ({ $first }, { $date })
note-current-1605 = { $build } est la version 1605 du canal actuel ({ $date }), antérieure au correctif du { $fix } pour les messages hors connexion qui remplissent le dossier Brouillons
note-drafts-fix = { $build } est la version 1605 du canal actuel / First Release for Deferred ({ $date }), le build avec le correctif du dossier Brouillons
note-before-current-1608 = les builds antérieurs à la version 1608 du canal actuel ({ $current-1608 }) affichent l'historique des conversations enregistré comme brouillons ; la 1609 ({ $current-1609 }) corrige l'absence de connexion à Exchange après un passage à Exchange Online
note-before-current-1609 = les builds antérieurs à la version 1609 du canal actuel ({ $current-1609 }) peuvent perdre la connexion à Exchange après le déplacement d'une boîte aux lettres vers Exchange Online
note-before-current-1611 = les builds antérieurs à la version 1611 du canal actuel ({ $current-1611 }) n'affichent pas le nombre de messages instantanés hors connexion manqués non lus
step-build-pass-version = Passez { $option } (dans les propriétés du fichier lync.exe, onglet Détails), ou activez la journalisation du client pour que le User-Agent soit consigné ; la messagerie instantanée hors connexion demande { $min } ou ultérieur ({ $min-on-premises } avec une boîte aux lettres locale).
step-build-install-2016 = Installez Skype Entreprise 2016 Démarrer en un clic, build { $build } ou ultérieur.
step-build-update = Mettez à jour Skype Entreprise 2016 Démarrer en un clic vers { $build } ou ultérieur (tout build actuel le dépasse largement).
step-build-pass-mailbox = Passez { $option }, ou mettez à jour vers { $build } ou ultérieur.

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

spooler-aside = { $skewed ->
        [0] {""}
       *[other] ; { $skewed } daté(s) dans le futur (décalage d'horloge, non compté comme bloqué)
    }{ $odd ->
        [0] {""}
        [one] ; 1 entrée non ordinaire non ouverte
       *[other] ; { $odd } entrées non ordinaires non ouvertes
    }{ $unread ->
        [0] {""}
        [one] ; 1 emplacement n'a pas pu être lu, d'autres messages peuvent donc être bloqués
       *[other] ; { $unread } emplacements n'ont pas pu être lus, d'autres messages peuvent donc être bloqués
    }
spooler-stuck = { $stuck } { $files ->
        [one] fichier en attente sur 1
       *[other] fichiers en attente sur { $files }
    } datent de plus de { $threshold }, le plus ancien de { $oldest } : des messages hors connexion que le client n'a pas pu remettre{ $aside }.
    .plain = Des messages hors connexion attendent sur cet ordinateur parce que le client n'a pas pu les remettre.
spooler-unreadable = Impossible de lire { $count ->
        [one] un dossier History Spooler
       *[other] { $count } dossiers History Spooler ou dossiers de profil
    } : { $unread }{ $files ->
        [0] .
        [one] ; 1 fichier en attente ailleurs, non bloqué.
       *[other] ; { $files } fichiers en attente ailleurs, aucun bloqué.
    }
    .plain = Le dossier où attendent les messages hors connexion non envoyés n'a pas pu être lu : certains sont peut-être bloqués sans qu'on le voie.
spooler-in-flight = { $files ->
        [one] 1 fichier en attente
       *[other] { $files } fichiers en attente
    }, aucun de plus de { $threshold } : messages en cours d'envoi{ $aside }.
spooler-absent = Pas de dossier History Spooler : rien n'attend d'être envoyé.
spooler-empty = Dossier History Spooler vide dans { $spoolers ->
        [one] 1 profil
       *[other] { $spoolers } profils
    }{ $aside }.
step-spooler-fix-cause = Corrigez la cause que nomment les autres vérifications en échec (accès EWS, stratégie d'archivage automatique, build), puis redémarrez Skype Entreprise pour qu'il réessaie les messages en attente.
step-spooler-keep-files = Les fichiers de { $folders } sont des messages non envoyés : copiez-les ailleurs avant d'en supprimer.
step-spooler-run-as-user = Exécutez l'outil en tant que l'utilisateur qui se connecte à Skype Entreprise (le dossier History Spooler lui appartient), ou fournissez une copie faite avec les droits de cet utilisateur.

# (end of spooler-stuck)

## im-auto-archiving

archiving-at = { $path }, ligne { $line }
archiving-this-user = cet utilisateur
archiving-how = { $how ->
        [assigned] attribuée à { $who }
        [no-per-user-policy] { $who } n'a pas de stratégie par utilisateur
       *[global-unless-assigned] Global, sauf si une autre stratégie est attribuée
    }
archiving-off-in-band = la stratégie client { $setting } (approvisionnement intrabande) vaut false dans le journal du client ({ $at })
archiving-off-user-option = l'option utilisateur imAutoArchiving vaut false dans le journal du client ({ $at })
archiving-off-pasted = la stratégie client { $policy } ({ $how }) a { $setting } à False ({ $at })
archiving-off-registry = la valeur de Registre (pas un paramètre de stratégie documenté) { $setting } sous { $key } vaut { $value }
archiving-open-not-pasted = { $who } a la stratégie client { $policy } ({ $at }), dont { $setting } n'a pas été collé
archiving-open-site = { $who } n'a pas de stratégie client par utilisateur, et la stratégie de site { $policy } ({ $at }) a { $setting } à False : elle s'applique si { $who } est hébergé sur ce site
archiving-open-unknown = la stratégie client { $policy } ({ $at }) a { $setting } à False, et on ne sait pas si { $who } l'a
archiving-open-conflict = le client a reçu { $setting } { $in-band } par approvisionnement intrabande { $when ->
        [none] à une heure inconnue
       *[other] le { $when }
    } ({ $at }), mais la stratégie client collée { $policy } ({ $how }, { $pasted-at }) l'a à { $pasted } : la stratégie a été modifiée après la dernière connexion du client, ou une autre stratégie atteint le client
archiving-disabled = La messagerie instantanée hors connexion est désactivée pour cet expéditeur : { $reasons }.
    .plain = Un paramètre de Skype Entreprise (la stratégie client ou l'option de l'utilisateur) empêche le client d'enregistrer les conversations dans la boîte aux lettres, et avec elles les messages hors connexion.
archiving-policy-assignment-unknown = La messagerie instantanée hors connexion est peut-être désactivée pour cet expéditeur : { $reasons }.
    .plain = Une stratégie client qui désactive les messages hors connexion s'applique peut-être à cet utilisateur ; la stratégie attribuée à l'utilisateur le dirait.
archiving-assigned-policy-not-pasted = La messagerie instantanée hors connexion est peut-être désactivée pour cet expéditeur : { $reasons }.
    .plain = L'utilisateur a une stratégie client dont les paramètres n'ont pas été collés, et elle désactive peut-être les messages hors connexion.
archiving-policy-conflict = La messagerie instantanée hors connexion est peut-être désactivée pour cet expéditeur : { $reasons }.
    .plain = Le Skype Entreprise de l'utilisateur n'a pas encore reçu la dernière stratégie client ; se déconnecter puis se reconnecter la lui fait recevoir.
archiving-no-source = Aucune source pour le paramètre d'archivage automatique : ni journaux du client ni sortie de { $cmdlet } ({ $option }).
archiving-enabled = { $seen ->
        [none] { $setting } et { $option } ne sont définis nulle part (par défaut : activé).
       *[some] L'archivage automatique des messages instantanés est activé (ou non défini) dans toutes les sources vues.
    }
step-archiving-grant-policy = Attribuez à l'utilisateur une stratégie client avec l'archivage automatique activé : { $set } (ou { $grant }) ; le client la reçoit à sa prochaine connexion.
step-archiving-user-option = Dans Skype Entreprise : Options > Personal > cochez « Save IM conversations in my email Conversation History folder » (libellés du client en anglais).
step-archiving-set-policy = Dans Skype Entreprise Server Management Shell, exécutez { $command }.
step-archiving-registry = Supprimez la valeur de Registre { $setting } sous { $key } ou mettez-la à 1 (ce n'est pas un paramètre de stratégie de groupe documenté : ce qui l'a écrite, un script ou une préférence, la réécrit tant qu'on ne la change pas là).
step-archiving-paste-policy = Exécutez { $command } et passez sa sortie avec un autre { $option }.
step-archiving-find-site = Trouvez le site de l'utilisateur : { $pool }, puis { $site }.
step-archiving-paste-user = Exécutez { $command } et passez sa sortie avec un autre { $option } (un ClientPolicy vide signifie que la stratégie du site ou Global s'applique).
step-archiving-sign-in-again = Une modification de stratégie client atteint le client à sa prochaine connexion : demandez à { $who } de se déconnecter puis de se reconnecter, puis relancez cet outil ; si le journal indique toujours { $in-band }, vérifiez quelle stratégie est attribuée ({ $command }).

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

ews-no-logs = Aucun journal du client n'a été lu.
ews-endpoint = { $kind } { $url ->
        [none] (pas d'URL dans les entrées)
       *[other] { $url }
    } HTTP { $status }{ $codes ->
        [none] {""}
       *[other] {" "}{ $codes }
    }
ews-throttle-answer = HTTP { $status }{ $code ->
        [none] {""}
       *[other] {" "}avec { $code }
    } ({ $wait ->
        [back-off] BackOffMilliseconds { $ms } : environ { $seconds } s
        [back-off-short] BackOffMilliseconds { $ms }
        [queuing] requêtes en file d'attente dans IIS
       *[none] pas de BackOffMilliseconds dans l'entrée
    })
ews-throttled = Exchange a limité (throttling) la dernière requête EWS vers { $endpoint } : { $answer }. Le serveur est surchargé pour cet utilisateur (son budget EWS) ; il n'est ni arrêté ni en train de refuser les informations d'identification : le client attend et réessaie, les messages hors connexion partent donc en retard.
    .plain = Exchange est trop sollicité pour cet utilisateur en ce moment et demande au client d'attendre : les messages hors connexion partent en retard, mais ils partent.
ews-requests-refused = La dernière requête EWS en échec a été refusée avec HTTP { $status } ({ $refusal ->
        [not-authenticated] non authentifiée
       *[denied] accès refusé
    }) : { $endpoints }.{ $throttled ->
        [0] {""}
        [one] {" "}Exchange a aussi limité { $throttled-endpoints } : surchargé, le client réessaie.
       *[other] {" "}Exchange a aussi limité { $throttled } points de terminaison ({ $throttled-endpoints }) : surchargé, le client réessaie.
    }
    .plain = { $refusal ->
        [not-authenticated] Exchange a refusé les informations d'identification de l'utilisateur à l'enregistrement du message hors connexion.
       *[denied] Exchange a refusé au client l'accès à la boîte aux lettres quand il a voulu enregistrer le message hors connexion.
    }
ews-requests-failing = La dernière requête vers { $count ->
        [one] 1 point de terminaison EWS/découverte automatique
       *[other] { $count } points de terminaison EWS/découverte automatique
    } a échoué dans le journal du client ({ $endpoints }) : le client ne peut donc pas déposer les messages hors connexion dans la boîte aux lettres du destinataire.{ $throttled ->
        [0] {""}
        [one] {" "}Exchange a aussi limité { $throttled-endpoints } : surchargé, le client réessaie.
       *[other] {" "}Exchange a aussi limité { $throttled } points de terminaison ({ $throttled-endpoints }) : surchargé, le client réessaie.
    }
    .plain = Le client n'a pas pu joindre la boîte aux lettres de l'utilisateur pour enregistrer le message hors connexion.
ews-url-not-seen = Aucune URL EWS dans les journaux du client : le client n'a peut-être jamais trouvé Exchange (découverte automatique).
    .plain = Le client n'a jamais trouvé la boîte aux lettres de l'utilisateur : il n'a nulle part où enregistrer les messages hors connexion.
ews-ok = URL EWS vue ({ $urls }) et aucune requête EWS/découverte automatique n'a échoué.
ews-recovered = URL EWS vue ({ $urls }) ; { $recovered ->
        [one] 1 requête EWS/découverte automatique en échec a été suivie
       *[other] { $recovered } requêtes EWS/découverte automatique en échec ont été suivies
    } d'une réussite sur le même point de terminaison, et la dernière requête de chaque point de terminaison a réussi.
ews-auth-handshake-only = URL EWS vue ({ $urls }) ; { $handshakes ->
        [one] 1 demande d'authentification HTTP 401, suivie
       *[other] { $handshakes } demandes d'authentification HTTP 401, chacune suivie
    } d'une réussite sur le même point de terminaison : c'est l'échange de l'authentification Windows (Negotiate/NTLM), pas un échec.
step-ews-throttled-wait = Rien à changer sur cet ordinateur : le client réessaie après le délai demandé ; vérifiez que les messages quittent le dossier History Spooler ({ $command }).
step-ews-throttled-budget = Si cela se répète : une autre application EWS qui utilise la même boîte aux lettres peut épuiser le budget de l'utilisateur ; en local, lisez { $association } et { $policy } ({ $settings }) ; Exchange Online n'offre pas d'applet de commande de limitation (support Microsoft).
step-ews-sign-in-again = Faites déconnecter l'utilisateur de Skype Entreprise, supprimez ses informations d'identification enregistrées (Panneau de configuration > Gestionnaire d'identification) et faites-le se reconnecter.
step-ews-allowed = Vérifiez qu'EWS est autorisé pour cette boîte aux lettres et son organisation ({ $cmdlet } et les paramètres EWS de l'organisation).
step-ews-open-in-browser = Ouvrez { $url } dans un navigateur sur l'ordinateur de l'utilisateur et connectez-vous avec son compte.
step-ews-test-on-premises = Testez EWS côté Exchange avec { $cmdlet } (Exchange local) ou l'Analyseur de connectivité à distance ({ $analyzer }).
step-ews-test-online = Testez EWS pour cette boîte aux lettres avec l'Analyseur de connectivité à distance de Microsoft ({ $analyzer }, tests Microsoft 365) ; l'authentification de base est désactivée dans Exchange Online, se connecter à l'adresse EWS dans un navigateur ne prouve donc rien.
step-ews-see-exchange-online = La boîte aux lettres est dans Exchange Online : voir { $check } pour la mise hors service d'EWS.
step-ews-allow-adal = EWS a proposé l'authentification moderne (WWW-Authenticate : { $challenge }) : avec Skype Entreprise Server en local (hybride), le client ne l'utilise pour EWS qu'avec { $policy } = 1 ({ $key }, ou dans la stratégie client : { $entry } ajouté à la stratégie client de l'utilisateur avec { $set }) ; { $registry ->
        [read] la stratégie du Registre ne le définit pas : vérifiez la stratégie client.
       *[unread] vérifiez-le sur l'ordinateur de l'utilisateur et dans la stratégie client.
    }
step-ews-capture-challenge = Le journal ne montre pas l'en-tête WWW-Authenticate de la réponse qui refuse : s'il propose Bearer (authentification moderne), un paramètre client hybride manque peut-être (capturez les en-têtes de réponse, par exemple avec { $probe } ou une trace Fiddler).
step-ews-response-code = Exchange a répondu et refusé la requête avec { $codes }{ $message ->
        [none] {""}
       *[other] {" "}(« { $message } »)
    } : cherchez ce code dans la référence ResponseCode d'EWS de Microsoft ({ $url }) ; ce n'est pas un problème de réseau ni de DNS.
step-ews-check-autodiscover = Vérifiez les enregistrements DNS de découverte automatique du domaine SMTP de l'utilisateur ({ $host } et l'enregistrement SRV { $srv }), le proxy et les informations d'identification.
step-ews-configuration-information = Maintenez Ctrl enfoncée, cliquez avec le bouton droit sur l'icône de Skype Entreprise dans la zone de notification > Configuration Information (libellés du client en anglais), et lisez « EWS Internal URL », « EWS External URL » et « EWS Information ».
step-ews-fix-autodiscover = S'ils sont vides, corrigez le DNS de découverte automatique du domaine SMTP de l'utilisateur, puis faites déconnecter et reconnecter l'utilisateur.

# (end of ews-access)

## offline-im-activity

offline-no-logs = Aucun journal du client n'a été lu.
offline-failures = { $failures ->
        [one] 1 échec de message hors connexion
       *[other] { $failures } échecs de messages hors connexion
    } sur { $events ->
        [one] 1 événement de message hors connexion
       *[other] { $events } événements de messages hors connexion
    } dans les journaux du client.
    .plain = Les journaux du client montrent des messages hors connexion qui n'ont pas pu être enregistrés.
offline-events = { $events ->
        [one] 1 événement de message hors connexion
       *[other] { $events } événements de messages hors connexion
    }, aucun échec.
offline-no-text-events = Aucune ligne de message hors connexion dans les journaux texte, ce qui ne prouve rien : le client consigne le traitement des messages hors connexion dans sa trace ETL, { $traces ->
        [0] et aucune trace .etl n'a été trouvée.
        [one] 1 fichier .etl ci-dessous (heures et nombres lus, texte des messages non décodé){ $stuck ->
            [none] .
           *[some] { $covering ->
                [0] ; il ne contient pas d'événements d'avant à après les messages bloqués : aucune trace ne les couvre.
               *[other] ; il contient des événements d'avant à après les messages bloqués.
            }
        }
       *[other] { $traces } fichiers .etl ci-dessous (heures et nombres lus, texte des messages non décodé){ $stuck ->
            [none] .
           *[some] ; { $covering } d'entre eux contiennent des événements d'avant à après les messages bloqués{ $covering ->
                [0] : aucune trace ne les couvre.
               *[other] .
            }
        }
    }
step-offline-read-timeline = Lisez la chronologie pour voir ce qui a échoué en premier : les échecs suivent en général un problème d'EWS ou de stratégie qu'une autre vérification nomme. Corrigez-le, redémarrez le client et envoyez un message instantané hors connexion de test à un collègue déconnecté.
step-offline-send-traces = Envoyez la ou les traces .etl avec ce rapport à qui peut les décoder (le support Microsoft) : elles contiennent le traitement des messages hors connexion que le journal texte omet.

# (end of offline-im-activity)

## client-logs

logs-unread-place = { $path } ({ $why })
logs-folder-absent = { $path } (absent)
logs-read = { $read ->
        [one] 1 fichier journal du client lu
       *[other] { $read } fichiers journaux du client lus
    } ({ $entries ->
        [one] 1 entrée
       *[other] { $entries } entrées
    }){ $traces ->
        [0] {""}
        [one] , 1 trace ETL inventoriée
       *[other] , { $traces } traces ETL inventoriées
    }{ $level ->
        [full] {""}
       *[other] ; { $setting } vaut { $level }, pas Full : le journal peut omettre le trafic EWS
    }.
logs-partly-unreadable = { $read ->
        [one] 1 fichier journal du client lu
       *[other] { $read } fichiers journaux du client lus
    }, mais { $count ->
        [one] 1 n'a pas pu l'être
       *[other] { $count } n'ont pas pu l'être
    } : { $unread }.
    .plain = Une partie des journaux du client n'a pas pu être lue : la réponse peut manquer ce qu'ils contiennent.
logs-tracing-off = Aucun journal du client, et le Registre dit pourquoi : { $setting } vaut 0 sous { $key } (journalisation désactivée).
    .plain = La journalisation de Skype Entreprise est désactivée sur cet ordinateur : rien n'a été consigné.
logs-unreadable = { $count ->
        [0] Des fichiers journaux du client existent mais aucun n'a pu être lu.
       *[other] Impossible de lire les journaux du client : { $unread }.
    }
    .plain = Les journaux du client n'ont pas pu être lus : il n'y a aucune trace de ce qui s'est passé.
logs-missing = Aucun journal du client { $log } trouvé (recherché dans { $searched ->
        [0] aucun dossier Tracing
       *[other] { $folders }
    }) : la journalisation est probablement désactivée.
    .plain = Aucun journal de Skype Entreprise n'a été trouvé : la journalisation est probablement désactivée, il n'y a donc aucune trace de ce qui s'est passé.
step-logs-run-as-user = Exécutez l'outil en tant que l'utilisateur qui se connecte à Skype Entreprise, ou copiez le dossier Tracing avec les droits de cet utilisateur.
step-logs-links-are-not-logs = Un journal qui est un lien ou un canal nommé n'est pas celui du client : copiez les vrais fichiers.
step-logs-full = Pour un journal complet, réglez Options > General > Logging in Skype for Business sur Full (libellés du client en anglais ; TracingLevel FULL), déconnectez-vous puis reconnectez-vous, et reproduisez le problème.
step-logs-turn-on = Activez la journalisation : dans Skype Entreprise, Options > General > Logging in Skype for Business : Full (libellés du client en anglais ; règle EnableTracing à 1 et TracingLevel à FULL ; ou { $cmdlet }), déconnectez-vous puis reconnectez-vous, reproduisez l'échec du message hors connexion, puis relancez cet outil.

# (end of client-logs)

## drafts-known-issue

drafts-build-unknown = Build du client inconnu : le problème connu du dossier Brouillons ne peut pas être écarté.
drafts-affected = Le build { $build } avec une boîte aux lettres locale est antérieur à { $fix } ({ $date }) : les messages hors connexion peuvent échouer et remplir le dossier Brouillons.
    .plain = Avec ce Skype Entreprise ancien et une boîte aux lettres Exchange local, les messages hors connexion peuvent échouer et s'accumuler dans le dossier Brouillons.
drafts-fixed = Le build { $build } contient le correctif du { $date } pour le dossier Brouillons ({ $fix }).
drafts-online-not-affected = Le problème connu du dossier Brouillons ne touche que les boîtes aux lettres locales ; celle-ci est dans Exchange Online.
drafts-mailbox-unknown = Emplacement de la boîte aux lettres inconnu ; le problème du dossier Brouillons touche les boîtes aux lettres locales avec un build antérieur à { $fix }{ $this ->
        [affected] , ce qui est le cas de ce build.
       *[fixed] , et ce build a le correctif.
    }
step-drafts-update = Mettez à jour le client vers { $build } ou ultérieur.

# (end of drafts-known-issue)

## client-support

support-m365-connectivity-ended = { $count ->
        [one] { $names } est
       *[other] Ce client peut être { $names } ; dans tous les cas c'est
    } un client de l'époque Office 2016/2019 et la boîte aux lettres est dans Exchange Online : le support de la connexion de ces clients aux services Microsoft 365 a pris fin le { $end }{ $ended ->
        [yes] , et le produit lui-même a dépassé sa fin de support.
       *[no] .
    }
    .plain = Microsoft ne prend plus en charge ce Skype Entreprise avec Exchange Online : des problèmes comme les messages hors connexion non remis ne seront pas corrigés pour lui.
support-ended = { $count ->
        [one] { $names } a dépassé sa fin de support au { $now }{ $ended ->
            [none] {""}
           *[other] {" "}(fin le { $ended })
        } : plus de correctifs de sécurité ni de bogues, et Microsoft n'aide plus pour des problèmes comme la messagerie instantanée hors connexion.
       *[other] Ce client peut être { $names } ; dans tous les cas il a dépassé sa fin de support au { $now }.
    }
    .plain = Ce Skype Entreprise a dépassé sa fin de support : Microsoft ne le corrige plus, messages hors connexion compris.
support-current = { $how ->
        [until] { $names } est pris en charge jusqu'au { $day }.
        [serviced] { $names } : son canal servait encore cette version le { $day }, d'après la liste de maintenance la plus récente de cet outil ; gardez-le à jour.
        [supported] { $names } est pris en charge.
       *[either] Ce client peut être { $names } ; dans tous les cas il est pris en charge au { $now }.
    }
support-products-disagree = Le produit ne peut pas être déterminé d'après ce qui a été vu : ce peut être { $names }, et leur support diffère au { $now }.
support-product-unknown = { $count ->
        [0] Le produit ne peut pas être déterminé : ni registre Démarrer en un clic, ni lync.exe, ni build du client.
       *[other] Le support de { $names } ne peut pas être jugé d'après ce qui a été vu.
    }
step-support-upgrade = Passez l'utilisateur à un client pris en charge : { $ltsc } (Office LTSC 2024{ $until ->
        [none] {""}
       *[other] , pris en charge jusqu'au { $until }
    }) ou Microsoft 365 Apps sur un canal qui sert encore sa version, déployé avec l'Outil de déploiement d'Office (Démarrer en un clic).
step-support-identify = Exécutez l'outil sur l'ordinateur de l'utilisateur (il lit ProductReleaseIds et le canal de mise à jour dans le registre Démarrer en un clic), ou regardez dans Panneau de configuration > Programmes quel produit Office est installé.
step-support-pass-version = Passez { $option } (la version du fichier lync.exe), ou exécutez l'outil sur l'ordinateur de l'utilisateur pour qu'il lise le registre Démarrer en un clic.

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
    .plain = Exchange Online ne permet plus à ce client d'utiliser EWS : les messages hors connexion ne peuvent pas être enregistrés.
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
step-exo-read-app-ids = Administrateur Exchange Online : lisez d'abord la liste avec { $cmdlet }, car { $set } remplace toute la liste.
step-exo-add-app-id = Ajoutez l'ID d'application du client Skype Entreprise (rapport d'utilisation EWS du locataire, journaux de connexion Microsoft Entra ; des sources communautaires citent { $office }, « Microsoft Office ») ; comptez jusqu'à 24 heures.
step-exo-user-agents = Si { $policy } vaut { $allow-policy }, gardez { $patterns } dans { $allow-list } : les deux listes doivent laisser passer le client.
step-exo-until-end = EWS n'est ainsi gardé que jusqu'au { $end } : ensuite, il faudra une boîte aux lettres locale ou Teams.
step-exo-ask-settings = Demandez à l'administrateur Exchange Online la sortie de { $org-cmdlet } et de { $mailbox-cmdlet }, et passez-la avec { $option }.
step-exo-usage-report = Demandez à l'administrateur quel ID d'application utilise le client Skype Entreprise, d'après le rapport d'utilisation EWS du locataire.
step-exo-plan-end = Préparez-vous pour le { $end } : EWS dans Exchange Online s'arrête alors, et avec lui les messages hors connexion vers les boîtes aux lettres Exchange Online.
step-exo-capture-headers = Capturez les en-têtes de réponse EWS (la trace HTTP du journal du client, ou { $probe } depuis cet ordinateur) et cherchez { $header }.

# (end of exchange-online-ews)

## ews-reachability

reach-answer = { $url } a répondu HTTP { $status } en TLS approuvé ({ $path })
probe-not-run = Pas de test réseau : exécutez avec { $option } pour vérifier depuis cet ordinateur si le client peut joindre EWS (n'envoie aucune information d'identification).
probe-nothing-to-probe = Rien à tester : aucun domaine SIP dans les profils et aucune URL EWS dans les journaux.
probe-autodiscover-only-answered = Aucune URL EWS connue (aucune dans les journaux) ; la découverte automatique a répondu depuis cet ordinateur ({ $urls }) : le client peut donc trouver EWS après la connexion.
probe-autodiscover-only-failed = Aucune URL EWS connue, et la découverte automatique a échoué de toutes les façons que le client essaie pour { $domains } : le client ne peut pas trouver EWS depuis cet ordinateur.
    .plain = Depuis cet ordinateur, le client ne trouve pas le serveur qui héberge la boîte aux lettres de l'utilisateur.
probe-ews-answered = EWS est joignable depuis cet ordinateur : { $answer }.
probe-autodiscover-failed = EWS est joignable ({ $answer }), mais la découverte automatique a échoué de toutes les façons que le client essaie pour { $domains } : un client sans URL EWS en cache ne peut pas le trouver.
    .plain = Le serveur de messagerie répond depuis cet ordinateur, mais un client qui ne connaît pas déjà son adresse ne peut pas le trouver.
probe-ews-name-not-found = EWS n'est pas joignable depuis cet ordinateur : { $url ->
        [none] aucune URL EWS
       *[other] { $url }
    } : { $detail ->
        [none] pas de réponse
       *[other] { $detail }
    }.
    .plain = Cet ordinateur ne trouve pas le nom du serveur de messagerie dans le DNS.
probe-ews-connect-failed = { probe-ews-name-not-found }
    .plain = Rien ne répond à l'adresse du serveur de messagerie depuis cet ordinateur.
probe-ews-timed-out = { probe-ews-name-not-found }
    .plain = Le serveur de messagerie n'a pas répondu à temps à cet ordinateur.
probe-ews-proxy-refused = { probe-ews-name-not-found }
    .plain = Le proxy ne laisse pas cet ordinateur joindre le serveur de messagerie.
probe-ews-certificate-untrusted = { probe-ews-name-not-found }
    .plain = Cet ordinateur n'approuve pas le certificat du serveur de messagerie.
probe-ews-certificate-wrong-name = { probe-ews-name-not-found }
    .plain = Le certificat du serveur de messagerie ne porte pas le nom qu'utilise le client.
probe-ews-certificate-expired = { probe-ews-name-not-found }
    .plain = Le certificat du serveur de messagerie a expiré ou n'est pas valide.
probe-ews-server-error = { probe-ews-name-not-found }
    .plain = Le serveur de messagerie répond à cet ordinateur par une erreur.
probe-ews-unreachable = { probe-ews-name-not-found }
    .plain = Cet ordinateur ne peut pas joindre le serveur de messagerie.
step-reach-publish-autodiscover = Publiez la découverte automatique pour le domaine SIP là où le client la cherche : un nom DNS { $host } (ou le domaine lui-même) qui répond en HTTPS avec un certificat portant ce nom, ou un enregistrement SRV { $srv } pointant vers l'hôte de découverte automatique d'Exchange.
step-probe-ews-name-not-found = Cet ordinateur ne résout pas le nom d'hôte EWS : ajoutez l'enregistrement à la zone DNS qu'il utilise (DNS interne ou fractionné), ou vérifiez le VPN qui la fournit.
step-probe-ews-connect-failed = Rien n'accepte HTTPS à l'adresse EWS depuis cet ordinateur : vérifiez que le serveur Exchange ou l'équilibreur de charge y écoute sur le port 443 et qu'aucun pare-feu ne rejette la connexion.
step-probe-ews-timed-out = Le serveur EWS n'a pas répondu à temps : un pare-feu rejette peut-être les paquets, ou ce réseau impose le proxy ; vérifiez la route de cet ordinateur vers le port 443 de l'hôte EWS.
step-probe-ews-proxy-refused = Le proxy ne laisse pas passer la connexion à EWS : autorisez l'hôte EWS sur le proxy (CONNECT vers le port 443), ou ajoutez-le à la liste d'exclusion du proxy (ProxyOverride) pour que le client y aille directement.
step-probe-ews-certificate-untrusted = Cet ordinateur n'approuve pas l'émetteur du certificat EWS : déployez l'autorité de certification émettrice (racine et intermédiaires) dans le magasin de certificats Windows, par exemple par stratégie de groupe, ou utilisez un certificat d'une autorité que les ordinateurs approuvent.
step-probe-ews-certificate-wrong-name = Le certificat EWS ne porte pas le nom d'hôte EWS : émettez un certificat qui l'inclut, ou définissez l'URL EWS ({ $cmdlet }) sur un nom du certificat.
step-probe-ews-certificate-expired = Remplacez le certificat EWS du serveur Exchange ou de l'équilibreur de charge par un certificat valide (et vérifiez l'horloge de cet ordinateur).
step-probe-ews-server-error = EWS répond par une erreur du serveur : vérifiez le répertoire virtuel EWS d'Exchange et son pool d'applications (MSExchangeServicesAppPool), et les sondes d'intégrité de l'équilibreur de charge.
step-probe-ews-unreachable = Ouvrez l'URL EWS depuis cet ordinateur dans un navigateur (elle doit demander des informations d'identification) et vérifiez le chemin réseau jusqu'à elle.

# (end of ews-reachability)

## offline-im-recipients

recipients-within = dans l'organisation, un message hors connexion remis arrive comme courrier de classe IM.Note.MissedConversation, dans le dossier Conversations manquées d'Outlook et dans l'Historique des conversations (la liste des conversations récentes de Skype Entreprise)
recipients-across = envoyé à une organisation fédérée, il arrive comme simple courrier dans la boîte de réception du destinataire, pas dans Conversations manquées ni dans l'Historique des conversations
recipients-cannot-check = le côté du destinataire ne peut pas être vérifié depuis l'ordinateur de l'expéditeur
recipients-none-seen = Aucun destinataire vu (aucun message en attente ni message instantané envoyé dans les journaux n'en nomme) : l'endroit où arrive un message hors connexion remis dépend du destinataire.
recipients-same-org = { $inside ->
        [one] 1 destinataire vu, dans l'organisation
       *[other] { $inside } destinataires vus, tous dans l'organisation
    } : { recipients-within } ; { recipients-cannot-check }.
recipients-federated = { $known ->
        [pasted] { $inside ->
            [one] 1 destinataire
           *[other] { $inside } destinataires
        } dans l'organisation, { $outside } fédéré(s) ({ $addresses }) : { recipients-across } ; { recipients-cannot-check }.
       *[sender] { $inside ->
            [one] 1 destinataire
           *[other] { $inside } destinataires
        } dans le domaine SIP de l'expéditeur, { $outside } probablement fédéré(s) ({ $addresses }) : { recipients-across } ; seul le domaine de l'expéditeur est connu, { $cmdlet } dit quels domaines sont ceux de l'organisation ; { recipients-cannot-check }.
    }
recipient-side-note = non vérifiable depuis l'ordinateur de l'expéditeur (Microsoft : « il n'existe aucun mécanisme permettant de vérifier si le destinataire est en mesure de recevoir des messages hors connexion ») ; un message remis arrive dans Conversations manquées et l'Historique des conversations dans l'organisation, dans la boîte de réception en fédération

# (end of offline-im-recipients)

## steps: Steps shared by several checks (step-*)

step-update-now = Dans le client : Fichier > Compte Office > Options de mise à jour > Mettre à jour, ou placez l'ordinateur sur un canal de mise à jour Démarrer en un clic pris en charge dans votre déploiement d'Office.

# (end of steps)

## diagnosis: The diagnosis (diagnosis-*, symptom-*)

diagnosis-unexplained-failure = { $checks } { $count ->
        [one] a échoué
       *[other] ont échoué
    }, mais aucune vérification n'a trouvé pourquoi : la cause est hors de ce que cette exécution pouvait voir.
diagnosis-all-clear = Aucune vérification n'a échoué ni averti : rien de ce qui a été vu n'empêche la messagerie instantanée hors connexion{ $skipped ->
        [0] .
       *[other] {" "}({ $checks } sans données à juger).
    }
diagnosis-warnings-only = Aucune vérification n'a échoué ; { $count ->
        [one] 1 a averti
       *[other] { $count } ont averti
    } : { $checks }.
diagnosis-read-evidence = Lisez les éléments de { $check } (-v les affiche).
diagnosis-read-failing = Lisez les vérifications en échec (-v affiche leurs éléments).
diagnosis-read-warnings = Lisez les avertissements (-v affiche leurs éléments).
diagnosis-find-cause = Trouvez la cause : { $summary }
diagnosis-rule-out = Pour écarter aussi { $check } : { $summary }
diagnosis-nothing-to-fix = Rien à corriger. Si un message hors connexion échoue encore, reproduisez-le avec la journalisation du client activée et relancez cet outil.
diagnosis-step = { $step }
# The symptoms a cause explains, as data/causes.toml words them.
symptom-spooler-stuck = messages bloqués dans History Spooler
symptom-offline-im-activity = échecs d'envoi dans le journal
symptom-ews-access = requêtes EWS en échec dans le journal

# (end of diagnosis)

## report: Words of the table, Markdown and HTML reports (ui-*)

ui-title = Diagnostic des messages hors connexion : { $verdict }
ui-machine = Ordinateur
ui-log-times = Journaux
ui-user = Utilisateur
ui-as-of = Date
ui-client = Client
ui-mailbox = Messagerie
ui-profile = Profil
ui-watch = Suivi
ui-message = Message
ui-recipient = Destinataire
ui-cause = Cause
ui-finding = Constat
ui-explains = Explique
ui-next-steps = Étapes suivantes
ui-also = Aussi
ui-checks = Vérifications
ui-status = État
ui-check = Vérification
ui-summary = Résumé
ui-files = Fichiers
ui-evidence = Éléments
ui-details = Détails
ui-timeline = Chronologie ({ $shown } derniers événements sur { $total }, UTC)
ui-no-time = (sans heure)
ui-fix = Correction
ui-fix-next-steps = les étapes suivantes ci-dessus
ui-more-evidence = ... { $count } de plus (-v affiche tous les éléments)
ui-follows-from = découle de { $cause }
ui-same-update = la mise à jour pour { $check } le corrige aussi
ui-then = Ensuite { $check } ({ $status })
ui-passed = Réussies : { $checks }
ui-skipped = Non jugées : { $checks }
ui-recap = { $verdict } : { $step }
ui-recap-no-step = { $verdict } : rien à faire.
ui-verbose-hint = -v affiche les éléments, la chronologie et toutes les vérifications.
ui-copied-folder = inconnu : un dossier copié
ui-time-zone = fuseau horaire { $zone }
ui-log-times-read = UTC{ $offset }, { $why }
ui-offset-assumed = fuseau supposé ({ $option } le définit)
ui-offset-option = d'après { $option }
ui-unknown-build = build inconnu
ui-from = d'après { $source }
ui-install = installation { $install }
ui-channel = canal { $channel }
ui-ews = { $url }
ui-profile-line = { $address } ({ $version }) : { $spooled } en attente, { $stuck ->
        [one] 1 bloqué
       *[other] { $stuck } bloqués
    }{ $oldest ->
        [none] {""}
       *[other] , le plus ancien { $oldest }
    }

ui-install-click-to-run = Démarrer en un clic
ui-install-msi = MSI
ui-install-unknown = inconnue
ui-mailbox-online = Exchange Online
ui-mailbox-on-premises = Exchange local
ui-mailbox-unknown = inconnue
ui-source-option = --client-version
ui-source-registry = le Registre
ui-source-lync-exe = lync.exe
ui-source-log = le journal
ui-source-etl-name = le nom d'une trace ETL

ui-any-of = { $head } ou { $last }

# (end of report)
