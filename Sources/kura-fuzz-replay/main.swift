import Foundation
import KuraFuzzTargets

// kura-fuzz-replay TARGET PATH...   runs every file under each PATH through one fuzz target (a corpus,
//                                   the crashers scripts/fuzz found, or Tests/Fuzz/regressions/TARGET)
// kura-fuzz-replay --seeds REPOSITORY OUTDIR [MEDIUM...]   writes seeds for every target from real files
//                                   (password in KURA_PASSWORD)

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("kura-fuzz-replay: \(message)\n".utf8))
    exit(64)
}

let arguments = Array(CommandLine.arguments.dropFirst())
let targets = FuzzTarget.allCases.map(\.rawValue).joined(separator: ", ")
guard let first = arguments.first else { fail("usage: kura-fuzz-replay TARGET PATH... | --seeds REPOSITORY OUTDIR [MEDIUM...] (targets: \(targets))") }

if first == "--seeds" {
    guard arguments.count >= 3 else { fail("usage: kura-fuzz-replay --seeds REPOSITORY OUTDIR [MEDIUM...]") }
    guard let password = ProcessInfo.processInfo.environment["KURA_PASSWORD"] else { fail("KURA_PASSWORD is not set") }
    do {
        let counts = try FuzzSeeds.make(repository: arguments[1], password: password, media: Array(arguments.dropFirst(3)), into: arguments[2])
        for target in FuzzTarget.allCases { print("\(target.rawValue): \(counts[target] ?? 0) seeds") }
    } catch {
        fail("cannot make seeds: \(error)")
    }
    exit(0)
}

guard let target = FuzzTarget(rawValue: first) else { fail("unknown target \(first) (targets: \(targets))") }
var files: [String] = []
for path in arguments.dropFirst() {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { fail("\(path) does not exist") }
    if isDirectory.boolValue {
        let names = FileManager.default.enumerator(atPath: path)?.compactMap { $0 as? String } ?? []
        for name in names.sorted() {
            var nested: ObjCBool = false
            if FileManager.default.fileExists(atPath: path + "/" + name, isDirectory: &nested), !nested.boolValue { files.append(path + "/" + name) }
        }
    } else {
        files.append(path)
    }
}
var accepted = 0
for file in files {
    guard let data = FileManager.default.contents(atPath: file) else { fail("cannot read \(file)") }
    let start = Date()
    if target.run(Array(data)) { accepted += 1 }
    let seconds = Date().timeIntervalSince(start)
    if seconds > 1 { print("\(file): \(String(format: "%.1f", seconds)) s") }
}
print("\(target.rawValue): replayed \(files.count) input\(files.count == 1 ? "" : "s"), \(accepted) accepted")
