"""The programme report in HTML (tables and inline SVG bars, self-contained, no
script, no request, printable on A4), Markdown, JSON and CSV, in French or
English. Only figures that survived disclosure control are written or drawn;
a suppressed one is "—", never with its reason beside it (that would say it is
small)."""

from __future__ import annotations

import csv
import html
import io
import json
from collections.abc import Callable
from typing import Any

from aoi_tui.programme.report import REPORT_FORMAT, REPORT_VERSION, Report
from aoi_tui.programme.tables import NONE, OTHER, T, Table

FORMATS = ("html", "md", "json", "csv")
DASH = "—"

WORDS: dict[str, dict[str, str]] = {
    "en": {
        "title": "Programme report",
        "made": "Made on {date} from the feeds of {feeds} coach(es). Threshold: {k} people.",
        "T": "Programme",
        "Tcol": "Total",
        "other": "Other sites and cross-site groups",
        "none": "Not started yet",
        "area_none": "No area",
        "in_progress": "In progress",
        "closed": "Closed",
        "yes": "Yes",
        "no": "No",
        "up": "Moved up",
        "not_up": "Did not move up",
        "planned": "Planned",
        "started": "People (engagements) by site and period of start",
        "status": "People (engagements) in progress and closed",
        "kickoff": "Three-way kickoff held: people (engagements)",
        "handovers": "Handover to the N+1 after every AOI session held: people (engagements)",
        "closing": "Closing three-way review held: people (engagements)",
        "cadence": "Sessions kept at the agreed rhythm: people (engagements)",
        "sessions": "Sessions held, by period held",
        "planned_t": "Sessions planned",
        "objectives": "Objectives by area and status (where agreements allow)",
        "competencies": "People who moved up at least one FSAC level, per competency (where agreements allow)",
        "withdrawn": "Withdrawals, programme level only: people (engagements)",
        "share": "Share",
        "chart": "Chart (shown figures only)",
        "about": "About these figures",
        "suppressed": (
            "Figures shown as “—” are suppressed ({n} in this report). A figure is suppressed "
            "when fewer than {k} people are behind it, when everyone behind it shares the same "
            "outcome, or when, compared with an earlier report of this programme, it would "
            "reveal a change concerning fewer than {k} people; other figures are suppressed "
            "with them, so that no suppressed figure can be worked out from the totals and the "
            "other tables of this report, nor from earlier reports."
        ),
        "known": "{n} figure(s) published unchanged by an earlier report are shown again.",
        "withheld": "Withheld whole, as no suppression could protect it: {tables}.",
        "merged": (
            "The row “Other sites and cross-site groups” gathers the peer groups spanning "
            "several sites (they count at programme level only) and the sites with too few "
            "people (none included), or too few changes since an earlier report, to be shown "
            "alone: {sites}."
        ),
        "policy": (
            "Figures count only the people who agreed to programme statistics, and only "
            "codes and numbers: no text typed in a coaching session reaches this report, and "
            "no coach is named. Withdrawals are counted at programme level only."
        ),
        "pseudo": "Personal data: aggregated figures about groups of at least {k} people.",
    },
    "fr": {
        "title": "Rapport de programme",
        "made": "Établi le {date} à partir des flux de {feeds} coach(s). Seuil : {k} personnes.",
        "T": "Programme",
        "Tcol": "Total",
        "other": "Autres sites et groupes multi-sites",
        "none": "Pas encore commencé",
        "area_none": "Sans domaine",
        "in_progress": "En cours",
        "closed": "Clos",
        "yes": "Oui",
        "no": "Non",
        "up": "Ont progressé",
        "not_up": "N’ont pas progressé",
        "planned": "Prévues",
        "started": "Personnes (accompagnements) par site et période de début",
        "status": "Personnes (accompagnements) en cours et clos",
        "kickoff": "Lancement tripartite tenu : personnes (accompagnements)",
        "handovers": "Passage de relais N+1 après chaque séance AOI tenue : personnes (accompagnements)",
        "closing": "Bilan tripartite de clôture tenu : personnes (accompagnements)",
        "cadence": "Séances tenues au rythme convenu : personnes (accompagnements)",
        "sessions": "Séances tenues, par période",
        "planned_t": "Séances prévues",
        "objectives": "Objectifs par domaine et statut (si les accords le permettent)",
        "competencies": "Personnes ayant progressé d’au moins un niveau FSAC, par compétence (si les accords le permettent)",
        "withdrawn": "Retraits, au niveau du programme seulement : personnes (accompagnements)",
        "share": "Part",
        "chart": "Graphique (chiffres publiés seulement)",
        "about": "À propos de ces chiffres",
        "suppressed": (
            "Les chiffres affichés « — » sont masqués ({n} dans ce rapport). Un chiffre est "
            "masqué quand moins de {k} personnes sont derrière lui, quand toutes partagent le "
            "même résultat, ou quand, comparé à un rapport antérieur du programme, il révélerait "
            "un changement concernant moins de {k} personnes ; d’autres chiffres sont masqués "
            "avec eux, pour qu’aucun chiffre masqué ne puisse être retrouvé à partir des totaux "
            "et des autres tableaux de ce rapport, ni des rapports antérieurs."
        ),
        "known": "{n} chiffre(s) déjà publiés à l’identique par un rapport antérieur sont repris.",
        "withheld": "Retenus en entier, aucun masquage ne pouvant les protéger : {tables}.",
        "merged": (
            "La ligne « Autres sites et groupes multi-sites » regroupe les groupes de pairs "
            "couvrant plusieurs sites (comptés au niveau du programme seulement) et les sites "
            "qui ont trop peu de personnes (aucune comprise), ou trop peu de changements "
            "depuis un rapport antérieur, pour être montrés seuls : {sites}."
        ),
        "policy": (
            "Les chiffres ne comptent que les personnes qui ont accepté les statistiques de "
            "programme, et seulement des codes et des nombres : aucun texte saisi en séance "
            "n’atteint ce rapport, et aucun coach n’est nommé. Les retraits ne sont comptés "
            "qu’au niveau du programme."
        ),
        "pseudo": "Données personnelles : chiffres agrégés sur des groupes d’au moins {k} personnes.",
    },
}

