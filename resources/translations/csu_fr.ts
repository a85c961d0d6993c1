<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr" sourcelanguage="en">
<context>
    <name>AlarmActions</name>
    <message>
        <location filename="../../app/ui/alarm_actions.py" line="79"/>
        <source>Alarm {0}: the alarm service did not take the command ({1})</source>
        <translation>Alarme {0} : le service des alarmes n&apos;a pas pris la commande ({1})</translation>
    </message>
    <message>
        <location filename="../../app/ui/alarm_actions.py" line="107"/>
        <source>Alarm {0} is already closed</source>
        <translation>L&apos;alarme {0} est déjà clôturée</translation>
    </message>
    <message>
        <location filename="../../app/ui/alarm_actions.py" line="111"/>
        <source>Alarm {0} is already {1}</source>
        <translation>L&apos;alarme {0} est déjà {1}</translation>
    </message>
    <message>
        <location filename="../../app/ui/alarm_actions.py" line="113"/>
        <source>Alarm {0} is unknown to the alarm service</source>
        <translation>L&apos;alarme {0} est inconnue du service des alarmes</translation>
    </message>
    <message>
        <location filename="../../app/ui/alarm_actions.py" line="115"/>
        <source>Alarm {0}: the note is empty</source>
        <translation>Alarme {0} : la note est vide</translation>
    </message>
    <message>
        <location filename="../../app/ui/alarm_actions.py" line="117"/>
        <source>Alarm {0}: choose an officer to assign</source>
        <translation>Alarme {0} : choisissez un agent à affecter</translation>
    </message>
    <message>
        <location filename="../../app/ui/alarm_actions.py" line="118"/>
        <source>Alarm {0}: the action failed ({1})</source>
        <translation>Alarme {0} : l&apos;action a échoué ({1})</translation>
    </message>
</context>
<context>
    <name>AlarmDesk</name>
    <message>
        <location filename="../../widgets/alarms/__init__.py" line="113"/>
        <source>&amp;Alarms</source>
        <translation>&amp;Alarmes</translation>
    </message>
    <message>
        <location filename="../../widgets/alarms/__init__.py" line="114"/>
        <source>Mute alarm sounds</source>
        <translation>Couper le son des alarmes</translation>
    </message>
    <message>
        <location filename="../../widgets/alarms/__init__.py" line="116"/>
        <source>Sound off (Ctrl+M)</source>
        <translation>Son coupé (Ctrl+M)</translation>
    </message>
    <message>
        <location filename="../../widgets/alarms/__init__.py" line="118"/>
        <source>Sound on (Ctrl+M)</source>
        <translation>Son actif (Ctrl+M)</translation>
    </message>
