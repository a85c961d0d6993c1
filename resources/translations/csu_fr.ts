<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr" sourcelanguage="en">
<context>
    <name>AboutDialog</name>
    <message>
        <location filename="../../widgets/about_dialog.py" line="62"/>
        <source>Gathering the diagnostics…</source>
        <translation>Collecte des diagnostics…</translation>
    </message>
    <message>
        <location filename="../../widgets/about_dialog.py" line="91"/>
        <source>Copied</source>
        <translation>Copié</translation>
    </message>
    <message>
        <location filename="../../widgets/about_dialog.py" line="97"/>
        <source>About CSU Console</source>
        <translation>À propos de CSU Console</translation>
    </message>
    <message>
        <location filename="../../widgets/about_dialog.py" line="99"/>
        <source>CSU Console {0}: the console of a Centre de Supervision Urbaine.
For a support ticket, copy the text below: it holds no password.</source>
        <translation>CSU Console {0} : la console d&apos;un Centre de Supervision Urbaine.
Pour un ticket d&apos;assistance, copiez le texte ci-dessous : il ne contient aucun mot de passe.</translation>
    </message>
    <message>
        <location filename="../../widgets/about_dialog.py" line="102"/>
        <source>Copy for a support ticket</source>
        <translation>Copier pour un ticket d&apos;assistance</translation>
    </message>
    <message>
        <location filename="../../widgets/about_dialog.py" line="103"/>
        <source>Open the log folder</source>
        <translation>Ouvrir le dossier des journaux techniques</translation>
    </message>
</context>
<context>
    <name>AccessLog</name>
    <message>
        <location filename="../../app/ui/access_log_words.py" line="29"/>
        <source>signed in</source>
        <translation>connexion</translation>
    </message>
    <message>
        <location filename="../../app/ui/access_log_words.py" line="31"/>
        <source>sign-in refused</source>
        <translation>connexion refusée</translation>
    </message>
    <message>
        <location filename="../../app/ui/access_log_words.py" line="33"/>
        <source>signed out</source>
        <translation>déconnexion</translation>
    </message>
    <message>
        <location filename="../../app/ui/access_log_words.py" line="35"/>
        <source>session locked</source>
        <translation>session verrouillée</translation>
    </message>
    <message>
        <location filename="../../app/ui/access_log_words.py" line="37"/>
        <source>unlocked</source>
        <translation>session déverrouillée</translation>
    </message>
    <message>
        <location filename="../../app/ui/access_log_words.py" line="39"/>
        <source>unlock refused</source>
        <translation>déverrouillage refusé</translation>
    </message>
    <message>
        <location filename="../../app/ui/access_log_words.py" line="41"/>
        <source>refused</source>
        <translation>refus</translation>
    </message>
    <message>
        <location filename="../../app/ui/access_log_words.py" line="43"/>
        <source>live body-cam viewing</source>
        <translation>visionnage en direct d’une caméra-piéton</translation>
    </message>
    <message>
        <location filename="../../app/ui/access_log_words.py" line="45"/>
        <source>alarm acknowledged</source>
        <translation>alarme acquittée</translation>
    </message>
    <message>
        <location filename="../../app/ui/access_log_words.py" line="47"/>
        <source>alarm assigned</source>
        <translation>alarme attribuée</translation>
    </message>
    <message>
        <location filename="../../app/ui/access_log_words.py" line="49"/>
        <source>alarm closed</source>
        <translation>alarme clôturée</translation>
    </message>
    <message>
        <location filename="../../app/ui/access_log_words.py" line="51"/>
        <source>note on an alarm</source>
        <translation>note sur une alarme</translation>
    </message>
    <message>
        <location filename="../../app/ui/access_log_words.py" line="53"/>
        <source>snapshot taken</source>
        <translation>capture d’image</translation>
    </message>
    <message>
        <location filename="../../app/ui/access_log_words.py" line="55"/>
        <source>access log viewed</source>
        <translation>consultation du journal des accès</translation>
    </message>
    <message>
        <location filename="../../app/ui/access_log_words.py" line="57"/>
        <source>access log exported</source>
        <translation>export du journal des accès</translation>
    </message>
    <message>
        <location filename="../../app/ui/access_log_words.py" line="59"/>
        <source>user added</source>
        <translation>utilisateur ajouté</translation>
    </message>
    <message>
        <location filename="../../app/ui/access_log_words.py" line="61"/>
        <source>password changed</source>
        <translation>mot de passe changé</translation>
    </message>
    <message>
        <location filename="../../app/ui/access_log_words.py" line="63"/>
        <source>user disabled</source>
        <translation>utilisateur désactivé</translation>
    </message>
    <message>
        <location filename="../../app/ui/access_log_words.py" line="65"/>
        <source>user enabled</source>
        <translation>utilisateur réactivé</translation>
    </message>
    <message>
        <location filename="../../app/ui/access_log_words.py" line="67"/>
        <source>judicial hold placed</source>
        <translation>réquisition judiciaire posée</translation>
    </message>
    <message>
        <location filename="../../app/ui/access_log_words.py" line="69"/>
        <source>judicial hold lifted</source>
        <translation>réquisition judiciaire levée</translation>
    </message>
    <message>
        <location filename="../../app/ui/access_log_words.py" line="71"/>
        <source>recordings purged</source>
        <translation>enregistrements purgés</translation>
    </message>
    <message>
        <location filename="../../app/ui/access_log_words.py" line="73"/>
        <source>access log purged (3 years)</source>
        <translation>journal des accès purgé (3 ans)</translation>
    </message>
    <message>
        <location filename="../../app/ui/access_log_words.py" line="80"/>
        <source>viewer</source>
        <translation>observateur</translation>
    </message>
    <message>
        <location filename="../../app/ui/access_log_words.py" line="82"/>
        <source>operator</source>
        <translation>opérateur</translation>
    </message>
    <message>
        <location filename="../../app/ui/access_log_words.py" line="84"/>
        <source>shift chief</source>
        <translation>chef de salle</translation>
    </message>
    <message>
        <location filename="../../app/ui/access_log_words.py" line="86"/>
        <source>administrator</source>
        <translation>administrateur</translation>
    </message>
    <message>
        <location filename="../../app/ui/access_log_words.py" line="93"/>
        <source>judicial</source>
        <translation>judiciaire</translation>
    </message>
    <message>
        <location filename="../../app/ui/access_log_words.py" line="95"/>
        <source>administrative</source>
        <translation>administratif</translation>
    </message>
    <message>
        <location filename="../../app/ui/access_log_words.py" line="97"/>
        <source>disciplinary</source>
        <translation>disciplinaire</translation>
    </message>
    <message>
        <location filename="../../app/ui/access_log_words.py" line="99"/>
        <source>training</source>
        <translation>formation</translation>
    </message>
    <message>
        <location filename="../../app/ui/access_log_words.py" line="101"/>
        <source>safety of officers or people</source>
        <translation>sécurité des agents ou des personnes</translation>
    </message>
    <message>
        <location filename="../../app/ui/access_log_words.py" line="143"/>
        <source>Time</source>
        <translation>Heure</translation>
    </message>
    <message>
        <location filename="../../app/ui/access_log_words.py" line="144"/>
        <source>Person</source>
        <translation>Personne</translation>
    </message>
    <message>
        <location filename="../../app/ui/access_log_words.py" line="145"/>
        <source>Role</source>
        <translation>Rôle</translation>
    </message>
    <message>
        <location filename="../../app/ui/access_log_words.py" line="146"/>
        <source>Workstation</source>
        <translation>Poste</translation>
    </message>
    <message>
        <location filename="../../app/ui/access_log_words.py" line="147"/>
        <source>Act</source>
        <translation>Acte</translation>
    </message>
    <message>
        <location filename="../../app/ui/access_log_words.py" line="148"/>
        <source>Target</source>
        <translation>Objet</translation>
    </message>
    <message>
        <location filename="../../app/ui/access_log_words.py" line="149"/>
        <source>Purpose</source>
        <translation>Motif</translation>
    </message>
    <message>
        <location filename="../../app/ui/access_log_words.py" line="150"/>
        <source>Cameras</source>
        <translation>Caméras</translation>
    </message>
    <message>
        <location filename="../../app/ui/access_log_words.py" line="151"/>
        <source>Time range</source>
        <translation>Période</translation>
    </message>
    <message>
        <location filename="../../app/ui/access_log_words.py" line="152"/>
        <source>Detail</source>
        <translation>Détail</translation>
    </message>
    <message>
        <location filename="../../app/ui/access_log_words.py" line="161"/>
        <source>recipients: {0}</source>
        <translation>destinataires&#xa0;: {0}</translation>
    </message>
    <message>
        <location filename="../../app/ui/access_log_words.py" line="173"/>
        <source>nobody is signed in at this workstation</source>
        <translation>personne n’est connecté à ce poste</translation>
    </message>
    <message>
        <location filename="../../app/ui/access_log_words.py" line="175"/>
        <source>the session is locked: type your password to unlock it</source>
        <translation>la session est verrouillée&#xa0;: tapez votre mot de passe pour la déverrouiller</translation>
    </message>
    <message>
        <location filename="../../app/ui/access_log_words.py" line="178"/>
        <source>this account is disabled</source>
        <translation>ce compte est désactivé</translation>
    </message>
    <message>
        <location filename="../../app/ui/access_log_words.py" line="180"/>
        <source>it is kept for shift chiefs and administrators</source>
        <translation>il est réservé aux chefs de salle et aux administrateurs</translation>
    </message>
</context>
<context>
    <name>AccessLogEntry</name>
    <message>
        <location filename="../../widgets/access_log_window.py" line="422"/>
        <source>Access &amp;log…</source>
        <translation>Journal des &amp;accès…</translation>
    </message>
</context>
<context>
    <name>AccessLogPdf</name>
    <message>
        <location filename="../../app/ui/access_log_pdf.py" line="62"/>
        <location filename="../../app/ui/access_log_pdf.py" line="148"/>
        <source>Access log — {0}</source>
        <translation>Journal des accès — {0}</translation>
    </message>
    <message>
        <location filename="../../app/ui/access_log_pdf.py" line="67"/>
        <source>the file cannot be opened for writing</source>
        <translation>le fichier ne peut pas être ouvert en écriture</translation>
    </message>
    <message>
        <location filename="../../app/ui/access_log_pdf.py" line="91"/>
        <source>No row matches this search.</source>
        <translation>Aucune ligne ne correspond à cette recherche.</translation>
    </message>
    <message>
        <location filename="../../app/ui/access_log_pdf.py" line="151"/>
        <source>Exported by {0} on {1} ({2})</source>
        <translation>Exporté par {0} le {1} ({2})</translation>
    </message>
    <message>
        <location filename="../../app/ui/access_log_pdf.py" line="154"/>
        <source>Search: {0} — {1} row(s), newest first</source>
        <translation>Recherche&#xa0;: {0} — {1} ligne(s), des plus récentes aux plus anciennes</translation>
    </message>
    <message>
        <location filename="../../app/ui/access_log_pdf.py" line="165"/>
        <source>{0} — access log, {1}</source>
        <translation>{0} — journal des accès, {1}</translation>
    </message>
    <message>
        <location filename="../../app/ui/access_log_pdf.py" line="168"/>
        <source>Page {0} / {1}</source>
        <translation>Page {0} / {1}</translation>
    </message>
</context>
<context>
    <name>AccessLogWindow</name>
    <message>
        <location filename="../../widgets/access_log_window.py" line="175"/>
        <source>Access log — {0}</source>
        <translation>Journal des accès — {0}</translation>
    </message>
    <message>
        <location filename="../../widgets/access_log_window.py" line="176"/>
        <source>&amp;From</source>
        <translation>&amp;Du</translation>
    </message>
    <message>
        <location filename="../../widgets/access_log_window.py" line="177"/>
        <source>&amp;To</source>
        <translation>A&amp;u</translation>
    </message>
    <message>
        <location filename="../../widgets/access_log_window.py" line="178"/>
        <source>Only rows from this time on</source>
        <translation>Seulement les lignes à partir de cette heure</translation>
    </message>
    <message>
        <location filename="../../widgets/access_log_window.py" line="179"/>
        <source>Only rows up to this time</source>
        <translation>Seulement les lignes jusqu’à cette heure</translation>
    </message>
    <message>
        <location filename="../../widgets/access_log_window.py" line="180"/>
        <source>&amp;Login</source>
        <translation>&amp;Identifiant</translation>
    </message>
    <message>
        <location filename="../../widgets/access_log_window.py" line="181"/>
        <source>anyone (exact login)</source>
        <translation>tout le monde (identifiant exact)</translation>
    </message>
    <message>
        <location filename="../../widgets/access_log_window.py" line="182"/>
        <source>&amp;Act</source>
        <translation>A&amp;cte</translation>
    </message>
    <message>
        <location filename="../../widgets/access_log_window.py" line="185"/>
        <source>any act</source>
        <translation>tous les actes</translation>
    </message>
    <message>
        <location filename="../../widgets/access_log_window.py" line="189"/>
        <source>&amp;Camera</source>
        <translation>Ca&amp;méra</translation>
    </message>
    <message>
        <location filename="../../widgets/access_log_window.py" line="190"/>
        <source>any camera (its id)</source>
        <translation>toutes les caméras (son identifiant)</translation>
    </message>
    <message>
        <location filename="../../widgets/access_log_window.py" line="191"/>
        <source>T&amp;ext</source>
        <translation>&amp;Texte</translation>
    </message>
    <message>
        <location filename="../../widgets/access_log_window.py" line="192"/>
        <source>in the detail, target or name</source>
        <translation>dans le détail, l’objet ou le nom</translation>
    </message>
    <message>
        <location filename="../../widgets/access_log_window.py" line="193"/>
        <source>&amp;Search</source>
        <translation>&amp;Rechercher</translation>
    </message>
    <message>
        <location filename="../../widgets/access_log_window.py" line="195"/>
        <source>Newest first. The log is read a page at a time, so it is sorted by time only.</source>
        <translation>Des plus récentes aux plus anciennes. Le journal est lu page par page&#xa0;: il n’est trié que par heure.</translation>
    </message>
    <message>
        <location filename="../../widgets/access_log_window.py" line="196"/>
        <source>&amp;More</source>
        <translation>&amp;Suite</translation>
    </message>
    <message>
        <location filename="../../widgets/access_log_window.py" line="197"/>
        <source>Export &amp;CSV…</source>
        <translation>Exporter en &amp;CSV…</translation>
    </message>
    <message>
        <location filename="../../widgets/access_log_window.py" line="198"/>
        <source>Export &amp;PDF…</source>
        <translation>Exporter en &amp;PDF…</translation>
    </message>
    <message>
        <location filename="../../widgets/access_log_window.py" line="237"/>
        <source>from {0}</source>
        <translation>du {0}</translation>
    </message>
    <message>
        <location filename="../../widgets/access_log_window.py" line="239"/>
        <source>to {0}</source>
        <translation>au {0}</translation>
    </message>
    <message>
        <location filename="../../widgets/access_log_window.py" line="241"/>
        <source>login {0}</source>
        <translation>identifiant {0}</translation>
    </message>
    <message>
        <location filename="../../widgets/access_log_window.py" line="243"/>
        <source>act “{0}”</source>
        <translation>acte «&#xa0;{0}&#xa0;»</translation>
    </message>
    <message>
        <location filename="../../widgets/access_log_window.py" line="245"/>
        <source>camera {0}</source>
        <translation>caméra {0}</translation>
    </message>
    <message>
        <location filename="../../widgets/access_log_window.py" line="247"/>
        <source>text “{0}”</source>
        <translation>texte «&#xa0;{0}&#xa0;»</translation>
    </message>
    <message>
        <location filename="../../widgets/access_log_window.py" line="248"/>
        <source>the whole log</source>
        <translation>tout le journal</translation>
    </message>
    <message>
        <location filename="../../widgets/access_log_window.py" line="254"/>
        <source>Reading the access log…</source>
        <translation>Lecture du journal des accès…</translation>
    </message>
    <message numerus="yes">
        <location filename="../../widgets/access_log_window.py" line="256"/>
        <source>%n row(s) shown; more are read as you scroll down.</source>
        <translation>
            <numerusform>%n ligne affichée&#xa0;; la suite est lue en faisant défiler vers le bas.</numerusform>
            <numerusform>%n lignes affichées&#xa0;; la suite est lue en faisant défiler vers le bas.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../widgets/access_log_window.py" line="258"/>
        <source>%n row(s): all that this search matches.</source>
        <translation>
            <numerusform>%n ligne&#xa0;: tout ce que cette recherche trouve.</numerusform>
            <numerusform>%n lignes&#xa0;: tout ce que cette recherche trouve.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../widgets/access_log_window.py" line="263"/>
        <source>You may not read the access log: {0}</source>
        <translation>Vous ne pouvez pas lire le journal des accès&#xa0;: {0}</translation>
    </message>
    <message>
        <location filename="../../widgets/access_log_window.py" line="267"/>
        <source>The access log cannot be read now: {0}</source>
        <translation>Le journal des accès ne peut pas être lu pour l’instant&#xa0;: {0}</translation>
    </message>
    <message>
        <location filename="../../widgets/access_log_window.py" line="299"/>
        <location filename="../../widgets/access_log_window.py" line="335"/>
        <source>Export the access log</source>
        <translation>Exporter le journal des accès</translation>
    </message>
    <message>
        <location filename="../../widgets/access_log_window.py" line="304"/>
        <source>CSV files (*.csv)</source>
        <translation>Fichiers CSV (*.csv)</translation>
    </message>
    <message>
        <location filename="../../widgets/access_log_window.py" line="305"/>
        <source>PDF files (*.pdf)</source>
        <translation>Fichiers PDF (*.pdf)</translation>
    </message>
    <message>
        <location filename="../../widgets/access_log_window.py" line="332"/>
        <source>Exporting to {0}…</source>
        <translation>Export vers {0}…</translation>
    </message>
    <message>
        <location filename="../../widgets/access_log_window.py" line="333"/>
        <source>Reading the access log for the export…</source>
        <translation>Lecture du journal des accès pour l’export…</translation>
    </message>
    <message>
        <location filename="../../widgets/access_log_window.py" line="334"/>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message numerus="yes">
        <location filename="../../widgets/access_log_window.py" line="344"/>
        <source>%n row(s) read…</source>
        <translation>
            <numerusform>%n ligne lue…</numerusform>
            <numerusform>%n lignes lues…</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../widgets/access_log_window.py" line="348"/>
        <source>%n row(s) written to {0}.</source>
        <translation>
            <numerusform>%n ligne écrite dans {0}.</numerusform>
            <numerusform>%n lignes écrites dans {0}.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../widgets/access_log_window.py" line="354"/>
        <source>Not exported: you may not read the access log ({0}).</source>
        <translation>Rien n’est exporté&#xa0;: vous ne pouvez pas lire le journal des accès ({0}).</translation>
    </message>
    <message>
        <location filename="../../widgets/access_log_window.py" line="357"/>
        <source>Not exported: the access log cannot be read now ({0}).</source>
        <translation>Rien n’est exporté&#xa0;: le journal des accès ne peut pas être lu pour l’instant ({0}).</translation>
    </message>
    <message>
        <location filename="../../widgets/access_log_window.py" line="359"/>
        <source>Not exported: the export could not be written to the access log, and the law requires it first ({0}). No file was written.</source>
        <translation>Rien n’est exporté&#xa0;: l’export n’a pas pu être inscrit au journal des accès, ce que la loi exige d’abord ({0}). Aucun fichier n’a été écrit.</translation>
    </message>
    <message>
        <location filename="../../widgets/access_log_window.py" line="363"/>
        <source>The file could not be written ({0}). The export is in the access log; choose another folder and export again.</source>
        <translation>Le fichier n’a pas pu être écrit ({0}). L’export figure au journal des accès&#xa0;; choisissez un autre dossier et exportez de nouveau.</translation>
    </message>
    <message>
        <location filename="../../widgets/access_log_window.py" line="370"/>
        <source>Export cancelled: no file was written.</source>
        <translation>Export annulé&#xa0;: aucun fichier n’a été écrit.</translation>
    </message>
