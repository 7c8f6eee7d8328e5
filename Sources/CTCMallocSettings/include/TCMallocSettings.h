#ifndef CTCMALLOCSETTINGS_H
#define CTCMALLOCSETTINGS_H

/* The settings slsx gives tcmalloc (see TCMallocSettings.c). */

/* The batch that tcmalloc uses when no TCMALLOC_TRANSFER_NUM_OBJ is set in the environment. */
extern const char *const slsx_tcmalloc_transfer_objects;

/* Returns whether tcmalloc read its transfer setting through this module's lookup. It is 0 when
   the executable was linked so that the library keeps its own lookup, and then slsx runs with
   tcmalloc's defaults. */
int slsx_tcmalloc_settings_applied(void);

#endif
