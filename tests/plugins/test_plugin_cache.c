/* plugins.cache (core/plugin_cache.h): a directory with an up-to-date cache
 * registers its plugins without opening them, opens each on first use, and
 * any cache that is out of date, damaged or lying is never believed. Whether
 * a plugin is open is asked of the dynamic loader itself (RTLD_NOLOAD). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dlfcn.h>
#include <pthread.h>
#include <string.h>
#include <sys/stat.h>

#include "octavo/octavo_plugin.h"
#include "octest.h"

enum { MAX_LOG = 32 };

typedef struct log_capture {
    char lines[MAX_LOG][1200];
    size_t count;
} log_capture;

static void capture_log(void *userdata, oct_severity sev, const char *where, long line,
                        const char *message)
{
    (void)line;
    (void)sev;
    log_capture *cap = userdata;
    if (cap->count == MAX_LOG) fail_msg("too many log lines");
    snprintf(cap->lines[cap->count++], sizeof cap->lines[0], "%s: %s", where ? where : "",
             message);
}

static oct_registry *new_registry(log_capture *cap)
{
    oct_registry *reg = oct_registry_new();
    assert_non_null(reg);
    oct_registry_set_log(reg, capture_log, cap);
    return reg;
}

/* Whether the dynamic loader has this file open (in this process). */
static int is_open(const char *path)
{
    void *h = dlopen(path, RTLD_NOW | RTLD_NOLOAD);
    if (h) dlclose(h);
    return h != NULL;
}

/* Written beside and renamed over, as installers do: a plugin file that a
 * process has mapped must never be rewritten in place. */
static void copy_file(const char *from, const char *to)
{
    size_t len;
    char *data = octest_read_file(from, &len);
    if (!data) fail_msg("cannot read %s", from);
    char tmp[1100];
    snprintf(tmp, sizeof tmp, "%s.new", to);
    octest_write_file(tmp, data, len);
    chmod(tmp, 0755);
    if (rename(tmp, to) != 0) fail_msg("cannot rename %s", tmp);
    free(data);
}

/* A fresh plugin directory holding a copy of the test plugin octest.so. */
static void make_plugin_dir(char *dir, size_t size, char *plugin, size_t plugin_size)
{
    char from[1024];
    octest_tempdir(dir, size);
    octest_path(from, sizeof from, octest_env("OCTEST_GOOD_PLUGIN_DIR"), "octest.so");
    octest_path(plugin, plugin_size, dir, "octest.so");
    copy_file(from, plugin);
}

static char *read_cache(const char *dir)
{
    char path[1024];
    return octest_read_file(octest_path(path, sizeof path, dir, "plugins.cache"), NULL);
}

static void write_cache(const char *dir, const char *text)
{
    char path[1024];
    octest_write_file(octest_path(path, sizeof path, dir, "plugins.cache"), text, strlen(text));
}

/* Written by the command line in a child process: writing it opens every
 * plugin of the folder, and this process must still be able to tell which
 * plugins a registry opens (accepted plugins are never unmapped). */
static void update_cache(const char *dir)
{
    octest_result r;
    octest_run_cli(&r, NULL, 0, NULL, "--update-plugin-cache", dir, (const char *)NULL);
    if (r.exit_code != 0) fail_msg("--update-plugin-cache %s: %s", dir, r.err);
    assert_int_equal(r.err_len, 0);
    octest_result_free(&r);
}

/* Replaces the first `from` in the text (which must hold it) by `to`. */
static void replace_in(char *text, const char *from, const char *to)
{
    char *at = strstr(text, from);
    if (!at || strlen(from) != strlen(to)) fail_msg("no '%s' to replace", from);
    memcpy(at, to, strlen(to));
}

/* --------------------------------------------------------------- tests */

/* Runs first: the build tree's own plugins come with a current cache (the
 * build writes it), so loading them opens none, and a conversion to
 * Markdown opens the Markdown writer alone. */
static void test_build_tree_cache_is_current(void **state)
{
    (void)state;
    const char *dir = octest_env("OCTAVO_TEST_PLUGIN_DIR");
    char markdown[1024], html[1024];
    octest_path(markdown, sizeof markdown, dir, "markdown.so");
    octest_path(html, sizeof html, dir, "html.so");
    log_capture cap = {0};
    oct_registry *reg = new_registry(&cap);
    assert_true(octest_load_plugins(reg) >= 5);
    assert_int_equal(cap.count, 0);
    assert_false(is_open(markdown));
    assert_false(is_open(html));
    const oct_format *md = oct_registry_find_by_extension(reg, "md", 1);
    assert_non_null(md);
    assert_string_equal(oct_format_name(md), "markdown");
    assert_true(is_open(markdown));
    assert_false(is_open(html));
    oct_registry_free(reg);
}

