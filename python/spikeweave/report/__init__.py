"""`spikeweave report`: one self-contained HTML page per SpikeWeave file (run, rate or spiking
dataset; sweep files get heat maps of every metric over two axes)."""
import os

from ..files import file_kind
from .dataset_page import rate_dataset_report, spiking_dataset_report
from .options import ReportOptions
from .run_page import run_report
from .sweep_page import sweep_report

# One page builder per file kind: a new kind is one more entry.
PAGES = {
    "run": run_report,
    "rate_dataset": rate_dataset_report,
    "spiking_dataset": spiking_dataset_report,
    "sweep": sweep_report,
}


def default_output(path):
    """report.html next to the input: out/brunel.h5 -> out/brunel.html."""
    root, _ = os.path.splitext(os.fspath(path))
    return root + ".html"


def render_report(path, options=None):
    """The report's HTML text. SpikeWeaveFileError for a file that is not a SpikeWeave file."""
    kind = file_kind(path)
    if kind not in PAGES:
        from ..errors import SpikeWeaveFileError
        raise SpikeWeaveFileError(path, f"no report for a {kind} file (reports exist for "
                                  f"{', '.join(PAGES)} files)")
    return PAGES[kind](os.fspath(path), options or ReportOptions())


def write_report(path, output=None, options=None):
    """Writes the report of `path` to `output` (default: next to it, .html) through a temporary
    name, and returns the output path."""
    output = os.fspath(output or default_output(path))
    text = render_report(path, options)
    directory = os.path.dirname(os.path.abspath(output))
    os.makedirs(directory, exist_ok=True)
    temporary = output + ".partial"
    with open(temporary, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(temporary, output)
    return output


__all__ = ["ReportOptions", "render_report", "write_report", "default_output", "PAGES"]
