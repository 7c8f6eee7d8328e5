#!/usr/bin/env python3
"""Deploy slsx CloudFormation templates to a local moto server and check the stream mappings.

Usage: scripts/moto_deploy.py TEMPLATE [TEMPLATE ...]

For each template (JSON or YAML in the long form that slsx writes), the script:

1. starts `moto_server` on 127.0.0.1 with a free port (one server for the whole run);
2. creates the code bucket and a small zip object, passed as the `DeploymentBucketName` and
   `CodeKey` parameters;
3. creates the event sources that the template's mappings and stream consumers name by string ARN
   (or by a `Ref` to a parameter whose default is an ARN) but the template does not declare, and
   exports a new stream under each name a mapping reads with `Fn::ImportValue`, because
   moto creates a mapping only when its source exists. These are a Kinesis stream for each
   `arn:...:kinesis:...:stream/<name>` and a DynamoDB table with a stream for each
   `arn:...:dynamodb:...:table/<name>/stream/<label>`. moto labels a table's stream with its own
   creation time, so the script replaces the template's DynamoDB stream ARN with the one moto made
   and reports the replacement;
4. rewrites what moto cannot model and reports each rewrite: resource types moto's CloudFormation does not
   implement (`AWS::Kinesis::StreamConsumer`, `AWS::Lambda::Alias`, ...) are removed, a mapping that
   reads through a consumer reads the consumer's stream instead, and a mapping on the
   `provisioned` alias targets the function;
5. creates a stack through the CloudFormation API, waits for it, lists the event source mappings
   of every function, and compares each mapping's settings with the template's
   `AWS::Lambda::EventSourceMapping` properties.

The exit status is 1 when a stack fails or a setting differs, 2 for bad usage, 0 otherwise. moto
(PyPI `moto[server]`), boto3 and PyYAML must be installed. Nothing leaves 127.0.0.1: the clients use
dummy credentials and the local endpoint only.
"""

import copy
import io
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
import zipfile

import boto3
import yaml
from moto.cloudformation.parsing import get_model_map

DEFAULT_REGION = "us-east-1"
ACCOUNT = "123456789012"  # moto's default account
CODE_BUCKET = "slsx-code"
CODE_KEY = "code.zip"

# The mapping properties compared with moto's response, and the key of each in that response.
COMPARED_PROPERTIES = {
    "BatchSize": "BatchSize",
    "StartingPosition": "StartingPosition",
    "StartingPositionTimestamp": "StartingPositionTimestamp",
    "MaximumBatchingWindowInSeconds": "MaximumBatchingWindowInSeconds",
    "ParallelizationFactor": "ParallelizationFactor",
    "MaximumRetryAttempts": "MaximumRetryAttempts",
    "BisectBatchOnFunctionError": "BisectBatchOnFunctionError",
    "MaximumRecordAgeInSeconds": "MaximumRecordAgeInSeconds",
    "TumblingWindowInSeconds": "TumblingWindowInSeconds",
    "FunctionResponseTypes": "FunctionResponseTypes",
    "FilterCriteria": "FilterCriteria",
    "DestinationConfig": "DestinationConfig",
    "EventSourceArn": "EventSourceArn",
}


class Unresolvable(Exception):
    """An intrinsic function whose value the script cannot compute from the deployed stack."""


