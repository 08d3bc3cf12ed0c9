/// The one error type KuraCrypto throws: which libsodium function failed, its return code and why.
public struct CryptoError: Error, CustomStringConvertible, Sendable, Equatable {
    public enum Code: Sendable, Equatable {
        /// Authentication failed: wrong key, or the ciphertext was altered.
        case authenticationFailed
        /// The input is shorter or longer than the primitive allows.
        case invalidLength
        /// libsodium could not allocate what the operation needs (Argon2id memory, for example).
        case outOfMemory
        case initializationFailed
    }

    public let code: Code
    /// The libsodium function that reported the failure.
    public let function: String
    /// The function's return value.
    public let returnValue: Int32
    public let message: String

    public init(_ code: Code, function: String, returnValue: Int32 = -1, message: String) {
        self.code = code
        self.function = function
        self.returnValue = returnValue
        self.message = message
    }

    public var description: String { "\(message) (\(function) returned \(returnValue))" }
}
