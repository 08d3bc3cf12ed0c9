/// What `--catalog` may name: a file path. A catalog in a database server is planned, not built.
enum CatalogLocation {
    /// Refuses a location that looks like a URL (`postgresql://host/db`, any `scheme://`), so it is not
    /// taken for a relative path and a directory named `postgresql:` created for it.
    static func requireFilePath(_ location: String) throws {
        guard let separator = location.range(of: "://") else { return }
        let scheme = location[..<separator.lowerBound]
        guard let first = scheme.first, first.isLetter, first.isASCII,
              scheme.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "+-.".contains($0)) }) else { return }
        throw CatalogError(.invalid, "catalog \(location) is a URL; kura has no catalog backend for '\(scheme)' yet: "
            + "give the path of a catalog file")
    }
}