</context>
<context>
    <name>AlarmDetailPanel</name>
    <message>
        <location filename="../../widgets/alarms/detail.py" line="280"/>
        <source>unknown</source>
        <translation>inconnu</translation>
    </message>
    <message>
        <location filename="../../widgets/alarms/detail.py" line="283"/>
        <source>none</source>
        <translation>aucune</translation>
    </message>
    <message>
        <location filename="../../widgets/alarms/detail.py" line="294"/>
        <source>Nearest officers</source>
        <translation>Agents les plus proches</translation>
    </message>
    <message>
        <location filename="../../widgets/alarms/detail.py" line="295"/>
        <source>History ({0})</source>
        <translation>Historique ({0})</translation>
    </message>
    <message>
        <location filename="../../widgets/alarms/detail.py" line="296"/>
        <source>Details</source>
        <translation>Détails</translation>
    </message>
    <message>
        <location filename="../../widgets/alarms/detail.py" line="309"/>
        <source>No. {0}</source>
        <translation>N° {0}</translation>
    </message>
    <message>
        <location filename="../../widgets/alarms/detail.py" line="311"/>
        <source>escalated</source>
        <translation>escaladée</translation>
    </message>
    <message>
        <location filename="../../widgets/alarms/detail.py" line="313"/>
        <source>→ {0}</source>
        <translation>→ {0}</translation>
    </message>
    <message>
        <location filename="../../widgets/alarms/detail.py" line="319"/>
        <source>unacknowledged for {0}</source>
        <translation>non prise en compte depuis {0}</translation>
    </message>
    <message>
        <location filename="../../widgets/alarms/detail.py" line="337"/>
        <source>unacknowledged past the threshold</source>
        <translation>non prise en compte au-delà du seuil</translation>
    </message>
    <message>
        <location filename="../../widgets/alarms/detail.py" line="383"/>
        <source>Procedure ({0}/{1})</source>
        <translation>Procédure ({0}/{1})</translation>
    </message>
    <message>
        <location filename="../../widgets/alarms/detail.py" line="384"/>
        <source>Procedure</source>
        <translation>Procédure</translation>
    </message>
    <message>
        <location filename="../../widgets/alarms/detail.py" line="440"/>
        <source>assigned</source>
        <translation>affectée</translation>
    </message>
    <message>
        <location filename="../../widgets/alarms/detail.py" line="442"/>
        <source>Assign</source>
        <translation>Affecter</translation>
    </message>
    <message>
        <location filename="../../widgets/alarms/detail.py" line="446"/>
        <source>{0} is {1}</source>
        <translation>{0} est {1}</translation>
    </message>
    <message>
        <location filename="../../widgets/alarms/detail.py" line="452"/>
        <source>This alarm has no position.</source>
        <translation>Cette alarme n&apos;a pas de position.</translation>
    </message>
    <message>
        <location filename="../../widgets/alarms/detail.py" line="454"/>
        <source>No officer position known.</source>
        <translation>Aucune position d&apos;agent connue.</translation>
    </message>
    <message>
        <location filename="../../widgets/alarms/detail.py" line="463"/>
        <source>Select an alarm in the queue to see it here.</source>
        <translation>Sélectionnez une alarme dans la file pour la voir ici.</translation>
    </message>
    <message>
        <location filename="../../widgets/alarms/detail.py" line="464"/>
        <source>Source</source>
        <translation>Source</translation>
    </message>
    <message>
        <location filename="../../widgets/alarms/detail.py" line="464"/>
        <source>Raised</source>
        <translation>Levée le</translation>
    </message>
    <message>
        <location filename="../../widgets/alarms/detail.py" line="465"/>
        <source>Position</source>
        <translation>Position</translation>
    </message>
    <message>
        <location filename="../../widgets/alarms/detail.py" line="465"/>
        <source>Cameras</source>
        <translation>Caméras</translation>
    </message>
    <message>
        <location filename="../../widgets/alarms/detail.py" line="466"/>
        <source>Officer concerned</source>
        <translation>Agent concerné</translation>
    </message>
    <message>
        <location filename="../../widgets/alarms/detail.py" line="466"/>
        <source>Assigned to</source>
        <translation>Affectée à</translation>
    </message>
    <message>
        <location filename="../../widgets/alarms/detail.py" line="467"/>
        <source>Outcome</source>
        <translation>Issue</translation>
    </message>
    <message>
        <location filename="../../widgets/alarms/detail.py" line="470"/>
        <source>No procedure is set for this type in the site file.</source>
        <translation>Aucune procédure n&apos;est définie pour ce type dans le fichier de site.</translation>
    </message>
    <message>
        <location filename="../../widgets/alarms/detail.py" line="471"/>
        <source>Tick what is done (Space): it is journaled with your name and the time.</source>
        <translation>Cochez ce qui est fait (Espace) : c&apos;est journalisé avec votre nom et l&apos;heure.</translation>
    </message>
    <message>
        <location filename="../../widgets/alarms/detail.py" line="473"/>
        <source>Officer</source>
        <translation>Agent</translation>
    </message>
    <message>
        <location filename="../../widgets/alarms/detail.py" line="473"/>
        <source>Status</source>
        <translation>Statut</translation>
    </message>
    <message>
        <location filename="../../widgets/alarms/detail.py" line="473"/>
        <source>Distance</source>
        <translation>Distance</translation>
    </message>
    <message>
        <location filename="../../widgets/alarms/detail.py" line="475"/>
        <source>Time</source>
        <translation>Heure</translation>
    </message>
    <message>
        <location filename="../../widgets/alarms/detail.py" line="475"/>
        <source>Who</source>
        <translation>Qui</translation>
    </message>
    <message>
        <location filename="../../widgets/alarms/detail.py" line="475"/>
        <source>What</source>
        <translation>Quoi</translation>
    </message>
    <message>
        <location filename="../../widgets/alarms/detail.py" line="476"/>
        <source>Detail</source>
        <translation>Détail</translation>
    </message>
</context>
<context>
    <name>AlarmDialog</name>
    <message>
        <location filename="../../widgets/alarms/dialogs.py" line="105"/>
        <source>Alarm {0} — {1}</source>
        <translation>Alarme {0} — {1}</translation>
    </message>
