import ArgumentParser

extension Kura {
    struct Custodian: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "People who sign custody and disposal steps with their own key.",
            discussion: """
            The first two custodians are active when added. Every later one stays pending, signing nothing, \
            until two different active custodians (neither of them the newcomer) approve. A revoked custodian \
            signs nothing more; what they signed before stays valid in the audit log.
            """,
            subcommands: [Add.self, Approve.self, Revoke.self, List.self])
    }
}
