import ArgumentParser
import Foundation
import KuraCatalog

/// Where the catalog is, and where custodians' passphrases come from; shared by every catalog command.
struct CatalogOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Catalog file (default: $KURA_CATALOG, else $XDG_DATA_HOME/kura/catalog.db); "
        + "created with its directory on first use.", valueName: "path"))
    var catalog: String?

    @Option(help: ArgumentHelp("Read the custodian's passphrase from the first line of this file (default: "
        + "$KURA_CUSTODIAN_PASSWORD_FILE, then $KURA_CUSTODIAN_PASSWORD, then a prompt on a terminal).", valueName: "file"))
    var custodianPasswordFile: String?

    var catalogPath: String {
        let environment = ProcessInfo.processInfo.environment
        if let catalog, !catalog.isEmpty { return catalog }
        if let path = environment["KURA_CATALOG"], !path.isEmpty { return path }
        return Self.defaultPath
    }

    /// `$XDG_DATA_HOME/kura/catalog.db`, else `~/.local/share/kura/catalog.db`.
    static var defaultPath: String {
        let environment = ProcessInfo.processInfo.environment
        let dataHome = environment["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".local/share").path
        return URL(fileURLWithPath: dataHome).appendingPathComponent("kura/catalog.db").path
    }

    /// Opens (creating if needed) the catalog.
    func open() throws -> Catalog {
        try Self.open(at: catalogPath)
    }

    /// Opens (creating if needed) the catalog at `path`, on the real clock (debug builds: the test hook's, if set).
    static func open(at path: String) throws -> Catalog {
        var clock: () -> Date = { Date() }
        #if KURA_TEST_HOOKS
        if let fixed = try ClockTestHook.fixedTime() { clock = { fixed } }
        #endif
        return try Catalog(path: path, clock: clock)
    }

    /// Reads the passphrase of custodian `name` when the catalog asks for it (after its rules passed).
    func passphrase(for name: String, confirm: Bool = false) -> () throws -> String {
        let source = SecretSource(file: custodianPasswordFile, command: nil, environmentName: "KURA_CUSTODIAN_PASSWORD",
                                  prompt: confirm ? "new passphrase for custodian \(name): " : "passphrase of custodian \(name): ",
                                  confirm: confirm)
        return { try source.read() }
    }
}

/// `--as NAME`: the custodian who acts and signs.
struct SignerOption: ParsableArguments {
    @Option(name: .customLong("as"), help: ArgumentHelp("The custodian who acts; the step is signed with their key, "
        + "opened with their passphrase.", valueName: "name"))
    var name: String
}

extension CatalogOptions {
    /// The common shape of a custody or disposal step: resolve the serial (or barcode), sign the change
    /// `make(serial)` as `signer` (rules first, then the passphrase), and print the event.
    func signMediumStep(_ serialOrBarcode: String, as signer: SignerOption, output: OutputOptions,
                        _ make: (String) -> any EventPayload) throws {
        let catalog = try open()
        let serial = try catalog.medium(serialOrBarcode).serial
        let event = try catalog.append(CatalogChange(make(serial)), as: signer.name, passphrase: passphrase(for: signer.name))
        try AuditEventOutput.print(event, medium: try catalog.medium(serial), output: output)
    }
}
