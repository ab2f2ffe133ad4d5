"""`python3 -m spikeweave COMMAND ...`: see spikeweave/cli.py (or --help)."""
import sys

from .dependencies import check_dependencies
from .errors import MissingDependencyError


def main():
    try:
        check_dependencies()
    except MissingDependencyError as error:
        print(f"spikeweave: error: {error}", file=sys.stderr)
        return 1
    from .cli import main as cli_main
    return cli_main(sys.argv[1:])


if __name__ == "__main__":
    sys.exit(main())