</context>
<context>
    <name>AdapterForm</name>
    <message>
        <location filename="../../widgets/setup/adapter_form.py" line="47"/>
        <source>The name of this connection: messages and the status panel show it.</source>
        <translation>Le nom de cette connexion : les messages et le panneau d&apos;état l&apos;affichent.</translation>
    </message>
    <message>
        <location filename="../../widgets/setup/adapter_form.py" line="49"/>
        <source>Name</source>
        <translation>Nom</translation>
    </message>
    <message>
        <location filename="../../widgets/setup/adapter_form.py" line="76"/>
        <source>keyring name</source>
        <translation>nom dans le trousseau</translation>
    </message>
    <message>
        <location filename="../../widgets/setup/adapter_form.py" line="80"/>
        <source>value (stored in the keyring, not in the file)</source>
        <translation>valeur (enregistrée dans le trousseau, pas dans le fichier)</translation>
    </message>
</context>
<context>
    <name>AdapterPanel</name>
    <message>
        <location filename="../../widgets/adapter_panel.py" line="70"/>
        <source>Workstations attached to the room</source>
        <translation>Postes connectés à la salle</translation>
    </message>
</context>
<context>
    <name>AdapterTableModel</name>
    <message>
        <location filename="../../app/ui/adapter_model.py" line="74"/>
        <source>Adapter</source>
        <translation>Système</translation>
    </message>
    <message>
        <location filename="../../app/ui/adapter_model.py" line="74"/>
        <source>State</source>
        <translation>État</translation>
    </message>
    <message>
        <location filename="../../app/ui/adapter_model.py" line="74"/>
        <source>Detail</source>
        <translation>Détail</translation>
    </message>
    <message>
        <location filename="../../app/ui/adapter_model.py" line="75"/>
        <source>Last message</source>
        <translation>Dernier message</translation>
    </message>
    <message>
        <location filename="../../app/ui/adapter_model.py" line="75"/>
        <source>Messages</source>
        <translation>Messages</translation>
    </message>
    <message>
        <location filename="../../app/ui/adapter_model.py" line="75"/>
        <source>Events</source>
        <translation>Événements</translation>
    </message>
    <message>
        <location filename="../../app/ui/adapter_model.py" line="76"/>
        <source>Rejected</source>
        <translation>Rejetés</translation>
    </message>
    <message>
        <location filename="../../app/ui/adapter_model.py" line="93"/>
        <source>Messages received from this system</source>
        <translation>Messages reçus de ce système</translation>
    </message>
    <message>
        <location filename="../../app/ui/adapter_model.py" line="94"/>
        <source>Events produced from them (alarms, positions, statuses)</source>
        <translation>Événements produits à partir d’eux (alarmes, positions, états)</translation>
    </message>
    <message>
        <location filename="../../app/ui/adapter_model.py" line="95"/>
        <source>Inputs refused: malformed, unsigned, replayed, too large, unknown device</source>
        <translation>Entrées refusées&#xa0;: mal formées, non signées, rejouées, trop grandes, appareil inconnu</translation>
    </message>
    <message>
        <location filename="../../app/ui/adapter_model.py" line="109"/>
        <source>never</source>
        <translation>jamais</translation>
    </message>
</context>
<context>
    <name>AdaptersPage</name>
    <message>
        <location filename="../../widgets/setup/pages.py" line="124"/>
        <source>Connections</source>
        <translation>Connexions</translation>
    </message>
    <message>
        <location filename="../../widgets/setup/pages.py" line="125"/>
        <source>The systems the town already runs: add an adapter for each and fill its settings (* required; grey: the default).</source>
        <translation>Les systèmes déjà en place dans la ville : ajoutez un adaptateur pour chacun et renseignez ses réglages (* obligatoire ; en gris : la valeur par défaut).</translation>
    </message>
    <message>
        <location filename="../../widgets/setup/pages.py" line="136"/>
        <source>{0} (broken: {1})</source>
        <translation>{0} (défectueux : {1})</translation>
    </message>
    <message>
        <location filename="../../widgets/setup/pages.py" line="141"/>
        <source>Add</source>
        <translation>Ajouter</translation>
    </message>
    <message>
        <location filename="../../widgets/setup/pages.py" line="144"/>
        <source>Remove</source>
        <translation>Retirer</translation>
    </message>
    <message>
        <location filename="../../widgets/setup/pages.py" line="174"/>
        <source>this adapter cannot be used: {0}</source>
        <translation>cet adaptateur est inutilisable : {0}</translation>
    </message>
    <message>
        <location filename="../../widgets/setup/pages.py" line="223"/>
        <source>two connections are named {0!r}</source>
        <translation>deux connexions s&apos;appellent {0!r}</translation>
    </message>
</context>
<context>
    <name>AdminPage</name>
    <message>
        <location filename="../../widgets/setup/pages.py" line="388"/>
        <source>The first administrator</source>
        <translation>Le premier administrateur</translation>
    </message>
    <message>
        <location filename="../../widgets/setup/pages.py" line="389"/>
        <source>The account that signs in first and adds the others. The password is kept only as an argon2id hash.</source>
        <translation>Le compte qui se connecte en premier et crée les autres. Seule une empreinte argon2id du mot de passe est conservée.</translation>
    </message>
    <message>
        <location filename="../../widgets/setup/pages.py" line="398"/>
        <source>at least {0} characters</source>
        <translation>au moins {0} caractères</translation>
    </message>
    <message>
        <location filename="../../widgets/setup/pages.py" line="404"/>
        <source>Login</source>
        <translation>Identifiant</translation>
    </message>
    <message>
        <location filename="../../widgets/setup/pages.py" line="405"/>
        <source>Full name</source>
        <translation>Nom complet</translation>
    </message>
    <message>
        <location filename="../../widgets/setup/pages.py" line="406"/>
        <source>Password</source>
        <translation>Mot de passe</translation>
    </message>
    <message>
        <location filename="../../widgets/setup/pages.py" line="407"/>
        <source>Password again</source>
        <translation>Mot de passe (confirmation)</translation>
    </message>
</context>
<context>
    <name>AlarmActions</name>
    <message>
        <location filename="../../app/ui/alarm_actions.py" line="90"/>
        <source>Alarm {0}: the alarm service did not take the command ({1})</source>
        <translation>Alarme {0}&#xa0;: le service des alarmes n&apos;a pas pris la commande ({1})</translation>
    </message>
    <message>
        <location filename="../../app/ui/alarm_actions.py" line="118"/>
        <source>acknowledged</source>
        <translation>prise en compte</translation>
    </message>
    <message>
        <location filename="../../app/ui/alarm_actions.py" line="118"/>
        <source>assigned</source>
        <translation>affectée</translation>
    </message>
    <message>
        <location filename="../../app/ui/alarm_actions.py" line="119"/>
        <source>closed</source>
        <translation>clôturée</translation>
    </message>
    <message>
        <location filename="../../app/ui/alarm_actions.py" line="120"/>
        <source>Alarm {0} was already {1} by {2} at {3}</source>
        <translation>L&apos;alarme {0} a déjà été {1} par {2} à {3}</translation>
    </message>
    <message>
        <location filename="../../app/ui/alarm_actions.py" line="123"/>
        <source>Alarm {0} is already closed</source>
        <translation>L&apos;alarme {0} est déjà clôturée</translation>
    </message>
    <message>
        <location filename="../../app/ui/alarm_actions.py" line="127"/>
        <source>Alarm {0} is already {1}</source>
        <translation>L&apos;alarme {0} est déjà {1}</translation>
    </message>
    <message>
        <location filename="../../app/ui/alarm_actions.py" line="129"/>
        <source>Alarm {0} is unknown to the alarm service</source>
        <translation>L&apos;alarme {0} est inconnue du service des alarmes</translation>
    </message>
    <message>
        <location filename="../../app/ui/alarm_actions.py" line="131"/>
        <source>Alarm {0}: the note is empty</source>
        <translation>Alarme {0}&#xa0;: la note est vide</translation>
    </message>
    <message>
        <location filename="../../app/ui/alarm_actions.py" line="133"/>
        <source>Alarm {0}: choose an officer to assign</source>
        <translation>Alarme {0}&#xa0;: choisissez un agent à affecter</translation>
    </message>
    <message>
        <location filename="../../app/ui/alarm_actions.py" line="134"/>
        <source>Alarm {0}: the action failed ({1})</source>
        <translation>Alarme {0}&#xa0;: l&apos;action a échoué ({1})</translation>
    </message>
</context>
<context>
    <name>AlarmAlerter</name>
    <message>
        <location filename="../../widgets/alarms/alerting.py" line="95"/>
        <source>Qt Multimedia is missing: alarm tones cannot be played.</source>
        <translation>Qt Multimedia est absent&#xa0;: les tonalités d’alarme ne peuvent pas être jouées.</translation>
    </message>
    <message>
        <location filename="../../widgets/alarms/alerting.py" line="98"/>
        <source>This workstation has no audio output device: alarm tones cannot be heard. Plug in speakers or a headset.</source>
        <translation>Ce poste n’a aucune sortie audio&#xa0;: les tonalités d’alarme ne peuvent pas être entendues. Branchez des haut-parleurs ou un casque.</translation>
    </message>
    <message>
        <location filename="../../widgets/alarms/alerting.py" line="102"/>
        <source>The audio device refused the alarm tone: alarm tones cannot be heard.</source>
        <translation>La sortie audio a refusé la tonalité d’alarme&#xa0;: les tonalités d’alarme ne peuvent pas être entendues.</translation>
    </message>
</context>
<context>
    <name>AlarmDesk</name>
    <message>
        <location filename="../../widgets/alarms/__init__.py" line="148"/>
        <source>&amp;Alarms</source>
        <translation>&amp;Alarmes</translation>
    </message>
    <message>
        <location filename="../../widgets/alarms/__init__.py" line="149"/>
        <source>Mute alarm sounds</source>
        <translation>Couper le son des alarmes</translation>
    </message>
    <message>
        <location filename="../../widgets/alarms/__init__.py" line="152"/>
        <source>Sound off ({0})</source>
        <translation>Son coupé ({0})</translation>
    </message>
    <message>
        <location filename="../../widgets/alarms/__init__.py" line="154"/>
        <source>No audio ({0})</source>
        <translation>Pas de son ({0})</translation>
    </message>
    <message>
        <location filename="../../widgets/alarms/__init__.py" line="156"/>
        <source>Sound on ({0})</source>
        <translation>Son actif ({0})</translation>
    </message>
    <message>
        <location filename="../../widgets/alarms/__init__.py" line="160"/>
        <source>Alarms silent on this workstation</source>
        <translation>Alarmes muettes sur ce poste</translation>
    </message>
