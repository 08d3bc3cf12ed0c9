import Foundation
import KuraFuzzTargets

// The libFuzzer binary. Built only by scripts/fuzz (Package.swift adds this target when KURA_FUZZ=1) with
// -sanitize=fuzzer,address; KURA_FUZZ_TARGET names the target, the arguments are libFuzzer's. SwiftPM gives
// an executable's main its own name on Linux, so libFuzzer's main is not used: this one runs its driver.

@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(_ argc: UnsafeMutablePointer<Int32>,
                     _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
                     _ testOneInput: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32) -> Int32

guard let target = FuzzTarget.selected else {
    FileHandle.standardError.write(Data("kura-fuzz: set KURA_FUZZ_TARGET to one of \(FuzzTarget.allCases.map(\.rawValue))\n".utf8))
    exit(64)
}
_ = target
var argc = CommandLine.argc
var argv = CommandLine.unsafeArgv
exit(runFuzzerDriver(&argc, &argv) { data, size in
    FuzzTarget.selected?.run(data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? [])
    return 0
})
