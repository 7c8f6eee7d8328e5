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
   It reads the environment as the library's own lookup does, and returns the batch above when the
   environment sets none, or a value that tcmalloc cannot use. A user's valid
   TCMALLOC_TRANSFER_NUM_OBJ still wins. */

#include "TCMallocSettings.h"

#include <fcntl.h>
#include <string.h>
#include <unistd.h>

const char *const slsx_tcmalloc_transfer_objects = "1024";

static const char transfer_variable[] = "TCMALLOC_TRANSFER_NUM_OBJ";
static int transfer_setting_read = 0;

extern char **environ;

/* Returns the value of `name` in `entries`, a list of NAME=value strings that ends with NULL. */
static const char *entry_value(char **entries, const char *name) {
    size_t length = strlen(name);
    for (char **entry = entries; *entry != NULL; entry++) {
        if (strncmp(*entry, name, length) == 0 && (*entry)[length] == '=') {
            return *entry + length + 1;
        }
    }
    return NULL;
}

/* The start of /proc/self/environ, for a lookup before the C library has set `environ`
   (gperftools' getenv_safe.h: tcmalloc may start that early). It is read with system calls
   only, because malloc is not ready yet, up to 16 KiB as the library's own lookup reads it. */
static char environment[16 * 1024];
static int environment_read = 0;
/* The number of bytes of whole NAME=value entries in `environment`. An entry that the buffer
   cut is left out: a cut value (`512` read as `5`, or as nothing) would be a different setting. */
static size_t environment_used = 0;

static void read_environment(void) {
    environment_read = 1;
    int descriptor = open("/proc/self/environ", O_RDONLY | O_CLOEXEC);
    if (descriptor < 0) return;
    size_t used = 0;
    while (used < sizeof(environment)) {
        ssize_t count = read(descriptor, environment + used, sizeof(environment) - used);
        if (count <= 0) break;
        used += (size_t)count;
    }
    close(descriptor);
    /* Every whole entry ends in NUL, so the whole entries end at the last NUL read. */
    while (used > 0 && environment[used - 1] != '\0') used--;
    environment_used = used;
}

static const char *proc_environment_value(const char *name) {
    if (!environment_read) read_environment();
    size_t length = strlen(name);
    size_t offset = 0;
    while (offset < environment_used) {
        const char *entry = environment + offset;
        size_t entry_length = strlen(entry);
        if (entry_length > length && memcmp(entry, name, length) == 0 && entry[length] == '=') {
            return entry + length + 1;
        }
        offset += entry_length + 1;
    }
    return NULL;
}

/* Returns whether `value` is a whole number from 1 to 1,000,000. tcmalloc reads the batch with
   strtol and divides by it, so an empty or non-numeric value (read as 0) stopped the process with
   SIGFPE before main, and a negative one crashed later. */
static int is_valid_batch(const char *value) {
    if (*value == '\0') return 0;
    long number = 0;
    for (const char *digit = value; *digit != '\0'; digit++) {
        if (*digit < '0' || *digit > '9') return 0;
        number = number * 10 + (*digit - '0');
        if (number > 1000000) return 0;
    }
    return number >= 1;
}

const char *TCMallocGetenvSafe(const char *name) {
    const char *value = environ != NULL ? entry_value(environ, name) : proc_environment_value(name);
    if (strcmp(name, transfer_variable) == 0) {
        transfer_setting_read = 1;
        if (value == NULL || !is_valid_batch(value)) return slsx_tcmalloc_transfer_objects;
    }
    return value;
}

int slsx_tcmalloc_settings_applied(void) {
    return transfer_setting_read;
}
