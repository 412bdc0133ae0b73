/* batch_report.h — what a batch did, for CI: a JSON report (jansson), JUnit
 * XML (libxml2's xmlTextWriter), and the merge of sharded JSON reports. */
#ifndef OCTAVO_TOOL_BATCH_REPORT_H
#define OCTAVO_TOOL_BATCH_REPORT_H

#include "../batch.h"

typedef struct batch_summary {
    size_t total, converted, up_to_date, failed, crashed, refused, not_run;
    size_t warnings;             /* warning lines over all inputs */
    size_t with_warnings;        /* inputs that have any */
    double elapsed;              /* wall-clock seconds of the run */
} batch_summary;

typedef struct batch_report_info {
    const char *to;              /* writer name */
    const char *output_dir;
    unsigned shard_index, shard_count;
    int fail_if_warnings;
    batch_summary summary;
} batch_report_info;

void batch_summarize(const batch_item *items, size_t n, batch_summary *s);

/* Whether an input counts as failed for the exit status and the reports. */
int batch_item_failed(const batch_item *it, int fail_if_warnings);

/* Each writes path atomically; 0, or -1 after printing why. */
int batch_report_write_json(const char *path, const batch_report_info *info,
                            const batch_item *items, size_t n);
int batch_report_write_junit(const char *path, const batch_report_info *info,
                             const batch_item *items, size_t n);

/* Writes bytes to path through an atomic file sink. 0, or -1 after printing why. */
int batch_write_file(const char *path, const void *data, size_t len);

/* Text made safe for JSON strings and XML: valid UTF-8, control characters
 * (other than tab and newline) replaced by U+FFFD. malloc'd; NULL stays NULL. */
char *batch_clean_text(const char *s);

#endif
