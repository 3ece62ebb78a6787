<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr_FR" sourcelanguage="en">
<context>
    <name>OpenDataProvider</name>
    <message>
        <location filename="../opendata_publisher/processing/provider.py" line="37"/>
        <source>Open data publisher</source>
        <translation>Données ouvertes</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/processing/provider.py" line="40"/>
        <source>Open data publisher {version}</source>
        <translation>Données ouvertes (Open Data Publisher {version})</translation>
    </message>
</context>
<context>
    <name>OpenDataPublisherPlugin</name>
    <message>
        <location filename="../opendata_publisher/plugin_main.py" line="130"/>
        <source>Open data</source>
        <translation>Données ouvertes</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/plugin_main.py" line="82"/>
        <source>Open data: check a layer against a data schema before publishing it</source>
        <translation>Données ouvertes : vérifier une couche avec un schéma de données avant de la publier</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/plugin_main.py" line="88"/>
        <source>Settings…</source>
        <translation>Paramètres…</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/plugin_main.py" line="130"/>
        <source>The Open data panel could not be created. Look at the « Open Data Publisher » tab of the message log for the reason, then reinstall the plugin.</source>
        <translation>Le panneau Données ouvertes n'a pas pu être créé. La raison est indiquée dans l'onglet « Open Data Publisher » du journal des messages ; réinstallez ensuite l'extension.</translation>
    </message>
</context>
<context>
    <name>OptionsPage</name>
    <message>
        <location filename="../opendata_publisher/gui/options_page.py" line="69"/>
        <source>Schema catalogue</source>
        <translation>Catalogue de schémas</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/options_page.py" line="74"/>
        <source>Address of the list of data schemas (schema.data.gouv.fr format). Change it only if your organisation publishes its own catalogue.</source>
        <translation>Adresse de la liste des schémas de données (format de schema.data.gouv.fr). Ne la changez que si votre organisation publie son propre catalogue.</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/options_page.py" line="80"/>
        <source>Reset</source>
        <translation>Réinitialiser</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/options_page.py" line="82"/>
        <source>Go back to the schema.data.gouv.fr catalogue</source>
        <translation>Revenir au catalogue de schema.data.gouv.fr</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/options_page.py" line="87"/>
        <source>Catalogue URL</source>
        <translation>Adresse du catalogue</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/options_page.py" line="92"/>
        <source>Folder for downloaded schemas</source>
        <translation>Dossier des schémas téléchargés</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/options_page.py" line="94"/>
        <source>Downloaded catalogue and schemas are kept here so checks also work without Internet. Leave empty to use the QGIS profile folder.</source>
        <translation>Le catalogue et les schémas téléchargés sont conservés ici pour que les vérifications fonctionnent aussi sans Internet. Laissez vide pour utiliser le dossier du profil QGIS.</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/options_page.py" line="214"/>
        <source>Clear cache</source>
        <translation>Vider le cache</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/options_page.py" line="102"/>
        <source>Delete the downloaded catalogue and schemas; they are downloaded again when needed</source>
        <translation>Supprimer le catalogue et les schémas téléchargés ; ils seront de nouveau téléchargés au besoin</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/options_page.py" line="109"/>
        <source>Cache folder</source>
        <translation>Dossier du cache</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/options_page.py" line="116"/>
        <source>Network</source>
        <translation>Réseau</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/options_page.py" line="121"/>
        <source> s</source>
        <translation> s</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/options_page.py" line="122"/>
        <source>How long to wait for a server before giving up. Increase it on a slow connection.</source>
        <translation>Durée d'attente d'une réponse du serveur avant d'abandonner. Augmentez-la si la connexion est lente.</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/options_page.py" line="125"/>
        <source>Timeout</source>
        <translation>Délai d'attente</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/options_page.py" line="126"/>
        <source>Proxy and certificates are those of QGIS (Settings &gt; Options &gt; Network and Authentication).</source>
        <translation>Le proxy et les certificats sont ceux de QGIS (Préférences &gt; Options &gt; Réseau et Authentification).</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/options_page.py" line="134"/>
        <source>Checks</source>
        <translation>Vérifications</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/options_page.py" line="136"/>
        <source>Check only the selected features by default</source>
        <translation>Vérifier par défaut les entités sélectionnées uniquement</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/options_page.py" line="139"/>
        <source>Write debug messages to the message log</source>
        <translation>Écrire les messages de débogage dans le journal des messages</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/options_page.py" line="141"/>
        <source>Useful to report a problem: details appear in the « Open Data Publisher » tab of the log.</source>
        <translation>Utile pour signaler un problème : les détails apparaissent dans l'onglet « Open Data Publisher » du journal.</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/options_page.py" line="172"/>
        <source>Some settings are set by environment variables and cannot be changed here: {names}.</source>
        <translation>Certains paramètres sont imposés par des variables d'environnement et ne peuvent pas être modifiés ici : {names}.</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/options_page.py" line="214"/>
        <source>Delete the downloaded catalogue and schemas in {folder}?
They will be downloaded again at the next check (Internet needed).</source>
        <translation>Supprimer le catalogue et les schémas téléchargés dans {folder} ?
Ils seront de nouveau téléchargés à la prochaine vérification (Internet nécessaire).</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/options_page.py" line="230"/>
        <source>Cache cleared: {count} file(s) deleted.</source>
        <translation>Cache vidé : {count} fichier(s) supprimé(s).</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/options_page.py" line="244"/>
        <source>Open data</source>
        <translation>Données ouvertes</translation>
    </message>
</context>
</TS>
