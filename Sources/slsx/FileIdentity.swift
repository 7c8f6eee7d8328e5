#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A regular file, named by its device and inode, so that two paths (or a path and an open
/// descriptor) can be compared for being the same file whatever links lead to it.
struct FileIdentity: Equatable {
    let device: UInt64
    let inode: UInt64

    /// The regular file at `path`, after symbolic links; `nil` when there is none.
    init?(path: String) {
        var status = stat()
        guard stat(path, &status) == 0 else { return nil }
        self.init(status)
    }

    /// The regular file open on `descriptor`; `nil` for a terminal, a pipe or a closed descriptor.
    init?(descriptor: Int32) {
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { return nil }
        self.init(status)
    }

    private init?(_ status: stat) {
        guard (status.st_mode & S_IFMT) == S_IFREG else { return nil }
        device = UInt64(status.st_dev)
        inode = UInt64(status.st_ino)
    }
}
