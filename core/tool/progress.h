/* progress.h — how a batch shows itself while it runs: a progress bar on a
 * terminal, one plain line per document in CI logs, nothing with -q. */
#ifndef OCTAVO_TOOL_PROGRESS_H
#define OCTAVO_TOOL_PROGRESS_H

#include "../batch.h"

typedef enum progress_mode { PROGRESS_QUIET, PROGRESS_LINES, PROGRESS_BAR } progress_mode;

typedef struct progress {
    progress_mode mode;
    int verbosity;
    int fail_if_warnings;
    size_t total, done;
    double start, last_draw;
    char current[256];
    int bar_shown;
} progress;

double progress_now(void);
/* The mode follows the terminal: a bar when stderr is one and CI is unset. */
void progress_init(progress *p, size_t total, int verbosity, int fail_if_warnings);
void progress_result(progress *p, const batch_item *it);
/* it is being converted now: the bar names it. */
void progress_started(progress *p, const batch_item *it);
void progress_tick(progress *p);
/* Removes the bar, if any. */
void progress_finish(progress *p);

#endif
