import Foundation
import KuraFuzzTargets

// libFuzzer's entry points. Built only by scripts/fuzz (Package.swift adds this target when KURA_FUZZ=1),
// with -sanitize=fuzzer,address: libFuzzer supplies main. KURA_FUZZ_TARGET names the target.

private let target: FuzzTarget = {
    let name = ProcessInfo.processInfo.environment["KURA_FUZZ_TARGET"] ?? ""
    guard let target = FuzzTarget(rawValue: name) else {
        FileHandle.standardError.write(Data("kura-fuzz: set KURA_FUZZ_TARGET to one of \(FuzzTarget.allCases.map(\.rawValue))\n".utf8))
        exit(64)
    }
    return target
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    target.run(data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? [])
    return 0
}
