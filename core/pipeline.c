/*
 * pipeline.c — source -> reader -> tree -> transforms -> writer -> sink.
 * The CLI and the batch runner drive conversions only through here.
 */
#include "internal.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

/* "dir/story.en.html?x#y" -> "html"; NULL when there is none. */
static const char *extension_of(const char *name, char *buf, size_t size)
{
    if (!name) return NULL;
    size_t end = strcspn(name, oct_is_remote_url(name) ? "?#" : "");
    const char *start = name;
    for (size_t i = 0; i < end; i++)
        if (name[i] == '/') start = name + i + 1;
    const char *dot = NULL;
    for (const char *p = start; p < name + end; p++)
        if (*p == '.') dot = p;
    if (!dot || dot == start || (size_t)(name + end - dot - 1) >= size) return NULL;
    size_t n = (size_t)(name + end - dot - 1);
    memcpy(buf, dot + 1, n);
    buf[n] = '\0';
    return n ? buf : NULL;
}

static const oct_format *pick_reader(oct_context *ctx, const unsigned char *data, size_t len,
                                     const char *name, const char *content_type, oct_error *err)
{
    const oct_registry *reg = oct_context_registry(ctx);
    char ext[32];
    const char *e = extension_of(name, ext, sizeof ext);
    const oct_format *f = e ? oct_registry_find_by_extension(reg, e, 0) : NULL;
    /* the media type's essence, without parameters */
    if (!f && content_type)
        f = oct_registry_find_by_media_type(reg, content_type, strcspn(content_type, "; "));
    if (!f) f = oct_registry_probe(reg, data, len, name);
    if (!f)
        oct_error_set(err, OCT_ERR_UNKNOWN_FORMAT, name, 0,
                      "cannot tell the input format; name it with -f (see --list-formats)");
    return f;
}

static oct_status read_bytes(oct_context *ctx, const unsigned char *data, size_t len,
                             const char *name, const char *path, const char *url,
                             const char *content_type, const oct_format *reader, oct_doc **out,
                             oct_error *err)
{
    *out = NULL;
    if (!reader) reader = pick_reader(ctx, data, len, name, content_type, err);
    if (!reader) return err ? err->status : OCT_ERR_UNKNOWN_FORMAT;
    if (!reader->read)
        return oct_error_set(err, OCT_ERR_UNKNOWN_FORMAT, name, 0, "format '%s' cannot be read",
                             reader->name);
    oct_doc *doc = oct_doc_new();
    if (!doc) return oct_error_set(err, OCT_ERR_NOMEM, name, 0, NULL);
    oct_doc_set_limits(doc, oct_context_limits(ctx));
    /* A tree holds its input's text and a node for each piece of it, so it
     * takes at least about as many bytes as the input: that much at once
     * spares the arena its doublings, and for an input of more than
     * 512 KiB it sits on huge pages (arena.c). */
    oct_arena_reserve(&doc->arena, len);
    oct_status st = oct_doc_set_base(doc, url ? url : path);
    if (st) { oct_doc_free(doc); return oct_error_set(err, st, name, 0, NULL); }
    oct_input in = {
        .struct_size = sizeof in, .data = data, .len = len, .name = name,
        .path = path, .url = url, .content_type = content_type,
    };
    char *saved_where = oct_context_where(ctx) ? strdup(oct_context_where(ctx)) : NULL;
    oct_context_set_where(ctx, name);
    oct_error local;
    oct_error_clear(&local);
    st = reader->read(ctx, &in, doc, &local);
    if (st == OCT_OK && oct_interrupted()) st = oct_error_set(&local, OCT_ERR_INTERRUPTED, name, 0, NULL);
    /* Whatever the reader made of it, a refused node means lost content. */
    if (doc->node_limit_hit && (st == OCT_OK || st == OCT_ERR_LIMIT))
        st = oct_error_set(&local, OCT_ERR_LIMIT, name, 0,
                           "more than %llu nodes in one document (raise with --max-nodes)",
                           (unsigned long long)doc->limits.max_nodes);
    if (st == OCT_OK) {
        /* The builder keeps readers honest; this catches one that bypassed it
         * (its literals were checked as they were set). */
        st = oct_doc_validate_shape(doc, &local);
        if (st) {
            char msg[600];
            snprintf(msg, sizeof msg, "reader '%s' produced an invalid tree: %s", reader->name,
                     local.message);
            oct_error_set(&local, OCT_ERR_CONVERSION, name, 0, "%s", msg);
            st = OCT_ERR_CONVERSION;
        }
    }
    oct_context_set_where(ctx, saved_where);
    free(saved_where);
    if (st) {
        if (!local.where[0]) snprintf(local.where, sizeof local.where, "%s", name);
        if (local.status == OCT_OK) local.status = st;
        if (!local.message[0]) snprintf(local.message, sizeof local.message, "%s", oct_status_message(st));
        if (err) *err = local;
        oct_doc_free(doc);
        return st;
    }
    *out = doc;
    return OCT_OK;
}

