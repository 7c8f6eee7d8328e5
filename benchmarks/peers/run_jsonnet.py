"""Runs many_bindings.jsonnet with PyPI's C++ `jsonnet` or Go `gojsonnet` and writes its output.

    python3 run_jsonnet.py cpp|go N M cfn-json   the CloudFormation template, as JSON
    python3 run_jsonnet.py cpp|go N M yaml       serverless.yml, from std.manifestYamlDoc
"""

import pathlib
import sys

implementation, n, m, output_format = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
if implementation == "cpp":
    import _jsonnet as jsonnet
elif implementation == "go":
    import _gojsonnet as jsonnet
else:
    sys.exit(f"unknown implementation {implementation!r}: use cpp or go")

path = str(pathlib.Path(__file__).parent / "many_bindings.jsonnet")
text = jsonnet.evaluate_file(path, tla_codes={"n": n, "m": m, "format": repr(output_format)})
if output_format == "yaml":
    # With string output the result is the YAML text as a JSON string.
    import json

    text = json.loads(text) + "\n"
sys.stdout.write(text)
