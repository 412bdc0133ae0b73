/* The plugin registry against deliberately broken plugins: each failure has
 * its own status and one-line diagnostic naming the file, the scan goes on,
 * and the working test plugin converts through oct_read_memory/oct_write. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>
#include <sys/stat.h>

#include "octavo/octavo_plugin.h"
#include "octest.h"

/* ------------------------------------------------------------ log capture */

enum { MAX_LOG = 64 };

typedef struct log_entry {
    oct_severity sev;
    char where[1024];
    char message[1024];
} log_entry;

typedef struct log_capture {
    log_entry entries[MAX_LOG];
    size_t count;
} log_capture;

static void capture_log(void *userdata, oct_severity sev, const char *where, long line,
                        const char *message)
{
    (void)line;
    log_capture *cap = userdata;
    assert_non_null(message);
    if (cap->count == MAX_LOG) fail_msg("too many log lines");
    log_entry *e = &cap->entries[cap->count++];
    e->sev = sev;
    snprintf(e->where, sizeof e->where, "%s", where ? where : "");
    snprintf(e->message, sizeof e->message, "%s", message);
}

/* The entry whose where or message names file, or NULL. */
static const log_entry *entry_naming(const log_capture *cap, const char *file)
{
    for (size_t i = 0; i < cap->count; i++) {
        const log_entry *e = &cap->entries[i];
        if (strstr(e->where, file) != NULL || strstr(e->message, file) != NULL) return e;
    }
    return NULL;
}

static size_t entries_naming(const log_capture *cap, const char *file)
{
    size_t n = 0;
    for (size_t i = 0; i < cap->count; i++) {
        const log_entry *e = &cap->entries[i];
        if (strstr(e->where, file) != NULL || strstr(e->message, file) != NULL) n++;
    }
    return n;
}

/* ---------------------------------------------------------------- helpers */

static const char *broken_dir(void)
{
    return octest_env("OCTEST_BROKEN_PLUGIN_DIR");
}

static const char *good_dir(void)
{
    return octest_env("OCTEST_GOOD_PLUGIN_DIR");
}

typedef struct failure_case {
    const char *file;
    oct_status status;
} failure_case;

static const failure_case failures[] = {
    {"no_entry.so", OCT_ERR_PLUGIN_SYMBOL},
    {"wrong_abi.so", OCT_ERR_PLUGIN_ABI},
    {"small_descriptor.so", OCT_ERR_PLUGIN_DESCRIPTOR},
    {"huge_descriptor.so", OCT_ERR_PLUGIN_DESCRIPTOR},
    {"init_fails.so", OCT_ERR_PLUGIN_INIT},
    {"not_elf.so", OCT_ERR_PLUGIN_OPEN},
};
#define N_FAILURES (sizeof failures / sizeof failures[0])

static oct_registry *new_registry(log_capture *cap)
{
    oct_registry *reg = oct_registry_new();
    assert_non_null(reg);
    memset(cap, 0, sizeof *cap);
    oct_registry_set_log(reg, capture_log, cap);
    return reg;
}

/* What a fresh registry already holds (the core's built-in formats, such as
 * "tree"): tests count what loading adds on top of it. */
typedef struct baseline {
    size_t plugins, formats;
} baseline;

static baseline baseline_of(const oct_registry *reg)
{
    return (baseline){oct_registry_plugin_count(reg), oct_registry_format_count(reg)};
}

/* ------------------------------------------------------------------ tests */

static void test_each_failure_has_its_status(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_FAILURES; i++) {
        log_capture *cap = calloc(1, sizeof *cap);
        assert_non_null(cap);
        oct_registry *reg = new_registry(cap);
        const baseline base = baseline_of(reg);
        char path[1024];
        octest_path(path, sizeof path, broken_dir(), failures[i].file);
        oct_error err;
        oct_error_clear(&err);
        const oct_status st = oct_registry_load_file(reg, path, &err);
        if (st != failures[i].status || err.status != failures[i].status) {
            fail_msg("%s: got %s (err %s: %s), want %s", failures[i].file, oct_status_name(st),
                     oct_status_name(err.status), err.message,
                     oct_status_name(failures[i].status));
        }
        assert_non_null(strstr(err.where, failures[i].file));
        assert_true(strlen(err.message) > 0);
        assert_null(strchr(err.message, '\n'));
        assert_int_equal(oct_registry_plugin_count(reg), base.plugins);
        assert_int_equal(oct_registry_format_count(reg), base.formats);
        oct_registry_free(reg);
        free(cap);
    }
}

