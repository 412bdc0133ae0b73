/*
 * octest.h — small helpers shared by octavo's tests (header-only).
 *
 * Include after <setjmp.h>, <stdarg.h>, <stddef.h> and <cmocka.h>. Every
 * helper fails the current test through CMocka when the environment is not
 * what the test harness (octavo_add_unit_test) promises.
 *
 *   octest_env("OCTAVO_CLI")                 required environment variable
 *   octest_load_plugins(reg)                 built plugins from OCTAVO_TEST_PLUGIN_DIR
 *   octest_path(buf, size, dir, name)        "dir/name"
 *   octest_read_file(path, &len)             whole file, malloc'd, NUL-terminated
 *   octest_write_file(path, data, len)
 *   octest_exists(path), octest_dir_entries(dir)
 *   octest_tempdir(buf, size)                fresh directory under $TMPDIR
 *   octest_remove_tree(dir)                  removes a directory and what it holds
 *   octest_run(argv, env, in, len, &r)       runs a program: exit code, stdout, stderr
 *   octest_run_cli(&r, in, len, env, "arg", ..., NULL)   the same for $OCTAVO_CLI
 *   octest_count_lines(s)
 *
 * Children get our environment minus OCTAVO_PLUGIN_PATH, plus env's "K=V"
 * entries, so plugin search is always the test's choice.
 */
#ifndef OCTEST_H
#define OCTEST_H

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "octavo/octavo.h"

extern char **environ;

static inline const char *octest_env(const char *name)
{
    const char *v = getenv(name);
    if (v == NULL || *v == '\0') {
        fail_msg("environment variable %s is not set (run the test through ctest)", name);
    }
    return v;
}

/* Loads the plugins of the build tree; returns how many loaded. */
static inline size_t octest_load_plugins(oct_registry *reg)
{
    return oct_registry_load_dir(reg, octest_env("OCTAVO_TEST_PLUGIN_DIR"));
}

/* Formats "<dir>/<name>" into buf. */
static inline const char *octest_path(char *buf, size_t size, const char *dir, const char *name)
{
    int n = snprintf(buf, size, "%s/%s", dir, name);
    if (n < 0 || (size_t)n >= size) fail_msg("path too long: %s/%s", dir, name);
    return buf;
}

static inline int octest_exists(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0;
}

/* The whole file, NUL-terminated (free() it); NULL when it cannot be read. */
static inline char *octest_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) return NULL;
    size_t cap = 4096, n = 0;
    char *data = malloc(cap + 1);
    assert_non_null(data);
    for (;;) {
        size_t got = fread(data + n, 1, cap - n, f);
        n += got;
        if (n < cap) break;
        cap *= 2;
        data = realloc(data, cap + 1);
        assert_non_null(data);
    }
    fclose(f);
    data[n] = '\0';
    if (len != NULL) *len = n;
    return data;
}

static inline void octest_write_file(const char *path, const void *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    if (f == NULL) fail_msg("cannot create %s: %s", path, strerror(errno));
    if (len > 0 && fwrite(data, 1, len, f) != len) fail_msg("cannot write %s", path);
    if (fclose(f) != 0) fail_msg("cannot close %s", path);
}

/* Creates a fresh directory; buf must hold at least 256 bytes. */
static inline const char *octest_tempdir(char *buf, size_t size)
{
    const char *tmp = getenv("TMPDIR");
    if (tmp == NULL || *tmp == '\0') tmp = "/tmp";
    int n = snprintf(buf, size, "%s/octest-XXXXXX", tmp);
    if (n < 0 || (size_t)n >= size) fail_msg("TMPDIR too long");
    if (mkdtemp(buf) == NULL) fail_msg("mkdtemp %s: %s", buf, strerror(errno));
    return buf;
}

/* Number of directory entries besides "." and "..". */
static inline size_t octest_dir_entries(const char *dir)
{
    DIR *d = opendir(dir);
    if (d == NULL) fail_msg("opendir %s: %s", dir, strerror(errno));
    size_t n = 0;
    const struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) n++;
    }
    closedir(d);
    return n;
}

/* Removes dir and everything under it. Recursion is fine here: tests only
 * make shallow trees, and the depth is capped. */
static inline void octest_remove_tree_at(const char *dir, int depth)
{
    DIR *d = depth < 16 ? opendir(dir) : NULL;
    if (d != NULL) {
        const struct dirent *e;
        char path[4096];
        while ((e = readdir(d)) != NULL) {
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
            octest_path(path, sizeof path, dir, e->d_name);
            struct stat st;
            if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
                octest_remove_tree_at(path, depth + 1);
            } else {
                unlink(path);
            }
        }
        closedir(d);
    }
    rmdir(dir);
}

static inline void octest_remove_tree(const char *dir)
{
    octest_remove_tree_at(dir, 0);
}

/* An oct_log_fn that appends each message, one a line, to the oct_buf
 * given as userdata. */
static inline void octest_log_to_buf(void *userdata, oct_severity sev, const char *where,
                                     long line, const char *message)
{
    (void)sev;
    (void)where;
    (void)line;
    oct_buf_puts(userdata, message);
    oct_buf_putc(userdata, '\n');
}

/* What a finished child process left. */
typedef struct octest_result {
    int exit_code;   /* exit status, or 128 + signal number */
    char *out;       /* captured stdout, NUL-terminated */
    size_t out_len;
    char *err;       /* captured stderr, NUL-terminated */
    size_t err_len;
} octest_result;

static inline void octest_result_free(octest_result *r)
{
    free(r->out);
    free(r->err);
    memset(r, 0, sizeof *r);
}

