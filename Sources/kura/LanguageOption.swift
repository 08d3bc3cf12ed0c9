import ArgumentParser
import Foundation
import KuraCatalog

extension DocumentLanguage: ExpressibleByArgument {}

/// --lang, for the commands that print a document for people (certificate, exposure report, compliance report).
struct LanguageOption: ParsableArguments {
    @Option(name: .customLong("lang"), help: ArgumentHelp(
        "The document's language: en or ja (default: ja when LC_ALL, LC_MESSAGES or LANG is Japanese, such as "
            + "ja_JP.UTF-8, else en). Japanese gives times in JST (+09:00); JSON is never translated.", valueName: "language"))
    var lang: DocumentLanguage?

    var language: DocumentLanguage { lang ?? DocumentLanguage.from(environment: ProcessInfo.processInfo.environment) }
}
