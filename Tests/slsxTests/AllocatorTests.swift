import CTCMallocSettings
import Testing

#if os(Linux)
import Glibc

/// The allocator that the `slsx` target links. This test process links that target as the
/// executable does, so its `malloc` is the one the executable gets.
@Suite struct AllocatorTests {
    @Test func mallocIsTCMalloc() throws {
        // `nil` is glibc's RTLD_DEFAULT: the first definition in the process's search order.
        // tcmalloc defines `malloc` as an alias of its `tc_malloc`, so the two addresses are the
        // same only when tcmalloc's definition is the one the process uses.
        let malloc = try #require(dlsym(nil, "malloc"))
        let tcMalloc = try #require(dlsym(nil, "tc_malloc"))

        #expect(malloc == tcMalloc)
    }

    @Test func transferSettingReadThroughSlsx() {
        // tcmalloc resolves its environment lookup to the definition that the `slsx` target links,
        // so the batch size it started this process with is the one slsx gives it.
        #expect(slsx_tcmalloc_settings_applied() == 1)
        #expect(String(cString: slsx_tcmalloc_transfer_objects) == "1024")
    }

    @Test(arguments: ["", "0", "-1", "abc", "2000000"])
    func unusableTransferSettingIgnored(value: String) throws {
        // tcmalloc divides by the batch it reads, so these stopped the process before main.
        let result = try SlsxProcess.run(["--version"], environment: ["TCMALLOC_TRANSFER_NUM_OBJ": value])

        #expect(result.status == 0)
        #expect(result.standardOutput.hasPrefix("slsx "))
    }
}
#endif
