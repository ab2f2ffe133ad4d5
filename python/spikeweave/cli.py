"""Command line of the package (also behind `spikeweave report`):

    python3 -m spikeweave report FILE.h5 [-o report.html]   the HTML report
    python3 -m spikeweave summary FILE.h5                  counts, as `spikeweave inspect`
    python3 -m spikeweave plot KIND FILE.h5 -o fig.png     one figure (KIND: see --help)
"""
import argparse
import sys

from .errors import SpikeWeaveFileError
from .plot_command import PLOT_KINDS, plot_command
from .summary import summary_lines


def build_parser():
    parser = argparse.ArgumentParser(
        prog="spikeweave", description="Read, analyse and plot SpikeWeave files.")
    sub = parser.add_subparsers(dest="command", required=True)
    report = sub.add_parser("report", help="write one self-contained HTML report of a file")
    report.add_argument("file", help="a run, rate or spiking dataset file (.h5)")
    report.add_argument("-o", "--output", help="HTML file to write (default: FILE with .html)")
    report.add_argument("--max-neurons", type=int, default=200,
                        help="neurons per population in the raster (default 200)")
    report.add_argument("--synapse", type=int, default=-1,
                        help="column of the sampled synapse shown in the synapse view "
                        "(default: the one whose weight changed most)")
    summary = sub.add_parser("summary", help="print the counts of a file")
    summary.add_argument("file")
    plot = sub.add_parser("plot", help="draw one figure into a PNG/SVG/PDF file")
    plot.add_argument("kind", choices=sorted(PLOT_KINDS))
    plot.add_argument("file")
    plot.add_argument("-o", "--output", required=True, help="figure file (.png, .svg, .pdf)")
    plot.add_argument("--population", help="population (default: every / the first one)")
    plot.add_argument("--projection", help="projection (default: the first recorded)")
    plot.add_argument("--synapse", type=int, default=-1, help="synapse column (synapse view)")
    plot.add_argument("--network", type=int, default=0, help="network of a dataset")
    plot.add_argument("--max-neurons", type=int, default=200, help="raster neurons per population")
    plot.add_argument("--bin-ms", type=float, default=5.0, help="bin of rates in time [ms]")
    return parser


def run_report_command(args):
    from .report import ReportOptions, write_report
    options = ReportOptions(max_raster_neurons=args.max_neurons, synapse=args.synapse)
    output = write_report(args.file, args.output, options)
    print(f"spikeweave: report written to {output}")


def main(argv):
    args = build_parser().parse_args(argv)
    try:
        if args.command == "report":
            run_report_command(args)
        elif args.command == "summary":
            print("\n".join(summary_lines(args.file)))
        else:
            print(f"spikeweave: figure written to {plot_command(args)}")
    except (SpikeWeaveFileError, IndexError) as error:
        print(f"spikeweave: error: {error}", file=sys.stderr)
        return 1
    return 0
