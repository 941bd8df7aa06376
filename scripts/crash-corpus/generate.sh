#!/bin/sh
# Regenerate test/fixtures/crash-corpus/ (real crashes, see its README.md).
# Run by hand, not by CI. Requires gcc, binutils, elfutils (eu-stack), gdb, python3.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
exec python3 "$here/generate.py" "$@"