# MARK: - The server


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server():
    """Starts moto_server on a free local port and returns (process, endpoint URL)."""
    port = free_port()
    process = subprocess.Popen(
        ["moto_server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    endpoint = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"moto_server exited with status {process.returncode} before it responded")
        try:
            urllib.request.urlopen(f"{endpoint}/moto-api/", timeout=1)
            return process, endpoint
        except OSError:
            time.sleep(0.2)
    process.terminate()
    raise RuntimeError("moto_server did not respond within 30 seconds")


def stop_server(process):
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def client(endpoint, service, region=DEFAULT_REGION):
    return boto3.client(
        service,
        endpoint_url=endpoint,
        region_name=region,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


# MARK: - Preparing a template


def load_template(path):
    with open(path, encoding="utf-8") as handle:
        text = handle.read()
    if path.endswith(".json"):
        return json.loads(text)
    return yaml.safe_load(text)


def code_zip():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("index.js", "exports.handler = async () => {};\n")
    return buffer.getvalue()


def string_arn_fields(arn):
    """(partition, service, region, account, resource) of an ARN string, or None."""
    fields = arn.split(":", 5)
    if len(fields) < 6 or fields[0] != "arn":
        return None
    return fields[1], fields[2], fields[3], fields[4], fields[5]


def source_arns(template):
    """Yield (logical ID, string ARN) for every stream a mapping or a stream consumer reads, by a
    string ARN or by a `Ref` to a template parameter whose default is one."""
    defaults = {name: parameter.get("Default") for name, parameter in template.get("Parameters", {}).items()}
    for logical_id, resource in template.get("Resources", {}).items():
        properties = resource.get("Properties", {})
        if resource.get("Type") == "AWS::Lambda::EventSourceMapping":
            arn = properties.get("EventSourceArn")
        elif resource.get("Type") == "AWS::Kinesis::StreamConsumer":
            arn = properties.get("StreamARN")
        else:
            continue
        if isinstance(arn, dict) and list(arn) == ["Ref"]:
            arn = defaults.get(arn["Ref"])
        arn = joined_text(arn)
        if isinstance(arn, str):
            # A consumer ARN names its stream before `/consumer/`.
            yield logical_id, arn.split("/consumer/")[0]


def joined_text(node):
    """The text of an `Fn::Join` of strings and the pseudo parameters AWS::Region, AWS::AccountId and
    AWS::Partition, as moto resolves it; any other node unchanged."""
    if not (isinstance(node, dict) and list(node) == ["Fn::Join"]):
        return node
    separator, parts = node["Fn::Join"]
    pseudo = {"AWS::Region": DEFAULT_REGION, "AWS::AccountId": ACCOUNT, "AWS::Partition": "aws"}
    texts = []
    for part in parts:
        if isinstance(part, dict) and list(part) == ["Ref"] and part["Ref"] in pseudo:
            part = pseudo[part["Ref"]]
        if not isinstance(part, str):
            return node
        texts.append(part)
    return separator.join(texts)


def template_region(template):
    """Return the region of the first stream ARN the template reads, else the default region."""
    for _, arn in source_arns(template):
        fields = string_arn_fields(arn)
        if fields and fields[2]:
            return fields[2]
    return DEFAULT_REGION


def create_roles(template, endpoint, notes):
    """Creates the IAM roles that functions name by ARN: moto's Lambda requires them to exist."""
    iam = client(endpoint, "iam")
    trust = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}],
    }
    for logical_id, resource in template.get("Resources", {}).items():
        role = resource.get("Properties", {}).get("Role")
        if resource.get("Type") != "AWS::Lambda::Function" or not isinstance(role, str):
            continue
        name = role.split("/")[-1]
        try:
            iam.create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps(trust))
            notes.append(f"{logical_id}: created the role {name} that the function names by ARN")
        except iam.exceptions.EntityAlreadyExistsException:
            pass


def create_event_sources(template, endpoint, region, notes):
    """Creates the streams and tables named by string ARNs; returns {template ARN: moto ARN}."""
    replacements = {}
    kinesis = client(endpoint, "kinesis", region)
    dynamodb = client(endpoint, "dynamodb", region)
    for logical_id, arn in source_arns(template):
        if arn in replacements:
            continue
        fields = string_arn_fields(arn)
        if fields is None:
            continue
        _, service, arn_region, account, resource_part = fields
        if arn_region != region:
            notes.append(f"{logical_id}: {arn} is outside the stack's region {region}; moto cannot read it")
            continue
        if account != ACCOUNT:
            notes.append(f"{logical_id}: {arn} is outside moto's account {ACCOUNT}; moto cannot create it")
            continue
        parts = resource_part.split("/")
        if service == "kinesis" and len(parts) == 2 and parts[0] == "stream":
            kinesis.create_stream(StreamName=parts[1], ShardCount=1)
            kinesis.get_waiter("stream_exists").wait(StreamName=parts[1])
            created = kinesis.describe_stream(StreamName=parts[1])["StreamDescription"]["StreamARN"]
            replacements[arn] = created
        elif service == "dynamodb" and len(parts) >= 4 and parts[0] == "table":
            table = dynamodb.create_table(
                TableName=parts[1],
                AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
                KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
                BillingMode="PAY_PER_REQUEST",
                StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"},
            )["TableDescription"]
            created = table["LatestStreamArn"]
            replacements[arn] = created
            notes.append(f"{logical_id}: moto labels the stream of table {parts[1]} {created}, used instead of {arn}")
    return replacements


