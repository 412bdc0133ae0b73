/*
 * build_id.h — the GNU build ID of a shared object, read from its file.
 *
 * The plugin cache (plugin_cache.c) names each plugin by it: the linker
 * computes it from everything it wrote, so a rebuilt plugin gets a new one,
 * while copying, installing, packaging or stripping the file keeps it.
 * Modification times and sizes change under all four.
 */
#ifndef OCTAVO_BUILD_ID_H
#define OCTAVO_BUILD_ID_H

#include <stddef.h>

/* Longest ID written (the linker's default SHA-1 is 20 bytes, some use 16
 * or 32), as hex with its terminating NUL. */
#define OCT_BUILD_ID_HEX_MAX (2 * 64 + 1)

/* Reads the build ID of the ELF file open on fd into hex (lower case, NUL-
 * terminated). Returns 1, or 0 when the file is not an ELF object of this
 * machine's class and byte order, has no build ID, or cannot be read. */
int oct_build_id_read(int fd, char hex[OCT_BUILD_ID_HEX_MAX]);

#endif
