"""The words of an export's human-readable documents (the map image, the PDF report) in
French and English, and how they write times.

The service is Qt-free, so these are not Qt translations: a document is made in the
language the chief chose for its reader (the parquet reads French), whatever the language
of the seat. Times are written in the site's local time with its zone and offset, and in
UTC: a reader in another zone, or one who compares with the files' UTC times, is never
left to guess.
"""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from app.core.evidence import EvidenceError

LANGUAGES = ("fr", "en")

PHRASES: dict[str, dict[str, str]] = {
    "fr": {
        "map_title": "Déplacements des agents",
        "start_mark": "départ",
        "end_mark": "fin",
        "alarm_mark": "alarme (n° d'alarms.csv)",
        "no_position": "aucune position dans la plage",
        "grid": "quadrillage de {}",
        "range": "Plage",
        "local": "heure locale",
        "report_title": "Rapport d'extraction de preuves",
        "site": "Site",
        "page": "page {n} / {m}",
        "exported_by": "Extrait par",
        "login": "identifiant",
        "role": "rôle",
        "exported_at": "Date de l'extraction",
        "purpose": "Motif",
        "recipient": "Destinataire",
        "incident": "Incident",
        "hold": "Gel judiciaire",
        "hold_none": "aucun",
        "hold_set": "oui (n° {n})\u00a0: la plage est conservée au-delà de la durée légale",
        "software": "Logiciel",
        "cameras": "Caméras",
        "masters": "Fichiers originaux (copie du flux, sans réencodage)",
        "working": "Copies de travail (masques de confidentialité incrustés, réencodées)",
        "gaps": "Interruptions d'enregistrement",
        "no_gap": "aucune interruption dans la plage",
        "no_master": "aucun enregistrement dans la plage",
        "officers": "Agents",
        "none": "aucun",
        "files": "Fichiers et empreintes SHA-256",
        "file": "Fichier",
        "size": "octets",
        "certificate": "Certificat de signature",
        "fingerprint": "Empreinte SHA-256 du certificat (certificate.pem)",
        "timestamp": "Horodatage (RFC 3161)",
        "timestamped": "le manifeste signé est horodaté par une autorité tierce "
                       "(manifest.json.p7s.tsr)",
        "not_timestamped": "pas d'horodatage tiers\u00a0: la date de l'extraction est celle "
                           "de la machine qui l'a faite",
        "verify": "Comment vérifier",
        "verify_intro": "Ces vérifications se font avec des outils libres, sans le logiciel "
                        "qui a produit l'extraction. Ouvrez un terminal dans le dossier de "
                        "l'extraction.",
        "verify_sums": "1. Intégrité de chaque fichier (Linux, macOS)\u00a0: toutes les lignes "
                       "doivent finir par «\u00a0OK\u00a0» («\u00a0Réussi\u00a0» en français).",
        "verify_ps": "Sous Windows (PowerShell)\u00a0: comparez chaque empreinte affichée à "
                     "celle de ce rapport et du fichier SHA256SUMS.",
        "verify_cms": "2. Signature du manifeste (qui liste chaque fichier et son "
                      "empreinte)\u00a0: OpenSSL doit répondre "
                      "«\u00a0Verification successful\u00a0». "
                      "Comparez aussi l'empreinte du certificat à celle ci-dessus et à "
                      "celle que le site vous a remise. Sous Windows, écrivez NUL au lieu "
                      "de /dev/null.",
        "verify_fp": "Empreinte du certificat\u00a0:",
        "verify_ts": "3. Horodatage\u00a0: OpenSSL doit répondre «\u00a0Verification: OK\u00a0».",
        "verify_tool": "Avec la console elle-même (si vous l'avez)\u00a0:",
        "utc": "UTC",
    },
    "en": {
        "map_title": "Officers' movements",
        "start_mark": "start",
        "end_mark": "end",
        "alarm_mark": "alarm (number in alarms.csv)",
        "no_position": "no position in range",
        "grid": "grid of {}",
        "range": "Range",
        "local": "local time",
        "report_title": "Evidence export report",
        "site": "Site",
        "page": "page {n} / {m}",
        "exported_by": "Exported by",
        "login": "login",
        "role": "role",
        "exported_at": "Exported at",
        "purpose": "Purpose",
        "recipient": "Recipient",
        "incident": "Incident",
        "hold": "Judicial hold",
        "hold_none": "none",
        "hold_set": "yes (no. {n}): the range is kept past the legal retention",
        "software": "Software",
        "cameras": "Cameras",
        "masters": "Master files (the stream copied, never re-encoded)",
        "working": "Working copies (privacy masks burned in, re-encoded)",
        "gaps": "Recording gaps",
        "no_gap": "no gap in the range",
        "no_master": "no recording in the range",
        "officers": "Officers",
        "none": "none",
        "files": "Files and SHA-256 digests",
        "file": "File",
        "size": "bytes",
        "certificate": "Signing certificate",
        "fingerprint": "SHA-256 fingerprint of the certificate (certificate.pem)",
        "timestamp": "Timestamp (RFC 3161)",
        "timestamped": "the signed manifest is timestamped by a third-party authority "
                       "(manifest.json.p7s.tsr)",
        "not_timestamped": "no third-party timestamp: the export's time is that of the "
                           "machine that made it",
        "verify": "How to verify",
        "verify_intro": "These checks use free tools, without the software that made the "
                        "export. Open a terminal in the export's folder.",
        "verify_sums": "1. Each file's integrity (Linux, macOS): every line must end "
                       "with \"OK\".",
        "verify_ps": "On Windows (PowerShell): compare each digest shown with this "
                     "report's and with SHA256SUMS.",
        "verify_cms": "2. The signature of the manifest (which lists every file and its "
                      "digest): OpenSSL must answer \"Verification successful\". Compare "
                      "the certificate's fingerprint with the one above and the one the "
                      "site gave you. On Windows, write NUL instead of /dev/null.",
        "verify_fp": "Certificate fingerprint:",
        "verify_ts": "3. The timestamp: OpenSSL must answer \"Verification: OK\".",
        "verify_tool": "With the console itself (if you have it):",
        "utc": "UTC",
    },
}

