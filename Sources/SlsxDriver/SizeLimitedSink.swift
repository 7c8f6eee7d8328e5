import Synchronization

/// Passes the output to `sink` until its total passes `limit` bytes, and drops the rest.
///
/// A run whose output passes `PipelineOptions.maximumOutputBytes` fails once the whole text is
/// written, so nothing past the limit needs to reach the sink, and a runaway document cannot fill
/// the disk before the check.
final class SizeLimitedSink: OutputSink {
    private let sink: any OutputSink
    private let limit: Int
    private let total = Atomic<Int>(0)

    init(_ sink: any OutputSink, limit: Int) {
        self.sink = sink
        self.limit = limit
    }

    func write(_ bytes: [UInt8]) {
        let (_, newTotal) = total.add(bytes.count, ordering: .relaxed)
        guard newTotal <= limit else { return }
        sink.write(bytes)
    }
}
