<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr_FR" sourcelanguage="en">
<context>
    <name>CheckPage</name>
    <message>
        <location filename="../opendata_publisher/gui/check_page.py" line="101"/>
        <source>Layer</source>
        <translation>Couche</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/check_page.py" line="104"/>
        <source>The layer (or table) to check</source>
        <translation>La couche (ou la table) à vérifier</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/check_page.py" line="106"/>
        <source>Selected features only</source>
        <translation>Entités sélectionnées uniquement</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/check_page.py" line="108"/>
        <source>Check only the features selected on the map</source>
        <translation>Vérifier uniquement les entités sélectionnées sur la carte</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/check_page.py" line="257"/>
        <source>Choose a layer and a schema, then click « Check ».</source>
        <translation>Choisissez une couche et un schéma, puis cliquez sur « Vérifier ».</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/check_page.py" line="291"/>
        <source>Choose the layer to check first.</source>
        <translation>Choisissez d'abord la couche à vérifier.</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/check_page.py" line="298"/>
        <source>No feature of « {layer} » is selected. Select features on the map, or untick « Selected features only ».</source>
        <translation>Aucune entité de « {layer} » n'est sélectionnée. Sélectionnez des entités sur la carte, ou décochez « Entités sélectionnées uniquement ».</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/check_page.py" line="310"/>
        <source>The layer « {layer} » cannot be read ({error}). Check that its file is still there.</source>
        <translation>La couche « {layer} » ne peut pas être lue ({error}). Vérifiez que son fichier existe toujours.</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/check_page.py" line="323"/>
        <source>Checking « {layer} »…</source>
        <translation>Vérification de « {layer} »…</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/check_page.py" line="378"/>
        <source>Check cancelled: click « Check » to start it again.</source>
        <translation>Vérification annulée : cliquez sur « Vérifier » pour la relancer.</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/check_page.py" line="454"/>
        <source>The checked layer is no longer in the project: check again.</source>
        <translation>La couche vérifiée n'est plus dans le projet : relancez la vérification.</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/check_page.py" line="458"/>
        <source>{n} features in error are selected on « {layer} »: open its attribute table with « Show selected features » to fix them.</source>
        <translation>{n} entités en erreur sont sélectionnées dans « {layer} » : ouvrez sa table d'attributs avec « Afficher les entités sélectionnées » pour les corriger.</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/check_page.py" line="474"/>
        <source>Choose the layer first.</source>
        <translation>Choisissez d'abord la couche.</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/check_page.py" line="259"/>
        <source>« {layer} » has not been checked in this session: click « Check ».</source>
        <translation>« {layer} » n'a pas encore été vérifiée pendant cette session : cliquez sur « Vérifier ».</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/check_page.py" line="515"/>
        <source>Select a problem on one value of one feature first.</source>
        <translation>Choisissez d'abord un problème portant sur une valeur d'une entité.</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/check_page.py" line="537"/>
        <source>Value saved in « {layer} » (edit mode): save the layer's edits to write it to the file.</source>
        <translation>Valeur enregistrée dans « {layer} » (mode édition) : enregistrez les modifications de la couche pour l'écrire dans le fichier.</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/check_page.py" line="540"/>
        <source>Feature deleted from « {layer} » (edit mode): save the layer's edits to confirm.</source>
        <translation>Entité supprimée de « {layer} » (mode édition) : enregistrez les modifications de la couche pour confirmer.</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/check_page.py" line="545"/>
        <source>Feature removed from the selection of « {layer} ».</source>
        <translation>Entité retirée de la sélection de « {layer} ».</translation>
    </message>
</context>
<context>
    <name>CheckProfileAlgorithm</name>
    <message>
        <location filename="../opendata_publisher/processing/check_profile.py" line="42"/>
        <source>Check a shared profile of the territory</source>
        <translation>Vérifier un profil partagé du territoire</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/processing/check_profile.py" line="45"/>
        <source>Check</source>
        <translation>Vérifier</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/processing/check_profile.py" line="51"/>
        <source>For the SIG team who writes the shared profile of the metropolis and its communes (the common open data language): checks the profile file against its JSON Schema (metadata/profile.schema.json), every SIREN key, every commune&apos;s INSEE code and name against the official list of communes, the portals each member&apos;s organisation refers to, the licence, frequency and theme codes and the placeholders of the naming rules.
INPUT is a path or an http(s) URL; left empty, the shared profile configured in the plugin settings is checked. With CHECK_PORTALS, each shared portal is asked a light public request (no key).
The algorithm fails (non-zero exit status in qgis_process) when the profile is not valid; the JSON report lists every problem either way.</source>
        <translation>Pour le service SIG qui rédige le profil partagé de la métropole et de ses communes (le langage commun de la donnée ouverte) : vérifie le fichier avec son schéma JSON (metadata/profile.schema.json), chaque clé de SIREN, le code INSEE et le nom de chaque commune dans la liste officielle des communes, les portails auxquels renvoient les organisations des membres, les codes de licence, de fréquence et de thème, et les repères des conventions de nommage.
