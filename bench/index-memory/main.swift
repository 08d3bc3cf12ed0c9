import Foundation
import KuraCrypto
import KuraRepository

// Measures the resident memory the in-memory index (MasterIndex) costs per chunk: fills it with
// N synthetic entries (random 32-byte ids, 1 MiB chunks, 16 per 16 MiB pack, as a backup would)
// and compares resident set sizes before and after. Usage: index-memory [N] (default 1000000).
let count = CommandLine.arguments.count > 1 ? Int(CommandLine.arguments[1]) ?? 1_000_000 : 1_000_000

func residentBytes() -> Int {
    let statm = (try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8)) ?? "0 0"
    let pages = Int(statm.split(separator: " ")[1]) ?? 0
    return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
}

let perPack = 16
var packs: [(BlobID, [PackEntry])] = []
packs.reserveCapacity(count / perPack + 1)
var made = 0
while made < count {
    let n = min(perPack, count - made)
    let entries = (0..<n).map { i in
        PackEntry(id: BlobID(RandomBytes.generate(32)), type: .data, flags: 1, offset: UInt32(88 + i * 700_000),
                  length: UInt32(700_000), rawLength: UInt32(1 << 20))
    }
    packs.append((BlobID(RandomBytes.generate(32)), entries))
    made += n
}
let before = residentBytes()
let start = Date()
let index = MasterIndex()
for (pack, entries) in packs { index.add(pack: pack, entries: entries) }
let seconds = Date().timeIntervalSince(start)
let after = residentBytes()
var found = 0
let lookupStart = Date()
for (_, entries) in packs.prefix(10_000) { for e in entries where index.lookup(e.id) != nil { found += 1 } }
let lookupSeconds = Date().timeIntervalSince(lookupStart)
print("index entries: \(index.blobCount) in \(index.packCount) packs")
print("resident memory for the index: \((after - before) / 1_048_576) MiB = \(Double(after - before) / Double(count)) bytes per chunk")
print(String(format: "built in %.2f s; %d lookups in %.3f s (%.0f ns each)", seconds, found, lookupSeconds, lookupSeconds / Double(max(found, 1)) * 1e9))
