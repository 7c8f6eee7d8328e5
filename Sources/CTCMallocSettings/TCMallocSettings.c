/* The settings slsx gives tcmalloc.

   tcmalloc moves objects between a thread's cache and the shared free lists in batches, under the
   lock of the shared list. It reads the largest batch from TCMALLOC_TRANSFER_NUM_OBJ when it
   starts, and without it moves at most 32 objects at once, though its own target is 8 KiB per
   batch. slsx allocates millions of objects of 16 to 64 bytes on two threads at once, so batches
   of 32 made both threads take those locks often and wait on each other. With 1024, every size
   class moves the 8 KiB target at once (docs/benchmarks.md has what that bought).

   tcmalloc reads each setting before main runs, through TCMallocGetenvSafe, a function that the
   library exports and calls through its procedure linkage table. A function of that name in the
   executable takes the library's place, because the dynamic linker looks in the executable first.
   It returns what the library's own returns, from the environment the process started with, and
   the batch above when the environment sets none. A user's TCMALLOC_TRANSFER_NUM_OBJ still wins. */

#include "TCMallocSettings.h"

#include <fcntl.h>
#include <string.h>
#include <unistd.h>

const char *const slsx_tcmalloc_transfer_objects = "1024";

static const char transfer_variable[] = "TCMALLOC_TRANSFER_NUM_OBJ";
static int transfer_setting_read = 0;

/* The start of /proc/self/environ: NAME=value entries, each ending in NUL. tcmalloc may read its
   settings before the C library's getenv works (gperftools' getenv_safe.h), so its lookup reads
   this file, and so does this one: the first 16 KiB, as the library's does, with system calls
   only, because malloc is not ready yet. */
static char environment[16 * 1024];
static int environment_read = 0;

static void read_environment(void) {
    environment_read = 1;
    int descriptor = open("/proc/self/environ", O_RDONLY | O_CLOEXEC);
    if (descriptor < 0) return;
    size_t used = 0;
    /* Two NULs at the end: the last entry's, and one that ends the list, even when the file was cut. */
    while (used < sizeof(environment) - 2) {
        ssize_t count = read(descriptor, environment + used, sizeof(environment) - 2 - used);
        if (count <= 0) break;
        used += (size_t)count;
    }
    close(descriptor);
    environment[used] = '\0';
    environment[used + 1] = '\0';
}

static const char *environment_value(const char *name) {
    if (!environment_read) read_environment();
    size_t length = strlen(name);
    const char *entry = environment;
    const char *end = environment + sizeof(environment);
    while (entry < end && *entry != '\0') {
        size_t entry_length = strnlen(entry, (size_t)(end - entry));
        if (entry_length > length && memcmp(entry, name, length) == 0 && entry[length] == '=') {
            return entry + length + 1;
        }
        entry += entry_length + 1;
    }
    return NULL;
}

const char *TCMallocGetenvSafe(const char *name) {
    const char *value = environment_value(name);
    if (strcmp(name, transfer_variable) == 0) {
        transfer_setting_read = 1;
        if (value == NULL) return slsx_tcmalloc_transfer_objects;
    }
    return value;
}

int slsx_tcmalloc_settings_applied(void) {
    return transfer_setting_read;
}