AREAS = {
    "en": {
        "safety": "Safety",
        "quality": "Quality",
        "costs": "Costs",
        "deadlines": "Deadlines",
        "motivation": "Motivation",
        "environment": "Environment",
        "posture": "Posture",
    },
    "fr": {
        "safety": "Sécurité",
        "quality": "Qualité",
        "costs": "Coûts",
        "deadlines": "Délais",
        "motivation": "Motivation",
        "environment": "Environnement",
        "posture": "Posture",
    },
}
STATUSES = {
    "en": {
        "open": "Open",
        "in_progress": "In progress",
        "reached": "Reached",
        "not_reached": "Not reached",
        "dropped": "Dropped",
    },
    "fr": {
        "open": "Ouvert",
        "in_progress": "En cours",
        "reached": "Atteint",
        "not_reached": "Non atteint",
        "dropped": "Abandonné",
    },
}


class Labels:
    def __init__(self, report: Report, lang: str) -> None:
        self.report = report
        self.lang = lang if lang in WORDS else "en"
        self.w = WORDS[self.lang]
        from aoi_tui.domain.referentials import referential

        ref = referential(self.lang, report.programme.referential.id)
        self.competencies = {c.id: c.name for c in ref.competencies}

    def title(self, table: Table) -> str:
        return self.w[table.name if table.name != "planned" else "planned_t"]

    def row(self, table: Table, key: str) -> str:
        if key == T:
            return self.w["T"]
        if table.name == "objectives":
            return self.w["area_none"] if key == NONE else AREAS[self.lang][key]
        if table.name == "competencies":
            return self.competencies.get(key, key)
        if key == OTHER:
            return self.w["other"]
        return self.report.programme.site_name(key)

    def col(self, table: Table, key: str) -> str:
        if key == T:
            return self.w["Tcol"]
        if key.startswith("p") and key[1:].isdigit():
            return self.report.programme.periods.label(int(key[1:]))
        if table.name == "objectives":
            return STATUSES[self.lang][key]
        return self.w.get(key, key)


def value_text(values: list[int] | None) -> str:
    if values is None:
        return DASH
    if len(values) == 2:
        return f"{values[0]} ({values[1]})"
    return str(values[0])


def grid(report: Report, table: Table, labels: Labels) -> tuple[list[str], list[list[str]]]:
    """A table as its header and rows of text."""
    rows = [*table.rows, T] if table.col_totals else list(table.rows)
    cols = [*table.cols, T] if table.row_totals else list(table.cols)
    header = [""] + [labels.col(table, c) for c in cols]
    if not rows and not cols:
        return [labels.w["T"]], [[labels.w["T"], value_text(report.figure(table, (T, T)))]]
    body = []
    for r in rows:
        line = [labels.row(table, r)]
        line += [value_text(report.figure(table, (r, c))) for c in cols]
        body.append(line)
    return header, body


