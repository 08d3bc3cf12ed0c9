import ArgumentParser

/// A command whose JSON switch is not the shared `OutputOptions` (`--format json`, its own `--json`).
protocol JSONOutputCommand {
    var printsJSON: Bool { get }
}

/// Whether a command line asked for JSON, so that a failure is reported as a JSON error object too.
enum JSONRequest {
    /// The parsed command: its own answer, or the `--json` of an `OutputOptions` group it holds.
    static func wanted(by command: any ParsableCommand) -> Bool {
        if let command = command as? any JSONOutputCommand { return command.printsJSON }
        return outputOptions(in: command).contains { $0.json }
    }

    /// A command line that did not parse: `--json`, `--format json` or `--format=json` before any `--`.
    static func wanted(arguments: [String]) -> Bool {
        let options = arguments.prefix { $0 != "--" }
        for (index, argument) in options.enumerated() {
            if argument == "--json" || argument == "--format=json" { return true }
            if argument == "--format" && options.dropFirst(index + 1).first == "json" { return true }
        }
        return false
    }

    // Reflection instead of a conformance on each of the fifty commands that share `OutputOptions`: a new
    // command that adds the group is covered without remembering to opt in.
    private static func outputOptions(in value: Any) -> [OutputOptions] {
        Mirror(reflecting: value).children.flatMap { child -> [OutputOptions] in
            if let group = child.value as? OptionGroup<OutputOptions> { return [group.wrappedValue] }
            return []
        }
    }
}