</context>
<context>
    <name>AlarmQueueWidget</name>
    <message>
        <location filename="../../widgets/alarms/queue.py" line="257"/>
        <source>Acknowledge</source>
        <translation>Prendre en compte</translation>
    </message>
    <message>
        <location filename="../../widgets/alarms/queue.py" line="258"/>
        <source>Assign…</source>
        <translation>Affecter…</translation>
    </message>
    <message>
        <location filename="../../widgets/alarms/queue.py" line="259"/>
        <source>Close…</source>
        <translation>Clôturer…</translation>
    </message>
    <message>
        <location filename="../../widgets/alarms/queue.py" line="260"/>
        <source>Note…</source>
        <translation>Note…</translation>
    </message>
    <message>
        <location filename="../../widgets/alarms/queue.py" line="261"/>
        <source>Open cameras</source>
        <translation>Ouvrir les caméras</translation>
    </message>
    <message>
        <location filename="../../widgets/alarms/queue.py" line="261"/>
        <source>Enter</source>
        <translation>Entrée</translation>
    </message>
    <message>
        <location filename="../../widgets/alarms/queue.py" line="262"/>
        <source>Find</source>
        <translation>Rechercher</translation>
    </message>
    <message>
        <location filename="../../widgets/alarms/queue.py" line="266"/>
        <source>{0} ({1})</source>
        <translation>{0} ({1})</translation>
    </message>
    <message>
        <location filename="../../widgets/alarms/queue.py" line="267"/>
        <source>{0} — key {1}</source>
        <translation>{0} — touche {1}</translation>
    </message>
    <message>
        <location filename="../../widgets/alarms/queue.py" line="268"/>
        <source>Find an alarm (F2)</source>
        <translation>Rechercher une alarme (F2)</translation>
    </message>
    <message>
        <location filename="../../widgets/alarms/queue.py" line="269"/>
        <location filename="../../widgets/alarms/queue.py" line="454"/>
        <source>All types</source>
        <translation>Tous les types</translation>
    </message>
    <message>
        <location filename="../../widgets/alarms/queue.py" line="275"/>
        <source>Show the alarms in state “{0}”</source>
        <translation>Afficher les alarmes à l&apos;état « {0} »</translation>
    </message>
    <message>
        <location filename="../../widgets/alarms/queue.py" line="276"/>
        <source>All priorities</source>
        <translation>Toutes priorités</translation>
    </message>
    <message>
        <location filename="../../widgets/alarms/queue.py" line="276"/>
        <source>P1 only</source>
        <translation>P1 seulement</translation>
    </message>
    <message>
        <location filename="../../widgets/alarms/queue.py" line="277"/>
        <source>P1–P2</source>
        <translation>P1–P2</translation>
    </message>
    <message>
        <location filename="../../widgets/alarms/queue.py" line="277"/>
        <source>P1–P3</source>
        <translation>P1–P3</translation>
    </message>
    <message>
        <location filename="../../widgets/alarms/queue.py" line="354"/>
        <source>No officer is known yet: nobody to assign</source>
        <translation>Aucun agent connu pour l&apos;instant : personne à affecter</translation>
    </message>
    <message>
        <location filename="../../widgets/alarms/queue.py" line="458"/>
        <source>{0} types</source>
        <translation>{0} types</translation>
    </message>
    <message>
        <location filename="../../widgets/alarms/queue.py" line="462"/>
        <source>{0} open</source>
        <translation>{0} ouvertes</translation>
    </message>
    <message>
        <location filename="../../widgets/alarms/queue.py" line="464"/>
        <source>{0} new</source>
        <translation>{0} nouvelles</translation>
    </message>
    <message>
        <location filename="../../widgets/alarms/queue.py" line="469"/>
        <source>{0} new hidden by the filter</source>
        <translation>{0} nouvelles masquées par le filtre</translation>
    </message>
