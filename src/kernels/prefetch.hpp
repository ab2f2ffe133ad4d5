#pragma once
// A prefetch of the cache line holding an address, for host loops that ask for data ahead.
#include <Kokkos_Macros.hpp>

namespace spikeweave::kernels {

// GCC deletes a loop whose only effect is __builtin_prefetch (it counts as no side effect, and
// C++ loops are taken to terminate): the slot prefetches of a fused HostDeliver and the target
// prefetches of prefetch_targets were compiled away. On x86 the prefetch is a volatile asm
// statement, which is kept. Nothing on a GPU.
KOKKOS_INLINE_FUNCTION void prefetch_line(const void* address) {
#if !defined(__CUDA_ARCH__) && !defined(__HIP_DEVICE_COMPILE__) && defined(__x86_64__) && \
    defined(__GNUC__)
  asm volatile("prefetcht0 %0" : : "m"(*static_cast<const char*>(address)));
#elif !defined(__CUDA_ARCH__) && !defined(__HIP_DEVICE_COMPILE__) && defined(__GNUC__)
  __builtin_prefetch(address);
#else
  (void)address;
#endif
}

}  // namespace spikeweave::kernels
