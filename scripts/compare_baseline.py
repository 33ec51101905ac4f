"""Compares how the tests of tests/odoo_baseline_failures-<series>.txt ended on plain Odoo and with herp_zoom.

    python scripts/compare_baseline.py plain.xml herp_zoom.xml addons/x/tests/test_y.py::Class::test ...

Reads the JUnit reports of scripts/check_baseline. Prints one line per test; exits 1 when a test
passes on plain Odoo (it does not belong in the list) or fails differently with herp_zoom.
"""

import re
import sys
import xml.etree.ElementTree as ET

QUERY_COUNT = re.compile(r"Query count (?:more|less) than expected for user (\S+): (\d+) [<>] (\d+)")
# Parts of a message that change from run to run: record ids, addresses, times.
NOISE = re.compile(r"0x[0-9a-f]+|\b\d+(\.\d+)?s\b|\(\d+(, ?\d+)*,?\)")


def outcomes(report):
    """{(classname, name): (outcome, message)} of a JUnit report."""
    results = {}
    for case in ET.parse(report).getroot().iter("testcase"):
        outcome, message = "passed", ""
        for kind in ("failure", "error", "skipped"):
            element = case.find(kind)
            if element is not None:
                outcome = "failed" if kind == "failure" else kind
                message = (element.get("message") or element.text or "").strip()
                break
        results[(case.get("classname"), case.get("name"))] = (outcome, message)
    return results


def junit_key(test):
    """The JUnit (classname, name) of a node id such as addons/calendar/tests/test_x.py::Class::test."""
    path, cls, name = test.split("::")
    return ".".join([path[:-3].replace("/", "."), cls]), name


def first_line(message):
    return NOISE.sub("…", message.splitlines()[0] if message else "")


def compare(test, plain, zoom):
    """(line to print, whether it is evidence for the list)."""
    (plain_outcome, plain_message), (zoom_outcome, zoom_message) = plain, zoom
    plain_counts, zoom_counts = QUERY_COUNT.search(plain_message), QUERY_COUNT.search(zoom_message)
    if plain_counts or zoom_counts:
        if not (plain_counts and zoom_counts):
            return f"{test}\n    query count: plain {plain_outcome}, with herp_zoom {zoom_outcome}", False
        expected = plain_counts.group(3)
        plain_n, zoom_n = int(plain_counts.group(2)), int(zoom_counts.group(2))
        return (f"{test}\n    query count (expected by Odoo {expected}): plain Odoo {plain_n}, with herp_zoom "
                f"{zoom_n}, difference {zoom_n - plain_n:+d}"), plain_outcome != "passed"
    if "not run" in (plain_outcome, zoom_outcome):
        return f"{test}\n    NOT RUN (plain Odoo: {plain_outcome}, with herp_zoom: {zoom_outcome})", False
    if plain_outcome == "passed":
        return f"{test}\n    PASSES on plain Odoo: it does not belong in the list", False
    same = plain_outcome == zoom_outcome and first_line(plain_message) == first_line(zoom_message)
    verdict = "same on both" if same else f"DIFFERENT with herp_zoom: {zoom_outcome}: {first_line(zoom_message)}"
    return f"{test}\n    plain Odoo {plain_outcome}: {first_line(plain_message)}\n    {verdict}", same


def main(plain_report, zoom_report, *tests):
    plain, zoom = outcomes(plain_report), outcomes(zoom_report)
    missing = ("not run", "")
    ok = True
    for test in tests:
        key = junit_key(test)
        line, evidence = compare(test, plain.get(key, missing), zoom.get(key, missing))
        print(line)
        ok = ok and evidence
    print(f"{len(tests)} listed test(s): " + ("each fails on plain Odoo as with herp_zoom" if ok else "see above"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