</context>
<context>
    <name>AlarmTableModel</name>
    <message>
        <location filename="../../app/ui/alarm_model.py" line="345"/>
        <source>Prio.</source>
        <translation>Prio.</translation>
    </message>
    <message>
        <location filename="../../app/ui/alarm_model.py" line="346"/>
        <source>Waiting</source>
        <translation>Attente</translation>
    </message>
    <message>
        <location filename="../../app/ui/alarm_model.py" line="347"/>
        <source>Type</source>
        <translation>Type</translation>
    </message>
    <message>
        <location filename="../../app/ui/alarm_model.py" line="348"/>
        <source>Alarm</source>
        <translation>Alarme</translation>
    </message>
    <message>
        <location filename="../../app/ui/alarm_model.py" line="349"/>
        <source>State</source>
        <translation>État</translation>
    </message>
    <message>
        <location filename="../../app/ui/alarm_model.py" line="350"/>
        <source>Assigned to</source>
        <translation>Affectée à</translation>
    </message>
    <message>
        <location filename="../../app/ui/alarm_model.py" line="351"/>
        <source>Raised</source>
        <translation>Levée</translation>
    </message>
    <message>
        <location filename="../../app/ui/alarm_model.py" line="352"/>
        <source>No.</source>
        <translation>N°</translation>
    </message>
    <message>
        <location filename="../../app/ui/alarm_model.py" line="424"/>
        <source>Unacknowledged for {0} (escalates after {1})</source>
        <translation>Non prise en compte depuis {0} (escalade après {1})</translation>
    </message>
    <message>
        <location filename="../../app/ui/alarm_model.py" line="427"/>
        <source>Escalated: left unacknowledged past its threshold</source>
        <translation>Escaladée : non prise en compte au-delà de son seuil</translation>
    </message>
</context>
<context>
    <name>AssignDialog</name>
    <message>
        <location filename="../../widgets/alarms/dialogs.py" line="252"/>
        <source>{0} (assigned)</source>
        <translation>{0} (affecté)</translation>
    </message>
    <message>
        <location filename="../../widgets/alarms/dialogs.py" line="297"/>
        <source>Assign alarm {0}</source>
        <translation>Affecter l&apos;alarme {0}</translation>
    </message>
    <message>
        <location filename="../../widgets/alarms/dialogs.py" line="298"/>
        <source>Find an officer (callsign, unit)</source>
        <translation>Rechercher un agent (indicatif, unité)</translation>
    </message>
    <message>
        <location filename="../../widgets/alarms/dialogs.py" line="299"/>
        <source>Callsign</source>
        <translation>Indicatif</translation>
    </message>
    <message>
        <location filename="../../widgets/alarms/dialogs.py" line="299"/>
        <source>Unit</source>
        <translation>Unité</translation>
    </message>
    <message>
        <location filename="../../widgets/alarms/dialogs.py" line="299"/>
        <source>Status</source>
        <translation>Statut</translation>
    </message>
    <message>
        <location filename="../../widgets/alarms/dialogs.py" line="300"/>
        <source>Distance</source>
        <translation>Distance</translation>
    </message>
    <message>
        <location filename="../../widgets/alarms/dialogs.py" line="301"/>
        <source>Assign</source>
        <translation>Affecter</translation>
    </message>
</context>
<context>
    <name>CloseDialog</name>
    <message>
        <location filename="../../widgets/alarms/dialogs.py" line="144"/>
        <source>Close alarm {0}</source>
        <translation>Clôturer l&apos;alarme {0}</translation>
    </message>
    <message>
        <location filename="../../widgets/alarms/dialogs.py" line="145"/>
        <source>Outcome:</source>
        <translation>Issue :</translation>
    </message>
    <message>
        <location filename="../../widgets/alarms/dialogs.py" line="146"/>
        <source>&amp;Handled</source>
        <translation>&amp;Traitée</translation>
    </message>
    <message>
        <location filename="../../widgets/alarms/dialogs.py" line="147"/>
        <source>&amp;False alarm</source>
        <translation>&amp;Fausse alarme</translation>
    </message>
    <message>
        <location filename="../../widgets/alarms/dialogs.py" line="148"/>
        <source>&amp;Escalated (handed to another service)</source>
        <translation>Tr&amp;ansmise (à un autre service)</translation>
    </message>
    <message>
        <location filename="../../widgets/alarms/dialogs.py" line="152"/>
        <source>&amp;Note (Ctrl+Enter to close the alarm):</source>
        <translation>&amp;Note (Ctrl+Entrée pour clôturer l&apos;alarme) :</translation>
    </message>
    <message>
        <location filename="../../widgets/alarms/dialogs.py" line="153"/>
        <source>Close the alarm</source>
        <translation>Clôturer l&apos;alarme</translation>
    </message>
