/* batch_report.c — the JSON report (jansson), JUnit XML (libxml2's
 * xmlTextWriter, opened when a report is asked for: xml_writer_load.h) and
 * the merging of sharded reports. Every string from the outside (file
 * names, messages) is cleaned first: invalid UTF-8 or a control character
 * would make the file unreadable for the CI server. */
#include "batch_report.h"
#include "batch_manifest.h"
#include "xml_writer_load.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const status_names[] = {
    [BATCH_PENDING] = "pending",     [BATCH_CONVERTED] = "converted",
    [BATCH_UP_TO_DATE] = "up-to-date", [BATCH_FAILED] = "failed",
    [BATCH_CRASHED] = "crashed",     [BATCH_REFUSED] = "refused",
    [BATCH_NOT_RUN] = "not-run",
};

const char *batch_status_name(batch_status s)
{
    return (unsigned)s < sizeof status_names / sizeof *status_names ? status_names[s] : "unknown";
}

int batch_status_from_name(const char *name)
{
    for (size_t i = 0; name && i < sizeof status_names / sizeof *status_names; i++)
        if (strcmp(status_names[i], name) == 0) return (int)i;
    return -1;
}

int batch_item_failed(const batch_item *it, int fail_if_warnings)
{
    switch (it->status) {
    case BATCH_FAILED: case BATCH_CRASHED: case BATCH_REFUSED: return 1;
    case BATCH_CONVERTED: case BATCH_UP_TO_DATE: return fail_if_warnings && it->n_warnings > 0;
    default: return 0;
    }
}

void batch_summarize(const batch_item *items, size_t n, batch_summary *s)
{
    double elapsed = s->elapsed;
    memset(s, 0, sizeof *s);
    s->elapsed = elapsed;
    s->total = n;
    for (size_t i = 0; i < n; i++) {
        switch (items[i].status) {
        case BATCH_CONVERTED: s->converted++; break;
        case BATCH_UP_TO_DATE: s->up_to_date++; break;
        case BATCH_FAILED: s->failed++; break;
        case BATCH_CRASHED: s->crashed++; break;
        case BATCH_REFUSED: s->refused++; break;
        default: s->not_run++; break;
        }
        s->warnings += items[i].n_warnings;
        if (items[i].n_warnings) s->with_warnings++;
    }
}

char *batch_clean_text(const char *s)
{
    if (!s) return NULL;
    oct_buf b;
    oct_buf_init(&b, 0);
    oct_utf8_append_repaired(&b, s, strlen(s));
    oct_buf out;
    oct_buf_init(&out, 0);
    for (size_t i = 0; i < b.len;) {
        uint32_t cp;
        size_t n = oct_utf8_decode(b.data + i, b.len - i, &cp);
        if ((cp < 0x20 && cp != '\t' && cp != '\n') || cp == 0x7f || cp == 0xfffe || cp == 0xffff)
            oct_buf_puts(&out, "\xef\xbf\xbd");
        else
            oct_buf_append(&out, b.data + i, n);
        i += n;
    }
    oct_buf_free(&b);
    if (out.status) { oct_buf_free(&out); return NULL; }
    if (!out.data) return strdup("");
    return oct_buf_detach(&out, NULL);
}

int batch_write_file(const char *path, const void *data, size_t len)
{
    oct_error err;
    oct_error_clear(&err);
    oct_sink *s = oct_sink_open_file(path, &err);
    oct_status st = s ? oct_sink_write(s, data, len) : err.status;
    if (s && !st) st = oct_sink_commit(s, &err);
    oct_sink_close(s);
    if (st) {
        char line[1200];
        if (!err.status) oct_error_set(&err, st, path, 0, "cannot write");
        fprintf(stderr, "octavo: %s\n", oct_error_format(&err, line, sizeof line));
        return -1;
    }
    return 0;
}

/* ---------------------------------------------------------------- JSON */

static json_t *clean_string(const char *s)
{
    if (!s) return json_null();
    char *c = batch_clean_text(s);
    json_t *j = c ? json_string(c) : NULL;
    free(c);
    return j ? j : json_null();
}