INPUT est un chemin ou une adresse http(s) ; laissé vide, c'est le profil partagé configuré dans les réglages de l'extension qui est vérifié. Avec CHECK_PORTALS, chaque portail partagé reçoit une requête publique légère (sans clé).
L'algorithme échoue (code de sortie non nul dans qgis_process) quand le profil n'est pas valide ; le rapport JSON liste tous les problèmes dans tous les cas.</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/processing/check_profile.py" line="64"/>
        <source>Profile (path or URL; empty = the configured profile)</source>
        <translation>Profil (chemin ou adresse ; vide = le profil configuré)</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/processing/check_profile.py" line="69"/>
        <source>Check that each portal answers</source>
        <translation>Vérifier que chaque portail répond</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/processing/check_profile.py" line="72"/>
        <source>Report (JSON)</source>
        <translation>Rapport (JSON)</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/processing/check_profile.py" line="72"/>
        <source>JSON files (*.json)</source>
        <translation>Fichiers JSON (*.json)</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/processing/check_profile.py" line="77"/>
        <source>1 when the profile is valid</source>
        <translation>1 si le profil est valide</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/processing/check_profile.py" line="78"/>
        <source>Number of problems</source>
        <translation>Nombre de problèmes</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/processing/check_profile.py" line="79"/>
        <source>Profile name and version</source>
        <translation>Nom et version du profil</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/processing/check_profile.py" line="80"/>
        <source>Number of members</source>
        <translation>Nombre de membres</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/processing/check_profile.py" line="91"/>
        <source>No profile given and no shared profile configured (Options › Données ouvertes, or the QGIS_OPENDATA_PUBLISHER_SHARED_PROFILE environment variable).</source>
        <translation>Aucun profil indiqué et aucun profil partagé configuré (Options › Données ouvertes, ou la variable d'environnement QGIS_OPENDATA_PUBLISHER_SHARED_PROFILE).</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/processing/check_profile.py" line="97"/>
        <source>Profile: {source}</source>
        <translation>Profil : {source}</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/processing/check_profile.py" line="112"/>
        <source>Official commune list unavailable: INSEE codes checked by shape only.</source>
        <translation>Liste officielle des communes indisponible : seule la forme des codes INSEE est vérifiée.</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/processing/check_profile.py" line="124"/>
        <source>Portal {name}: example address ({url}), not tried.</source>
        <translation>Portail {name} : adresse d'exemple ({url}), non essayée.</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/processing/check_profile.py" line="135"/>
        <source>Portal {name} answers.</source>
        <translation>Le portail {name} répond.</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/processing/check_profile.py" line="139"/>
        <source>Portal {name} ({url}) does not answer: {error}</source>
        <translation>Le portail {name} ({url}) ne répond pas : {error}</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/processing/check_profile.py" line="177"/>
        <source>The profile is not valid ({count} problem(s)):
{problems}</source>
        <translation>Le profil n'est pas valide ({count} problème(s)) :
{problems}</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/processing/check_profile.py" line="182"/>
        <source>Valid profile: {label}, {count} members.</source>
        <translation>Profil valide : {label}, {count} membres.</translation>
    </message>
</context>
<context>
    <name>CheckableCodeList</name>
    <message>
        <location filename="../opendata_publisher/gui/widgets/code_list.py" line="42"/>
        <source>Search…</source>
        <translation>Rechercher…</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/widgets/code_list.py" line="129"/>
        <source>Chosen: {items}</source>
        <translation>Choisis : {items}</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/widgets/code_list.py" line="131"/>
        <source>Nothing chosen.</source>
        <translation>Rien n'est choisi.</translation>
    </message>
</context>
<context>
    <name>ConformDialog</name>
    <message>
        <location filename="../opendata_publisher/gui/conform_dialog.py" line="143"/>
        <source>Make the layer conform to the schema</source>
        <translation>Rendre la couche conforme au schéma</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/conform_dialog.py" line="155"/>
        <source>A &lt;b&gt;new layer&lt;/b&gt; will follow the schema « {schema} » ({n} features from « {layer} »). &lt;b&gt;The layer « {layer} » is not modified.&lt;/b&gt; Tick the fixes to apply: each line says how many values change, with examples before → after.</source>
        <translation>Une &lt;b&gt;nouvelle couche&lt;/b&gt; conforme au schéma « {schema} » sera créée ({n} entités de « {layer} »). &lt;b&gt;La couche « {layer} » n'est pas modifiée.&lt;/b&gt; Cochez les corrections à appliquer : chaque ligne indique combien de valeurs changent, avec des exemples avant → après.</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/conform_dialog.py" line="170"/>
        <source>Fix</source>
        <translation>Correction</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/conform_dialog.py" line="170"/>
        <source>Changes</source>
        <translation>Modifications</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/conform_dialog.py" line="189"/>
        <source>Constant values (filled where the value is empty)</source>
        <translation>Valeurs constantes (utilisées là où la valeur est vide)</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/conform_dialog.py" line="198"/>
        <source>value for the {n} features without one</source>
        <translation>valeur pour les {n} entités qui n'en ont pas</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/conform_dialog.py" line="199"/>
        <source>{n} features have no value for « {field} ».</source>
        <translation>{n} entités n'ont pas de valeur pour « {field} ».</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/conform_dialog.py" line="201"/>
        <source>Proposed from the organisation profile ({what}).</source>
        <translation>Proposée à partir du profil de l'organisation ({what}).</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/conform_dialog.py" line="218"/>
        <source>New layer</source>
        <translation>Nouvelle couche</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/conform_dialog.py" line="220"/>
        <source>Temporary layer (lost when QGIS closes unless you save it)</source>
        <translation>Couche temporaire (perdue à la fermeture de QGIS si vous ne l'enregistrez pas)</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/conform_dialog.py" line="222"/>
        <source>GeoPackage file</source>
        <translation>Fichier GeoPackage</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/conform_dialog.py" line="231"/>
        <source>GeoPackage (*.gpkg)</source>
        <translation>GeoPackage (*.gpkg)</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/conform_dialog.py" line="239"/>
        <source>Coordinate system of the new layer: {crs}</source>
        <translation>Système de coordonnées de la nouvelle couche : {crs}</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/conform_dialog.py" line="248"/>
        <source>Create the conforming layer</source>
        <translation>Créer la couche conforme</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/conform_dialog.py" line="250"/>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/conform_dialog.py" line="285"/>
        <source>« {layer} » becomes « {name} »</source>
        <translation>« {layer} » devient « {name} »</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/conform_dialog.py" line="287"/>
        <source>Not kept (unknown to the schema): {names}</source>
        <translation>Non conservés (absents du schéma) : {names}</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/conform_dialog.py" line="298"/>
        <source>Added, empty unless filled below: {names}</source>
        <translation>Ajoutés, vides sauf s'ils sont remplis ci-dessous : {names}</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/conform_dialog.py" line="302"/>
        <source>Same fields as the schema: they are only put in its order.</source>
        <translation>Mêmes champs que le schéma : ils sont seulement remis dans son ordre.</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/conform_dialog.py" line="305"/>
        <source>Example: {example}</source>
        <translation>Exemple : {example}</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/conform_dialog.py" line="314"/>
        <source>Nothing to change in this layer.</source>
        <translation>Rien à modifier dans cette couche.</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/conform_dialog.py" line="320"/>
        <source>{n} geometries</source>
        <translation>{n} géométries</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/conform_dialog.py" line="318"/>
        <source>nothing</source>
        <translation>aucune</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/conform_dialog.py" line="321"/>
        <source>{n} values</source>
        <translation>{n} valeurs</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/conform_dialog.py" line="340"/>
        <source>« {field} »: {n} values cannot be read ({examples}); the field stays text.</source>
        <translation>« {field} » : {n} valeurs ne peuvent pas être lues ({examples}) ; le champ reste de type texte.</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/conform_dialog.py" line="356"/>
        <source>To fix by hand afterwards (no machine can decide):</source>
        <translation>À corriger à la main ensuite (aucun traitement automatique ne peut décider) :</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/conform_dialog.py" line="359"/>
        <source>After the conversion, the layer is checked again: what remains is listed in the table.</source>
        <translation>Après la conversion, la couche est de nouveau vérifiée : ce qui reste à corriger est listé dans le tableau.</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/conform_dialog.py" line="205"/>
        <source>{field} ({n} empty)</source>
        <translation>{field} ({n} vide(s))</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/conform_dialog.py" line="320"/>
        <source>1 geometry</source>
        <translation>1 géométrie</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/conform_dialog.py" line="321"/>
        <source>1 value</source>
        <translation>1 valeur</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/conform_dialog.py" line="350"/>
        <source>« {field} »: {n} values are only spaces: they become empty, and the schema requires a value.</source>
        <translation>« {field} » : {n} valeurs ne contiennent que des espaces : elles deviennent vides, alors que le schéma exige une valeur.</translation>
    </message>
</context>
<context>
    <name>ConformLauncher</name>
    <message>
        <location filename="../opendata_publisher/gui/check_conform.py" line="45"/>
        <source>Check the layer first: the fixes are prepared from the check.</source>
        <translation>Vérifiez d'abord la couche : les corrections sont préparées à partir de la vérification.</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/check_conform.py" line="65"/>
        <source>The layer « {layer} » cannot be read ({error}). Check that its file is still there.</source>
        <translation>La couche « {layer} » ne peut pas être lue ({error}). Vérifiez que son fichier existe toujours.</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/check_conform.py" line="89"/>
        <source>Preparing the fixes of « {layer} »…</source>
        <translation>Préparation des corrections de « {layer} »…</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/check_conform.py" line="116"/>
        <source>The checked layer is no longer in the project: check again.</source>
        <translation>La couche vérifiée n'est plus dans le projet : relancez la vérification.</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/check_conform.py" line="125"/>
        <source>The output file « {path} » is the file of the layer to convert: writing it would destroy the source layer. Choose another file; « {layer} » was not modified.</source>
        <translation>Le fichier de sortie « {path} » est le fichier de la couche à convertir : l'écrire détruirait la couche source. Choisissez un autre fichier ; « {layer} » n'a pas été modifiée.</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/check_conform.py" line="148"/>
        <source>Creating the conforming layer from « {layer} »…</source>
        <translation>Création de la couche conforme à partir de « {layer} »…</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/check_conform.py" line="168"/>
        <source>The new layer cannot be opened: choose another file and try again.</source>
        <translation>La nouvelle couche ne peut pas être ouverte : choisissez un autre fichier et réessayez.</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/check_conform.py" line="174"/>
        <source>« {layer} » created: {n} values fixed. « {source} » is unchanged. The new layer is being checked: what remains is listed above.</source>
        <translation>« {layer} » créée : {n} valeurs corrigées. « {source} » n'est pas modifiée. La nouvelle couche est en cours de vérification : ce qui reste à corriger est listé ci-dessus.</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/check_conform.py" line="194"/>
        <source>Fixing cancelled: no layer was created.</source>
        <translation>Correction annulée : aucune couche n'a été créée.</translation>
    </message>
</context>
<context>
    <name>ConformLayerAlgorithm</name>
    <message>
        <location filename="../opendata_publisher/processing/conform_layer.py" line="61"/>
        <source>Make a layer conform to a data schema</source>
        <translation>Rendre une couche conforme à un schéma de données</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/processing/conform_layer.py" line="64"/>
        <source>Check</source>
        <translation>Vérifier</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/processing/conform_layer.py" line="70"/>
        <source>Writes a NEW layer with exactly the fields of a Table Schema (names, order, types) and the mechanical fixes applied: field names, spaces, French dates to ISO 8601, decimal commas, yes/no values, list values, lost leading zeros, constant fields, coordinates from the geometry, reversed coordinates, WGS 84, invalid geometries, identifiers. The input layer is not modified.
SCHEMA: a catalogue name such as etalab/schema-stationnement[@version], or the path or URL of a schema.json.
MAPPING (optional): JSON object layer field → schema field, e.g. {&quot;TYPE_USAGE&quot;: &quot;type_usagers&quot;}.
FIXES: comma-separated fix ids among {ids}; empty = the safe ones ({safe}), « all » = every fix.
CONSTANTS (optional): JSON object schema field → value, used where the value is empty.
REPORT (optional): the check of the new layer (JSON): what remains to fix by hand.</source>
        <translation>Écrit une NOUVELLE couche avec exactement les champs d'un Table Schema (noms, ordre, types) et les corrections mécaniques appliquées : noms de champs, espaces, dates françaises en ISO 8601, virgules décimales, valeurs oui/non, valeurs de liste, zéros initiaux perdus, champs constants, coordonnées tirées de la géométrie, coordonnées inversées, WGS 84, géométries invalides, identifiants. La couche en entrée n'est pas modifiée.
SCHEMA : un nom du catalogue comme etalab/schema-stationnement[@version], ou le chemin ou l'URL d'un schema.json.
MAPPING (facultatif) : objet JSON champ de la couche → champ du schéma, par exemple {&quot;TYPE_USAGE&quot;: &quot;type_usagers&quot;}.
FIXES : identifiants des corrections, séparés par des virgules, parmi {ids} ; vide = les corrections sûres ({safe}), « all » = toutes les corrections.
CONSTANTS (facultatif) : objet JSON champ du schéma → valeur, utilisée là où la valeur est vide.
REPORT (facultatif) : la vérification de la nouvelle couche (JSON) : ce qui reste à corriger à la main.</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/processing/conform_layer.py" line="88"/>
        <source>Layer to convert</source>
        <translation>Couche à convertir</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/processing/conform_layer.py" line="89"/>
        <source>Schema (catalogue name[@version], path or URL of schema.json)</source>
        <translation>Schéma (nom du catalogue[@version], chemin ou URL du schema.json)</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/processing/conform_layer.py" line="94"/>
        <source>Field mapping (JSON: layer field → schema field)</source>
        <translation>Correspondance des champs (JSON : champ de la couche → champ du schéma)</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/processing/conform_layer.py" line="99"/>
        <source>Fixes to apply (comma-separated ids; empty = the safe ones)</source>
        <translation>Corrections à appliquer (identifiants séparés par des virgules ; vide = les corrections sûres)</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/processing/conform_layer.py" line="104"/>
        <source>Constant values (JSON: schema field → value)</source>
        <translation>Valeurs constantes (JSON : champ du schéma → valeur)</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/processing/conform_layer.py" line="109"/>
        <source>Conforming layer</source>
        <translation>Couche conforme</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/processing/conform_layer.py" line="112"/>
        <source>Check of the new layer (JSON)</source>
        <translation>Vérification de la nouvelle couche (JSON)</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/processing/conform_layer.py" line="112"/>
        <source>JSON files (*.json)</source>
        <translation>Fichiers JSON (*.json)</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/processing/conform_layer.py" line="121"/>
        <source>Number of values fixed</source>
        <translation>Nombre de valeurs corrigées</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/processing/conform_layer.py" line="122"/>
        <source>Errors remaining in the new layer</source>
        <translation>Erreurs restantes dans la nouvelle couche</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/processing/conform_layer.py" line="131"/>
        <source>{what} is not valid JSON ({error}). Write an object such as {example}.</source>
        <translation>{what} n'est pas du JSON valide ({error}). Écrivez un objet comme {example}.</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/processing/conform_layer.py" line="137"/>
        <source>{what} must be a JSON object such as {example}.</source>
        <translation>{what} doit être un objet JSON comme {example}.</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/processing/conform_layer.py" line="160"/>
        <source>The layer to convert cannot be opened.</source>
        <translation>La couche à convertir ne peut pas être ouverte.</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/processing/conform_layer.py" line="163"/>
        <source>No schema given: name a catalogue schema (etalab/schema-stationnement) or a schema.json.</source>
        <translation>Aucun schéma indiqué : donnez le nom d'un schéma du catalogue (etalab/schema-stationnement) ou un schema.json.</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/processing/conform_layer.py" line="187"/>
        <source>The output layer cannot be created.</source>
        <translation>La couche en sortie ne peut pas être créée.</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/processing/conform_layer.py" line="199"/>
        <source>Conversion cancelled: the output is incomplete.</source>
        <translation>Conversion annulée : la sortie est incomplète.</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/processing/conform_layer.py" line="226"/>
        <source>{fixed} values fixed; {errors} errors remain to fix by hand in the new layer.</source>
        <translation>{fixed} valeurs corrigées ; {errors} erreurs restent à corriger à la main dans la nouvelle couche.</translation>
    </message>
</context>
<context>
    <name>ConnectionDialog</name>
    <message>
        <location filename="../opendata_publisher/gui/connections_widget.py" line="130"/>
        <source>Portal connection</source>
        <translation>Connexion à un portail</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/connections_widget.py" line="130"/>
        <source>Edit the connection</source>
        <translation>Modifier la connexion</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/connections_widget.py" line="147"/>
        <source>The software of the portal you publish to</source>
        <translation>Le logiciel du portail sur lequel vous publiez</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/connections_widget.py" line="148"/>
        <source>Portal</source>
        <translation>Portail</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/connections_widget.py" line="152"/>
        <source>e.g. data.gouv.fr — my commune</source>
        <translation>ex. : data.gouv.fr — ma commune</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/connections_widget.py" line="153"/>
        <source>Name</source>
        <translation>Nom</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/connections_widget.py" line="161"/>
        <source>Browse…</source>
        <translation>Parcourir…</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/connections_widget.py" line="277"/>
        <source>Address</source>
        <translation>Adresse</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/connections_widget.py" line="171"/>
        <source>The API key of your account on the portal. It is kept in the QGIS authentication database (protected by its master password), never in the settings.</source>
        <translation>La clé d'API de votre compte sur le portail. Elle est conservée dans la base de données d'authentification de QGIS (protégée par son mot de passe principal), jamais dans les paramètres.</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/connections_widget.py" line="177"/>
        <source>API key</source>
        <translation>Clé d'API</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/connections_widget.py" line="185"/>
        <source>The organisation the datasets are published for: click « Test the connection » to list them</source>
        <translation>L'organisation au nom de laquelle les jeux de données sont publiés : cliquez sur « Tester la connexion » pour les lister</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/connections_widget.py" line="189"/>
        <source>Organisation</source>
        <translation>Organisation</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/connections_widget.py" line="192"/>
        <source>Create new datasets as private / draft</source>
        <translation>Créer les nouveaux jeux de données en privé / brouillon</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/connections_widget.py" line="194"/>
        <source>The dataset is created hidden: check it on the portal, then make it public there</source>
        <translation>Le jeu de données est créé masqué : vérifiez-le sur le portail, puis rendez-le public depuis le portail</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/connections_widget.py" line="199"/>
        <source>Advanced</source>
        <translation>Avancé</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/connections_widget.py" line="204"/>
        <source> MB</source>
        <translation> Mo</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/connections_widget.py" line="205"/>
        <source>Larger files are sent in parts of this size (data.gouv.fr)</source>
        <translation>Les fichiers plus gros sont envoyés en morceaux de cette taille (data.gouv.fr)</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/connections_widget.py" line="206"/>
        <source>Part size</source>
        <translation>Taille des morceaux</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/connections_widget.py" line="210"/>
        <source> s</source>
        <translation> s</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/connections_widget.py" line="211"/>
        <source>How long to wait for the portal before giving up</source>
        <translation>Durée d'attente d'une réponse du portail avant d'abandonner</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/connections_widget.py" line="212"/>
        <source>Timeout</source>
        <translation>Délai d'attente</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/connections_widget.py" line="218"/>
        <source>Test the connection</source>
        <translation>Tester la connexion</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/connections_widget.py" line="272"/>
        <source>Folder where the datasets are written</source>
        <translation>Dossier où les jeux de données sont écrits</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/connections_widget.py" line="272"/>
        <source>e.g. https://www.data.gouv.fr or https://data.orleans-metropole.fr</source>
        <translation>ex. : https://www.data.gouv.fr ou https://data.orleans-metropole.fr</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/connections_widget.py" line="277"/>
        <source>Folder</source>
        <translation>Dossier</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/connections_widget.py" line="283"/>
        <source>On Opendatasoft the organisation is the portal itself</source>
        <translation>Sur Opendatasoft, l'organisation est le portail lui-même</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/connections_widget.py" line="289"/>
        <source>Key saved in the QGIS authentication database (unchanged)</source>
        <translation>Clé enregistrée dans la base de données d'authentification de QGIS (inchangée)</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/connections_widget.py" line="291"/>
        <source>Paste the API key of your account on the portal</source>
        <translation>Collez la clé d'API de votre compte sur le portail</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/connections_widget.py" line="294"/>
        <source>Publication folder</source>
        <translation>Dossier de publication</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/connections_widget.py" line="326"/>
        <source>Give the connection a name.</source>
        <translation>Donnez un nom à la connexion.</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/connections_widget.py" line="328"/>
        <source>A connection name cannot start with « folder: ».</source>
        <translation>Un nom de connexion ne peut pas commencer par « folder: ».</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/connections_widget.py" line="330"/>
        <source>A connection called « {name} » already exists: choose another name.</source>
        <translation>Une connexion nommée « {name} » existe déjà : choisissez un autre nom.</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/connections_widget.py" line="371"/>
        <source>Type the address of the portal (or the folder).</source>
        <translation>Saisissez l'adresse du portail (ou le dossier).</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/connections_widget.py" line="339"/>
        <source>The address must start with https:// (for example https://www.data.gouv.fr).</source>
        <translation>L'adresse doit commencer par https:// (par exemple https://www.data.gouv.fr).</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/connections_widget.py" line="341"/>
        <source>Paste the API key of your account on the portal: publishing needs it.</source>
        <translation>Collez la clé d'API de votre compte sur le portail : elle est nécessaire pour publier.</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/connections_widget.py" line="391"/>
        <source>Testing the connection…</source>
        <translation>Test de la connexion…</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/connections_widget.py" line="413"/>
        <source>The folder can be written.</source>
        <translation>Le dossier est accessible en écriture.</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/connections_widget.py" line="415"/>
        <source>Connection OK: the key can publish for {count} organisation(s); choose one below.</source>
        <translation>Connexion réussie : la clé permet de publier pour {count} organisation(s) ; choisissez-en une ci-dessous.</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/connections_widget.py" line="422"/>
        <source>Connection OK, but the key belongs to no organisation: datasets will be published in your own name. Ask the portal administrator to add you to your organisation.</source>
        <translation>Connexion réussie, mais la clé n'appartient à aucune organisation : les jeux de données seront publiés à votre nom. Demandez à l'administrateur du portail de vous ajouter à votre organisation.</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/connections_widget.py" line="438"/>
        <source>Test cancelled.</source>
        <translation>Test annulé.</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/connections_widget.py" line="257"/>
        <source>Set by the shared profile of the metropolis</source>
        <translation>Défini par le profil partagé de la métropole</translation>
    </message>
</context>
<context>
    <name>ConnectionsWidget</name>
    <message>
        <location filename="../opendata_publisher/gui/connections_widget.py" line="63"/>
        <source>Local folder</source>
        <translation>Dossier local</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/connections_widget.py" line="497"/>
        <source>Portals you publish to. The API keys are kept in the QGIS authentication database, never in the settings. The local publication folder needs no connection.</source>
        <translation>Portails sur lesquels vous publiez. Les clés d'API sont conservées dans la base de données d'authentification de QGIS, jamais dans les paramètres. Le dossier de publication local ne demande pas de connexion.</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/connections_widget.py" line="514"/>
        <source>Add…</source>
        <translation>Ajouter…</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/connections_widget.py" line="516"/>
        <source>Edit…</source>
        <translation>Modifier…</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/connections_widget.py" line="518"/>
        <source>Remove</source>
        <translation>Retirer</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/connections_widget.py" line="622"/>
        <source>Portal connection</source>
        <translation>Connexion à un portail</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/connections_widget.py" line="629"/>
        <source>Remove the connection</source>
        <translation>Supprimer la connexion</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/connections_widget.py" line="629"/>
        <source>Remove the connection « {name} » and its API key from the QGIS authentication database? The datasets already published stay on the portal.</source>
        <translation>Supprimer la connexion « {name} » et sa clé d'API de la base de données d'authentification de QGIS ? Les jeux de données déjà publiés restent sur le portail.</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/connections_widget.py" line="659"/>
        <source>Portal connections</source>
        <translation>Connexions aux portails</translation>
    </message>
</context>
<context>
    <name>DescribePage</name>
    <message>
        <location filename="../opendata_publisher/gui/describe_page.py" line="177"/>
        <source>Describe the data once, here: the portals and catalogues read this description. « Prefill » fills what can be known; you usually only type a title and a description.</source>
        <translation>Décrivez les données une seule fois, ici : les portails et les catalogues lisent cette description. « Préremplir » remplit ce qui peut être déduit ; en général, il ne reste qu'à saisir un titre et une description.</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/describe_page.py" line="201"/>
        <source>Essentials</source>
        <translation>L'essentiel</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/describe_page.py" line="203"/>
        <source>e.g. Bicycle parkings of Orléans Métropole</source>
        <translation>ex. : Stationnements vélo d'Orléans Métropole</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/describe_page.py" line="218"/>
        <source>Themes</source>
        <translation>Thèmes</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/describe_page.py" line="235"/>
        <source>Producer and contact</source>
        <translation>Producteur et contact</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/describe_page.py" line="243"/>
        <source>Name</source>
        <translation>Nom</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/describe_page.py" line="324"/>
        <source>e.g. Orléans Métropole</source>
        <translation>ex. : Orléans Métropole</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/describe_page.py" line="243"/>
        <source>SIREN</source>
        <translation>SIREN</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/describe_page.py" line="243"/>
        <source>9 digits</source>
        <translation>9 chiffres</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/describe_page.py" line="243"/>
        <source>SIRET</source>
        <translation>SIRET</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/describe_page.py" line="243"/>
        <source>14 digits</source>
        <translation>14 chiffres</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/describe_page.py" line="256"/>
        <source>e.g. Service SIG</source>
        <translation>ex. : Service SIG</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/describe_page.py" line="257"/>
        <source>e.g. sig@orleans-metropole.fr</source>
        <translation>ex. : sig@orleans-metropole.fr</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/describe_page.py" line="258"/>
        <source>Service</source>
        <translation>Service</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/describe_page.py" line="259"/>
        <source>E-mail</source>
        <translation>Courriel</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/describe_page.py" line="264"/>
        <source>Territory and dates</source>
        <translation>Territoire et dates</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/describe_page.py" line="268"/>
        <source>EPCI</source>
        <translation>EPCI</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/describe_page.py" line="268"/>
        <source>commune</source>
        <translation>commune</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/describe_page.py" line="276"/>
        <source>— choose —</source>
        <translation>— choisir —</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/describe_page.py" line="292"/>
        <source>Origin and conditions of use</source>
        <translation>Origine et conditions d'utilisation</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/describe_page.py" line="319"/>
        <source>Choose the licence…</source>
        <translation>Choisir la licence…</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/describe_page.py" line="329"/>
        <source>Identifier and addresses (filled at publication)</source>
        <translation>Identifiant et adresses (remplis à la publication)</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/describe_page.py" line="345"/>
        <source>What is missing</source>
        <translation>Ce qui manque</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/describe_page.py" line="366"/>
        <source>The European standard read by every portal: always checked</source>
        <translation>Le standard européen lu par tous les portails : toujours vérifié</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/describe_page.py" line="391"/>
        <source>Also save in the file (GeoPackage / .qmd)</source>
        <translation>Enregistrer aussi dans le fichier (GeoPackage / .qmd)</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/describe_page.py" line="393"/>
        <source>Besides the project, write the description into the GeoPackage itself, or into a .qmd file beside the data file, so that it travels with the data</source>
        <translation>En plus du projet, écrire la description dans le GeoPackage lui-même, ou dans un fichier .qmd à côté du fichier de données, pour qu'elle accompagne les données</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/describe_page.py" line="401"/>
        <source>Prefill</source>
        <translation>Préremplir</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/describe_page.py" line="403"/>
        <source>Fill the empty fields from the layer (extent, coordinate system, number of features), the schema of the last check and the organisation profile (Settings &gt; Options &gt; Open data). Nothing you typed is replaced.</source>
        <translation>Remplir les champs vides à partir de la couche (emprise, système de coordonnées, nombre d'entités), du schéma de la dernière vérification et du profil de l'organisation (Préférences &gt; Options &gt; Données ouvertes). Rien de ce que vous avez saisi n'est remplacé.</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/describe_page.py" line="451"/>
        <source>Save in the layer</source>
        <translation>Enregistrer dans la couche</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/describe_page.py" line="414"/>
        <source>Store the description in the layer&apos;s metadata; save the project to keep it</source>
        <translation>Enregistrer la description dans les métadonnées de la couche ; enregistrez le projet pour la conserver</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/describe_page.py" line="421"/>
        <source>Export…</source>
        <translation>Exporter…</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/describe_page.py" line="422"/>
        <source>Write the description to a file for a catalogue or a portal</source>
        <translation>Écrire la description dans un fichier pour un catalogue ou un portail</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/describe_page.py" line="427"/>
        <source>DCAT-AP (JSON-LD)…</source>
        <translation>DCAT-AP (JSON-LD)…</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/describe_page.py" line="428"/>
        <source>DCAT-AP (Turtle)…</source>
        <translation>DCAT-AP (Turtle)…</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/describe_page.py" line="429"/>
        <source>ISO 19139 (geocatalogues, INSPIRE)…</source>
        <translation>ISO 19139 (géocatalogues, INSPIRE)…</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/describe_page.py" line="430"/>
        <source>Row of the SCDL catalogue (CSV)…</source>
        <translation>Ligne du catalogue SCDL (CSV)…</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/describe_page.py" line="431"/>
        <source>QGIS metadata file (.qmd)…</source>
        <translation>Fichier de métadonnées QGIS (.qmd)…</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/describe_page.py" line="578"/>
        <source>Checked with « {ref} »: click « Prefill » to record it.</source>
        <translation>Vérification faite avec « {ref} » : cliquez sur « Préremplir » pour l'enregistrer.</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/describe_page.py" line="584"/>
        <source>None: check the layer against a schema on the « Check » page to record it here.</source>
        <translation>Aucun : vérifiez la couche avec un schéma dans la page « Vérifier » pour l'enregistrer ici.</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/describe_page.py" line="598"/>
        <source>« {licence} » (not recognised)</source>
        <translation>« {licence} » (non reconnue)</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/describe_page.py" line="600"/>
        <source>None yet</source>
        <translation>Aucune pour l'instant</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/describe_page.py" line="608"/>
        <source>Choose the layer to describe.</source>
        <translation>Choisissez la couche à décrire.</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/describe_page.py" line="613"/>
        <source>The metadata of « {layer} » cannot be read ({error}). The form starts empty.</source>
        <translation>Les métadonnées de « {layer} » ne peuvent pas être lues ({error}). Le formulaire démarre vide.</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/describe_page.py" line="640"/>
        <source>No description yet: click « Prefill », then type a title and a description.</source>
        <translation>Pas encore de description : cliquez sur « Préremplir », puis saisissez un titre et une description.</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/describe_page.py" line="718"/>
        <source>{errors} blocking gap(s) (red frames) and {warnings} warning(s).</source>
        <translation>{errors} manque(s) bloquant(s) (cadres rouges) et {warnings} avertissement(s).</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/describe_page.py" line="725"/>
        <source>Nothing blocking; {warnings} point(s) worth completing.</source>
        <translation>Rien de bloquant ; {warnings} point(s) à compléter si possible.</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/describe_page.py" line="730"/>
        <source>The description is complete for the chosen portals.</source>
        <translation>La description est complète pour les portails choisis.</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/describe_page.py" line="904"/>
        <source>Choose the layer to describe first.</source>
        <translation>Choisissez d'abord la couche à décrire.</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/describe_page.py" line="794"/>
        <source>Loading the schema « {ref} »…</source>
        <translation>Chargement du schéma « {ref} »…</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/describe_page.py" line="817"/>
        <source>Prefilled without the schema&apos;s title and keywords: {error}</source>
        <translation>Prérempli sans le titre ni les mots-clés du schéma : {error}</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/describe_page.py" line="831"/>
        <source>The organisation profile cannot be read ({error}).</source>
        <translation>Le profil de l'organisation ne peut pas être lu ({error}).</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/describe_page.py" line="847"/>
        <source>Prefilled from the layer. Fill in the organisation profile (Settings &gt; Options &gt; Open data) so that producer, contact and territory are filled too.</source>
        <translation>Prérempli à partir de la couche. Complétez le profil de l'organisation (Préférences &gt; Options &gt; Données ouvertes) pour que le producteur, le contact et le territoire soient remplis aussi.</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/describe_page.py" line="855"/>
        <source>Prefilled. Now type: {fields}; then « Save in the layer ».</source>
        <translation>Prérempli. Saisissez maintenant : {fields} ; puis « Enregistrer dans la couche ».</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/describe_page.py" line="859"/>
        <source>Prefilled. Check the fields, then « Save in the layer ».</source>
        <translation>Prérempli. Vérifiez les champs, puis « Enregistrer dans la couche ».</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/describe_page.py" line="876"/>
        <source>The description could not be stored in « {layer} » ({error}).</source>
        <translation>La description n'a pas pu être enregistrée dans « {layer} » ({error}).</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/describe_page.py" line="886"/>
        <source>Description saved in « {layer} ». Save the project to keep it.</source>
        <translation>Description enregistrée dans « {layer} ». Enregistrez le projet pour la conserver.</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/describe_page.py" line="908"/>
        <source>Export the description</source>
        <translation>Exporter la description</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/describe_page.py" line="926"/>
        <source>The file {path} could not be written ({error}).</source>
        <translation>Le fichier {path} n'a pas pu être écrit ({error}).</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/describe_page.py" line="930"/>
        <source>Exported to {path}, with {count} blocking gap(s) still to fill.</source>
        <translation>Exporté dans {path}, avec {count} manque(s) bloquant(s) encore à combler.</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/describe_page.py" line="937"/>
        <source>Exported to {path}.</source>
        <translation>Exporté dans {path}.</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/layer_menu.py" line="33"/>
        <source>Describe for open data…</source>
        <translation>Décrire pour l'open data…</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/layer_menu.py" line="35"/>
        <source>Open the « Describe » page of the Open data panel for this layer</source>
        <translation>Ouvrir la page « Décrire » du panneau Données ouvertes pour cette couche</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/describe_page.py" line="349"/>
        <source>Check what these portals and catalogues ask for:</source>
        <translation>Vérifier ce que demandent ces portails et catalogues :</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/describe_page.py" line="351"/>
        <source>Each portal asks for different things: tick where the data will go</source>
        <translation>Chaque portail demande des informations différentes : cochez ceux où les données seront publiées</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/describe_page.py" line="358"/>
        <source>SCDL catalogue</source>
        <translation>Catalogue SCDL</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/describe_page.py" line="573"/>
        <source>version</source>
        <translation>version</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/describe_page.py" line="171"/>
        <source>dd/mm/yyyy</source>
        <translation>jj/mm/aaaa</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/describe_page.py" line="282"/>
        <source>Type to search (e.g. annual, daily)…</source>
        <translation>Tapez pour chercher (ex. annuelle, quotidienne)…</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/describe_page.py" line="632"/>
        <source>The shared profile of the metropolis set: {fields}. Save to keep it.</source>
        <translation>Le profil partagé de la métropole a fixé : {fields}. Enregistrez pour le garder.</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/describe_page.py" line="734"/>
        <source>The licence (listed below too) is chosen on the « Licence » step.</source>
        <translation>La licence (listée aussi ci-dessous) se choisit à l'étape « Licence ».</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/describe_page.py" line="580"/>
        <source>« {ref} » is chosen on the « Check » page: check the layer, then click « Prefill ».</source>
        <translation>« {ref} » est choisi sur la page « Vérifier » : vérifiez la couche, puis cliquez sur « Préremplir ».</translation>
    </message>
</context>
<context>
    <name>ExportMetadataAlgorithm</name>
    <message>
        <location filename="../opendata_publisher/processing/export_metadata.py" line="34"/>
        <source>Export the metadata of a layer</source>
        <translation>Exporter les métadonnées d'une couche</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/processing/export_metadata.py" line="37"/>
        <source>Describe</source>
        <translation>Décrire</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/processing/export_metadata.py" line="43"/>
        <source>Writes the description of a layer (filled in the « Décrire » page or QGIS's metadata tab) to a file: DCAT-AP 3 in JSON-LD (dcat-jsonld) or Turtle (dcat-turtle), ISO 19139 XML for geocatalogues (iso19139), one row of the SCDL simplified catalogue (scdl-catalogue, CSV) or a QGIS metadata file (qmd). Missing information is listed in the log; blocking gaps are reported as warnings.</source>
        <translation>Écrit la description d'une couche (remplie dans la page « Décrire » ou dans l'onglet Métadonnées de QGIS) dans un fichier : DCAT-AP 3 en JSON-LD (dcat-jsonld) ou en Turtle (dcat-turtle), XML ISO 19139 pour les géocatalogues (iso19139), une ligne du catalogue simplifié SCDL (scdl-catalogue, CSV) ou un fichier de métadonnées QGIS (qmd). Les informations manquantes sont listées dans le journal ; les manques bloquants sont signalés comme avertissements.</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/processing/export_metadata.py" line="51"/>
        <source>Layer</source>
        <translation>Couche</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/processing/export_metadata.py" line="52"/>
        <source>Format</source>
        <translation>Format</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/processing/export_metadata.py" line="57"/>
        <source>Metadata file</source>
        <translation>Fichier de métadonnées</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/processing/export_metadata.py" line="58"/>
        <source>Blocking gaps</source>
        <translation>Manques bloquants</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/processing/export_metadata.py" line="59"/>
        <source>Warnings</source>
        <translation>Avertissements</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/processing/export_metadata.py" line="81"/>
        <source>The layer cannot be opened.</source>
        <translation>La couche ne peut pas être ouverte.</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/processing/export_metadata.py" line="100"/>
        <source>No output file given.</source>
        <translation>Aucun fichier de sortie indiqué.</translation>
    </message>
</context>
<context>
    <name>FindingsModel</name>
    <message>
        <location filename="../opendata_publisher/gui/findings_model.py" line="352"/>
        <source>Problem</source>
        <translation>Problème</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/findings_model.py" line="353"/>
        <source>Field</source>
        <translation>Champ</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/findings_model.py" line="354"/>
        <source>Count</source>
        <translation>Nombre</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/findings_model.py" line="355"/>
        <source>Feature</source>
        <translation>Entité</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/findings_model.py" line="356"/>
        <source>Row</source>
        <translation>Ligne</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/findings_model.py" line="357"/>
        <source>Value</source>
        <translation>Valeur</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/findings_model.py" line="424"/>
        <source>… and {n} more</source>
        <translation>… et {n} de plus</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/findings_model.py" line="426"/>
        <source>Only the first {shown} problems of this group are listed. Use the filter to narrow the list, or export the report to see them all.</source>
        <translation>Seuls les {shown} premiers problèmes de ce groupe sont listés. Utilisez le filtre pour réduire la liste, ou exportez le rapport pour les voir tous.</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/findings_model.py" line="410"/>
        <source>What to do:</source>
        <translation>Que faire :</translation>
    </message>
</context>
<context>
    <name>FindingsView</name>
    <message>
        <location filename="../opendata_publisher/gui/findings_view.py" line="56"/>
        <source>Filter: code, field, value, feature…</source>
        <translation>Filtrer : code, champ, valeur, entité…</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/findings_view.py" line="62"/>
        <source>Show errors (the layer does not conform while there are some)</source>
        <translation>Afficher les erreurs (la couche n'est pas conforme tant qu'il en reste)</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/findings_view.py" line="63"/>
        <source>Show warnings (worth fixing, not blocking)</source>
        <translation>Afficher les avertissements (à corriger si possible, non bloquants)</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/findings_view.py" line="64"/>
        <source>Show information messages</source>
        <translation>Afficher les messages d'information</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/findings_view.py" line="86"/>
        <source>Show or hide the explanation of the selected problem</source>
        <translation>Afficher ou masquer l'explication du problème sélectionné</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/findings_view.py" line="254"/>
        <source>No problem matches the filter. Clear the filter text or check more severities.</source>
        <translation>Aucun problème ne correspond au filtre. Effacez le texte du filtre ou cochez d'autres niveaux de gravité.</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/findings_view.py" line="258"/>
        <source>Select a line to read what the problem means and how to fix it. Double-click a problem to select and zoom to its feature.</source>
        <translation>Sélectionnez une ligne pour lire ce que signifie le problème et comment le corriger. Double-cliquez sur un problème pour sélectionner son entité et zoomer dessus.</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/findings_view.py" line="203"/>
        <source>Fix…</source>
        <translation>Corriger…</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/findings_view.py" line="205"/>
        <source>Preview the automatic fix of this problem, then create a conforming layer</source>
        <translation>Prévisualiser la correction automatique de ce problème, puis créer une couche conforme</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/findings_view.py" line="267"/>
        <source>What to do:</source>
        <translation>Que faire :</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/findings_view.py" line="197"/>
        <source>Edit the value…</source>
        <translation>Modifier la valeur…</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/findings_view.py" line="199"/>
        <source>Type the right value for this feature, checked against the schema as you type</source>
        <translation>Saisir la bonne valeur pour cette entité, vérifiée avec le schéma pendant la saisie</translation>
    </message>
</context>
<context>
    <name>FlowHeader</name>
    <message>
        <location filename="../opendata_publisher/gui/flow.py" line="443"/>
        <source>The steps of a publication: click one to open it</source>
        <translation>Les étapes d'une publication : cliquez sur l'une d'elles pour l'ouvrir</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/flow.py" line="567"/>
        <source>Layer: &lt;b&gt;{layer}&lt;/b&gt;</source>
        <translation>Couche : &lt;b&gt;{layer}&lt;/b&gt;</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/flow.py" line="569"/>
        <source>Choose a layer to publish in one of the steps below.</source>
        <translation>Choisissez une couche à publier dans l'une des étapes ci-dessous.</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/flow.py" line="572"/>
        <source>Start: Check</source>
        <translation>Commencer : Vérifier</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/flow.py" line="575"/>
        <source>All steps are done</source>
        <translation>Toutes les étapes sont faites</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/flow.py" line="576"/>
        <source>Publish again after each update of the data: the same dataset is updated, never copied.</source>
        <translation>Publiez de nouveau après chaque mise à jour des données : le même jeu de données est mis à jour, jamais dupliqué.</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/flow.py" line="597"/>
        <source>Next step: {step}</source>
        <translation>Étape suivante : {step}</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/flow.py" line="598"/>
        <source>Open the first step that is not done yet</source>
        <translation>Ouvrir la première étape qui n'est pas encore faite</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/flow.py" line="460"/>
        <source>Show the five steps of the publication and their status</source>
        <translation>Afficher les cinq étapes de la publication et leur état</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/flow.py" line="523"/>
        <source>Click to show the five steps</source>
        <translation>Cliquez pour afficher les cinq étapes</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/flow.py" line="505"/>
        <source>Pinned: the panel stays on this layer. Click to follow the layer selected in the Layers panel.</source>
        <translation>Épinglé : le panneau reste sur cette couche. Cliquez pour suivre la couche sélectionnée dans le panneau Couches.</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/flow.py" line="505"/>
        <source>The panel follows the layer selected in the Layers panel. Click to stay on this layer.</source>
        <translation>Le panneau suit la couche sélectionnée dans le panneau Couches. Cliquez pour rester sur cette couche.</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/flow.py" line="594"/>
        <source>To finish on this page: {step}</source>
        <translation>À terminer sur cette page : {step}</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/flow.py" line="595"/>
        <source>This step is the first one not done yet: finish it here</source>
        <translation>Cette étape est la première qui n'est pas encore faite : terminez-la ici</translation>
    </message>
</context>
<context>
    <name>GuidedFlow</name>
    <message>
        <location filename="../opendata_publisher/gui/flow.py" line="750"/>
        <source>Open data</source>
        <translation>Données ouvertes</translation>
    </message>
</context>
<context>
    <name>HistoryWidget</name>
    <message>
        <location filename="../opendata_publisher/gui/history_widget.py" line="52"/>
        <source>Date</source>
        <translation>Date</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/history_widget.py" line="52"/>
        <source>Portal</source>
        <translation>Portail</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/history_widget.py" line="52"/>
        <source>Dataset</source>
        <translation>Jeu de données</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/history_widget.py" line="52"/>
        <source>Schema</source>
        <translation>Schéma</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/history_widget.py" line="52"/>
        <source>By</source>
        <translation>Par</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/history_widget.py" line="63"/>
        <source>Open in the browser</source>
        <translation>Ouvrir dans le navigateur</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/history_widget.py" line="67"/>
        <source>Open the selected dataset (or file) in your web browser</source>
        <translation>Ouvrir le jeu de données (ou le fichier) sélectionné dans votre navigateur web</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/history_widget.py" line="93"/>
        <source>Choose a layer to see its publications.</source>
        <translation>Choisissez une couche pour voir ses publications.</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/history_widget.py" line="95"/>
        <source>This layer has never been published.</source>
        <translation>Cette couche n'a jamais été publiée.</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/history_widget.py" line="97"/>
        <source>{count} publication(s) of this layer, the latest first.</source>
        <translation>{count} publication(s) de cette couche, la plus récente en premier.</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/history_widget.py" line="112"/>
        <source>Connection: {name}</source>
        <translation>Connexion : {name}</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/history_widget.py" line="115"/>
        <source>Published despite {count} warning(s):</source>
        <translation>Publié malgré {count} avertissement(s) :</translation>
    </message>
</context>
<context>
    <name>KeywordEditor</name>
    <message>
        <location filename="../opendata_publisher/gui/widgets/keyword_editor.py" line="40"/>
        <source>Type a keyword, then Enter (e.g. parkings; bicycles)</source>
        <translation>Saisissez un mot-clé, puis Entrée (ex. : parkings ; vélos)</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/widgets/keyword_editor.py" line="43"/>
        <source>Add</source>
        <translation>Ajouter</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/widgets/keyword_editor.py" line="58"/>
        <source>Remove</source>
        <translation>Retirer</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/widgets/keyword_editor.py" line="60"/>
        <source>Remove the selected keyword (« données ouvertes » always stays)</source>
        <translation>Retirer le mot-clé sélectionné (« données ouvertes » est toujours conservé)</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/widgets/keyword_editor.py" line="85"/>
        <source>Always present: asked for every open dataset</source>
        <translation>Toujours présent : demandé pour tout jeu de données ouvert</translation>
    </message>
</context>
<context>
    <name>LayerFormPage</name>
    <message>
        <location filename="../opendata_publisher/gui/widgets/layer_page.py" line="47"/>
        <source>Layer</source>
        <translation>Couche</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/widgets/layer_page.py" line="51"/>
        <source>The layer (or table) you describe; it follows the current layer</source>
        <translation>La couche (ou la table) que vous décrivez ; elle suit la couche courante</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/widgets/layer_page.py" line="179"/>
        <source>Unsaved changes</source>
        <translation>Modifications non enregistrées</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/widgets/layer_page.py" line="181"/>
        <source>The changes made to « {layer} » are not saved yet. Save them in the layer?</source>
        <translation>Les modifications de « {layer} » ne sont pas encore enregistrées. Les enregistrer dans la couche ?</translation>
    </message>
</context>
<context>
    <name>LegalCheckAlgorithm</name>
    <message>
        <location filename="../opendata_publisher/processing/legal_check.py" line="28"/>
        <source>Legal check before publishing (personal and sensitive data)</source>
        <translation>Contrôle juridique avant publication (données personnelles et sensibles)</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/processing/legal_check.py" line="31"/>
        <source>Check</source>
        <translation>Vérifier</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/processing/legal_check.py" line="37"/>
        <source>Looks, in every feature of the layer and in its metadata, for data that must not be published as it is: names of persons, personal e-mails and mobile phones, social security numbers (NIR), IBAN, birth dates, cadastre owners, small counts, free text, sensitive categories (health, offences…), security-sensitive equipment, third-party sources (OpenStreetMap, IGN…), licence and format.
Each point has a level: BLOQUANT (must be removed before publishing), À VÉRIFIER (a person must confirm) or INFO, and its legal basis.
The JSON report lists each point with its code, severity, level, basis, field, message, what to do and its evidence (number of values, masked examples). BLOCKING_COUNT and WARNING_COUNT give the number of blocking points and of points to check. This is an aid, not legal advice.</source>
        <translation>Recherche, dans chaque entité de la couche et dans ses métadonnées, les données qui ne doivent pas être publiées telles quelles : noms de personnes, courriels et téléphones mobiles personnels, numéros de sécurité sociale (NIR), IBAN, dates de naissance, propriétaires cadastraux, petits effectifs, texte libre, catégories sensibles (santé, infractions…), équipements sensibles pour la sécurité, sources tierces (OpenStreetMap, IGN…), licence et format.
Chaque point a un niveau : BLOQUANT (à retirer avant publication), À VÉRIFIER (une personne doit confirmer) ou INFO, et son fondement juridique.
Le rapport JSON liste chaque point avec son code, sa gravité, son niveau, son fondement, son champ, son message, ce qu'il faut faire et ses éléments de preuve (nombre de valeurs, exemples masqués). BLOCKING_COUNT et WARNING_COUNT donnent le nombre de points bloquants et de points à vérifier. Cet outil est une aide, pas un avis juridique.</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/processing/legal_check.py" line="50"/>
        <source>Layer to check</source>
        <translation>Couche à vérifier</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/processing/legal_check.py" line="51"/>
        <source>Legal check report (JSON)</source>
        <translation>Rapport du contrôle juridique (JSON)</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/processing/legal_check.py" line="51"/>
        <source>JSON files (*.json)</source>
        <translation>Fichiers JSON (*.json)</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/processing/legal_check.py" line="56"/>
        <source>Number of blocking points</source>
        <translation>Nombre de points bloquants</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/processing/legal_check.py" line="57"/>
        <source>Number of points to check</source>
        <translation>Nombre de points à vérifier</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/processing/legal_check.py" line="65"/>
        <source>The layer to check cannot be opened.</source>
        <translation>La couche à vérifier ne peut pas être ouverte.</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/processing/legal_check.py" line="68"/>
        <source>Check cancelled: no report written.</source>
        <translation>Vérification annulée : aucun rapport n'a été écrit.</translation>
    </message>
</context>
<context>
    <name>LegalPage</name>
    <message>
        <location filename="../opendata_publisher/gui/legal_page.py" line="113"/>
        <source>The layer (or table) you want to publish</source>
        <translation>La couche (ou la table) que vous voulez publier</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/legal_page.py" line="117"/>
        <source>Analyse</source>
        <translation>Analyser</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/legal_page.py" line="120"/>
        <source>Look for personal or sensitive data in every feature of the layer and in its metadata</source>
        <translation>Rechercher des données personnelles ou sensibles dans chaque entité de la couche et dans ses métadonnées</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/legal_page.py" line="124"/>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/legal_page.py" line="144"/>
        <source>Show only the points containing this text</source>
        <translation>N'afficher que les points contenant ce texte</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/legal_page.py" line="153"/>
        <source>Tick each point you have checked and that can be published as it is, then click « Confirm ». Your name and the date are written in the layer's metadata history.</source>
        <translation>Cochez chaque point que vous avez vérifié et qui peut être publié tel quel, puis cliquez sur « Confirmer ». Votre nom et la date sont inscrits dans l'historique des métadonnées de la couche.</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/legal_page.py" line="169"/>
        <source>Confirm the ticked points</source>
        <translation>Confirmer les points cochés</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/legal_page.py" line="172"/>
        <source>Points to confirm</source>
        <translation>Points à confirmer</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/legal_page.py" line="191"/>
        <source>Yes</source>
        <translation>Oui</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/legal_page.py" line="192"/>
        <source>No</source>
        <translation>Non</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/legal_page.py" line="193"/>
        <source>I don&apos;t know</source>
        <translation>Je ne sais pas</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/legal_page.py" line="202"/>
        <source>Optional note (who was consulted, reference of the decision…)</source>
        <translation>Note facultative (personne consultée, référence de la décision…)</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/legal_page.py" line="203"/>
        <source>Note</source>
        <translation>Note</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/legal_page.py" line="410"/>
        <source>Save the answers</source>
        <translation>Enregistrer les réponses</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/legal_page.py" line="210"/>
        <source>Write the answers, the date and your name in the layer&apos;s metadata history</source>
        <translation>Inscrire les réponses, la date et votre nom dans l'historique des métadonnées de la couche</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/legal_page.py" line="218"/>
        <source>Checklist</source>
        <translation>Liste de contrôle</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/legal_page.py" line="248"/>
        <source>Choose a layer, then click « Analyse ».</source>
        <translation>Choisissez une couche, puis cliquez sur « Analyser ».</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/legal_page.py" line="260"/>
        <source>The layer cannot be read ({error}). Check its source.</source>
        <translation>La couche ne peut pas être lue ({error}). Vérifiez sa source.</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/legal_page.py" line="270"/>
        <source>Analysing « {layer} »…</source>
        <translation>Analyse de « {layer} »…</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/legal_page.py" line="293"/>
        <source>Analysis cancelled: click « Analyse » to start it again.</source>
        <translation>Analyse annulée : cliquez sur « Analyser » pour la relancer.</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/legal_page.py" line="302"/>
        <source>The result cannot be shown ({error}).</source>
        <translation>Le résultat ne peut pas être affiché ({error}).</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/legal_page.py" line="359"/>
        <source>The analysed layer is no longer in the project: analyse again.</source>
        <translation>La couche analysée n'est plus dans le projet : relancez l'analyse.</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/legal_page.py" line="367"/>
        <source>Tick at least one point you have checked before confirming.</source>
        <translation>Cochez au moins un point que vous avez vérifié avant de confirmer.</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/legal_page.py" line="399"/>
        <source>Choose a layer before saving the answers.</source>
        <translation>Choisissez une couche avant d'enregistrer les réponses.</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/legal_page.py" line="403"/>
        <source>Answers saved in the metadata history of « {layer} ».</source>
        <translation>Réponses enregistrées dans l'historique des métadonnées de « {layer} ».</translation>
    </message>
</context>
<context>
    <name>LicencePage</name>
    <message>
        <location filename="../opendata_publisher/gui/licence_page.py" line="135"/>
        <source>The licence says what reusers may do with the data. An administration may only use the licences listed by decree (CRPA, article D323-2-1): choose the Licence Ouverte unless you have a reason.</source>
        <translation>La licence indique ce que les réutilisateurs peuvent faire des données. Une administration ne peut utiliser que les licences fixées par décret (CRPA, article D323-2-1) : choisissez la Licence Ouverte sauf raison particulière.</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/licence_page.py" line="156"/>
        <source>recommended</source>
        <translation>recommandée</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/licence_page.py" line="156"/>
        <source>The licence recommended for administrations</source>
        <translation>La licence recommandée pour les administrations</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/licence_page.py" line="160"/>
        <source>suggested</source>
        <translation>suggérée</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/licence_page.py" line="168"/>
        <source>Why the ODbL? e.g. data derived from OpenStreetMap</source>
        <translation>Pourquoi l'ODbL ? ex. : données issues d'OpenStreetMap</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/licence_page.py" line="174"/>
        <source>Other licence…</source>
        <translation>Autre licence…</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/licence_page.py" line="177"/>
        <source>Only with a State homologation: read the warning first</source>
        <translation>Uniquement avec une homologation de l'État : lisez d'abord l'avertissement</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/licence_page.py" line="181"/>
        <source>Another licence</source>
        <translation>Une autre licence</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/licence_page.py" line="197"/>
        <source>Reference of the homologation (decree, date)</source>
        <translation>Référence de l'homologation (décret, date)</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/licence_page.py" line="211"/>
        <source>e.g. Orléans Métropole — update of 12/03/2025</source>
        <translation>ex. : Orléans Métropole — mise à jour du 12/03/2025</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/licence_page.py" line="338"/>
        <source>Save the licence</source>
        <translation>Enregistrer la licence</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/licence_page.py" line="225"/>
        <source>Store the licence in the layer&apos;s metadata; save the project to keep it</source>
        <translation>Enregistrer la licence dans les métadonnées de la couche ; enregistrez le projet pour la conserver</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/licence_page.py" line="367"/>
        <source>Choose the layer whose licence you set.</source>
        <translation>Choisissez la couche dont vous définissez la licence.</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/licence_page.py" line="401"/>
        <source>Licence recorded for this layer: &lt;b&gt;{licence}&lt;/b&gt;.</source>
        <translation>Licence enregistrée pour cette couche : &lt;b&gt;{licence}&lt;/b&gt;.</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/licence_page.py" line="317"/>
        <source>Licence recorded: « {licence} », which is discouraged: {why} Choose one below.</source>
        <translation>Licence enregistrée : « {licence} », qui est déconseillée : {why} Choisissez-en une ci-dessous.</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/licence_page.py" line="324"/>
        <source>Licence recorded: « {licence} », not recognised. Choose one below.</source>
        <translation>Licence enregistrée : « {licence} », non reconnue. Choisissez-en une ci-dessous.</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/licence_page.py" line="329"/>
        <source>No licence recorded yet: the proposed one is selected below.</source>
        <translation>Aucune licence enregistrée pour l'instant : celle qui est proposée est sélectionnée ci-dessous.</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/licence_page.py" line="345"/>
        <source>Choose a licence first (the Licence Ouverte 2.0 is recommended).</source>
        <translation>Choisissez d'abord une licence (la Licence Ouverte 2.0 est recommandée).</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/licence_page.py" line="347"/>
        <source>The ODbL needs a one-line justification: say why share-alike is needed (e.g. « data derived from OpenStreetMap »), or choose the Licence Ouverte 2.0.</source>
        <translation>L'ODbL demande une justification d'une ligne : indiquez pourquoi le partage à l'identique est nécessaire (ex. : « données issues d'OpenStreetMap »), ou choisissez la Licence Ouverte 2.0.</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/licence_page.py" line="353"/>
        <source>Choose the other licence in the list.</source>
        <translation>Choisissez l'autre licence dans la liste.</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/licence_page.py" line="355"/>
        <source>This licence may only be used with a State homologation (CRPA D323-2-2): type its reference, or choose the Licence Ouverte 2.0.</source>
        <translation>Cette licence ne peut être utilisée qu'avec une homologation de l'État (CRPA D323-2-2) : saisissez sa référence, ou choisissez la Licence Ouverte 2.0.</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/licence_page.py" line="393"/>
        <source>The licence could not be stored ({error}).</source>
        <translation>La licence n'a pas pu être enregistrée ({error}).</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/licence_page.py" line="407"/>
        <source>Licence saved in « {layer} ». Save the project to keep it.</source>
        <translation>Licence enregistrée dans « {layer} ». Enregistrez le projet pour la conserver.</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/licence_page.py" line="205"/>
        <source>Attribution</source>
        <translation>Attribution</translation>
    </message>
</context>
<context>
    <name>MappingEditorDialog</name>
    <message>
        <location filename="../opendata_publisher/gui/mapping_editor.py" line="52"/>
        <source>Field mapping — {layer}</source>
        <translation>Correspondance des champs — {layer}</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/mapping_editor.py" line="60"/>
        <source>For each field of the schema « {schema} », choose the field of the layer that holds it. Fields with the same name are matched automatically; ★ marks a suggestion (similar name). The choice is stored in the layer and saved with the project. * = required field.</source>
        <translation>Pour chaque champ du schéma « {schema} », choisissez le champ de la couche qui le contient. Les champs de même nom sont associés automatiquement ; ★ signale une suggestion (nom proche). Le choix est conservé dans la couche et enregistré avec le projet. * = champ obligatoire.</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/mapping_editor.py" line="73"/>
        <source>Schema field</source>
        <translation>Champ du schéma</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/mapping_editor.py" line="73"/>
        <source>Description</source>
        <translation>Description</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/mapping_editor.py" line="73"/>
        <source>Layer field</source>
        <translation>Champ de la couche</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/mapping_editor.py" line="73"/>
        <source>Note</source>
        <translation>Note</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/mapping_editor.py" line="98"/>
        <source>Apply the suggestions</source>
        <translation>Appliquer les suggestions</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/mapping_editor.py" line="99"/>
        <source>Forget the current choices: same names and suggestions only</source>
        <translation>Oublier les choix actuels : uniquement les noms identiques et les suggestions</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/mapping_editor.py" line="131"/>
        <source>(none)</source>
        <translation>(aucun)</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/mapping_editor.py" line="139"/>
        <source>Same name as the schema field</source>
        <translation>Même nom que le champ du schéma</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/mapping_editor.py" line="182"/>
        <source>Suggested: {reason}</source>
        <translation>Suggéré : {reason}</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/mapping_editor.py" line="169"/>
        <source>Required field missing from the layer: the check will report it</source>
        <translation>Champ obligatoire absent de la couche : la vérification le signalera</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/mapping_editor.py" line="173"/>
        <source>Not in the layer (optional)</source>
        <translation>Absent de la couche (facultatif)</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/mapping_editor.py" line="175"/>
        <source>« {field} » is chosen for several schema fields</source>
        <translation>« {field} » est choisi pour plusieurs champs du schéma</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/mapping_editor.py" line="179"/>
        <source>Same name</source>
        <translation>Même nom</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/mapping_editor.py" line="185"/>
        <source>Chosen by hand</source>
        <translation>Choisi à la main</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/mapping_editor.py" line="194"/>
        <source>A layer field can hold only one schema field: change the choice for {fields}.</source>
        <translation>Un champ de la couche ne peut correspondre qu'à un seul champ du schéma : modifiez le choix pour {fields}.</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/mapping_editor.py" line="203"/>
        <source>Layer fields not used by the schema (reported as extra fields): {fields}</source>
        <translation>Champs de la couche non utilisés par le schéma (signalés comme champs en trop) : {fields}</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/mapping_editor.py" line="209"/>
        <source>Every layer field is used by the schema.</source>
        <translation>Tous les champs de la couche sont utilisés par le schéma.</translation>
    </message>
</context>
<context>
    <name>OpenDataDock</name>
    <message>
        <location filename="../opendata_publisher/gui/dock.py" line="30"/>
        <source>Open data publisher</source>
        <translation>Données ouvertes</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/dock.py" line="61"/>
        <source>1. Check</source>
        <translation>1. Vérifier</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/legal_page.py" line="441"/>
        <source>Legal check</source>
        <translation>Contrôle juridique</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/describe_page.py" line="966"/>
        <source>Describe</source>
        <translation>Décrire</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/licence_page.py" line="418"/>
        <source>Licence</source>
        <translation>Licence</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/publish_page.py" line="818"/>
        <source>Publish</source>
        <translation>Publier</translation>
    </message>
</context>
<context>
    <name>OpenDataFlow</name>
    <message>
        <location filename="../opendata_publisher/gui/flow.py" line="90"/>
        <source>Check</source>
        <translation>Vérifier</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/flow.py" line="91"/>
        <source>Describe</source>
        <translation>Décrire</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/flow.py" line="92"/>
        <source>Licence</source>
        <translation>Licence</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/flow.py" line="93"/>
        <source>Legal check</source>
        <translation>Contrôle juridique</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/flow.py" line="94"/>
        <source>Publish</source>
        <translation>Publier</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/flow.py" line="138"/>
        <source>check cancelled</source>
        <translation>vérification annulée</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/flow.py" line="162"/>
        <source>{count} error(s)</source>
        <translation>{count} erreur(s)</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/flow.py" line="146"/>
        <source>compliant, {count} warning(s)</source>
        <translation>conforme, {count} avertissement(s)</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/flow.py" line="167"/>
        <source>compliant</source>
        <translation>conforme</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/flow.py" line="170"/>
        <source>not checked yet</source>
        <translation>pas encore vérifiée</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/flow.py" line="171"/>
        <source>no schema chosen</source>
        <translation>aucun schéma choisi</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/flow.py" line="276"/>
        <source>{count} gap(s)</source>
        <translation>{count} manque(s)</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/flow.py" line="280"/>
        <source>complete, {count} suggestion(s)</source>
        <translation>complète, {count} suggestion(s)</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/flow.py" line="286"/>
        <source>complete</source>
        <translation>complète</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/flow.py" line="291"/>
        <source>to choose</source>
        <translation>à choisir</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/flow.py" line="294"/>
        <source>{licence}: to complete</source>
        <translation>{licence} : à compléter</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/flow.py" line="300"/>
        <source>not recognised: choose again</source>
        <translation>non reconnue : à choisir de nouveau</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/flow.py" line="352"/>
        <source>blocking</source>
        <translation>bloquant</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/flow.py" line="354"/>
        <source>{count} to confirm</source>
        <translation>{count} à confirmer</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/flow.py" line="359"/>
        <source>no obstacle</source>
        <translation>aucun obstacle</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/flow.py" line="363"/>
        <source>not analysed yet</source>
        <translation>pas encore analysée</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/flow.py" line="372"/>
        <source>never published</source>
        <translation>jamais publiée</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/flow.py" line="374"/>
        <source>published on {date}</source>
        <translation>publiée le {date}</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/flow.py" line="183"/>
        <source>changed since the check of {date}: check again</source>
        <translation>modifiée depuis la vérification du {date} : à revérifier</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/flow.py" line="191"/>
        <source>{count} error(s) on {date}</source>
        <translation>{count} erreur(s) le {date}</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/flow.py" line="198"/>
        <source>compliant on {date}</source>
        <translation>conforme le {date}</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/flow.py" line="212"/>
        <source>changed since the analysis of {date}: analyse again</source>
        <translation>modifiée depuis l'analyse du {date} : à réanalyser</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/flow.py" line="227"/>
        <source>no obstacle on {date}</source>
        <translation>aucun obstacle le {date}</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/flow.py" line="305"/>
        <source>{licence}: to confirm</source>
        <translation>{licence} : à confirmer</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/flow.py" line="347"/>
        <source>checklist to answer</source>
        <translation>questionnaire à remplir</translation>
    </message>
</context>
<context>
    <name>OpenDataProvider</name>
    <message>
        <location filename="../opendata_publisher/processing/provider.py" line="44"/>
        <source>Open data publisher</source>
        <translation>Données ouvertes</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/processing/provider.py" line="47"/>
        <source>Open data publisher {version}</source>
        <translation>Données ouvertes (Open Data Publisher {version})</translation>
    </message>
</context>
<context>
    <name>OpenDataPublisherPlugin</name>
    <message>
        <location filename="../opendata_publisher/plugin_main.py" line="192"/>
        <source>Open data</source>
        <translation>Données ouvertes</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/plugin_main.py" line="96"/>
        <source>Open data: check a layer against a data schema before publishing it</source>
        <translation>Données ouvertes : vérifier une couche avec un schéma de données avant de la publier</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/plugin_main.py" line="102"/>
        <source>Settings…</source>
        <translation>Paramètres…</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/plugin_main.py" line="192"/>
        <source>The Open data panel could not be created. Look at the « Open Data Publisher » tab of the message log for the reason, then reinstall the plugin.</source>
        <translation>Le panneau Données ouvertes n'a pas pu être créé. La raison est indiquée dans l'onglet « Open Data Publisher » du journal des messages ; réinstallez ensuite l'extension.</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/plugin_main.py" line="109"/>
        <source>Territory dashboard…</source>
        <translation>Tableau de bord du territoire…</translation>
    </message>
</context>
<context>
    <name>OpenDataTasks</name>
    <message>
        <location filename="../opendata_publisher/gui/legal_page.py" line="50"/>
        <source>The legal check</source>
        <translation>Le contrôle juridique</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/legal_page.py" line="53"/>
        <source>Legal check of {layer}</source>
        <translation>Contrôle juridique de {layer}</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/tasks.py" line="161"/>
        <source>the layer</source>
        <translation>la couche</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/tasks.py" line="67"/>
        <source>The task</source>
        <translation>La tâche</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/tasks.py" line="117"/>
        <source>Loading the schema catalogue</source>
        <translation>Chargement du catalogue de schémas</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/tasks.py" line="134"/>
        <source>Loading the schema</source>
        <translation>Le chargement du schéma</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/tasks.py" line="137"/>
        <source>Loading the schema {ref}</source>
        <translation>Chargement du schéma {ref}</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/tasks.py" line="158"/>
        <source>The check</source>
        <translation>La vérification</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/tasks.py" line="161"/>
        <source>Checking {layer} against the schema</source>
        <translation>Vérification de {layer} avec le schéma</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/conform_dialog.py" line="42"/>
        <source>The preview of the fixes</source>
        <translation>La prévisualisation des corrections</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/conform_dialog.py" line="45"/>
        <source>Preparing the fixes of {layer}</source>
        <translation>Préparation des corrections de {layer}</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/conform_dialog.py" line="71"/>
        <source>The conversion</source>
        <translation>La conversion</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/conform_dialog.py" line="74"/>
        <source>Making {layer} conform to the schema</source>
        <translation>Mise en conformité de {layer} avec le schéma</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/connections_widget.py" line="73"/>
        <source>The connection test</source>
        <translation>Le test de la connexion</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/connections_widget.py" line="76"/>
        <source>Testing the connection {name}</source>
        <translation>Test de la connexion {name}</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/publish_page.py" line="67"/>
        <source>The publication</source>
        <translation>La publication</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/publish_page.py" line="70"/>
        <source>Checking {layer} before publication</source>
        <translation>Vérification de {layer} avant publication</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/publish_page.py" line="70"/>
        <source>Publishing {layer}</source>
        <translation>Publication de {layer}</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/tasks.py" line="54"/>
        <source>{what} failed because of an unexpected error ({error}). Try again; if it happens again, report it with the content of the « Open Data Publisher » tab of the log messages panel.</source>
        <translation>{what} a échoué à cause d'une erreur inattendue ({error}). Réessayez ; si cela se reproduit, signalez-le en joignant le contenu de l'onglet « Open Data Publisher » du panneau Journal des messages.</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/territory_dashboard_dialog.py" line="50"/>
        <source>The territory measure</source>
        <translation>La mesure du territoire</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/territory_dashboard_dialog.py" line="53"/>
        <source>Measuring the territory&apos;s open data</source>
        <translation>Mesure des données ouvertes du territoire</translation>
    </message>
</context>
<context>
    <name>OptionsPage</name>
    <message>
        <location filename="../opendata_publisher/gui/options_page.py" line="84"/>
        <source>Schema catalogue</source>
        <translation>Catalogue de schémas</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/options_page.py" line="89"/>
        <source>Address of the list of data schemas (schema.data.gouv.fr format). Change it only if your organisation publishes its own catalogue.</source>
        <translation>Adresse de la liste des schémas de données (format de schema.data.gouv.fr). Ne la changez que si votre organisation publie son propre catalogue.</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/options_page.py" line="95"/>
        <source>Reset</source>
        <translation>Réinitialiser</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/options_page.py" line="97"/>
        <source>Go back to the schema.data.gouv.fr catalogue</source>
        <translation>Revenir au catalogue de schema.data.gouv.fr</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/options_page.py" line="102"/>
        <source>Catalogue URL</source>
        <translation>Adresse du catalogue</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/options_page.py" line="107"/>
        <source>Folder for downloaded schemas</source>
        <translation>Dossier des schémas téléchargés</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/options_page.py" line="109"/>
        <source>Downloaded catalogue and schemas are kept here so checks also work without Internet. Leave empty to use the QGIS profile folder.</source>
        <translation>Le catalogue et les schémas téléchargés sont conservés ici pour que les vérifications fonctionnent aussi sans Internet. Laissez vide pour utiliser le dossier du profil QGIS.</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/options_page.py" line="247"/>
        <source>Clear cache</source>
        <translation>Vider le cache</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/options_page.py" line="117"/>
        <source>Delete the downloaded catalogue and schemas; they are downloaded again when needed</source>
        <translation>Supprimer le catalogue et les schémas téléchargés ; ils seront de nouveau téléchargés au besoin</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/options_page.py" line="124"/>
        <source>Cache folder</source>
        <translation>Dossier du cache</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/options_page.py" line="131"/>
        <source>Network</source>
        <translation>Réseau</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/options_page.py" line="136"/>
        <source> s</source>
        <translation> s</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/options_page.py" line="137"/>
        <source>How long to wait for a server before giving up. Increase it on a slow connection.</source>
        <translation>Durée d'attente d'une réponse du serveur avant d'abandonner. Augmentez-la si la connexion est lente.</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/options_page.py" line="140"/>
        <source>Timeout</source>
        <translation>Délai d'attente</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/options_page.py" line="141"/>
        <source>Proxy and certificates are those of QGIS (Settings &gt; Options &gt; Network and Authentication).</source>
        <translation>Le proxy et les certificats sont ceux de QGIS (Préférences &gt; Options &gt; Réseau et Authentification).</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/options_page.py" line="149"/>
        <source>Checks</source>
        <translation>Vérifications</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/options_page.py" line="151"/>
        <source>Check only the selected features by default</source>
        <translation>Vérifier par défaut les entités sélectionnées uniquement</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/options_page.py" line="154"/>
        <source>Write debug messages to the message log</source>
        <translation>Écrire les messages de débogage dans le journal des messages</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/options_page.py" line="156"/>
        <source>Useful to report a problem: details appear in the « Open Data Publisher » tab of the log.</source>
        <translation>Utile pour signaler un problème : les détails apparaissent dans l'onglet « Open Data Publisher » du journal.</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/options_page.py" line="203"/>
        <source>Some settings are set by environment variables and cannot be changed here: {names}.</source>
        <translation>Certains paramètres sont imposés par des variables d'environnement et ne peuvent pas être modifiés ici : {names}.</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/options_page.py" line="247"/>
        <source>Delete the downloaded catalogue and schemas in {folder}?
They will be downloaded again at the next check (Internet needed).</source>
        <translation>Supprimer le catalogue et les schémas téléchargés dans {folder} ?
Ils seront de nouveau téléchargés à la prochaine vérification (Internet nécessaire).</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/options_page.py" line="263"/>
        <source>Cache cleared: {count} file(s) deleted.</source>
        <translation>Cache vidé : {count} fichier(s) supprimé(s).</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/options_page.py" line="277"/>
        <source>Open data</source>
        <translation>Données ouvertes</translation>
    </message>
</context>
<context>
    <name>OrganisationProfileBox</name>
    <message>
        <location filename="../opendata_publisher/gui/widgets/profile_box.py" line="38"/>
        <source>Organisation profile</source>
        <translation>Profil de l'organisation</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/widgets/profile_box.py" line="41"/>
        <source>Filled once, used by « Prefill » in every description: the agent then only types a title and a description.</source>
        <translation>Rempli une seule fois, utilisé par « Préremplir » dans chaque description : il ne reste alors qu'à saisir un titre et une description.</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/widgets/profile_box.py" line="66"/>
        <source>The organisation that produces and publishes the data (e.g. Orléans Métropole).</source>
        <translation>L'organisation qui produit et publie les données (ex. : Orléans Métropole).</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/widgets/profile_box.py" line="69"/>
        <source>Its SIREN: 9 digits (annuaire-entreprises.data.gouv.fr).</source>
        <translation>Son SIREN : 9 chiffres (annuaire-entreprises.data.gouv.fr).</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/widgets/profile_box.py" line="70"/>
        <source>Its SIRET: 14 digits starting with the SIREN; the SCDL catalogue asks for it.</source>
        <translation>Son SIRET : 14 chiffres commençant par le SIREN ; le catalogue SCDL le demande.</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/widgets/profile_box.py" line="73"/>
        <source>The service that answers questions about the data (e.g. Service SIG).</source>
        <translation>Le service qui répond aux questions sur les données (ex. : Service SIG).</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/widgets/profile_box.py" line="74"/>
        <source>A generic address of that service (sig@…), not a personal one.</source>
        <translation>Une adresse générique de ce service (sig@…), pas une adresse personnelle.</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/widgets/profile_box.py" line="75"/>
        <source>Proposed for every dataset; the Licence Ouverte 2.0 is recommended.</source>
        <translation>Proposée pour chaque jeu de données ; la Licence Ouverte 2.0 est recommandée.</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/widgets/profile_box.py" line="76"/>
        <source>Added to every description, separated by « ; » (e.g. Orléans; métropole).</source>
        <translation>Ajoutés à chaque description, séparés par « ; » (ex. : Orléans ; métropole).</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/widgets/profile_box.py" line="77"/>
        <source>The territory covered by default: the EPCI (SIREN) or a commune (INSEE code).</source>
        <translation>Le territoire couvert par défaut : l'EPCI (SIREN) ou une commune (code INSEE).</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/widgets/profile_box.py" line="80"/>
        <source>Organisation</source>
        <translation>Organisation</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/widgets/profile_box.py" line="81"/>
        <source>SIREN</source>
        <translation>SIREN</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/widgets/profile_box.py" line="82"/>
        <source>SIRET</source>
        <translation>SIRET</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/widgets/profile_box.py" line="83"/>
        <source>Contact service</source>
        <translation>Service à contacter</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/widgets/profile_box.py" line="84"/>
        <source>Contact e-mail</source>
        <translation>Courriel de contact</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/widgets/profile_box.py" line="85"/>
        <source>Default licence</source>
        <translation>Licence par défaut</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/widgets/profile_box.py" line="86"/>
        <source>Default keywords</source>
        <translation>Mots-clés par défaut</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/widgets/profile_box.py" line="87"/>
        <source>Territory</source>
        <translation>Territoire</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/widgets/profile_box.py" line="97"/>
        <source>— none —</source>
        <translation>— aucun —</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/widgets/profile_box.py" line="209"/>
        <source>The SIRET must start with the 9 digits of the SIREN.</source>
        <translation>Le SIRET doit commencer par les 9 chiffres du SIREN.</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/widgets/profile_box.py" line="211"/>
        <source>This is not an e-mail address: write it as service@organisation.fr.</source>
        <translation>Ce n'est pas une adresse de courriel : écrivez-la sous la forme service@organisation.fr.</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/widgets/profile_box.py" line="172"/>
        <source>Fields in grey are {note}: change them in the shared profile, not here.</source>
        <translation>Les champs grisés sont {note} : ils se changent dans le profil partagé, pas ici.</translation>
    </message>
</context>
<context>
    <name>ProfileRefreshTask</name>
    <message>
        <location filename="../opendata_publisher/gui/profile_refresh.py" line="23"/>
        <source>Reading the shared open data profile</source>
        <translation>Lecture du profil open data partagé</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/profile_refresh.py" line="59"/>
        <source>Shared open data profile</source>
        <translation>Profil open data partagé</translation>
    </message>
</context>
<context>
    <name>PublishLayerAlgorithm</name>
    <message>
        <location filename="../opendata_publisher/processing/publish_layer.py" line="46"/>
        <source>Publish a layer as open data</source>
        <translation>Publier une couche en données ouvertes</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/processing/publish_layer.py" line="49"/>
        <source>Publish</source>
        <translation>Publier</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/processing/publish_layer.py" line="81"/>
        <source>Layer to publish</source>
        <translation>Couche à publier</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/processing/publish_layer.py" line="121"/>
        <source>Formats</source>
        <translation>Formats</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/processing/publish_layer.py" line="126"/>
        <source>Publish anyway despite warnings (recorded)</source>
        <translation>Publier malgré les avertissements (consigné)</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/processing/publish_layer.py" line="131"/>
        <source>Dry run (check and export, send nothing)</source>
        <translation>Essai à blanc (vérifier et exporter, ne rien envoyer)</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/processing/publish_layer.py" line="136"/>
        <source>Recreate the dataset if it was deleted on the portal</source>
        <translation>Recréer le jeu de données s'il a été supprimé du portail</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/processing/publish_layer.py" line="91"/>
        <source>Dataset page</source>
        <translation>Page du jeu de données</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/processing/publish_layer.py" line="92"/>
        <source>Published file</source>
        <translation>Fichier publié</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/processing/publish_layer.py" line="203"/>
        <source>The layer to publish cannot be opened.</source>
        <translation>La couche à publier ne peut pas être ouverte.</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/processing/publish_layer.py" line="59"/>
        <source>Publishes a layer to an open data portal (a connection saved in Settings &gt; Options &gt; Open data: data.gouv.fr, Opendatasoft, CKAN) or to a local publication folder (folder:&lt;path&gt;).
Publication is refused while the schema check, the legal check or the metadata check has a blocking problem; the log lists each one and the step to open. Warnings stop the publication unless ACCEPT_WARNINGS is set (« publish anyway », recorded in the layer's history); it never lifts a blocking problem.
FORMAT: one or several of csv, geojson, gpkg, shp (zipped Shapefile). DRY_RUN runs the checks and exports without sending or writing anything. Publishing the same layer again updates the same dataset. The layer's metadata may come from QGIS's own metadata tab (licence as free text, contact, keywords).
Unattended runs (qgis_process, no project): the schema, field mapping, description, legal decisions and published dataset chosen in the dock travel with the data (GeoPackage metadata tables, or a sidecar file). SCHEMA overrides the stored schema. Instead of a saved connection, give PORTAL_TYPE (udata, ckan, opendatasoft, folder), PORTAL_URL, ORGANISATION and AUTHCFG (the id of a QGIS authentication configuration holding the key; unlock the authentication database with QGIS_AUTH_PASSWORD_FILE). SUMMARY writes a JSON report (status, files sent, dataset and resource links, check and legal counts). The algorithm fails (non-zero exit status) when nothing was published. Unchanged files (same checksums as last published) are not sent again: only the metadata is refreshed.</source>
        <translation>Publie une couche sur un portail de données ouvertes (une connexion enregistrée dans Préférences &gt; Options &gt; Données ouvertes : data.gouv.fr, Opendatasoft, CKAN) ou dans un dossier de publication local (folder:&lt;chemin&gt;).
La publication est refusée tant que la vérification du schéma, le contrôle juridique ou la vérification des métadonnées signale un problème bloquant ; le journal liste chacun d'eux et l'étape à ouvrir. Les avertissements bloquent la publication sauf si ACCEPT_WARNINGS est activé (« publier quand même », consigné dans l'historique de la couche) ; cela ne lève jamais un problème bloquant.
FORMAT : un ou plusieurs formats parmi csv, geojson, gpkg, shp (Shapefile zippé). DRY_RUN lance les vérifications et les exports sans rien envoyer ni écrire. Publier de nouveau la même couche met à jour le même jeu de données. Les métadonnées de la couche peuvent venir de l'onglet Métadonnées de QGIS (licence en texte libre, contact, mots-clés).
Exécutions sans surveillance (qgis_process, sans projet) : le schéma, la correspondance des champs, la description, les décisions juridiques et le jeu de données publié choisis dans le dock sont gardés avec la donnée (tables de métadonnées du GeoPackage, ou fichier voisin). SCHEMA remplace le schéma enregistré. À la place d'une connexion enregistrée, indiquez PORTAL_TYPE (udata, ckan, opendatasoft, folder), PORTAL_URL, ORGANISATION et AUTHCFG (l'identifiant d'une configuration d'authentification QGIS qui contient la clé ; la base d'authentification se déverrouille avec QGIS_AUTH_PASSWORD_FILE). SUMMARY écrit un compte rendu JSON (statut, fichiers envoyés, liens du jeu de données et des fichiers, nombres du contrôle de schéma et du contrôle juridique). L'algorithme échoue (code de sortie non nul) quand rien n'a été publié. Les fichiers inchangés (mêmes sommes de contrôle que la dernière publication) ne sont pas renvoyés : seules les métadonnées sont mises à jour.</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/processing/publish_layer.py" line="83"/>
        <source>Schema (catalogue name[@version], path or URL; empty: the one chosen for the layer)</source>
        <translation>Schéma (nom du catalogue[@version], chemin ou adresse ; vide : celui choisi pour la couche)</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/processing/publish_layer.py" line="93"/>
        <source>Status</source>
        <translation>Statut</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/processing/publish_layer.py" line="96"/>
        <source>Connection (saved or shared profile connection name, or folder:&lt;path&gt;; empty: the portal below)</source>
        <translation>Connexion (nom d'une connexion enregistrée ou du profil partagé, ou folder:&lt;chemin&gt; ; vide : le portail ci-dessous)</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/processing/publish_layer.py" line="105"/>
        <source>Portal type (udata, ckan, opendatasoft, folder)</source>
        <translation>Type de portail (udata, ckan, opendatasoft, folder)</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/processing/publish_layer.py" line="110"/>
        <source>Portal address</source>
        <translation>Adresse du portail</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/processing/publish_layer.py" line="111"/>
        <source>Organisation on the portal</source>
        <translation>Organisation sur le portail</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/processing/publish_layer.py" line="114"/>
        <source>QGIS authentication configuration id holding the key</source>
        <translation>Identifiant de la configuration d'authentification QGIS qui contient la clé</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/processing/publish_layer.py" line="141"/>
        <source>Summary report (JSON)</source>
        <translation>Compte rendu (JSON)</translation>
    </message>
</context>
<context>
    <name>PublishPage</name>
    <message>
        <location filename="../opendata_publisher/gui/publish_page.py" line="161"/>
        <source>What and where</source>
        <translation>Quoi et où</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/publish_page.py" line="164"/>
        <source>Layer</source>
        <translation>Couche</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/publish_page.py" line="165"/>
        <source>The layer (or table) to publish</source>
        <translation>La couche (ou la table) à publier</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/publish_page.py" line="168"/>
        <source>Portal</source>
        <translation>Portail</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/publish_page.py" line="171"/>
        <source>Where to publish: a portal connection, or the local publication folder (no account needed)</source>
        <translation>Où publier : une connexion à un portail, ou le dossier de publication local (sans compte)</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/publish_page.py" line="176"/>
        <source>Connections…</source>
        <translation>Connexions…</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/publish_page.py" line="178"/>
        <source>Add or edit the portal connections and their API keys</source>
        <translation>Ajouter ou modifier les connexions aux portails et leurs clés d'API</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/publish_page.py" line="187"/>
        <source>Folder…</source>
        <translation>Dossier…</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/publish_page.py" line="189"/>
        <source>Choose the local publication folder</source>
        <translation>Choisir le dossier de publication local</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/publish_page.py" line="196"/>
        <source>Files and options</source>
        <translation>Fichiers et options</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/publish_page.py" line="200"/>
        <source>Shapefile (zipped)</source>
        <translation>Shapefile (zippé)</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/publish_page.py" line="206"/>
        <source>UTF-8, columns in the order of the data schema</source>
        <translation>UTF-8, colonnes dans l'ordre du schéma de données</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/publish_page.py" line="207"/>
        <source>WGS 84 coordinates (RFC 7946)</source>
        <translation>Coordonnées en WGS 84 (RFC 7946)</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/publish_page.py" line="212"/>
        <source>Draft / private</source>
        <translation>Brouillon / privé</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/publish_page.py" line="214"/>
        <source>A new dataset is created hidden: check it on the portal, then make it public there</source>
        <translation>Un nouveau jeu de données est créé masqué : vérifiez-le sur le portail, puis rendez-le public depuis le portail</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/publish_page.py" line="218"/>
        <source>Simulation (send nothing)</source>
        <translation>Simulation (rien n'est envoyé)</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/publish_page.py" line="220"/>
        <source>Run the checks and prepare the files, but send and write nothing: to try safely</source>
        <translation>Lancer les vérifications et préparer les fichiers, sans rien envoyer ni écrire : pour essayer sans risque</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/publish_page.py" line="239"/>
        <source>Check before publishing</source>
        <translation>Vérifier avant de publier</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/publish_page.py" line="243"/>
        <source>Run the schema, legal and metadata checks now and list what would stop the publication</source>
        <translation>Lancer maintenant la vérification du schéma, le contrôle juridique et la vérification des métadonnées, et lister ce qui empêcherait la publication</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/publish_page.py" line="256"/>
        <source>Publish anyway (the warnings are recorded in the history)</source>
        <translation>Publier quand même (les avertissements sont consignés dans l'historique)</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/publish_page.py" line="258"/>
        <source>You have read the warnings and decide to publish as it is; your name and the warnings are kept</source>
        <translation>Vous avez lu les avertissements et décidez de publier en l'état ; votre nom et les avertissements sont conservés</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/publish_page.py" line="268"/>
        <source>Publish</source>
        <translation>Publier</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/publish_page.py" line="275"/>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/publish_page.py" line="303"/>
        <source>Publication history</source>
        <translation>Historique des publications</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/publish_page.py" line="376"/>
        <source>Local publication folder</source>
        <translation>Dossier de publication local</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/publish_page.py" line="410"/>
        <source>Folder: {path}</source>
        <translation>Dossier : {path}</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/publish_page.py" line="414"/>
        <source>Opendatasoft publishes one file per dataset: CSV is recommended, the other files are attached.</source>
        <translation>Opendatasoft publie un fichier par jeu de données : le CSV est recommandé, les autres fichiers sont ajoutés en pièces jointes.</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/publish_page.py" line="420"/>
        <source>The folder also receives the metadata (DCAT-AP, ISO 19139), the licence and the reports.</source>
        <translation>Le dossier reçoit aussi les métadonnées (DCAT-AP, ISO 19139), la licence et les rapports.</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/publish_page.py" line="459"/>
        <source>Choose the layer to publish first.</source>
        <translation>Choisissez d'abord la couche à publier.</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/publish_page.py" line="463"/>
        <source>Choose where to publish (a portal connection or the local folder).</source>
        <translation>Choisissez où publier (une connexion à un portail ou le dossier local).</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/publish_page.py" line="467"/>
        <source>Tick at least one file format.</source>
        <translation>Cochez au moins un format de fichier.</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/publish_page.py" line="489"/>
        <source>The layer « {layer} » cannot be read ({error}).</source>
        <translation>La couche « {layer} » ne peut pas être lue ({error}).</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/publish_page.py" line="522"/>
        <source>Checking « {layer} »…</source>
        <translation>Vérification de « {layer} »…</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/publish_page.py" line="522"/>
        <source>Publishing « {layer} »…</source>
        <translation>Publication de « {layer} »…</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/publish_page.py" line="540"/>
        <source>{step} ({done} of {total} MB)</source>
        <translation>{step} ({done} sur {total} Mo)</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/publish_page.py" line="553"/>
        <source>Check cancelled.</source>
        <translation>Vérification annulée.</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/publish_page.py" line="561"/>
        <source>The publication reference could not be stored in the layer ({error}).</source>
        <translation>La référence de la publication n'a pas pu être enregistrée dans la couche ({error}).</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/publish_page.py" line="581"/>
        <source>Cancelled: nothing was published.</source>
        <translation>Annulé : rien n'a été publié.</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/publish_page.py" line="584"/>
        <source>Dataset deleted</source>
        <translation>Jeu de données supprimé</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/publish_page.py" line="584"/>
        <source>The dataset was deleted on the portal. Create it again?</source>
        <translation>Le jeu de données a été supprimé du portail. Le recréer ?</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/publish_page.py" line="599"/>
        <source>Published: the portal confirmed the dataset.</source>
        <translation>Publié : le portail a confirmé le jeu de données.</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/publish_page.py" line="611"/>
        <source>Nothing was published: see « Check before publishing » above.</source>
        <translation>Rien n'a été publié : voyez « Vérifier avant de publier » ci-dessus.</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/publish_page.py" line="634"/>
        <source>{count} blocking problem(s): publication is refused until they are fixed.</source>
        <translation>{count} problème(s) bloquant(s) : la publication est refusée tant qu'ils ne sont pas corrigés.</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/publish_page.py" line="648"/>
        <source>Nothing blocks, but {count} warning(s): fix them, or tick « Publish anyway ».</source>
        <translation>Rien de bloquant, mais {count} avertissement(s) : corrigez-les, ou cochez « Publier quand même ».</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/publish_page.py" line="655"/>
        <source>The checks passed when publishing.</source>
        <translation>Les vérifications ont réussi au moment de la publication.</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/publish_page.py" line="658"/>
        <source>Nothing stops the publication: click « Publish ».</source>
        <translation>Rien n'empêche la publication : cliquez sur « Publier ».</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/publish_page.py" line="684"/>
        <source>Open this step</source>
        <translation>Ouvrir cette étape</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/publish_page.py" line="686"/>
        <source>Go to the « {step} » page to fix it</source>
        <translation>Aller à la page « {step} » pour corriger</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/publish_page.py" line="704"/>
        <source>… and {count} more: open the step to see them all.</source>
        <translation>… et {count} de plus : ouvrez l'étape pour les voir tous.</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/publish_page.py" line="732"/>
        <source>Click « Check before publishing » to see what is missing, or « Publish » directly.</source>
        <translation>Cliquez sur « Vérifier avant de publier » pour voir ce qui manque, ou directement sur « Publier ».</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/publish_page.py" line="641"/>
        <source>Published with {count} warning(s), recorded in the history: fix them for the next update.</source>
        <translation>Publié avec {count} avertissement(s), consignés dans l'historique : corrigez-les pour la prochaine mise à jour.</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/publish_page.py" line="599"/>
        <source>Published: the files are written in the local folder.</source>
        <translation>Publié : les fichiers sont écrits dans le dossier local.</translation>
    </message>
</context>
<context>
    <name>PublishProjectAlgorithm</name>
    <message>
        <location filename="../opendata_publisher/processing/publish_project.py" line="31"/>
        <source>Publish every layer of a project or folder</source>
        <translation>Publier toutes les couches d'un projet ou d'un dossier</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/processing/publish_project.py" line="34"/>
        <source>Publishes every layer that carries publication settings (a schema, a description, a published dataset chosen in the dock) from a project file (.qgz/.qgs), or from every GeoPackage of a folder, to one portal connection (same parameters as « Publish a layer as open data »). Each layer goes through its own gate (schema, legal and metadata checks): a layer refused or failing is skipped and reported, the others are published. SUMMARY writes one JSON report with a line per layer. The algorithm fails (non-zero exit status) when a layer was not published; the report says which and why.</source>
        <translation>Publie chaque couche qui porte des réglages de publication (un schéma, une description, un jeu de données publié, choisis dans le dock) d'un fichier de projet (.qgz/.qgs), ou de tous les GeoPackages d'un dossier, vers une connexion de portail (mêmes paramètres que « Publier une couche en données ouvertes »). Chaque couche passe son propre contrôle avant publication (schéma, contrôle juridique, métadonnées) : une couche refusée ou en échec est sautée et signalée, les autres sont publiées. SUMMARY écrit un seul compte rendu JSON, une ligne par couche. L'algorithme échoue (code de sortie non nul) quand une couche n'a pas été publiée ; le compte rendu dit laquelle et pourquoi.</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/processing/publish_project.py" line="44"/>
        <source>Project file (.qgz, .qgs)</source>
        <translation>Fichier de projet (.qgz, .qgs)</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/processing/publish_project.py" line="45"/>
        <source>Folder of GeoPackages</source>
        <translation>Dossier de GeoPackages</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/processing/publish_project.py" line="55"/>
        <source>Layers published</source>
        <translation>Couches publiées</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/processing/publish_project.py" line="56"/>
        <source>Layers skipped</source>
        <translation>Couches non publiées</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/processing/publish_project.py" line="57"/>
        <source>Status</source>
        <translation>Statut</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/processing/publish_project.py" line="69"/>
        <source>Give a project file (PROJECT) or a folder of GeoPackages (FOLDER).</source>
        <translation>Indiquez un fichier de projet (PROJECT) ou un dossier de GeoPackages (FOLDER).</translation>
    </message>
</context>
<context>
    <name>ResultsPanel</name>
    <message>
        <location filename="../opendata_publisher/gui/check_results.py" line="52"/>
        <source>Field mapping…</source>
        <translation>Correspondance des champs…</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/check_results.py" line="54"/>
        <source>Tell which layer field holds which schema field (truncated Shapefile names, other names…)</source>
        <translation>Indiquer quel champ de la couche correspond à quel champ du schéma (noms tronqués des Shapefile, noms différents…)</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/check_results.py" line="59"/>
        <source>Check</source>
        <translation>Vérifier</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/check_results.py" line="63"/>
        <source>Check the layer against the chosen schema</source>
        <translation>Vérifier la couche avec le schéma choisi</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/check_results.py" line="65"/>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/check_results.py" line="94"/>
        <source>Select the features in error</source>
        <translation>Sélectionner les entités en erreur</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/check_results.py" line="97"/>
        <source>Select on the layer every feature with at least one error, to fix them in the attribute table</source>
        <translation>Sélectionner dans la couche toutes les entités qui ont au moins une erreur, pour les corriger dans la table d'attributs</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/check_results.py" line="101"/>
        <source>Fix…</source>
        <translation>Corriger…</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/check_results.py" line="104"/>
        <source>Preview the automatic fix of the selected problem, then create a conforming layer</source>
        <translation>Prévisualiser la correction automatique du problème sélectionné, puis créer une couche conforme</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/check_results.py" line="108"/>
        <source>Fix everything…</source>
        <translation>Tout corriger…</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/check_results.py" line="110"/>
        <source>Preview every automatic fix (field names, dates, decimal commas, yes/no, coordinates…), then create a new layer that follows the schema. The checked layer is not modified.</source>
        <translation>Prévisualiser toutes les corrections automatiques (noms de champs, dates, virgules décimales, oui/non, coordonnées…), puis créer une nouvelle couche conforme au schéma. La couche vérifiée n'est pas modifiée.</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/check_results.py" line="117"/>
        <source>Edit the value…</source>
        <translation>Modifier la valeur…</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/check_results.py" line="120"/>
        <source>Type the right value of the selected problem&apos;s feature, checked against the schema as you type</source>
        <translation>Saisir la bonne valeur pour l'entité du problème choisi, vérifiée avec le schéma pendant la saisie</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/check_results.py" line="191"/>
        <source>Export the report</source>
        <translation>Exporter le rapport</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/check_results.py" line="132"/>
        <source>JSON (for software)…</source>
        <translation>JSON (pour les logiciels)…</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/check_results.py" line="133"/>
        <source>Markdown (to read or attach to a ticket)…</source>
        <translation>Markdown (à lire ou à joindre à un ticket)…</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/check_results.py" line="143"/>
        <source>Show only the problems containing this text</source>
        <translation>N'afficher que les problèmes contenant ce texte</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/check_results.py" line="190"/>
        <source>JSON file (*.json)</source>
        <translation>Fichier JSON (*.json)</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/check_results.py" line="190"/>
        <source>Markdown file (*.md)</source>
        <translation>Fichier Markdown (*.md)</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/check_results.py" line="202"/>
        <source>The report could not be written to {path} ({error}). Choose another folder.</source>
        <translation>Le rapport n'a pas pu être écrit dans {path} ({error}). Choisissez un autre dossier.</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/check_results.py" line="208"/>
        <source>Report written to {path}</source>
        <translation>Rapport écrit dans {path}</translation>
    </message>
</context>
<context>
    <name>ReviewBox</name>
    <message>
        <location filename="../opendata_publisher/gui/review_box.py" line="54"/>
        <source>First publication to this place.</source>
        <translation>Première publication à cet endroit.</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/review_box.py" line="59"/>
        <source>{before} → {after} features</source>
        <translation>{before} → {after} entités</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/review_box.py" line="66"/>
        <source>schema {before} → {after}</source>
        <translation>schéma {before} → {after}</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/review_box.py" line="72"/>
        <source>new title</source>
        <translation>nouveau titre</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/review_box.py" line="74"/>
        <source>new licence</source>
        <translation>nouvelle licence</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/review_box.py" line="77"/>
        <source>files: {formats}</source>
        <translation>fichiers : {formats}</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/review_box.py" line="82"/>
        <source>Update of the publication of {date}</source>
        <translation>Mise à jour de la publication du {date}</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/review_box.py" line="84"/>
        <source>: same content description (the data files are replaced).</source>
        <translation> : même description (les fichiers de données sont remplacés).</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/review_box.py" line="100"/>
        <source>Title</source>
        <translation>Titre</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/review_box.py" line="112"/>
        <source>missing</source>
        <translation>manquant</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/review_box.py" line="112"/>
        <source>Description</source>
        <translation>Description</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/review_box.py" line="123"/>
        <source>Licence</source>
        <translation>Licence</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/review_box.py" line="153"/>
        <source>not chosen</source>
        <translation>non choisie</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/review_box.py" line="133"/>
        <source>Data schema</source>
        <translation>Schéma de données</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/review_box.py" line="133"/>
        <source>none (not checked)</source>
        <translation>aucun (non vérifié)</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/review_box.py" line="143"/>
        <source>Files</source>
        <translation>Fichiers</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/review_box.py" line="143"/>
        <source>no format ticked</source>
        <translation>aucun format coché</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/review_box.py" line="155"/>
        <source>Local folder: {path}</source>
        <translation>Dossier local : {path}</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/review_box.py" line="158"/>
        <source>organisation {name}</source>
        <translation>organisation {name}</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/review_box.py" line="158"/>
        <source>your own account</source>
        <translation>votre propre compte</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/review_box.py" line="163"/>
        <source>Where</source>
        <translation>Où</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/review_box.py" line="166"/>
        <source>What is new</source>
        <translation>Ce qui change</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/review_box.py" line="183"/>
        <source>Review before publishing</source>
        <translation>Relecture avant publication</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/review_box.py" line="237"/>
        <source>Open the step where this is filled in</source>
        <translation>Ouvrir l'étape où cela se renseigne</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/review_box.py" line="234"/>
        <source>Edit</source>
        <translation>Modifier</translation>
    </message>
</context>
<context>
    <name>SchemaPicker</name>
    <message>
        <location filename="../opendata_publisher/gui/check_schema_picker.py" line="136"/>
        <source>Schema</source>
        <translation>Schéma</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/check_schema_picker.py" line="161"/>
        <source>Search a schema (parking, trees, subsidies…)</source>
        <translation>Rechercher un schéma (stationnement, arbres, subventions…)</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/check_schema_picker.py" line="165"/>
        <source>Other schema…</source>
        <translation>Autre schéma…</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/check_schema_picker.py" line="166"/>
        <source>Use a schema.json file of your computer, or the web address of one</source>
        <translation>Utiliser un fichier schema.json de votre ordinateur, ou l'adresse web d'un tel fichier</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/check_schema_picker.py" line="169"/>
        <source>schema.json file on this computer…</source>
        <translation>Fichier schema.json sur cet ordinateur…</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/check_schema_picker.py" line="170"/>
        <source>Web address (URL) of a schema.json…</source>
        <translation>Adresse web (URL) d'un schema.json…</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/check_schema_picker.py" line="172"/>
        <source>Import a catalogue from a folder…</source>
        <translation>Importer un catalogue depuis un dossier…</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/check_schema_picker.py" line="173"/>
        <source>Import a catalogue from a .zip file…</source>
        <translation>Importer un catalogue depuis un fichier .zip…</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/check_schema_picker.py" line="194"/>
        <source>Version</source>
        <translation>Version</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/check_schema_picker.py" line="211"/>
        <source>Retry</source>
        <translation>Réessayer</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/check_schema_picker.py" line="214"/>
        <source>Download the catalogue of schema.data.gouv.fr again</source>
        <translation>Télécharger de nouveau le catalogue de schema.data.gouv.fr</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/check_schema_picker.py" line="248"/>
        <source>The schema catalogue cannot be opened ({error}). Check the plugin options.</source>
        <translation>Le catalogue de schémas ne peut pas être ouvert ({error}). Vérifiez les options de l'extension.</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/check_schema_picker.py" line="252"/>
        <source>Loading the catalogue of schema.data.gouv.fr…</source>
        <translation>Chargement du catalogue de schema.data.gouv.fr…</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/check_schema_picker.py" line="266"/>
        <source>No connection: catalogue shipped with the plugin ({date}), SCDL schemas included. For the others: « Other schema… ».</source>
        <translation>Pas de connexion : catalogue livré avec l'extension ({date}), schémas du SCDL inclus. Pour les autres : « Autre schéma… ».</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/check_schema_picker.py" line="275"/>
        <source>an earlier session</source>
        <translation>lors d'une session précédente</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/check_schema_picker.py" line="276"/>
        <source>No connection: the catalogue shown is the copy saved on {date}. Schemas already downloaded can still be used.</source>
        <translation>Pas de connexion : le catalogue affiché est la copie enregistrée ({date}). Les schémas déjà téléchargés restent utilisables.</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/check_schema_picker.py" line="284"/>
        <source>{n} schemas in the catalogue.</source>
        <translation>{n} schémas dans le catalogue.</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/check_schema_picker.py" line="289"/>
        <source>You can also use « Other schema… » to open a schema.json file, or to import a catalogue copied from another computer.</source>
        <translation>Vous pouvez aussi utiliser « Autre schéma… » pour ouvrir un fichier schema.json, ou pour importer un catalogue copié depuis un autre ordinateur.</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/check_schema_picker.py" line="303"/>
        <source>Folder of the schema catalogue</source>
        <translation>Dossier du catalogue de schémas</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/check_schema_picker.py" line="305"/>
        <source>Schema catalogue (.zip)</source>
        <translation>Catalogue de schémas (.zip)</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/check_schema_picker.py" line="305"/>
        <source>Zip file (*.zip);;All files (*)</source>
        <translation>Fichier zip (*.zip);;Tous les fichiers (*)</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/check_schema_picker.py" line="323"/>
        <source>Catalogue imported: {n} schemas listed, {count} of them usable without connection.</source>
        <translation>Catalogue importé : {n} schémas listés, dont {count} utilisables sans connexion.</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/check_schema_picker.py" line="375"/>
        <source>Web schema: {name}</source>
        <translation>Schéma du web : {name}</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/check_schema_picker.py" line="375"/>
        <source>Local schema: {name}</source>
        <translation>Schéma local : {name}</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/check_schema_picker.py" line="475"/>
        <source>{version} (latest)</source>
        <translation>{version} (la plus récente)</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/check_schema_picker.py" line="480"/>
        <source>No schema chosen</source>
        <translation>Aucun schéma choisi</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/check_schema_picker.py" line="491"/>
        <source>Choose a schema.json file</source>
        <translation>Choisir un fichier schema.json</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/check_schema_picker.py" line="491"/>
        <source>Table Schema (*.json);;All files (*)</source>
        <translation>Table Schema (*.json);;Tous les fichiers (*)</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/check_schema_picker.py" line="498"/>
        <source>Schema from the web</source>
        <translation>Schéma du web</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/check_schema_picker.py" line="498"/>
        <source>Web address (URL) of a Table Schema schema.json file:</source>
        <translation>Adresse web (URL) d'un fichier schema.json (Table Schema) :</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/check_schema_picker.py" line="507"/>
        <source>« {url} » is not a web address: it must start with https://. Copy the address of the schema.json file (for example from schema.data.gouv.fr) and try again.</source>
        <translation>« {url} » n'est pas une adresse web : elle doit commencer par https://. Copiez l'adresse du fichier schema.json (par exemple depuis schema.data.gouv.fr) et réessayez.</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/check_schema_picker.py" line="520"/>
        <source>Choose a schema in the list (or « Other schema… ») first.</source>
        <translation>Choisissez d'abord un schéma dans la liste (ou « Autre schéma… »).</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/check_schema_picker.py" line="534"/>
        <source>Loading the schema…</source>
        <translation>Chargement du schéma…</translation>
    </message>
</context>
<context>
    <name>SharedProfileBox</name>
    <message>
        <location filename="../opendata_publisher/gui/widgets/shared_profile_box.py" line="39"/>
        <source>Shared profile of the territory</source>
        <translation>Profil partagé du territoire</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/widgets/shared_profile_box.py" line="42"/>
        <source>The common open data language of the metropolis and its communes: organisations on the shared portal, defaults and naming rules. Its address is given by the metropolis&apos; GIS team.</source>
        <translation>Le langage commun open data de la métropole et de ses communes : organisations sur le portail partagé, valeurs par défaut et conventions de nommage. Son adresse est donnée par le service SIG de la métropole.</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/widgets/shared_profile_box.py" line="58"/>
        <source>Shared profile (*.json)</source>
        <translation>Profil partagé (*.json)</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/widgets/shared_profile_box.py" line="60"/>
        <source>Address (https://…) or file of the shared profile; empty: no shared profile</source>
        <translation>Adresse (https://…) ou fichier du profil partagé ; vide : pas de profil partagé</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/widgets/shared_profile_box.py" line="61"/>
        <source>Read again</source>
        <translation>Relire</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/widgets/shared_profile_box.py" line="63"/>
        <source>Read the shared profile now (network or file)</source>
        <translation>Relire le profil partagé maintenant (réseau ou fichier)</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/widgets/shared_profile_box.py" line="68"/>
        <source>Shared profile</source>
        <translation>Profil partagé</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/widgets/shared_profile_box.py" line="72"/>
        <source>The organisation, contact and naming rules of your descriptions follow from this choice</source>
        <translation>L'organisation, le contact et les conventions de nommage de vos descriptions découlent de ce choix</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/widgets/shared_profile_box.py" line="76"/>
        <source>I publish for</source>
        <translation>Je publie pour</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/widgets/shared_profile_box.py" line="105"/>
        <source> (copy kept offline)</source>
        <translation> (copie gardée hors ligne)</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/widgets/shared_profile_box.py" line="106"/>
        <source>{label}: {count} members{origin}.</source>
        <translation>{label} : {count} membres{origin}.</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/widgets/shared_profile_box.py" line="110"/>
        <source>Questions: {email}.</source>
        <translation>Questions : {email}.</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/widgets/shared_profile_box.py" line="124"/>
        <source>— choose —</source>
        <translation>— choisir —</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/widgets/shared_profile_box.py" line="124"/>
        <source>— no shared profile —</source>
        <translation>— pas de profil partagé —</translation>
    </message>
</context>
<context>
    <name>TerritoryDashboardAlgorithm</name>
    <message>
        <location filename="../opendata_publisher/processing/territory_dashboard.py" line="58"/>
        <source>Territory dashboard</source>
        <translation>Tableau de bord du territoire</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/processing/territory_dashboard.py" line="61"/>
        <source>Territory</source>
        <translation>Territoire</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/processing/territory_dashboard.py" line="86"/>
        <source>Portal (saved connection name, or folder:&lt;path&gt; for a local publication folder)</source>
        <translation>Portail (nom d'une connexion enregistrée, ou folder:&lt;dossier&gt; pour un dossier de publication local)</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/processing/territory_dashboard.py" line="92"/>
        <source>Communes → portal organisations (JSON file, optional)</source>
        <translation>Communes → organisations du portail (fichier JSON, facultatif)</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/processing/territory_dashboard.py" line="100"/>
        <source>Commune layer (optional)</source>
        <translation>Couche des communes (facultative)</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/processing/territory_dashboard.py" line="105"/>
        <source>INSEE code field of the commune layer (guessed when empty)</source>
        <translation>Champ du code INSEE de la couche des communes (deviné s'il est vide)</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/processing/territory_dashboard.py" line="113"/>
        <source>Download the data and check it against its schema</source>
        <translation>Télécharger les données et les vérifier avec leur schéma</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/processing/territory_dashboard.py" line="118"/>
        <source>Largest file downloaded for the check (MB)</source>
        <translation>Taille maximale d'un fichier téléchargé pour la vérification (Mo)</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/processing/territory_dashboard.py" line="127"/>
        <source>Read the portal again (ignore the catalogue cache)</source>
        <translation>Relire le portail (ignorer le cache du catalogue)</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/processing/territory_dashboard.py" line="132"/>
        <source>Members of the territory</source>
        <translation>Membres du territoire</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/processing/territory_dashboard.py" line="133"/>
        <source>Datasets of the territory</source>
        <translation>Jeux de données du territoire</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/processing/territory_dashboard.py" line="136"/>
        <source>HTML report</source>
        <translation>Rapport HTML</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/processing/territory_dashboard.py" line="136"/>
        <source>HTML files (*.html)</source>
        <translation>Fichiers HTML (*.html)</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/processing/territory_dashboard.py" line="141"/>
        <source>Share of communes publishing (%)</source>
        <translation>Part des communes qui publient (%)</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/processing/territory_dashboard.py" line="142"/>
        <source>Share of communes publishing common-core data (%)</source>
        <translation>Part des communes qui publient des données du socle commun (%)</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/processing/territory_dashboard.py" line="194"/>
        <source>Measure cancelled: nothing written.</source>
        <translation>Mesure annulée : rien n'a été écrit.</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/processing/territory_dashboard.py" line="244"/>
        <source>{publishing} of {members} communes publish open data, {scdl} publish common-core data.</source>
        <translation>{publishing} communes sur {members} publient des données ouvertes, {scdl} publient des données du socle commun.</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/processing/territory_dashboard.py" line="174"/>
        <source>Organisations of the communes taken from the shared profile.</source>
        <translation>Organisations des communes prises dans le profil partagé.</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/processing/territory_dashboard.py" line="67"/>
        <source>Reads the catalogue of a portal (data.gouv.fr/udata, CKAN, Opendatasoft or a local publication folder) and measures, for each of the 22 communes of the territory, which datasets it publishes, which of them follow a common-core (SCDL) schema, whether they are up to date with their declared frequency and, with VALIDATE_DATA, whether their data really follows the schema (the file is downloaded and checked by the plugin's validator, up to MAX_SIZE_MB).
INPUT: a saved connection name, or folder:&lt;path&gt;. MAPPING: optional JSON file giving the portal organisations of each commune ({&quot;members&quot;: {&quot;45234&quot;: [&quot;ville-d-orleans&quot;]}}); without it, organisations are matched to communes by name (« Ville d'Orléans » is Orléans).
COMMUNES: optional commune layer; the members layer then takes the commune outlines, joined on the INSEE code field (JOIN_FIELD, guessed when empty), with a graduated style; without it, each commune is a point (EPSG:4326) at the town hall whose location the shared profile gives (without a shared profile: the example profile shipped for the built-in territory; communes without a location have no geometry, and the log names them). Outputs: the members layer (indicators per commune), the datasets layer (one row per dataset with its link) and REPORT_HTML, a self-contained report (map, commune × schema matrix, charts, indicators, date).</source>
        <translation>Lit le catalogue d'un portail (data.gouv.fr/udata, CKAN, Opendatasoft ou un dossier de publication local) et mesure, pour chacune des 22 communes du territoire, les jeux de données qu'elle publie, ceux qui suivent un schéma du socle commun (SCDL), s'ils sont à jour au regard de leur fréquence déclarée et, avec VALIDATE_DATA, si leurs données suivent vraiment le schéma (le fichier est téléchargé et vérifié par le validateur de l'extension, jusqu'à MAX_SIZE_MB).
INPUT : le nom d'une connexion enregistrée, ou folder:&lt;dossier&gt;. MAPPING : fichier JSON facultatif donnant les organisations du portail de chaque commune ({&quot;members&quot;: {&quot;45234&quot;: [&quot;ville-d-orleans&quot;]}}) ; sans lui, les organisations sont rattachées aux communes par leur nom (« Ville d'Orléans » est Orléans).
COMMUNES : couche des communes facultative ; la couche des membres prend alors les contours des communes, jointe sur le champ du code INSEE (JOIN_FIELD, deviné s'il est vide), avec un style gradué ; sans elle, chaque commune est un point (EPSG:4326) à la mairie dont le profil partagé donne l'emplacement (sans profil partagé : le profil d'exemple livré pour le territoire intégré ; les communes sans emplacement n'ont pas de géométrie, et le journal les nomme). Sorties : la couche des membres (indicateurs par commune), la couche des jeux de données (une ligne par jeu avec son lien) et REPORT_HTML, un rapport autonome (carte, matrice communes × schémas, graphiques, indicateurs, date).</translation>
    </message>
</context>
<context>
    <name>TerritoryDashboardDialog</name>
    <message>
        <location filename="../opendata_publisher/gui/territory_dashboard_dialog.py" line="87"/>
        <source>Territory dashboard</source>
        <translation>Tableau de bord du territoire</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/territory_dashboard_dialog.py" line="101"/>
        <source>The shared portal to read: a connection saved in Settings &gt; Options &gt; Open data.</source>
        <translation>Le portail mutualisé à lire : une connexion enregistrée dans Préférences &gt; Options &gt; Données ouvertes.</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/territory_dashboard_dialog.py" line="104"/>
        <source>Portal</source>
        <translation>Portail</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/territory_dashboard_dialog.py" line="106"/>
        <source>JSON files (*.json)</source>
        <translation>Fichiers JSON (*.json)</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/territory_dashboard_dialog.py" line="107"/>
        <source>Optional JSON file giving the portal organisations of each commune: {&quot;members&quot;: {&quot;45234&quot;: [&quot;ville-d-orleans&quot;]}}. Without it, organisations are matched to communes by name (« Ville d'Orléans » is Orléans).</source>
        <translation>Fichier JSON facultatif donnant les organisations du portail de chaque commune : {&quot;members&quot;: {&quot;45234&quot;: [&quot;ville-d-orleans&quot;]}}. Sans lui, les organisations sont rattachées aux communes par leur nom (« Ville d'Orléans » est Orléans).</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/territory_dashboard_dialog.py" line="114"/>
        <source>Communes → organisations</source>
        <translation>Communes → organisations</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/territory_dashboard_dialog.py" line="129"/>
        <source>Field holding the INSEE code of the commune (guessed when empty).</source>
        <translation>Champ contenant le code INSEE de la commune (deviné s'il est vide).</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/territory_dashboard_dialog.py" line="132"/>
        <source>INSEE code field</source>
        <translation>Champ du code INSEE</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/territory_dashboard_dialog.py" line="134"/>
        <source>Commune layer</source>
        <translation>Couche des communes</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/territory_dashboard_dialog.py" line="136"/>
        <source>Download the data and check it against its schema</source>
        <translation>Télécharger les données et les vérifier avec leur schéma</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/territory_dashboard_dialog.py" line="142"/>
        <source>Larger files are not downloaded.</source>
        <translation>Les fichiers plus gros ne sont pas téléchargés.</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/territory_dashboard_dialog.py" line="144"/>
        <source>up to</source>
        <translation>jusqu'à</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/territory_dashboard_dialog.py" line="147"/>
        <source>Read the portal again</source>
        <translation>Relire le portail</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/territory_dashboard_dialog.py" line="148"/>
        <source>The portal&apos;s answers are kept for an hour; tick to read everything again (after a publication).</source>
        <translation>Les réponses du portail sont gardées une heure ; cochez pour tout relire (après une publication).</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/territory_dashboard_dialog.py" line="156"/>
        <source>Measure</source>
        <translation>Mesurer</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/territory_dashboard_dialog.py" line="159"/>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/territory_dashboard_dialog.py" line="194"/>
        <source>Double-click a cell to open the dataset in the browser.</source>
        <translation>Double-cliquez sur une case pour ouvrir le jeu de données dans le navigateur.</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/territory_dashboard_dialog.py" line="203"/>
        <source>Communes × schemas</source>
        <translation>Communes × schémas</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/territory_dashboard_dialog.py" line="210"/>
        <source>Datasets</source>
        <translation>Jeux de données</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/territory_dashboard_dialog.py" line="214"/>
        <source>Add the layers to the project</source>
        <translation>Ajouter les couches au projet</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/territory_dashboard_dialog.py" line="216"/>
        <source>Export the HTML report…</source>
        <translation>Exporter le rapport HTML…</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/territory_dashboard_dialog.py" line="218"/>
        <source>Export as PDF…</source>
        <translation>Exporter en PDF…</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/territory_dashboard_dialog.py" line="220"/>
        <source>Close</source>
        <translation>Fermer</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/territory_dashboard_dialog.py" line="236"/>
        <source>Local publication folder ({})</source>
        <translation>Dossier de publication local ({})</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/territory_dashboard_dialog.py" line="286"/>
        <source>Reading the portal's catalogue…</source>
        <translation>Lecture du catalogue du portail…</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/territory_dashboard_dialog.py" line="312"/>
        <source>Measure cancelled.</source>
        <translation>Mesure annulée.</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/territory_dashboard_dialog.py" line="332"/>
        <source>Measured on {when} on {source}.</source>
        <translation>Mesuré le {when} sur {source}.</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/territory_dashboard_dialog.py" line="337"/>
        <source>&lt;b&gt;{n} / {total}&lt;/b&gt; communes publish open data ({share} %)</source>
        <translation>&lt;b&gt;{n} / {total}&lt;/b&gt; communes publient des données ouvertes ({share} %)</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/territory_dashboard_dialog.py" line="340"/>
        <source>&lt;b&gt;{n} / {total}&lt;/b&gt; publish common-core data ({share} %)</source>
        <translation>&lt;b&gt;{n} / {total}&lt;/b&gt; publient des données du socle commun ({share} %)</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/territory_dashboard_dialog.py" line="343"/>
        <source>&lt;b&gt;{n}&lt;/b&gt; datasets, &lt;b&gt;{scdl}&lt;/b&gt; common-core, &lt;b&gt;{late}&lt;/b&gt; late</source>
        <translation>&lt;b&gt;{n}&lt;/b&gt; jeux de données, &lt;b&gt;{scdl}&lt;/b&gt; du socle commun, &lt;b&gt;{late}&lt;/b&gt; en retard</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/territory_dashboard_dialog.py" line="350"/>
        <source>&lt;b&gt;{valid}&lt;/b&gt; conforming, &lt;b&gt;{invalid}&lt;/b&gt; with errors</source>
        <translation>&lt;b&gt;{valid}&lt;/b&gt; conformes, &lt;b&gt;{invalid}&lt;/b&gt; avec erreurs</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/territory_dashboard_dialog.py" line="396"/>
        <source>Commune</source>
        <translation>Commune</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/territory_dashboard_dialog.py" line="397"/>
        <source>Dataset</source>
        <translation>Jeu de données</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/territory_dashboard_dialog.py" line="398"/>
        <source>Schema</source>
        <translation>Schéma</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/territory_dashboard_dialog.py" line="399"/>
        <source>Last update</source>
        <translation>Dernière mise à jour</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/territory_dashboard_dialog.py" line="400"/>
        <source>Freshness</source>
        <translation>Fraîcheur</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/territory_dashboard_dialog.py" line="401"/>
        <source>Conformity</source>
        <translation>Conformité</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/territory_dashboard_dialog.py" line="402"/>
        <source>Licence</source>
        <translation>Licence</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/territory_dashboard_dialog.py" line="412"/>
        <source>(heuristic: {})</source>
        <translation>(heuristique : {})</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/territory_dashboard_dialog.py" line="414"/>
        <source>(version {} available)</source>
        <translation>(version {} disponible)</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/territory_dashboard_dialog.py" line="416"/>
        <source>not checked</source>
        <translation>non vérifiée</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/territory_dashboard_dialog.py" line="473"/>
        <source>Layers « {members} » and « {datasets} » added to the project.</source>
        <translation>Couches « {members} » et « {datasets} » ajoutées au projet.</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/territory_dashboard_dialog.py" line="499"/>
        <source>HTML report</source>
        <translation>Rapport HTML</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/territory_dashboard_dialog.py" line="490"/>
        <source>HTML files (*.html)</source>
        <translation>Fichiers HTML (*.html)</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/territory_dashboard_dialog.py" line="499"/>
        <source>Cannot write {}: {}</source>
        <translation>Impossible d'écrire {} : {}</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/territory_dashboard_dialog.py" line="501"/>
        <source>HTML report written: {}</source>
        <translation>Rapport HTML écrit : {}</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/territory_dashboard_dialog.py" line="516"/>
        <source>PDF</source>
        <translation>PDF</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/territory_dashboard_dialog.py" line="509"/>
        <source>PDF files (*.pdf)</source>
        <translation>Fichiers PDF (*.pdf)</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/territory_dashboard_dialog.py" line="518"/>
        <source>PDF written: {}</source>
        <translation>PDF écrit : {}</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/territory_dashboard_dialog.py" line="120"/>
        <source>Outlines of the communes for the members layer. Without a commune layer, each commune is a point at the town hall whose location the shared profile gives (without one, the example profile shipped for the built-in territory).</source>
        <translation>Contours des communes pour la couche des membres. Sans couche de communes, chaque commune est un point à la mairie dont le profil partagé donne l'emplacement (sans profil, le profil d'exemple livré pour le territoire intégré).</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/territory_dashboard_dialog.py" line="371"/>
        <source>No commune of the territory publishes a common-core (SCDL) dataset on this portal: the matrix gets one column per common-core schema a commune publishes. The « Datasets » tab lists what the communes publish.</source>
        <translation>Aucune commune du territoire ne publie de jeu de données du socle commun (SCDL) sur ce portail : la matrice a une colonne par schéma du socle commun qu'une commune publie. L'onglet « Jeux de données » liste ce que publient les communes.</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/territory_dashboard_dialog.py" line="343"/>
        <source>&lt;b&gt;{n}&lt;/b&gt; dataset, &lt;b&gt;{scdl}&lt;/b&gt; common-core, &lt;b&gt;{late}&lt;/b&gt; late</source>
        <translation>&lt;b&gt;{n}&lt;/b&gt; jeu de données, &lt;b&gt;{scdl}&lt;/b&gt; du socle commun, &lt;b&gt;{late}&lt;/b&gt; en retard</translation>
    </message>
</context>
<context>
    <name>ValidateLayerAlgorithm</name>
    <message>
        <location filename="../opendata_publisher/processing/validate_layer.py" line="39"/>
        <source>Check a layer against a data schema</source>
        <translation>Vérifier une couche avec un schéma de données</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/processing/validate_layer.py" line="42"/>
        <source>Check</source>
        <translation>Vérifier</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/processing/validate_layer.py" line="48"/>
        <source>Checks every feature of a layer against a Table Schema from schema.data.gouv.fr (SCDL and others): fields, types, constraints, the schema's custom checks (SIRET, INSEE codes…) and coordinates in France.
SCHEMA: a catalogue name such as etalab/schema-stationnement, optionally @version (etalab/schema-stationnement@0.1.5), or the path or URL of a schema.json.
The JSON report lists each finding with its code, severity, field, feature id, row and message. The optional OUTPUT layer holds the features with errors, with their codes and messages.</source>
        <translation>Vérifie chaque entité d'une couche avec un schéma Table Schema de schema.data.gouv.fr (SCDL et autres) : champs, types, contraintes, vérifications propres au schéma (SIRET, codes INSEE…) et coordonnées en France.
SCHEMA : un nom du catalogue comme etalab/schema-stationnement, éventuellement suivi de @version (etalab/schema-stationnement@0.1.5), ou le chemin ou l'URL d'un schema.json.
Le rapport JSON liste chaque problème avec son code, sa gravité, son champ, l'identifiant de l'entité, la ligne et le message. La couche facultative OUTPUT contient les entités en erreur, avec leurs codes et leurs messages.</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/processing/validate_layer.py" line="58"/>
        <source>Layer to check</source>
        <translation>Couche à vérifier</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/processing/validate_layer.py" line="66"/>
        <source>Selected features only</source>
        <translation>Entités sélectionnées uniquement</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/processing/validate_layer.py" line="69"/>
        <source>Check report (JSON)</source>
        <translation>Rapport de vérification (JSON)</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/processing/validate_layer.py" line="69"/>
        <source>JSON files (*.json)</source>
        <translation>Fichiers JSON (*.json)</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/processing/validate_layer.py" line="74"/>
        <source>Features with errors</source>
        <translation>Entités en erreur</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/processing/validate_layer.py" line="83"/>
        <source>Layer follows the schema</source>
        <translation>La couche respecte le schéma</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/processing/validate_layer.py" line="84"/>
        <source>Number of errors</source>
        <translation>Nombre d'erreurs</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/processing/validate_layer.py" line="85"/>
        <source>Number of warnings</source>
        <translation>Nombre d'avertissements</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/processing/validate_layer.py" line="95"/>
        <source>The layer to check cannot be opened.</source>
        <translation>La couche à vérifier ne peut pas être ouverte.</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/processing/validate_layer.py" line="100"/>
        <source>No schema given: name a catalogue schema (etalab/schema-stationnement) or a schema.json.</source>
        <translation>Aucun schéma indiqué : donnez le nom d'un schéma du catalogue (etalab/schema-stationnement) ou un schema.json.</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/processing/validate_layer.py" line="105"/>
        <source>Schema: {} {} ({})</source>
        <translation>Schéma : {} {} ({})</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/processing/validate_layer.py" line="111"/>
        <source>Check cancelled: no report written.</source>
        <translation>Vérification annulée : aucun rapport n'a été écrit.</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/processing/validate_layer.py" line="59"/>
        <source>Schema (catalogue name[@version], path or URL of schema.json; empty: the layer&apos;s own)</source>
        <translation>Schéma (nom du catalogue[@version], chemin ou adresse d'un schema.json ; vide : celui de la couche)</translation>
    </message>
</context>
<context>
    <name>ValueEditorDialog</name>
    <message>
        <location filename="../opendata_publisher/gui/value_editor.py" line="49"/>
        <source>Fix the value</source>
        <translation>Corriger la valeur</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/value_editor.py" line="67"/>
        <source>{schema} (layer field {layer})</source>
        <translation>{schema} (champ {layer} de la couche)</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/value_editor.py" line="70"/>
        <source>Field:</source>
        <translation>Champ :</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/value_editor.py" line="71"/>
        <source>Feature:</source>
        <translation>Entité :</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/value_editor.py" line="75"/>
        <source>Expected:</source>
        <translation>Attendu :</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/value_editor.py" line="90"/>
        <source>New value:</source>
        <translation>Nouvelle valeur :</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/value_editor.py" line="98"/>
        <source>The layer goes into edit mode: nothing is written to its file until you save the layer&apos;s edits (you can still undo them).</source>
        <translation>La couche passe en mode édition : rien n'est écrit dans son fichier tant que vous n'enregistrez pas les modifications de la couche (vous pouvez encore les annuler).</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/value_editor.py" line="109"/>
        <source>Save the value</source>
        <translation>Enregistrer la valeur</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/value_editor.py" line="111"/>
        <source>Delete the feature</source>
        <translation>Supprimer l'entité</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/value_editor.py" line="114"/>
        <source>Deselect the feature</source>
        <translation>Désélectionner l'entité</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/value_editor.py" line="116"/>
        <source>Remove the feature from the selection (checks and publications of the selected features only)</source>
        <translation>Retirer l'entité de la sélection (vérifications et publications des seules entités sélectionnées)</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/value_editor.py" line="161"/>
        <source>The field « {field} » is not in the layer any more: check again.</source>
        <translation>Le champ « {field} » n'est plus dans la couche : vérifiez de nouveau.</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/value_editor.py" line="197"/>
        <source>The value conforms to the schema field.</source>
        <translation>La valeur est conforme au champ du schéma.</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/value_editor.py" line="215"/>
        <source>Fix the value of {field}</source>
        <translation>Corriger la valeur de {field}</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/value_editor.py" line="221"/>
        <source>QGIS refused the change (is the layer read-only?).</source>
        <translation>QGIS a refusé la modification (la couche est-elle en lecture seule ?).</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/value_editor.py" line="228"/>
        <source>Delete a feature</source>
        <translation>Supprimer une entité</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/value_editor.py" line="231"/>
        <source>QGIS refused to delete the feature (is the layer read-only?).</source>
        <translation>QGIS a refusé de supprimer l'entité (la couche est-elle en lecture seule ?).</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/value_editor.py" line="166"/>
        <source>The layer field « {field} » ({type}) cannot hold this value: use « Fix everything… » to convert the field.</source>
        <translation>Le champ « {field} » de la couche ({type}) ne peut pas recevoir cette valeur : utilisez « Tout corriger… » pour convertir le champ.</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/value_editor.py" line="205"/>
        <source>QGIS cannot edit this layer (read-only source): use « Fix everything… » to make a corrected copy.</source>
        <translation>QGIS ne peut pas modifier cette couche (source en lecture seule) : utilisez « Tout corriger… » pour en faire une copie corrigée.</translation>
    </message>
    <message>
        <location filename="../opendata_publisher/gui/value_editor.py" line="89"/>
        <source>Allowed values:</source>
        <translation>Valeurs autorisées :</translation>
    </message>
</context>
</TS>