/* Lines in s (a last line without newline counts). */
static inline size_t octest_count_lines(const char *s)
{
    size_t n = 0;
    for (const char *p = s; *p != '\0'; p++) {
        if (*p == '\n' || p[1] == '\0') n++;
    }
    return n;
}

static inline void octest_append_captured(char **buf, size_t *len, size_t *cap, const char *data,
                                          size_t n)
{
    if (*len + n + 1 > *cap) {
        while (*len + n + 1 > *cap) *cap = *cap ? *cap * 2 : 4096;
        *buf = realloc(*buf, *cap);
        assert_non_null(*buf);
    }
    memcpy(*buf + *len, data, n);
    *len += n;
    (*buf)[*len] = '\0';
}

/* The environment of a child: ours, minus OCTAVO_PLUGIN_PATH (tests decide
 * plugin search themselves), plus extra "K=V" entries (NULL-terminated, may be
 * NULL). The array is malloc'd; the strings are borrowed. */
static inline char **octest_child_env(const char *const *extra)
{
    size_t n = 0, n_extra = 0;
    while (environ[n] != NULL) n++;
    while (extra != NULL && extra[n_extra] != NULL) n_extra++;
    char **env = calloc(n + n_extra + 1, sizeof *env);
    assert_non_null(env);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (strncmp(environ[i], "OCTAVO_PLUGIN_PATH=", 19) != 0) env[k++] = environ[i];
    }
    for (size_t i = 0; i < n_extra; i++) env[k++] = (char *)extra[i];
    env[k] = NULL;
    return env;
}

/* Runs argv[0] (a path) with stdin fed from in[0..in_len) and stdout/stderr
 * captured; both pipes are drained together so a chatty child never blocks. */
static inline void octest_run(const char *const *argv, const char *const *extra_env,
                              const void *in, size_t in_len, octest_result *r)
{
    int pin[2], pout[2], perr[2];
    memset(r, 0, sizeof *r);
    if (pipe(pin) != 0 || pipe(pout) != 0 || pipe(perr) != 0) fail_msg("pipe failed");

    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, pin[0], 0);
    posix_spawn_file_actions_adddup2(&fa, pout[1], 1);
    posix_spawn_file_actions_adddup2(&fa, perr[1], 2);
    posix_spawn_file_actions_addclose(&fa, pin[1]);
    posix_spawn_file_actions_addclose(&fa, pout[0]);
    posix_spawn_file_actions_addclose(&fa, perr[0]);

    char **env = octest_child_env(extra_env);
    pid_t pid;
    int rc = posix_spawn(&pid, argv[0], &fa, NULL, (char *const *)argv, env);
    posix_spawn_file_actions_destroy(&fa);
    free(env);
    if (rc != 0) fail_msg("cannot run %s: %s", argv[0], strerror(rc));
    close(pin[0]);
    close(pout[1]);
    close(perr[1]);

    /* A child that exits without reading stdin must not kill us. */
    signal(SIGPIPE, SIG_IGN);
    const unsigned char *inp = in;
    size_t in_off = 0;
    if (in_len == 0) {
        close(pin[1]);
        pin[1] = -1;
    } else {
        fcntl(pin[1], F_SETFL, fcntl(pin[1], F_GETFL) | O_NONBLOCK);
    }
    size_t out_cap = 0, err_cap = 0;
    octest_append_captured(&r->out, &r->out_len, &out_cap, "", 0);
    octest_append_captured(&r->err, &r->err_len, &err_cap, "", 0);
    int out_open = 1, err_open = 1;
    while (out_open || err_open || pin[1] >= 0) {
        struct pollfd fds[3] = {
            {out_open ? pout[0] : -1, POLLIN, 0},
            {err_open ? perr[0] : -1, POLLIN, 0},
            {pin[1], POLLOUT, 0},
        };
        if (poll(fds, 3, 60000) <= 0) fail_msg("child %s hung", argv[0]);
        char chunk[8192];
        if (fds[0].revents) {
            ssize_t n = read(pout[0], chunk, sizeof chunk);
            if (n <= 0) out_open = 0;
            else octest_append_captured(&r->out, &r->out_len, &out_cap, chunk, (size_t)n);
        }
        if (fds[1].revents) {
            ssize_t n = read(perr[0], chunk, sizeof chunk);
            if (n <= 0) err_open = 0;
            else octest_append_captured(&r->err, &r->err_len, &err_cap, chunk, (size_t)n);
        }
        if (pin[1] >= 0 && fds[2].revents) {
            ssize_t n = (fds[2].revents & POLLOUT) ? write(pin[1], inp + in_off, in_len - in_off)
                                                   : -1;
            if (n > 0) in_off += (size_t)n;
            if (n < 0 || in_off == in_len) {
                close(pin[1]);
                pin[1] = -1;
            }
        }
    }
    close(pout[0]);
    close(perr[0]);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) fail_msg("waitpid failed");
    }
    r->exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* Runs $OCTAVO_CLI with the NULL-terminated arguments after env. */
static inline void octest_run_cli(octest_result *r, const void *in, size_t in_len,
                                  const char *const *extra_env, ...)
{
    const char *argv[64];
    size_t argc = 0;
    argv[argc++] = octest_env("OCTAVO_CLI");
    va_list ap;
    va_start(ap, extra_env);
    const char *a;
    while ((a = va_arg(ap, const char *)) != NULL) {
        if (argc + 1 >= sizeof argv / sizeof argv[0]) fail_msg("too many arguments");
        argv[argc++] = a;
    }
    va_end(ap);
    argv[argc] = NULL;
    octest_run(argv, extra_env, in, in_len, r);
}

#endif /* OCTEST_H */
