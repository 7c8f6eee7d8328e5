// The many-bindings workload as a plain Node.js script, with no npm packages.
//
//   node many_bindings.js N M cfn-json    the CloudFormation template slsx compiles, as JSON
//   node many_bindings.js N M json        the serverless.yml document, as JSON
//
// Node has no YAML writer without npm, so this peer writes JSON only. It builds the same documents
// as benchmarks/many-bindings.slsx and many_bindings.py (see there for the workload's rules).
"use strict";

const REGION = "us-east-1";
const ACCOUNT = "123456789012";
const SERVICE = "many-bindings";
const STAGE = "dev";

function streamArn(name, j) {
  if (j % 2 === 0) return `arn:aws:kinesis:${REGION}:${ACCOUNT}:stream/${name}-${j}`;
  return `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${name}-${j}/stream/2024-01-01T00:00:00.000`;
}

function binding(name, k, j) {
  const event = { arn: streamArn(name, j), batchSize: 100, startingPosition: "LATEST" };
  if (k % 3 === 0) {
    event.maximumRetryAttempts = 3;
    event.destinations = { onFailure: `arn:aws:sqs:${REGION}:${ACCOUNT}:${name}-failures` };
  }
  if (k % 5 === 0) event.filterPatterns = [{ eventName: ["INSERT"] }];
  return event;
}

function serverless(n, m) {
  const functions = {};
  for (let i = 0; i < n; i++) {
    const name = `worker-${String(i).padStart(4, "0")}`;
    const events = [];
    for (let j = 0; j < m; j++) events.push({ stream: binding(name, i * m + j, j) });
    functions[name] = { handler: "src/worker.handle", events };
  }
  return {
    service: SERVICE,
    provider: { name: "aws", region: REGION, runtime: "python3.12" },
    functions,
  };
}

// CloudFormation, following the Serverless Framework v3's naming and compilation rules.

function upperFirst(text) {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function normalized(name) {
  return upperFirst(name.replace(/-/g, "Dash").replace(/_/g, "Underscore"));
}

function alphanumeric(name) {
  return upperFirst(name.replace(/[^A-Za-z0-9]/g, ""));
}

function statement(actions, resources) {
  return { Effect: "Allow", Action: actions, Resource: resources };
}

function template(n, m) {
  const document = serverless(n, m);
  const prefix = `arn:\${AWS::Partition}:logs:\${AWS::Region}:\${AWS::AccountId}:log-group:/aws/lambda/${SERVICE}-${STAGE}*`;
  const statements = [
    statement(["logs:CreateLogStream", "logs:CreateLogGroup", "logs:TagResource"], [{ "Fn::Sub": prefix + ":*" }]),
    statement(["logs:PutLogEvents"], [{ "Fn::Sub": prefix + ":*:*" }]),
  ];
  const role = {
    Type: "AWS::IAM::Role",
    Properties: {
      AssumeRolePolicyDocument: {
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: ["lambda.amazonaws.com"] }, Action: ["sts:AssumeRole"] }],
      },
      Policies: [{
        PolicyName: { "Fn::Join": ["-", [SERVICE, STAGE, "lambda"]] },
        PolicyDocument: { Version: "2012-10-17", Statement: statements },
      }],
      Path: "/",
      RoleName: { "Fn::Join": ["-", [SERVICE, STAGE, { Ref: "AWS::Region" }, "lambdaRole"]] },
    },
  };
  const resources = { IamRoleLambdaExecution: role };
  const outputs = {};
  const read = ["GetRecords", "GetShardIterator", "DescribeStream", "ListStreams"];

  for (const [name, fn] of Object.entries(document.functions)) {
    const functionId = normalized(name) + "LambdaFunction";
    resources[normalized(name) + "LogGroup"] = {
      Type: "AWS::Logs::LogGroup",
      Properties: { LogGroupName: `/aws/lambda/${SERVICE}-${STAGE}-${name}` },
    };
    resources[functionId] = {
      Type: "AWS::Lambda::Function",
      Properties: {
        Code: { S3Bucket: { Ref: "DeploymentBucketName" }, S3Key: { Ref: "CodeKey" } },
        Handler: fn.handler,
        Runtime: document.provider.runtime,
        FunctionName: `${SERVICE}-${STAGE}-${name}`,
        MemorySize: 1024,
        Timeout: 6,
        Role: { "Fn::GetAtt": ["IamRoleLambdaExecution", "Arn"] },
      },
      DependsOn: [normalized(name) + "LogGroup"],
    };
    const dynamodb = [], kinesis = [], queues = [];
    for (const event of fn.events) {
      const stream = event.stream;
      const kind = stream.arn.startsWith("arn:aws:kinesis:") ? "Kinesis" : "Dynamodb";
      (kind === "Kinesis" ? kinesis : dynamodb).push(stream.arn);
      const properties = {
        BatchSize: stream.batchSize,
        Enabled: true,
        EventSourceArn: stream.arn,
        FunctionName: { "Fn::GetAtt": [functionId, "Arn"] },
        StartingPosition: stream.startingPosition,
      };
      if (stream.maximumRetryAttempts !== undefined) properties.MaximumRetryAttempts = stream.maximumRetryAttempts;
      if (stream.destinations) {
        queues.push(stream.destinations.onFailure);
        properties.DestinationConfig = { OnFailure: { Destination: stream.destinations.onFailure } };
      }
      if (stream.filterPatterns) {
        properties.FilterCriteria = { Filters: stream.filterPatterns.map((p) => ({ Pattern: JSON.stringify(p) })) };
      }
      const streamName = stream.arn.split("/")[1];
      resources[normalized(name) + "EventSourceMapping" + kind + alphanumeric(streamName)] = {
        Type: "AWS::Lambda::EventSourceMapping",
        DependsOn: ["IamRoleLambdaExecution"],
        Properties: properties,
      };
    }
    if (dynamodb.length) statements.push(statement(read.map((a) => "dynamodb:" + a), dynamodb));
    if (kinesis.length) statements.push(statement(read.map((a) => "kinesis:" + a), kinesis));
    if (queues.length) statements.push(statement(["sqs:ListQueues", "sqs:SendMessage"], queues));
    outputs[functionId + "Arn"] = {
      Description: `ARN of the function ${name}`,
      Value: { "Fn::GetAtt": [functionId, "Arn"] },
    };
  }

  return {
    AWSTemplateFormatVersion: "2010-09-09",
    Description: "The AWS CloudFormation template for this Serverless application",
    Parameters: {
      DeploymentBucketName: { Type: "String", Description: "Name of the S3 bucket that holds the code package" },
      CodeKey: { Type: "String", Description: "S3 key of the code package (a .zip file) in that bucket" },
    },
    Resources: resources,
    Outputs: outputs,
  };
}

const [n, m, format] = [Number(process.argv[2]), Number(process.argv[3]), process.argv[4]];
if (format === "cfn-json") {
  process.stdout.write(JSON.stringify(template(n, m), null, 2) + "\n");
} else if (format === "json") {
  process.stdout.write(JSON.stringify(serverless(n, m), null, 2) + "\n");
} else {
  process.stderr.write(`unknown format '${format}': use cfn-json or json\n`);
  process.exit(2);
}
