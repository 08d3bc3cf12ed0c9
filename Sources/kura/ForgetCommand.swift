import ArgumentParser
import Foundation
import KuraCatalog
import KuraRepository
import KuraText

extension Kura {
    struct Forget: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "forget",
            abstract: "Forget snapshots by a retention policy (restic's keep rules); --prune then deletes their data.",
            discussion: """
            Snapshots are grouped by host and paths; each group keeps what any rule keeps: the last N, the newest \
            of each of the last N hours, days, ISO weeks, months or years that have a snapshot (while a rule has \
            periods left, the group's oldest snapshot too), everything within a duration of the group's newest \
            snapshot, everything with a tag. Periods use the local time zone (TZ). A snapshot on hold \
            (kura hold add) is never forgotten: holds are read from the repository (holds/, mirrored there when \
            placed) and from the catalog if it exists, and the output says which of the two each came from; with \
            the catalog, mirrors of holds it released are removed and its other holds mirrored. Without any \
            --keep-* option nothing is forgotten, and a policy that would empty a group is refused. \
            Takes an exclusive lock.

            Durations: \(CalendarDuration.syntax).
            """)

        @OptionGroup var repository: RepositoryOptions
        @OptionGroup var locking: LockOptions
        @OptionGroup var output: OutputOptions
        @OptionGroup var catalog: CatalogLocationOptions

        @Option(help: ArgumentHelp("Keep the N newest snapshots ('unlimited': all).", valueName: "n"))
        var keepLast: KeepCount?
        @Option(help: ArgumentHelp("Keep the newest snapshot of each of the last N hours that have one.", valueName: "n"))
        var keepHourly: KeepCount?
        @Option(help: ArgumentHelp("Keep the newest snapshot of each of the last N days that have one.", valueName: "n"))
        var keepDaily: KeepCount?
        @Option(help: ArgumentHelp("Keep the newest snapshot of each of the last N ISO weeks that have one.", valueName: "n"))
        var keepWeekly: KeepCount?
        @Option(help: ArgumentHelp("Keep the newest snapshot of each of the last N months that have one.", valueName: "n"))
        var keepMonthly: KeepCount?
        @Option(help: ArgumentHelp("Keep the newest snapshot of each of the last N years that have one.", valueName: "n"))
        var keepYearly: KeepCount?

        @Option(help: ArgumentHelp("Keep every snapshot newer than the group's newest minus this (e.g. 1y2m3d4h).", valueName: "duration"))
        var keepWithin: CalendarDuration?

        @Option(name: .customLong("keep-tag"), help: ArgumentHelp(
            "Keep every snapshot with this tag (a,b: with both; repeatable: any of the lists).", valueName: "tags"))
        var keepTags: [String] = []

        @OptionGroup var filters: SnapshotFilterOptions

        @Argument(help: ArgumentHelp("Forget these snapshots (id prefixes) instead of applying a policy; a held one is refused.",
                                     valueName: "snapshot"))
        var named: [String] = []

        @Flag(help: "Only say what would be forgotten.")
        var dryRun = false

        @Flag(help: "Run prune afterwards, under the same lock.")
        var prune = false

        @Option(help: ArgumentHelp("With --prune: see kura prune --max-unused.", valueName: "percent"))
        var maxUnused: UnusedLimit = .default

        var policy: ForgetPolicy {
            ForgetPolicy(last: keepLast?.value ?? 0, hourly: keepHourly?.value ?? 0, daily: keepDaily?.value ?? 0,
                         weekly: keepWeekly?.value ?? 0, monthly: keepMonthly?.value ?? 0, yearly: keepYearly?.value ?? 0,
                         within: keepWithin,
                         tags: keepTags.map { $0.split(separator: ",").map(String.init) }.filter { !$0.isEmpty })
        }

        func validate() throws {
            if !named.isEmpty {
                if !policy.isEmpty { throw ValidationError("name snapshots or give --keep-* options, not both") }
                if !filters.isEmpty { throw ValidationError("--host, --tag and --path choose snapshots for a policy, not named ones") }
                if named.contains("latest") { throw ValidationError("name the snapshots to forget by id, not 'latest'") }
                return
            }
            if policy.isEmpty {
                throw ValidationError("no policy was given, so no snapshot is forgotten: give at least one --keep-* option or name snapshots")
            }
        }

        func run() throws {
            let repo = try repository.open()
            try repo.requireFullKey(to: "forget snapshots")
            let lock = try locking.lock(repo, exclusive: true, operation: "forget")
            defer { lock.release() }
            let holds = try SnapshotHolds.gather(repo, catalog: try catalog.openIfExists(), reconcile: !dryRun)
            if !named.isEmpty { return try forgetNamed(repo, holds: holds) }
            let snapshots = try filters.snapshots(in: repo)
            let plan = try ForgetPlan(snapshots: snapshots, policy: policy, held: holds.descriptions)
            for entry in plan.futureDated {
                Terminal.warn("snapshot \(entry.id.short) is dated \(Snapshot.formatTime(entry.snapshot.time)), in the future: "
                    + "kept, and not counted by any keep rule (a host's clock is wrong, or a write-only key forged it)")
            }
            if !dryRun { try repo.forget(plan.removals.map(\.id)) }
            let pruned = prune && !dryRun ? try Prune.prune(repo, maxUnused: maxUnused, dryRun: false, holds: holds) : nil
            if output.json {
                try Terminal.printJSON(ForgetJSON(plan: plan, dryRun: dryRun, prune: pruned, holds: holds))
            } else if !output.quiet {
                printText(plan)
                Prune.printReconciled(holds)
                if let pruned { Prune.print(pruned) }
                if prune && dryRun { print("(prune does not run in a dry run)") }
            }
        }

        /// `kura forget ID…`: every named snapshot, or none when one of them is held.
        private func forgetNamed(_ repo: Repository, holds: SnapshotHolds) throws {
            var entries: [SnapshotEntry] = []
            for name in named {
                let entry = try repo.resolveSnapshot(name)
                if !entries.contains(where: { $0.id == entry.id }) { entries.append(entry) }
            }
            let held = entries.filter { !holds.holds(of: $0.id).isEmpty }
            if !held.isEmpty {
                throw CommandFailure("refused by rule snapshot-held: "
                    + held.map { "snapshot \($0.id.short) is held (\(holds.holds(of: $0.id).map(\.text).joined(separator: "; ")))" }
                        .joined(separator: "; ") + "; nothing was forgotten (kura hold remove releases a hold)", exitCode: .catalogRefused)
            }
            if !dryRun { try repo.forget(entries.map(\.id)) }
            let pruned = prune && !dryRun ? try Prune.prune(repo, maxUnused: maxUnused, dryRun: false, holds: holds) : nil
            if output.json {
                try Terminal.printJSON(ForgetJSON(named: entries, dryRun: dryRun, prune: pruned, holds: holds))
            } else if !output.quiet {
                for entry in entries {
                    print("\(dryRun ? "would forget" : "forgot") snapshot \(entry.id.short)  \(LocalTime.format(entry.snapshot.time))  "
                        + "\(entry.snapshot.hostname)  \(entry.snapshot.paths.joined(separator: " "))")
                }
                Prune.printReconciled(holds)
                if let pruned { Prune.print(pruned) }
                if prune && dryRun { print("(prune does not run in a dry run)") }
            }
        }

        private func printText(_ plan: ForgetPlan) {
            for group in plan.groups {
                print("host \(group.host), paths \(group.paths.joined(separator: " ")):")
                print("  keep \(group.keep.count) snapshot\(group.keep.count == 1 ? "" : "s"):")
                for (entry, reasons) in group.keep {
                    print("    \(entry.id.short)  \(LocalTime.format(entry.snapshot.time))  \(reasons.joined(separator: ", "))")
                }
                print("  \(dryRun ? "would forget" : "forgot") \(group.remove.count) snapshot\(group.remove.count == 1 ? "" : "s")"
                    + (group.remove.isEmpty ? "" : ":"))
                for entry in group.remove {
                    print("    \(entry.id.short)  \(LocalTime.format(entry.snapshot.time))")
                }
            }
            if plan.groups.isEmpty { print("no snapshots") }
        }
    }
}