static json_t *summary_json(const batch_summary *s)
{
    return json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:f}",
                     "total", (json_int_t)s->total, "converted", (json_int_t)s->converted,
                     "up_to_date", (json_int_t)s->up_to_date, "failed", (json_int_t)s->failed,
                     "crashed", (json_int_t)s->crashed, "refused", (json_int_t)s->refused,
                     "not_run", (json_int_t)s->not_run, "warnings", (json_int_t)s->warnings,
                     "elapsed_s", s->elapsed);
}

static json_t *item_json(const batch_item *it, int fail_if_warnings)
{
    json_t *warnings = json_array();
    for (size_t w = 0; w < it->n_warnings; w++) json_array_append_new(warnings, clean_string(it->warnings[w]));
    char in_hex[65] = "";
    if (it->hashed) batch_hex(it->input_sha256, in_hex);
    return json_pack("{s:o, s:o, s:o, s:s, s:b, s:o, s:o, s:f, s:I, s:I, s:o}",
                     "input", clean_string(it->input), "path", clean_string(it->rel),
                     "output", clean_string(it->output), "status", batch_status_name(it->status),
                     "failed", batch_item_failed(it, fail_if_warnings),
                     "error", clean_string(it->error), "warnings", warnings,
                     "duration_s", it->seconds, "input_bytes", (json_int_t)it->input_bytes,
                     "output_bytes", (json_int_t)it->output_bytes,
                     "input_sha256", it->hashed ? json_string(in_hex) : json_null());
}

static int dump_json(const char *path, json_t *root)
{
    char *text = root ? json_dumps(root, JSON_INDENT(2)) : NULL;
    int rc = text ? batch_write_file(path, text, strlen(text)) : -1;
    if (!text) fprintf(stderr, "octavo: %s: cannot build the report\n", path);
    free(text);
    return rc;
}

static json_t *report_root(const batch_report_info *info, json_t *inputs)
{
    json_t *shard = info->shard_count
        ? json_pack("{s:I, s:I}", "index", (json_int_t)info->shard_index, "count", (json_int_t)info->shard_count)
        : json_null();
    return json_pack("{s:s, s:i, s:s, s:o, s:o, s:o, s:b, s:o, s:o}",
                     "format", "octavo-batch-report", "version", 1, "octavo", oct_version(),
                     "to", clean_string(info->to), "output_dir", clean_string(info->output_dir),
                     "shard", shard, "fail_if_warnings", info->fail_if_warnings,
                     "summary", summary_json(&info->summary), "inputs", inputs);
}

int batch_report_write_json(const char *path, const batch_report_info *info,
                            const batch_item *items, size_t n)
{
    json_t *inputs = json_array();
    for (size_t i = 0; i < n; i++) json_array_append_new(inputs, item_json(&items[i], info->fail_if_warnings));
    json_t *root = report_root(info, inputs);
    int rc = dump_json(path, root);
    json_decref(root);
    return rc;
}

/* --------------------------------------------------------------- JUnit */

/* libxml2, opened for the report (xml_writer_load.h); set before writing. */
static const xml_writer_api *xw;

static void attr(xmlTextWriterPtr w, const char *name, const char *value)
{
    char *c = batch_clean_text(value ? value : "");
    xw->write_attribute(w, BAD_CAST name, BAD_CAST(c ? c : ""));
    free(c);
}

static void attr_count(xmlTextWriterPtr w, const char *name, size_t v)
{
    char digits[32];
    snprintf(digits, sizeof digits, "%zu", v);
    xw->write_attribute(w, BAD_CAST name, BAD_CAST digits);
}

static void attr_seconds(xmlTextWriterPtr w, double seconds)
{
    char digits[64];
    snprintf(digits, sizeof digits, "%.6f", seconds);
    xw->write_attribute(w, BAD_CAST "time", BAD_CAST digits);
}

static void text_element(xmlTextWriterPtr w, const char *name, const char *type, const char *message,
                         const char *body)
{
    xw->start_element(w, BAD_CAST name);
    if (type) attr(w, "type", type);
    if (message) attr(w, "message", message);
    if (body) {
        char *c = batch_clean_text(body);
        xw->write_string(w, BAD_CAST(c ? c : ""));
        free(c);
    }
    xw->end_element(w);
}