oct_status oct_read_memory(oct_context *ctx, const void *data, size_t len, const char *name,
                           const oct_format *reader, oct_doc **out, oct_error *err)
{
    if (!ctx || !out || (!data && len)) return oct_error_set(err, OCT_ERR_INVALID_ARG, name, 0, NULL);
    return read_bytes(ctx, data ? data : "", len, name ? name : "<memory>", NULL, NULL, NULL,
                      reader, out, err);
}

oct_status oct_read_input(oct_context *ctx, const char *name, const oct_format *reader,
                          oct_doc **out, oct_error *err)
{
    if (!ctx || !name || !out) return oct_error_set(err, OCT_ERR_INVALID_ARG, name, 0, NULL);
    *out = NULL;
    uint64_t max = oct_context_limits(ctx)->max_input_bytes;
    oct_fetched f;
    oct_status st;
    if (oct_is_remote_url(name)) {
        st = oct_fetch_url(ctx, name, max, &f, err);
        if (st) return st;
        st = read_bytes(ctx, f.data, f.len, name, NULL, f.final_url, f.content_type, reader, out, err);
    } else {
        st = oct_read_file_bounded(name, max, &f, err);
        if (st) return st;
        int is_stdin = strcmp(name, "-") == 0;
        st = read_bytes(ctx, f.data, f.len, is_stdin ? "<stdin>" : name, is_stdin ? NULL : name,
                        NULL, NULL, reader, out, err);
    }
    oct_fetched_free(&f);
    return st;
}

oct_status oct_write(oct_context *ctx, const oct_doc *doc, const oct_format *writer,
                     oct_sink *sink, oct_error *err)
{
    if (!ctx || !doc || !writer || !sink) return oct_error_set(err, OCT_ERR_INVALID_ARG, NULL, 0, NULL);
    if (!writer->write)
        return oct_error_set(err, OCT_ERR_UNKNOWN_FORMAT, NULL, 0, "format '%s' cannot be written",
                             writer->name);
    oct_error local;
    oct_error_clear(&local);
    oct_status st = writer->write(ctx, doc, sink, &local);
    if (oct_sink_status(sink)) {
        /* The sink knows better than the writer why writing stopped. */
        st = oct_sink_status(sink);
        if (st == OCT_ERR_LIMIT)
            oct_error_set(&local, OCT_ERR_LIMIT, NULL, 0,
                          "output larger than %llu bytes (raise with --max-output-size)",
                          (unsigned long long)oct_context_limits(ctx)->max_output_bytes);
        else
            oct_error_set(&local, OCT_ERR_OUTPUT, NULL, 0, "cannot write output");
        st = local.status;
    }
    if (st && err) {
        *err = local;
        if (err->status == OCT_OK) err->status = st;
        if (!err->message[0]) snprintf(err->message, sizeof err->message, "%s: %s", writer->name,
                                       oct_status_message(st));
    }
    return st;
}

/* "china-russia_ties.txt" -> "China russia ties": a title of last resort. */
static void title_from_name(const char *name, char *out, size_t size)
{
    const char *base = strrchr(name, '/');
    base = base ? base + 1 : name;
    size_t n = strcspn(base, "?#");
    const char *dot = NULL;
    for (const char *p = base; p < base + n; p++)
        if (*p == '.') dot = p;
    if (dot && dot != base) n = (size_t)(dot - base);
    size_t o = 0;
    for (size_t i = 0; i < n && o + 1 < size; i++) {
        char c = base[i];
        if (c == '-' || c == '_' || c == '+') c = ' ';
        if (c == ' ' && (o == 0 || out[o - 1] == ' ')) continue;
        out[o++] = c;
    }
    while (o && out[o - 1] == ' ') o--;
    out[o] = '\0';
    if (o && out[0] >= 'a' && out[0] <= 'z') out[0] = (char)(out[0] - 'a' + 'A');
}

const oct_format *oct_convert_pick_writer(oct_context *ctx, const oct_convert_request *req,
                                          oct_error *err)
{
    const oct_registry *reg = oct_context_registry(ctx);
    const oct_format *w = NULL;
    if (req->to) {
        w = oct_registry_find(reg, req->to);
        if (!w) {
            oct_error_set(err, OCT_ERR_UNKNOWN_FORMAT, NULL, 0,
                          "unknown output format '%s' (see --list-formats)", req->to);
            return NULL;
        }
        if (!w->write) {
            oct_error_set(err, OCT_ERR_UNKNOWN_FORMAT, NULL, 0, "format '%s' can only be read", req->to);
            return NULL;
        }
        return w;
    }
    char ext[32];
    const char *e = req->output && strcmp(req->output, "-") != 0
                        ? extension_of(req->output, ext, sizeof ext) : NULL;
    if (e) {
        w = oct_registry_find_by_extension(reg, e, 1);
        if (!w)
            oct_error_set(err, OCT_ERR_UNKNOWN_FORMAT, req->output, 0,
                          "no output format writes .%s files; name one with -t", e);
        return w;
    }
    w = oct_registry_find(reg, "markdown");
    if (!w) oct_error_set(err, OCT_ERR_UNKNOWN_FORMAT, NULL, 0, "no markdown writer is installed; name a format with -t");
    return w;
}

