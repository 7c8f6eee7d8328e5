#!/usr/bin/env python3
"""Check the many-bindings workload split into nested stacks: cfn-lint and a moto deployment.

Usage:
  scripts/scale_check.py --binary SLSX lint N [N ...]
  scripts/scale_check.py --binary SLSX deploy N

`lint` emits the benchmark workload benchmarks/many-bindings.slsx with N functions of 5 bindings
each (Kinesis and DynamoDB streams, some with an SQS failure destination or a filter pattern),
split with `--split`, and runs cfn-lint on the root template and every nested template. cfn-lint's W3002
("This code may only work with 'package' cli command") is ignored: the relative `TemplateURL`
paths are meant for `aws cloudformation package`, which uploads the nested templates and replaces
the paths with S3 URLs.

`deploy` does what `aws cloudformation package` would do, against a moto server on 127.0.0.1.
It uploads each nested template to moto's S3 and replaces its path with the S3 URL. It creates the
Kinesis streams and DynamoDB tables the mappings read, puts moto's stream labels into the nested
templates in place of the workload's, and then creates the root stack. It checks that every nested stack
reached CREATE_COMPLETE and that moto lists one event source mapping per binding.

The exit status is 1 when a check fails, 2 for bad usage.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import moto_deploy  # noqa: E402  (the moto helpers shared with the sample deployment)

WORKLOAD = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "benchmarks", "many-bindings.slsx")
BINDINGS = 5
TEMPLATE_BUCKET = "slsx-templates"


def emit(binary, count, folder):
    subprocess.run(
        [binary, "emit", WORKLOAD, "--set", f"n={count}", "--set", f"m={BINDINGS}",
         "--format", "cfn-json", "--split", folder],
        check=True,
    )
    stacks = sorted(os.listdir(os.path.join(folder, "stacks")))
    return os.path.join(folder, "template.json"), [os.path.join(folder, "stacks", name) for name in stacks]


def lint(binary, counts):
    failures = 0
    for count in counts:
        with tempfile.TemporaryDirectory() as scratch:
            folder = os.path.join(scratch, "out")
            started = time.monotonic()
            root, children = emit(binary, count, folder)
            emitted = time.monotonic() - started
            result = subprocess.run(["cfn-lint", "--ignore-checks", "W3002", "--", root, *children])
            linted = time.monotonic() - started - emitted
            print(f"N={count}: {len(children)} nested stacks, emit {emitted:.1f} s, cfn-lint {linted:.1f} s, "
                  f"cfn-lint status {result.returncode}")
            failures += result.returncode != 0
    return 1 if failures else 0


def deploy(binary, count):
    with tempfile.TemporaryDirectory() as scratch:
        folder = os.path.join(scratch, "out")
        root_path, children = emit(binary, count, folder)
        process, endpoint = moto_deploy.start_server()
        try:
            return deploy_to(endpoint, root_path, children, count)
        finally:
            moto_deploy.stop_server(process)


def deploy_to(endpoint, root_path, children, count):
    s3 = moto_deploy.client(endpoint, "s3")
    s3.create_bucket(Bucket=moto_deploy.CODE_BUCKET)
    s3.put_object(Bucket=moto_deploy.CODE_BUCKET, Key=moto_deploy.CODE_KEY, Body=moto_deploy.code_zip())
    s3.create_bucket(Bucket=TEMPLATE_BUCKET)

    root = moto_deploy.load_template(root_path)
    notes = []
    replacements = {}
    for child_path in children:
        child = moto_deploy.load_template(child_path)
        replacements.update(moto_deploy.create_event_sources(child, endpoint, moto_deploy.DEFAULT_REGION, notes))
    relabelled = sum(1 for arn, created in replacements.items() if arn != created)
    print(f"{len(replacements)} event sources created; {relabelled} DynamoDB stream ARNs replaced by moto's labels")
    # What `aws cloudformation package` does: upload each nested template and point at it.
    folder = os.path.dirname(root_path)
    for logical_id, resource in root["Resources"].items():
        if resource.get("Type") != "AWS::CloudFormation::Stack":
            continue
        relative = resource["Properties"]["TemplateURL"]
        child = moto_deploy.replace_strings(moto_deploy.load_template(os.path.join(folder, relative)), replacements)
        s3.put_object(Bucket=TEMPLATE_BUCKET, Key=relative, Body=json.dumps(child).encode("utf-8"))
        resource["Properties"]["TemplateURL"] = f"https://s3.amazonaws.com/{TEMPLATE_BUCKET}/{relative}"

    cloudformation = moto_deploy.client(endpoint, "cloudformation")
    cloudformation.create_stack(
        StackName="slsx-split",
        TemplateBody=json.dumps(root),
        Parameters=[
            {"ParameterKey": "DeploymentBucketName", "ParameterValue": moto_deploy.CODE_BUCKET},
            {"ParameterKey": "CodeKey", "ParameterValue": moto_deploy.CODE_KEY},
        ],
        Capabilities=["CAPABILITY_IAM", "CAPABILITY_NAMED_IAM"],
    )
    status = moto_deploy.wait_for_stack(cloudformation, "slsx-split", timeout=600)
    print(f"root stack: {status}")
    failures = status != "CREATE_COMPLETE"

    nested = [logical_id for logical_id, resource in root["Resources"].items()
              if resource.get("Type") == "AWS::CloudFormation::Stack"]
    resources = cloudformation.describe_stack_resources(StackName="slsx-split")["StackResources"]
    physical = {item["LogicalResourceId"]: item.get("PhysicalResourceId") for item in resources}
    for logical_id in nested:
        if not physical.get(logical_id):
            print(f"  FAILED: nested stack {logical_id} was not created")
            failures = True
            continue
        nested_status = cloudformation.describe_stacks(StackName=physical[logical_id])["Stacks"][0]["StackStatus"]
        if nested_status != "CREATE_COMPLETE":
            print(f"  FAILED: nested stack {logical_id} ended in {nested_status}")
            failures = True

    paginator = moto_deploy.client(endpoint, "lambda").get_paginator("list_event_source_mappings")
    mappings = [mapping for page in paginator.paginate() for mapping in page["EventSourceMappings"]]
    functions = {mapping["FunctionArn"] for mapping in mappings}
    print(f"{len(nested)} nested stacks, {len(functions)} functions with mappings, {len(mappings)} event source mappings")
    if len(mappings) != count * BINDINGS or len(functions) != count:
        print(f"  FAILED: expected {count} functions and {count * BINDINGS} mappings")
        failures = True
    return 1 if failures else 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    parser.add_argument("--binary", required=True, help="the slsx executable")
    parser.add_argument("command", choices=["lint", "deploy"])
    parser.add_argument("counts", nargs="+", type=int, help="numbers of functions")
    arguments = parser.parse_args()
    os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")
    if arguments.command == "lint":
        return lint(arguments.binary, arguments.counts)
    return deploy(arguments.binary, arguments.counts[0])


if __name__ == "__main__":
    sys.exit(main())