def create_exports(template, endpoint, region, index, notes):
    """Exports a stream ARN under each name a mapping reads with `Fn::ImportValue`, from a stack of its
    own, as the stack that owns the stream would. The type comes from the mapping's logical ID
    (`...EventSourceMappingKinesis...` or `...EventSourceMappingDynamodb...`)."""
    outputs = {}
    for logical_id, resource in template.get("Resources", {}).items():
        if resource.get("Type") != "AWS::Lambda::EventSourceMapping":
            continue
        source = resource.get("Properties", {}).get("EventSourceArn")
        if not (isinstance(source, dict) and isinstance(source.get("Fn::ImportValue"), str)):
            continue
        name = source["Fn::ImportValue"]
        stream = "".join(character for character in name if character.isalnum())
        if "EventSourceMappingKinesis" in logical_id:
            arn = f"arn:aws:kinesis:{region}:{ACCOUNT}:stream/{stream}"
        else:
            arn = f"arn:aws:dynamodb:{region}:{ACCOUNT}:table/{stream}/stream/1970-01-01T00:00:00.000"
        probe = {"Resources": {logical_id: {"Type": "AWS::Lambda::EventSourceMapping", "Properties": {"EventSourceArn": arn}}}}
        created = create_event_sources(probe, endpoint, region, notes).get(arn, arn)
        outputs[f"Export{len(outputs)}"] = {"Value": created, "Export": {"Name": name}}
        notes.append(f"{logical_id}: exported {created} as {name} from a stack of its own")
    if outputs:
        cloudformation = client(endpoint, "cloudformation", region)
        stack_name = f"slsx-exports-{index}"
        body = {"Resources": {"Placeholder": {"Type": "AWS::SQS::Queue"}}, "Outputs": outputs}
        cloudformation.create_stack(StackName=stack_name, TemplateBody=json.dumps(body))
        wait_for_stack(cloudformation, stack_name)


def replace_strings(node, replacements):
    if isinstance(node, str):
        return replacements.get(node, node)
    if isinstance(node, list):
        return [replace_strings(item, replacements) for item in node]
    if isinstance(node, dict):
        return {key: replace_strings(value, replacements) for key, value in node.items()}
    return node


def rewrite_for_moto(template, region, notes):
    """Removes the resources moto cannot model and rewrites the mappings that depend on them.

    Returns the set of resource types moto cannot model.
    """
    supported = set(get_model_map())
    resources = template.get("Resources", {})
    unsupported = {
        logical_id: resource.get("Type")
        for logical_id, resource in resources.items()
        if resource.get("Type") not in supported
    }
    for logical_id, resource in resources.items():
        if resource.get("Type") != "AWS::Lambda::EventSourceMapping":
            continue
        properties = resource.setdefault("Properties", {})
        source = properties.get("EventSourceArn")
        if isinstance(source, dict) and source.get("Ref") in unsupported:
            consumer = resources[source["Ref"]]
            properties["EventSourceArn"] = consumer.get("Properties", {}).get("StreamARN")
            notes.append(f"{logical_id}: moto has no stream consumers; the mapping reads the stream directly")
        elif isinstance(source, str) and "/consumer/" in source:
            properties["EventSourceArn"] = source.split("/consumer/")[0]
            notes.append(f"{logical_id}: moto has no stream consumers; the mapping reads the stream directly")
        target = properties.get("FunctionName")
        if isinstance(target, dict) and "Fn::Join" in target:
            parts = target["Fn::Join"][1]
            if len(parts) == 2 and parts[1] == "provisioned":
                properties["FunctionName"] = parts[0]
                notes.append(f"{logical_id}: moto's CloudFormation has no aliases; the mapping targets the function")
    for logical_id in unsupported:
        del resources[logical_id]
    # Other references to a removed resource (a consumer in an IAM statement) get a placeholder ARN.
    placeholders = {
        logical_id: f"arn:aws:cloudformation:{region}:{ACCOUNT}:removed/{logical_id}" for logical_id in unsupported
    }
    template["Resources"] = replace_references(resources, placeholders)
    resources = template["Resources"]
    for resource in resources.values():
        depends_on = resource.get("DependsOn")
        if isinstance(depends_on, str) and depends_on in unsupported:
            del resource["DependsOn"]
        elif isinstance(depends_on, list):
            resource["DependsOn"] = [name for name in depends_on if name not in unsupported]
    outputs = template.get("Outputs", {})
    for name in [name for name, output in outputs.items() if references(output, set(unsupported))]:
        del outputs[name]
    return set(unsupported.values())


def replace_references(node, placeholders):
    """`node` with every `Ref` or `Fn::GetAtt` of a name in `placeholders` replaced by its text."""
    if isinstance(node, dict):
        if len(node) == 1 and node.get("Ref") in placeholders:
            return placeholders[node["Ref"]]
        get_att = node.get("Fn::GetAtt")
        if len(node) == 1 and isinstance(get_att, list) and get_att and get_att[0] in placeholders:
            return placeholders[get_att[0]]
        return {key: replace_references(value, placeholders) for key, value in node.items()}
    if isinstance(node, list):
        return [replace_references(item, placeholders) for item in node]
    return node


