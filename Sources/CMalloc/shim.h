#ifndef CMALLOC_SHIM_H
#define CMALLOC_SHIM_H

/* glibc's allocator settings from <malloc.h>, which Swift's Glibc module does not import. */

#include <stdlib.h> /* Defines __GLIBC__ on glibc systems. */
#if defined(__GLIBC__)
#include <malloc.h>
#endif

/* Limits glibc to `count` malloc arenas. The main thread allocates from the main arena and the
   other threads share the rest, so memory that a finished thread freed is reused by the next
   thread instead of staying in an arena of its own. Returns 1 on success, and 0 on a C library
   other than glibc, where it does nothing. */
static inline int slsx_limit_malloc_arenas(int count) {
#if defined(__GLIBC__)
  return mallopt(M_ARENA_MAX, count);
#else
  (void)count;
  return 0;
#endif
}

#endif
