"""Checks that slsx and every peer produce the same documents for the many-bindings workload.

    benchmarks/.venv/bin/python benchmarks/check_peers.py [N] [M]

Runs each tool at a small N (default 7) and M (default 5), parses every output (JSON with json,
YAML with PyYAML's safe loader) and compares it with slsx's: the same data, and for tools that keep
insertion order the same key order everywhere, so the same functions, resources and logical IDs
in the same order. Exits with status 1 on the first difference. Needs a release build of slsx and
the virtual environment that run.py installs.
"""

import json
import subprocess
import sys

import yaml

from tools import ORDERED_TOOLS, TOOLS


def parse(text, output_format):
    if output_format == "yaml":
        return yaml.load(text, Loader=yaml.CSafeLoader)
    return json.loads(text)


def key_order(value):
    """Every mapping's keys in order, depth first, so that two documents with equal data can be
    compared for order too."""
    if isinstance(value, dict):
        return [(key, key_order(child)) for key, child in value.items()]
    if isinstance(value, list):
        return [key_order(item) for item in value]
    return None


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 7
    m = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    # The serverless.yml data, whether a tool wrote it as YAML or JSON, is one document.
    expected = {}
    for output_format, document_kind in [("cfn-json", "template"), ("yaml", "serverless"), ("json", "serverless")]:
        text = subprocess.run(TOOLS["slsx"][output_format](n, m), check=True, capture_output=True, text=True).stdout
        expected.setdefault(document_kind, parse(text, output_format))

    failures = 0
    for tool, commands in TOOLS.items():
        for output_format, command in commands.items():
            document_kind = "template" if output_format == "cfn-json" else "serverless"
            text = subprocess.run(command(n, m), check=True, capture_output=True, text=True).stdout
            document = parse(text, output_format)
            reference = expected[document_kind]
            same = document == reference
            if same and tool in ORDERED_TOOLS:
                same = key_order(document) == key_order(reference)
            status = "same" if same else "DIFFERENT"
            if not same:
                failures += 1
            resources = len(document.get("Resources", {})) if document_kind == "template" else len(document["functions"])
            unit = "resources" if document_kind == "template" else "functions"
            print(f"{tool:12} {output_format:9} {resources:4} {unit:10} {len(text.encode()):8} bytes  {status}")
    if failures:
        print(f"{failures} outputs differ from slsx's", file=sys.stderr)
        sys.exit(1)
    print(f"every output matches slsx's at N = {n}, M = {m}")


if __name__ == "__main__":
    main()