def references(node, names):
    if isinstance(node, dict):
        if node.get("Ref") in names:
            return True
        get_att = node.get("Fn::GetAtt")
        if isinstance(get_att, list) and get_att and get_att[0] in names:
            return True
        return any(references(value, names) for value in node.values())
    if isinstance(node, list):
        return any(references(item, names) for item in node)
    return False


# MARK: - Comparing


class Resolver:
    """Computes the values of intrinsic functions from the deployed stack's resources."""

    def __init__(self, endpoint, region, template, physical_ids):
        self.endpoint = endpoint
        self.region = region
        self.template = template
        self.physical_ids = physical_ids

    def resolve(self, node):
        if isinstance(node, list):
            return [self.resolve(item) for item in node]
        if not isinstance(node, dict):
            return node
        if len(node) == 1:
            (name, argument), = node.items()
            if name == "Ref":
                return self.ref(argument)
            if name == "Fn::GetAtt":
                return self.get_att(*argument) if isinstance(argument, list) else self.get_att(*argument.split(".", 1))
            if name == "Fn::Join":
                return argument[0].join(str(self.resolve(part)) for part in argument[1])
            if name.startswith("Fn::"):
                raise Unresolvable(name)
        return {key: self.resolve(value) for key, value in node.items()}

    def ref(self, name):
        pseudo = {"AWS::Region": self.region, "AWS::AccountId": ACCOUNT, "AWS::Partition": "aws"}
        if name in pseudo:
            return pseudo[name]
        if name in self.physical_ids:
            return self.physical_ids[name]
        raise Unresolvable(f"Ref {name}")

    def get_att(self, name, attribute):
        resource_type = self.template.get("Resources", {}).get(name, {}).get("Type")
        physical = self.physical_ids.get(name)
        if physical is None:
            raise Unresolvable(f"Fn::GetAtt {name}.{attribute}")
        if resource_type == "AWS::Kinesis::Stream" and attribute == "Arn":
            return client(self.endpoint, "kinesis", self.region).describe_stream(StreamName=physical)["StreamDescription"]["StreamARN"]
        if resource_type == "AWS::DynamoDB::Table" and attribute == "StreamArn":
            return client(self.endpoint, "dynamodb", self.region).describe_table(TableName=physical)["Table"]["LatestStreamArn"]
        if resource_type == "AWS::SQS::Queue" and attribute == "Arn":
            attributes = client(self.endpoint, "sqs", self.region).get_queue_attributes(QueueUrl=physical, AttributeNames=["QueueArn"])
            return attributes["Attributes"]["QueueArn"]
        if resource_type == "AWS::Lambda::Function" and attribute == "Arn":
            return client(self.endpoint, "lambda", self.region).get_function(FunctionName=physical)["Configuration"]["FunctionArn"]
        raise Unresolvable(f"Fn::GetAtt {name}.{attribute}")


def compare_mapping(logical_id, properties, actual, resolver, report):
    """Compares one mapping; returns the number of mismatches."""
    mismatches = 0
    for template_key, moto_key in COMPARED_PROPERTIES.items():
        if template_key not in properties:
            continue
        try:
            expected = resolver.resolve(properties[template_key])
        except Unresolvable as reason:
            report(f"  {logical_id}.{template_key}: not compared, the script cannot resolve {reason}")
            continue
        if moto_key not in actual:
            report(f"  {logical_id}.{template_key}: moto does not return this setting")
            continue
        if actual[moto_key] != expected:
            report(f"  MISMATCH {logical_id}.{template_key}: template {expected!r}, moto {actual[moto_key]!r}")
            mismatches += 1
    expected_state = "Enabled" if properties.get("Enabled", True) else "Disabled"
    if actual.get("State") != expected_state:
        report(f"  MISMATCH {logical_id}.Enabled: template {expected_state}, moto {actual.get('State')!r}")
        mismatches += 1
    try:
        function_arn = resolver.resolve(properties.get("FunctionName"))
        if actual.get("FunctionArn") != function_arn:
            report(f"  MISMATCH {logical_id}.FunctionName: template {function_arn!r}, moto {actual.get('FunctionArn')!r}")
            mismatches += 1
    except Unresolvable as reason:
        report(f"  {logical_id}.FunctionName: not compared, the script cannot resolve {reason}")
    return mismatches


# MARK: - One template


