import Foundation

/// An array of values as the bytes `encoder.encode(values)` gives with `.prettyPrinted`, made one element
/// at a time and handed on in pieces of about 64 KiB: `snapshots --json` of 10,000 snapshots no longer
/// holds the whole document (and a parsed copy of it) in memory.
public enum PrettyJSONArray {
    public static func write<T: Encodable>(_ values: [T], encoder: JSONEncoder, to sink: (Data) -> Void) throws {
        precondition(encoder.outputFormatting.contains(.prettyPrinted), "the element indentation below is pretty printing's")
        guard !values.isEmpty else {
            sink(try encoder.encode(values))
            return
        }
        let indent = Array("  ".utf8)
        var pending = [UInt8]("[\n".utf8)
        pending.reserveCapacity(1 << 17)
        for (n, value) in values.enumerated() {
            pending += indent
            // A line feed inside a JSON string is written as \n, so every raw one is the layout's; the
            // empty line inside an empty array or object stays empty.
            let element = [UInt8](try encoder.encode(value))
            for (i, byte) in element.enumerated() {
                pending.append(byte)
                if byte == 0x0A && (i + 1 == element.count || element[i + 1] != 0x0A) { pending += indent }
            }
            pending += Array((n == values.count - 1 ? "\n]" : ",\n").utf8)
            if pending.count >= 1 << 16 {
                sink(Data(pending))
                pending.removeAll(keepingCapacity: true)
            }
        }
        sink(Data(pending))
    }
}