</context>
<context>
    <name>ConsoleStatusBar</name>
    <message>
        <location filename="../../widgets/status_bar.py" line="61"/>
        <source>Officers: {0}   Cameras online: {1}/{2}   Open alarms: {3}</source>
        <translation>Agents : {0}   Caméras en ligne : {1}/{2}   Alarmes ouvertes : {3}</translation>
    </message>
</context>
<context>
    <name>Labels</name>
    <message>
        <location filename="../../app/ui/labels.py" line="22"/>
        <source>Weapon drawn</source>
        <translation>Arme sortie</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="24"/>
        <source>Body-cam emergency</source>
        <translation>Urgence caméra-piéton</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="26"/>
        <source>Gunshot</source>
        <translation>Détonation</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="28"/>
        <source>Intrusion</source>
        <translation>Intrusion</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="30"/>
        <source>Plate hit (LPR)</source>
        <translation>Plaque signalée (LAPI)</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="32"/>
        <source>Video analytics</source>
        <translation>Analyse vidéo</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="34"/>
        <source>Citizen report</source>
        <translation>Signalement citoyen</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="35"/>
        <source>Other</source>
        <translation>Autre</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="41"/>
        <source>New</source>
        <translation>Nouvelle</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="43"/>
        <location filename="../../app/ui/labels.py" line="77"/>
        <source>Acknowledged</source>
        <translation>Prise en compte</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="45"/>
        <location filename="../../app/ui/labels.py" line="79"/>
        <source>Assigned</source>
        <translation>Affectée</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="46"/>
        <location filename="../../app/ui/labels.py" line="81"/>
        <source>Closed</source>
        <translation>Clôturée</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="52"/>
        <source>Handled</source>
        <translation>Traitée</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="54"/>
        <source>False alarm</source>
        <translation>Fausse alarme</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="55"/>
        <location filename="../../app/ui/labels.py" line="85"/>
        <source>Escalated</source>
        <translation>Transmise</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="61"/>
        <source>Available</source>
        <translation>Disponible</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="63"/>
        <source>Busy</source>
        <translation>Occupé</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="65"/>
        <source>On intervention</source>
        <translation>En intervention</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="67"/>
        <source>Emergency</source>
        <translation>Urgence</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="68"/>
        <source>Off duty</source>
        <translation>Hors service</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="75"/>
        <source>Raised</source>
        <translation>Levée</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="83"/>
        <source>Note</source>
        <translation>Note</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="87"/>
        <source>Repeated by the source</source>
        <translation>Répétée par la source</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="95"/>
        <source>starting</source>
        <translation>démarrage</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="97"/>
        <source>running</source>
        <translation>en marche</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="99"/>
        <source>retrying</source>
        <translation>nouvel essai</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="101"/>
        <source>failed</source>
        <translation>en échec</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="103"/>
        <source>stopped</source>
        <translation>arrêté</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="105"/>
        <source>disabled</source>
        <translation>désactivé</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="110"/>
        <source>P{0}</source>
        <translation>P{0}</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="134"/>
        <source>{0} m</source>
        <translation>{0} m</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="136"/>
        <source>{0} km</source>
        <translation>{0} km</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../widgets/main_window.py" line="124"/>
        <source>CSU Console — {0}</source>
        <translation>Console CSU — {0}</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="125"/>
        <source>Map</source>
        <translation>Carte</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="126"/>
        <source>Alarms</source>
        <translation>Alarmes</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="127"/>
        <source>&amp;View</source>
        <translation>&amp;Affichage</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="129"/>
        <source>Wall {0}×{0}</source>
        <translation>Mur {0}×{0}</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="129"/>
        <source>Single camera</source>
        <translation>Une seule caméra</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="130"/>
        <source>Full screen</source>
        <translation>Plein écran</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="131"/>
        <source>&amp;Language</source>
        <translation>&amp;Langue</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="132"/>
        <source>System language</source>
        <translation>Langue du système</translation>
    </message>
</context>
<context>
    <name>NoteDialog</name>
    <message>
        <location filename="../../widgets/alarms/dialogs.py" line="186"/>
        <source>Note on alarm {0}</source>
        <translation>Note sur l&apos;alarme {0}</translation>
    </message>
    <message>
        <location filename="../../widgets/alarms/dialogs.py" line="187"/>
        <source>What happened, who was called… (Ctrl+Enter to add)</source>
        <translation>Ce qui s&apos;est passé, qui a été appelé… (Ctrl+Entrée pour ajouter)</translation>
    </message>
    <message>
        <location filename="../../widgets/alarms/dialogs.py" line="188"/>
        <source>Add the note</source>
        <translation>Ajouter la note</translation>
    </message>
