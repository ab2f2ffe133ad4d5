# One interface target that carries warning, sanitizer and architecture flags to every SpikeWeave target.
add_library(spikeweave_flags INTERFACE)
target_compile_options(spikeweave_flags INTERFACE -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor
                                                  -Wno-unknown-pragmas)
# Position-independent code (CMAKE_POSITION_INDEPENDENT_CODE in CMakeLists.txt) without the
# interposition that would stop calls between the library's own functions from being inlined.
target_compile_options(spikeweave_flags INTERFACE -fno-semantic-interposition)
if(SPIKEWEAVE_WERROR)
  target_compile_options(spikeweave_flags INTERFACE -Werror)
endif()
if(SPIKEWEAVE_SANITIZE)
  target_compile_options(spikeweave_flags INTERFACE -fsanitize=address,undefined -fno-omit-frame-pointer
                                                    -fno-sanitize-recover=undefined)
  target_link_options(spikeweave_flags INTERFACE -fsanitize=address,undefined)
endif()
if(SPIKEWEAVE_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "SPIKEWEAVE_FUZZ needs clang (libFuzzer); configure with the asan-ubsan preset")
  endif()
  # Coverage instrumentation for libFuzzer in every SpikeWeave target; the harnesses link the
  # fuzzer's main with -fsanitize=fuzzer (tests/fuzz).
  target_compile_options(spikeweave_flags INTERFACE -fsanitize=fuzzer-no-link)
endif()
if(SPIKEWEAVE_NATIVE)
  target_compile_options(spikeweave_flags INTERFACE -march=native)
endif()