/* The reason init gave is not swallowed. */
static void test_init_failure_keeps_reason(void **state)
{
    (void)state;
    oct_registry *reg = oct_registry_new();
    assert_non_null(reg);
    oct_registry_set_log(reg, capture_log, &(log_capture){0});
    char path[1024];
    octest_path(path, sizeof path, broken_dir(), "init_fails.so");
    oct_error err;
    oct_error_clear(&err);
    assert_int_equal(oct_registry_load_file(reg, path, &err), OCT_ERR_PLUGIN_INIT);
    assert_non_null(strstr(err.message, "octest-init-reason"));
    oct_registry_free(reg);
}

/* The scan of a directory holding every failure plus two loadable plugins:
 * both load, each failure logs one distinct line naming its file, the
 * duplicate is refused, and files not named *.so are ignored. */
static void test_scan_skips_failures(void **state)
{
    (void)state;
    log_capture *cap = calloc(1, sizeof *cap);
    assert_non_null(cap);
    oct_registry *reg = new_registry(cap);
    const baseline base = baseline_of(reg);
    const size_t loaded = oct_registry_load_dir(reg, broken_dir());
    assert_int_equal(loaded, 2); /* good.so and newer_minor.so */
    assert_int_equal(oct_registry_plugin_count(reg), base.plugins + 2);

    const oct_format *octest = oct_registry_find(reg, "octest");
    assert_non_null(octest);
    assert_non_null(strstr(oct_format_plugin_path(reg, octest), "good.so"));
    assert_true(oct_format_can_read(octest));
    assert_non_null(oct_registry_find(reg, "octest-newer"));
    assert_null(oct_registry_find(reg, "broken-abi"));
    assert_null(oct_registry_find(reg, "broken-small"));
    assert_null(oct_registry_find(reg, "broken-huge"));
    assert_null(oct_registry_find(reg, "broken-init"));
    assert_null(oct_registry_find(reg, "broken-no-entry"));

    const char *messages[N_FAILURES + 1];
    failure_case all[N_FAILURES + 1];
    memcpy(all, failures, sizeof failures);
    all[N_FAILURES] = (failure_case){"zz_duplicate.so", OCT_ERR_PLUGIN_DUPLICATE};
    for (size_t i = 0; i < N_FAILURES + 1; i++) {
        const log_entry *e = entry_naming(cap, all[i].file);
        if (e == NULL) fail_msg("no diagnostic names %s", all[i].file);
        assert_int_equal(entries_naming(cap, all[i].file), 1);
        assert_true(e->sev == OCT_SEV_ERROR || e->sev == OCT_SEV_WARNING);
        assert_null(strchr(e->message, '\n'));
        assert_true(strlen(e->message) > 0);
        messages[i] = e->message;
    }
    /* Each failure says something different (beyond the file name). */
    for (size_t i = 0; i < N_FAILURES + 1; i++) {
        for (size_t j = i + 1; j < N_FAILURES + 1; j++) {
            if (strcmp(all[i].file, "small_descriptor.so") == 0 &&
                strcmp(all[j].file, "huge_descriptor.so") == 0) {
                continue; /* same status; may share wording */
            }
            assert_string_not_equal(messages[i], messages[j]);
        }
    }
    assert_null(entry_naming(cap, "README.txt"));
    for (size_t i = 0; i < cap->count; i++) {
        assert_null(strstr(cap->entries[i].where, "good.so")); /* good.so itself loaded fine */
    }
    oct_registry_free(reg);
    free(cap);
}

/* A plugin from a newer minor ABI loads, ignores the fields it adds, and
 * the load is mentioned at info level. */
