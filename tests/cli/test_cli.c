/* The octavo command line, run as a child process: exit codes, the one-line
 * messages on stderr, atomic output, stdin/stdout, metadata overrides,
 * several inputs, plugin directories. Conversions use the "octest" test
 * plugin (tests/plugins) so every byte of output is predictable. */
#define _XOPEN_SOURCE 700 /* posix_openpt for the terminal test */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "octavo/octavo.h"
#include "octest.h"

typedef struct fixture {
    char dir[512];
    char good[1024];   /* directory with octest.so only */
    char broken[1024]; /* every broken plugin plus good.so */
    char in[1024];     /* dir/in.octest */
    char out[1024];    /* dir/out.octest */
} fixture;

static const char sample[] = "title: Sample Title\nfirst line\nsecond line\n";

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    if (f == NULL) return -1;
    octest_tempdir(f->dir, sizeof f->dir);
    snprintf(f->good, sizeof f->good, "%s", octest_env("OCTEST_GOOD_PLUGIN_DIR"));
    snprintf(f->broken, sizeof f->broken, "%s", octest_env("OCTEST_BROKEN_PLUGIN_DIR"));
    octest_path(f->in, sizeof f->in, f->dir, "in.octest");
    octest_path(f->out, sizeof f->out, f->dir, "out.octest");
    octest_write_file(f->in, sample, sizeof sample - 1);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    octest_remove_tree(f->dir);
    free(f);
    return 0;
}

static void dump_result(const char *what, const octest_result *r)
{
    print_error("%s: exit %d\n--- stdout ---\n%s\n--- stderr ---\n%s\n", what, r->exit_code,
                r->out, r->err);
}

static void expect_exit(const octest_result *r, int code)
{
    if (r->exit_code != code) {
        dump_result("unexpected exit code", r);
        fail_msg("exit code %d, want %d", r->exit_code, code);
    }
}

/* stderr is exactly one line starting with "octavo: " (+ prefix after it). */
static void expect_one_line_error(const octest_result *r, const char *prefix)
{
    char want[2048];
    snprintf(want, sizeof want, "octavo: %s", prefix ? prefix : "");
    if (strncmp(r->err, want, strlen(want)) != 0 || octest_count_lines(r->err) != 1 ||
        r->err[r->err_len - 1] != '\n') {
        dump_result("unexpected stderr", r);
        fail_msg("stderr should be one line starting with \"%s\"", want);
    }
}

static void expect_file(const char *path, const char *want)
{
    size_t len = 0;
    char *got = octest_read_file(path, &len);
    if (got == NULL) fail_msg("%s missing", path);
    if (len != strlen(want) || memcmp(got, want, len) != 0) {
        fail_msg("%s: got \"%s\", want \"%s\"", path, got, want);
    }
    free(got);
}

/* ------------------------------------------------------ informational */

static void test_version(void **state)
{
    (void)state;
    octest_result r;
    octest_run_cli(&r, NULL, 0, NULL, "--version", NULL);
    expect_exit(&r, 0);
    assert_non_null(strstr(r.out, OCTAVO_VERSION_STRING));
    assert_int_equal(r.err_len, 0);
    octest_result_free(&r);
}

static void test_help(void **state)
{
    (void)state;
    octest_result r;
    octest_run_cli(&r, NULL, 0, NULL, "--help", NULL);
    expect_exit(&r, 0);
    const char *must[] = {"--list-formats", "--plugin-dir", "--output", "--from", "--to",
                          "--metadata", "--variable", "--version"};
    for (size_t i = 0; i < sizeof must / sizeof must[0]; i++) {
        if (strstr(r.out, must[i]) == NULL) fail_msg("--help does not mention %s", must[i]);
    }
    assert_int_equal(r.err_len, 0);
    octest_result_free(&r);
}

/* The line of s that contains word as a whole token, copied into line. */
static int find_line(const char *s, const char *word, char *line, size_t size)
{
    const size_t wl = strlen(word);
    for (const char *p = s; *p != '\0';) {
        const char *eol = strchr(p, '\n');
        const size_t len = eol ? (size_t)(eol - p) : strlen(p);
        for (const char *q = p; q + wl <= p + len; q++) {
            const int starts = q == p || q[-1] == ' ' || q[-1] == '\t';
            const int ends = q + wl == p + len || q[wl] == ' ' || q[wl] == '\t';
            if (starts && ends && memcmp(q, word, wl) == 0) {
                snprintf(line, size, "%.*s", (int)len, p);
                return 1;
            }
        }
        p += len + (eol != NULL);
    }
    return 0;
}

/* Whether this build has the reader named and the Markdown writer (the
 * end-to-end tests below need them; say so when skipping). */
