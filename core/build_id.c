/* build_id.c — the GNU build ID of a shared object; see build_id.h. */
#define _GNU_SOURCE /* ElfW */
#include "build_id.h"

#include <elf.h>
#include <link.h>
#include <string.h>
#include <unistd.h>

/* Bounds on what a plugin's headers may claim, so a hostile file cannot make
 * us read much: real objects have a dozen program headers and notes of a
 * few hundred bytes. */
#define MAX_PROGRAM_HEADERS 64
#define MAX_NOTE_BYTES 4096
#define MAX_ID_BYTES ((OCT_BUILD_ID_HEX_MAX - 1) / 2)

static int read_at(int fd, void *buf, size_t len, off_t at)
{
    size_t done = 0;
    while (done < len) {
        ssize_t n = pread(fd, (char *)buf + done, len - done, at + (off_t)done);
        if (n <= 0) return 0;
        done += (size_t)n;
    }
    return 1;
}

/* The notes of one PT_NOTE segment, looking for NT_GNU_BUILD_ID from "GNU". */
static int id_in_notes(const unsigned char *notes, size_t len, char *hex)
{
    size_t at = 0;
    while (len - at >= sizeof(ElfW(Nhdr))) {
        ElfW(Nhdr) h;
        memcpy(&h, notes + at, sizeof h);
        at += sizeof h;
        /* name and descriptor are each padded to four bytes */
        size_t name_len = ((size_t)h.n_namesz + 3) & ~(size_t)3;
        size_t desc_len = ((size_t)h.n_descsz + 3) & ~(size_t)3;
        if (name_len > len - at || desc_len > len - at - name_len) return 0;
        if (h.n_type == NT_GNU_BUILD_ID && h.n_namesz == 4 &&
            memcmp(notes + at, "GNU", 4) == 0 && h.n_descsz > 0 && h.n_descsz <= MAX_ID_BYTES) {
            static const char digits[] = "0123456789abcdef";
            const unsigned char *id = notes + at + name_len;
            for (size_t i = 0; i < h.n_descsz; i++) {
                hex[2 * i] = digits[id[i] >> 4];
                hex[2 * i + 1] = digits[id[i] & 15];
            }
            hex[2 * h.n_descsz] = '\0';
            return 1;
        }
        at += name_len + desc_len;
    }
    return 0;
}

int oct_build_id_read(int fd, char hex[OCT_BUILD_ID_HEX_MAX])
{
    ElfW(Ehdr) eh;
    if (!read_at(fd, &eh, sizeof eh, 0) || memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0) return 0;
    /* the same class and byte order as this library: a plugin must be */
    if (eh.e_ident[EI_CLASS] != (sizeof(void *) == 8 ? ELFCLASS64 : ELFCLASS32)) return 0;
    const unsigned one = 1;
    const int little = *(const unsigned char *)&one == 1;
    if (eh.e_ident[EI_DATA] != (little ? ELFDATA2LSB : ELFDATA2MSB)) return 0;
    if (eh.e_phentsize != sizeof(ElfW(Phdr)) || eh.e_phnum == 0 ||
        eh.e_phnum > MAX_PROGRAM_HEADERS)
        return 0;
    ElfW(Phdr) ph[MAX_PROGRAM_HEADERS];
    if (!read_at(fd, ph, eh.e_phnum * sizeof *ph, (off_t)eh.e_phoff)) return 0;
    for (unsigned i = 0; i < eh.e_phnum; i++) {
        if (ph[i].p_type != PT_NOTE || ph[i].p_filesz == 0 || ph[i].p_filesz > MAX_NOTE_BYTES)
            continue;
        unsigned char notes[MAX_NOTE_BYTES];
        if (!read_at(fd, notes, ph[i].p_filesz, (off_t)ph[i].p_offset)) return 0;
        if (id_in_notes(notes, ph[i].p_filesz, hex)) return 1;
    }
    return 0;
}