</context>
<context>
    <name>AlarmDetailPanel</name>
    <message>
        <location filename="../../widgets/alarms/detail.py" line="319"/>
        <source>unknown</source>
        <translation>inconnu</translation>
    </message>
    <message>
        <location filename="../../widgets/alarms/detail.py" line="322"/>
        <source>none</source>
        <translation>aucune</translation>
    </message>
    <message>
        <location filename="../../widgets/alarms/detail.py" line="333"/>
        <source>Nearest officers</source>
        <translation>Agents les plus proches</translation>
    </message>
    <message>
        <location filename="../../widgets/alarms/detail.py" line="334"/>
        <source>History ({0})</source>
        <translation>Historique ({0})</translation>
    </message>
    <message>
        <location filename="../../widgets/alarms/detail.py" line="335"/>
        <source>Details</source>
        <translation>Détails</translation>
    </message>
    <message>
        <location filename="../../widgets/alarms/detail.py" line="348"/>
        <source>No. {0}</source>
        <translation>N° {0}</translation>
    </message>
    <message>
        <location filename="../../widgets/alarms/detail.py" line="350"/>
        <source>escalated</source>
        <translation>escaladée</translation>
    </message>
    <message>
        <location filename="../../widgets/alarms/detail.py" line="352"/>
        <source>→ {0}</source>
        <translation>→ {0}</translation>
    </message>
    <message>
        <location filename="../../widgets/alarms/detail.py" line="354"/>
        <source>reported {0} times, last at {1}</source>
        <translation>signalée {0} fois, la dernière à {1}</translation>
    </message>
    <message>
        <location filename="../../widgets/alarms/detail.py" line="361"/>
        <source>unacknowledged for {0}</source>
        <translation>non prise en compte depuis {0}</translation>
    </message>
    <message>
        <location filename="../../widgets/alarms/detail.py" line="381"/>
        <source>unacknowledged past the threshold</source>
        <translation>non prise en compte au-delà du seuil</translation>
    </message>
    <message>
        <location filename="../../widgets/alarms/detail.py" line="436"/>
        <source>Procedure ({0}/{1})</source>
        <translation>Procédure ({0}/{1})</translation>
    </message>
    <message>
        <location filename="../../widgets/alarms/detail.py" line="437"/>
        <source>Procedure</source>
        <translation>Procédure</translation>
    </message>
    <message>
        <location filename="../../widgets/alarms/detail.py" line="500"/>
        <source>assigned</source>
        <translation>affectée</translation>
    </message>
    <message>
        <location filename="../../widgets/alarms/detail.py" line="502"/>
        <source>Assign</source>
        <translation>Affecter</translation>
    </message>
    <message>
        <location filename="../../widgets/alarms/detail.py" line="508"/>
        <source>{0} is {1}</source>
        <translation>{0} est {1}</translation>
    </message>
    <message>
        <location filename="../../widgets/alarms/detail.py" line="514"/>
        <source>This alarm has no position.</source>
        <translation>Cette alarme n&apos;a pas de position.</translation>
    </message>
    <message>
        <location filename="../../widgets/alarms/detail.py" line="517"/>
        <source>No officer who can respond has a recent position (not counted: the officer concerned, officers in emergency, on an intervention, off duty).</source>
        <translation>Aucun agent pouvant intervenir n’a de position récente (non comptés&#xa0;: l’agent concerné, les agents en urgence, en intervention ou hors service).</translation>
    </message>
    <message>
        <location filename="../../widgets/alarms/detail.py" line="521"/>
        <source>The queue&apos;s filters hide this alarm: show it there to act on it.</source>
        <translation>Les filtres de la file masquent cette alarme&#xa0;: affichez-la dans la file pour agir dessus.</translation>
    </message>
    <message>
        <location filename="../../widgets/alarms/detail.py" line="530"/>
        <source>Select an alarm in the queue to see it here.</source>
        <translation>Sélectionnez une alarme dans la file pour la voir ici.</translation>
    </message>
    <message>
        <location filename="../../widgets/alarms/detail.py" line="531"/>
        <source>Source</source>
        <translation>Source</translation>
    </message>
    <message>
        <location filename="../../widgets/alarms/detail.py" line="531"/>
        <source>Raised</source>
        <translation>Levée le</translation>
    </message>
    <message>
        <location filename="../../widgets/alarms/detail.py" line="532"/>
        <source>Position</source>
        <translation>Position</translation>
    </message>
    <message>
        <location filename="../../widgets/alarms/detail.py" line="532"/>
        <source>Cameras</source>
        <translation>Caméras</translation>
    </message>
    <message>
        <location filename="../../widgets/alarms/detail.py" line="533"/>
        <source>Officer concerned</source>
        <translation>Agent concerné</translation>
    </message>
    <message>
        <location filename="../../widgets/alarms/detail.py" line="533"/>
        <source>Assigned to</source>
        <translation>Affectée à</translation>
    </message>
    <message>
        <location filename="../../widgets/alarms/detail.py" line="534"/>
        <source>Outcome</source>
        <translation>Issue</translation>
    </message>
    <message>
        <location filename="../../widgets/alarms/detail.py" line="537"/>
        <source>No procedure is set for this type in the site file.</source>
        <translation>Aucune procédure n&apos;est définie pour ce type dans le fichier de site.</translation>
    </message>
    <message>
        <location filename="../../widgets/alarms/detail.py" line="538"/>
        <source>Tick what is done (Space): it is journaled with your name and the time.</source>
        <translation>Cochez ce qui est fait (Espace)&#xa0;: c&apos;est journalisé avec votre nom et l&apos;heure.</translation>
    </message>
    <message>
        <location filename="../../widgets/alarms/detail.py" line="540"/>
        <source>Officer</source>
        <translation>Agent</translation>
    </message>
    <message>
        <location filename="../../widgets/alarms/detail.py" line="540"/>
        <source>Status</source>
        <translation>Statut</translation>
    </message>
    <message>
        <location filename="../../widgets/alarms/detail.py" line="540"/>
        <source>Distance</source>
        <translation>Distance</translation>
    </message>
    <message>
        <location filename="../../widgets/alarms/detail.py" line="542"/>
        <source>Time</source>
        <translation>Heure</translation>
    </message>
    <message>
        <location filename="../../widgets/alarms/detail.py" line="542"/>
        <source>Who</source>
        <translation>Qui</translation>
    </message>
    <message>
        <location filename="../../widgets/alarms/detail.py" line="542"/>
        <source>What</source>
        <translation>Quoi</translation>
    </message>
    <message>
        <location filename="../../widgets/alarms/detail.py" line="543"/>
        <source>Detail</source>
        <translation>Détail</translation>
    </message>
</context>
<context>
    <name>AlarmDialog</name>
    <message>
        <location filename="../../widgets/alarms/dialogs.py" line="111"/>
        <source>Alarm {0} — {1}</source>
        <translation>Alarme {0} — {1}</translation>
    </message>
</context>
<context>
    <name>AlarmEvents</name>
    <message>
        <location filename="../../app/ui/labels.py" line="24"/>
        <source>Weapon drawn from the holster</source>
        <translation>Arme sortie de l&apos;étui</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="25"/>
        <source>Body-cam emergency button</source>
        <translation>Bouton d&apos;urgence caméra-piéton</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="26"/>
        <source>Tracker SOS alarm</source>
        <translation>Alarme SOS du traceur</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="27"/>
        <source>Body-cam battery low</source>
        <translation>Batterie faible de la caméra-piéton</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="28"/>
        <source>Gunshot detected</source>
        <translation>Détonation détectée</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="29"/>
        <source>Intrusion</source>
        <translation>Intrusion</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="30"/>
        <source>LPR: stolen vehicle</source>
        <translation>LAPI&#xa0;: véhicule volé</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="31"/>
        <source>LPR: stolen plate</source>
        <translation>LAPI&#xa0;: plaque volée</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="32"/>
        <source>LPR: reported vehicle (FOVeS)</source>
        <translation>LAPI&#xa0;: véhicule signalé (FOVeS)</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="33"/>
        <source>LPR: plate on a watch list</source>
        <translation>LAPI&#xa0;: plaque sous surveillance</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="34"/>
        <source>Alert</source>
        <translation>Alerte</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="35"/>
        <source>Video analytics: person on the ground</source>
        <translation>Analyse vidéo&#xa0;: personne au sol</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="36"/>
        <source>Video analytics: gathering</source>
        <translation>Analyse vidéo&#xa0;: attroupement</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="37"/>
        <source>Video analytics: abandoned object</source>
        <translation>Analyse vidéo&#xa0;: objet abandonné</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="38"/>
        <source>Video analytics: vehicle going the wrong way</source>
        <translation>Analyse vidéo&#xa0;: véhicule à contresens</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="39"/>
        <source>Video analytics</source>
        <translation>Analyse vidéo</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="40"/>
        <source>Motion detected</source>
        <translation>Mouvement détecté</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="41"/>
        <source>Camera tampering</source>
        <translation>Sabotage de caméra</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="42"/>
        <source>Input active</source>
        <translation>Entrée activée</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="43"/>
        <source>Video analytics: person</source>
        <translation>Analyse vidéo&#xa0;: personne</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="44"/>
        <source>Video analytics: vehicle</source>
        <translation>Analyse vidéo&#xa0;: véhicule</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="45"/>
        <source>Video analytics: two-wheeler</source>
        <translation>Analyse vidéo&#xa0;: deux-roues</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="46"/>
        <source>Video analytics: bicycle</source>
        <translation>Analyse vidéo&#xa0;: vélo</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="47"/>
        <source>Video analytics: dog</source>
        <translation>Analyse vidéo&#xa0;: chien</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="48"/>
        <source>Video analytics: bus</source>
        <translation>Analyse vidéo&#xa0;: bus</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="49"/>
        <source>Video analytics: lorry</source>
        <translation>Analyse vidéo&#xa0;: camion</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="50"/>
        <source>Citizen report: noise</source>
        <translation>Signalement citoyen&#xa0;: tapage</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="51"/>
        <source>Citizen report: obstructive parking</source>
        <translation>Signalement citoyen&#xa0;: stationnement gênant</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="52"/>
        <source>Citizen report: fly-tipping</source>
        <translation>Signalement citoyen&#xa0;: dépôt sauvage</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="53"/>
        <source>Citizen report: person acting suspiciously</source>
        <translation>Signalement citoyen&#xa0;: individu au comportement suspect</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="54"/>
        <source>Citizen report: damage to street furniture</source>
        <translation>Signalement citoyen&#xa0;: dégradation de mobilier urbain</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="55"/>
        <source>Citizen report: stray dog</source>
        <translation>Signalement citoyen&#xa0;: chien errant</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="56"/>
        <source>Medical alarm</source>
        <translation>Alarme médicale</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="57"/>
        <source>Fire alarm</source>
        <translation>Alarme incendie</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="58"/>
        <source>Panic alarm</source>
        <translation>Alarme panique</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="59"/>
        <source>Panic / duress</source>
        <translation>Panique / contrainte</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="60"/>
        <source>Hold-up alarm</source>
        <translation>Alarme agression (hold-up)</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="61"/>
        <source>Burglary</source>
        <translation>Effraction</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="62"/>
        <source>Burglary verified</source>
        <translation>Effraction confirmée</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="63"/>
        <source>General alarm</source>
        <translation>Alarme générale</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="64"/>
        <source>24-hour non-burglary alarm</source>
        <translation>Alarme technique 24 h/24</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="65"/>
        <source>Sensor tamper / trouble</source>
        <translation>Autoprotection / défaut de capteur</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="66"/>
        <source>Tamper</source>
        <translation>Autoprotection</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="67"/>
        <source>Door forced</source>
        <translation>Porte forcée</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="68"/>
        <source>Gas alarm</source>
        <translation>Alarme gaz</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="69"/>
        <source>Water leak</source>
        <translation>Fuite d&apos;eau</translation>
    </message>
</context>
<context>
    <name>AlarmQueueWidget</name>
    <message>
        <location filename="../../widgets/alarms/queue.py" line="282"/>
        <source>Acknowledge</source>
        <translation>Prendre en compte</translation>
    </message>
    <message>
        <location filename="../../widgets/alarms/queue.py" line="283"/>
        <source>Assign…</source>
        <translation>Affecter…</translation>
    </message>
    <message>
        <location filename="../../widgets/alarms/queue.py" line="284"/>
        <source>Close…</source>
        <translation>Clôturer…</translation>
    </message>
    <message>
        <location filename="../../widgets/alarms/queue.py" line="285"/>
        <source>Note…</source>
        <translation>Note…</translation>
    </message>
    <message>
        <location filename="../../widgets/alarms/queue.py" line="286"/>
        <source>Open cameras</source>
        <translation>Ouvrir les caméras</translation>
    </message>
    <message>
        <location filename="../../widgets/alarms/queue.py" line="287"/>
        <source>Find</source>
        <translation>Rechercher</translation>
    </message>
    <message>
        <location filename="../../widgets/alarms/queue.py" line="292"/>
        <source>{0} ({1})</source>
        <translation>{0} ({1})</translation>
    </message>
    <message>
        <location filename="../../widgets/alarms/queue.py" line="293"/>
        <source>{0} — key {1}</source>
        <translation>{0} — touche {1}</translation>
    </message>
    <message>
        <location filename="../../widgets/alarms/queue.py" line="298"/>
        <source>Find an alarm ({0})</source>
        <translation>Rechercher une alarme ({0})</translation>
    </message>
    <message>
        <location filename="../../widgets/alarms/type_filter.py" line="118"/>
        <source>All types</source>
        <translation>Tous les types</translation>
    </message>
    <message>
        <location filename="../../widgets/alarms/type_filter.py" line="122"/>
        <source>No type</source>
        <translation>Aucun type</translation>
    </message>
    <message>
        <location filename="../../widgets/alarms/queue.py" line="301"/>
        <source>Show the alarms in state “{0}”</source>
        <translation>Afficher les alarmes à l&apos;état «&#xa0;{0}&#xa0;»</translation>
    </message>
    <message>
        <location filename="../../widgets/alarms/queue.py" line="302"/>
        <source>All priorities</source>
        <translation>Toutes priorités</translation>
    </message>
    <message>
        <location filename="../../widgets/alarms/queue.py" line="302"/>
        <source>P1 only</source>
        <translation>P1 seulement</translation>
    </message>
    <message>
        <location filename="../../widgets/alarms/queue.py" line="303"/>
        <source>P1–P2</source>
        <translation>P1–P2</translation>
    </message>
    <message>
        <location filename="../../widgets/alarms/queue.py" line="303"/>
        <source>P1–P3</source>
        <translation>P1–P3</translation>
    </message>
    <message>
        <location filename="../../widgets/alarms/queue.py" line="431"/>
        <source>No officer is known yet: nobody to assign</source>
        <translation>Aucun agent connu pour l&apos;instant&#xa0;: personne à affecter</translation>
    </message>
    <message>
        <location filename="../../widgets/alarms/type_filter.py" line="126"/>
        <source>{0} types</source>
        <translation>{0} types</translation>
    </message>
    <message>
        <location filename="../../widgets/alarms/queue.py" line="530"/>
        <source>{0} open</source>
        <translation>{0} ouvertes</translation>
    </message>
    <message>
        <location filename="../../widgets/alarms/queue.py" line="532"/>
        <source>{0} new</source>
        <translation>{0} nouvelles</translation>
    </message>
    <message>
        <location filename="../../widgets/alarms/queue.py" line="534"/>
        <source>{0} new hidden by the filter</source>
        <translation>{0} nouvelles masquées par le filtre</translation>
    </message>
</context>
<context>
    <name>AlarmTableModel</name>
    <message>
        <location filename="../../app/ui/alarm_model.py" line="455"/>
        <source>Prio.</source>
        <translation>Prio.</translation>
    </message>
    <message>
        <location filename="../../app/ui/alarm_model.py" line="455"/>
        <source>Waiting</source>
        <translation>Attente</translation>
    </message>
    <message>
        <location filename="../../app/ui/alarm_model.py" line="455"/>
        <source>Type</source>
        <translation>Type</translation>
    </message>
    <message>
        <location filename="../../app/ui/alarm_model.py" line="455"/>
        <source>Alarm</source>
        <translation>Alarme</translation>
    </message>
    <message>
        <location filename="../../app/ui/alarm_model.py" line="456"/>
        <source>State</source>
        <translation>État</translation>
    </message>
    <message>
        <location filename="../../app/ui/alarm_model.py" line="456"/>
        <source>Assigned to</source>
        <translation>Affectée à</translation>
    </message>
    <message>
        <location filename="../../app/ui/alarm_model.py" line="456"/>
        <source>Raised</source>
        <translation>Levée</translation>
    </message>
    <message>
        <location filename="../../app/ui/alarm_model.py" line="456"/>
        <source>No.</source>
        <translation>N°</translation>
    </message>
    <message>
        <location filename="../../app/ui/alarm_model.py" line="535"/>
        <source>Unacknowledged for {0} (escalates after {1})</source>
        <translation>Non prise en compte depuis {0} (escalade après {1})</translation>
    </message>
    <message>
        <location filename="../../app/ui/alarm_model.py" line="538"/>
        <source>Escalated: left unacknowledged past its threshold</source>
        <translation>Escaladée&#xa0;: non prise en compte au-delà de son seuil</translation>
    </message>
</context>
<context>
    <name>AssignDialog</name>
    <message>
        <location filename="../../widgets/alarms/dialogs.py" line="249"/>
        <source>position unknown</source>
        <translation>position inconnue</translation>
    </message>
    <message>
        <location filename="../../widgets/alarms/dialogs.py" line="254"/>
        <source>{0} (assigned)</source>
        <translation>{0} (affecté)</translation>
    </message>
    <message>
        <location filename="../../widgets/alarms/dialogs.py" line="299"/>
        <source>Assign alarm {0}</source>
        <translation>Affecter l&apos;alarme {0}</translation>
    </message>
    <message>
        <location filename="../../widgets/alarms/dialogs.py" line="300"/>
        <source>Find an officer (callsign, unit)</source>
        <translation>Rechercher un agent (indicatif, unité)</translation>
    </message>
    <message>
        <location filename="../../widgets/alarms/dialogs.py" line="301"/>
        <source>Callsign</source>
        <translation>Indicatif</translation>
    </message>
    <message>
        <location filename="../../widgets/alarms/dialogs.py" line="301"/>
        <source>Unit</source>
        <translation>Unité</translation>
    </message>
    <message>
        <location filename="../../widgets/alarms/dialogs.py" line="301"/>
        <source>Status</source>
        <translation>Statut</translation>
    </message>
    <message>
        <location filename="../../widgets/alarms/dialogs.py" line="302"/>
        <source>Distance</source>
        <translation>Distance</translation>
    </message>
    <message>
        <location filename="../../widgets/alarms/dialogs.py" line="303"/>
        <source>Assign</source>
        <translation>Affecter</translation>
    </message>
</context>
<context>
    <name>BodyCamAccess</name>
    <message>
        <location filename="../../app/ui/bodycam_access.py" line="83"/>
        <source>%1 was not opened: no reason was given (CSI L241-2).</source>
        <translation>%1 n’a pas été ouverte&#xa0;: aucun motif n’a été donné (CSI L241-2).</translation>
    </message>
    <message>
        <location filename="../../app/ui/bodycam_access.py" line="86"/>
        <source>%1 was not opened: the access log cannot be written (%2). A body camera is shown only once its viewing is logged (CSI R241-14).</source>
        <translation>%1 n’a pas été ouverte&#xa0;: le registre des accès ne peut pas être écrit (%2). Une caméra-piéton n’est affichée qu’une fois sa consultation enregistrée (CSI R241-14).</translation>
    </message>
</context>
<context>
    <name>BodyCamReasonDialog</name>
    <message>
        <location filename="../../widgets/bodycam_reason.py" line="37"/>
        <source>Open a body camera live</source>
        <translation>Ouvrir une caméra-piéton en direct</translation>
    </message>
    <message>
        <location filename="../../widgets/bodycam_reason.py" line="39"/>
        <source>Live viewing of %1 (worn by %2) is allowed only when the officers&apos; safety is threatened (CSI L241-2). Your name, the time and the reason are logged (CSI R241-14).</source>
        <translation>Le visionnage en direct de %1 (portée par %2) n&apos;est permis que lorsque la sécurité des agents est menacée (CSI L241-2). Votre nom, l&apos;heure et le motif sont journalisés (CSI R241-14).</translation>
    </message>
    <message>
        <location filename="../../widgets/bodycam_reason.py" line="46"/>
        <source>Officer asks for support</source>
        <translation>L&apos;agent demande du soutien</translation>
    </message>
    <message>
        <location filename="../../widgets/bodycam_reason.py" line="47"/>
        <source>Officer in danger (seen or reported)</source>
        <translation>Agent en danger (constaté ou signalé)</translation>
    </message>
    <message>
        <location filename="../../widgets/bodycam_reason.py" line="48"/>
        <source>Radio contact lost with the officer</source>
        <translation>Contact radio perdu avec l&apos;agent</translation>
    </message>
    <message>
        <location filename="../../widgets/bodycam_reason.py" line="49"/>
        <source>Other threat to the officers&apos; safety</source>
        <translation>Autre menace pour la sécurité des agents</translation>
    </message>
    <message>
        <location filename="../../widgets/bodycam_reason.py" line="52"/>
        <source>Details (required): what is happening</source>
        <translation>Détails (obligatoire)&#xa0;: ce qui se passe</translation>
    </message>
    <message>
        <location filename="../../widgets/bodycam_reason.py" line="56"/>
        <source>Open live</source>
        <translation>Ouvrir en direct</translation>
    </message>
</context>
<context>
    <name>BookmarkDialog</name>
    <message>
        <location filename="../../widgets/replay/bookmark_dialog.py" line="25"/>
        <source>Bookmark</source>
        <translation>Signet</translation>
    </message>
    <message>
        <location filename="../../widgets/replay/bookmark_dialog.py" line="27"/>
        <source>Bookmark at %1</source>
        <translation>Signet à %1</translation>
    </message>
    <message>
        <location filename="../../widgets/replay/bookmark_dialog.py" line="30"/>
        <source>What happens here (required)</source>
        <translation>Ce qui se passe ici (obligatoire)</translation>
    </message>
</context>
<context>
    <name>CameraList</name>
    <message>
        <location filename="../../widgets/camera_list.py" line="115"/>
        <source>Search cameras (Ctrl+Shift+F)</source>
        <translation>Rechercher une caméra (Ctrl+Maj+F)</translation>
    </message>
    <message>
        <location filename="../../widgets/camera_list.py" line="186"/>
        <source>No zone</source>
        <translation>Sans zone</translation>
    </message>
    <message>
        <location filename="../../widgets/camera_list.py" line="185"/>
        <source>Body cameras</source>
        <translation>Caméras-piétons</translation>
    </message>
    <message>
        <location filename="../../widgets/camera_list.py" line="204"/>
        <source>%1 (offline)</source>
        <translation>%1 (hors ligne)</translation>
    </message>
    <message>
        <location filename="../../widgets/camera_list.py" line="206"/>
        <source>state unknown (not seen yet)</source>
        <translation>état inconnu (pas encore vue)</translation>
    </message>
    <message>
        <location filename="../../widgets/camera_list.py" line="211"/>
        <source>recorded by this console</source>
        <translation>enregistrée par cette console</translation>
    </message>
    <message>
        <location filename="../../widgets/camera_list.py" line="214"/>
        <source>not recording: %1</source>
        <translation>pas d’enregistrement&#xa0;: %1</translation>
    </message>
    <message>
        <location filename="../../widgets/camera_list.py" line="202"/>
        <source>online</source>
        <translation>en ligne</translation>
    </message>
    <message>
        <location filename="../../widgets/camera_list.py" line="204"/>
        <source>offline</source>
        <translation>hors ligne</translation>
    </message>
</context>
<context>
    <name>CloseDialog</name>
    <message>
        <location filename="../../widgets/alarms/dialogs.py" line="150"/>
        <source>Close alarm {0}</source>
        <translation>Clôturer l&apos;alarme {0}</translation>
    </message>
    <message>
        <location filename="../../widgets/alarms/dialogs.py" line="151"/>
        <source>Outcome:</source>
        <translation>Issue&#xa0;:</translation>
    </message>
    <message>
        <location filename="../../widgets/alarms/dialogs.py" line="152"/>
        <source>&amp;Handled</source>
        <translation>&amp;Traitée</translation>
    </message>
    <message>
        <location filename="../../widgets/alarms/dialogs.py" line="153"/>
        <source>&amp;False alarm</source>
        <translation>&amp;Fausse alarme</translation>
    </message>
    <message>
        <location filename="../../widgets/alarms/dialogs.py" line="154"/>
        <source>&amp;Escalated (handed to another service)</source>
        <translation>Tr&amp;ansmise (à un autre service)</translation>
    </message>
    <message>
        <location filename="../../widgets/alarms/dialogs.py" line="158"/>
        <source>&amp;Note (Ctrl+Enter to close the alarm):</source>
        <translation>&amp;Note (Ctrl+Entrée pour clôturer l&apos;alarme)&#xa0;:</translation>
    </message>
    <message>
        <location filename="../../widgets/alarms/dialogs.py" line="159"/>
        <source>Close the alarm</source>
        <translation>Clôturer l&apos;alarme</translation>
    </message>
</context>
<context>
    <name>ConsoleStatusBar</name>
    <message>
        <location filename="../../widgets/status_bar.py" line="61"/>
        <source>Nobody signed in</source>
        <translation>Personne n’est connecté</translation>
    </message>
    <message>
        <location filename="../../widgets/status_bar.py" line="65"/>
        <source>DEMO · {0}</source>
        <translation>DÉMO · {0}</translation>
    </message>
    <message>
        <location filename="../../widgets/status_bar.py" line="68"/>
        <source>The demonstration town: signed in without a password. A real site asks who signs in.</source>
        <translation>La ville de démonstration : connecté sans mot de passe. Un vrai site demande qui se connecte.</translation>
    </message>
    <message>
        <location filename="../../widgets/status_bar.py" line="71"/>
        <source>{0} · {1}</source>
        <translation>{0} · {1}</translation>
    </message>
    <message>
        <location filename="../../widgets/status_bar.py" line="73"/>
        <source>Signed in as {0} ({1})</source>
        <translation>Connecté en tant que {0} ({1})</translation>
    </message>
    <message>
        <location filename="../../widgets/status_bar.py" line="108"/>
        <source>Cameras online: {0}/{1}</source>
        <translation>Caméras en ligne&#xa0;: {0}/{1}</translation>
    </message>
    <message>
        <location filename="../../widgets/status_bar.py" line="110"/>
        <source>, {0} unknown</source>
        <translation>, {0} inconnues</translation>
    </message>
    <message>
        <location filename="../../widgets/status_bar.py" line="111"/>
        <source>Officers: {0}   {1}   Open alarms: {2}</source>
        <translation>Agents&#xa0;: {0}   {1}   Alarmes ouvertes&#xa0;: {2}</translation>
    </message>
</context>
<context>
    <name>ExportDialog</name>
    <message>
        <location filename="../../widgets/replay/export_dialog.py" line="71"/>
        <source>Export evidence</source>
        <translation>Exporter des preuves</translation>
    </message>
    <message>
        <location filename="../../widgets/replay/export_dialog.py" line="82"/>
        <source>From %1 to %2. The export is logged in the access log with your name, its purpose and its recipient before anything is written (CSI R241-14).</source>
        <translation>Du %1 au %2. L’extraction est inscrite au journal des accès avec votre nom, son motif et son destinataire avant que quoi que ce soit ne soit écrit (CSI R241-14).</translation>
    </message>
    <message>
        <location filename="../../widgets/replay/export_dialog.py" line="89"/>
        <source>Administrative inquiry</source>
        <translation>Enquête administrative</translation>
    </message>
    <message>
        <location filename="../../widgets/replay/export_dialog.py" line="90"/>
        <source>Disciplinary inquiry</source>
        <translation>Enquête disciplinaire</translation>
    </message>
    <message>
        <location filename="../../widgets/replay/export_dialog.py" line="93"/>
        <source>e.g. Parquet de Melun, OPJ Durand</source>
        <translation>p. ex. Parquet de Melun, OPJ Durand</translation>
    </message>
    <message>
        <location filename="../../widgets/replay/export_dialog.py" line="95"/>
        <source>Requisition or case number</source>
        <translation>Numéro de réquisition ou de procédure</translation>
    </message>
    <message>
        <location filename="../../widgets/replay/export_dialog.py" line="96"/>
        <source>Place a judicial hold on this range and these cameras (kept past the retention limit)</source>
        <translation>Placer un gel judiciaire sur cette période et ces caméras (conservées au-delà de la durée légale)</translation>
    </message>
    <message>
        <location filename="../../widgets/replay/export_dialog.py" line="104"/>
        <source>&amp;Purpose:</source>
        <translation>&amp;Motif&#xa0;:</translation>
    </message>
    <message>
        <location filename="../../widgets/replay/export_dialog.py" line="105"/>
        <source>&amp;Details:</source>
        <translation>&amp;Précisions&#xa0;:</translation>
    </message>
    <message>
        <location filename="../../widgets/replay/export_dialog.py" line="106"/>
        <source>For &amp;whom:</source>
        <translation>&amp;Destinataire&#xa0;:</translation>
    </message>
    <message>
        <location filename="../../widgets/replay/export_dialog.py" line="107"/>
        <source>&amp;Reference:</source>
        <translation>&amp;Référence&#xa0;:</translation>
    </message>
    <message>
        <location filename="../../widgets/replay/export_dialog.py" line="108"/>
        <source>Report &amp;language:</source>
        <translation>&amp;Langue du rapport&#xa0;:</translation>
    </message>
    <message>
        <location filename="../../widgets/replay/export_dialog.py" line="110"/>
        <source>Cameras</source>
        <translation>Caméras</translation>
    </message>
    <message>
        <location filename="../../widgets/replay/export_dialog.py" line="111"/>
        <source>Officers&apos; tracks</source>
        <translation>Trajets des agents</translation>
    </message>
    <message>
        <location filename="../../widgets/replay/export_dialog.py" line="120"/>
        <source>Export</source>
        <translation>Exporter</translation>
    </message>
    <message>
        <location filename="../../widgets/replay/export_dialog.py" line="121"/>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <location filename="../../widgets/replay/export_dialog.py" line="122"/>
        <source>Open the folder</source>
        <translation>Ouvrir le dossier</translation>
    </message>
    <message>
        <location filename="../../widgets/replay/export_dialog.py" line="194"/>
        <source>Choose the purpose of the export.</source>
        <translation>Choisissez le motif de l’extraction.</translation>
    </message>
    <message>
        <location filename="../../widgets/replay/export_dialog.py" line="196"/>
        <source>Say for whom the export is made.</source>
        <translation>Indiquez pour qui l’extraction est faite.</translation>
    </message>
    <message>
        <location filename="../../widgets/replay/export_dialog.py" line="198"/>
        <source>Tick at least one camera.</source>
        <translation>Cochez au moins une caméra.</translation>
    </message>
    <message>
        <location filename="../../widgets/replay/export_dialog.py" line="200"/>
        <source>A judicial hold needs the requisition&apos;s reference.</source>
        <translation>Un gel judiciaire demande la référence de la réquisition.</translation>
    </message>
    <message>
        <location filename="../../widgets/replay/export_dialog.py" line="213"/>
        <source>Logging the export…</source>
        <translation>Inscription de l’extraction au journal des accès…</translation>
    </message>
    <message>
        <location filename="../../widgets/replay/export_dialog.py" line="236"/>
        <source>Cancelling: removing what was written…</source>
        <translation>Annulation&#xa0;: suppression de ce qui a été écrit…</translation>
    </message>
    <message>
        <location filename="../../widgets/replay/export_dialog.py" line="242"/>
        <source>Close</source>
        <translation>Fermer</translation>
    </message>
    <message>
        <location filename="../../widgets/replay/export_dialog.py" line="250"/>
        <source>Exported and signed by the console service, in its folder: %1</source>
        <translation>Exporté et signé par le service de la console, dans son dossier&#xa0;: %1</translation>
    </message>
    <message>
        <location filename="../../widgets/replay/export_dialog.py" line="251"/>
        <source>Exported and signed: %1</source>
        <translation>Exporté et signé&#xa0;: %1</translation>
    </message>
    <message>
        <location filename="../../widgets/replay/export_dialog.py" line="254"/>
        <source>ZIP: %1</source>
        <translation>ZIP&#xa0;: %1</translation>
    </message>
    <message>
        <location filename="../../widgets/replay/export_dialog.py" line="256"/>
        <source>Timestamped by the authority at %1</source>
        <translation>Horodaté par l’autorité à %1</translation>
    </message>
    <message>
        <location filename="../../widgets/replay/export_dialog.py" line="258"/>
        <source>Warning: %1</source>
        <translation>Attention&#xa0;: %1</translation>
    </message>
</context>
<context>
    <name>ExportWords</name>
    <message>
        <location filename="../../app/ui/export_words.py" line="15"/>
        <source>Waiting for the export under way to end (one at a time)…</source>
        <translation>En attente de la fin de l’extraction en cours (une à la fois)…</translation>
    </message>
    <message>
        <location filename="../../app/ui/export_words.py" line="18"/>
        <source>Copying the recordings into the master files (never re-encoded)…</source>
        <translation>Copie des enregistrements dans les fichiers originaux (jamais réencodés)…</translation>
    </message>
    <message>
        <location filename="../../app/ui/export_words.py" line="21"/>
        <source>Burning the privacy masks into the working copies…</source>
        <translation>Incrustation des masques de vie privée dans les copies de travail…</translation>
    </message>
    <message>
        <location filename="../../app/ui/export_words.py" line="24"/>
        <source>Writing the tracks, the alarms and the operators&apos; actions…</source>
        <translation>Écriture des trajets, des alarmes et des actions des opérateurs…</translation>
    </message>
    <message>
        <location filename="../../app/ui/export_words.py" line="27"/>
        <source>Writing the report, the manifest and its signature…</source>
        <translation>Écriture du rapport, du manifeste et de sa signature…</translation>
    </message>
    <message>
        <location filename="../../app/ui/export_words.py" line="30"/>
        <source>Writing the ZIP…</source>
        <translation>Écriture du ZIP…</translation>
    </message>
    <message>
        <location filename="../../app/ui/export_words.py" line="32"/>
        <source>Done.</source>
        <translation>Terminé.</translation>
    </message>
    <message>
        <location filename="../../app/ui/export_words.py" line="39"/>
        <source>Cancelled: nothing of this export was kept.</source>
        <translation>Annulé&#xa0;: rien de cette extraction n’a été conservé.</translation>
    </message>
    <message>
        <location filename="../../app/ui/export_words.py" line="42"/>
        <source>Refused: %1. Nothing was exported.</source>
        <translation>Refusé&#xa0;: %1. Rien n’a été exporté.</translation>
    </message>
    <message>
        <location filename="../../app/ui/export_words.py" line="45"/>
        <source>The access log cannot be written, so nothing was exported (the law requires the log first). Tell the administrator: %1</source>
        <translation>Le journal des accès ne peut pas être écrit&#xa0;: rien n’a été exporté (la loi exige l’inscription d’abord). Prévenez l’administrateur&#xa0;: %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/export_words.py" line="49"/>
        <source>The export failed: %1. Nothing of it was kept.</source>
        <translation>L’extraction a échoué&#xa0;: %1. Rien n’en a été conservé.</translation>
    </message>
    <message>
        <location filename="../../app/ui/export_words.py" line="52"/>
        <source>The export failed (%1). Nothing of it was kept.</source>
        <translation>L’extraction a échoué (%1). Rien n’en a été conservé.</translation>
    </message>
</context>
<context>
    <name>FirstRun</name>
    <message>
        <location filename="../../app/first_run.py" line="29"/>
        <source>CSU Console cannot start</source>
        <translation>CSU Console ne peut pas démarrer</translation>
    </message>
    <message>
        <location filename="../../app/first_run.py" line="30"/>
        <source>This workstation&apos;s installation file is wrong, so the console does not know which site to open:

{0}

Fix the file (or run `csu-console install-config` again), then start the console.</source>
        <translation>Le fichier d&apos;installation de ce poste est erroné : la console ne sait pas quel site ouvrir :

{0}

Corrigez le fichier (ou relancez `csu-console install-config`), puis démarrez la console.</translation>
    </message>
    <message>
        <location filename="../../app/first_run.py" line="78"/>
        <source>Open a site file</source>
        <translation>Ouvrir un fichier de site</translation>
    </message>
    <message>
        <location filename="../../app/first_run.py" line="79"/>
        <source>Site file (*.toml)</source>
        <translation>Fichier de site (*.toml)</translation>
    </message>
</context>
<context>
    <name>IncidentDialog</name>
    <message>
        <location filename="../../widgets/replay/incident_dialog.py" line="34"/>
        <source>an incident needs a title</source>
        <translation>un incident doit avoir un titre</translation>
    </message>
    <message>
        <location filename="../../widgets/replay/incident_dialog.py" line="35"/>
        <source>the incident ends before it starts</source>
        <translation>l’incident se termine avant de commencer</translation>
    </message>
    <message>
        <location filename="../../widgets/replay/incident_dialog.py" line="36"/>
        <source>an incident needs at least one camera or one officer</source>
        <translation>un incident doit porter sur au moins une caméra ou un agent</translation>
    </message>
    <message>
        <location filename="../../widgets/replay/incident_dialog.py" line="57"/>
        <source>Edit the incident</source>
        <translation>Modifier l’incident</translation>
    </message>
    <message>
        <location filename="../../widgets/replay/incident_dialog.py" line="58"/>
        <source>New incident</source>
        <translation>Nouvel incident</translation>
    </message>
    <message>
        <location filename="../../widgets/replay/incident_dialog.py" line="60"/>
        <source>What happened, where (required)</source>
        <translation>Ce qui s’est passé, où (obligatoire)</translation>
    </message>
    <message>
        <location filename="../../widgets/replay/incident_dialog.py" line="79"/>
        <source>to</source>
        <translation>au</translation>
    </message>
    <message>
        <location filename="../../widgets/replay/incident_dialog.py" line="82"/>
        <source>Cameras</source>
        <translation>Caméras</translation>
    </message>
    <message>
        <location filename="../../widgets/replay/incident_dialog.py" line="83"/>
        <source>Officers</source>
        <translation>Agents</translation>
    </message>
    <message>
        <location filename="../../widgets/replay/incident_dialog.py" line="91"/>
        <source>&amp;Title:</source>
        <translation>&amp;Titre&#xa0;:</translation>
    </message>
    <message>
        <location filename="../../widgets/replay/incident_dialog.py" line="92"/>
        <source>&amp;Note:</source>
        <translation>&amp;Note&#xa0;:</translation>
    </message>
    <message>
        <location filename="../../widgets/replay/incident_dialog.py" line="93"/>
        <source>&amp;From:</source>
        <translation>&amp;Du&#xa0;:</translation>
    </message>
</context>
<context>
    <name>IncidentList</name>
    <message>
        <location filename="../../widgets/replay/incident_list.py" line="83"/>
        <source>Reading the incidents…</source>
        <translation>Lecture des incidents…</translation>
    </message>
    <message>
        <location filename="../../widgets/replay/incident_list.py" line="92"/>
        <source>Replay an incident</source>
        <translation>Relire un incident</translation>
    </message>
    <message>
        <location filename="../../widgets/replay/incident_list.py" line="94"/>
        <source>Incident</source>
        <translation>Incident</translation>
    </message>
    <message>
        <location filename="../../widgets/replay/incident_list.py" line="94"/>
        <source>From</source>
        <translation>Du</translation>
    </message>
    <message>
        <location filename="../../widgets/replay/incident_list.py" line="94"/>
        <source>To</source>
        <translation>Au</translation>
    </message>
    <message>
        <location filename="../../widgets/replay/incident_list.py" line="94"/>
        <source>Cameras</source>
        <translation>Caméras</translation>
    </message>
    <message>
        <location filename="../../widgets/replay/incident_list.py" line="95"/>
        <source>Made by</source>
        <translation>Créé par</translation>
    </message>
    <message>
        <location filename="../../widgets/replay/incident_list.py" line="96"/>
        <source>&amp;Open</source>
        <translation>&amp;Ouvrir</translation>
    </message>
    <message>
        <location filename="../../widgets/replay/incident_list.py" line="97"/>
        <source>&amp;New incident…</source>
        <translation>&amp;Nouvel incident…</translation>
    </message>
    <message>
        <location filename="../../widgets/replay/incident_list.py" line="98"/>
        <source>&amp;Export…</source>
        <translation>&amp;Exporter…</translation>
    </message>
    <message>
        <location filename="../../widgets/replay/incident_list.py" line="99"/>
        <source>Export the selected incident as signed evidence, without replaying it</source>
        <translation>Exporter l’incident choisi en preuve signée, sans le relire</translation>
    </message>
    <message>
        <location filename="../../widgets/replay/incident_list.py" line="104"/>
        <source>The incidents cannot be read: %1</source>
        <translation>Les incidents ne peuvent pas être lus&#xa0;: %1</translation>
    </message>
    <message>
        <location filename="../../widgets/replay/incident_list.py" line="108"/>
        <source>No incident saved yet: make one with “New incident…”.</source>
        <translation>Aucun incident enregistré&#xa0;: créez-en un avec «&#xa0;Nouvel incident…&#xa0;».</translation>
    </message>
</context>
<context>
    <name>JournalBanner</name>
    <message>
        <location filename="../../widgets/journal_banner.py" line="63"/>
        <source>The journal cannot store what happens: {0} (since {1}). Alarms are still shown; {2} alarm report(s) and {3} operator action(s) or escalation(s) wait and will be stored as soon as it writes again. Alarm sources are not acknowledged meanwhile and will send again.</source>
        <translation>Le journal ne peut pas enregistrer ce qui se passe&#xa0;: {0} (depuis {1}). Les alarmes restent affichées&#xa0;; {2} signalement(s) d’alarme et {3} action(s) d’opérateur ou escalade(s) attendent et seront enregistrés dès qu’il pourra écrire. Les sources d’alarme ne reçoivent pas d’acquittement en attendant et renverront.</translation>
    </message>
    <message>
        <location filename="../../widgets/journal_banner.py" line="70"/>
        <source>Journal: cannot write</source>
        <translation>Journal&#xa0;: écriture impossible</translation>
    </message>
    <message>
        <location filename="../../widgets/journal_banner.py" line="75"/>
        <source>Journal: OK</source>
        <translation>Journal&#xa0;: OK</translation>
    </message>
    <message>
        <location filename="../../widgets/journal_banner.py" line="77"/>
        <source>Every alarm and action is stored</source>
        <translation>Chaque alarme et chaque action sont enregistrées</translation>
    </message>
    <message>
        <location filename="../../widgets/journal_banner.py" line="81"/>
        <source>At start the journal could not be used ({0}). It was kept aside, untouched, as {1}, and a new journal was opened: {2} alarm(s), {3} logged action(s) and {4} event(s) were recovered from the old one. Tell the installer.</source>
        <translation>Au démarrage, le journal était inutilisable ({0}). Il a été mis de côté, intact, sous le nom {1}, et un nouveau journal a été ouvert&#xa0;: {2} alarme(s), {3} action(s) enregistrée(s) et {4} événement(s) ont été récupérés de l’ancien. Prévenez l’intégrateur.</translation>
    </message>
    <message>
        <location filename="../../widgets/journal_banner.py" line="86"/>
        <source>Seen</source>
        <translation>Vu</translation>
    </message>
</context>
<context>
    <name>JournalPage</name>
    <message>
        <location filename="../../widgets/setup/pages.py" line="240"/>
        <source>The journal</source>
        <translation>Le journal</translation>
    </message>
    <message>
        <location filename="../../widgets/setup/pages.py" line="241"/>
        <source>Where alarms, events and the access log are kept.</source>
        <translation>Où sont conservés les alarmes, les événements et le journal des accès.</translation>
    </message>
    <message>
        <location filename="../../widgets/setup/pages.py" line="242"/>
        <source>On this workstation (one console: the default)</source>
        <translation>Sur ce poste (une seule console : par défaut)</translation>
    </message>
    <message>
        <location filename="../../widgets/setup/pages.py" line="245"/>
        <source>The room&apos;s PostgreSQL database (several workstations and the console service)</source>
        <translation>La base PostgreSQL de la salle (plusieurs postes et le service console)</translation>
    </message>
    <message>
        <location filename="../../widgets/setup/pages.py" line="260"/>
        <source>Database URL</source>
        <translation>URL de la base</translation>
    </message>
    <message>
        <location filename="../../widgets/setup/pages.py" line="261"/>
        <source>Password&apos;s keyring name</source>
        <translation>Nom du mot de passe dans le trousseau</translation>
    </message>
    <message>
        <location filename="../../widgets/setup/pages.py" line="262"/>
        <source>Password</source>
        <translation>Mot de passe</translation>
    </message>
    <message>
        <location filename="../../widgets/setup/pages.py" line="280"/>
        <source>give the room&apos;s database as postgresql://user@host/database</source>
        <translation>indiquez la base de la salle sous la forme postgresql://utilisateur@hôte/base</translation>
    </message>
    <message>
        <location filename="../../widgets/setup/pages.py" line="289"/>
        <source>give the password a keyring name</source>
        <translation>donnez un nom au mot de passe dans le trousseau</translation>
    </message>
</context>
<context>
    <name>Labels</name>
    <message>
        <location filename="../../app/ui/labels.py" line="76"/>
        <source>Weapon drawn</source>
        <translation>Arme sortie</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="78"/>
        <source>Body-cam emergency</source>
        <translation>Urgence caméra-piéton</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="80"/>
        <source>Gunshot</source>
        <translation>Détonation</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="82"/>
        <source>Intrusion</source>
        <translation>Intrusion</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="84"/>
        <source>Plate hit (LPR)</source>
        <translation>Plaque signalée (LAPI)</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="86"/>
        <source>Video analytics</source>
        <translation>Analyse vidéo</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="88"/>
        <source>Citizen report</source>
        <translation>Signalement citoyen</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="89"/>
        <source>Other</source>
        <translation>Autre</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="115"/>
        <location filename="../../app/ui/labels.py" line="126"/>
        <source>{0}: {1}</source>
        <translation>{0}&#xa0;: {1}</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="127"/>
        <source>{0} — {1}</source>
        <translation>{0} — {1}</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="133"/>
        <source>New</source>
        <translation>Nouvelle</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="135"/>
        <location filename="../../app/ui/labels.py" line="169"/>
        <source>Acknowledged</source>
        <translation>Prise en compte</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="137"/>
        <location filename="../../app/ui/labels.py" line="171"/>
        <source>Assigned</source>
        <translation>Affectée</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="138"/>
        <location filename="../../app/ui/labels.py" line="173"/>
        <source>Closed</source>
        <translation>Clôturée</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="144"/>
        <source>Handled</source>
        <translation>Traitée</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="146"/>
        <source>False alarm</source>
        <translation>Fausse alarme</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="147"/>
        <location filename="../../app/ui/labels.py" line="177"/>
        <source>Escalated</source>
        <translation>Transmise</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="153"/>
        <source>Available</source>
        <translation>Disponible</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="155"/>
        <source>Busy</source>
        <translation>Occupé</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="157"/>
        <source>On intervention</source>
        <translation>En intervention</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="159"/>
        <source>Emergency</source>
        <translation>Urgence</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="160"/>
        <source>Off duty</source>
        <translation>Hors service</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="167"/>
        <source>Raised</source>
        <translation>Levée</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="175"/>
        <source>Note</source>
        <translation>Note</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="179"/>
        <source>Repeated by the source</source>
        <translation>Répétée par la source</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="181"/>
        <source>Reported again by the source</source>
        <translation>Signalée à nouveau par la source</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="189"/>
        <source>starting</source>
        <translation>démarrage</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="191"/>
        <source>running</source>
        <translation>en marche</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="193"/>
        <source>retrying</source>
        <translation>nouvel essai</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="195"/>
        <source>failed</source>
        <translation>en échec</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="197"/>
        <source>credentials refused</source>
        <translation>identifiants refusés</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="199"/>
        <source>stopped</source>
        <translation>arrêté</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="201"/>
        <source>disabled</source>
        <translation>désactivé</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="212"/>
        <source>P{0}</source>
        <translation>P{0}</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="236"/>
        <source>{0} m</source>
        <translation>{0} m</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="238"/>
        <source>{0} km</source>
        <translation>{0} km</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="245"/>
        <source>another program holds the journal file</source>
        <translation>un autre programme bloque le fichier du journal</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="247"/>
        <source>the disk holding the journal is full</source>
        <translation>le disque du journal est plein</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="249"/>
        <source>the journal file cannot be written (read-only)</source>
        <translation>le fichier du journal ne peut pas être écrit (lecture seule)</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="252"/>
        <source>the disk holding the journal failed to write</source>
        <translation>le disque du journal a échoué à écrire</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="255"/>
        <source>the journal file is damaged</source>
        <translation>le fichier du journal est endommagé</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="262"/>
        <source>the database server {0} does not answer (connection refused)</source>
        <translation>le serveur de base de données {0} ne répond pas (connexion refusée)</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="265"/>
        <source>the database server {0} does not answer (timed out)</source>
        <translation>le serveur de base de données {0} ne répond pas (délai dépassé)</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="268"/>
        <source>the connection to the database server {0} was lost</source>
        <translation>la connexion au serveur de base de données {0} a été perdue</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="271"/>
        <source>the database server {0} refused this console&apos;s password</source>
        <translation>le serveur de base de données {0} a refusé le mot de passe de cette console</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="274"/>
        <source>the database server {0} has no disk space left</source>
        <translation>le serveur de base de données {0} n&apos;a plus d&apos;espace disque</translation>
    </message>
</context>
<context>
    <name>LockOverlay</name>
    <message>
        <location filename="../../widgets/lock_overlay.py" line="170"/>
        <source>Type your password to unlock.</source>
        <translation>Tapez votre mot de passe pour déverrouiller.</translation>
    </message>
    <message>
        <location filename="../../widgets/lock_overlay.py" line="178"/>
        <source>The password could not be checked.</source>
        <translation>Le mot de passe n’a pas pu être vérifié.</translation>
    </message>
    <message>
        <location filename="../../widgets/lock_overlay.py" line="192"/>
        <source>Wrong password.</source>
        <translation>Mot de passe incorrect.</translation>
    </message>
    <message>
        <location filename="../../widgets/lock_overlay.py" line="226"/>
        <location filename="../../widgets/lock_overlay.py" line="263"/>
        <source>Checking…</source>
        <translation>Vérification…</translation>
    </message>
    <message>
        <location filename="../../widgets/lock_overlay.py" line="226"/>
        <location filename="../../widgets/lock_overlay.py" line="263"/>
        <source>Unlock</source>
        <translation>Déverrouiller</translation>
    </message>
    <message>
        <location filename="../../widgets/lock_overlay.py" line="250"/>
        <source>Hidden while the session is locked.</source>
        <translation>Masqué pendant que la session est verrouillée.</translation>
    </message>
    <message>
        <location filename="../../widgets/lock_overlay.py" line="255"/>
        <source>Session locked</source>
        <translation>Session verrouillée</translation>
    </message>
    <message>
        <location filename="../../widgets/lock_overlay.py" line="256"/>
        <source>Signed in: %1</source>
        <translation>Session de %1</translation>
    </message>
    <message>
        <location filename="../../widgets/lock_overlay.py" line="259"/>
        <source>Video and the map are hidden after a time without activity. Alarms still arrive below.</source>
        <translation>La vidéo et la carte sont masquées après un temps sans activité. Les alarmes continuent d’arriver ci-dessous.</translation>
    </message>
    <message>
        <location filename="../../widgets/lock_overlay.py" line="261"/>
        <source>&amp;Password:</source>
        <translation>&amp;Mot de passe&#xa0;:</translation>
    </message>
    <message>
        <location filename="../../widgets/lock_overlay.py" line="262"/>
        <source>Password</source>
        <translation>Mot de passe</translation>
    </message>
    <message>
        <location filename="../../widgets/lock_overlay.py" line="264"/>
        <source>Switch user…</source>
        <translation>Changer d’utilisateur…</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../widgets/main_window.py" line="267"/>
        <source>CSU Console — {0}</source>
        <translation>Console CSU — {0}</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="271"/>
        <source>Map</source>
        <translation>Carte</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="272"/>
        <source>Alarms</source>
        <translation>Alarmes</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="273"/>
        <source>Connected systems</source>
        <translation>Systèmes connectés</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="274"/>
        <source>Cameras</source>
        <translation>Caméras</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="275"/>
        <source>&amp;View</source>
        <translation>&amp;Affichage</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="276"/>
        <source>Find a camera</source>
        <translation>Rechercher une caméra</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="277"/>
        <source>Full screen</source>
        <translation>Plein écran</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="278"/>
        <source>&amp;Language</source>
        <translation>&amp;Langue</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="279"/>
        <source>System language</source>
        <translation>Langue du système</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="282"/>
        <source>&amp;Help</source>
        <translation>&amp;Aide</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="283"/>
        <source>About and diagnostics…</source>
        <translation>À propos et diagnostics…</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="284"/>
        <source>Back to the previous wall</source>
        <translation>Revenir au mur précédent</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="365"/>
        <source>Signed in: %1</source>
        <translation>Connexion de %1</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="469"/>
        <source>Cameras of the alarm “%1”</source>
        <translation>Caméras de l&apos;alarme «&#xa0;%1&#xa0;»</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="487"/>
        <source>Body camera not opened</source>
        <translation>Caméra-piéton non ouverte</translation>
    </message>
</context>
<context>
    <name>MapController</name>
    <message>
        <location filename="../../widgets/map_controller.py" line="100"/>
        <source>{0} has no body camera</source>
        <translation>{0} n&apos;a pas de caméra-piéton</translation>
    </message>
    <message>
        <location filename="../../widgets/map_controller.py" line="113"/>
        <source>No camera sees this point</source>
        <translation>Aucune caméra ne voit ce point</translation>
    </message>
    <message>
        <location filename="../../widgets/map_controller.py" line="122"/>
        <location filename="../../widgets/map_controller.py" line="138"/>
        <source>Following {0}</source>
        <translation>Suivi de {0}</translation>
    </message>
    <message>
        <location filename="../../widgets/map_controller.py" line="163"/>
        <source>Suggested: {0} · {1}</source>
        <translation>Suggéré&#xa0;: {0} · {1}</translation>
    </message>
    <message>
        <location filename="../../widgets/map_controller.py" line="111"/>
        <location filename="../../widgets/map_controller.py" line="191"/>
        <source>Cameras near here</source>
        <translation>Caméras proches d&apos;ici</translation>
    </message>
    <message>
        <location filename="../../widgets/map_controller.py" line="194"/>
        <source>Follow {0}</source>
        <translation>Suivre {0}</translation>
    </message>
    <message>
        <location filename="../../widgets/map_controller.py" line="197"/>
        <source>Body camera of {0}</source>
        <translation>Caméra-piéton de {0}</translation>
    </message>
    <message>
        <location filename="../../widgets/map_controller.py" line="200"/>
        <source>Nearest officers</source>
        <translation>Agents les plus proches</translation>
    </message>
    <message>
        <location filename="../../widgets/map_controller.py" line="203"/>
        <source>Stop following</source>
        <translation>Arrêter le suivi</translation>
    </message>
</context>
<context>
    <name>MotiveDialog</name>
    <message>
        <location filename="../../widgets/replay/motive_dialog.py" line="60"/>
        <source>Open recorded video</source>
        <translation>Ouvrir des enregistrements</translation>
    </message>
    <message>
        <location filename="../../widgets/replay/motive_dialog.py" line="62"/>
        <source>Recordings of %1 from %2 to %3. Every consultation is logged with your name, the time and its purpose (CSI R241-14).</source>
        <translation>Enregistrements de %1 du %2 au %3. Chaque consultation est journalisée avec votre nom, l’heure et son motif (CSI R241-14).</translation>
    </message>
    <message>
        <location filename="../../widgets/replay/motive_dialog.py" line="47"/>
        <source>Choose the purpose…</source>
        <translation>Choisissez le motif…</translation>
    </message>
    <message>
        <location filename="../../widgets/replay/motive_dialog.py" line="48"/>
        <source>Judicial requisition</source>
        <translation>Réquisition judiciaire</translation>
    </message>
    <message>
        <location filename="../../widgets/replay/motive_dialog.py" line="50"/>
        <source>Request from a judicial police officer (OPJ)</source>
        <translation>Demande d’un officier de police judiciaire (OPJ)</translation>
    </message>
    <message>
        <location filename="../../widgets/replay/motive_dialog.py" line="69"/>
        <source>Incident review</source>
        <translation>Analyse d’incident</translation>
    </message>
    <message>
        <location filename="../../widgets/replay/motive_dialog.py" line="70"/>
        <source>Other (say which)</source>
        <translation>Autre (préciser)</translation>
    </message>
    <message>
        <location filename="../../widgets/replay/motive_dialog.py" line="73"/>
        <source>Requisition or case number (optional)</source>
        <translation>Numéro de réquisition ou de procédure (facultatif)</translation>
    </message>
    <message>
        <location filename="../../widgets/replay/motive_dialog.py" line="77"/>
        <source>Open the recordings</source>
        <translation>Ouvrir les enregistrements</translation>
    </message>
    <message>
        <location filename="../../widgets/replay/motive_dialog.py" line="83"/>
        <source>&amp;Purpose:</source>
        <translation>&amp;Motif&#xa0;:</translation>
    </message>
    <message>
        <location filename="../../widgets/replay/motive_dialog.py" line="84"/>
        <source>&amp;Details:</source>
        <translation>&amp;Précisions&#xa0;:</translation>
    </message>
    <message>
        <location filename="../../widgets/replay/motive_dialog.py" line="85"/>
        <source>&amp;Reference:</source>
        <translation>&amp;Référence&#xa0;:</translation>
    </message>
    <message>
        <location filename="../../widgets/replay/motive_dialog.py" line="98"/>
        <source>Details (required): what is looked for</source>
        <translation>Précisions (obligatoire)&#xa0;: ce qui est recherché</translation>
    </message>
    <message>
        <location filename="../../widgets/replay/motive_dialog.py" line="99"/>
        <source>Details (optional)</source>
        <translation>Précisions (facultatif)</translation>
    </message>
</context>
<context>
    <name>NoteDialog</name>
    <message>
        <location filename="../../widgets/alarms/dialogs.py" line="192"/>
        <source>Note on alarm {0}</source>
        <translation>Note sur l&apos;alarme {0}</translation>
    </message>
    <message>
        <location filename="../../widgets/alarms/dialogs.py" line="193"/>
        <source>What happened, who was called… (Ctrl+Enter to add)</source>
        <translation>Ce qui s&apos;est passé, qui a été appelé… (Ctrl+Entrée pour ajouter)</translation>
    </message>
    <message>
        <location filename="../../widgets/alarms/dialogs.py" line="194"/>
        <source>Add the note</source>
        <translation>Ajouter la note</translation>
    </message>
</context>
<context>
    <name>ProbePage</name>
    <message>
        <location filename="../../widgets/setup/pages.py" line="305"/>
        <source>Test the connections</source>
        <translation>Tester les connexions</translation>
    </message>
    <message>
        <location filename="../../widgets/setup/pages.py" line="306"/>
        <source>Each system is contacted once. A failed test does not stop you from saving: the console retries.</source>
        <translation>Chaque système est contacté une fois. Un test en échec n&apos;empêche pas d&apos;enregistrer : la console réessaiera.</translation>
    </message>
    <message>
        <location filename="../../widgets/setup/pages.py" line="310"/>
        <source>Connection</source>
        <translation>Connexion</translation>
    </message>
    <message>
        <location filename="../../widgets/setup/pages.py" line="310"/>
        <source>Result</source>
        <translation>Résultat</translation>
    </message>
    <message>
        <location filename="../../widgets/setup/pages.py" line="314"/>
        <source>Test again</source>
        <translation>Tester à nouveau</translation>
    </message>
    <message>
        <location filename="../../widgets/setup/pages.py" line="349"/>
        <source>testing…</source>
        <translation>test en cours…</translation>
    </message>
    <message>
        <location filename="../../widgets/setup/pages.py" line="360"/>
        <source>the test failed: {0}</source>
        <translation>le test a échoué : {0}</translation>
    </message>
    <message>
        <location filename="../../widgets/setup/pages.py" line="362"/>
        <source>nothing to test</source>
        <translation>rien à tester</translation>
    </message>
    <message>
        <location filename="../../widgets/setup/pages.py" line="377"/>
        <source>No connection to test.</source>
        <translation>Aucune connexion à tester.</translation>
    </message>
    <message>
        <location filename="../../widgets/setup/pages.py" line="379"/>
        <source>{0} test(s) running…</source>
        <translation>{0} test(s) en cours…</translation>
    </message>
    <message>
        <location filename="../../widgets/setup/pages.py" line="381"/>
        <source>{0} connection(s) answer, {1} failed.</source>
        <translation>{0} connexion(s) répondent, {1} en échec.</translation>
    </message>
</context>
<context>
    <name>Procedures</name>
    <message>
        <location filename="../../app/ui/procedures.py" line="19"/>
        <source>Check the video to confirm or dismiss</source>
        <translation>Lever le doute à la vidéo</translation>
    </message>
    <message>
        <location filename="../../app/ui/procedures.py" line="20"/>
        <source>Contact the officer by radio</source>
        <translation>Contacter l&apos;agent à la radio</translation>
    </message>
    <message>
        <location filename="../../app/ui/procedures.py" line="31"/>
        <source>Show the officer&apos;s body camera and the cameras nearby</source>
        <translation>Afficher la caméra-piéton de l&apos;agent et les caméras proches</translation>
    </message>
    <message>
        <location filename="../../app/ui/procedures.py" line="33"/>
        <source>Send the nearest patrol as back-up</source>
        <translation>Engager la patrouille la plus proche en renfort</translation>
    </message>
    <message>
        <location filename="../../app/ui/procedures.py" line="34"/>
        <source>Alert the Police nationale (17) if the threat is confirmed</source>
        <translation>Prévenir la police nationale (17) si la menace est confirmée</translation>
    </message>
    <message>
        <location filename="../../app/ui/procedures.py" line="38"/>
        <source>Show the officer&apos;s body camera</source>
        <translation>Afficher la caméra-piéton de l&apos;agent</translation>
    </message>
    <message>
        <location filename="../../app/ui/procedures.py" line="40"/>
        <source>Send the nearest patrol</source>
        <translation>Engager la patrouille la plus proche</translation>
    </message>
    <message>
        <location filename="../../app/ui/procedures.py" line="43"/>
        <source>Show the cameras near the sensor</source>
        <translation>Afficher les caméras proches du capteur</translation>
    </message>
    <message>
        <location filename="../../app/ui/procedures.py" line="44"/>
        <source>Confirm visually</source>
        <translation>Confirmer visuellement</translation>
    </message>
    <message>
        <location filename="../../app/ui/procedures.py" line="45"/>
        <source>Alert the Police nationale (17)</source>
        <translation>Prévenir la police nationale (17)</translation>
    </message>
    <message>
        <location filename="../../app/ui/procedures.py" line="46"/>
        <source>Keep patrols out of the danger zone</source>
        <translation>Orienter les patrouilles hors de la zone de danger</translation>
    </message>
    <message>
        <location filename="../../app/ui/procedures.py" line="50"/>
        <source>Call the building&apos;s on-call contact</source>
        <translation>Appeler l&apos;astreinte du bâtiment</translation>
    </message>
    <message>
        <location filename="../../app/ui/procedures.py" line="51"/>
        <source>Send a patrol if the intrusion is confirmed</source>
        <translation>Engager une patrouille si l&apos;intrusion est confirmée</translation>
    </message>
    <message>
        <location filename="../../app/ui/procedures.py" line="54"/>
        <source>Check the plate reading on the picture</source>
        <translation>Vérifier la lecture de plaque sur l&apos;image</translation>
    </message>
    <message>
        <location filename="../../app/ui/procedures.py" line="55"/>
        <source>Look the vehicle up in the stolen vehicles file</source>
        <translation>Consulter le fichier des véhicules volés</translation>
    </message>
    <message>
        <location filename="../../app/ui/procedures.py" line="56"/>
        <source>Follow the vehicle on the cameras</source>
        <translation>Suivre le véhicule sur les caméras</translation>
    </message>
    <message>
        <location filename="../../app/ui/procedures.py" line="57"/>
        <source>Inform the Police nationale</source>
        <translation>Informer la police nationale</translation>
    </message>
    <message>
        <location filename="../../app/ui/procedures.py" line="61"/>
        <source>Close as a false alarm or send a patrol</source>
        <translation>Clore en fausse alarme ou engager une patrouille</translation>
    </message>
    <message>
        <location filename="../../app/ui/procedures.py" line="64"/>
        <source>Call the person who reported it back</source>
        <translation>Rappeler le requérant</translation>
    </message>
    <message>
        <location filename="../../app/ui/procedures.py" line="65"/>
        <source>Send a patrol if needed</source>
        <translation>Orienter une patrouille si nécessaire</translation>
    </message>
</context>
<context>
    <name>PtzPad</name>
    <message>
        <location filename="../../widgets/video/tools.py" line="141"/>
        <source>Preset (Enter to go)</source>
        <translation>Préposition (Entrée pour y aller)</translation>
    </message>
</context>
<context>
    <name>QuitGuard</name>
    <message>
        <location filename="../../widgets/quit_guard.py" line="57"/>
        <source>&amp;Console</source>
        <translation>&amp;Console</translation>
    </message>
    <message>
        <location filename="../../widgets/quit_guard.py" line="58"/>
        <source>&amp;Quit</source>
        <translation>&amp;Quitter</translation>
    </message>
    <message>
        <location filename="../../widgets/quit_guard.py" line="64"/>
        <source>Open alarms: %1 (%2).</source>
        <translation>Alarmes ouvertes&#xa0;: %1 (%2).</translation>
    </message>
    <message>
        <location filename="../../widgets/quit_guard.py" line="67"/>
        <source>The alarm service and the other workstations keep these alarms. On this workstation the alarm sounds and the video wall stop.</source>
        <translation>Le service d’alarmes et les autres postes conservent ces alarmes. Sur ce poste, les sons d’alarme et le mur d’images s’arrêtent.</translation>
    </message>
    <message>
        <location filename="../../widgets/quit_guard.py" line="70"/>
        <source>This workstation receives the site&apos;s alarms itself: once it is closed, no new alarm is received or signalled until it is started again, and its alarm sounds and video wall stop. Open alarms stay in the journal and come back at the next start.</source>
        <translation>Ce poste reçoit lui-même les alarmes du site&#xa0;: une fois fermé, aucune nouvelle alarme n’est reçue ni signalée jusqu’à son redémarrage, et ses sons d’alarme et son mur d’images s’arrêtent. Les alarmes ouvertes restent dans le journal et reviennent au prochain démarrage.</translation>
    </message>
    <message>
        <location filename="../../widgets/quit_guard.py" line="84"/>
        <source>Quit CSU Console?</source>
        <translation>Quitter CSU Console&#xa0;?</translation>
    </message>
    <message>
        <location filename="../../widgets/quit_guard.py" line="88"/>
        <source>Quit</source>
        <translation>Quitter</translation>
    </message>
    <message>
        <location filename="../../widgets/quit_guard.py" line="89"/>
        <source>Keep working</source>
        <translation>Continuer à travailler</translation>
    </message>
</context>
<context>
    <name>Replay</name>
    <message>
        <location filename="../../app/ui/replay_lanes.py" line="48"/>
        <source>{0}: {1}</source>
        <translation>{0}&#xa0;: {1}</translation>
    </message>
</context>
<context>
    <name>ReplayEntry</name>
    <message>
        <location filename="../../widgets/replay/entry.py" line="93"/>
        <source>&amp;Replay…</source>
        <translation>&amp;Relecture…</translation>
    </message>
    <message>
        <location filename="../../widgets/replay/entry.py" line="94"/>
        <source>Replay this alarm…</source>
        <translation>Relire cette alarme…</translation>
    </message>
    <message>
        <location filename="../../widgets/replay/entry.py" line="131"/>
        <source>Looking up who was near the alarm…</source>
        <translation>Recherche des agents proches de l’alarme…</translation>
    </message>
    <message>
        <location filename="../../widgets/replay/entry.py" line="175"/>
        <source>Logging the consultation, then reading the recordings…</source>
        <translation>Inscription de la consultation au journal, puis lecture des enregistrements…</translation>
    </message>
    <message>
        <location filename="../../widgets/replay/entry.py" line="209"/>
        <source>Replay</source>
        <translation>Relecture</translation>
    </message>
    <message>
        <location filename="../../widgets/replay/entry.py" line="210"/>
        <source>The replay was not opened: %1</source>
        <translation>La relecture n’a pas été ouverte&#xa0;: %1</translation>
    </message>
</context>
<context>
    <name>ReplayTile</name>
    <message>
        <location filename="../../widgets/replay/tile.py" line="158"/>
        <source>Opening the recordings…</source>
        <translation>Ouverture des enregistrements…</translation>
    </message>
    <message>
        <location filename="../../widgets/replay/tile.py" line="160"/>
        <source>Nothing recorded for this camera in this range</source>
        <translation>Aucun enregistrement de cette caméra sur cette période</translation>
    </message>
    <message>
        <location filename="../../widgets/replay/tile.py" line="163"/>
        <source>Recording file missing</source>
        <translation>Fichier d’enregistrement introuvable</translation>
    </message>
    <message>
        <location filename="../../widgets/replay/tile.py" line="164"/>
        <source>This recording cannot be read</source>
        <translation>Cet enregistrement est illisible</translation>
    </message>
    <message>
        <location filename="../../widgets/replay/tile.py" line="169"/>
        <source>No recording: camera unreachable</source>
        <translation>Pas d’enregistrement&#xa0;: caméra injoignable</translation>
    </message>
    <message>
        <location filename="../../widgets/replay/tile.py" line="171"/>
        <source>No recording: recorder not running</source>
        <translation>Pas d’enregistrement&#xa0;: enregistreur arrêté</translation>
    </message>
    <message>
        <location filename="../../widgets/replay/tile.py" line="173"/>
        <source>No recording: recorder restarted</source>
        <translation>Pas d’enregistrement&#xa0;: enregistreur redémarré</translation>
    </message>
    <message>
        <location filename="../../widgets/replay/tile.py" line="175"/>
        <source>No recording: disk full</source>
        <translation>Pas d’enregistrement&#xa0;: disque plein</translation>
    </message>
    <message>
        <location filename="../../widgets/replay/tile.py" line="177"/>
        <source>No recording: recording stopped</source>
        <translation>Pas d’enregistrement&#xa0;: enregistrement arrêté</translation>
    </message>
    <message>
        <location filename="../../widgets/replay/tile.py" line="179"/>
        <source>No recording: deleted (retention)</source>
        <translation>Pas d’enregistrement&#xa0;: effacé (durée de conservation)</translation>
    </message>
    <message>
        <location filename="../../widgets/replay/tile.py" line="180"/>
        <source>No recording at this time</source>
        <translation>Pas d’enregistrement à cet instant</translation>
    </message>
</context>
<context>
    <name>ReplayWindow</name>
    <message>
        <location filename="../../widgets/replay/window.py" line="171"/>
        <source>Consultation logged in the access log: %1</source>
        <translation>Consultation inscrite au journal des accès&#xa0;: %1</translation>
    </message>
    <message>
        <location filename="../../widgets/replay/window.py" line="177"/>
        <source>Replay — %1</source>
        <translation>Relecture — %1</translation>
    </message>
    <message>
        <location filename="../../widgets/replay/window.py" line="305"/>
        <source>The bookmark was not saved: %1</source>
        <translation>Le signet n’a pas été enregistré&#xa0;: %1</translation>
    </message>
</context>
<context>
    <name>RoomBanner</name>
    <message>
        <location filename="../../widgets/room_banner.py" line="25"/>
        <source>The room&apos;s database cannot be reached since {0}: what you see is no longer updated, and alarms cannot be acknowledged, assigned, closed or noted until it is back. Reconnecting…</source>
        <translation>La base de données de la salle est injoignable depuis {0}&#xa0;: ce que vous voyez n&apos;est plus mis à jour, et les alarmes ne peuvent être ni acquittées, ni affectées, ni clôturées, ni annotées avant son retour. Reconnexion…</translation>
    </message>
    <message>
        <location filename="../../widgets/room_banner.py" line="35"/>
        <source>The console service (on {0}) has not answered since {1}: no new alarm reaches the room from the sources. Alarms already shown can still be handled.</source>
        <translation>Le service console (sur {0}) ne répond plus depuis {1}&#xa0;: aucune nouvelle alarme ne parvient plus à la salle depuis les sources. Les alarmes déjà affichées peuvent toujours être traitées.</translation>
    </message>
    <message>
        <location filename="../../widgets/room_banner.py" line="40"/>
        <source>The console service has not answered since {0}: no new alarm reaches the room from the sources. Alarms already shown can still be handled.</source>
        <translation>Le service console ne répond plus depuis {0}&#xa0;: aucune nouvelle alarme ne parvient plus à la salle depuis les sources. Les alarmes déjà affichées peuvent toujours être traitées.</translation>
    </message>
    <message>
        <location filename="../../widgets/room_banner.py" line="53"/>
        <source>{0} ({1})</source>
        <translation>{0} ({1})</translation>
    </message>
    <message>
        <location filename="../../widgets/room_banner.py" line="67"/>
        <source>The room&apos;s database cannot be reached since {0}: alarms cannot be acted on until it is back.</source>
        <translation>La base de données de la salle est injoignable depuis {0}&#xa0;: aucune action sur les alarmes n&apos;est possible avant son retour.</translation>
    </message>
    <message>
        <location filename="../../widgets/room_banner.py" line="99"/>
        <source>The room is reached again: its database and its console service answer; what you see is live.</source>
        <translation>La salle est de nouveau joignable&#xa0;: sa base de données et son service console répondent&#xa0;; ce que vous voyez est à jour.</translation>
    </message>
    <message>
        <location filename="../../widgets/room_banner.py" line="116"/>
        <source>Room: database lost</source>
        <translation>Salle&#xa0;: base de données perdue</translation>
    </message>
    <message>
        <location filename="../../widgets/room_banner.py" line="119"/>
        <source>Room: service lost</source>
        <translation>Salle&#xa0;: service perdu</translation>
    </message>
    <message>
        <location filename="../../widgets/room_banner.py" line="121"/>
        <source>Room: connected</source>
        <translation>Salle&#xa0;: connectée</translation>
    </message>
    <message>
        <location filename="../../widgets/room_banner.py" line="122"/>
        <source>The room&apos;s database and console service answer</source>
        <translation>La base de données et le service console de la salle répondent</translation>
    </message>
</context>
<context>
    <name>RoomView</name>
    <message>
        <location filename="../../widgets/room_view.py" line="27"/>
        <source>Not updated since {0}: the room&apos;s database cannot be reached. The alarms are shown as they were then, and can be acted on again once it is back.</source>
        <translation>Plus mis à jour depuis {0}&#xa0;: la base de données de la salle est injoignable. Les alarmes sont affichées telles qu&apos;elles étaient alors&#xa0;; vous pourrez de nouveau agir dessus dès son retour.</translation>
    </message>
    <message>
        <location filename="../../widgets/room_view.py" line="34"/>
        <source>Positions not updated since {0}: officers are shown where they were then.</source>
        <translation>Positions non mises à jour depuis {0}&#xa0;: les agents sont affichés là où ils étaient alors.</translation>
    </message>
    <message>
        <location filename="../../widgets/room_view.py" line="40"/>
        <source>Not updated since {0}: states as they were then.</source>
        <translation>Plus mis à jour depuis {0}&#xa0;: états tels qu&apos;ils étaient alors.</translation>
    </message>
</context>
<context>
    <name>SavePage</name>
    <message>
        <location filename="../../widgets/setup/pages.py" line="423"/>
        <location filename="../../widgets/setup/pages.py" line="457"/>
        <source>Save the site file</source>
        <translation>Enregistrer le fichier de site</translation>
    </message>
    <message>
        <location filename="../../widgets/setup/pages.py" line="424"/>
        <source>`csu-console check-config FILE` checks it again for a scripted roll-out.</source>
        <translation>`csu-console check-config FICHIER` le vérifie à nouveau lors d&apos;un déploiement scripté.</translation>
    </message>
    <message>
        <location filename="../../widgets/setup/pages.py" line="428"/>
        <source>Browse…</source>
        <translation>Parcourir…</translation>
    </message>
    <message>
        <location filename="../../widgets/setup/pages.py" line="441"/>
        <source>The site file (no password in it: they are in the keyring):</source>
        <translation>Le fichier de site (aucun mot de passe dedans : ils sont dans le trousseau) :</translation>
    </message>
    <message>
        <location filename="../../widgets/setup/pages.py" line="451"/>
        <source>this workstation&apos;s journal</source>
        <translation>le journal de ce poste</translation>
    </message>
    <message>
        <location filename="../../widgets/setup/pages.py" line="453"/>
        <source>Finish writes this file, then creates the administrator {0} in {1}.</source>
        <translation>« Terminer » écrit ce fichier, puis crée l&apos;administrateur {0} dans {1}.</translation>
    </message>
    <message>
        <location filename="../../widgets/setup/pages.py" line="458"/>
        <source>Site file (*.toml)</source>
        <translation>Fichier de site (*.toml)</translation>
    </message>
    <message>
        <location filename="../../widgets/setup/pages.py" line="465"/>
        <source>say where to save the site file</source>
        <translation>indiquez où enregistrer le fichier de site</translation>
    </message>
    <message>
        <location filename="../../widgets/setup/pages.py" line="468"/>
        <source>Replace the site file?</source>
        <translation>Remplacer le fichier de site ?</translation>
    </message>
    <message>
        <location filename="../../widgets/setup/pages.py" line="469"/>
        <source>{0} exists. Replace it?</source>
        <translation>{0} existe déjà. Le remplacer ?</translation>
    </message>
    <message>
        <location filename="../../widgets/setup/pages.py" line="478"/>
        <source>cannot write {0}: {1}</source>
        <translation>impossible d&apos;écrire {0} : {1}</translation>
    </message>
</context>
<context>
    <name>SeatTableModel</name>
    <message>
        <location filename="../../app/ui/seat_model.py" line="28"/>
        <source>Console service</source>
        <translation>Service console</translation>
    </message>
    <message>
        <location filename="../../app/ui/seat_model.py" line="30"/>
        <source>This seat</source>
        <translation>Ce poste</translation>
    </message>
    <message>
        <location filename="../../app/ui/seat_model.py" line="31"/>
        <source>Seat</source>
        <translation>Poste</translation>
    </message>
    <message>
        <location filename="../../app/ui/seat_model.py" line="67"/>
        <source>Role</source>
        <translation>Rôle</translation>
    </message>
    <message>
        <location filename="../../app/ui/seat_model.py" line="67"/>
        <source>Workstation</source>
        <translation>Machine</translation>
    </message>
    <message>
        <location filename="../../app/ui/seat_model.py" line="67"/>
        <source>User</source>
        <translation>Utilisateur</translation>
    </message>
    <message>
        <location filename="../../app/ui/seat_model.py" line="68"/>
        <source>Attached since</source>
        <translation>Connecté depuis</translation>
    </message>
    <message>
        <location filename="../../app/ui/seat_model.py" line="79"/>
        <source>Last heard from at {0}</source>
        <translation>Dernier signe de vie à {0}</translation>
    </message>
</context>
<context>
    <name>SetupAssistant</name>
    <message>
        <location filename="../../widgets/setup/assistant.py" line="35"/>
        <source>CSU Console — set up this site</source>
        <translation>CSU Console — configurer ce site</translation>
    </message>
</context>
<context>
    <name>SignInDialog</name>
    <message>
        <location filename="../../widgets/sign_in_dialog.py" line="117"/>
        <source>Type your login and your password.</source>
        <translation>Tapez votre identifiant et votre mot de passe.</translation>
    </message>
    <message>
        <location filename="../../widgets/sign_in_dialog.py" line="125"/>
        <source>The sign-in could not be checked.</source>
        <translation>La connexion n’a pas pu être vérifiée.</translation>
    </message>
    <message>
        <location filename="../../widgets/sign_in_dialog.py" line="136"/>
        <source>Wrong login or password.</source>
        <translation>Identifiant ou mot de passe incorrect.</translation>
    </message>
    <message>
        <location filename="../../widgets/sign_in_dialog.py" line="152"/>
        <location filename="../../widgets/sign_in_dialog.py" line="165"/>
        <source>Signing in…</source>
        <translation>Connexion…</translation>
    </message>
    <message>
        <location filename="../../widgets/sign_in_dialog.py" line="152"/>
        <location filename="../../widgets/sign_in_dialog.py" line="165"/>
        <source>Sign in</source>
        <translation>Se connecter</translation>
    </message>
    <message>
        <location filename="../../widgets/sign_in_dialog.py" line="159"/>
        <source>Sign in — %1</source>
        <translation>Connexion — %1</translation>
    </message>
    <message>
        <location filename="../../widgets/sign_in_dialog.py" line="161"/>
        <source>&amp;Login:</source>
        <translation>&amp;Identifiant&#xa0;:</translation>
    </message>
    <message>
        <location filename="../../widgets/sign_in_dialog.py" line="162"/>
        <source>&amp;Password:</source>
        <translation>&amp;Mot de passe&#xa0;:</translation>
    </message>
    <message>
        <location filename="../../widgets/sign_in_dialog.py" line="163"/>
        <source>Login</source>
        <translation>Identifiant</translation>
    </message>
    <message>
        <location filename="../../widgets/sign_in_dialog.py" line="164"/>
        <source>Password</source>
        <translation>Mot de passe</translation>
    </message>
</context>
<context>
    <name>SitePage</name>
    <message>
        <location filename="../../widgets/setup/pages.py" line="72"/>
        <source>The site</source>
        <translation>Le site</translation>
    </message>
    <message>
        <location filename="../../widgets/setup/pages.py" line="73"/>
        <source>Its name, the communes it watches and where the map opens.</source>
        <translation>Son nom, les communes surveillées et l&apos;endroit où s&apos;ouvre la carte.</translation>
    </message>
    <message>
        <location filename="../../widgets/setup/pages.py" line="78"/>
        <source>e.g. Ville de Saint-Exemple — CSU</source>
        <translation>ex. Ville de Saint-Exemple — CSU</translation>
    </message>
    <message>
        <location filename="../../widgets/setup/pages.py" line="81"/>
        <source>one town: leave empty; several: Commune A, Commune B</source>
        <translation>une seule ville : laisser vide ; plusieurs : Commune A, Commune B</translation>
    </message>
    <message>
        <location filename="../../widgets/setup/pages.py" line="101"/>
        <source>Name</source>
        <translation>Nom</translation>
    </message>
    <message>
        <location filename="../../widgets/setup/pages.py" line="102"/>
        <source>Communes</source>
        <translation>Communes</translation>
    </message>
    <message>
        <location filename="../../widgets/setup/pages.py" line="103"/>
        <source>Map centre: latitude</source>
        <translation>Centre de la carte : latitude</translation>
    </message>
    <message>
        <location filename="../../widgets/setup/pages.py" line="104"/>
        <source>Map centre: longitude</source>
        <translation>Centre de la carte : longitude</translation>
    </message>
    <message>
        <location filename="../../widgets/setup/pages.py" line="105"/>
        <source>Map zoom</source>
        <translation>Zoom de la carte</translation>
    </message>
    <message>
        <location filename="../../widgets/setup/pages.py" line="106"/>
        <source>Tile server (optional)</source>
        <translation>Serveur de tuiles (facultatif)</translation>
    </message>
</context>
<context>
    <name>TileTools</name>
    <message>
        <location filename="../../widgets/video/tools.py" line="234"/>
        <source>Zoom waits for the picture</source>
        <translation>Le zoom attend l&apos;image</translation>
    </message>
    <message>
        <location filename="../../widgets/video/tools.py" line="267"/>
        <source>PTZ on %1: %2</source>
        <translation>PTZ sur %1&#xa0;: %2</translation>
    </message>
    <message>
        <location filename="../../widgets/video/tools.py" line="274"/>
        <source>This camera cannot be moved from the console</source>
        <translation>Cette caméra ne peut pas être pilotée depuis la console</translation>
    </message>
    <message>
        <location filename="../../widgets/video/tools.py" line="282"/>
        <source>PTZ — %1</source>
        <translation>PTZ — %1</translation>
    </message>
    <message>
        <location filename="../../widgets/video/tools.py" line="298"/>
        <source>Operator: %1</source>
        <translation>Opérateur&#xa0;: %1</translation>
    </message>
    <message>
        <location filename="../../widgets/video/tools.py" line="309"/>
        <source>no picture to take (the tile is not playing)</source>
        <translation>aucune image à prendre (la case ne joue pas)</translation>
    </message>
    <message>
        <location filename="../../widgets/video/tools.py" line="312"/>
        <source>Snapshot of %1 failed: %2</source>
        <translation>La capture de %1 a échoué&#xa0;: %2</translation>
    </message>
    <message>
        <location filename="../../widgets/video/tools.py" line="315"/>
        <source>Snapshot saved: %1</source>
        <translation>Capture enregistrée&#xa0;: %1</translation>
    </message>
    <message>
        <location filename="../../widgets/video/tools.py" line="333"/>
        <source>Zoom in</source>
        <translation>Zoom avant</translation>
    </message>
    <message>
        <location filename="../../widgets/video/tools.py" line="334"/>
        <source>Zoom out</source>
        <translation>Zoom arrière</translation>
    </message>
    <message>
        <location filename="../../widgets/video/tools.py" line="335"/>
        <source>Reset zoom</source>
        <translation>Réinitialiser le zoom</translation>
    </message>
    <message>
        <location filename="../../widgets/video/tools.py" line="337"/>
        <source>PTZ controls…</source>
        <translation>Commandes PTZ…</translation>
    </message>
    <message>
        <location filename="../../widgets/video/tools.py" line="339"/>
        <source>Snapshot</source>
        <translation>Capture</translation>
    </message>
    <message>
        <location filename="../../widgets/video/tools.py" line="340"/>
        <source>Show on map</source>
        <translation>Montrer sur la carte</translation>
    </message>
    <message>
        <location filename="../../widgets/video/tools.py" line="342"/>
        <source>Clear tile</source>
        <translation>Vider la case</translation>
    </message>
</context>
<context>
    <name>Timeline</name>
    <message>
        <location filename="../../widgets/replay/timeline_words.py" line="18"/>
        <source>the camera could not be reached</source>
        <translation>la caméra était injoignable</translation>
    </message>
    <message>
        <location filename="../../widgets/replay/timeline_words.py" line="21"/>
        <source>the recorder was not running</source>
        <translation>l’enregistreur ne fonctionnait pas</translation>
    </message>
    <message>
        <location filename="../../widgets/replay/timeline_words.py" line="24"/>
        <source>the recording stalled and was restarted</source>
        <translation>l’enregistrement s’est figé et a été relancé</translation>
    </message>
    <message>
        <location filename="../../widgets/replay/timeline_words.py" line="27"/>
        <source>the storage disk was full</source>
        <translation>le disque de stockage était plein</translation>
    </message>
    <message>
        <location filename="../../widgets/replay/timeline_words.py" line="30"/>
        <source>recording was stopped on purpose</source>
        <translation>l’enregistrement a été arrêté volontairement</translation>
    </message>
    <message>
        <location filename="../../widgets/replay/timeline_words.py" line="33"/>
        <source>recorded, then deleted (retention period or disk budget)</source>
        <translation>enregistré, puis supprimé (durée de conservation ou place disque)</translation>
    </message>
    <message>
        <location filename="../../widgets/replay/timeline_words.py" line="36"/>
        <source>the video management system recorded nothing here</source>
        <translation>le système de gestion vidéo n’a rien enregistré ici</translation>
    </message>
    <message>
        <location filename="../../widgets/replay/timeline_words.py" line="45"/>
        <source>{0}: no recording since {1}: {2}</source>
        <translation>{0}&#xa0;: pas d’enregistrement depuis {1}&#xa0;: {2}</translation>
    </message>
    <message>
        <location filename="../../widgets/replay/timeline_words.py" line="48"/>
        <source>{0}: no recording from {1} to {2}: {3}</source>
        <translation>{0}&#xa0;: pas d’enregistrement de {1} à {2}&#xa0;: {3}</translation>
    </message>
    <message>
        <location filename="../../widgets/replay/timeline_words.py" line="57"/>
        <source>Alarm {0} at {1}: {2}</source>
        <translation>Alarme {0} à {1}&#xa0;: {2}</translation>
    </message>
    <message>
        <location filename="../../widgets/replay/timeline_words.py" line="60"/>
        <source>Operator action at {0}: {1}</source>
        <translation>Action d’opérateur à {0}&#xa0;: {1}</translation>
    </message>
    <message>
        <location filename="../../widgets/replay/timeline_words.py" line="63"/>
        <source>Bookmark at {0}: {1}</source>
        <translation>Signet à {0}&#xa0;: {1}</translation>
    </message>
</context>
<context>
    <name>TimelineView</name>
    <message>
        <location filename="../../widgets/replay/timeline.py" line="286"/>
        <source>Fit the incident</source>
        <translation>Ajuster à l’incident</translation>
    </message>
    <message>
        <location filename="../../widgets/replay/timeline.py" line="291"/>
        <source>Zoom in (%1)</source>
        <translation>Zoom avant (%1)</translation>
    </message>
    <message>
        <location filename="../../widgets/replay/timeline.py" line="294"/>
        <source>Zoom out (%1)</source>
        <translation>Zoom arrière (%1)</translation>
    </message>
</context>
<context>
    <name>Tour</name>
    <message>
        <location filename="../../widgets/video/tours.py" line="71"/>
        <source>Tour %1/%2, paused</source>
        <translation>Séquence %1/%2, en pause</translation>
    </message>
    <message>
        <location filename="../../widgets/video/tours.py" line="72"/>
        <source>Tour %1/%2</source>
        <translation>Séquence %1/%2</translation>
    </message>
</context>
<context>
    <name>TransportBar</name>
    <message>
        <location filename="../../widgets/replay/transport_bar.py" line="58"/>
        <source>One frame back (%1)</source>
        <translation>Une image en arrière (%1)</translation>
    </message>
    <message>
        <location filename="../../widgets/replay/transport_bar.py" line="60"/>
        <location filename="../../widgets/replay/transport_bar.py" line="122"/>
        <source>Play (%1)</source>
        <translation>Lecture (%1)</translation>
    </message>
    <message>
        <location filename="../../widgets/replay/transport_bar.py" line="63"/>
        <source>One frame forward (%1)</source>
        <translation>Une image en avant (%1)</translation>
    </message>
    <message>
        <location filename="../../widgets/replay/transport_bar.py" line="66"/>
        <source>Speed: negative plays backwards (J slower or backwards, K pause, L faster)</source>
        <translation>Vitesse&#xa0;: négative, la lecture va en arrière (J plus lent ou en arrière, K pause, L plus rapide)</translation>
    </message>
    <message>
        <location filename="../../widgets/replay/transport_bar.py" line="76"/>
        <source>The instant shown, in local time</source>
        <translation>L’instant affiché, en heure locale</translation>
    </message>
    <message>
        <location filename="../../widgets/replay/transport_bar.py" line="80"/>
        <source>Bookmark here</source>
        <translation>Signet ici</translation>
    </message>
    <message>
        <location filename="../../widgets/replay/transport_bar.py" line="81"/>
        <source>Note this instant, with a few words</source>
        <translation>Noter cet instant, en quelques mots</translation>
    </message>
    <message>
        <location filename="../../widgets/replay/transport_bar.py" line="84"/>
        <source>Export…</source>
        <translation>Exporter…</translation>
    </message>
    <message>
        <location filename="../../widgets/replay/transport_bar.py" line="85"/>
        <source>Export this incident as signed evidence (Ctrl+E)</source>
        <translation>Exporter cet incident en preuve signée (Ctrl+E)</translation>
    </message>
    <message>
        <location filename="../../widgets/replay/transport_bar.py" line="122"/>
        <source>Pause (%1)</source>
        <translation>Pause (%1)</translation>
    </message>
</context>
<context>
    <name>Units</name>
    <message>
        <location filename="../../app/ui/labels.py" line="93"/>
        <source>Foot patrol</source>
        <translation>Patrouille pédestre</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="94"/>
        <source>Car patrol</source>
        <translation>Patrouille VL</translation>
    </message>
</context>
<context>
    <name>VideoTile</name>
    <message>
        <location filename="../../widgets/video/tile.py" line="99"/>
        <source>Connecting…</source>
        <translation>Connexion…</translation>
    </message>
    <message>
        <location filename="../../widgets/video/tile.py" line="101"/>
        <source>Playing</source>
        <translation>Lecture</translation>
    </message>
    <message>
        <location filename="../../widgets/video/tile.py" line="103"/>
        <location filename="../../widgets/video/tile.py" line="608"/>
        <source>No signal</source>
        <translation>Signal perdu</translation>
    </message>
    <message>
        <location filename="../../widgets/video/tile.py" line="105"/>
        <source>Error</source>
        <translation>Erreur</translation>
    </message>
    <message>
        <location filename="../../widgets/video/tile.py" line="107"/>
        <location filename="../../widgets/video/tile.py" line="357"/>
        <source>Stopped</source>
        <translation>Arrêtée</translation>
    </message>
    <message>
        <location filename="../../widgets/video/tile.py" line="108"/>
        <source>Empty</source>
        <translation>Vide</translation>
    </message>
    <message>
        <location filename="../../widgets/video/tile.py" line="347"/>
        <location filename="../../widgets/video/tile.py" line="734"/>
        <source>Paused while hidden</source>
        <translation>En pause tant qu&apos;elle est masquée</translation>
    </message>
    <message>
        <location filename="../../widgets/video/tile.py" line="431"/>
        <source>No password for this camera: %1</source>
        <translation>Pas de mot de passe pour cette caméra&#xa0;: %1</translation>
    </message>
    <message>
        <location filename="../../widgets/video/tile.py" line="459"/>
        <source>No video engine: %1</source>
        <translation>Aucun moteur vidéo&#xa0;: %1</translation>
    </message>
    <message>
        <location filename="../../widgets/video/tile.py" line="466"/>
        <source>Video needs a window system that can embed it (X11, Windows, macOS); this one is &apos;%1&apos;.</source>
        <translation>La vidéo a besoin d&apos;un système de fenêtres qui sait l&apos;intégrer (X11, Windows, macOS)&#xa0;; celui-ci est «&#xa0;%1&#xa0;».</translation>
    </message>
    <message>
        <location filename="../../widgets/video/tile.py" line="500"/>
        <source>Cannot open the stream — retrying…
%1</source>
        <translation>Impossible d&apos;ouvrir le flux — nouvel essai…
%1</translation>
    </message>
    <message>
        <location filename="../../widgets/video/tile.py" line="535"/>
        <source>Cannot open the stream — retrying in %1 s
%2</source>
        <translation>Impossible d&apos;ouvrir le flux — nouvel essai dans %1 s
%2</translation>
    </message>
    <message>
        <location filename="../../widgets/video/tile.py" line="547"/>
        <source>No signal for %1 s — reconnecting…</source>
        <translation>Signal perdu depuis %1 s — reconnexion…</translation>
    </message>
    <message>
        <location filename="../../widgets/video/tile.py" line="550"/>
        <source>No signal for %1 s — reconnecting in %2 s</source>
        <translation>Signal perdu depuis %1 s — reconnexion dans %2 s</translation>
    </message>
    <message>
        <location filename="../../widgets/video/tile.py" line="558"/>
        <source>The camera refused the user name or password.</source>
        <translation>La caméra a refusé l&apos;identifiant ou le mot de passe.</translation>
    </message>
    <message>
        <location filename="../../widgets/video/tile.py" line="560"/>
        <source>The camera asks for a user name and password, and none is configured for it.</source>
        <translation>La caméra demande un identifiant et un mot de passe, et aucun n’est configuré pour elle.</translation>
    </message>
    <message>
        <location filename="../../widgets/video/tile.py" line="563"/>
        <source>The camera has no stream at this address (wrong URL?).</source>
        <translation>La caméra n&apos;a pas de flux à cette adresse (URL erronée&#xa0;?).</translation>
    </message>
    <message>
        <location filename="../../widgets/video/tile.py" line="565"/>
        <source>Connection refused: nothing answers on this port.</source>
        <translation>Connexion refusée&#xa0;: rien ne répond sur ce port.</translation>
    </message>
    <message>
        <location filename="../../widgets/video/tile.py" line="567"/>
        <source>The camera cannot be reached on the network.</source>
        <translation>La caméra est injoignable sur le réseau.</translation>
    </message>
    <message>
        <location filename="../../widgets/video/tile.py" line="609"/>
        <source>The stream does not open.</source>
        <translation>Le flux ne s’ouvre pas.</translation>
    </message>
    <message>
        <location filename="../../widgets/video/tile.py" line="625"/>
        <source>No camera</source>
        <translation>Aucune caméra</translation>
    </message>
    <message>
        <location filename="../../widgets/video/tile.py" line="631"/>
        <source>LIVE</source>
        <translation>EN DIRECT</translation>
    </message>
    <message>
        <location filename="../../widgets/video/tile.py" line="659"/>
        <source>Recorded by this console</source>
        <translation>Enregistrée par cette console</translation>
    </message>
    <message>
        <location filename="../../widgets/video/tile.py" line="661"/>
        <location filename="../../widgets/video/tile.py" line="665"/>
        <source>Not recording: %1</source>
        <translation>Pas d’enregistrement&#xa0;: %1</translation>
    </message>
    <message>
        <location filename="../../widgets/video/tile.py" line="662"/>
        <source>Not recording: the storage is full (%1)</source>
        <translation>Pas d’enregistrement&#xa0;: le stockage est plein (%1)</translation>
    </message>
    <message>
        <location filename="../../widgets/video/tile.py" line="663"/>
        <source>Recording error: %1</source>
        <translation>Erreur d’enregistrement&#xa0;: %1</translation>
    </message>
    <message>
        <location filename="../../widgets/video/tile.py" line="680"/>
        <source>%1 fps</source>
        <translation>%1 i/s</translation>
    </message>
    <message>
        <location filename="../../widgets/video/tile.py" line="636"/>
        <source>Empty tile</source>
        <translation>Case vide</translation>
    </message>
    <message>
        <location filename="../../widgets/video/tile.py" line="637"/>
        <source>State: %1</source>
        <translation>État&#xa0;: %1</translation>
    </message>
    <message>
        <location filename="../../widgets/video/tile.py" line="643"/>
        <source>Engine: %1</source>
        <translation>Moteur&#xa0;: %1</translation>
    </message>
    <message>
        <location filename="../../widgets/video/tile.py" line="644"/>
        <source>none</source>
        <translation>aucun</translation>
    </message>
    <message>
        <location filename="../../widgets/video/tile.py" line="646"/>
        <source>Why this engine: %1</source>
        <translation>Pourquoi ce moteur&#xa0;: %1</translation>
    </message>
    <message>
        <location filename="../../widgets/video/tile.py" line="647"/>
        <source>Reconnects: %1</source>
        <translation>Reconnexions&#xa0;: %1</translation>
    </message>
    <message>
        <location filename="../../widgets/video/tile.py" line="648"/>
        <source>Stream (%1): %2</source>
        <translation>Flux (%1)&#xa0;: %2</translation>
    </message>
</context>
<context>
    <name>VideoWall</name>
    <message>
        <location filename="../../widgets/video/engine.py" line="340"/>
        <source>Video is unavailable on this workstation: %1</source>
        <translation>La vidéo n&apos;est pas disponible sur ce poste&#xa0;: %1</translation>
    </message>
    <message>
        <location filename="../../widgets/video/engine.py" line="342"/>
        <source>libvlc is missing (%1): every camera plays through FFmpeg (OpenCV).</source>
        <translation>libvlc est absent (%1)&#xa0;: toutes les caméras passent par FFmpeg (OpenCV).</translation>
    </message>
    <message>
        <location filename="../../widgets/video/engine.py" line="347"/>
        <source>This libvlc cannot open rtsp:// (built without live555) and there is no fallback: %1</source>
        <translation>Ce libvlc ne peut pas ouvrir rtsp:// (compilé sans live555) et il n&apos;y a pas de repli&#xa0;: %1</translation>
    </message>
    <message>
        <location filename="../../widgets/video/engine.py" line="350"/>
        <source>This libvlc (%1) cannot open rtsp:// (built without live555): RTSP cameras play through FFmpeg (OpenCV).</source>
        <translation>Ce libvlc (%1) ne peut pas ouvrir rtsp:// (compilé sans live555)&#xa0;: les caméras RTSP passent par FFmpeg (OpenCV).</translation>
    </message>
</context>
<context>
    <name>WallDesk</name>
    <message>
        <location filename="../../widgets/wall_desk.py" line="122"/>
        <source>%1 is already on tile %2</source>
        <translation>%1 est déjà sur la case %2</translation>
    </message>
    <message>
        <location filename="../../widgets/wall_desk.py" line="157"/>
        <source>Previous wall</source>
        <translation>Mur précédent</translation>
    </message>
    <message>
        <location filename="../../widgets/wall_desk.py" line="166"/>
        <source>%1 — previous wall: %2</source>
        <translation>%1 — mur précédent&#xa0;: %2</translation>
    </message>
    <message>
        <location filename="../../widgets/wall_desk.py" line="195"/>
        <location filename="../../widgets/wall_desk.py" line="259"/>
        <source>was %1</source>
        <translation>était %1</translation>
    </message>
    <message>
        <location filename="../../widgets/wall_desk.py" line="207"/>
        <source>No previous wall to go back to</source>
        <translation>Aucun mur précédent où revenir</translation>
    </message>
    <message>
        <location filename="../../widgets/wall_desk.py" line="211"/>
        <source>Previous wall back</source>
        <translation>Mur précédent rétabli</translation>
    </message>
    <message>
        <location filename="../../widgets/wall_desk.py" line="246"/>
        <source>Layout %1: %2 camera(s) unknown here</source>
        <translation>Disposition %1&#xa0;: %2 caméra(s) inconnue(s) ici</translation>
    </message>
    <message>
        <location filename="../../widgets/wall_desk.py" line="250"/>
        <source>Layout %1</source>
        <translation>Disposition %1</translation>
    </message>
    <message>
        <location filename="../../widgets/wall_desk.py" line="261"/>
        <source>tile %1 was “%2”, %3 is now “%4”</source>
        <translation>la case %1 était «&#xa0;%2&#xa0;», %3 est maintenant «&#xa0;%4&#xa0;»</translation>
    </message>
    <message>
        <location filename="../../widgets/wall_desk.py" line="264"/>
        <source>%1: %2 camera(s) not shown, their names changed since it was saved (%3)</source>
        <translation>%1&#xa0;: %2 caméra(s) non affichée(s), leur nom a changé depuis l&apos;enregistrement (%3)</translation>
    </message>
    <message>
        <location filename="../../widgets/wall_desk.py" line="268"/>
        <source>It was saved on site “%1”.</source>
        <translation>Elle avait été enregistrée sur le site «&#xa0;%1&#xa0;».</translation>
    </message>
    <message>
        <location filename="../../widgets/wall_desk.py" line="293"/>
        <source>No camera to tour (body cameras are never toured)</source>
        <translation>Aucune caméra pour une séquence (les caméras-piétons n&apos;y entrent jamais)</translation>
    </message>
    <message>
        <location filename="../../widgets/wall_desk.py" line="295"/>
        <source>Tour on tile %1: %2 cameras, %3 s each</source>
        <translation>Séquence sur la case %1&#xa0;: %2 caméras, %3 s chacune</translation>
    </message>
    <message>
        <location filename="../../widgets/wall_desk.py" line="304"/>
        <source>No tour on this tile</source>
        <translation>Pas de séquence sur cette case</translation>
    </message>
    <message>
        <location filename="../../widgets/wall_desk.py" line="306"/>
        <source>Tour paused</source>
        <translation>Séquence en pause</translation>
    </message>
    <message>
        <location filename="../../widgets/wall_desk.py" line="306"/>
        <source>Tour resumed</source>
        <translation>Séquence reprise</translation>
    </message>
    <message>
        <location filename="../../widgets/wall_desk.py" line="345"/>
        <source>%1 was on the wall: body cameras are not reopened without a reason</source>
        <translation>%1 était sur le mur&#xa0;: une caméra-piéton n&apos;est pas rouverte sans motif</translation>
    </message>
    <message>
        <location filename="../../widgets/wall_desk.py" line="353"/>
        <source>The wall of the last session</source>
        <translation>Le mur de la dernière session</translation>
    </message>
</context>
<context>
    <name>WallMenu</name>
    <message>
        <location filename="../../widgets/wall_menu.py" line="92"/>
        <source>&amp;Wall</source>
        <translation>&amp;Mur</translation>
    </message>
    <message>
        <location filename="../../widgets/wall_menu.py" line="93"/>
        <source>Single camera</source>
        <translation>Une seule caméra</translation>
    </message>
    <message>
        <location filename="../../widgets/wall_menu.py" line="93"/>
        <source>1 large + 5</source>
        <translation>1 grande + 5</translation>
    </message>
    <message>
        <location filename="../../widgets/wall_menu.py" line="94"/>
        <source>1 large + 7</source>
        <translation>1 grande + 7</translation>
    </message>
    <message>
        <location filename="../../widgets/wall_menu.py" line="94"/>
        <source>1 large + 12</source>
        <translation>1 grande + 12</translation>
    </message>
    <message>
        <location filename="../../widgets/wall_menu.py" line="96"/>
        <source>Grid %1</source>
        <translation>Grille %1</translation>
    </message>
    <message>
        <location filename="../../widgets/wall_menu.py" line="98"/>
        <source>Saved layouts</source>
        <translation>Dispositions enregistrées</translation>
    </message>
    <message>
        <location filename="../../widgets/wall_menu.py" line="99"/>
        <source>Save layout as…</source>
        <translation>Enregistrer la disposition sous…</translation>
    </message>
    <message>
        <location filename="../../widgets/wall_menu.py" line="100"/>
        <source>Delete a saved layout</source>
        <translation>Supprimer une disposition</translation>
    </message>
    <message>
        <location filename="../../widgets/wall_menu.py" line="101"/>
        <source>Copy layout for the site file</source>
        <translation>Copier la disposition pour le fichier de site</translation>
    </message>
    <message>
        <location filename="../../widgets/wall_menu.py" line="102"/>
        <source>Maximise / restore tile</source>
        <translation>Agrandir / restaurer la case</translation>
    </message>
    <message>
        <location filename="../../widgets/wall_menu.py" line="103"/>
        <source>Start a tour on this tile (selected cameras)</source>
        <translation>Lancer une séquence sur cette case (caméras sélectionnées)</translation>
    </message>
    <message>
        <location filename="../../widgets/wall_menu.py" line="104"/>
        <source>Pause / resume the tour</source>
        <translation>Mettre en pause / reprendre la séquence</translation>
    </message>
    <message>
        <location filename="../../widgets/wall_menu.py" line="105"/>
        <source>Stop the tour</source>
        <translation>Arrêter la séquence</translation>
    </message>
    <message>
        <location filename="../../widgets/wall_menu.py" line="106"/>
        <source>Tour dwell time…</source>
        <translation>Durée par caméra…</translation>
    </message>
    <message>
        <location filename="../../widgets/wall_menu.py" line="107"/>
        <source>Snapshot of the tile</source>
        <translation>Capture de la case</translation>
    </message>
    <message>
        <location filename="../../widgets/wall_menu.py" line="108"/>
        <source>Show the tile&apos;s camera on the map</source>
        <translation>Montrer la caméra de la case sur la carte</translation>
    </message>
    <message>
        <location filename="../../widgets/wall_menu.py" line="109"/>
        <source>PTZ controls…</source>
        <translation>Commandes PTZ…</translation>
    </message>
    <message>
        <location filename="../../widgets/wall_menu.py" line="110"/>
        <source>Second wall (other monitor)</source>
        <translation>Second mur (autre écran)</translation>
    </message>
    <message>
        <location filename="../../widgets/wall_menu.py" line="133"/>
        <source>Site layouts</source>
        <translation>Dispositions du site</translation>
    </message>
    <message>
        <location filename="../../widgets/wall_menu.py" line="138"/>
        <source>(none yet: Ctrl+S saves this wall)</source>
        <translation>(aucune pour l&apos;instant&#xa0;: Ctrl+S enregistre ce mur)</translation>
    </message>
    <message>
        <location filename="../../widgets/wall_menu.py" line="148"/>
        <source>Save layout</source>
        <translation>Enregistrer la disposition</translation>
    </message>
    <message>
        <location filename="../../widgets/wall_menu.py" line="149"/>
        <source>Name of this layout:</source>
        <translation>Nom de cette disposition&#xa0;:</translation>
    </message>
    <message>
        <location filename="../../widgets/wall_menu.py" line="156"/>
        <source>Shared layout</source>
        <translation>Disposition partagée</translation>
    </message>
    <message>
        <location filename="../../widgets/wall_menu.py" line="158"/>
        <source>Layout copied: paste it into the site file to share it</source>
        <translation>Disposition copiée&#xa0;: collez-la dans le fichier de site pour la partager</translation>
    </message>
    <message>
        <location filename="../../widgets/wall_menu.py" line="173"/>
        <source>Tour dwell time</source>
        <translation>Durée par caméra</translation>
    </message>
    <message>
        <location filename="../../widgets/wall_menu.py" line="174"/>
        <source>Seconds on each camera:</source>
        <translation>Secondes sur chaque caméra&#xa0;:</translation>
    </message>
    <message>
        <location filename="../../widgets/wall_menu.py" line="185"/>
        <source>This tile shows no camera</source>
        <translation>Cette case n&apos;affiche aucune caméra</translation>
    </message>
</context>
<context>
    <name>WallWindow</name>
    <message>
        <location filename="../../widgets/wall_window.py" line="47"/>
        <source>CSU Console — second wall</source>
        <translation>Console CSU — second mur</translation>
    </message>
</context>
<context>
    <name>WelcomeDialog</name>
    <message>
        <location filename="../../widgets/setup/welcome.py" line="24"/>
        <source>Welcome to CSU Console</source>
        <translation>Bienvenue dans CSU Console</translation>
    </message>
    <message>
        <location filename="../../widgets/setup/welcome.py" line="27"/>
        <source>&lt;b&gt;No site is set up on this workstation.&lt;/b&gt;&lt;br&gt;&lt;br&gt;Open the demo town to look around, set this site up (its connections, its journal and its first administrator), or open a site file an installer gave you.</source>
        <translation>&lt;b&gt;Aucun site n&apos;est configuré sur ce poste.&lt;/b&gt;&lt;br&gt;&lt;br&gt;Ouvrez la ville de démonstration pour découvrir la console, configurez ce site (ses connexions, son journal et son premier administrateur) ou ouvrez un fichier de site fourni par un intégrateur.</translation>
    </message>
    <message>
        <location filename="../../widgets/setup/welcome.py" line="35"/>
        <source>Open the demo town</source>
        <translation>Ouvrir la ville de démonstration</translation>
    </message>
    <message>
        <location filename="../../widgets/setup/welcome.py" line="36"/>
        <source>Set up this site…</source>
        <translation>Configurer ce site…</translation>
    </message>
    <message>
        <location filename="../../widgets/setup/welcome.py" line="37"/>
        <source>Open a site file…</source>
        <translation>Ouvrir un fichier de site…</translation>
    </message>
</context>
</TS>