static oct_status apply_metadata(oct_doc *doc, const oct_convert_request *req, oct_error *err)
{
    for (size_t i = 0; i < req->n_metadata; i++) {
        const char *kv = req->metadata[i];
        const char *eq = strchr(kv, '=');
        size_t klen = eq ? (size_t)(eq - kv) : strlen(kv);
        char key[128];
        if (klen == 0 || klen >= sizeof key)
            return oct_error_set(err, OCT_ERR_INVALID_ARG, NULL, 0, "bad metadata '%s' (use KEY=VALUE)", kv);
        memcpy(key, kv, klen);
        key[klen] = '\0';
        const char *value = eq ? eq + 1 : "true";
        /* The first -M of a key replaces what the reader found; more of the
         * same key add values (several authors). */
        int first = 1;
        for (size_t j = 0; j < i && first; j++)
            first = !(strncmp(req->metadata[j], key, klen) == 0 &&
                      (req->metadata[j][klen] == '=' || req->metadata[j][klen] == '\0'));
        oct_status st = first ? oct_meta_set(doc, key, value) : oct_meta_add(doc, key, value);
        if (st) return oct_error_set(err, st, NULL, 0, "bad metadata '%s': %s", kv, oct_status_message(st));
    }
    return OCT_OK;
}

/* Files the user named (cover, stylesheets, reference doc) become part of the
 * document here, on the source side: writers never open files. */
static oct_status attach_user_files(oct_context *ctx, oct_doc *doc, const oct_convert_request *req,
                                    oct_error *err)
{
    uint64_t max = oct_context_limits(ctx)->max_input_bytes;
    oct_fetched f;
    oct_status st;
    if (req->cover_image) {
        if ((st = oct_read_file_bounded(req->cover_image, max, &f, err))) return st;
        oct_resource *r = oct_doc_add_resource(doc, f.data, f.len, NULL, req->cover_image, err);
        oct_fetched_free(&f);
        if (!r) {
            if (err) snprintf(err->where, sizeof err->where, "%s", req->cover_image);
            return err ? err->status : OCT_ERR_UNSUPPORTED;
        }
        oct_doc_set_cover(doc, r);
    }
    for (size_t i = 0; i < req->n_stylesheets; i++) {
        if ((st = oct_read_file_bounded(req->stylesheets[i], max, &f, err))) return st;
        int ok = !memchr(f.data, 0, f.len) && oct_utf8_is_valid((const char *)f.data, f.len);
        char *css = ok ? strndup((const char *)f.data, f.len) : NULL;
        oct_fetched_free(&f);
        if (!ok) return oct_error_set(err, OCT_ERR_INVALID_UTF8, req->stylesheets[i], 0, "stylesheet is not UTF-8 text");
        if (!css) return oct_error_set(err, OCT_ERR_NOMEM, NULL, 0, NULL);
        st = oct_meta_add(doc, "css", css);
        free(css);
        if (st) return oct_error_set(err, st, req->stylesheets[i], 0, NULL);
    }
    if (req->reference_doc) {
        if ((st = oct_read_file_bounded(req->reference_doc, max, &f, err))) return st;
        oct_resource *r = NULL;
        if (f.len >= 4 && memcmp(f.data, "PK\3\4", 4) == 0)
            r = oct_doc_add_resource(doc, f.data, f.len,
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                req->reference_doc, err);
        else
            oct_error_set(err, OCT_ERR_PARSE, req->reference_doc, 0, "not a DOCX file");
        oct_fetched_free(&f);
        if (!r) return err ? err->status : OCT_ERR_PARSE;
        oct_meta_set(doc, "reference-doc", oct_resource_id(r));
    }
    return OCT_OK;
}