static int reader_and_markdown_built(const char *reader)
{
    octest_result r;
    octest_run_cli(&r, NULL, 0, NULL, "--list-formats", NULL);
    char line[1024];
    const int have = r.exit_code == 0 && find_line(r.out, reader, line, sizeof line) &&
                     find_line(r.out, "markdown", line, sizeof line);
    octest_result_free(&r);
    if (!have) print_message("skipped: %s or markdown plugin not built\n", reader);
    return have;
}

static void test_list_formats(void **state)
{
    fixture *f = *state;
    octest_result r;
    octest_run_cli(&r, NULL, 0, NULL, "--plugin-dir", f->good, "--list-formats", NULL);
    expect_exit(&r, 0);
    char line[1024];
    if (!find_line(r.out, "octest", line, sizeof line)) {
        dump_result("--list-formats", &r);
        fail_msg("octest not listed");
    }
    assert_non_null(strstr(line, "octest.so"));
    assert_non_null(strstr(line, "1.2.3"));
    char bin_line[1024];
    assert_true(find_line(r.out, "octest-bin", bin_line, sizeof bin_line));
    assert_non_null(strstr(bin_line, "octest.so"));
    /* octest reads and writes, octest-bin only writes: the lines say so
     * differently even once the names are set aside. */
    assert_string_not_equal(line + strlen("octest"), bin_line + strlen("octest-bin"));
    octest_result_free(&r);
}

/* -------------------------------------------------------- usage errors */

static void test_unknown_option(void **state)
{
    (void)state;
    octest_result r;
    octest_run_cli(&r, NULL, 0, NULL, "--no-such-option", "x.txt", NULL);
    expect_exit(&r, 2);
    expect_one_line_error(&r, NULL);
    assert_non_null(strstr(r.err, "--no-such-option"));
    assert_int_equal(r.out_len, 0);
    octest_result_free(&r);
}

static void test_unknown_output_format(void **state)
{
    fixture *f = *state;
    octest_result r;
    octest_run_cli(&r, NULL, 0, NULL, "--plugin-dir", f->good, "-t", "nosuchformat", f->in, NULL);
    expect_exit(&r, 2);
    expect_one_line_error(&r, NULL);
    assert_non_null(strstr(r.err, "nosuchformat"));
    octest_result_free(&r);
}

static void test_unknown_input_format(void **state)
{
    fixture *f = *state;
    octest_result r;
    octest_run_cli(&r, NULL, 0, NULL, "--plugin-dir", f->good, "-f", "nosuchformat", "-t",
                   "octest", f->in, NULL);
    expect_exit(&r, 2);
    expect_one_line_error(&r, NULL);
    assert_non_null(strstr(r.err, "nosuchformat"));
    octest_result_free(&r);
}

/* -------------------------------------------------------- input errors */

static void test_missing_input(void **state)
{
    fixture *f = *state;
    char missing[1100], out[1100];
    octest_path(missing, sizeof missing, f->dir, "does-not-exist.octest");
    octest_path(out, sizeof out, f->dir, "out.octest");
    octest_result r;
    octest_run_cli(&r, NULL, 0, NULL, "--plugin-dir", f->good, missing, "-o", out, NULL);
    expect_exit(&r, 3);
    char prefix[1200];
    snprintf(prefix, sizeof prefix, "%s: ", missing);
    expect_one_line_error(&r, prefix);
    assert_false(octest_exists(out));
    octest_result_free(&r);
}

static void test_parse_error_names_line(void **state)
{
    fixture *f = *state;
    const char bad[] = "title: T\nfine\n!parse-error\n";
    octest_write_file(f->in, bad, sizeof bad - 1);
    octest_result r;
    octest_run_cli(&r, NULL, 0, NULL, "--plugin-dir", f->good, "-t", "octest", f->in, "-o",
                   f->out, NULL);
    expect_exit(&r, 3);
    char prefix[1200];
    snprintf(prefix, sizeof prefix, "%s: line 3: octest parse error on purpose", f->in);
    expect_one_line_error(&r, prefix);
    assert_false(octest_exists(f->out));
    octest_result_free(&r);
}

/* ----------------------------------------------- output and atomicity */

static void test_output_into_missing_directory(void **state)
{
    fixture *f = *state;
    char out[1100];
    octest_path(out, sizeof out, f->dir, "missing-dir/out.octest");
    octest_result r;
    octest_run_cli(&r, NULL, 0, NULL, "--plugin-dir", f->good, f->in, "-o", out, NULL);
    expect_exit(&r, 5);
    expect_one_line_error(&r, NULL);
    assert_non_null(strstr(r.err, "out.octest"));
    assert_false(octest_exists(out));
    assert_int_equal(octest_dir_entries(f->dir), 1); /* in.octest only */
    octest_result_free(&r);
}

