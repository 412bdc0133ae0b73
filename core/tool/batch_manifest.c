/* batch_manifest.c — the incremental manifest, a JSON file in the output
 * folder. Modification times are not trusted: CI checkouts reset them. */
#include "batch_manifest.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "batch_report.h"

#define MANIFEST_MAX_BYTES ((size_t)256 * 1024 * 1024)

void batch_hex(const uint8_t sha[32], char out[65])
{
    static const char digits[] = "0123456789abcdef";
    for (int i = 0; i < 32; i++) {
        out[2 * i] = digits[sha[i] >> 4];
        out[2 * i + 1] = digits[sha[i] & 15];
    }
    out[64] = '\0';
}

int batch_hash_file(const char *path, uint64_t max, uint8_t sha[32], uint64_t *bytes)
{
    FILE *f = fopen(path, "rb");
    if (!f) return -1;
    oct_buf b;
    oct_buf_init(&b, max ? (size_t)max : 0);
    char chunk[65536];
    size_t n;
    int rc = 0;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        if (oct_buf_append(&b, chunk, n)) { errno = EFBIG; rc = -1; break; }
    if (!rc && ferror(f)) rc = -1;
    int saved = errno;
    fclose(f);
    if (!rc) {
        oct_sha256(b.data ? b.data : "", b.len, sha);
        *bytes = b.len;
    }
    oct_buf_free(&b);
    errno = saved;
    return rc;
}

static char *manifest_path(const char *dir)
{
    size_t n = strlen(dir) + sizeof BATCH_MANIFEST_NAME + 2;
    char *p = malloc(n);
    if (p) snprintf(p, n, "%s/%s", dir, BATCH_MANIFEST_NAME);
    return p;
}

json_t *batch_manifest_load(const char *output_dir)
{
    char *path = manifest_path(output_dir);
    json_error_t jerr;
    json_t *root = path ? json_load_file(path, JSON_REJECT_DUPLICATES, &jerr) : NULL;
    free(path);
    json_t *entries = root ? json_object_get(root, "entries") : NULL;
    const json_t *version = root ? json_object_get(root, "version") : NULL;
    if (json_is_object(entries) && json_integer_value(version) == 1) json_incref(entries);
    else entries = json_object();
    json_decref(root);
    return entries;
}

static int same_text(const json_t *e, const char *key, const char *expected)
{
    const char *v = json_string_value(json_object_get(e, key));
    return v && strcmp(v, expected) == 0;
}

int batch_manifest_current(const json_t *entries, batch_item *it, const char *config_hex)
{
    const json_t *e = json_object_get(entries, it->rel);
    if (!json_is_object(e) || !it->output) return 0;
    char hex[65];
    batch_hex(it->input_sha256, hex);
    if (!same_text(e, "input_sha256", hex) || !same_text(e, "config_sha256", config_hex) ||
        !same_text(e, "output", it->output))
        return 0;
    uint8_t out_sha[32];
    uint64_t out_bytes;
    if (batch_hash_file(it->output, 0, out_sha, &out_bytes)) return 0;
    batch_hex(out_sha, hex);
    if (!same_text(e, "output_sha256", hex)) return 0;
    memcpy(it->output_sha256, out_sha, 32);
    it->output_bytes = out_bytes;
    const json_t *warnings = json_object_get(e, "warnings");
    size_t n = json_array_size(warnings);
    it->warnings = n ? calloc(n, sizeof *it->warnings) : NULL;
    for (size_t i = 0; it->warnings && i < n; i++) {
        const char *w = json_string_value(json_array_get(warnings, i));
        if (w && (it->warnings[it->n_warnings] = strdup(w))) it->n_warnings++;
    }
    return 1;
}

int batch_manifest_save(const char *output_dir, json_t *entries, const batch_item *items,
                        size_t n, const char *config_hex)
{
    for (size_t i = 0; i < n; i++) {
        const batch_item *it = &items[i];
        if (it->status == BATCH_NOT_RUN || it->status == BATCH_PENDING) continue;
        if ((it->status != BATCH_CONVERTED && it->status != BATCH_UP_TO_DATE) || !it->hashed) {
            json_object_del(entries, it->rel);
            continue;
        }
        char in_hex[65], out_hex[65];
        batch_hex(it->input_sha256, in_hex);
        batch_hex(it->output_sha256, out_hex);
        json_t *warnings = json_array();
        for (size_t w = 0; w < it->n_warnings; w++) {
            char *clean = batch_clean_text(it->warnings[w]);
            json_array_append_new(warnings, json_string(clean ? clean : ""));
            free(clean);
        }
        json_t *e = json_pack("{s:s, s:s, s:s, s:s, s:o}", "input_sha256", in_hex,
                              "config_sha256", config_hex, "output", it->output,
                              "output_sha256", out_hex, "warnings", warnings);
        /* a path that is not UTF-8 cannot be a JSON key: such inputs are just
         * converted again next time */
        if (!e || json_object_set_new(entries, it->rel, e)) continue;
    }
    json_t *root = json_pack("{s:s, s:i, s:O}", "format", "octavo-manifest", "version", 1,
                             "entries", entries);
    char *text = root ? json_dumps(root, JSON_SORT_KEYS | JSON_INDENT(1)) : NULL;
    json_decref(root);
    char *path = manifest_path(output_dir);
    int rc = text && path ? batch_write_file(path, text, strlen(text)) : -1;
    free(text);
    free(path);
    return rc;
}