</context>
<context>
    <name>VideoTile</name>
    <message>
        <location filename="../../widgets/video/tile.py" line="93"/>
        <source>Connecting…</source>
        <translation>Connexion…</translation>
    </message>
    <message>
        <location filename="../../widgets/video/tile.py" line="95"/>
        <source>Playing</source>
        <translation>Lecture</translation>
    </message>
    <message>
        <location filename="../../widgets/video/tile.py" line="97"/>
        <source>No signal</source>
        <translation>Signal perdu</translation>
    </message>
    <message>
        <location filename="../../widgets/video/tile.py" line="99"/>
        <source>Error</source>
        <translation>Erreur</translation>
    </message>
    <message>
        <location filename="../../widgets/video/tile.py" line="101"/>
        <location filename="../../widgets/video/tile.py" line="346"/>
        <source>Stopped</source>
        <translation>Arrêtée</translation>
    </message>
    <message>
        <location filename="../../widgets/video/tile.py" line="102"/>
        <source>Empty</source>
        <translation>Vide</translation>
    </message>
    <message>
        <location filename="../../widgets/video/tile.py" line="336"/>
        <location filename="../../widgets/video/tile.py" line="523"/>
        <source>Paused while hidden</source>
        <translation>En pause tant qu&apos;elle est masquée</translation>
    </message>
    <message>
        <location filename="../../widgets/video/tile.py" line="399"/>
        <source>No video engine: %1</source>
        <translation>Aucun moteur vidéo : %1</translation>
    </message>
    <message>
        <location filename="../../widgets/video/tile.py" line="406"/>
        <source>Video needs a window system that can embed it (X11, Windows, macOS); this one is &apos;%1&apos;.</source>
        <translation>La vidéo a besoin d&apos;un système de fenêtres qui sait l&apos;intégrer (X11, Windows, macOS) ; celui-ci est « %1 ».</translation>
    </message>
    <message>
        <location filename="../../widgets/video/tile.py" line="426"/>
        <source>No signal — reconnecting…</source>
        <translation>Signal perdu — reconnexion…</translation>
    </message>
    <message>
        <location filename="../../widgets/video/tile.py" line="429"/>
        <source>Cannot open the stream — retrying…
%1</source>
        <translation>Impossible d&apos;ouvrir le flux — nouvel essai…
%1</translation>
    </message>
    <message>
        <location filename="../../widgets/video/tile.py" line="456"/>
        <source>No signal — reconnecting in %1 s</source>
        <translation>Signal perdu — reconnexion dans %1 s</translation>
    </message>
    <message>
        <location filename="../../widgets/video/tile.py" line="460"/>
        <source>Cannot open the stream — retrying in %1 s
%2</source>
        <translation>Impossible d&apos;ouvrir le flux — nouvel essai dans %1 s
%2</translation>
    </message>
    <message>
        <location filename="../../widgets/video/tile.py" line="486"/>
        <source>No camera</source>
        <translation>Aucune caméra</translation>
    </message>
    <message>
        <location filename="../../widgets/video/tile.py" line="492"/>
        <source>LIVE</source>
        <translation>EN DIRECT</translation>
    </message>
    <message>
        <location filename="../../widgets/video/tile.py" line="494"/>
        <source>Empty tile</source>
        <translation>Case vide</translation>
    </message>
    <message>
        <location filename="../../widgets/video/tile.py" line="495"/>
        <source>State: %1</source>
        <translation>État : %1</translation>
    </message>
    <message>
        <location filename="../../widgets/video/tile.py" line="498"/>
        <source>Engine: %1</source>
        <translation>Moteur : %1</translation>
    </message>
    <message>
        <location filename="../../widgets/video/tile.py" line="500"/>
        <source>none</source>
        <translation>aucun</translation>
    </message>
    <message>
        <location filename="../../widgets/video/tile.py" line="501"/>
        <source>Stream (%1): %2</source>
        <translation>Flux (%1) : %2</translation>
    </message>
</context>
<context>
    <name>VideoWall</name>
    <message>
        <location filename="../../widgets/video/wall.py" line="204"/>
        <source>Video is unavailable on this workstation: %1</source>
        <translation>La vidéo n&apos;est pas disponible sur ce poste : %1</translation>
    </message>
</context>
</TS>
