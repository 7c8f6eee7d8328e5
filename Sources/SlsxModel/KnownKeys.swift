/// The keys the Serverless Framework (v3) accepts at each level of serverless.yml, for the checks
/// that reject unknown keys and suggest the nearest known one.
///
/// The lists follow the framework's JSON schemas: lib/config-schema.js for the document, the AWS
/// provider's schema in lib/plugins/aws/provider.js for `provider` and functions, and
/// lib/plugins/aws/package/compile/events/stream.js for `stream`. `startingPositionTimestamp` comes
/// from later v3 releases, which added `AT_TIMESTAMP`.
///
/// NOTE: a key the framework adds later is rejected as unknown until it is added here.
enum KnownKeys {
    /// Keys at the top of the document. `resources` and `layers` come from the AWS provider's schema.
    /// NOTE: `org`, `app`, `outputs` and `unresolvedVariablesNotificationMode` are not in the core
    /// schema that was checked, and are accepted as v3 releases use them.
    static let document = [
        "service", "frameworkVersion", "configValidationMode", "deprecationNotificationMode",
        "disabledDeprecations", "unresolvedVariablesNotificationMode", "variablesResolutionMode",
        "useDotenv", "projectDir", "org", "app", "console", "dashboard", "outputs", "params", "provider",
        "package", "functions", "layers", "resources", "plugins", "custom",
    ]

    /// Keys of `service` in its mapping form (`service: {name: ...}`), which older versions accept.
    static let serviceMapping = ["name", "awsKmsKeyArn"]

    /// Keys of `provider` for `name: aws`.
    static let provider = [
        "name", "runtime", "runtimeManagement", "stage", "region", "profile", "memorySize", "timeout",
        "architecture", "environment", "tags", "stackTags", "stackName", "stackPolicy", "stackParameters",
        "disableRollback", "rollbackConfiguration", "notificationArns", "deploymentBucket",
        "deploymentPrefix", "deploymentMethod", "role", "cfnRole", "iam", "iamRoleStatements",
        "iamManagedPolicies", "rolePermissionsBoundary", "versionFunctions", "layers", "vpc",
        "vpcEndpointIds", "tracing", "logs", "logRetentionInDays", "logDataProtectionPolicy", "kmsKeyArn",
        "apiName", "apiGateway", "httpApi", "websocket", "websocketsApiName",
        "websocketsApiRouteSelectionExpression", "websocketsDescription", "alb", "endpointType",
        "eventBridge", "s3", "kinesis", "ecr", "cloudFront", "lambdaHashingVersion",
    ]

    /// Keys of `provider.iam`.
    static let providerIAM = ["role", "deploymentRole"]

    /// Keys of `provider.iam.role` in its mapping form. `mode: perFunction` gives every function a
    /// role of its own (a later framework release); the CloudFormation compiler reads it.
    static let providerIAMRole = [
        "name", "path", "statements", "managedPolicies", "permissionsBoundary", "permissionBoundary",
        "tags", "mode",
    ]

    /// Keys of `provider.kinesis`.
    static let providerKinesis = ["consumerNamingMode"]

    /// Keys of one function. `iamRoleStatements`, `iamRoleStatementsName`, `iamRoleStatementsInherit`
    /// and `iam` come from the serverless-iam-roles-per-function plugin, whose per-function roles slsx
    /// compiles.
    static let function = [
        "handler", "image", "name", "description", "runtime", "runtimeManagement", "memorySize",
        "ephemeralStorageSize", "timeout", "architecture", "environment", "tags", "role", "onError",
        "kmsKeyArn", "awsKmsKeyArn", "snapStart", "disableLogs", "logRetentionInDays",
        "logDataProtectionPolicy", "vpc", "package", "layers", "destinations", "fileSystemConfig",
        "provisionedConcurrency", "reservedConcurrency", "tracing", "url", "httpApi", "condition",
        "dependsOn", "maximumEventAge", "maximumRetryAttempts", "versionFunction", "events",
        "iamRoleStatements", "iamRoleStatementsName", "iamRoleStatementsInherit", "iam",
    ]

    /// Keys of a function's `iam` (per-function form) and of its `iam.role`.
    static let functionIAM = ["role"]
    static let functionIAMRole = ["statements"]

    /// Keys of a `stream` event.
    static let streamEvent = [
        "arn", "type", "batchSize", "batchWindow", "parallelizationFactor", "startingPosition",
        "startingPositionTimestamp", "enabled", "consumer", "maximumRetryAttempts",
        "bisectBatchOnFunctionError", "maximumRecordAgeInSeconds", "functionResponseType",
        "destinations", "tumblingWindowInSeconds", "filterPatterns",
    ]

    /// Keys of a stream event's `destinations`.
    static let streamDestinations = ["onFailure"]

    /// Keys of `destinations.onFailure` in its mapping form.
    static let failureDestination = ["arn", "type"]
}