/* A failed conversion never clobbers an existing output file. */
static void test_failed_input_keeps_old_output(void **state)
{
    fixture *f = *state;
    char missing[1100], out[1100];
    octest_path(missing, sizeof missing, f->dir, "missing.octest");
    octest_path(out, sizeof out, f->dir, "out.octest");
    octest_write_file(out, "precious\n", 9);
    octest_result r;
    octest_run_cli(&r, NULL, 0, NULL, "--plugin-dir", f->good, missing, "-o", out, NULL);
    expect_exit(&r, 3);
    expect_file(out, "precious\n");
    assert_int_equal(octest_dir_entries(f->dir), 2);
    octest_result_free(&r);
}

static void test_failed_writer_keeps_old_output(void **state)
{
    fixture *f = *state;
    octest_write_file(f->out, "precious\n", 9);
    octest_result r;
    octest_run_cli(&r, NULL, 0, NULL, "--plugin-dir", f->good, "-V", "fail=on", f->in, "-o",
                   f->out, NULL);
    expect_exit(&r, 4);
    expect_one_line_error(&r, NULL);
    assert_non_null(strstr(r.err, "failed on purpose"));
    expect_file(f->out, "precious\n");
    assert_int_equal(octest_dir_entries(f->dir), 2); /* no temporary left */
    octest_result_free(&r);
}

static void test_output_format_from_extension(void **state)
{
    fixture *f = *state;
    octest_result r;
    octest_run_cli(&r, NULL, 0, NULL, "--plugin-dir", f->good, f->in, "-o", f->out, NULL);
    expect_exit(&r, 0);
    assert_int_equal(r.err_len, 0);
    assert_int_equal(r.out_len, 0);
    expect_file(f->out, sample);
    assert_int_equal(octest_dir_entries(f->dir), 2);
    octest_result_free(&r);
}

static void test_output_to_stdout(void **state)
{
    fixture *f = *state;
    octest_result r;
    octest_run_cli(&r, NULL, 0, NULL, "--plugin-dir", f->good, "-t", "octest", f->in, "-o", "-",
                   NULL);
    expect_exit(&r, 0);
    assert_string_equal(r.out, sample);
    assert_false(octest_exists("-"));
    octest_result_free(&r);
}

static void test_input_from_stdin(void **state)
{
    fixture *f = *state;
    const char in[] = "title: From Stdin\nline one\n";
    octest_result r;
    octest_run_cli(&r, in, sizeof in - 1, NULL, "--plugin-dir", f->good, "-f", "octest", "-t",
                   "octest", "-", NULL);
    expect_exit(&r, 0);
    assert_string_equal(r.out, in);
    octest_result_free(&r);
}

static void test_metadata_override(void **state)
{
    fixture *f = *state;
    octest_result r;
    octest_run_cli(&r, NULL, 0, NULL, "--plugin-dir", f->good, "-t", "octest", "-M",
                   "title=Overridden", f->in, NULL);
    expect_exit(&r, 0);
    assert_string_equal(r.out, "title: Overridden\nfirst line\nsecond line\n");
    octest_result_free(&r);

    octest_run_cli(&r, NULL, 0, NULL, "--plugin-dir", f->good, "-t", "octest", "--metadata",
                   "title=Long Form", f->in, NULL);
    expect_exit(&r, 0);
    assert_string_equal(r.out, "title: Long Form\nfirst line\nsecond line\n");
    octest_result_free(&r);
}

static void test_several_inputs_in_order(void **state)
{
    fixture *f = *state;
    char a[1100], b[1100], c[1100];
    octest_path(a, sizeof a, f->dir, "a.octest");
    octest_path(b, sizeof b, f->dir, "b.octest");
    octest_path(c, sizeof c, f->dir, "c.octest");
    octest_write_file(a, "title: From A\nalpha\n", 20);
    octest_write_file(b, "title: From B\nbeta\n", 19);
    octest_write_file(c, "gamma\ndelta\n", 12);
    octest_result r;
    octest_run_cli(&r, NULL, 0, NULL, "--plugin-dir", f->good, "-t", "octest", "-V",
                   "chapters=off", a, b, c, NULL);
    expect_exit(&r, 0);
    assert_string_equal(r.out, "title: From A\nalpha\nbeta\ngamma\ndelta\n");
    octest_result_free(&r);

    octest_run_cli(&r, NULL, 0, NULL, "--plugin-dir", f->good, "-t", "octest", "-V",
                   "chapters=off", c, a, NULL);
    expect_exit(&r, 0);
    assert_string_equal(r.out, "title: From A\ngamma\ndelta\nalpha\n");
    octest_result_free(&r);

    /* By default each input is a chapter: its title heads its content. */
    octest_run_cli(&r, NULL, 0, NULL, "--plugin-dir", f->good, "-t", "octest", a, b, c, NULL);
    expect_exit(&r, 0);
    const char *order[] = {"title: From A\n", "From A\n", "alpha\n", "From B\n", "beta\n",
                           "gamma\n", "delta\n"};
    const char *at = r.out;
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
        const char *next = strstr(at, order[i]);
        if (next == NULL) fail_msg("\"%s\" missing or out of order in:\n%s", order[i], r.out);
        at = next + strlen(order[i]);
    }
    octest_result_free(&r);
}