static void test_newer_minor_abi_loads(void **state)
{
    (void)state;
    log_capture *cap = calloc(1, sizeof *cap);
    assert_non_null(cap);
    oct_registry *reg = new_registry(cap);
    char path[1024];
    octest_path(path, sizeof path, broken_dir(), "newer_minor.so");
    oct_error err;
    oct_error_clear(&err);
    assert_int_equal(oct_registry_load_file(reg, path, &err), OCT_OK);
    const oct_format *f = oct_registry_find(reg, "octest-newer");
    assert_non_null(f);
    assert_true(oct_format_can_write(f));
    assert_false(oct_format_can_read(f));
    const log_entry *e = entry_naming(cap, "newer_minor.so");
    if (e == NULL) fail_msg("loading a newer-minor plugin logged nothing naming it");
    assert_int_equal(e->sev, OCT_SEV_INFO);

    /* Its writer works: the core did not use the poisoned extra fields. */
    oct_context *ctx = oct_context_new(reg);
    assert_non_null(ctx);
    oct_doc *doc = oct_doc_new();
    assert_non_null(doc);
    oct_sink *sink = oct_sink_new_memory(1024);
    assert_non_null(sink);
    assert_int_equal(oct_write(ctx, doc, f, sink, NULL), OCT_OK);
    size_t len = 0;
    const unsigned char *out = oct_sink_memory_data(sink, &len);
    assert_int_equal(len, 7);
    assert_memory_equal(out, "broken\n", 7);
    oct_sink_close(sink);
    oct_doc_free(doc);
    oct_context_free(ctx);
    oct_registry_free(reg);
    free(cap);
}

static void test_duplicate_refused_either_order(void **state)
{
    (void)state;
    log_capture *cap = calloc(1, sizeof *cap);
    assert_non_null(cap);
    oct_registry *reg = new_registry(cap);
    const baseline base = baseline_of(reg);
    char good[1024], dup[1024];
    octest_path(good, sizeof good, broken_dir(), "good.so");
    octest_path(dup, sizeof dup, broken_dir(), "zz_duplicate.so");
    oct_error err;
    oct_error_clear(&err);
    assert_int_equal(oct_registry_load_file(reg, dup, &err), OCT_OK);
    assert_int_equal(oct_registry_load_file(reg, good, &err), OCT_ERR_PLUGIN_DUPLICATE);
    assert_non_null(strstr(err.where, "good.so"));
    assert_non_null(strstr(err.message, "octest"));
    /* The refused plugin left nothing behind: its other format is absent. */
    assert_null(oct_registry_find(reg, "octest-bin"));
    assert_int_equal(oct_registry_plugin_count(reg), base.plugins + 1);
    assert_non_null(strstr(oct_format_plugin_path(reg, oct_registry_find(reg, "octest")),
                           "zz_duplicate.so"));
    oct_registry_free(reg);
    free(cap);
}

/* The same plugin found again later in the search path (an override in
 * --plugin-dir, then the installed copy) is skipped quietly: an info line,
 * never a warning, and the first copy stays in use. */
static void test_same_plugin_twice_is_quiet(void **state)
{
    (void)state;
    log_capture *cap = calloc(1, sizeof *cap);
    assert_non_null(cap);
    oct_registry *reg = new_registry(cap);
    const baseline base = baseline_of(reg);
    assert_int_equal(oct_registry_load_dir(reg, good_dir()), 1);
    size_t before = cap->count;
    assert_int_equal(oct_registry_load_dir(reg, good_dir()), 0);
    assert_int_equal(oct_registry_plugin_count(reg), base.plugins + 1);
    assert_true(cap->count > before);
    for (size_t i = before; i < cap->count; i++)
        assert_int_equal(cap->entries[i].sev, OCT_SEV_INFO);
    oct_registry_free(reg);
    free(cap);
}

/* SECURITY.md: a plugin file or folder that every user may write is never
 * loaded (anyone could have put code there), with a warning naming it. */
static void test_world_writable_refused(void **state)
{
    (void)state;
    char src[1024], tmp[1024], dst[1024];
    octest_path(src, sizeof src, good_dir(), "octest.so");
    size_t len;
    char *bytes = octest_read_file(src, &len);
    octest_tempdir(tmp, sizeof tmp);
    octest_path(dst, sizeof dst, tmp, "octest.so");
    octest_write_file(dst, bytes, len);
    free(bytes);

    log_capture *cap = calloc(1, sizeof *cap);
    assert_non_null(cap);
    oct_registry *reg = new_registry(cap);
    const baseline base = baseline_of(reg);
    oct_error err;
    oct_error_clear(&err);
    assert_int_equal(chmod(dst, 0666), 0);
    assert_int_equal(oct_registry_load_file(reg, dst, &err), OCT_ERR_DENIED);
    assert_non_null(strstr(err.message, "writable"));
    assert_int_equal(chmod(dst, 0644), 0);
    assert_int_equal(chmod(tmp, 0777), 0);
    assert_int_equal(oct_registry_load_dir(reg, tmp), 0);
    const log_entry *e = entry_naming(cap, tmp);
    assert_non_null(e);
    assert_int_equal(e->sev, OCT_SEV_WARNING);
    assert_non_null(strstr(e->message, "writable"));
    assert_int_equal(oct_registry_plugin_count(reg), base.plugins);
    /* The same folder, no longer writable by all, loads. */
    assert_int_equal(chmod(tmp, 0755), 0);
    assert_int_equal(oct_registry_load_dir(reg, tmp), 1);
    oct_registry_free(reg);
    free(cap);
    octest_remove_tree(tmp);
}

