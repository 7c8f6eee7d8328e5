#ifndef CTCMALLOC_SHIM_H
#define CTCMALLOC_SHIM_H

/* gperftools' tcmalloc, linked into the executable so that its malloc and free replace glibc's.
   Importing this module is what links the library; `tc_version` lets a test see that it did. */
#include <gperftools/tcmalloc.h>

#endif
