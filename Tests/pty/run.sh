#!/usr/bin/env bash
# Runs the REPL's pseudo-terminal tests against a built slsx binary; builds nothing.
#
#   bash Tests/pty/run.sh .build/debug/slsx
#
# Needs Python 3 with pexpect (Tests/requirements.txt). Each test starts the binary on its own
# pseudo-terminal with a private HOME and history file, so the tests never touch ~/.slsx_history.
set -euo pipefail

if [ $# -ne 1 ]; then
    echo "usage: bash Tests/pty/run.sh PATH_TO_SLSX_BINARY" >&2
    exit 2
fi
binary=$1
if [ ! -x "$binary" ]; then
    echo "error: '$binary' is not an executable file; build it first with 'swift build'" >&2
    exit 2
fi

here=$(cd "$(dirname "$0")" && pwd)
exec python3 "$here/test_repl.py" "$binary"
