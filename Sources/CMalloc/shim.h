#ifndef CMALLOC_SHIM_H
#define CMALLOC_SHIM_H

/* glibc's allocator settings from <malloc.h>, which Swift's Glibc module does not import. */

#include <stdlib.h> /* Defines __GLIBC__ on glibc systems. */
#if defined(__GLIBC__)
#include <malloc.h>
#endif

/* Makes every thread allocate from glibc's main arena, so that memory one thread frees can be
   reused by the others. Without it, glibc gives a second thread an arena of its own, and memory
   freed there stays in the process after that thread is done. Returns 1 on success, and 0 on a
   C library other than glibc, where it does nothing. */
static inline int slsx_use_one_malloc_arena(void) {
#if defined(__GLIBC__)
  return mallopt(M_ARENA_MAX, 1);
#else
  return 0;
#endif
}

#endif
