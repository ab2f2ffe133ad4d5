# Installation of the executable (the library package config follows once the API settles).
install(TARGETS spikeweave RUNTIME DESTINATION bin)
# The Python package (readers, plots, `spikeweave report`): PYTHONPATH=<prefix>/share/spikeweave/python.
install(DIRECTORY ${PROJECT_SOURCE_DIR}/python/spikeweave DESTINATION share/spikeweave/python
        PATTERN __pycache__ EXCLUDE)
# The energy-per-operation table of the energy estimate (README "Energy estimates").
install(FILES ${PROJECT_SOURCE_DIR}/examples/energy_per_operation.toml DESTINATION share/spikeweave)
