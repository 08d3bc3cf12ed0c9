/// What a command given `--json` prints on stdout when it fails: `{"error":{"code":12,"message":"…"}}`,
/// the code being the exit status.
struct JSONError: Encodable {
    struct Detail: Encodable {
        var code: Int32
        var message: String
    }

    var error: Detail

    init(code: Int32, message: String) {
        // One line, like the message on stderr: argument-parser's usage errors can span several.
        let line = message.split(whereSeparator: \.isNewline).first.map(String.init) ?? message
        error = Detail(code: code, message: line)
    }
}
