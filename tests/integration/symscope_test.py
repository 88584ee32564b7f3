"""Shared helpers for the integration tests: where things are, running the program."""
import json
import os
import subprocess
import sys
import unittest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SYMSCOPE = os.environ.get("SYMSCOPE", os.path.join(ROOT, "build", "tui", "symscope"))
FIXTURES = os.environ.get("SYMSCOPE_FIXTURES", os.path.join(ROOT, "build", "tests", "fixtures"))
CORPUS = os.environ.get("SYMSCOPE_CORPUS", os.path.join(ROOT, "..", "shared", "corpus"))
SKIP = 77  # ctest's SKIP_RETURN_CODE for these tests


def run(*args, check_status=None, env=None):
    """Runs symscope with args; returns (status, stdout, stderr)."""
    p = subprocess.run([SYMSCOPE, *args], capture_output=True, text=True, env=env, timeout=120)
    if check_status is not None and p.returncode != check_status:
        raise AssertionError(f"symscope {' '.join(args)} exited {p.returncode}, "
                             f"expected {check_status}\nstderr: {p.stderr}")
    return p.returncode, p.stdout, p.stderr


def inspect_json(*paths):
    """symscope inspect --json: one object per readable file."""
    _, out, _ = run("inspect", "--json", *paths)
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def fixture(name):
    return os.path.join(FIXTURES, name)


def require_corpus():
    """Exits with the skip status, visibly, when the shared corpus is absent."""
    if not os.path.isdir(CORPUS):
        print(f"SKIPPED: corpus not found at {CORPUS}")
        sys.exit(SKIP)


def main():
    unittest.main(verbosity=2)
