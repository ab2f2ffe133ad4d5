# Records the version and the git commit the build came from; provenance and benchmark records quote both.
execute_process(COMMAND git rev-parse --short=12 HEAD WORKING_DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR}
                OUTPUT_VARIABLE SPIKEWEAVE_GIT_COMMIT OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
if(NOT SPIKEWEAVE_GIT_COMMIT)
  set(SPIKEWEAVE_GIT_COMMIT "unknown")
endif()
execute_process(COMMAND git status --porcelain --untracked-files=no WORKING_DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR}
                OUTPUT_VARIABLE _sw_dirty OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
if(_sw_dirty)
  set(SPIKEWEAVE_GIT_COMMIT "${SPIKEWEAVE_GIT_COMMIT}-dirty")
endif()
configure_file(${CMAKE_CURRENT_SOURCE_DIR}/src/core/version.hpp.in
               ${CMAKE_CURRENT_BINARY_DIR}/generated/core/version.hpp @ONLY)
