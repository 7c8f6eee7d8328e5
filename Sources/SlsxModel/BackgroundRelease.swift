#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Frees a large value on a thread of its own, so that the caller goes on without waiting.
///
/// Freeing a template of 70,000 resources node by node took 150 ms or more in timed runs, close to
/// the time it takes to write it. The caller usually has little left to do (write the output,
/// exit). A process that exits first stops the freeing thread, and the system reclaims the memory.
public enum BackgroundRelease {
    /// The freeing thread's stack. Releasing a tree recurses once per level, and every tree slsx
    /// builds is bounded in depth far below what this holds. The size is address space reserved,
    /// not memory used.
    static let stackSize = 64 * 1024 * 1024

    /// Takes `value` and releases it on a new detached thread, which no caller joins. The value is
    /// freed there only when this was its last reference. When no thread can be started, the value
    /// is released here, before returning.
    public static func release<Value: Sendable>(_ value: consuming Value) {
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        pthread_attr_setstacksize(&attributes, stackSize)
        pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED))

        // In one expression, so that the thread's reference is the box's only one from here on.
        let context = Unmanaged.passRetained(Box(value) as AnyObject).toOpaque()
        var thread = pthread_t()
        let status = pthread_create(&thread, &attributes, { context in
            // Taking the retained box and dropping it frees the box and, with it, the value.
            if let context { _ = Unmanaged<AnyObject>.fromOpaque(context).takeRetainedValue() }
            return nil
        }, context)
        if status != 0 {
            Unmanaged<AnyObject>.fromOpaque(context).release()
        }
    }
}

/// A value moved to the heap, so that one reference hands it to another thread.
private final class Box<Value: Sendable>: Sendable {
    let value: Value

    init(_ value: consuming Value) {
        self.value = value
    }
}