static void test_missing_paths(void **state)
{
    (void)state;
    log_capture *cap = calloc(1, sizeof *cap);
    assert_non_null(cap);
    oct_registry *reg = new_registry(cap);
    const baseline base = baseline_of(reg);
    assert_int_equal(oct_registry_load_dir(reg, "/nonexistent/octavo/plugins"), 0);
    oct_error err;
    oct_error_clear(&err);
    assert_int_not_equal(oct_registry_load_file(reg, "/nonexistent/x.so", &err), OCT_OK);
    assert_non_null(strstr(err.where, "/nonexistent/x.so"));
    assert_int_equal(oct_registry_format_count(reg), base.formats);
    assert_int_equal(oct_registry_plugin_count(reg), base.plugins);
    assert_null(oct_registry_find(reg, "octest"));
    oct_registry_free(reg);
    free(cap);
}

static void test_good_plugin_metadata(void **state)
{
    (void)state;
    log_capture *cap = calloc(1, sizeof *cap);
    assert_non_null(cap);
    oct_registry *reg = new_registry(cap);
    const baseline base = baseline_of(reg);
    assert_int_equal(oct_registry_load_dir(reg, good_dir()), 1);
    assert_int_equal(oct_registry_plugin_count(reg), base.plugins + 1);
    const char *name = NULL, *version = NULL;
    const char *path = oct_registry_plugin_info(reg, base.plugins, &name, &version);
    assert_non_null(path);
    assert_non_null(strstr(path, "octest.so"));
    assert_string_equal(name, "octest");
    assert_string_equal(version, "1.2.3");

    assert_int_equal(oct_registry_format_count(reg), base.formats + 2);
    assert_null(oct_registry_plugin_info(reg, base.plugins + 1, NULL, NULL));
    const oct_format *f = oct_registry_find(reg, "octest");
    assert_non_null(f);
    assert_string_equal(oct_format_name(f), "octest");
    assert_true(oct_format_can_read(f));
    assert_true(oct_format_can_write(f));
    assert_string_equal(oct_format_plugin_name(reg, f), "octest");
    assert_string_equal(oct_format_plugin_version(reg, f), "1.2.3");
    assert_string_equal(oct_format_plugin_path(reg, f), path);
    assert_ptr_equal(oct_registry_find_by_extension(reg, "octest", 0), f);
    assert_ptr_equal(oct_registry_find_by_extension(reg, "octest", 1), f);
    const oct_format *bin = oct_registry_find(reg, "octest-bin");
    assert_non_null(bin);
    assert_false(oct_format_can_read(bin));
    assert_null(oct_registry_find_by_extension(reg, "octbin", 0));
    assert_ptr_equal(oct_registry_find_by_extension(reg, "octbin", 1), bin);
    assert_null(oct_registry_find_by_extension(reg, "nope", 1));

    const char probe_me[] = "title: probed\nbody\n";
    assert_ptr_equal(oct_registry_probe(reg, probe_me, sizeof probe_me - 1, "noext"), f);
    assert_null(oct_registry_probe(reg, "\x01\x02\x03", 3, "noext"));

    int seen_octest = 0, seen_bin = 0;
    for (size_t i = 0; i < oct_registry_format_count(reg); i++) {
        const oct_format *g = oct_registry_format_at(reg, i);
        assert_non_null(g);
        seen_octest |= g == f;
        seen_bin |= g == bin;
    }
    assert_true(seen_octest && seen_bin);
    assert_null(oct_registry_format_at(reg, base.formats + 2));
    oct_registry_free(reg);
    free(cap);
}

