"""Checks that the modules the package needs are importable, naming the Debian package of any
that is missing (the package is meant for Debian's /usr/bin/python3)."""
import importlib

from .errors import MissingDependencyError

REQUIRED = (("numpy", "python3-numpy"), ("h5py", "python3-h5py"),
            ("matplotlib", "python3-matplotlib"))


def check_dependencies():
    """Raises MissingDependencyError listing every missing module and its Debian package."""
    missing = []
    for module, package in REQUIRED:
        try:
            importlib.import_module(module)
        except ImportError as error:
            missing.append(f"{module} ({error}); install it with: apt-get install {package}")
    if missing:
        raise MissingDependencyError(
            "the Python module(s) needed by spikeweave are missing: " + "; ".join(missing) +
            ". Run ./scripts/setup.sh, and use Debian's /usr/bin/python3.")