/* ---------------------------------------------------- plugins, logging */

static void test_broken_plugin_dir(void **state)
{
    fixture *f = *state;
    octest_result r;
    octest_run_cli(&r, NULL, 0, NULL, "--plugin-dir", f->broken, "-t", "octest", f->in, NULL);
    expect_exit(&r, 0);
    assert_string_equal(r.out, sample);
    const char *named[] = {"no_entry.so",      "wrong_abi.so", "small_descriptor.so",
                           "huge_descriptor.so", "init_fails.so", "zz_duplicate.so",
                           "not_elf.so"};
    for (size_t i = 0; i < sizeof named / sizeof named[0]; i++) {
        if (strstr(r.err, named[i]) == NULL) {
            dump_result("--plugin-dir broken", &r);
            fail_msg("no diagnostic names %s", named[i]);
        }
    }
    /* Every diagnostic is one line of its own, in the usual form, and each
     * broken plugin gets exactly one. */
    for (const char *p = r.err; *p != '\0'; p = strchr(p, '\n') + 1) {
        assert_true(strncmp(p, "octavo: ", 8) == 0);
        if (strchr(p, '\n') == NULL) fail_msg("stderr does not end with a newline");
    }
    for (size_t i = 0; i < sizeof named / sizeof named[0]; i++) {
        size_t lines = 0;
        for (const char *p = r.err; *p != '\0'; p = strchr(p, '\n') + 1) {
            const char *hit = strstr(p, named[i]);
            if (hit != NULL && hit < strchr(p, '\n')) lines++;
        }
        if (lines != 1) fail_msg("%s named on %zu lines", named[i], lines);
    }
    octest_result_free(&r);
}

static void test_plugin_path_environment(void **state)
{
    fixture *f = *state;
    char env[1100];
    snprintf(env, sizeof env, "OCTAVO_PLUGIN_PATH=%s", f->good);
    const char *const extra[] = {env, NULL};
    octest_result r;
    octest_run_cli(&r, NULL, 0, extra, "-t", "octest", f->in, NULL);
    expect_exit(&r, 0);
    assert_string_equal(r.out, sample);
    octest_result_free(&r);

    /* Without it (and without --plugin-dir) the test format is unknown. */
    octest_run_cli(&r, NULL, 0, NULL, "-t", "octest", f->in, NULL);
    expect_exit(&r, 2);
    octest_result_free(&r);
}

static void test_warnings_and_quiet(void **state)
{
    fixture *f = *state;
    octest_result r;
    octest_run_cli(&r, NULL, 0, NULL, "--plugin-dir", f->good, "-V", "warn=on", "-t", "octest",
                   f->in, NULL);
    expect_exit(&r, 0);
    char want[1200];
    snprintf(want, sizeof want, "octavo: %s: warning: octest reader was asked to warn\n", f->in);
    assert_string_equal(r.err, want);
    assert_string_equal(r.out, sample);
    octest_result_free(&r);

    octest_run_cli(&r, NULL, 0, NULL, "-q", "--plugin-dir", f->good, "-V", "warn=on", "-t",
                   "octest", f->in, NULL);
    expect_exit(&r, 0);
    assert_int_equal(r.err_len, 0);
    assert_string_equal(r.out, sample);
    octest_result_free(&r);
}

static void test_dump_tree(void **state)
{
    fixture *f = *state;
    octest_result r;
    octest_run_cli(&r, NULL, 0, NULL, "--plugin-dir", f->good, "--dump-tree", f->in, NULL);
    expect_exit(&r, 0);
    assert_non_null(strstr(r.out, "paragraph"));
    assert_non_null(strstr(r.out, "first line"));
    octest_result free_me = r;
    octest_run_cli(&r, NULL, 0, NULL, "--plugin-dir", f->good, "-t", "tree", f->in, NULL);
    expect_exit(&r, 0);
    assert_string_equal(r.out, free_me.out); /* --dump-tree is -t tree */
    octest_result_free(&free_me);
    octest_result_free(&r);
}

