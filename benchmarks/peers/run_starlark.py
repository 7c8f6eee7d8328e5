"""Runs many_bindings.star with PyPI's starlark-pyo3 and writes its document.

    python3 run_starlark.py N M yaml       serverless.yml (PyYAML's libyaml CSafeDumper)
    python3 run_starlark.py N M cfn-json   the CloudFormation template, as JSON
"""

import json
import pathlib
import sys

import starlark

n, m, output_format = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
source = (pathlib.Path(__file__).parent / "many_bindings.star").read_text()
module = starlark.Module()
module["n"], module["m"], module["format"] = n, m, output_format
program = starlark.parse("many_bindings.star", source, starlark.Dialect.extended())
globals_ = starlark.Globals.extended_by([starlark.LibraryExtension.Json])
document = starlark.eval(module, program, globals_)

if output_format == "yaml":
    import yaml

    yaml.dump(document, sys.stdout, Dumper=yaml.CSafeDumper, sort_keys=False, default_flow_style=False)
else:
    json.dump(document, sys.stdout, indent=2)
    sys.stdout.write("\n")
