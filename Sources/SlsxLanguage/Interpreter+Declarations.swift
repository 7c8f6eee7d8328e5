import SlsxSource

extension Interpreter {
    /// Runs `service`, `provider`, `resources`, `function`, `stream` and `event` statements.
    func executeDeclaration(_ statement: Statement, in environment: Environment, context: Context) throws {
        // The keyword's text is read only for an error, because reading a span's text looks its
        // file up in `SourceFileTable` under a lock. Reading it for every `stream` statement cost
        // about 4.5 M instructions of evaluating the benchmark workload at N = 1,000 (callgrind).
        var keyword: String { statement.keywordSpan.text }
        switch context {
        case .topLevel:
            break
        case .body(let builder):
            switch statement.kind {
            case .stream, .event:
                guard builder.isFunction else {
                    throw EvaluationError(
                        "'\(keyword)' can only appear inside a function body", at: statement.keywordSpan,
                        hint: "move it into a function \"name\" { ... } block")
                }
            default:
                throw EvaluationError(
                    "'\(keyword)' can only be declared at the top level of a script", at: statement.keywordSpan,
                    hint: "move it out of this block")
            }
        case .call:
            throw EvaluationError(
                "'\(keyword)' cannot be declared inside a call of a fn", at: statement.keywordSpan,
                hint: "declarations build the document only from the top level; return a map from the fn and use it as a value instead")
        case .module:
            throw EvaluationError(
                "a module cannot declare '\(keyword)'", at: statement.keywordSpan,
                hint: "modules export only their top-level let and fn bindings; declare this in the script that imports the module")
        case .expression:
            throw EvaluationError(
                "'\(keyword)' cannot be declared inside an 'if' used as a value", at: statement.keywordSpan,
                hint: "use 'if' as a statement to declare conditionally")
        }
        if case .topLevel = context, case .stream = statement.kind {
            throw EvaluationError(
                "'stream' can only appear inside a function body", at: statement.keywordSpan,
                hint: "move it into a function \"name\" { ... } block")
        }
        if case .topLevel = context, case .event = statement.kind {
            throw EvaluationError(
                "'event' can only appear inside a function body", at: statement.keywordSpan,
                hint: "move it into a function \"name\" { ... } block")
        }

        switch statement.kind {
        case .service(let nameExpression):
            let name = try evaluate(nameExpression, in: environment)
            try document.body.setField("service", name, keySpan: statement.keywordSpan)
            record(DeclarationSummary(kind: .service, name: ValueFormatter.text(of: name)))

        case .provider(let block):
            if let first = document.providerSpan {
                throw EvaluationError(
                    "a second provider block", at: statement.keywordSpan, hint: "merge the two provider blocks into one",
                    notes: [.init("the first provider block is here", at: first)])
            }
            let value = try runBody(block, isFunction: false, span: statement.span, in: environment)
            try document.body.setField("provider", value, keySpan: statement.keywordSpan)
            document.providerSpan = statement.keywordSpan
            record(DeclarationSummary(kind: .provider, name: "provider"))

        case .resources(let block):
            let value = try runBody(block, isFunction: false, span: statement.span, in: environment)
            try document.body.setField("resources", value, keySpan: statement.keywordSpan)
            record(DeclarationSummary(kind: .resources, name: "resources"))

        case .functionDeclaration(let nameExpression, let block):
            try declareFunction(nameExpression, block, statement: statement, in: environment)

        case .stream(let source):
            guard case .body(let builder) = context else { return }
            let streamValue: Value
            switch source {
            case .expression(let expression):
                streamValue = try evaluate(expression, in: environment)
            case .body(let block):
                streamValue = try runBody(block, isFunction: false, span: block.span, in: environment)
            }
            // The new map has one entry, so it is made at that size and the key is not searched.
            var event = OrderedMap(capacity: 1)
            event.appendNew("stream", streamValue, keySpan: statement.keywordSpan)
            builder.appendEvent(Value(.map(event), span: statement.span), keywordSpan: statement.keywordSpan)

        case .event(let block):
            guard case .body(let builder) = context else { return }
            let value = try runBody(block, isFunction: false, span: statement.span, in: environment)
            builder.appendEvent(value, keywordSpan: statement.keywordSpan)

        default:
            break
        }
    }