/* Runs octavo with stdout on a pseudo-terminal; returns its exit status
 * (-1 when no pty is available) and its stderr in err. */
static int run_on_terminal(const char *const *argv, char *err, size_t size)
{
    int master = posix_openpt(O_RDWR | O_NOCTTY);
    if (master < 0) return -1;
    assert_int_equal(grantpt(master), 0);
    assert_int_equal(unlockpt(master), 0);
    const char *slave_name = ptsname(master);
    assert_non_null(slave_name);
    int slave = open(slave_name, O_RDWR | O_NOCTTY);
    assert_true(slave >= 0);
    int perr[2];
    assert_int_equal(pipe(perr), 0);

    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&fa, slave, 1);
    posix_spawn_file_actions_adddup2(&fa, perr[1], 2);
    posix_spawn_file_actions_addclose(&fa, perr[0]);
    posix_spawn_file_actions_addclose(&fa, master);
    char **env = octest_child_env(NULL);
    pid_t pid;
    assert_int_equal(posix_spawn(&pid, argv[0], &fa, NULL, (char *const *)argv, env), 0);
    free(env);
    posix_spawn_file_actions_destroy(&fa);
    close(slave);
    close(perr[1]);
    size_t n = 0;
    ssize_t got;
    while (n < size - 1 && (got = read(perr[0], err + n, size - 1 - n)) > 0) n += (size_t)got;
    err[n] = '\0';
    close(perr[0]);
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    close(master);
    assert_true(WIFEXITED(status));
    return WEXITSTATUS(status);
}

static void expect_refused_on_terminal(const char *const *argv)
{
    char err[4096];
    const int code = run_on_terminal(argv, err, sizeof err);
    if (code < 0) skip();
    if (code == 0) fail_msg("%s output was written to a terminal", argv[4]);
    assert_true(strncmp(err, "octavo: ", 8) == 0);
    assert_int_equal(octest_count_lines(err), 1);
}

/* Binary output is refused on a terminal: stdout is a pseudo-terminal. */
static void test_binary_refuses_terminal(void **state)
{
    fixture *f = *state;
    const char *cli = octest_env("OCTAVO_CLI");
    const char *bin[] = {cli, "--plugin-dir", f->good, "-t", "octest-bin", f->in, NULL};
    expect_refused_on_terminal(bin);

    /* A text format is fine on a terminal. */
    const char *text[] = {cli, "--plugin-dir", f->good, "-t", "octest", f->in, NULL};
    char err[4096];
    assert_int_equal(run_on_terminal(text, err, sizeof err), 0);

    /* To a pipe the binary conversion is fine too. */
    octest_result r;
    octest_run_cli(&r, NULL, 0, NULL, "--plugin-dir", f->good, "-t", "octest-bin", f->in, NULL);
    expect_exit(&r, 0);
    assert_string_equal(r.out, sample);
    octest_result_free(&r);

    /* The real binary writers, when built. */
    octest_run_cli(&r, NULL, 0, NULL, "--list-formats", NULL);
    char line[1024];
    const char *real[] = {"epub", "docx"};
    for (size_t i = 0; i < 2; i++) {
        if (r.exit_code != 0 || !find_line(r.out, real[i], line, sizeof line)) continue;
        const char *argv[] = {cli, "--plugin-dir", f->good, "-t", real[i], f->in, NULL};
        expect_refused_on_terminal(argv);
    }
    octest_result_free(&r);
}

/* The info line about a plugin from a newer minor ABI shows with -v only. */
static void test_verbose_shows_info(void **state)
{
    fixture *f = *state;
    octest_result r;
    octest_run_cli(&r, NULL, 0, NULL, "--plugin-dir", f->broken, "-t", "octest", f->in, NULL);
    expect_exit(&r, 0);
    assert_null(strstr(r.err, "newer_minor.so"));
    octest_result_free(&r);
    octest_run_cli(&r, NULL, 0, NULL, "-v", "--plugin-dir", f->broken, "-t", "octest", f->in,
                   NULL);
    expect_exit(&r, 0);
    assert_non_null(strstr(r.err, "newer_minor.so"));
    assert_string_equal(r.out, sample);
    octest_result_free(&r);
}

