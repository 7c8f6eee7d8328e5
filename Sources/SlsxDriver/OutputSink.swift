/// A destination that receives a run's output while the output is being written
/// (`PipelineOptions.outputSink`), such as a file that the command line writes to.
///
/// The pipeline calls `write` with the output's bytes in order, one call at a time, from any of
/// its threads. The sink records and reports its own write failures (a full disk, a closed pipe),
/// because the pipeline goes on writing. After a failure the sink may ignore the bytes that follow.
public protocol OutputSink: AnyObject, Sendable {
    /// Appends `bytes` to the output.
    func write(_ bytes: [UInt8])
}
