# Installation of the executable (the library package config follows once the API settles).
install(TARGETS spikeweave RUNTIME DESTINATION bin)
# The Python package (readers, plots, `spikeweave report`): PYTHONPATH=<prefix>/share/spikeweave/python.
install(DIRECTORY ${PROJECT_SOURCE_DIR}/python/spikeweave DESTINATION share/spikeweave/python
        PATTERN __pycache__ EXCLUDE)
