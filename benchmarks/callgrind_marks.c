/* Marks that callgrind sees: `scripts/benchmark --instructions` builds this into a shared
 * library, which benchmarks/calendar_create.py calls (ctypes) around each measured run, so that
 * the count holds the run's instructions and nothing else of the process. */
#include <valgrind/callgrind.h>

void marks_start(void) { CALLGRIND_START_INSTRUMENTATION; }
void marks_zero(void) { CALLGRIND_ZERO_STATS; }
void marks_dump(const char *label) { CALLGRIND_DUMP_STATS_AT(label); }
