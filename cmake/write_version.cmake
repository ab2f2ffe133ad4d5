# Script mode (cmake -P), run at every build by the spikeweave_version target: writes
# generated/core/version.hpp with the version and the commit the sources are at now. configure_file
# leaves the header untouched when nothing changed, so only a new commit (or a change of the dirty
# flag) recompiles the few files that include it.
#   -DSOURCE_DIR=... -DTEMPLATE=.../version.hpp.in -DOUTPUT=.../version.hpp -DPROJECT_VERSION=x.y.z
execute_process(COMMAND git rev-parse --short=12 HEAD WORKING_DIRECTORY ${SOURCE_DIR}
                OUTPUT_VARIABLE SPIKEWEAVE_GIT_COMMIT OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
if(NOT SPIKEWEAVE_GIT_COMMIT)
  set(SPIKEWEAVE_GIT_COMMIT "unknown")
endif()
execute_process(COMMAND git status --porcelain --untracked-files=no WORKING_DIRECTORY ${SOURCE_DIR}
                OUTPUT_VARIABLE _sw_dirty OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
if(_sw_dirty)
  set(SPIKEWEAVE_GIT_COMMIT "${SPIKEWEAVE_GIT_COMMIT}-dirty")
endif()
configure_file(${TEMPLATE} ${OUTPUT} @ONLY)
