#!/bin/sh
# Regenerate test/fixtures/crash-corpus/ (real crashes, see its README.md) and its ext/ extension.
# Run by hand, not by CI. Requires gcc, g++, clang, binutils (strip, objcopy, readelf), elfutils (eu-stack), gdb, python3.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
python3 "$here/generate.py" "$@"
exec python3 "$here/generate_ext.py"