def deploy(path, index, endpoint):
    """Deploys one template and compares its mappings; returns the number of failures."""
    print(f"{path}:")
    notes = []
    template = copy.deepcopy(load_template(path))
    region = template_region(template)
    create_roles(template, endpoint, notes)
    replacements = create_event_sources(template, endpoint, region, notes)
    template = replace_strings(template, replacements)
    create_exports(template, endpoint, region, index, notes)
    unsupported = rewrite_for_moto(template, region, notes)
    for note in notes:
        print(f"  note: {note}")
    if unsupported:
        print(f"  moto cannot model: {', '.join(sorted(unsupported))}")

    cloudformation = client(endpoint, "cloudformation", region)
    stack_name = f"slsx-check-{index}"
    parameters = [
        {"ParameterKey": key, "ParameterValue": value}
        for key, value in (("DeploymentBucketName", CODE_BUCKET), ("CodeKey", CODE_KEY))
        if key in template.get("Parameters", {})
    ]
    cloudformation.create_stack(
        StackName=stack_name,
        TemplateBody=json.dumps(template),
        Parameters=parameters,
        Capabilities=["CAPABILITY_IAM", "CAPABILITY_NAMED_IAM"],
    )
    status = wait_for_stack(cloudformation, stack_name)
    if status != "CREATE_COMPLETE":
        print(f"  FAILED: stack {stack_name} ended in {status}")
        return 1

    stack_resources = cloudformation.describe_stack_resources(StackName=stack_name)["StackResources"]
    physical_ids = {
        item["LogicalResourceId"]: item["PhysicalResourceId"] for item in stack_resources if "PhysicalResourceId" in item
    }
    resolver = Resolver(endpoint, region, template, physical_ids)
    # moto's ListEventSourceMappings ignores a FunctionName given as a plain name, so the script
    # lists every mapping of the (otherwise empty) moto and keeps those of this stack's functions.
    function_arns = {
        resolver.get_att(logical_id, "Arn")
        for logical_id, resource in template["Resources"].items()
        if resource.get("Type") == "AWS::Lambda::Function"
    }
    paginator = client(endpoint, "lambda", region).get_paginator("list_event_source_mappings")
    listed = {
        mapping["UUID"]: mapping
        for page in paginator.paginate()
        for mapping in page["EventSourceMappings"]
        if mapping.get("FunctionArn") in function_arns
    }

    failures = 0
    mapping_count = 0
    for logical_id, resource in template["Resources"].items():
        if resource.get("Type") != "AWS::Lambda::EventSourceMapping":
            continue
        mapping_count += 1
        actual = listed.get(physical_ids.get(logical_id))
        if actual is None:
            print(f"  MISMATCH {logical_id}: no event source mapping was created")
            failures += 1
            continue
        failures += compare_mapping(logical_id, resource.get("Properties", {}), actual, resolver, print)
    extra = len(listed) - mapping_count
    if extra > 0:
        print(f"  MISMATCH: moto lists {extra} mapping(s) that the template does not declare")
        failures += 1
    print(f"  {mapping_count} mapping(s) checked, {failures} mismatch(es)")
    return failures


def wait_for_stack(cloudformation, stack_name, timeout=60):
    deadline = time.monotonic() + timeout
    status = "UNKNOWN"
    while time.monotonic() < deadline:
        status = cloudformation.describe_stacks(StackName=stack_name)["Stacks"][0]["StackStatus"]
        if not status.endswith("IN_PROGRESS"):
            return status
        time.sleep(0.5)
    return f"{status} (timed out after {timeout} s)"


def main(paths):
    if not paths:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    # Dummy credentials, so that boto3 never looks for real ones.
    os.environ.update({"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": DEFAULT_REGION})
    process, endpoint = start_server()
    try:
        failures = 0
        failed_templates = 0
        for index, path in enumerate(paths):
            # Each template starts from an empty moto, so that named resources cannot clash.
            urllib.request.urlopen(urllib.request.Request(f"{endpoint}/moto-api/reset", method="POST"), timeout=10)
            s3 = client(endpoint, "s3")
            s3.create_bucket(Bucket=CODE_BUCKET)
            s3.put_object(Bucket=CODE_BUCKET, Key=CODE_KEY, Body=code_zip())
            try:
                template_failures = deploy(path, index, endpoint)
            except Exception as error:  # report and go on with the next template
                print(f"  FAILED: {type(error).__name__}: {error}")
                template_failures = 1
            failures += template_failures
            failed_templates += 1 if template_failures else 0
    finally:
        stop_server(process)
    print("all mappings match" if failures == 0 else f"{failures} failure(s)")
    # The closing line counts templates, in the plain form test runners use.
    print(f"deploy: {len(paths) - failed_templates} passed, {failed_templates} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
