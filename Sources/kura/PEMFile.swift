import Foundation

/// A PEM file named on the command line (a CA certificate, a custodian's certificate or key).
enum PEMFile {
    static func read(_ path: String, what: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CommandFailure("cannot read \(what) file \(path)", exitCode: .usage)
        }
        return String(decoding: data, as: UTF8.self)
    }
}