static void test_convert_through_plugin(void **state)
{
    (void)state;
    oct_registry *reg = oct_registry_new();
    assert_non_null(reg);
    assert_int_equal(oct_registry_load_dir(reg, good_dir()), 1);
    oct_context *ctx = oct_context_new(reg);
    assert_non_null(ctx);
    assert_ptr_equal(oct_context_registry(ctx), reg);
    const oct_format *f = oct_registry_find(reg, "octest");
    assert_non_null(f);

    const char input[] = "title: Hello\nfirst paragraph\n\nsecond \xc3\xa9\n";
    oct_doc *doc = NULL;
    oct_error err;
    oct_error_clear(&err);
    /* Reader chosen from the name's extension. */
    assert_int_equal(oct_read_memory(ctx, input, sizeof input - 1, "in.octest", NULL, &doc, &err),
                     OCT_OK);
    assert_non_null(doc);
    assert_string_equal(oct_meta_get(doc, OCT_META_TITLE), "Hello");
    assert_int_equal(oct_doc_validate(doc, NULL), OCT_OK);

    oct_sink *sink = oct_sink_new_memory(1 << 16);
    assert_non_null(sink);
    assert_int_equal(oct_write(ctx, doc, f, sink, &err), OCT_OK);
    size_t len = 0;
    const unsigned char *out = oct_sink_memory_data(sink, &len);
    const char want[] = "title: Hello\nfirst paragraph\nsecond \xc3\xa9\n";
    assert_int_equal(len, sizeof want - 1);
    assert_memory_equal(out, want, len);
    oct_sink_close(sink);
    oct_doc_free(doc);

    /* The writer's failure comes back as its status, with its message. */
    assert_int_equal(oct_context_set_option(ctx, "fail", "on"), OCT_OK);
    assert_string_equal(oct_context_option(ctx, "fail"), "on");
    doc = NULL;
    assert_int_equal(oct_read_memory(ctx, input, sizeof input - 1, "x", f, &doc, &err), OCT_OK);
    sink = oct_sink_new_memory(1 << 16);
    assert_non_null(sink);
    oct_error_clear(&err);
    assert_int_equal(oct_write(ctx, doc, f, sink, &err), OCT_ERR_CONVERSION);
    assert_non_null(strstr(err.message, "failed on purpose"));
    oct_sink_close(sink);
    oct_doc_free(doc);

    oct_context_free(ctx);
    oct_registry_free(reg);
}

/* A format that cannot read is not accepted as a reader. */
static void test_reader_must_read(void **state)
{
    (void)state;
    oct_registry *reg = oct_registry_new();
    assert_non_null(reg);
    assert_int_equal(oct_registry_load_dir(reg, good_dir()), 1);
    oct_context *ctx = oct_context_new(reg);
    assert_non_null(ctx);
    const oct_format *bin = oct_registry_find(reg, "octest-bin");
    assert_non_null(bin);
    oct_doc *doc = NULL;
    oct_error err;
    oct_error_clear(&err);
    assert_int_not_equal(oct_read_memory(ctx, "x\n", 2, "in.octbin", bin, &doc, &err), OCT_OK);
    assert_null(doc);
    assert_int_not_equal(err.status, OCT_OK);
    oct_context_free(ctx);
    oct_registry_free(reg);
}

/* The standard search starts with the extra directories. */
static void test_load_default_uses_extra_dirs(void **state)
{
    (void)state;
    unsetenv("OCTAVO_PLUGIN_PATH");
    log_capture *cap = calloc(1, sizeof *cap);
    assert_non_null(cap);
    oct_registry *reg = new_registry(cap);
    const char *dirs[] = {good_dir()};
    const size_t n = oct_registry_load_default(reg, dirs, 1);
    assert_true(n >= 1);
    const oct_format *f = oct_registry_find(reg, "octest");
    assert_non_null(f);
    assert_non_null(strstr(oct_format_plugin_path(reg, f), "test-plugins"));
    oct_registry_free(reg);
    free(cap);
}

/* OCTAVO_PLUGIN_PATH is searched (colon-separated, empty parts ignored). */
static void test_load_default_uses_env_path(void **state)
{
    (void)state;
    char value[2048];
    snprintf(value, sizeof value, "/nonexistent::%s", good_dir());
    setenv("OCTAVO_PLUGIN_PATH", value, 1);
    log_capture *cap = calloc(1, sizeof *cap);
    assert_non_null(cap);
    oct_registry *reg = new_registry(cap);
    assert_true(oct_registry_load_default(reg, NULL, 0) >= 1);
    const oct_format *f = oct_registry_find(reg, "octest");
    assert_non_null(f);
    assert_non_null(strstr(oct_format_plugin_path(reg, f), "test-plugins"));
    oct_registry_free(reg);
    free(cap);
    unsetenv("OCTAVO_PLUGIN_PATH");
}

