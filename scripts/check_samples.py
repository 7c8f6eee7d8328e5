#!/usr/bin/env python3
"""Checks every sample script through the built slsx binary with tools that are not ours.

Commands:
  yaml-roundtrip  PyYAML (YAML 1.1) and ruamel.yaml (YAML 1.2) read each emitted serverless.yml and
                  CloudFormation YAML back to exactly the data of the JSON slsx writes for the same
                  script (scripts/yaml_roundtrip.py).
  docs            each samples/docs script emits exactly the `functions` of its documentation example.
  cfn-lint        cfn-lint reports nothing on each emitted CloudFormation template.
  deploy          each template deploys into moto's CloudFormation on 127.0.0.1 (scripts/moto_deploy.py).

A sample runs once with no settings, and once more for each golden file named
`<name>.<setting>=<value>.yaml` beside it (`billing-tables.stage=prod.yaml` runs with --set stage=prod).
"""

import argparse
import json
import pathlib
import subprocess
import sys
import tempfile

import yaml

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from yaml_roundtrip import first_difference  # noqa: E402  (a sibling script, not a package)

ROOT = pathlib.Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"

# Samples that reproduce the documentation keep its placeholder ARNs (`region` and `XXXXXX` where a
# region and an account id belong), which cannot match the ARN patterns that cfn-lint checks. For
# exactly these samples, cfn-lint may report an ARN-pattern mismatch (E3510 in IAM policies, E3031 in
# resource properties) on a value that contains the placeholders. Every other finding fails.
PLACEHOLDER_ARN_SAMPLES = {path.name for path in (SAMPLES / "docs").glob("*.slsx")}
PLACEHOLDER_ARN_RULES = {"E3510", "E3031"}
PLACEHOLDER_ARN_TEXT = ":region:XXXXXX:"


def is_placeholder_arn_finding(script, line):
    """Tells whether a parseable cfn-lint line is an accepted ARN-pattern mismatch of a documentation sample."""
    if script.name not in PLACEHOLDER_ARN_SAMPLES or "docs" not in script.parts:
        return False
    # file:line:column:end line:end column:rule:message
    fields = line.split(":", 6)
    if len(fields) < 7 or fields[5] not in PLACEHOLDER_ARN_RULES:
        return False
    message = fields[6]
    return "does not match" in message and PLACEHOLDER_ARN_TEXT in message.split("does not match")[0]


# The region and account of moto's server (scripts/moto_deploy.py).
MOTO_REGION = "us-east-1"
MOTO_ACCOUNT = "123456789012"

# The documentation's first example ends with `consumer: preExistingName`, which the framework's own
# schema rejects; samples/docs/01 leaves that event out and samples/errors/consumer-plain-name.slsx
# shows the error. Every other example is reproduced whole.
DOCS_EVENTS_LEFT_OUT = {0: [8]}


def sample_runs():
    """Yields (script, settings, label) for every run of every sample."""
    for script in sorted(SAMPLES.rglob("*.slsx")):
        if "errors" in script.parts:
            continue
        yield script, [], script.relative_to(ROOT).as_posix()
        for golden in sorted(script.parent.glob(script.stem + ".*=*.yaml")):
            if golden.name.endswith(".cfn.yaml"):
                continue
            setting = golden.name[len(script.stem) + 1 : -len(".yaml")]
            yield script, ["--set", setting], f"{script.relative_to(ROOT).as_posix()} --set {setting}"