/* Whether the child has a handler installed for SIGINT (Linux /proc). */
static int catches_sigint(pid_t pid)
{
    char path[64], line[256];
    snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
    FILE *fp = fopen(path, "r");
    if (fp == NULL) return 0;
    int caught = 0;
    while (fgets(line, sizeof line, fp) != NULL) {
        if (strncmp(line, "SigCgt:", 7) == 0) {
            const unsigned long long mask = strtoull(line + 7, NULL, 16);
            caught = (mask >> (SIGINT - 1)) & 1;
        }
    }
    fclose(fp);
    return caught;
}

/* SIGINT while reading stdin: exit 130, one line, no output file. The test
 * waits until the handler is installed so the signal cannot kill the child
 * before octavo has a say, and closes stdin after the signal so the outcome
 * does not depend on whether read() restarts. */
static void test_interrupt_exits_130(void **state)
{
    fixture *f = *state;
    int pin[2], perr[2];
    assert_int_equal(pipe(pin), 0);
    assert_int_equal(pipe(perr), 0);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, pin[0], 0);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_adddup2(&fa, perr[1], 2);
    posix_spawn_file_actions_addclose(&fa, pin[1]);
    posix_spawn_file_actions_addclose(&fa, perr[0]);
    const char *argv[] = {octest_env("OCTAVO_CLI"), "--plugin-dir", f->good, "-f", "octest",
                          "-", "-o", f->out, NULL};
    char **env = octest_child_env(NULL);
    pid_t pid;
    assert_int_equal(posix_spawn(&pid, argv[0], &fa, NULL, (char *const *)argv, env), 0);
    free(env);
    posix_spawn_file_actions_destroy(&fa);
    close(pin[0]);
    close(perr[1]);

    int ready = 0;
    for (int i = 0; i < 3000 && !ready; i++) {
        ready = catches_sigint(pid);
        if (!ready) usleep(10000);
    }
    if (!ready) {
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
        fail_msg("octavo never installed a SIGINT handler");
    }
    signal(SIGPIPE, SIG_IGN);
    assert_int_equal(write(pin[1], "title: T\npartial\n", 18), 18);
    assert_int_equal(kill(pid, SIGINT), 0);
    close(pin[1]);

    char err[4096];
    size_t n = 0;
    ssize_t got;
    while (n < sizeof err - 1 && (got = read(perr[0], err + n, sizeof err - 1 - n)) > 0) {
        n += (size_t)got;
    }
    err[n] = '\0';
    close(perr[0]);
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    if (!WIFEXITED(status)) fail_msg("octavo died of signal %d", WTERMSIG(status));
    assert_int_equal(WEXITSTATUS(status), 130);
    assert_true(strncmp(err, "octavo: ", 8) == 0);
    assert_int_equal(octest_count_lines(err), 1);
    assert_false(octest_exists(f->out));
    assert_int_equal(octest_dir_entries(f->dir), 1);
}

/* --------------------------------------------- end to end, real plugins */

/* The text reader and Markdown writer are other engineers' work: check only
 * what must hold whatever their style. */
static void test_text_to_markdown(void **state)
{
    fixture *f = *state;
    char article[1024], out[1100];
    octest_path(article, sizeof article, octest_env("OCTAVO_SOURCE_DIR"), "samples/article.txt");
    if (!octest_exists(article)) {
        print_message("skipped: %s not written yet\n", article);
        skip();
    }
    if (!reader_and_markdown_built("text")) skip();
    octest_result r;

    octest_path(out, sizeof out, f->dir, "out.md");
    octest_run_cli(&r, NULL, 0, NULL, article, "-o", out, NULL);
    expect_exit(&r, 0);
    octest_result_free(&r);
    size_t len = 0;
    char *md = octest_read_file(out, &len);
    assert_non_null(md);
    assert_true(len > 100);
    assert_true(oct_utf8_is_valid(md, len));
    /* The headline of samples/article.txt, as a heading or the front
     * matter's title; the body's words are there too. */
    const char *headline = "Grid of Promises";
    const char *at = strstr(md, headline);
    if (at == NULL) fail_msg("headline \"%s\" missing from the Markdown", headline);
    const char *bol = at;
    while (bol > md && bol[-1] != '\n') bol--;
    const int atx = bol[0] == '#';
    const char *fm_end = strncmp(md, "---\n", 4) == 0 ? strstr(md + 4, "\n---") : NULL;
    const int front_matter = fm_end != NULL && at < fm_end && strncmp(bol, "title:", 6) == 0;
    const char *eol = strchr(at, '\n');
    const int setext = eol != NULL && (eol[1] == '=' || eol[1] == '-');
    if (!atx && !front_matter && !setext) fail_msg("headline is neither a heading nor front matter");
    assert_non_null(strstr(md, "curtailment"));

    /* Without -t or -o: Markdown on stdout, the same bytes. */
    octest_run_cli(&r, NULL, 0, NULL, article, NULL);
    expect_exit(&r, 0);
    assert_int_equal(r.out_len, len);
    assert_memory_equal(r.out, md, len);
    octest_result_free(&r);
    free(md);
}

