import SlsxSource

/// Collects the fields and events of one declaration body (`provider { }`, `function "x" { }`,
/// `stream { }`, ...) or of the document's top level.
final class BodyBuilder {
    /// Whether `stream` and `event` statements may append to this body's `events`.
    let isFunction: Bool
    // `map` and `events` skip the runtime's dynamic exclusivity check, which took over 1,000
    // instructions per declared function in the benchmark workload. The check cannot fire,
    // because one evaluation thread uses a builder and no access to them calls out to code that
    // could use the same builder (`modifyField` requires the same of its closure).
    @exclusivity(unchecked) private(set) var map = OrderedMap()
    @exclusivity(unchecked) private var events: [Value] = []
    private var eventsSpan: SourceSpan?

    init(isFunction: Bool) {
        self.isFunction = isFunction
    }

    /// Sets a field; a key set twice is an error that points at both places. `value` is
    /// `consuming`, as in `appendEvent`, so that the caller's last use moves it into the body.
    func setField(_ key: String, _ value: consuming Value, keySpan: SourceSpan?) throws {
        if let earlier = map.entry(key) {
            throw EvaluationError(
                "duplicate field '\(key)'", at: keySpan ?? value.span, hint: "remove one of the two",
                notes: [.init("'\(key)' is first set here", at: earlier.keySpan)])
        }
        map.appendNew(key, value, keySpan: keySpan)
    }

    /// Replaces or adds a field without the duplicate check, for `functions` entries.
    func replaceField(_ key: String, _ value: Value, keySpan: SourceSpan?) {
        map.set(key, value, keySpan: keySpan)
    }

    /// Changes the value of an existing field in place; does nothing when `key` is not set.
    /// `body` must not read or change this builder.
    func modifyField(_ key: String, _ body: (inout Value) -> Void) {
        map.modifyValue(key, body)
    }

    /// Appends an event map; `events` takes the position of the first event among the fields.
    func appendEvent(_ event: consuming Value, keywordSpan: SourceSpan) {
        if !map.contains("events") {
            map.set("events", Value(.list([]), span: keywordSpan), keySpan: keywordSpan)
            eventsSpan = keywordSpan
        }
        if events.isEmpty {
            // The array starts with room for four events. Growing from one, it was reallocated
            // four times for a function with five stream events.
            events.reserveCapacity(4)
        }
        events.append(event)
    }

    /// The body as a map value; events are appended to any `events` list written as a field.
    func finish(span: SourceSpan) throws -> Value {
        if !events.isEmpty, let written = map.entry("events") {
            guard case .list(let items) = written.value.kind else {
                throw EvaluationError(
                    "'events' must be a list when the function also has stream or event statements, but it is \(written.value.typeName)",
                    at: written.keySpan ?? written.value.span)
            }
            // When the written list is empty, as the placeholder of the first event is, the
            // events become the list without a concatenated copy.
            let all = items.isEmpty ? events : items + events
            map.set("events", Value(.list(all), span: written.value.span ?? eventsSpan))
        }
        return Value(.map(map), span: span)
    }

    var eventValues: [Value] { events }
}

/// The document built by the top-level declarations, with what is needed to report duplicates.
struct DocumentBuilder {
    let body = BodyBuilder(isFunction: false)
    var providerSpan: SourceSpan?
    var functionNameSpans: [String: SourceSpan] = [:]

    /// A copy for undoing a failed REPL entry.
    func copy() -> DocumentBuilder {
        var copy = DocumentBuilder()
        for entry in body.map.entries {
            copy.body.replaceField(entry.key, entry.value, keySpan: entry.keySpan)
        }
        copy.providerSpan = providerSpan
        copy.functionNameSpans = functionNameSpans
        return copy
    }
}
