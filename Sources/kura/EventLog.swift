import ArgumentParser
import Foundation
import Logging

/// `--log-format`: one line per event on stderr (start and end of a backup, prune, media write or drill, and
/// its error), for journald or syslog. Off unless asked for, by the option or `KURA_LOG_FORMAT`.
struct LogOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Log one line per event on stderr, as text or json (default: $KURA_LOG_FORMAT; "
        + "unset: no log lines).", valueName: "format"))
    var logFormat: LineLogHandler.Format?

    func validate() throws {
        if logFormat == nil, let value = ProcessInfo.processInfo.environment["KURA_LOG_FORMAT"], !value.isEmpty,
           LineLogHandler.Format(rawValue: value) == nil {
            throw ValidationError("KURA_LOG_FORMAT must be text or json, not '\(value)'")
        }
    }

    /// The log of the command `name` (e.g. `backup`): its events are `name.start`, `name.end`, `name.error`.
    func log(_ name: String) -> EventLog {
        let environment = ProcessInfo.processInfo.environment["KURA_LOG_FORMAT"].flatMap(LineLogHandler.Format.init(rawValue:))
        guard let format = logFormat ?? environment else { return EventLog(name: name, logger: nil) }
        var logger = Logger(label: "kura") { _ in LineLogHandler(format: format) }
        logger[metadataKey: "pid"] = .stringConvertible(Int(ProcessInfo.processInfo.processIdentifier))
        return EventLog(name: name, logger: logger)
    }
}

/// The events of one command run.
struct EventLog {
    let name: String
    let logger: Logger?

    func start(_ fields: Logger.Metadata = [:]) { logger?.info("\(name).start", metadata: fields) }

    func end(_ fields: Logger.Metadata = [:]) { logger?.info("\(name).end", metadata: fields) }

    func failure(_ error: any Error) {
        var fields: Logger.Metadata
        if let failure = error as? any UserFacingError {
            fields = ["error": .string(failure.userMessage), "exit": .stringConvertible(Int(failure.exitCode.rawValue))]
        } else if let exit = error as? ExitCode {
            // The command said why on stderr already; the log records the outcome.
            fields = ["error": .string("exited \(exit.rawValue)"), "exit": .stringConvertible(Int(exit.rawValue))]
        } else {
            fields = ["error": .string("\(error)"), "exit": .stringConvertible(Int(ExitStatus.failure.rawValue))]
        }
        logger?.error("\(name).error", metadata: fields)
    }

    /// Logs `name.start` with `fields`, runs `body`, and logs `name.end` with what `end` says of its result, or
    /// `name.error` if it throws.
    func around<T>(_ fields: Logger.Metadata = [:], end: (T) -> Logger.Metadata, _ body: () throws -> T) rethrows -> T {
        start(fields)
        do {
            let result = try body()
            self.end(end(result))
            return result
        } catch {
            failure(error)
            throw error
        }
    }
}