static void testcase(xmlTextWriterPtr w, const batch_item *it, const batch_report_info *info)
{
    xw->start_element(w, BAD_CAST "testcase");
    char classname[160];
    snprintf(classname, sizeof classname, "octavo.%s", info->to ? info->to : "convert");
    attr(w, "classname", classname);
    attr(w, "name", it->input);
    attr(w, "file", it->input);
    attr_seconds(w, it->seconds);
    oct_buf warnings;
    oct_buf_init(&warnings, 0);
    for (size_t i = 0; i < it->n_warnings; i++) oct_buf_printf(&warnings, "warning: %s\n", it->warnings[i]);
    switch (it->status) {
    case BATCH_CRASHED:
        text_element(w, "error", "crash", it->error, it->error);
        break;
    case BATCH_FAILED:
    case BATCH_REFUSED:
        text_element(w, "failure", batch_status_name(it->status), it->error, it->error);
        break;
    case BATCH_UP_TO_DATE:
        if (info->fail_if_warnings && it->n_warnings) break;
        text_element(w, "skipped", NULL, "up to date", NULL);
        break;
    case BATCH_NOT_RUN:
    case BATCH_PENDING:
        text_element(w, "skipped", NULL, "not run: the batch stopped first", NULL);
        break;
    default:
        break;
    }
    if (batch_item_failed(it, info->fail_if_warnings) &&
        (it->status == BATCH_CONVERTED || it->status == BATCH_UP_TO_DATE)) {
        char msg[64];
        snprintf(msg, sizeof msg, "%zu warning%s (--fail-if-warnings)", it->n_warnings,
                 it->n_warnings == 1 ? "" : "s");
        text_element(w, "failure", "warnings", msg, warnings.data);
    }
    if (it->output && (it->status == BATCH_CONVERTED || it->status == BATCH_UP_TO_DATE)) {
        char line[4200];
        snprintf(line, sizeof line, "%s -> %s\n", it->input, it->output);
        text_element(w, "system-out", NULL, NULL, line);
    }
    if (warnings.len) text_element(w, "system-err", NULL, NULL, warnings.data);
    oct_buf_free(&warnings);
    xw->end_element(w);
}

int batch_report_write_junit(const char *path, const batch_report_info *info,
                             const batch_item *items, size_t n)
{
    const char *why = NULL;
    if (!(xw = xml_writer_load(&why))) {
        fprintf(stderr, "octavo: %s: cannot write the JUnit report: %s\n", path, why);
        return -1;
    }
    xmlBufferPtr buf = xw->buffer_create();
    xmlTextWriterPtr w = buf ? xw->new_writer(buf, 0) : NULL;
    if (!w) {
        if (buf) xw->buffer_free(buf);
        fprintf(stderr, "octavo: %s: out of memory\n", path);
        return -1;
    }
    size_t failures = 0, errors = 0, skipped = 0;
    for (size_t i = 0; i < n; i++) {
        const batch_item *it = &items[i];
        if (it->status == BATCH_CRASHED) errors++;
        else if (batch_item_failed(it, info->fail_if_warnings)) failures++;
        else if (it->status != BATCH_CONVERTED) skipped++;
    }
    char suite[200];
    if (info->shard_count)
        snprintf(suite, sizeof suite, "octavo to %s (shard %u/%u)", info->to ? info->to : "?",
                 info->shard_index, info->shard_count);
    else
        snprintf(suite, sizeof suite, "octavo to %s", info->to ? info->to : "?");
    xw->set_indent(w, 1);
    xw->start_document(w, "1.0", "UTF-8", NULL);
    xw->start_element(w, BAD_CAST "testsuites");
    attr(w, "name", "octavo");
    attr_count(w, "tests", n);
    attr_count(w, "failures", failures);
    attr_count(w, "errors", errors);
    attr_count(w, "skipped", skipped);
    attr_seconds(w, info->summary.elapsed);
    xw->start_element(w, BAD_CAST "testsuite");
    attr(w, "name", suite);
    attr_count(w, "tests", n);
    attr_count(w, "failures", failures);
    attr_count(w, "errors", errors);
    attr_count(w, "skipped", skipped);
    attr_seconds(w, info->summary.elapsed);
    for (size_t i = 0; i < n; i++) testcase(w, &items[i], info);
    xw->end_element(w);
    xw->end_element(w);
    int ok = xw->end_document(w) >= 0;
    xw->free_writer(w);
    int rc = ok ? batch_write_file(path, xw->buffer_content(buf), (size_t)xw->buffer_length(buf)) : -1;
    if (!ok) fprintf(stderr, "octavo: %s: cannot build the JUnit report\n", path);
    xw->buffer_free(buf);
    return rc;
}