/* A book of several HTML pages read on several threads (-j 3) comes out as
 * with -j 1: the same bytes, and the same messages in the same order. The
 * chapters' images are not in the corpus: each makes a warning. */
static void test_book_read_at_once_is_the_same(void **state)
{
    (void)state;
    char dir[1024];
    octest_path(dir, sizeof dir, octest_env("OCTAVO_SOURCE_DIR"),
                "../shared/corpora/books/debian-reference");
    static const char *const pages[] = {"index.en.html", "ch01.en.html", "ch02.en.html",
                                        "ch03.en.html", "apa.en.html"};
    char paths[5][1100];
    for (size_t i = 0; i < 5; i++) {
        octest_path(paths[i], sizeof paths[i], dir, pages[i]);
        if (!octest_exists(paths[i])) {
            print_message("skipped: %s not found\n", paths[i]);
            skip();
        }
    }
    if (!reader_and_markdown_built("html")) skip();
    octest_result one, many;
    octest_run_cli(&one, NULL, 0, NULL, "--offline", "-j", "1", "-t", "markdown", paths[0],
                   paths[1], paths[2], paths[3], paths[4], NULL);
    expect_exit(&one, 0);
    octest_run_cli(&many, NULL, 0, NULL, "--offline", "-j", "3", "-t", "markdown", paths[0],
                   paths[1], paths[2], paths[3], paths[4], NULL);
    expect_exit(&many, 0);
    assert_true(one.out_len > 100000);
    assert_int_equal(many.out_len, one.out_len);
    assert_memory_equal(many.out, one.out, one.out_len);
    assert_string_equal(many.err, one.err);
    /* The messages name the pages in input order (the index has none). */
    const char *at = many.err;
    for (size_t i = 1; i < 5; i++) {
        const char *first = strstr(many.err, pages[i]);
        assert_non_null(first);
        assert_true(first >= at);
        at = first;
    }
    octest_result_free(&one);
    octest_result_free(&many);
}

/* Links between the inputs of a book lead to the chapter or heading they
 * name, whichever way the link spells the file (a "./" or "sub/.." detour, a
 * symbolic link to it); links to files that are not inputs stay as written. */
static void test_links_between_inputs(void **state)
{
    (void)state;
    if (!reader_and_markdown_built("html")) skip();
    char dir[256], a[1024], b[1024], sub[1024], alias[1024];
    octest_tempdir(dir, sizeof dir);
    octest_path(a, sizeof a, dir, "a.html");
    octest_path(b, sizeof b, dir, "b.html");
    octest_path(sub, sizeof sub, dir, "sub");
    octest_path(alias, sizeof alias, dir, "alias.html");
    static const char page_a[] =
        "<html><head><title>A</title></head><body><h1>Page A</h1>"
        "<p><a href=\"b.html#sec\">one</a> <a href=\"./b.html\">two</a> "
        "<a href=\"sub/../b.html#sec\">three</a> <a href=\"alias.html#sec\">four</a> "
        "<a href=\"c.html#sec\">five</a> <a href=\"b.html#sec\">six</a></p></body></html>";
    static const char page_b[] =
        "<html><head><title>B</title></head><body><h1>Page B</h1>"
        "<h2 id=\"sec\">Section</h2><p>text</p></body></html>";
    octest_write_file(a, page_a, sizeof page_a - 1);
    octest_write_file(b, page_b, sizeof page_b - 1);
    assert_int_equal(mkdir(sub, 0755), 0);
    assert_int_equal(symlink("b.html", alias), 0);
    octest_result r;
    octest_run_cli(&r, NULL, 0, NULL, "--offline", "-q", "-f", "html", "-t", "markdown", a, b,
                   NULL);
    expect_exit(&r, 0);
    assert_non_null(strstr(r.out, "[one](#sec)"));
    assert_non_null(strstr(r.out, "[three](#sec)"));
    assert_non_null(strstr(r.out, "[four](#sec)"));
    assert_non_null(strstr(r.out, "[five](c.html#sec)"));
    assert_non_null(strstr(r.out, "[six](#sec)"));
    /* a link to the file itself leads to its chapter's heading */
    const char *two = strstr(r.out, "[two](#");
    assert_non_null(two);
    assert_null(strstr(r.out, "b.html"));
    octest_result_free(&r);
    octest_remove_tree(dir);
}

/* An image named many times is loaded once and every image naming it gets
 * the same resource, and one that cannot be read is reported once, not
 * once for each time the page names it (a saved page names its icons
 * hundreds of times). */
