"""The site-file examples of the README's adapter sections, kept here so a test proves
they validate (copy them to the README unchanged)."""

from __future__ import annotations

EXAMPLES: dict[str, str] = {
    "owntracks": '''
[[adapters]]
kind = "owntracks"
name = "telephones"
host = "mqtt.csu.local"
port = 8883
tls = true                                # ca_file = "..." for a private CA
username = "csu-console"
password_secret = "mqtt-csu"              # csu-console secret set mqtt-csu
topic = "owntracks/+/+"                   # the /event sub-topic is added
accept_unknown = false                    # a phone not listed below is refused

[adapters.devices]                        # "<user>/<device>" = officer id
"pm11/iphone" = "pm11"
"pm21/android" = "pm21"

[adapters.regions."Poste de police"]      # an OwnTracks region -> officer status
enter = "off_duty"
leave = "available"
''',
    "traccar": '''
[[adapters]]
kind = "traccar"
name = "traccar"
url = "http://traccar.csu.local:8082"
email = "csu-console@ville.fr"            # a read-only Traccar user is enough
password_secret = "traccar-csu"           # or token_secret = "traccar-token"
backfill_max_s = 3600

[adapters.devices]                        # Traccar "identifier" (uniqueId) = officer id
"860123456789012" = "pm21"
''',
    "cot": '''
[[adapters]]
kind = "cot"
name = "tak"
host = "0.0.0.0"
tcp_port = 8087                           # TAK streaming (XML); omit to disable
udp_port = 4242                           # one event per datagram; omit to disable
accept_unknown = true                     # other TAK users appear as officers of `unit`
unit = "TAK"

[adapters.devices]                        # CoT uid or callsign = officer id
"ANDROID-5f3a9c0e1d2b" = "pm11"
"PM 12" = "pm12"
''',
    "nmea": '''
[[adapters]]
kind = "nmea"
name = "traceurs-vl"
mode = "connect"                          # or "listen" with host/port and devices by IP

[[adapters.sources]]
host = "10.20.5.11"
port = 5017
officer = "pm21"
''',
    "frigate": '''
[[adapters]]
kind = "frigate"
name = "frigate"
host = "mqtt.csu.local"
username = "csu-console"
password_secret = "mqtt-csu"
topic_prefix = "frigate"
labels = ["person", "car"]
min_score = 0.7
zones = ["parvis"]                        # only objects that entered these zones
priority = 3
ack_topic = "csu/frigate/ack"             # omit: acknowledgements stay in the console

[adapters.cameras]                        # Frigate camera = console camera id(s)
hotel_de_ville = "cam-hdv"
gare_nord = ["cam-gare", "cam-hdv"]
''',
    "bodycam": '''
[[adapters]]
kind = "bodycam"
name = "cameras-pietons"
transport = "mqtt"                        # or "webhook": webhook_host/_port/_auth/_secret
host = "mqtt.csu.local"
username = "csu-console"
password_secret = "mqtt-csu"
topic_prefix = "bodycam"
rtsp_template = "rtsp://bodycam-cloud.csu.local/live/{device}"
battery_alarm = false                     # true: battery_low is also a P4 alarm
ack_topic = "{prefix}/{device}/ack"

[adapters.devices.BC-0042]
officer = "pm11"
camera = "bc-pm11"                        # the site's camera id for this body cam

[adapters.devices.BC-0043]
officer = "pm12"
rtsp = "rtsp://10.20.9.3/live/ch1"        # overrides rtsp_template
''',
}
