import ArgumentParser
import Foundation
import KuraCatalog
import KuraRepository
import KuraSystem

/// Where the catalog is, and where custodians' passphrases come from; shared by every catalog command.
struct CatalogOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Catalog file (default: $KURA_CATALOG, else $XDG_DATA_HOME/kura/catalog.db); "
        + "created with its directory by the first command that writes to it, never by one that only reads "
        + "(exit 21 if it is missing). A URL is refused.", valueName: "path"))
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

    /// Opens (creating if needed) the catalog, for a command that writes to it.
    func open() throws -> Catalog {
        try Self.open(at: catalogPath)
    }

    /// Opens the catalog for a command that only reads it: a missing catalog is an error (exit 21), not a new file.
    func openExisting() throws -> Catalog {
        try Self.open(at: catalogPath, create: false)
    }

    /// Opens the catalog at `path` (creating it if needed and `create`), on the real clock (debug builds: the
    /// test hook's, if set).
    static func open(at path: String, create: Bool = true) throws -> Catalog {
        var clock: () -> Date = { Date() }
        #if KURA_TEST_HOOKS
        if let fixed = try ClockTestHook.fixedTime() { clock = { fixed } }
        #endif
        return try Catalog(path: path, create: create, clock: clock)
    }

    /// Reads the passphrase of custodian `name` when the catalog asks for it (after its rules passed).
    /// A password file must be readable by its owner only.
    func passphrase(for name: String, confirm: Bool = false) -> () throws -> String {
        let source = SecretSource(file: custodianPasswordFile, command: nil, environmentName: "KURA_CUSTODIAN_PASSWORD",
                                  prompt: confirm ? "new passphrase for custodian \(name): " : "passphrase of custodian \(name): ",
                                  confirm: confirm)
        let file = passwordFilePath
        return {
            if let file { try Self.requireOwnerOnly(file) }
            return try source.read()
        }
    }

    /// `--custodian-password-file`, else `$KURA_CUSTODIAN_PASSWORD_FILE`; nil when neither is given.
    var passwordFilePath: String? {
        if let custodianPasswordFile { return custodianPasswordFile }
        let path = ProcessInfo.processInfo.environment["KURA_CUSTODIAN_PASSWORD_FILE"]
        return path?.isEmpty == false ? path : nil
    }

    /// A custodian password file (above all a machine signer's host secret) must be mode 0600 or stricter.
    static func requireOwnerOnly(_ path: String) throws {
        guard let mode = FilePermissions.of(path) else { throw CommandFailure("cannot read custodian password file \(path)") }
        guard mode & 0o077 == 0 else {
            throw CommandFailure("custodian password file \(path) is mode \(String(mode, radix: 8)), readable by others: "
                + "chmod 600 it", exitCode: .usage)
        }
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