static void test_cache_opens_only_what_is_asked(void **state)
{
    (void)state;
    char dir[256], plugin[1024];
    make_plugin_dir(dir, sizeof dir, plugin, sizeof plugin);
    update_cache(dir);
    char *text = read_cache(dir);
    assert_non_null(text);
    assert_non_null(strstr(text, "plugin\toctest.so\t"));
    assert_non_null(strstr(text, "format\toctest\trwp\t"));
    assert_non_null(strstr(text, "format\toctest-bin\t-w-\t"));
    free(text);

    log_capture cap = {0};
    oct_registry *reg = new_registry(&cap);
    const size_t base_formats = oct_registry_format_count(reg);
    assert_int_equal(oct_registry_load_dir(reg, dir), 1);
    assert_int_equal(cap.count, 0);
    assert_false(is_open(plugin));
    /* what the cache knows answers without opening the plugin */
    assert_int_equal(oct_registry_format_count(reg), base_formats + 2);
    const char *name = NULL, *version = NULL;
    assert_string_equal(oct_registry_plugin_info(reg, 1, &name, &version), plugin);
    assert_string_equal(name, "octest");
    assert_string_equal(version, "1.2.3");
    assert_null(oct_registry_find_by_extension(reg, "octbin", 0)); /* a writer only */
    assert_null(oct_registry_find(reg, "nope"));
    assert_false(is_open(plugin));

    const oct_format *f = oct_registry_find(reg, "octest");
    assert_non_null(f);
    assert_true(is_open(plugin));
    assert_true(oct_format_can_read(f) && oct_format_can_write(f));
    assert_string_equal(oct_format_plugin_path(reg, f), plugin);
    assert_ptr_equal(oct_registry_find_by_extension(reg, "octest", 0), f);
    const char probe_me[] = "title: probed\nbody\n";
    assert_ptr_equal(oct_registry_probe(reg, probe_me, sizeof probe_me - 1, "noext"), f);
    const oct_format *bin = oct_registry_find_by_extension(reg, "octbin", 1);
    assert_non_null(bin);
    assert_false(oct_format_can_read(bin));
    assert_int_equal(cap.count, 0);
    oct_registry_free(reg);
    /* never unmapped: its libraries' process-wide state must stay reachable */
    assert_true(is_open(plugin));
    octest_remove_tree(dir);
}

/* Each change to the directory makes the registry open every plugin, as it
 * would without a cache. */
static void test_out_of_date_cache_is_not_read(void **state)
{
    (void)state;
    char dir[256], plugin[1024], other[1024], parts[1024];
    octest_path(parts, sizeof parts, octest_env("OCTEST_PARTS_PLUGIN_DIR"), "parts.so");
    for (int change = 0; change < 4; change++) {
        make_plugin_dir(dir, sizeof dir, plugin, sizeof plugin);
        update_cache(dir);
        char cache[1024];
        octest_path(cache, sizeof cache, dir, "plugins.cache");
        octest_path(other, sizeof other, dir, "zz_parts.so");
        const char *expect = "octest";
        switch (change) {
        case 0: copy_file(parts, other); break;        /* a plugin more */
        case 1: copy_file(parts, plugin); expect = "parts"; break; /* another build */
        case 2: chmod(cache, 0666); break;             /* anyone may have written it */
        case 3: unlink(plugin); copy_file(parts, other); expect = "parts"; break; /* renamed */
        }
        log_capture cap = {0};
        oct_registry *reg = new_registry(&cap);
        assert_true(oct_registry_load_dir(reg, dir) >= 1);
        assert_int_equal(cap.count, 0);
        const char *name = NULL;
        oct_registry_plugin_info(reg, 1, &name, NULL);
        assert_string_equal(name, expect);
        /* the scan opened it at once */
        assert_true(is_open(change == 3 ? other : plugin));
        oct_registry_free(reg);
        octest_remove_tree(dir);
    }
}

/* Every cut of the file, and lines it never has, are not read: the plugin is
 * then found by opening it, never mistaken. Each try is a fresh copy of the
 * plugin, since one opened once stays mapped. */
static void test_damaged_cache_is_not_read(void **state)
{
    (void)state;
    char dir[256], plugin[1024];
    make_plugin_dir(dir, sizeof dir, plugin, sizeof plugin);
    update_cache(dir);
    char *whole = read_cache(dir);
    assert_non_null(whole);
    octest_remove_tree(dir);
    const size_t len = strlen(whole);
    static const char *const added[] = {"plugin\tx.so\n", "format\tx\trwp\t0\t\t\t\n", "junk\n",
                                        "end\n"};
    for (size_t cut = 0; cut < len + 4; cut++) {
        char text[4096];
        assert_true(len + 32 < sizeof text);
        if (cut < len) {
            memcpy(text, whole, cut);
            text[cut] = '\0';
        } else {
            snprintf(text, sizeof text, "%s%s", whole, added[cut - len]);
        }
        make_plugin_dir(dir, sizeof dir, plugin, sizeof plugin);
        write_cache(dir, text);
        log_capture cap = {0};
        oct_registry *reg = new_registry(&cap);
        assert_int_equal(oct_registry_load_dir(reg, dir), 1);
        assert_true(is_open(plugin)); /* scanned, not read from the cache */
        assert_non_null(oct_registry_find(reg, "octest"));
        assert_int_equal(cap.count, 0);
        oct_registry_free(reg);
        octest_remove_tree(dir);
    }
    free(whole);
}

