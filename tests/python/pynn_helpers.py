"""Shared by the PyNN backend tests: loading the two backends, skipping cleanly without them."""
import sys

SKIP = 77   # ctest SKIP_RETURN_CODE of the pynn tests (tests/python/CMakeLists.txt)


def spikeweave_backend():
    try:
        import spikeweave.pynn as sim
    except ImportError as error:   # python3-pynn missing: nothing to test
        print(f"SKIP: spikeweave.pynn needs python3-pynn: {error}")
        sys.exit(SKIP)
    return sim


def brian2_backend():
    """pyNN.brian2 with Brian2's numpy code generation (no compiler run in the tests)."""
    try:
        import brian2
        import pyNN.brian2 as sim
    except ImportError as error:
        print(f"SKIP: pyNN.brian2 needs python3-brian: {error}")
        sys.exit(SKIP)
    brian2.prefs.codegen.target = "numpy"
    import logging
    logging.getLogger("brian2").setLevel(logging.WARNING)
    return sim