def notes(report: Report, lang: str) -> list[str]:
    w = WORDS[lang if lang in WORDS else "en"]
    k = report.programme.min_group
    out = [w["suppressed"].format(n=report.decision.count, k=k)]
    if report.decision.known:
        out.append(w["known"].format(n=report.decision.known))
    if report.decision.withheld:
        labels = Labels(report, lang)
        titles = [labels.title(t) for t in report.tables if t.name in report.decision.withheld]
        out.append(w["withheld"].format(tables="; ".join(titles)))
    if report.has_other:
        names = ", ".join(report.programme.site_name(s) for s in report.merged_sites) or DASH
        out.append(w["merged"].format(sites=names))
    out.append(w["policy"])
    return out


def bars(report: Report, table: Table, labels: Labels) -> list[tuple[str, float, str]]:
    """What a table's chart draws: (label, length, text), from shown figures only."""
    out: list[tuple[str, float, str]] = []
    if table.name in ("kickoff", "handovers", "closing", "cadence", "status", "competencies"):
        yes = {"status": "closed", "competencies": "up"}.get(table.name, "yes")
        rows = [*table.rows, T] if table.col_totals else list(table.rows)
        for r in rows:
            part = report.figure(table, (r, yes))
            whole = report.figure(table, (r, T))
            if part is not None and whole is not None and whole[0]:
                share = part[0] / whole[0]
                out.append((labels.row(table, r), share, f"{share:.0%}"))
    elif table.name in ("started", "sessions") and table.col_totals:
        for c in table.cols:
            v = report.figure(table, (T, c))
            if v is not None:
                out.append((labels.col(table, c), float(v[0]), str(v[0])))
    elif table.row_totals:
        for r in table.rows:
            v = report.figure(table, (r, T))
            if v is not None:
                out.append((labels.row(table, r), float(v[0]), str(v[0])))
    return out


def svg(items: list[tuple[str, float, str]], percent: bool) -> str:
    if not items:
        return ""
    top = 1.0 if percent else max((v for _, v, _ in items), default=1.0) or 1.0
    bar_h, gap, label_w, width = 16, 6, 220, 640
    height = len(items) * (bar_h + gap) + gap
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img">'
    ]
    for i, (label, value, text) in enumerate(items):
        y = gap + i * (bar_h + gap)
        length = (width - label_w - 60) * value / top
        parts.append(
            f'<text x="{label_w - 6}" y="{y + 12}" text-anchor="end" font-size="11">'
            f"{html.escape(label[:40])}</text>"
            f'<rect x="{label_w}" y="{y}" width="{length:.1f}" height="{bar_h}" fill="#4a6fa5"/>'
            f'<text x="{label_w + length + 4:.1f}" y="{y + 12}" font-size="11">'
            f"{html.escape(text)}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


CSS = """
body { font-family: system-ui, sans-serif; margin: 2em; color: #111; }
table { border-collapse: collapse; margin: 0.5em 0 1em; font-size: 0.85em; }
th, td { border: 1px solid #999; padding: 0.2em 0.5em; text-align: right; }
th:first-child, td:first-child { text-align: left; }
section { break-inside: avoid; page-break-inside: avoid; }
.note { font-size: 0.9em; }
@page { size: A4; margin: 15mm; }
@media print { body { margin: 0; } svg { max-width: 100%; } }
"""
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; base-uri 'none'"


def to_html(report: Report, lang: str) -> str:
    labels = Labels(report, lang)
    w = labels.w
    e = html.escape
    k = report.programme.min_group
    body = [
        f"<h1>{e(w['title'])} — {e(report.programme.name)}</h1>",
        f"<p>{e(w['made'].format(date=report.made_on.isoformat(), feeds=report.feeds, k=k))}</p>",
        f'<p class="note"><strong>{e(w["pseudo"].format(k=k))}</strong></p>',
    ]
    for table in report.tables:
        header, rows = grid(report, table, labels)
        body.append(f"<section><h2>{e(labels.title(table))}</h2>")
        if table.name != "withdrawn":
            body.append("<table><thead><tr>")
            body.append("".join(f"<th>{e(h)}</th>" for h in header))
            body.append("</tr></thead><tbody>")
            for line in rows:
                cells = [f"<th>{e(line[0])}</th>"] + [f"<td>{e(c)}</td>" for c in line[1:]]
                body.append("<tr>" + "".join(cells) + "</tr>")
            body.append("</tbody></table>")
        else:
            body.append(f"<p>{e(rows[0][1])}</p>")
        items = bars(report, table, labels)
        if items:
            percent = table.name in (
                "kickoff",
                "handovers",
                "closing",
                "cadence",
                "status",
                "competencies",
            )
            body.append(f'<figure aria-label="{e(w["chart"])}">{svg(items, percent)}</figure>')
        body.append("</section>")
    body.append(f"<section><h2>{e(w['about'])}</h2>")
    body += [f'<p class="note">{e(n)}</p>' for n in notes(report, lang)]
    body.append("</section>")
    title = f"{w['title']} — {report.programme.name}"
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{e(labels.lang)}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
        f"<title>{e(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
        + "\n".join(body)
        + "\n</body>\n</html>\n"
    )


