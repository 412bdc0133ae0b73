/* The library search paths written into the built CLI and plugins.
 *
 * Why a test: CMake builds an installable target with a RUNPATH it can
 * rewrite at install time, and ends it with an empty entry. The dynamic
 * loader reads an empty entry as the working directory, so a program run
 * from the build tree looked for each of its libraries in whatever folder
 * it was started from, before the system's (and would have loaded one left
 * there). core/CMakeLists.txt and cmake/OctavoPlugin.cmake build them with
 * the install RUNPATH instead; this reads the ELF files back to hold that.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Whole files: the CLI and plugins are well under this. */
#define MAX_ELF_BYTES ((size_t)64 << 20)

typedef struct elf_file {
    unsigned char *bytes;
    size_t len;
} elf_file;

static elf_file read_elf(const char *path)
{
    elf_file f = {NULL, 0};
    FILE *fp = fopen(path, "rb");
    if (!fp) fail_msg("cannot open %s", path);
    assert_int_equal(fseek(fp, 0, SEEK_END), 0);
    const long size = ftell(fp);
    assert_true(size > (long)sizeof(Elf64_Ehdr) && (size_t)size < MAX_ELF_BYTES);
    rewind(fp);
    f.bytes = malloc((size_t)size);
    assert_non_null(f.bytes);
    f.len = fread(f.bytes, 1, (size_t)size, fp);
    fclose(fp);
    assert_int_equal(f.len, (size_t)size);
    assert_memory_equal(f.bytes, ELFMAG, SELFMAG);
    assert_int_equal(f.bytes[EI_CLASS], ELFCLASS64);
    return f;
}

static const void *at(const elf_file *f, uint64_t offset, uint64_t size)
{
    assert_true(offset <= f->len && size <= f->len - offset);
    return f->bytes + offset;
}

/* The file offset of the loaded address addr (the string table is named
 * by address in the dynamic section). */
static uint64_t offset_of_address(const elf_file *f, uint64_t addr)
{
    const Elf64_Ehdr *eh = at(f, 0, sizeof *eh);
    for (unsigned i = 0; i < eh->e_phnum; i++) {
        const Elf64_Phdr *ph = at(f, eh->e_phoff + (uint64_t)i * eh->e_phentsize, sizeof *ph);
        if (ph->p_type == PT_LOAD && addr >= ph->p_vaddr && addr < ph->p_vaddr + ph->p_filesz)
            return ph->p_offset + (addr - ph->p_vaddr);
    }
    fail_msg("address %#llx is in no loaded segment", (unsigned long long)addr);
    return 0;
}

/* The file's DT_RUNPATH or DT_RPATH, copied into out ("" when it has none);
 * returns how many it has. */
static int search_path(const char *path, char *out, size_t room)
{
    elf_file f = read_elf(path);
    const Elf64_Ehdr *eh = at(&f, 0, sizeof *eh);
    const Elf64_Dyn *dyn = NULL;
    size_t n_dyn = 0;
    for (unsigned i = 0; i < eh->e_phnum; i++) {
        const Elf64_Phdr *ph = at(&f, eh->e_phoff + (uint64_t)i * eh->e_phentsize, sizeof *ph);
        if (ph->p_type == PT_DYNAMIC) {
            dyn = at(&f, ph->p_offset, ph->p_filesz);
            n_dyn = ph->p_filesz / sizeof *dyn;
        }
    }
    assert_non_null(dyn);
    uint64_t strtab = 0, found = 0, name = 0;
    for (size_t i = 0; i < n_dyn && dyn[i].d_tag != DT_NULL; i++) {
        if (dyn[i].d_tag == DT_STRTAB) strtab = dyn[i].d_un.d_ptr;
        if (dyn[i].d_tag == DT_RUNPATH || dyn[i].d_tag == DT_RPATH) {
            found++;
            name = dyn[i].d_un.d_val;
        }
    }
    out[0] = '\0';
    if (found) {
        assert_true(strtab != 0);
        const char *s = at(&f, offset_of_address(&f, strtab) + name, 1);
        const size_t len = strnlen(s, f.len - (size_t)(s - (const char *)f.bytes));
        assert_true(len < room);
        memcpy(out, s, len + 1);
    }
    free(f.bytes);
    return (int)found;
}

/* An empty entry: at the start, at the end, or between two colons. */
static int has_empty_entry(const char *runpath)
{
    const size_t n = strlen(runpath);
    return n && (runpath[0] == ':' || runpath[n - 1] == ':' || strstr(runpath, "::"));
}

static void test_has_empty_entry_sees_every_place(void **state)
{
    (void)state;
    assert_true(has_empty_entry("/a/lib:"));
    assert_true(has_empty_entry(":/a/lib"));
    assert_true(has_empty_entry("/a/lib::/b/lib"));
    assert_false(has_empty_entry("$ORIGIN/../lib"));
    assert_false(has_empty_entry("/a/lib:/b/lib"));
    assert_false(has_empty_entry(""));
}

static void test_cli_searches_its_lib_folder_only(void **state)
{
    (void)state;
    const char *cli = getenv("OCTAVO_CLI");
    assert_non_null(cli);
    char runpath[4096];
    assert_int_equal(search_path(cli, runpath, sizeof runpath), 1);
    /* One entry: the library folder (lib, or lib/<multiarch> on a /usr
     * prefix) next to bin/, in the build tree as installed. */
    if (strncmp(runpath, "$ORIGIN/../lib", 14) != 0 || strchr(runpath, ':'))
        fail_msg("the CLI searches \"%s\" for its libraries", runpath);
}

static void test_plugins_search_no_folder(void **state)
{
    (void)state;
    const char *dir = getenv("OCTAVO_TEST_PLUGIN_DIR");
    assert_non_null(dir);
    DIR *d = opendir(dir);
    assert_non_null(d);
    int plugins = 0;
    for (struct dirent *e; (e = readdir(d));) {
        const size_t n = strlen(e->d_name);
        if (n < 4 || strcmp(e->d_name + n - 3, ".so") != 0) continue;
        char path[4096], runpath[4096];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        const int found = search_path(path, runpath, sizeof runpath);
        if (found || has_empty_entry(runpath))
            fail_msg("%s searches \"%s\" for its libraries", e->d_name, runpath);
        plugins++;
    }
    closedir(d);
    assert_true(plugins >= 5); /* text, html, markdown, epub, docx */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_has_empty_entry_sees_every_place),
        cmocka_unit_test(test_cli_searches_its_lib_folder_only),
        cmocka_unit_test(test_plugins_search_no_folder),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
