"""The console's words for what an alarm is about, and the neutral (English) title.

Adapters describe an alarm as data (`AlarmFacts`: an event key from `EVENTS`, a place, an
officer, a plate, a zone, the source's own text). Each seat words the title in its
operator's language (app.ui.labels.alarm_title, which translates these same English
phrases); `neutral_title` is the one stored in `Alarm.title` for the journal, exports,
searches and logs, so they read the same whatever the language of the seat that wrote them.
"""

from __future__ import annotations

from app.core.model import AlarmFacts, AlarmType

# The event keys adapters may use, with their English words (the translation source:
# app/ui/labels.py lists each phrase for Qt's translation tools; a unit test keeps the two
# lists equal).
EVENTS: dict[str, str] = {
    # officers
    "weapon_drawn": "Weapon drawn from the holster",
    "bodycam_emergency": "Body-cam emergency button",
    "tracker_sos": "Tracker SOS alarm",
    "bodycam_battery_low": "Body-cam battery low",
    # sensors
    "gunshot_detected": "Gunshot detected",
    "intrusion": "Intrusion",
    # LPR
    "lpr_stolen_vehicle": "LPR: stolen vehicle",
    "lpr_stolen_plate": "LPR: stolen plate",
    "lpr_reported_vehicle": "LPR: reported vehicle (FOVeS)",
    "lpr_hit": "LPR: plate on a watch list",
    # webhook senders
    "alert": "Alert",
    # video analytics
    "analytics_person_down": "Video analytics: person on the ground",
    "analytics_crowd": "Video analytics: gathering",
    "analytics_abandoned_object": "Video analytics: abandoned object",
    "analytics_wrong_way": "Video analytics: vehicle going the wrong way",
    "analytics_detection": "Video analytics",
    "analytics_motion": "Motion detected",
    "analytics_tampering": "Camera tampering",
    "input_active": "Input active",
    # objects recognised by Frigate (its labels)
    "object_person": "Video analytics: person",
    "object_car": "Video analytics: vehicle",
    "object_motorcycle": "Video analytics: two-wheeler",
    "object_bicycle": "Video analytics: bicycle",
    "object_dog": "Video analytics: dog",
    "object_bus": "Video analytics: bus",
    "object_truck": "Video analytics: lorry",
    # citizen reports
    "citizen_noise": "Citizen report: noise",
    "citizen_parking": "Citizen report: obstructive parking",
    "citizen_dumping": "Citizen report: fly-tipping",
    "citizen_suspicious": "Citizen report: person acting suspiciously",
    "citizen_vandalism": "Citizen report: damage to street furniture",
    "citizen_stray_dog": "Citizen report: stray dog",
    # alarm panels (Contact ID and SIA event families)
    "panel_medical": "Medical alarm",
    "panel_fire": "Fire alarm",
    "panel_panic": "Panic alarm",
    "panel_duress": "Panic / duress",
    "panel_hold_up": "Hold-up alarm",
    "panel_burglary": "Burglary",
    "panel_burglary_verified": "Burglary verified",
    "panel_general": "General alarm",
    "panel_24h": "24-hour non-burglary alarm",
    "panel_sensor_trouble": "Sensor tamper / trouble",
    "panel_tamper": "Tamper",
    "panel_door_forced": "Door forced",
    "panel_gas": "Gas alarm",
    "panel_water": "Water leak",
}

# Kinds of unit the console has words for (the demo's patrols; a site file writes its own).
UNIT_KINDS: dict[str, str] = {
    "foot_patrol": "Foot patrol",
    "car_patrol": "Car patrol",
}

# The alarm types in English, for titles whose event is empty or unknown to this version.
TYPE_WORDS: dict[AlarmType, str] = {
    AlarmType.WEAPON_DRAWN: "Weapon drawn",
    AlarmType.BODYCAM_EMERGENCY: "Body-cam emergency",
    AlarmType.GUNSHOT: "Gunshot",
    AlarmType.INTRUSION: "Intrusion",
    AlarmType.LPR_HIT: "Plate hit (LPR)",
    AlarmType.VIDEO_ANALYTICS: "Video analytics",
    AlarmType.CITIZEN_REPORT: "Citizen report",
    AlarmType.OTHER: "Other",
}


def compose(what: str, facts: AlarmFacts, colon: str = "{0}: {1}",
            dash: str = "{0} — {1}") -> str:
    """The title's shape, the same in every language: "what plate: text — officer — place
    — zone". `what` is already in the reader's language; so are the two patterns (French
    puts a space before the colon)."""
    head = f"{what} {facts.plate}" if facts.plate else what
    if facts.text:
        head = colon.format(head, facts.text) if head else facts.text
    for part in (facts.officer, facts.place, facts.zone):
        if part:
            head = dash.format(head, part)
    return head


def says_type(facts: AlarmFacts) -> bool:
    """Whether the title starts with the alarm type's name: no event this version knows,
    and no words of the source's own to say what happened instead."""
    return facts.event not in EVENTS and not facts.text


def neutral_title(kind: AlarmType, facts: AlarmFacts) -> str:
    """The title stored with the alarm: in English, the source language of the console."""
    what = EVENTS.get(facts.event) or (TYPE_WORDS[kind] if says_type(facts) else "")
    return compose(what, facts)