def md_text(text: str) -> str:
    """A label as Markdown text, on one line: what could make a link, emphasis,
    code, raw HTML or a table cell is escaped, and so is a first character that
    could start a heading, a list or a quote."""
    out = []
    for ch in " ".join(text.split()):
        out.append("\\" + ch if ch in "\\`*_{}[]<>|~!" else ch)
    line = "".join(out)
    if line[:1] in ("#", "-", "+", "=", ">") or (line[:1].isdigit() and "." in line[:10]):
        line = "\\" + line if not line[:1].isdigit() else line.replace(".", "\\.", 1)
    return line


def to_markdown(report: Report, lang: str) -> str:
    labels = Labels(report, lang)
    w = labels.w
    k = report.programme.min_group
    lines = [
        f"# {md_text(w['title'])} — {md_text(report.programme.name)}",
        "",
        md_text(w["made"].format(date=report.made_on.isoformat(), feeds=report.feeds, k=k)),
        "",
        f"**{md_text(w['pseudo'].format(k=k))}**",
        "",
    ]
    for table in report.tables:
        header, rows = grid(report, table, labels)
        lines += [f"## {md_text(labels.title(table))}", ""]
        if table.name == "withdrawn":
            lines += [md_text(rows[0][1]), ""]
            continue
        lines.append("| " + " | ".join(md_text(h) for h in header) + " |")
        lines.append("|" + "|".join(["---"] + ["---:"] * (len(header) - 1)) + "|")
        for line in rows:
            lines.append("| " + " | ".join(md_text(c) for c in line) + " |")
        lines.append("")
    lines += [f"## {md_text(w['about'])}", ""]
    for n in notes(report, lang):
        lines += [md_text(n), ""]
    return "\n".join(lines)


def to_json(report: Report, lang: str) -> str:
    labels = Labels(report, lang)
    tables: list[dict[str, Any]] = []
    for table in report.tables:
        tables.append(
            {
                "name": table.name,
                "title": labels.title(table),
                "measures": list(table.measures),
                "rows": [{"key": r, "label": labels.row(table, r)} for r in table.rows],
                "columns": [{"key": c, "label": labels.col(table, c)} for c in table.cols],
                "cells": [
                    {"row": r, "column": c, "values": report.figure(table, (r, c))}
                    for r, c in table.positions()
                ],
            }
        )
    doc = {
        "format": REPORT_FORMAT,
        "version": REPORT_VERSION,
        "lang": labels.lang,
        "programme": {"id": report.programme.id, "name": report.programme.name},
        "report": report.id,
        "made_on": report.made_on.isoformat(),
        "min_group": report.programme.min_group,
        "suppressed": report.decision.count,
        "tables": tables,
        "notes": notes(report, lang),
    }
    return json.dumps(doc, ensure_ascii=False, indent=1) + "\n"


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(text: str) -> str:
    """A cell a spreadsheet reads as text, never as a formula."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def to_csv(report: Report, lang: str) -> str:
    labels = Labels(report, lang)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["table", "row", "column", "measure", "value"])
    for table in report.tables:
        for r, c in table.positions():
            values = report.figure(table, (r, c))
            for i, measure in enumerate(table.measures):
                writer.writerow(
                    [
                        csv_cell(labels.title(table)),
                        csv_cell(labels.row(table, r)),
                        csv_cell(labels.col(table, c)),
                        measure,
                        DASH if values is None else str(values[i]),
                    ]
                )
    for n in notes(report, lang):
        writer.writerow([csv_cell(n), "", "", "", ""])
    return out.getvalue()


RENDERERS: dict[str, Callable[[Report, str], str]] = {
    "html": to_html,
    "md": to_markdown,
    "json": to_json,
    "csv": to_csv,
}


def render(report: Report, fmt: str, lang: str) -> str:
    if fmt not in RENDERERS:
        raise ValueError(f"unknown format {fmt!r}: choose one of {', '.join(FORMATS)}")
    return RENDERERS[fmt](report, lang)