/* ---------------------------------------------- descriptors from memory */

static oct_status mem_write(oct_context *ctx, const oct_doc *doc, oct_sink *sink, oct_error *err)
{
    (void)ctx;
    (void)doc;
    (void)err;
    return oct_sink_puts(sink, "mem");
}

static const oct_format mem_format = {
    .struct_size = sizeof(oct_format),
    .name = "memfmt",
    .write = mem_write,
};
static const oct_format *const mem_formats[] = {&mem_format, NULL};

static void test_registry_add_from_memory(void **state)
{
    (void)state;
    oct_registry *reg = oct_registry_new();
    assert_non_null(reg);
    oct_registry_set_log(reg, capture_log, &(log_capture){0});
    const baseline base = baseline_of(reg);
    const oct_plugin_descriptor good = {
        .abi_version = OCT_PLUGIN_ABI_VERSION,
        .struct_size = sizeof(oct_plugin_descriptor),
        .name = "mem",
        .version = "9.9",
        .formats = mem_formats,
    };
    oct_error err;
    oct_error_clear(&err);
    assert_int_equal(oct_registry_add(reg, &good, "builtin", &err), OCT_OK);
    const oct_format *f = oct_registry_find(reg, "memfmt");
    assert_non_null(f);
    assert_string_equal(oct_format_plugin_version(reg, f), "9.9");

    oct_plugin_descriptor again = good;
    again.name = "mem2";
    assert_int_equal(oct_registry_add(reg, &again, "builtin2", &err), OCT_ERR_PLUGIN_DUPLICATE);

    oct_plugin_descriptor future = good;
    future.abi_version = (uint32_t)((OCT_PLUGIN_ABI_MAJOR + 1) << 16);
    assert_int_equal(oct_registry_add(reg, &future, "future", &err), OCT_ERR_PLUGIN_ABI);

    oct_plugin_descriptor past = good;
    past.abi_version = 0;
    assert_int_equal(oct_registry_add(reg, &past, "past", &err), OCT_ERR_PLUGIN_ABI);

    oct_plugin_descriptor small = good;
    small.struct_size = 4;
    assert_int_equal(oct_registry_add(reg, &small, "small", &err), OCT_ERR_PLUGIN_DESCRIPTOR);

    oct_plugin_descriptor no_formats = good;
    no_formats.formats = NULL;
    assert_int_equal(oct_registry_add(reg, &no_formats, "none", &err),
                     OCT_ERR_PLUGIN_DESCRIPTOR);

    /* A format whose struct_size is smaller than the 1.0 layout. */
    const oct_format small_format = {.struct_size = 8, .name = "tiny", .write = mem_write};
    const oct_format *const small_formats[] = {&small_format, NULL};
    oct_plugin_descriptor bad_format = good;
    bad_format.name = "tiny";
    bad_format.formats = small_formats;
    assert_int_equal(oct_registry_add(reg, &bad_format, "tiny", &err), OCT_ERR_PLUGIN_DESCRIPTOR);
    assert_null(oct_registry_find(reg, "tiny"));

    assert_int_equal(oct_registry_format_count(reg), base.formats + 1);
    oct_registry_free(reg);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_each_failure_has_its_status),
        cmocka_unit_test(test_init_failure_keeps_reason),
        cmocka_unit_test(test_scan_skips_failures),
        cmocka_unit_test(test_newer_minor_abi_loads),
        cmocka_unit_test(test_duplicate_refused_either_order),
        cmocka_unit_test(test_same_plugin_twice_is_quiet),
        cmocka_unit_test(test_world_writable_refused),
        cmocka_unit_test(test_missing_paths),
        cmocka_unit_test(test_good_plugin_metadata),
        cmocka_unit_test(test_convert_through_plugin),
        cmocka_unit_test(test_reader_must_read),
        cmocka_unit_test(test_load_default_uses_extra_dirs),
        cmocka_unit_test(test_load_default_uses_env_path),
        cmocka_unit_test(test_registry_add_from_memory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