# GapReason values (app/core/recording.py) in words
GAP_REASONS: dict[str, dict[str, str]] = {
    "fr": {
        "camera_unreachable": "caméra injoignable (flux impossible à ouvrir ou interrompu)",
        "recorder_down": "enregistreur arrêté (ou sa machine)",
        "watchdog": "l'enregistrement s'est figé et a été relancé",
        "disk_full": "disque plein",
        "stopped": "enregistrement arrêté volontairement",
        "purged": "enregistré puis effacé (durée de conservation ou place disque)",
        "not_recorded": "non enregistré par le système interrogé",
    },
    "en": {
        "camera_unreachable": "camera unreachable (the stream could not be opened or "
                              "stalled)",
        "recorder_down": "the recorder (or its machine) was not running",
        "watchdog": "recording froze and was restarted",
        "disk_full": "disk full",
        "stopped": "recording stopped on purpose",
        "purged": "recorded, then erased (retention or disk budget)",
        "not_recorded": "not recorded by the system asked",
    },
}


CAMERA_KINDS: dict[str, dict[str, str]] = {
    "fr": {"fixed": "fixe", "ptz": "orientable (PTZ)", "body": "caméra-piéton"},
    "en": {"fixed": "fixed", "ptz": "pan-tilt-zoom", "body": "body-worn camera"},
}
ROLES: dict[str, dict[str, str]] = {
    "fr": {"viewer": "consultation", "operator": "opérateur", "chief": "chef de salle",
           "admin": "administrateur"},
    "en": {"viewer": "viewer", "operator": "operator", "chief": "shift chief",
           "admin": "administrator"},
}
# app/core/access.py's purposes (motifs); any other is the chief's own words, as written
PURPOSES: dict[str, dict[str, str]] = {
    "fr": {"judicial": "judiciaire", "administrative": "administratif",
           "disciplinary": "disciplinaire", "training": "formation",
           "safety": "sécurité des agents ou des personnes"},
    "en": {"judicial": "judicial", "administrative": "administrative",
           "disciplinary": "disciplinary", "training": "training",
           "safety": "safety of officers or people"},
}


def camera_kind(kind: str, language: str) -> str:
    return CAMERA_KINDS.get(language, CAMERA_KINDS["en"]).get(kind, kind)


def colon(language: str) -> str:
    """French puts a no-break space before a colon."""
    return "\u00a0:" if language == "fr" else ":"


def role_words(role: str, language: str) -> str:
    return ROLES.get(language, ROLES["en"]).get(role, role)


def purpose_words(purpose: str, language: str) -> str:
    return PURPOSES.get(language, PURPOSES["en"]).get(purpose, purpose)


def words(language: str) -> dict[str, str]:
    if language not in PHRASES:
        raise EvidenceError(f"no words for language {language!r} (one of {LANGUAGES})")
    return PHRASES[language]


def gap_reason(reason: str, language: str) -> str:
    return GAP_REASONS.get(language, GAP_REASONS["en"]).get(reason, reason)


def site_zone(name: str) -> tzinfo:
    """The site's time zone; the machine's own when it has no data for it (a Windows
    machine without the tzdata package), as app/ui/access_log_words does."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        local = datetime.now().astimezone().tzinfo
        return local if local is not None else UTC


def local_time(t: datetime, zone: tzinfo, language: str) -> str:
    """30/11/2026 22:00:00 (UTC+01:00) in French, 2026-11-30 22:00:00 (UTC+01:00) else."""
    local = t.astimezone(zone)
    offset = local.strftime("%z")
    offset = f"UTC{offset[:3]}:{offset[3:]}" if offset else ""
    shape = "%d/%m/%Y %H:%M:%S" if language == "fr" else "%Y-%m-%d %H:%M:%S"
    return f"{local.strftime(shape)} ({offset})" if offset else local.strftime(shape)


def utc_time(t: datetime, language: str) -> str:
    shape = "%d/%m/%Y %H:%M:%S" if language == "fr" else "%Y-%m-%d %H:%M:%S"
    return f"{t.astimezone(UTC).strftime(shape)} UTC"


def both_times(t: datetime, zone: tzinfo, language: str) -> str:
    """The site's local time, then UTC: "30/11/2026 22:00:00 (UTC+01:00) = 21:00:00 UTC"
    (UTC's date only when it differs from the local one)."""
    local, utc = t.astimezone(zone), t.astimezone(UTC)
    utc_part = f"{utc:%H:%M:%S} UTC" if local.date() == utc.date() else utc_time(t, language)
    return f"{local_time(t, zone, language)} = {utc_part}"