static void test_repeated_images_loaded_once(void **state)
{
    (void)state;
    if (!reader_and_markdown_built("html")) skip();
    static const unsigned char one_pixel_png[] = {
        0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48,
        0x44, 0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x00, 0x00, 0x00,
        0x00, 0x3a, 0x7e, 0x9b, 0x55, 0x00, 0x00, 0x00, 0x0a, 0x49, 0x44, 0x41, 0x54, 0x78,
        0x9c, 0x63, 0x60, 0x00, 0x00, 0x00, 0x02, 0x00, 0x01, 0x48, 0xaf, 0xa4, 0x71, 0x00,
        0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82};
    static const char page[] =
        "<html><head><title>T</title></head><body><p>x <img src=\"a.png\" alt=\"one\"> "
        "<img src=\"missing.png\" alt=\"m1\"> <img src=\"a.png\" alt=\"two\"> "
        "<img src=\"missing.png\" alt=\"m2\"> <img src=\"./a.png\" alt=\"three\"> "
        "<img src=\"missing.png\" alt=\"m3\"></p></body></html>";
    char dir[256], png[1024], html[1024];
    octest_tempdir(dir, sizeof dir);
    octest_path(png, sizeof png, dir, "a.png");
    octest_path(html, sizeof html, dir, "p.html");
    octest_write_file(png, one_pixel_png, sizeof one_pixel_png);
    octest_write_file(html, page, sizeof page - 1);
    octest_result r;
    octest_run_cli(&r, NULL, 0, NULL, "--offline", "-f", "html", "-t", "tree", html, NULL);
    expect_exit(&r, 0);
    if (octest_count_lines(r.err) != 1 || !strstr(r.err, "image missing.png skipped")) {
        dump_result("one warning for the missing image", &r);
        fail_msg("want one warning naming missing.png");
    }
    /* one resource, named by the three images of a.png */
    const char *res = strstr(r.out, "resource img-");
    assert_non_null(res);
    assert_null(strstr(res + 1, "\nresource "));
    size_t named = 0;
    for (const char *p = r.out; (p = strstr(p, "resource=\"img-")) != NULL; p++) named++;
    assert_int_equal(named, 3);
    octest_result_free(&r);
    octest_remove_tree(dir);
}

/* Standard input named twice is read twice, one after the other (the
 * second time it is empty), whatever -j says: two threads reading it at
 * once would split it between them at random. */
static void test_stdin_twice_read_in_turn(void **state)
{
    (void)state;
    if (!reader_and_markdown_built("text")) skip();
    const size_t size = 1u << 20;
    char *in = malloc(size);
    assert_non_null(in);
    for (size_t i = 0; i < size; i++)
        in[i] = (i % 61 == 60) ? '\n' : (i % 7 == 6) ? ' ' : (char)('a' + (i / 61) % 26);
    octest_result one, many;
    octest_run_cli(&one, in, size, NULL, "-j", "1", "-f", "text", "-t", "markdown", "-", "-",
                   NULL);
    expect_exit(&one, 0);
    octest_run_cli(&many, in, size, NULL, "-j", "2", "-f", "text", "-t", "markdown", "-", "-",
                   NULL);
    expect_exit(&many, 0);
    assert_true(one.out_len > size / 2);
    assert_int_equal(many.out_len, one.out_len);
    assert_memory_equal(many.out, one.out, one.out_len);
    octest_result_free(&one);
    octest_result_free(&many);
    free(in);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_version),
        cmocka_unit_test(test_help),
        cmocka_unit_test(test_book_read_at_once_is_the_same),
        cmocka_unit_test(test_stdin_twice_read_in_turn),
        cmocka_unit_test(test_links_between_inputs),
        cmocka_unit_test(test_repeated_images_loaded_once),
        T(test_list_formats),
        cmocka_unit_test(test_unknown_option),
        T(test_unknown_output_format),
        T(test_unknown_input_format),
        T(test_missing_input),
        T(test_parse_error_names_line),
        T(test_output_into_missing_directory),
        T(test_failed_input_keeps_old_output),
        T(test_failed_writer_keeps_old_output),
        T(test_output_format_from_extension),
        T(test_output_to_stdout),
        T(test_input_from_stdin),
        T(test_metadata_override),
        T(test_several_inputs_in_order),
        T(test_broken_plugin_dir),
        T(test_plugin_path_environment),
        T(test_warnings_and_quiet),
        T(test_dump_tree),
        T(test_binary_refuses_terminal),
        T(test_verbose_shows_info),
        T(test_interrupt_exits_130),
        T(test_text_to_markdown),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