/* --------------------------------------------------------------- merge */

static int by_path(const void *a, const void *b)
{
    const char *pa = json_string_value(json_object_get(*(json_t *const *)a, "input"));
    const char *pb = json_string_value(json_object_get(*(json_t *const *)b, "input"));
    return strcmp(pa ? pa : "", pb ? pb : "");
}

int batch_merge_reports(const char *out, const char *const *reports, size_t n)
{
    if (n == 0) {
        fprintf(stderr, "octavo: --merge-reports needs the reports to merge (try --help)\n");
        return 2;
    }
    json_t *all = json_array();
    batch_summary sum;
    memset(&sum, 0, sizeof sum);
    const char *to = NULL, *dir = NULL;
    int fail_if_warnings = 0, rc = 0;
    json_t **keep = calloc(n, sizeof *keep);
    if (!keep || !all) {
        fprintf(stderr, "octavo: out of memory\n");
        free(keep);
        json_decref(all);
        return 4;
    }
    for (size_t i = 0; i < n && !rc; i++) {
        json_error_t jerr;
        json_t *root = json_load_file(reports[i], JSON_REJECT_DUPLICATES, &jerr);
        const json_t *inputs = json_object_get(root, "inputs");
        if (!root || !json_is_array(inputs) ||
            !json_is_string(json_object_get(root, "format")) ||
            strcmp(json_string_value(json_object_get(root, "format")), "octavo-batch-report") != 0) {
            fprintf(stderr, "octavo: %s: %s\n", reports[i],
                    root ? "not an octavo batch report" : jerr.text);
            json_decref(root);
            rc = 3;
            break;
        }
        keep[i] = root;
        if (!to) to = json_string_value(json_object_get(root, "to"));
        if (!dir) dir = json_string_value(json_object_get(root, "output_dir"));
        fail_if_warnings |= json_is_true(json_object_get(root, "fail_if_warnings"));
        double elapsed = json_number_value(json_object_get(json_object_get(root, "summary"), "elapsed_s"));
        if (elapsed > sum.elapsed) sum.elapsed = elapsed; /* shards run side by side */
        size_t k;
        json_t *entry;
        json_array_foreach(inputs, k, entry) json_array_append(all, entry);
    }
    size_t count = json_array_size(all);
    json_t **sorted = count ? calloc(count, sizeof *sorted) : NULL;
    for (size_t k = 0; k < count && sorted; k++) sorted[k] = json_array_get(all, k);
    if (sorted) qsort(sorted, count, sizeof *sorted, by_path);
    json_t *merged = json_array();
    for (size_t k = 0; k < count && sorted && !rc; k++) {
        if (k && by_path(&sorted[k - 1], &sorted[k]) == 0) {
            const char *input = json_string_value(json_object_get(sorted[k], "input"));
            fprintf(stderr, "octavo: warning: %s appears in more than one report\n",
                    input ? input : "an input");
        }
        json_array_append(merged, sorted[k]);
        int st = batch_status_from_name(json_string_value(json_object_get(sorted[k], "status")));
        size_t n_warnings = json_array_size(json_object_get(sorted[k], "warnings"));
        sum.total++;
        switch (st < 0 ? BATCH_FAILED : (batch_status)st) {
        case BATCH_CONVERTED: sum.converted++; break;
        case BATCH_UP_TO_DATE: sum.up_to_date++; break;
        case BATCH_FAILED: sum.failed++; break;
        case BATCH_CRASHED: sum.crashed++; break;
        case BATCH_REFUSED: sum.refused++; break;
        default: sum.not_run++; break;
        }
        sum.warnings += n_warnings;
        if (n_warnings) sum.with_warnings++;
    }
    if (!rc) {
        batch_report_info info = {.to = to, .output_dir = dir, .fail_if_warnings = fail_if_warnings,
                                  .summary = sum};
        json_t *root = report_root(&info, merged);
        merged = NULL;
        rc = dump_json(out, root) ? 5 : 0;
        json_decref(root);
    }
    json_decref(merged);
    free(sorted);
    json_decref(all);
    for (size_t i = 0; i < n; i++) json_decref(keep[i]);
    free(keep);
    return rc;
}
