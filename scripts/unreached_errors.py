#!/usr/bin/env python3
"""Lists the error sites in src/ that no test reached, from a gcovr JSON report.

Usage: scripts/unreached_errors.py COVERAGE_JSON

An error site is a line that throws or reports a problem to the user: `throw`, a call of
`fail(...)` (the loaders' located problems), `problems.push_back` / `Problem{`, or a usage error
of the command line. A site counts as reached when gcov counted its line (or, for a message split
over several lines, the line where the statement starts) at least once.
"""
import json
import re
import sys

SITE = re.compile(r"\bthrow\b|\bfail\(|\bProblem\{|problems\.(push_back|emplace_back)|usage_error\(|\berror\(")


def main():
    report = json.load(open(sys.argv[1]))
    unreached = []
    total = 0
    for f in sorted(report["files"], key=lambda f: f["file"]):
        counts = {line["line_number"]: line["count"] for line in f["lines"] if not line.get("gcovr/noncode")}
        try:
            source = open(f["file"]).read().splitlines()
        except OSError:
            continue
        for number, text in enumerate(source, start=1):
            code = text.split("//")[0]
            if not SITE.search(code) or re.match(r"\s*\[\[noreturn\]\]|.*\bvoid\s+fail\(", code):
                continue
            if number not in counts:  # a continuation line: gcov counts the statement's first line
                continue
            total += 1
            if counts[number] == 0:
                unreached.append(f"{f['file']}:{number}: {text.strip()}")
    print(f"error sites: {total}, reached by a test: {total - len(unreached)}, never reached: {len(unreached)}")
    for site in unreached:
        print("  " + site)


if __name__ == "__main__":
    main()
