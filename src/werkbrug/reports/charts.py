"""SVG charts drawn from a section's (already suppressed) values, so a chart can never show more
than its table: a suppressed value gets no bar or point, only its mark ("<5" or "\u00d7")."""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from werkbrug.reports.framework import Section, Suppressed

PALETTE = ("#1d6fa5", "#e07b00", "#3c8d2f", "#8e44ad")
WIDTH = 640


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _legend(section: Section, columns: tuple[str, ...], y: int) -> list[str]:
    parts = []
    x = 8
    for i, key in enumerate(columns):
        label = escape(str(section.column(key).label))
        parts.append(f'<rect x="{x}" y="{y - 9}" width="10" height="10" fill="{PALETTE[i % len(PALETTE)]}"/>')
        parts.append(f'<text x="{x + 14}" y="{y}" font-size="11">{label}</text>')
        x += 24 + 7 * len(str(section.column(key).label))
    return parts


def bar_chart(section: Section) -> SafeString:
    """Horizontal bars, one group per row, one bar per charted column."""
    if section.chart is None:
        raise ValueError("section has no chart")
    columns = section.chart.columns
    rows = section.rows
    label_width, bar_height, gap = 200, 14, 8
    group = bar_height * len(columns) + gap
    height = 30 + group * len(rows) + 10
    values = [_number(row.values.get(c)) for row in rows for c in columns]
    top = max([v for v in values if v is not None] + [1.0])
    scale = (WIDTH - label_width - 60) / top
    title = escape(str(section.chart.title or section.title))
    parts = [
        f'<svg class="report-chart" viewBox="0 0 {WIDTH} {height}" width="100%" role="img" '
        f'xmlns="http://www.w3.org/2000/svg" font-family="DejaVu Sans, sans-serif">',
        f"<title>{title}</title>",
        *_legend(section, columns, 16),
    ]
    for r, row in enumerate(rows):
        y0 = 30 + r * group
        parts.append(
            f'<text x="{label_width - 6}" y="{y0 + bar_height - 3}" font-size="11" text-anchor="end">'
            f"{escape(row.label[:32])}</text>"
        )
        for c, key in enumerate(columns):
            y = y0 + c * bar_height
            raw = row.values.get(key)
            value = _number(raw)
            if isinstance(raw, Suppressed):
                parts.append(
                    f'<text x="{label_width + 4}" y="{y + bar_height - 3}" font-size="11">{escape(str(raw))}</text>'
                )
            elif value is not None:
                w = max(value * scale, 0.5 if value else 0)
                parts.append(
                    f'<rect x="{label_width}" y="{y + 1}" width="{w:.1f}" height="{bar_height - 2}" '
                    f'fill="{PALETTE[c % len(PALETTE)]}"/>'
                )
                text = f"{value:g}"
                parts.append(
                    f'<text x="{label_width + w + 4:.1f}" y="{y + bar_height - 3}" font-size="11">{text}</text>'
                )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped


def line_chart(section: Section) -> SafeString:
    """One point per row (e.g. per month), one line per charted column; a suppressed point breaks
    the line and is marked "<5" under the axis."""
    if section.chart is None:
        raise ValueError("section has no chart")
    columns = section.chart.columns
    rows = section.rows
    height, left, right, top_pad, bottom = 240, 44, 16, 30, 44
    plot_w, plot_h = WIDTH - left - right, height - top_pad - bottom
    values = [_number(row.values.get(c)) for row in rows for c in columns]
    top = max([v for v in values if v is not None] + [1.0])
    step = plot_w / max(len(rows) - 1, 1)
    title = escape(str(section.chart.title or section.title))
    base_y = top_pad + plot_h
    parts = [
        f'<svg class="report-chart" viewBox="0 0 {WIDTH} {height}" width="100%" role="img" '
        f'xmlns="http://www.w3.org/2000/svg" font-family="DejaVu Sans, sans-serif">',
        f"<title>{title}</title>",
        *_legend(section, columns, 16),
        f'<line x1="{left}" y1="{base_y}" x2="{WIDTH - right}" y2="{base_y}" stroke="#888"/>',
        f'<text x="{left - 6}" y="{top_pad + 4}" font-size="10" text-anchor="end">{top:g}</text>',
        f'<text x="{left - 6}" y="{base_y}" font-size="10" text-anchor="end">0</text>',
    ]
    for r, row in enumerate(rows):
        x = left + r * step
        parts.append(
            f'<text x="{x:.1f}" y="{base_y + 14}" font-size="9" text-anchor="middle">{escape(row.label)}</text>'
        )
    for c, key in enumerate(columns):
        colour = PALETTE[c % len(PALETTE)]
        run: list[str] = []
        for r, row in enumerate(rows):
            x = left + r * step
            raw = row.values.get(key)
            value = _number(raw)
            if value is None:
                if len(run) > 1:
                    parts.append(
                        f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="{" ".join(run)}"/>'
                    )
                run = []
                if isinstance(raw, Suppressed):
                    parts.append(
                        f'<text x="{x:.1f}" y="{base_y + 28 + 10 * c}" font-size="9" fill="{colour}" '
                        f'text-anchor="middle">{escape(str(raw))}</text>'
                    )
                continue
            y = base_y - value / top * plot_h
            run.append(f"{x:.1f},{y:.1f}")
            parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.5" fill="{colour}"/>')
        if len(run) > 1:
            parts.append(
                f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="{" ".join(run)}"/>'
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped


def render_chart(section: Section) -> SafeString | None:
    if section.chart is None or not section.rows:
        return None
    return line_chart(section) if section.chart.kind == "line" else bar_chart(section)
