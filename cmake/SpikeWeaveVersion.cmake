# Records the version and the git commit the build came from; provenance and benchmark records quote
# both. The header is refreshed at every build, not only at configure time: a binary rebuilt after
# a commit must not report the commit it was configured at.
set(_sw_version_args -DSOURCE_DIR=${CMAKE_CURRENT_SOURCE_DIR}
    -DTEMPLATE=${CMAKE_CURRENT_SOURCE_DIR}/src/core/version.hpp.in
    -DOUTPUT=${CMAKE_CURRENT_BINARY_DIR}/generated/core/version.hpp -DPROJECT_VERSION=${PROJECT_VERSION}
    -P ${CMAKE_CURRENT_LIST_DIR}/write_version.cmake)
execute_process(COMMAND ${CMAKE_COMMAND} ${_sw_version_args})  # present before the first build
add_custom_target(spikeweave_version COMMAND ${CMAKE_COMMAND} ${_sw_version_args}
                  BYPRODUCTS ${CMAKE_CURRENT_BINARY_DIR}/generated/core/version.hpp VERBATIM)
