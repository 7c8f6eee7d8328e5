// The many-bindings workload as a Jsonnet program, run by run_jsonnet.py with PyPI's `jsonnet`
// (C++) or `gojsonnet` (Go).
//
// Top-level arguments: n and m (numbers) and format ("yaml" for the serverless.yml document as
// YAML text, "cfn-json" for the CloudFormation template). The rules are those of many_bindings.py.
// Jsonnet writes object fields sorted by name, so its output matches the others once parsed.
function(n, m, format)
  local region = 'us-east-1';
  local account = '123456789012';
  local service = 'many-bindings';
  local stage = 'dev';

  local streamArn(name, j) =
    if j % 2 == 0 then 'arn:aws:kinesis:' + region + ':' + account + ':stream/' + name + '-' + j
    else 'arn:aws:dynamodb:' + region + ':' + account + ':table/' + name + '-' + j + '/stream/2024-01-01T00:00:00.000';

  local binding(name, k, j) =
    { arn: streamArn(name, j), batchSize: 100, startingPosition: 'LATEST' }
    + (if k % 3 == 0 then {
         maximumRetryAttempts: 3,
         destinations: { onFailure: 'arn:aws:sqs:' + region + ':' + account + ':' + name + '-failures' },
       } else {})
    + (if k % 5 == 0 then { filterPatterns: [{ eventName: ['INSERT'] }] } else {});

  local names = ['worker-%04d' % i for i in std.range(0, n - 1)];
  local functions = [
    { name: names[i], events: [{ stream: binding(names[i], i * m + j, j) } for j in std.range(0, m - 1)] }
    for i in std.range(0, n - 1)
  ];

  local serverless = {
    service: service,
    provider: { name: 'aws', region: region, runtime: 'python3.12' },
    functions: { [f.name]: { handler: 'src/worker.handle', events: f.events } for f in functions },
  };

  // CloudFormation, following the Serverless Framework v3's naming and compilation rules.
  local upperFirst(text) = std.asciiUpper(text[0]) + text[1:];
  local normalized(name) = upperFirst(std.strReplace(std.strReplace(name, '-', 'Dash'), '_', 'Underscore'));
  local isAlphanumeric(c) =
    local p = std.codepoint(c);
    (p >= 48 && p <= 57) || (p >= 65 && p <= 90) || (p >= 97 && p <= 122);
  local alphanumeric(name) = upperFirst(std.join('', [c for c in std.stringChars(name) if isAlphanumeric(c)]));
  local statement(actions, resources) = { Effect: 'Allow', Action: actions, Resource: resources };
  local read = ['GetRecords', 'GetShardIterator', 'DescribeStream', 'ListStreams'];
  local prefix = 'arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:/aws/lambda/%s-%s*' % [service, stage];

  local functionId(name) = normalized(name) + 'LambdaFunction';
  local mapping(name, stream) =
    local kind = if std.startsWith(stream.arn, 'arn:aws:kinesis:') then 'Kinesis' else 'Dynamodb';
    {
      key: normalized(name) + 'EventSourceMapping' + kind + alphanumeric(std.split(stream.arn, '/')[1]),
      value: {
        Type: 'AWS::Lambda::EventSourceMapping',
        DependsOn: ['IamRoleLambdaExecution'],
        Properties: {
          BatchSize: stream.batchSize,
          Enabled: true,
          EventSourceArn: stream.arn,
          FunctionName: { 'Fn::GetAtt': [functionId(name), 'Arn'] },
          StartingPosition: stream.startingPosition,
        } + (if 'maximumRetryAttempts' in stream then { MaximumRetryAttempts: stream.maximumRetryAttempts } else {})
        + (if 'destinations' in stream then { DestinationConfig: { OnFailure: { Destination: stream.destinations.onFailure } } } else {})
        + (if 'filterPatterns' in stream then {
             FilterCriteria: { Filters: [{ Pattern: std.manifestJsonMinified(p) } for p in stream.filterPatterns] },
           } else {}),
      },
    };
  local functionResources(f) = [
    {
      key: normalized(f.name) + 'LogGroup',
      value: { Type: 'AWS::Logs::LogGroup', Properties: { LogGroupName: '/aws/lambda/' + service + '-' + stage + '-' + f.name } },
    },
    {
      key: functionId(f.name),
      value: {
        Type: 'AWS::Lambda::Function',
        Properties: {
          Code: { S3Bucket: { Ref: 'DeploymentBucketName' }, S3Key: { Ref: 'CodeKey' } },
          Handler: 'src/worker.handle',
          Runtime: 'python3.12',
          FunctionName: service + '-' + stage + '-' + f.name,
          MemorySize: 1024,
          Timeout: 6,
          Role: { 'Fn::GetAtt': ['IamRoleLambdaExecution', 'Arn'] },
        },
        DependsOn: [normalized(f.name) + 'LogGroup'],
      },
    },
  ] + [mapping(f.name, e.stream) for e in f.events];

  local functionStatements(f) =
    local arns(prefix) = [e.stream.arn for e in f.events if std.startsWith(e.stream.arn, prefix)];
    local queues = [e.stream.destinations.onFailure for e in f.events if 'destinations' in e.stream];
    (if std.length(arns('arn:aws:dynamodb:')) > 0 then [statement(['dynamodb:' + a for a in read], arns('arn:aws:dynamodb:'))] else [])
    + (if std.length(arns('arn:aws:kinesis:')) > 0 then [statement(['kinesis:' + a for a in read], arns('arn:aws:kinesis:'))] else [])
    + (if std.length(queues) > 0 then [statement(['sqs:ListQueues', 'sqs:SendMessage'], queues)] else []);

  local statements = [
    statement(['logs:CreateLogStream', 'logs:CreateLogGroup', 'logs:TagResource'], [{ 'Fn::Sub': prefix + ':*' }]),
    statement(['logs:PutLogEvents'], [{ 'Fn::Sub': prefix + ':*:*' }]),
  ] + std.flattenArrays([functionStatements(f) for f in functions]);

  local role = {
    Type: 'AWS::IAM::Role',
    Properties: {
      AssumeRolePolicyDocument: {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { Service: ['lambda.amazonaws.com'] }, Action: ['sts:AssumeRole'] }],
      },
      Policies: [{
        PolicyName: { 'Fn::Join': ['-', [service, stage, 'lambda']] },
        PolicyDocument: { Version: '2012-10-17', Statement: statements },
      }],
      Path: '/',
      RoleName: { 'Fn::Join': ['-', [service, stage, { Ref: 'AWS::Region' }, 'lambdaRole']] },
    },
  };

  local template = {
    AWSTemplateFormatVersion: '2010-09-09',
    Description: 'The AWS CloudFormation template for this Serverless application',
    Parameters: {
      DeploymentBucketName: { Type: 'String', Description: 'Name of the S3 bucket that holds the code package' },
      CodeKey: { Type: 'String', Description: 'S3 key of the code package (a .zip file) in that bucket' },
    },
    Resources: { IamRoleLambdaExecution: role } + {
      [r.key]: r.value
      for r in std.flattenArrays([functionResources(f) for f in functions])
    },
    Outputs: {
      [functionId(f.name) + 'Arn']: { Description: 'ARN of the function ' + f.name, Value: { 'Fn::GetAtt': [functionId(f.name), 'Arn'] } }
      for f in functions
    },
  };

  if format == 'yaml' then std.manifestYamlDoc(serverless, quote_keys=false) else template
