#!/usr/bin/env bash
# Runs every test of slsx: the checks that read emitted files back with Python tools (PyYAML, cfn-lint,
# moto, pexpect), then the Swift test suite, whose summary ends the output.
#
# Needs libedit-dev and libgoogle-perftools-dev (Debian) and the Python packages in Tests/requirements.txt; when those packages are
# missing they are installed into .venv/ first.
set -euo pipefail
cd "$(dirname "$0")/.."

python=python3
if ! python3 -c 'import yaml, ruamel.yaml, cfnlint, moto, boto3, pexpect' 2>/dev/null; then
    echo "== installing the Python test tools into .venv/"
    python3 -m venv .venv
    .venv/bin/pip install --quiet --disable-pip-version-check -r Tests/requirements.txt
    python=.venv/bin/python
    export PATH="$PWD/.venv/bin:$PATH"
fi

echo "== swift build"
swift build 2>&1 | tail -n 1
binary="$(swift build --show-bin-path)/slsx"

echo "== samples: YAML read back by PyYAML equals the JSON output"
"$python" scripts/check_samples.py --binary "$binary" yaml-roundtrip

echo "== samples: each docs sample emits exactly its documentation example"
"$python" scripts/check_samples.py --binary "$binary" docs

echo "== samples: cfn-lint on every CloudFormation template"
"$python" scripts/check_samples.py --binary "$binary" cfn-lint

echo "== samples: deployment into moto's CloudFormation on 127.0.0.1"
"$python" scripts/check_samples.py --binary "$binary" deploy

echo "== scale: cfn-lint on the many-bindings workload split into nested stacks (N = 100)"
# N = 1,000 takes several minutes of cfn-lint and N = 10,000 much longer; run them with
# SLSX_SCALE_COUNTS="100 1000 10000" (see docs/scale.md).
# shellcheck disable=SC2086
"$python" scripts/scale_check.py --binary "$binary" lint ${SLSX_SCALE_COUNTS:-100}

echo "== scale: deployment of 300 functions in nested stacks into moto on 127.0.0.1"
"$python" scripts/scale_check.py --binary "$binary" deploy 300

echo "== REPL on a pseudo-terminal"
bash Tests/pty/run.sh "$binary"

echo "== swift test"
swift test 2>&1 | tail -n 40
test "${PIPESTATUS[0]}" -eq 0
