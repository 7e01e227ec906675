"""Runs the Python client tests (the test_*.py files beside this one) with the standard library's
unittest and prints one JSON line per test case, each after the marker below, for the node:test
wrapper (python-client.test.ts) to report as its own subtest:

  @@kubemock-python-test {"id": "test_watch.PodWatchTest.test_...", "status": "pass", "ms": 12}

status is pass, fail, error or skip; message holds the traceback or the skip reason. Arguments, if
any, are test names as unittest takes them (test_watch, test_watch.PodWatchTest.test_x).
Exits 0 when every case passed or was skipped.
"""
import json
import os
import sys
import time
import unittest

MARK = '@@kubemock-python-test '
HERE = os.path.dirname(os.path.abspath(__file__))


class JsonLinesResult(unittest.TestResult):
    def __init__(self, out):
        super().__init__()
        self.out = out
        self.started = time.monotonic()

    def emit(self, test, status, message=''):
        line = {'id': test.id(), 'status': status, 'ms': round((time.monotonic() - self.started) * 1000)}
        doc = test.shortDescription() if isinstance(test, unittest.TestCase) else None
        if doc:
            line['doc'] = doc
        if message:
            line['message'] = message
        self.out.write(MARK + json.dumps(line) + '\n')
        self.out.flush()

    def startTest(self, test):
        super().startTest(test)
        self.started = time.monotonic()

    def addSuccess(self, test):
        super().addSuccess(test)
        self.emit(test, 'pass')

    def addFailure(self, test, err):
        super().addFailure(test, err)
        self.emit(test, 'fail', self.failures[-1][1])

    def addError(self, test, err):
        # Also reached for a failing setUpClass/tearDownClass, whose "test" is a placeholder named after it.
        super().addError(test, err)
        self.emit(test, 'error', self.errors[-1][1])

    def addSkip(self, test, reason):
        super().addSkip(test, reason)
        self.emit(test, 'skip', reason)

    def addExpectedFailure(self, test, err):
        super().addExpectedFailure(test, err)
        self.emit(test, 'pass')

    def addUnexpectedSuccess(self, test):
        super().addUnexpectedSuccess(test)
        self.emit(test, 'fail', 'passed, but is marked as an expected failure')


def main(argv):
    sys.path.insert(0, HERE)
    loader = unittest.TestLoader()
    suite = loader.loadTestsFromNames(argv) if argv else loader.discover(HERE, pattern='test_*.py', top_level_dir=HERE)
    result = JsonLinesResult(sys.stdout)
    suite.run(result)
    return 0 if result.wasSuccessful() else 1


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
