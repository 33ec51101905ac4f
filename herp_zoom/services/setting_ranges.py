"""The allowed range of each number the settings take (both ends included)."""

# Settings field -> (lowest, highest). Simultaneous meetings: what Zoom's plans allow. Hours of the
# second check: within the two days the daily check covers. Reads per run: Zoom's daily limits.
# Summaries: 0 keeps them; at most ten years.
NUMBER_RANGES = {
    "zoom_max_concurrent_meetings": (1, 2),
    "zoom_check_hours_before": (0, 48),
    "zoom_check_max_requests": (1, 10000),
    "zoom_summary_retention_days": (0, 3650),
}


def out_of_range(value, bounds):
    """Whether ``value`` lies outside ``bounds`` (lowest, highest)."""
    low, high = bounds
    return not low <= value <= high


def range_problems(values, ranges):
    """(name, value, lowest, highest) of each of ``values`` ({name: number}) outside its range."""
    return [(name, values[name], *ranges[name]) for name in ranges
            if name in values and out_of_range(values[name], ranges[name])]
