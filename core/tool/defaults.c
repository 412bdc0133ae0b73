/* defaults.c — reading a defaults file with libyaml's event parser.
 *
 * The file is a flat mapping, at most three levels deep, so a fixed state
 * machine reads it: no recursion, no document tree, and anything deeper or
 * stranger (aliases, tags of other types) is refused with its line. */
#include "defaults.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

/* A defaults file is a few lines; this bounds what a hostile one costs. */
#define DEFAULTS_MAX_BYTES (1024 * 1024)
#define DEFAULTS_MAX_TEXT 4096

typedef enum level {
    AT_TOP,        /* waiting for a key of the top mapping */
    AT_VALUE,      /* waiting for the value of top key */
    IN_LIST,       /* in a list under the top key */
    IN_MAP,        /* in a mapping under the top key: waiting for a name */
    IN_MAP_VALUE,  /* waiting for the value of that name */
    IN_MAP_LIST,   /* in a list under that name */
} level;

typedef struct reader {
    const char *path;
    defaults_apply_fn apply;
    void *userdata;
    char key[128];
    char name[128];
} reader;

static int fail(const reader *r, const yaml_event_t *ev, const char *why)
{
    fprintf(stderr, "octavo: %s: line %lu: %s\n", r->path,
            ev ? (unsigned long)ev->start_mark.line + 1 : 0ul, why);
    return 2;
}

static int copy_scalar(const reader *r, const yaml_event_t *ev, char *out, size_t size)
{
    size_t n = ev->data.scalar.length;
    if (n >= size) return fail(r, ev, "value too long");
    if (memchr(ev->data.scalar.value, '\0', n)) return fail(r, ev, "NUL byte in a value");
    memcpy(out, ev->data.scalar.value, n);
    out[n] = '\0';
    return 0;
}

static int emit(reader *r, const yaml_event_t *ev, int in_map)
{
    char value[DEFAULTS_MAX_TEXT];
    int rc = copy_scalar(r, ev, value, sizeof value);
    if (rc) return rc;
    if (!in_map) return r->apply(r->userdata, r->key, value);
    char kv[sizeof r->name + DEFAULTS_MAX_TEXT + 1];
    snprintf(kv, sizeof kv, "%s=%s", r->name, value);
    return r->apply(r->userdata, r->key, kv);
}

/* Only "metadata" and "variables" take a mapping. */
static int takes_mapping(const char *key)
{
    return strcmp(key, "metadata") == 0 || strcmp(key, "variables") == 0 ||
           strcmp(key, "variable") == 0;
}

static int on_event(reader *r, level *lv, const yaml_event_t *ev)
{
    int rc;
    switch (ev->type) {
    case YAML_STREAM_START_EVENT:
    case YAML_STREAM_END_EVENT:
    case YAML_DOCUMENT_START_EVENT:
    case YAML_DOCUMENT_END_EVENT:
        return 0;
    case YAML_ALIAS_EVENT:
        return fail(r, ev, "aliases are not supported in a defaults file");
    case YAML_SCALAR_EVENT:
        switch (*lv) {
        case AT_TOP:
            if ((rc = copy_scalar(r, ev, r->key, sizeof r->key))) return rc;
            *lv = AT_VALUE;
            return 0;
        case AT_VALUE:
            *lv = AT_TOP;
            /* "key:" with nothing after it sets nothing */
            if (ev->data.scalar.length == 0 && ev->data.scalar.plain_implicit) return 0;
            return emit(r, ev, 0);
        case IN_LIST: return emit(r, ev, 0);
        case IN_MAP:
            if ((rc = copy_scalar(r, ev, r->name, sizeof r->name))) return rc;
            if (!r->name[0] || strchr(r->name, '=')) return fail(r, ev, "bad name in a mapping");
            *lv = IN_MAP_VALUE;
            return 0;
        case IN_MAP_VALUE:
            *lv = IN_MAP;
            return emit(r, ev, 1);
        case IN_MAP_LIST: return emit(r, ev, 1);
        }
        break;
    case YAML_SEQUENCE_START_EVENT:
        if (*lv == AT_VALUE) { *lv = IN_LIST; return 0; }
        if (*lv == IN_MAP_VALUE) { *lv = IN_MAP_LIST; return 0; }
        return fail(r, ev, "list nested too deeply");
    case YAML_SEQUENCE_END_EVENT:
        *lv = *lv == IN_LIST ? AT_TOP : IN_MAP;
        return 0;
    case YAML_MAPPING_START_EVENT:
        if (*lv == AT_TOP && !r->key[0]) return 0; /* the top mapping itself */
        if (*lv == AT_VALUE && takes_mapping(r->key)) { *lv = IN_MAP; return 0; }
        if (*lv == AT_VALUE) return fail(r, ev, "only metadata and variables take a mapping");
        return fail(r, ev, "mapping nested too deeply");
    case YAML_MAPPING_END_EVENT:
        if (*lv == IN_MAP) *lv = AT_TOP;
        return 0;
    case YAML_NO_EVENT:
        break;
    }
    return fail(r, ev, "unexpected YAML structure");
}

int defaults_load(const char *path, defaults_apply_fn apply, void *userdata)
{
    reader r = {.path = path, .apply = apply, .userdata = userdata};
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "octavo: %s: cannot read the defaults file\n", path);
        return 2;
    }
    char *text = malloc(DEFAULTS_MAX_BYTES + 1);
    size_t len = text ? fread(text, 1, DEFAULTS_MAX_BYTES + 1, f) : 0;
    fclose(f);
    if (!text) return fail(&r, NULL, "out of memory");
    if (len > DEFAULTS_MAX_BYTES) {
        free(text);
        return fail(&r, NULL, "defaults file larger than 1 MiB");
    }
    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser)) {
        free(text);
        return fail(&r, NULL, "out of memory");
    }
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
    level lv = AT_TOP;
    int rc = 0, top_seen = 0;
    for (;;) {
        yaml_event_t ev;
        if (!yaml_parser_parse(&parser, &ev)) {
            fprintf(stderr, "octavo: %s: line %lu: %s\n", path,
                    (unsigned long)parser.problem_mark.line + 1,
                    parser.problem ? parser.problem : "malformed YAML");
            rc = 2;
            break;
        }
        int done = ev.type == YAML_STREAM_END_EVENT;
        if (ev.type == YAML_DOCUMENT_START_EVENT && top_seen) rc = fail(&r, &ev, "only one YAML document is allowed");
        else if (ev.type == YAML_MAPPING_START_EVENT && lv == AT_TOP && !r.key[0] && top_seen)
            rc = fail(&r, &ev, "unexpected mapping");
        else if (!top_seen && (ev.type == YAML_SCALAR_EVENT || ev.type == YAML_SEQUENCE_START_EVENT))
            rc = fail(&r, &ev, "a defaults file is a mapping of option names to values");
        else {
            if (ev.type == YAML_MAPPING_START_EVENT && !top_seen) top_seen = 1;
            rc = on_event(&r, &lv, &ev);
        }
        yaml_event_delete(&ev);
        if (rc || done) break;
    }
    yaml_parser_delete(&parser);
    free(text);
    return rc;
}