/* A cache with the right build ID that says something the plugin does not:
 * the plugin is refused when opened, with one warning naming it. */
static void test_cache_that_lies_is_caught(void **state)
{
    (void)state;
    static const char *const lies[][2] = {
        {"format\toctest\trwp", "format\toctest\trw-"},  /* no probe */
        {"format\toctest-bin\t-w-", "format\toctest-bix\t-w-"}, /* another name */
        {"\toctest\t1.2.3", "\toctesx\t1.2.3"},          /* another plugin */
    };
    for (size_t i = 0; i < sizeof lies / sizeof lies[0]; i++) {
        char dir[256], plugin[1024];
        make_plugin_dir(dir, sizeof dir, plugin, sizeof plugin);
        update_cache(dir);
        char *text = read_cache(dir);
        replace_in(text, lies[i][0], lies[i][1]);
        write_cache(dir, text);
        free(text);
        log_capture cap = {0};
        oct_registry *reg = new_registry(&cap);
        assert_int_equal(oct_registry_load_dir(reg, dir), 1);
        assert_false(is_open(plugin));
        assert_null(oct_registry_find(reg, "octest"));
        assert_false(is_open(plugin));
        assert_int_equal(cap.count, 1);
        assert_non_null(strstr(cap.lines[0], plugin));
        assert_non_null(strstr(cap.lines[0], "plugins.cache"));
        /* refused once: asking again says nothing more */
        assert_null(oct_registry_find_by_extension(reg, "octest", 0));
        assert_int_equal(cap.count, 1);
        oct_registry_free(reg);
        octest_remove_tree(dir);
    }
}

/* A cache must say what a scan says; a directory whose scan complains gets
 * none, and neither does one without plugins. */
static void test_noisy_directory_is_not_cached(void **state)
{
    (void)state;
    const char *broken = octest_env("OCTEST_BROKEN_PLUGIN_DIR");
    oct_error err;
    oct_error_clear(&err);
    assert_int_not_equal(oct_registry_update_cache(broken, &err), OCT_OK);
    assert_non_null(strstr(err.message, "not cached"));
    char path[1024];
    assert_false(octest_exists(octest_path(path, sizeof path, broken, "plugins.cache")));

    char empty[256];
    octest_tempdir(empty, sizeof empty);
    oct_error_clear(&err);
    assert_int_equal(oct_registry_update_cache(empty, &err), OCT_ERR_NOT_FOUND);
    assert_int_equal(octest_dir_entries(empty), 0);
    octest_remove_tree(empty);
}

typedef struct finder {
    const oct_registry *reg;
    const oct_format *found;
} finder;

static void *find_octest(void *arg)
{
    finder *f = arg;
    f->found = oct_registry_find(f->reg, "octest");
    return NULL;
}

/* The inputs of a book are read on threads, each of which may be the first
 * to ask for a reader: the plugin is opened once and all get the same one. */
static void test_threads_open_it_once(void **state)
{
    (void)state;
    char dir[256], plugin[1024];
    make_plugin_dir(dir, sizeof dir, plugin, sizeof plugin);
    update_cache(dir);
    log_capture cap = {0};
    oct_registry *reg = new_registry(&cap);
    assert_int_equal(oct_registry_load_dir(reg, dir), 1);
    enum { THREADS = 4 };
    pthread_t t[THREADS];
    finder f[THREADS];
    for (int i = 0; i < THREADS; i++) {
        f[i] = (finder){reg, NULL};
        assert_int_equal(pthread_create(&t[i], NULL, find_octest, &f[i]), 0);
    }
    for (int i = 0; i < THREADS; i++) pthread_join(t[i], NULL);
    for (int i = 0; i < THREADS; i++) {
        assert_non_null(f[i].found);
        assert_ptr_equal(f[i].found, f[0].found);
    }
    assert_int_equal(cap.count, 0);
    oct_registry_free(reg);
    octest_remove_tree(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_build_tree_cache_is_current),
        cmocka_unit_test(test_cache_opens_only_what_is_asked),
        cmocka_unit_test(test_out_of_date_cache_is_not_read),
        cmocka_unit_test(test_damaged_cache_is_not_read),
        cmocka_unit_test(test_cache_that_lies_is_caught),
        cmocka_unit_test(test_noisy_directory_is_not_cached),
        cmocka_unit_test(test_threads_open_it_once),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
