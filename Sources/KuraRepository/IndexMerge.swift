/// Merges sorted streams of index records into one sorted stream. Where several streams hold an id, the record
/// of the first stream (in the order given) comes first, so a writer that keeps the first of equal ids keeps it.
struct IndexMerge {
    private var sources: [() throws -> IndexRecord?]
    private var heads: [IndexRecord?]

    init(_ sources: [() throws -> IndexRecord?]) throws {
        self.sources = sources
        heads = try sources.map { try $0() }
    }

    /// The next record, or nil when every stream has ended. A linear scan: there are at most a dozen streams.
    mutating func next() throws -> IndexRecord? {
        var best: Int?
        for (i, head) in heads.enumerated() {
            guard let head else { continue }
            if let b = best, !(head.id < heads[b]!.id) { continue }
            best = i
        }
        guard let best else { return nil }
        let record = heads[best]
        heads[best] = try sources[best]()
        return record
    }
}
