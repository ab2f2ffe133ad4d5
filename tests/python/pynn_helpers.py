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


def memoize_brian2_state_updaters():
    """Brian2 derives each NeuronGroup's integration code from its equations anew (for linear
    equations by solving them with sympy: 3-5 s each). Groups with the same equations get the
    same code, so it is kept by the equations' text: the same results, less CI time (the
    Vogels-Abbott test builds 8 groups of 2 kinds)."""
    from brian2.stateupdaters.base import StateUpdateMethod
    original = StateUpdateMethod.apply_stateupdater
    cache = {}

    def apply_stateupdater(equations, variables, method, method_options=None, group_name=None):
        key = (str(equations), repr(method), repr(method_options))
        if key not in cache:
            cache[key] = original(equations, variables, method, method_options=method_options,
                                  group_name=group_name)
        result = cache[key]
        if not isinstance(result, str):   # a callable updater (GSL) is bound to its group
            del cache[key]
        return result
    StateUpdateMethod.apply_stateupdater = staticmethod(apply_stateupdater)
