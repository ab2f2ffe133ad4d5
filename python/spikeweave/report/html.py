"""The HTML page: one self-contained file, figures inline (SVG elements or base64 PNG), no
script, no external stylesheet or font, so that it opens offline and can be mailed around."""
import base64
import datetime
import html

CSS = """
body { font-family: "DejaVu Sans", Helvetica, Arial, sans-serif; margin: 0 auto; max-width: 1000px;
       padding: 16px 24px 48px; color: #222; background: #fff; }
h1 { font-size: 22px; margin-bottom: 4px; }
h2 { font-size: 18px; border-bottom: 1px solid #ccc; padding-bottom: 3px; margin-top: 32px; }
h3 { font-size: 15px; margin-bottom: 6px; }
table { border-collapse: collapse; margin: 8px 0; font-size: 13px; }
th, td { border: 1px solid #ddd; padding: 3px 8px; text-align: right; }
th { background: #f4f4f4; }
td.name, th.name { text-align: left; }
.note { background: #fff6e0; border-left: 4px solid #e69f00; padding: 6px 10px; margin: 8px 0;
        font-size: 13px; }
.meta { color: #555; font-size: 13px; }
figure { margin: 10px 0; }
figcaption { font-size: 12px; color: #444; margin-top: 2px; }
img { max-width: 100%; }
pre { background: #f6f6f6; padding: 8px; overflow-x: auto; font-size: 12px; }
details summary { cursor: pointer; font-size: 13px; }
.row { display: flex; flex-wrap: wrap; gap: 0 28px; align-items: flex-start; }
svg text { font-family: "DejaVu Sans", Helvetica, Arial, sans-serif; }
"""


def esc(text):
    return html.escape(str(text), quote=True)


def page(title, body_parts, subtitle=""):
    """The whole document."""
    generated = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    return "\n".join([
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{esc(title)}</title>",
        f"<style>{CSS}</style></head><body>",
        f"<h1>{esc(title)}</h1>",
        f'<p class="meta">{esc(subtitle)} Report generated {generated} by '
        "<code>spikeweave report</code>.</p>",
        *body_parts,
        "</body></html>",
    ])


def section(title, parts, level=2, anchor=None):
    anchor_attr = f' id="{esc(anchor)}"' if anchor else ""
    return "\n".join([f"<h{level}{anchor_attr}>{esc(title)}</h{level}>", *parts])


def note(text, kind="note"):
    """A highlighted remark (what is missing, what was down-sampled)."""
    return f'<p class="note" data-note="{esc(kind)}">{esc(text)}</p>'


def paragraph(text):
    return f"<p>{esc(text)}</p>"


def table(header, rows, name_columns=1):
    """A table; the first `name_columns` columns are left-aligned text."""
    def cell(tag, i, value):
        cls = ' class="name"' if i < name_columns else ""
        return f"<{tag}{cls}>{esc(value)}</{tag}>"
    head = "".join(cell("th", i, h) for i, h in enumerate(header))
    body = "".join("<tr>" + "".join(cell("td", i, v) for i, v in enumerate(row)) + "</tr>"
                   for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def png_figure(png, caption, alt, data=None):
    """A PNG figure inline as a base64 data URI; `data` becomes data-* attributes that say what
    the figure shows (tests compare them with the file)."""
    encoded = base64.b64encode(png).decode("ascii")
    return (f"<figure{data_attributes(data)}><img alt=\"{esc(alt)}\" "
            f'src="data:image/png;base64,{encoded}">'
            f"<figcaption>{esc(caption)}</figcaption></figure>")


def svg_figure(svg, caption, data=None):
    return f"<figure{data_attributes(data)}>{svg}<figcaption>{esc(caption)}</figcaption></figure>"


def row(*columns):
    """Blocks side by side (wrapping on narrow screens); each column is a list of HTML parts."""
    return '<div class="row">' + "".join(f"<div>{''.join(c)}</div>" for c in columns) + "</div>"


def collapsible(summary, text):
    return f"<details><summary>{esc(summary)}</summary><pre>{esc(text)}</pre></details>"


def data_attributes(data):
    if not data:
        return ""
    return "".join(f' data-{esc(k)}="{esc(v)}"' for k, v in data.items())


def fmt(value, digits=4):
    """Numbers for tables: integers with thousands separators, floats with `digits` significant
    digits."""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:.{digits}g}"
    return str(value)