static oct_status extract_media(oct_doc *doc, const char *dir, oct_error *err)
{
    if (mkdir(dir, 0777) != 0 && access(dir, W_OK) != 0)
        return oct_error_set(err, OCT_ERR_OUTPUT, dir, 0, "cannot create the media folder");
    for (size_t i = 0; i < oct_doc_resource_count(doc); i++) {
        oct_resource *r = oct_doc_resource_at(doc, i);
        if (oct_meta_get(doc, "reference-doc") && strcmp(oct_meta_get(doc, "reference-doc"), r->id) == 0) continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s.%s", dir, r->id, oct_resource_extension(r));
        oct_sink *s = oct_sink_open_file(path, err);
        if (!s) return err ? err->status : OCT_ERR_OUTPUT;
        oct_sink_write(s, r->data, r->len);
        oct_status st = oct_sink_commit(s, err);
        oct_sink_close(s);
        if (st) return st;
        oct_resource_set_href(r, path);
    }
    return OCT_OK;
}

oct_status oct_convert(oct_context *ctx, const oct_convert_request *req, oct_error *err)
{
    if (!ctx || !req || req->n_inputs == 0 || !req->inputs)
        return oct_error_set(err, OCT_ERR_INVALID_ARG, NULL, 0, "no input");
    oct_convert_request r;
    memset(&r, 0, sizeof r);
    memcpy(&r, req, req->struct_size < sizeof r ? req->struct_size : sizeof r);
    const oct_registry *reg = oct_context_registry(ctx);
    const oct_format *reader = NULL;
    if (r.from) {
        reader = oct_registry_find(reg, r.from);
        if (!reader || !reader->read)
            return oct_error_set(err, OCT_ERR_UNKNOWN_FORMAT, NULL, 0,
                                 "unknown input format '%s' (see --list-formats)", r.from);
    }
    const oct_format *writer = oct_convert_pick_writer(ctx, &r, err);
    if (!writer) return err ? err->status : OCT_ERR_UNKNOWN_FORMAT;
    int to_stdout = !r.output || strcmp(r.output, "-") == 0;
    if (to_stdout && (writer->flags & OCT_FORMAT_BINARY) && isatty(STDOUT_FILENO))
        return oct_error_set(err, OCT_ERR_INVALID_ARG, NULL, 0,
                             "%s is a binary format; not writing it to a terminal (use -o FILE)",
                             writer->name);

    /* All parts are read first, so links between them can be tied up before
     * they become one document. */
    oct_doc **parts = calloc(r.n_inputs, sizeof *parts);
    if (!parts) return oct_error_set(err, OCT_ERR_NOMEM, NULL, 0, NULL);
    oct_status st = oct_read_parts(ctx, r.inputs, r.n_inputs, reader, r.read_threads, parts, err);
    if (!st) {
        st = oct_docs_link_parts(parts, r.inputs, r.n_inputs);
        if (st) oct_error_set(err, st, NULL, 0, NULL);
    }
    oct_doc *doc = parts[0];
    for (size_t i = 1; i < r.n_inputs; i++) {
        if (!st) {
            st = oct_doc_append_doc(doc, parts[i], err);
            if (!st) parts[i] = NULL; /* now owned by doc */
        }
    }
    if (st) {
        for (size_t i = 0; i < r.n_inputs; i++) oct_doc_free(parts[i]);
        free(parts);
        return st;
    }
    free(parts);
    if (!st) st = apply_metadata(doc, &r, err);
    if (!st && !oct_meta_get(doc, OCT_META_TITLE)) {
        char title[256];
        title_from_name(strcmp(r.inputs[0], "-") == 0 ? "" : r.inputs[0], title, sizeof title);
        if (*title && oct_utf8_is_valid(title, strlen(title))) oct_meta_set(doc, OCT_META_TITLE, title);
    }
    if (!st) st = attach_user_files(ctx, doc, &r, err);
    if (!st) st = oct_doc_normalize(ctx, doc, err);
    if (!st && r.extract_media) st = extract_media(doc, r.extract_media, err);
    if (!st && oct_interrupted()) st = oct_error_set(err, OCT_ERR_INTERRUPTED, NULL, 0, NULL);
    if (st) {
        oct_doc_free(doc);
        return st;
    }
    oct_sink *sink = oct_sink_open_file(to_stdout ? "-" : r.output, err);
    if (!sink) {
        oct_doc_free(doc);
        return err ? err->status : OCT_ERR_OUTPUT;
    }
    oct_sink_set_durable(sink, oct_context_option_bool(ctx, "fsync", 1));
    oct_sink_set_max(sink, oct_context_limits(ctx)->max_output_bytes);
    oct_context_set_where(ctx, to_stdout ? "<stdout>" : r.output);
    st = oct_write(ctx, doc, writer, sink, err);
    if (!st && oct_interrupted()) st = oct_error_set(err, OCT_ERR_INTERRUPTED, NULL, 0, NULL);
    if (!st) st = oct_sink_commit(sink, err);
    if (st && err && !err->where[0])
        snprintf(err->where, sizeof err->where, "%s", to_stdout ? "<stdout>" : r.output);
    oct_sink_close(sink);
    oct_doc_free(doc);
    return st;
}
