import SlsxSource

/// CloudFormation intrinsic functions and pseudo parameters as values.
///
/// `Ref("Queue")` is the map `{"Ref": "Queue"}`, `GetAtt("T", "StreamArn")` is
/// `{"Fn::GetAtt": ["T", "StreamArn"]}`, and `AWS.Region` is `{"Ref": "AWS::Region"}`; the writers
/// print them like any other map, which is how serverless.yml and CloudFormation expect them.
enum Intrinsics {
    /// The map bound to the name `AWS`: one entry per pseudo parameter.
    static let pseudoParameters: Value = {
        let names = ["AccountId", "NotificationARNs", "NoValue", "Partition", "Region", "StackId", "StackName", "URLSuffix"]
        var map = OrderedMap()
        for name in names {
            map.set(name, reference("AWS::\(name)", span: nil))
        }
        return Value(.map(map))
    }()

    /// The intrinsic entries of the built-in table.
    static let functions: [Builtin] = [
        Builtin("Ref", [.required("name")], "{\"Ref\": name}: a resource's id or a parameter's value") { call in
            reference(try call.string(0), span: call.span)
        },
        Builtin("GetAtt", [.required("resource"), .required("attribute")], "{\"Fn::GetAtt\": [resource, attribute]}") { call in
            let resource = Value(.string(try call.string(0)), span: call.argumentSpans[0])
            let attribute = Value(.string(try call.string(1)), span: call.argumentSpans[1])
            return intrinsic("Fn::GetAtt", Value(.list([resource, attribute]), span: call.span), span: call.span)
        },
        Builtin("ImportValue", [.required("name")], "{\"Fn::ImportValue\": name}: an output exported by another stack") { call in
            intrinsic("Fn::ImportValue", call.value(0), span: call.span)
        },
        Builtin("Join", [.required("separator"), .required("values")], "{\"Fn::Join\": [separator, values]}") { call in
            let separator = Value(.string(try call.string(0)), span: call.argumentSpans[0])
            let values = Value(.list(try call.list(1)), span: call.argumentSpans[1])
            return intrinsic("Fn::Join", Value(.list([separator, values]), span: call.span), span: call.span)
        },
        Builtin("Sub", [.required("text"), .optional("variables", .null)],
                "{\"Fn::Sub\": text} or {\"Fn::Sub\": [text, variables]}: ${Name} substitution done by CloudFormation") { call in
            let text = Value(.string(try call.string(0)), span: call.argumentSpans[0])
            if case .null = call.value(1).kind {
                return intrinsic("Fn::Sub", text, span: call.span)
            }
            let variables = Value(.map(try call.map(1)), span: call.argumentSpans[1])
            return intrinsic("Fn::Sub", Value(.list([text, variables]), span: call.span), span: call.span)
        },
        Builtin("Split", [.required("separator"), .required("text")], "{\"Fn::Split\": [separator, text]}") { call in
            let separator = Value(.string(try call.string(0)), span: call.argumentSpans[0])
            return intrinsic("Fn::Split", Value(.list([separator, call.value(1)]), span: call.span), span: call.span)
        },
        Builtin("Select", [.required("index"), .required("list")], "{\"Fn::Select\": [index, list]}") { call in
            let index = Value(.int(try call.int(0)), span: call.argumentSpans[0])
            return intrinsic("Fn::Select", Value(.list([index, call.value(1)]), span: call.span), span: call.span)
        },
        Builtin("GetAZs", [.optional("region", .string(""))], "{\"Fn::GetAZs\": region}: the availability zones of a region") { call in
            intrinsic("Fn::GetAZs", call.value(0), span: call.span)
        },
    ]

    private static func reference(_ name: String, span: SourceSpan?) -> Value {
        intrinsic("Ref", Value(.string(name), span: span), span: span)
    }

    private static func intrinsic(_ key: String, _ argument: Value, span: SourceSpan?) -> Value {
        var map = OrderedMap()
        map.set(key, argument)
        return Value(.map(map), span: span)
    }
}
