# spikeweave_add_test(NAME SOURCES ... [RANKS 1 2 4] [LABELS ...] [TIMEOUT s] [LIBS ...])
# Builds one GoogleTest executable and registers it once per rank count as <NAME>.<n>ranks
# (under mpiexec --oversubscribe for every count, so MPI is really used even for 1 rank),
# or as <NAME> when RANKS is not given.
find_package(GTest REQUIRED)
set(SPIKEWEAVE_MPIEXEC_FLAGS --oversubscribe --bind-to none)
execute_process(COMMAND id -u OUTPUT_VARIABLE _sw_uid OUTPUT_STRIP_TRAILING_WHITESPACE)
if(_sw_uid STREQUAL "0")
  list(APPEND SPIKEWEAVE_MPIEXEC_FLAGS --allow-run-as-root)
endif()

function(spikeweave_add_test NAME)
  cmake_parse_arguments(ARG "" "TIMEOUT" "SOURCES;RANKS;LABELS;LIBS" ${ARGN})
  if(NOT ARG_TIMEOUT)
    set(ARG_TIMEOUT 300)
  endif()
  add_executable(${NAME} ${ARG_SOURCES})
  target_link_libraries(${NAME} PRIVATE spikeweave_test_main ${ARG_LIBS} spikeweave_flags)
  if(ARG_RANKS)
    foreach(n IN LISTS ARG_RANKS)
      add_test(NAME ${NAME}.${n}ranks
               COMMAND ${MPIEXEC_EXECUTABLE} ${MPIEXEC_NUMPROC_FLAG} ${n} ${SPIKEWEAVE_MPIEXEC_FLAGS}
                       ${MPIEXEC_PREFLAGS} $<TARGET_FILE:${NAME}> ${MPIEXEC_POSTFLAGS})
      set_tests_properties(${NAME}.${n}ranks PROPERTIES TIMEOUT ${ARG_TIMEOUT} LABELS "${ARG_LABELS};mpi"
                           PROCESSORS ${n} ENVIRONMENT "OMPI_MCA_rmaps_base_oversubscribe=1")
    endforeach()
  else()
    add_test(NAME ${NAME} COMMAND ${NAME})
    set_tests_properties(${NAME} PROPERTIES TIMEOUT ${ARG_TIMEOUT} LABELS "${ARG_LABELS}")
  endif()
endfunction()