    private func declareFunction(_ nameExpression: Expression, _ block: Block, statement: Statement, in environment: Environment) throws {
        let nameValue = try evaluate(nameExpression, in: environment)
        guard case .string(let name) = nameValue.kind else {
            throw EvaluationError(
                "a function name must be a string, but it is \(nameValue.typeName)", at: nameExpression.span,
                hint: "write the name in quotes, or convert it with str(...)")
        }
        // The name's own span is where the text was written, such as an item of the list a loop
        // runs over, so a duplicate points at the data that repeats rather than at the loop body.
        let nameSpan = nameValue.span ?? nameExpression.span
        if let first = document.functionNameSpans[name] {
            throw EvaluationError(
                "duplicate function '\(name)'", at: nameSpan, hint: "give each function its own name",
                notes: [.init("'\(name)' is first declared here", at: first)])
        }

        let builder = BodyBuilder(isFunction: true)
        try runCatchingReturn {
            try executeStatements(block.statements, in: scope(for: block, in: environment), context: .body(builder))
        }
        let value = try builder.finish(span: statement.span)

        try checkFunctionsField(canAdd: name, at: nameSpan)
        addFunction(name, value, nameSpan: nameSpan, keywordSpan: statement.keywordSpan)
        record(DeclarationSummary(kind: .function, name: name, events: builder.eventValues.map(Interpreter.summarize)))
    }

    /// Adds function `name` to the document's `functions` field, making the field at
    /// `keywordSpan` when it is missing. The caller checked the name with `checkFunctionsField`.
    func addFunction(_ name: String, _ value: Value, nameSpan: SourceSpan, keywordSpan: SourceSpan) {
        if firstAddedFunctionKeyword == nil {
            firstAddedFunctionKeyword = keywordSpan
        }
        if !document.body.map.contains("functions") {
            var functions = OrderedMap()
            functions.set(name, value, keySpan: nameSpan)
            document.body.replaceField("functions", Value(.map(functions), span: keywordSpan), keySpan: keywordSpan)
        } else {
            // The map is moved out of the document while the function is added, so that it has one
            // owner and `set` appends in place instead of copying every earlier function. Its depth
            // and size grow by the new entry's alone, because measuring the whole map again made
            // the declarations quadratic in their number. The field's value takes the span of its key,
            // as when the field is first made.
            let keySpan = document.body.map.entry("functions")?.keySpan
            document.body.modifyField("functions") { field in
                guard case .map(var functions) = field.kind else { return }
                let depth = max(field.depth, 1 + value.depth)
                let size = Value.sum(Value.sum(field.size, value.size), name.utf8.count)
                field.kind = .null
                // The caller checked that the map has no function `name`.
                functions.appendNew(name, value, keySpan: nameSpan)
                field = Value(.map(functions), depth: depth, size: size, span: keySpan)
            }
        }
        document.functionNameSpans[name] = nameSpan
    }

    /// Throws when the document's `functions` field is not a map or already has a function `name`.
    func checkFunctionsField(canAdd name: String, at span: SourceSpan) throws {
        guard let existing = document.body.map.entry("functions") else { return }
        guard case .map(let map) = existing.value.kind else {
            throw EvaluationError(
                "the field 'functions' must be a map to add function '\(name)' to it, but it is \(existing.value.typeName)",
                at: span, notes: [.init("'functions' is set here", at: existing.keySpan)])
        }
        if let written = map.entry(name) {
            throw EvaluationError(
                "duplicate function '\(name)'", at: span, hint: "give each function its own name",
                notes: [.init("'\(name)' is first set here", at: written.keySpan)])
        }
    }

    /// Runs a declaration body and returns the map it built.
    private func runBody(_ block: Block, isFunction: Bool, span: SourceSpan, in environment: Environment) throws -> Value {
        let builder = BodyBuilder(isFunction: isFunction)
        try runCatchingReturn {
            try executeStatements(block.statements, in: scope(for: block, in: environment), context: .body(builder))
        }
        return try builder.finish(span: span)
    }

    private static func summarize(_ event: Value) -> DeclarationSummary.Event {
        guard case .map(let map) = event.kind, let first = map.entries.first else {
            return DeclarationSummary.Event(kind: "event")
        }
        guard first.key == "stream" else {
            return DeclarationSummary.Event(kind: first.key)
        }
        var arn = first.value
        if case .map(let streamMap) = first.value.kind, let written = streamMap["arn"] {
            arn = written
        }
        var summary = DeclarationSummary.Event(kind: "stream", arn: arn)
        if case .string(let text) = arn.kind {
            let parts = text.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
            if parts.count == 6 {
                let service = String(parts[2])
                let resource = parts[5].split(separator: "/", omittingEmptySubsequences: false)
                if service == "kinesis" || service == "dynamodb" {
                    summary.source = service
                }
                if resource.count >= 2 {
                    summary.name = String(resource[1])
                }
            }
        }
        return summary
    }
}
