"""Prints "passed failed" from a pytest JUnit XML report (skips count as neither)."""
import sys
import xml.etree.ElementTree as ET

passed = failed = 0
root = ET.parse(sys.argv[1]).getroot()
for case in root.iter("testcase"):
    if case.find("failure") is not None or case.find("error") is not None:
        failed += 1
    elif case.find("skipped") is None:
        passed += 1
if passed + failed == 0:
    failed = 1  # no test ran at all: that is a failure of the run, not a pass
print(passed, failed)
