"""The many-bindings workload as a plain Python script: json from the standard library and PyYAML.

    python3 many_bindings.py N M yaml       serverless.yml (PyYAML's libyaml CSafeDumper)
    python3 many_bindings.py N M cfn-json   the CloudFormation template slsx compiles, as JSON

Builds the same documents as benchmarks/many-bindings.slsx: function i is worker-%04d, binding j
reads a Kinesis stream for even j and a DynamoDB table stream for odd j, and counting bindings
across functions as k = i * M + j, k % 3 == 0 adds 3 retries with an SQS onFailure destination and
k % 5 == 0 an INSERT filter pattern. The template repeats the parts slsx takes from the Serverless
Framework v3: logical IDs, the shared execution role with per-function statements, and outputs.
"""

import json
import sys

REGION = "us-east-1"
ACCOUNT = "123456789012"
SERVICE = "many-bindings"
STAGE = "dev"


def stream_arn(name, j):
    if j % 2 == 0:
        return f"arn:aws:kinesis:{REGION}:{ACCOUNT}:stream/{name}-{j}"
    return f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/{name}-{j}/stream/2024-01-01T00:00:00.000"


def binding(name, k, j):
    event = {"arn": stream_arn(name, j), "batchSize": 100, "startingPosition": "LATEST"}
    if k % 3 == 0:
        event["maximumRetryAttempts"] = 3
        event["destinations"] = {"onFailure": f"arn:aws:sqs:{REGION}:{ACCOUNT}:{name}-failures"}
    if k % 5 == 0:
        event["filterPatterns"] = [{"eventName": ["INSERT"]}]
    return event


def serverless(n, m):
    functions = {}
    for i in range(n):
        name = f"worker-{i:04d}"
        events = [{"stream": binding(name, i * m + j, j)} for j in range(m)]
        functions[name] = {"handler": "src/worker.handle", "events": events}
    return {
        "service": SERVICE,
        "provider": {"name": "aws", "region": REGION, "runtime": "python3.12"},
        "functions": functions,
    }


# MARK: CloudFormation, following the framework's naming and compilation rules


def normalized(name):
    spelled = name.replace("-", "Dash").replace("_", "Underscore")
    return spelled[:1].upper() + spelled[1:]


def alphanumeric(name):
    kept = "".join(c for c in name if c.isascii() and c.isalnum())
    return kept[:1].upper() + kept[1:]


def statement(actions, resources):
    return {"Effect": "Allow", "Action": actions, "Resource": resources}


def log_statements():
    prefix = f"arn:${{AWS::Partition}}:logs:${{AWS::Region}}:${{AWS::AccountId}}:log-group:/aws/lambda/{SERVICE}-{STAGE}*"
    return [
        statement(["logs:CreateLogStream", "logs:CreateLogGroup", "logs:TagResource"], [{"Fn::Sub": prefix + ":*"}]),
        statement(["logs:PutLogEvents"], [{"Fn::Sub": prefix + ":*:*"}]),
    ]


def template(n, m):
    document = serverless(n, m)
    statements = log_statements()
    resources = {}
    outputs = {}
    for name, function in document["functions"].items():
        function_id = normalized(name) + "LambdaFunction"
        resources[normalized(name) + "LogGroup"] = {
            "Type": "AWS::Logs::LogGroup",
            "Properties": {"LogGroupName": f"/aws/lambda/{SERVICE}-{STAGE}-{name}"},
        }
        resources[function_id] = {
            "Type": "AWS::Lambda::Function",
            "Properties": {
                "Code": {"S3Bucket": {"Ref": "DeploymentBucketName"}, "S3Key": {"Ref": "CodeKey"}},
                "Handler": function["handler"],
                "Runtime": document["provider"]["runtime"],
                "FunctionName": f"{SERVICE}-{STAGE}-{name}",
                "MemorySize": 1024,
                "Timeout": 6,
                "Role": {"Fn::GetAtt": ["IamRoleLambdaExecution", "Arn"]},
            },
            "DependsOn": [normalized(name) + "LogGroup"],
        }
        dynamodb, kinesis, queues = [], [], []
        for event in function["events"]:
            stream = event["stream"]
            arn = stream["arn"]
            kind = "Kinesis" if arn.startswith("arn:aws:kinesis:") else "Dynamodb"
            (kinesis if kind == "Kinesis" else dynamodb).append(arn)
            properties = {
                "BatchSize": stream["batchSize"],
                "Enabled": True,
                "EventSourceArn": arn,
                "FunctionName": {"Fn::GetAtt": [function_id, "Arn"]},
                "StartingPosition": stream["startingPosition"],
            }
            if "maximumRetryAttempts" in stream:
                properties["MaximumRetryAttempts"] = stream["maximumRetryAttempts"]
            if "destinations" in stream:
                destination = stream["destinations"]["onFailure"]
                queues.append(destination)
                properties["DestinationConfig"] = {"OnFailure": {"Destination": destination}}
            if "filterPatterns" in stream:
                patterns = [json.dumps(p, separators=(",", ":")) for p in stream["filterPatterns"]]
                properties["FilterCriteria"] = {"Filters": [{"Pattern": p} for p in patterns]}
            stream_name = arn.split("/")[1]
            resources[normalized(name) + "EventSourceMapping" + kind + alphanumeric(stream_name)] = {
                "Type": "AWS::Lambda::EventSourceMapping",
                "DependsOn": ["IamRoleLambdaExecution"],
                "Properties": properties,
            }
        read = ["GetRecords", "GetShardIterator", "DescribeStream", "ListStreams"]
        if dynamodb:
            statements.append(statement([f"dynamodb:{a}" for a in read], dynamodb))
        if kinesis:
            statements.append(statement([f"kinesis:{a}" for a in read], kinesis))
        if queues:
            statements.append(statement(["sqs:ListQueues", "sqs:SendMessage"], queues))
        outputs[function_id + "Arn"] = {
            "Description": f"ARN of the function {name}",
            "Value": {"Fn::GetAtt": [function_id, "Arn"]},
        }

    role = {
        "Type": "AWS::IAM::Role",
        "Properties": {
            "AssumeRolePolicyDocument": {
                "Version": "2012-10-17",
                "Statement": [{
                    "Effect": "Allow",
                    "Principal": {"Service": ["lambda.amazonaws.com"]},
                    "Action": ["sts:AssumeRole"],
                }],
            },
            "Policies": [{
                "PolicyName": {"Fn::Join": ["-", [SERVICE, STAGE, "lambda"]]},
                "PolicyDocument": {"Version": "2012-10-17", "Statement": statements},
            }],
            "Path": "/",
            "RoleName": {"Fn::Join": ["-", [SERVICE, STAGE, {"Ref": "AWS::Region"}, "lambdaRole"]]},
        },
    }
    return {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Description": "The AWS CloudFormation template for this Serverless application",
        "Parameters": {
            "DeploymentBucketName": {"Type": "String", "Description": "Name of the S3 bucket that holds the code package"},
            "CodeKey": {"Type": "String", "Description": "S3 key of the code package (a .zip file) in that bucket"},
        },
        "Resources": {"IamRoleLambdaExecution": role, **resources},
        "Outputs": outputs,
    }


def main():
    n, m, output_format = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    if output_format == "yaml":
        import yaml

        yaml.dump(serverless(n, m), sys.stdout, Dumper=yaml.CSafeDumper, sort_keys=False, default_flow_style=False)
    elif output_format == "cfn-json":
        json.dump(template(n, m), sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        sys.exit(f"unknown format {output_format!r}: use yaml or cfn-json")


if __name__ == "__main__":
    main()
