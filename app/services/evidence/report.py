"""The export's report: the PDF a parquet or an investigator reads first.

It says who exported what, when, why and for whom, which cameras over which range and
where their recordings have gaps (and why, in words), every other file of the package with
its SHA-256, the signing certificate's fingerprint, and how to check all of it with free
tools (verify_commands). fpdf2 writes it: the service is Qt-free (app/ui/access_log_pdf
paints with Qt and cannot run here). DejaVu Sans is embedded, so accents print on any
reader; digests and commands are in DejaVu Sans Mono and never cut within a line. Every
page carries the site's name and "page N / M".
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import tzinfo
from importlib.resources import files
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from app.core.evidence import MASTER, WORKING_COPY, CameraPart, Manifest, PackageFile, parse_utc
from app.core.site import Site
from app.services.evidence import verify_commands as cmd
from app.services.evidence.officers import callsigns, label
from app.services.evidence.words import (
    both_times,
    camera_kind,
    colon,
    gap_reason,
    local_time,
    purpose_words,
    role_words,
    site_zone,
    words,
)

SANS, MONO = "DejaVu", "DejaVuMono"
MARGIN = 16.0  # mm
BODY_PT, SMALL_PT, MONO_PT = 10.0, 8.5, 8.0
LINE = 5.0  # mm per body line
KEY_W = 48.0  # mm, the left column of the summary
COMMAND_WIDTH = 88  # characters of DejaVu Sans Mono at MONO_PT within the text width


class _Pdf(FPDF):
    """A4 portrait with the site's name and the page number on every page."""

    def __init__(self, site_name: str, title: str, page_words: str) -> None:
        super().__init__(format="A4")
        self.site_name, self.title_text, self.page_words = site_name, title, page_words
        fonts = files("resources") / "fonts"
        self.add_font(SANS, "", str(fonts / "DejaVuSans.ttf"))
        self.add_font(MONO, "", str(fonts / "DejaVuSansMono.ttf"))
        self.set_margins(MARGIN, MARGIN + 6, MARGIN)
        self.set_auto_page_break(True, MARGIN + 4)

    def header(self) -> None:
        self.set_font(SANS, size=SMALL_PT)
        self.set_text_color(90, 90, 90)
        self.set_xy(MARGIN, 8)
        self.cell(0, 5, f"{self.site_name} — {self.title_text}")
        self.set_text_color(0, 0, 0)
        self.set_xy(MARGIN, MARGIN + 6)

    def footer(self) -> None:
        self.set_y(-MARGIN + 2)
        self.set_font(SANS, size=SMALL_PT)
        self.set_text_color(90, 90, 90)
        self.cell(0, 5, self.site_name, align="L")
        self.set_x(MARGIN)
        self.cell(0, 5, self.page_words.format(n=self.page_no(), m="{nb}"), align="R")
        self.set_text_color(0, 0, 0)


def write_report(manifest_without_report: Manifest, out: Path, site: Site, *,
                 language: str = "fr", certificate_fingerprint: str, timestamped: bool,
                 known_callsigns: Mapping[str, str] | None = None) -> Path:
    """Writes the PDF into `out`; returns `out`. `certificate_fingerprint`: the SHA-256 of
    the signing certificate (DER), as hex; `known_callsigns`: officers announced by
    adapters (not in the site file), id -> callsign."""
    m, w = manifest_without_report, words(language)
    zone = site_zone(site.site.operator_timezone)
    pdf = _Pdf(m.site or site.site.name, w["report_title"], w["page"])
    pdf.set_title(f"{w['report_title']} — {m.site}")
    pdf.set_creation_date(parse_utc(m.exported_at))  # the same manifest, the same PDF
    pdf.add_page()
    _title(pdf, w["report_title"], m.site)
    _summary(pdf, m, w, zone, language)
    _heading(pdf, w["cameras"])
    for camera in m.cameras:
        _camera(pdf, camera, m.files, w, zone, language)
    _heading(pdf, w["officers"])
    names = callsigns(site, known_callsigns)
    _para(pdf, ", ".join(label(o, names) for o in m.officers) or w["none"])
    _heading(pdf, w["files"])
    for f in m.files:
        _file(pdf, f, w)
    _heading(pdf, w["certificate"])
    _para(pdf, w["fingerprint"])
    _mono(pdf, [_fingerprint_text(certificate_fingerprint)])
    _keep(pdf, 3 * LINE)
    _para(pdf, f"{w['timestamp']}{colon(language)} "
               + (w["timestamped"] if timestamped else w["not_timestamped"]))
    _verify(pdf, w, timestamped)
    out.parent.mkdir(parents=True, exist_ok=True)
    pdf.output(str(out))
    return out


