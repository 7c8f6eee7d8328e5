#!/usr/bin/env python3
"""Check that YAML files read back equal to their JSON twins.

Usage: yaml_roundtrip.py [--require-yaml12] FILE.yaml FILE.json [FILE.yaml FILE.json ...]

Each YAML file is loaded with PyYAML's SafeLoader (YAML 1.1 rules: yes/no/on/off are booleans,
2012-10-12 is a date, 0755 is octal) and each JSON file with the json module. When ruamel.yaml
is installed, each YAML file is also loaded with its safe loader, which follows YAML 1.2 (0755 is
the integer 755, yes is a string), and must give the same value. --require-yaml12 makes a missing
ruamel.yaml an error instead of skipping that second check. The two values must
be equal with exact types: a bool never equals an int or a string, and an int never equals a
float. Mapping keys are compared without regard to order; lists in order.

Exits 0 when every pair matches. Otherwise prints the first difference, with the file names and
the path inside the document, and exits 1. Exits 2 on bad usage or when PyYAML is missing.
"""

import json
import sys

try:
    import yaml
except ImportError:
    print("yaml_roundtrip.py: PyYAML is not installed (pip install pyyaml)", file=sys.stderr)
    sys.exit(2)

try:
    from ruamel.yaml import YAML as Yaml12Loader
except ImportError:
    Yaml12Loader = None


def first_difference(from_yaml, from_json, path):
    """Return a description of the first difference between two values, or None when equal."""
    if type(from_yaml) is not type(from_json):
        return f"{path}: YAML has {type(from_yaml).__name__} {from_yaml!r}, JSON has {type(from_json).__name__} {from_json!r}"
    if isinstance(from_json, dict):
        for key in from_json:
            if key not in from_yaml:
                return f"{path}: key {key!r} is missing from the YAML"
        for key in from_yaml:
            if key not in from_json:
                return f"{path}: YAML has an extra key {key!r}"
            difference = first_difference(from_yaml[key], from_json[key], f"{path}.{key}")
            if difference:
                return difference
        return None
    if isinstance(from_json, list):
        if len(from_yaml) != len(from_json):
            return f"{path}: YAML list has {len(from_yaml)} items, JSON list has {len(from_json)}"
        for index, (left, right) in enumerate(zip(from_yaml, from_json)):
            difference = first_difference(left, right, f"{path}[{index}]")
            if difference:
                return difference
        return None
    if from_yaml != from_json:
        return f"{path}: YAML has {from_yaml!r}, JSON has {from_json!r}"
    return None


def load_yaml_12(path):
    """Load a YAML file with ruamel.yaml's pure-Python safe loader, which follows YAML 1.2."""
    loader = Yaml12Loader(typ="safe", pure=True)
    with open(path, encoding="utf-8") as stream:
        return loader.load(stream)


def main(arguments):
    require_yaml12 = "--require-yaml12" in arguments
    paths = [argument for argument in arguments if argument != "--require-yaml12"]
    if not paths or len(paths) % 2 != 0:
        print("usage: yaml_roundtrip.py [--require-yaml12] FILE.yaml FILE.json [FILE.yaml FILE.json ...]",
              file=sys.stderr)
        return 2
    if require_yaml12 and Yaml12Loader is None:
        print("yaml_roundtrip.py: ruamel.yaml is not installed (pip install ruamel.yaml)", file=sys.stderr)
        return 2
    for yaml_path, json_path in zip(paths[0::2], paths[1::2]):
        with open(json_path, encoding="utf-8") as stream:
            # NaN and Infinity are not JSON; the writers never emit them, so reject them here too.
            from_json = json.load(stream, parse_constant=lambda name: sys.exit(f"{json_path}: {name} is not JSON"))
        with open(yaml_path, encoding="utf-8") as stream:
            from_yaml = yaml.load(stream, Loader=yaml.SafeLoader)
        difference = first_difference(from_yaml, from_json, "$")
        if difference:
            print(f"{yaml_path} differs from {json_path} (YAML 1.1): {difference}", file=sys.stderr)
            return 1
        if Yaml12Loader is not None:
            difference = first_difference(load_yaml_12(yaml_path), from_json, "$")
            if difference:
                print(f"{yaml_path} differs from {json_path} (YAML 1.2): {difference}", file=sys.stderr)
                return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