def emit(binary, script, settings, output_format):
    result = subprocess.run(
        [binary, "emit", str(script), "--format", output_format, *settings],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    if result.returncode != 0:
        raise SystemExit(f"slsx emit {script} --format {output_format} failed:\n{result.stderr}")
    return result.stdout


def check_yaml_roundtrip(binary):
    """Writes every sample's YAML and JSON outputs side by side and hands the pairs to yaml_roundtrip.py."""
    with tempfile.TemporaryDirectory() as folder:
        pairs = []
        for index, (script, settings, label) in enumerate(sample_runs()):
            for yaml_format, json_format in (("yaml", "json"), ("cfn-yaml", "cfn-json")):
                stem = pathlib.Path(folder) / f"{index:02d}-{script.stem}.{yaml_format}"
                yaml_file, json_file = stem.with_suffix(".yaml"), stem.with_suffix(".json")
                yaml_file.write_text(emit(binary, script, settings, yaml_format))
                json_file.write_text(emit(binary, script, settings, json_format))
                pairs += [str(yaml_file), str(json_file)]
        result = subprocess.run(
            [sys.executable, str(ROOT / "scripts/yaml_roundtrip.py"), "--require-yaml12", *pairs]
        )
        count = len(pairs) // 2
        return count, (0 if result.returncode == 0 else count)


def check_docs(binary):
    examples = list(yaml.safe_load_all((ROOT / "Tests/Fixtures/docs-stream-examples.yml").read_text()))
    scripts = sorted((SAMPLES / "docs").glob("*.slsx"))
    if len(scripts) != len(examples):
        print(f"FAIL samples/docs has {len(scripts)} scripts for {len(examples)} documentation examples")
        return 1, 1
    failures = 0
    for index, (script, example) in enumerate(zip(scripts, examples)):
        expected = example["functions"]
        for left_out in DOCS_EVENTS_LEFT_OUT.get(index, []):
            function = next(iter(expected.values()))
            del function["events"][left_out]
        emitted = yaml.safe_load(emit(binary, script, [], "yaml"))
        difference = first_difference(emitted.get("functions"), expected, "functions")
        if difference:
            failures += 1
            print(f"FAIL {script.relative_to(ROOT)}: {difference}")
    return len(scripts), failures


def check_cfn_lint(binary):
    failures = 0
    count = 0
    with tempfile.TemporaryDirectory() as folder:
        for script, settings, label in sample_runs():
            count += 1
            template = pathlib.Path(folder) / (script.stem + ".yaml")
            template.write_text(emit(binary, script, settings, "cfn-yaml"))
            result = subprocess.run(
                ["cfn-lint", "--format", "parseable", "--", str(template)], capture_output=True, text=True
            )
            findings = [
                line
                for line in result.stdout.splitlines()
                if line.strip() and not is_placeholder_arn_finding(script, line)
            ]
            if findings or result.stderr.strip() or result.returncode not in range(0, 16, 2):
                failures += 1
                print(f"FAIL {label}:\n" + "\n".join(findings) + result.stderr)
    return count, failures


def check_deploy(binary):
    """Deploys every sample's template into one moto server with scripts/moto_deploy.py."""
    with tempfile.TemporaryDirectory() as folder:
        templates = []
        for script, settings, label in sample_runs():
            suffix = "".join(f".{setting}" for setting in settings[1::2])
            template = pathlib.Path(folder) / f"{script.stem}{suffix}.json"
            text = emit(binary, script, settings, "cfn-json")
            if script.name in PLACEHOLDER_ARN_SAMPLES and "docs" in script.parts:
                # moto creates event sources only in its own region and account, so the documentation's
                # placeholders become those; nothing else in the template changes.
                text = text.replace(PLACEHOLDER_ARN_TEXT, f":{MOTO_REGION}:{MOTO_ACCOUNT}:")
            template.write_text(text)
            templates.append(str(template))
        result = subprocess.run(
            [sys.executable, str(ROOT / "scripts/moto_deploy.py"), *templates], capture_output=True, text=True
        )
        # moto_deploy.py ends with its own "deploy: N passed, N failed" line. This script prints the
        # same count as its closing line, so only the details are passed on.
        details = [line for line in result.stdout.splitlines() if not line.startswith("deploy: ")]
        print("\n".join(details) + result.stderr)
        summary = [line for line in result.stdout.splitlines() if line.startswith("deploy: ")]
        if result.returncode == 0:
            return len(templates), 0
        failed = int(summary[-1].split(", ")[1].split()[0]) if summary else len(templates)
        return len(templates), max(failed, 1)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", required=True, help="the built slsx executable")
    parser.add_argument("check", choices=["yaml-roundtrip", "docs", "cfn-lint", "deploy"])
    arguments = parser.parse_args()

    checks = {
        "yaml-roundtrip": check_yaml_roundtrip,
        "docs": check_docs,
        "cfn-lint": check_cfn_lint,
        "deploy": check_deploy,
    }
    count, failures = checks[arguments.check](arguments.binary)
    print(f"{arguments.check}: {count - failures} passed, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