# -- sections -------------------------------------------------------------------------------
def _title(pdf: FPDF, title: str, site: str) -> None:
    pdf.set_font(SANS, size=18)
    pdf.multi_cell(0, 9, title, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(SANS, size=12)
    pdf.multi_cell(0, 7, site, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(3)


def _summary(pdf: FPDF, m: Manifest, w: dict[str, str], zone: tzinfo, lang: str) -> None:
    who = m.exported_by
    c = colon(lang)
    rows = [
        (w["exported_by"], f"{who.get('name', '')} ({w['login']} {who.get('user', '')}, "
                           f"{w['role']} {role_words(who.get('role', ''), lang)})"),
        (w["exported_at"], both_times(parse_utc(m.exported_at), zone, lang)),
        (w["purpose"], " — ".join(p for p in (purpose_words(m.purpose, lang),
                                               str(m.extra.get("purpose_detail", "")),
                                               str(m.extra.get("reference", ""))) if p)),
        (w["recipient"], m.recipient),
    ]
    if m.incident:
        rows.append((w["incident"], f"{m.incident.get('title', '')} "
                                    f"(n° {m.incident.get('id', '')})"))
    rows += [
        (w["range"], f"{both_times(parse_utc(m.range_start), zone, lang)}\n→ "
                     f"{both_times(parse_utc(m.range_end), zone, lang)}"),
        (w["hold"], w["hold_set"].format(n=m.hold) if m.hold is not None else w["hold_none"]),
        (w["software"], f"CSU Console {m.software_version} ({m.format})"),
    ]
    for key, value in rows:
        _row(pdf, key + c, value)
    pdf.ln(2)


def _camera(pdf: FPDF, c: CameraPart, files: tuple[PackageFile, ...], w: dict[str, str],
            zone: tzinfo, lang: str) -> None:
    _keep(pdf, 4 * LINE)
    pdf.set_font(SANS, size=11)
    pdf.multi_cell(0, 6, f"{c.name} ({c.id}) — {camera_kind(c.kind, lang)}",
                   new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    if c.note:
        _para(pdf, c.note)
    masters = [f for f in files if f.camera == c.id and f.role == MASTER]
    working = [f for f in files if f.camera == c.id and f.role == WORKING_COPY]
    c_ = colon(lang)
    _para(pdf, w["masters"] + c_)
    for f in masters:
        _bullet(pdf, f.path + _span(f, zone, lang))
    if not masters:
        _bullet(pdf, w["no_master"])
    if working:
        _para(pdf, w["working"] + c_)
        for f in working:
            _bullet(pdf, f.path + _span(f, zone, lang))
    _para(pdf, w["gaps"] + c_)
    if not c.gaps:
        _bullet(pdf, w["no_gap"])
    for g in c.gaps:
        end = both_times(parse_utc(g["end"]), zone, lang) if g.get("end") else "…"
        detail = f" ({g['detail']})" if g.get("detail") else ""
        _bullet(pdf, f"{both_times(parse_utc(g['start']), zone, lang)} → {end}{c_} "
                     f"{gap_reason(g.get('reason', ''), lang)}{detail}")
    pdf.ln(2)


def _span(f: PackageFile, zone: tzinfo, lang: str) -> str:
    if not (f.start and f.end):
        return ""
    return (f" — {local_time(parse_utc(f.start), zone, lang)} → "
            f"{local_time(parse_utc(f.end), zone, lang)}")


def _file(pdf: FPDF, f: PackageFile, w: dict[str, str]) -> None:
    _keep(pdf, 2 * LINE + 2)
    pdf.set_font(SANS, size=SMALL_PT + 0.5)
    pdf.multi_cell(0, 4.5, f"{f.path}   ({f.size:,} {w['size']})".replace(",", " "),
                   new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    _mono(pdf, [f.sha256], indent=6)
    pdf.ln(1)


def _verify(pdf: FPDF, w: dict[str, str], timestamped: bool) -> None:
    _heading(pdf, w["verify"])
    _para(pdf, w["verify_intro"])
    steps = [(w["verify_sums"], [cmd.SHA256SUM]), (w["verify_ps"], [cmd.POWERSHELL]),
             (w["verify_cms"], [cmd.CMS_VERIFY]), (w["verify_fp"], [cmd.FINGERPRINT])]
    if timestamped:
        steps.append((w["verify_ts"], [cmd.TS_VERIFY]))
    steps.append((w["verify_tool"], [cmd.CONSOLE_VERIFY]))
    for text, commands in steps:
        _keep(pdf, 4 * LINE)
        _para(pdf, text)
        for c in commands:
            _mono(pdf, cmd.continued(c, COMMAND_WIDTH), indent=6, shade=True)
        pdf.ln(1)


# -- pieces ---------------------------------------------------------------------------------
def _heading(pdf: FPDF, text: str) -> None:
    _keep(pdf, 5 * LINE)
    pdf.ln(2)
    pdf.set_font(SANS, size=13)
    pdf.multi_cell(0, 7, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_draw_color(150, 150, 150)
    pdf.line(MARGIN, pdf.get_y(), pdf.w - MARGIN, pdf.get_y())
    pdf.ln(2)


def _row(pdf: FPDF, key: str, value: str) -> None:
    pdf.set_font(SANS, size=BODY_PT)
    y = pdf.get_y()
    pdf.set_text_color(70, 70, 70)
    pdf.multi_cell(KEY_W, LINE, key, new_x=XPos.RIGHT, new_y=YPos.TOP)
    pdf.set_text_color(0, 0, 0)
    pdf.set_xy(MARGIN + KEY_W, y)
    pdf.multi_cell(0, LINE, value or "—", new_x=XPos.LMARGIN, new_y=YPos.NEXT, align="L")


def _para(pdf: FPDF, text: str) -> None:
    pdf.set_font(SANS, size=BODY_PT)
    pdf.multi_cell(0, LINE, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT, align="L")


def _bullet(pdf: FPDF, text: str) -> None:
    pdf.set_font(SANS, size=SMALL_PT + 0.5)
    pdf.set_x(MARGIN + 4)
    pdf.multi_cell(0, 4.5, f"• {text}", new_x=XPos.LMARGIN, new_y=YPos.NEXT, align="L")


def _mono(pdf: FPDF, lines: list[str], indent: float = 0, shade: bool = False) -> None:
    """Lines as they are, each on one line (a digest or a command is never wrapped: it
    was cut between its arguments by the caller)."""
    pdf.set_font(MONO, size=MONO_PT)
    pdf.set_fill_color(238, 238, 238)
    for line in lines:
        pdf.set_x(MARGIN + indent)
        pdf.cell(0, 4.2, line, fill=shade, new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _keep(pdf: FPDF, height: float) -> None:
    """A new page when fewer than `height` mm are left: a heading never ends a page."""
    if pdf.get_y() + height > pdf.page_break_trigger:
        pdf.add_page()


def _fingerprint_text(hex_digest: str) -> str:
    """AB:CD:... as `openssl x509 -fingerprint -sha256` prints it, to compare by eye."""
    h = hex_digest.replace(":", "").upper()
    return ":".join(h[i:i + 2] for i in range(0, len(h), 2))
