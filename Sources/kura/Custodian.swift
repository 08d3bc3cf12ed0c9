import ArgumentParser

extension Kura {
    struct Custodian: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "custodian",
            abstract: "People who sign custody and disposal steps with their own key.",
            discussion: """
            The first two custodians are active when added. Every later one stays pending, signing nothing, \
            until two different active custodians (neither of them the newcomer) approve. A revoked custodian \
            signs nothing more; what they signed before stays valid in the audit log.

            On a catalog created with a trust anchor (`kura catalog init --trust-anchor ca.pem`), every \
            enrolment presents the person's certificate from that CA and proves possession of its key, and one \
            certificate backs one custodian. Without one, identities are self-asserted: nothing stops one person \
            from enrolling twice, and certificates, `kura report` and `kura audit verify` say so.
            """,
            subcommands: [Add.self, Approve.self, Revoke.self, List.self])
    }
}
