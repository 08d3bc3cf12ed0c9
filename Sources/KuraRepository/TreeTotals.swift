/// What a snapshot holds, counted from its trees: files, directories, and the bytes a restore writes (the
/// sum of its files' sizes). Each subtree is counted once per run and remembered, so listing many
/// snapshots that share most of their directories reads each distinct tree once.
public final class TreeTotals {
    public struct Totals: Sendable, Equatable {
        public var files = 0
        public var directories = 0
        public var symlinks = 0
        public var bytes: UInt64 = 0

        public init() {}

        static func + (a: Totals, b: Totals) -> Totals {
            var sum = a
            sum.files += b.files
            sum.directories += b.directories
            sum.symlinks += b.symlinks
            sum.bytes += b.bytes
            return sum
        }
    }

    private let loader: BlobLoader
    private var cache: [BlobID: Totals] = [:]

    public init(loader: BlobLoader) {
        self.loader = loader
    }

    /// The totals of everything below `tree` (the tree itself not counted as a directory).
    public func totals(of tree: BlobID) throws -> Totals {
        if let known = cache[tree] { return known }
        var totals = Totals()
        for node in try loader.loadTree(tree).nodes {
            switch node.type {
            case .file:
                totals.files += 1
                totals.bytes += node.size
            case .symlink:
                totals.symlinks += 1
            case .directory:
                totals.directories += 1
                if let subtree = node.subtree { totals = totals + (try self.totals(of: subtree)) }
            }
        }
        cache[tree] = totals
        return totals
    }
}
