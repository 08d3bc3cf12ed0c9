/// The one error type KuraCompression throws: the libzstd function, its error code and name.
public struct CompressionError: Error, CustomStringConvertible, Sendable {
    public let function: String
    public let code: Int
    public let message: String

    public var description: String { "\(message) (\(function): \(code))" }
}
