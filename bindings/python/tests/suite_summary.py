"""A pytest plugin for `make test` (``-p suite_summary``): one line per test file with its
counts, instead of a progress character per test. Failures and errors are reported as pytest
always reports them, and its final line stays."""

from __future__ import annotations

from collections import Counter, defaultdict

_outcomes: dict[str, Counter] = defaultdict(Counter)


def pytest_report_teststatus(report, config):
    """No progress character for a passed or skipped test (failures keep theirs)."""
    if report.when == "call" and report.passed:
        return "passed", "", "PASSED"
    if report.skipped:
        return "skipped", "", "SKIPPED"
    return None


def pytest_runtest_logreport(report):
    if report.when == "call" or (report.when == "setup" and not report.passed):
        outcome = "skipped" if report.skipped else "passed" if report.passed else "failed"
        _outcomes[report.nodeid.split("::")[0]][outcome] += 1


def pytest_terminal_summary(terminalreporter):
    for path, counts in sorted(_outcomes.items()):
        text = ", ".join(f"{counts[outcome]} {outcome}" for outcome in ("passed", "failed", "skipped")
                         if counts[outcome])
        terminalreporter.write_line(f"{path}: {text}")
