/* html_test_support.c — shared by the HTML reader's tests. */
#include "html_test_support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void quiet_log(void *userdata, oct_severity sev, const char *where, long line,
                      const char *message)
{
    (void)userdata;
    (void)where;
    (void)line;
    if (sev == OCT_SEV_ERROR)
        fprintf(stderr, "octavo: %s\n", message);
}

int html_test_open(html_test_env *env)
{
    memset(env, 0, sizeof *env);
    const char *dir = getenv("OCTAVO_TEST_PLUGIN_DIR");
    if (!dir)
        return 0;
    env->reg = oct_registry_new();
    if (!env->reg || oct_registry_load_dir(env->reg, dir) == 0)
        return 0;
    env->html = oct_registry_find(env->reg, "html");
    env->ctx = oct_context_new(env->reg);
    if (!env->html || !env->ctx)
        return 0;
    oct_context_set_log(env->ctx, quiet_log, NULL);
    oct_context_set_option(env->ctx, "offline", "on");
    return 1;
}

void html_test_close(html_test_env *env)
{
    oct_context_free(env->ctx);
    oct_registry_free(env->reg);
    memset(env, 0, sizeof *env);
}

char *html_test_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    oct_buf b;
    oct_buf_init(&b, 0);
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        oct_buf_append(&b, chunk, n);
    fclose(f);
    if (b.status) {
        oct_buf_free(&b);
        return NULL;
    }
    if (!b.data) {
        *len = 0;
        return calloc(1, 1);
    }
    return oct_buf_detach(&b, len);
}

const char *html_test_source_path(char *buf, size_t size, const char *rel)
{
    const char *src = getenv("OCTAVO_SOURCE_DIR");
    snprintf(buf, size, "%s/%s", src ? src : ".", rel);
    return buf;
}

oct_status html_test_read(html_test_env *env, const void *data, size_t len, const char *name,
                          oct_doc **out)
{
    oct_error err;
    oct_error_clear(&err);
    *out = NULL;
    oct_status st = oct_read_memory(env->ctx, data, len, name, env->html, out, &err);
    if (st == OCT_OK)
        st = oct_doc_normalize(env->ctx, *out, &err);
    if (st == OCT_OK)
        st = oct_doc_validate(*out, &err);
    if (st != OCT_OK) {
        char msg[1200];
        fprintf(stderr, "%s: %s\n", name, oct_error_format(&err, msg, sizeof msg));
    }
    return st;
}

void html_test_doc_text(const oct_doc *doc, oct_buf *buf)
{
    oct_iter it;
    oct_iter_init(&it, oct_doc_root(doc));
    oct_event ev;
    while ((ev = oct_iter_next(&it)) != OCT_EVENT_DONE) {
        if (ev != OCT_EVENT_ENTER)
            continue;
        const oct_node *n = oct_iter_node(&it);
        size_t len = 0;
        const char *s = NULL;
        switch (oct_node_get_type(n)) {
        case OCT_NODE_TEXT:
        case OCT_NODE_CODE:
        case OCT_NODE_CODE_BLOCK:
        case OCT_NODE_RAW_BLOCK:
        case OCT_NODE_RAW_INLINE:
            s = oct_node_literal(n, &len);
            break;
        case OCT_NODE_IMAGE:
            s = oct_node_image_alt(n);
            len = s ? strlen(s) : 0;
            break;
        case OCT_NODE_FOOTNOTE_REF: /* rendered as its number */
            s = oct_node_footnote_label(n);
            len = s ? strlen(s) : 0;
            break;
        default:
            break;
        }
        if (s && len) {
            oct_buf_append(buf, s, len);
            oct_buf_putc(buf, ' ');
        }
    }
}
