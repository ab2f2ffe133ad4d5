# Installation of the executable (the library package config follows once the API settles).
install(TARGETS spikeweave RUNTIME DESTINATION bin)
