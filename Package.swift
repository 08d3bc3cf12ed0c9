// swift-tools-version:6.0
import PackageDescription

/// Hot loops (chunker, hashing, packing) are compiled optimized even in debug builds,
/// so the test suite can push hundreds of megabytes through them in reasonable time.
let optimizedInDebug: [SwiftSetting] = [.unsafeFlags(["-O"], .when(configuration: .debug))]

/// Test hooks (`KURA_NOW`, `KURA_TEST_KILL_AT`) exist only in debug builds: a release binary has neither the
/// code nor the variable names, so no environment can turn its clock back or stop it midway.
let testHooksInDebug: [SwiftSetting] = [.define("KURA_TEST_HOOKS", .when(configuration: .debug))]

let package = Package(
    name: "kura",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "kura", targets: ["kura"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-certificates", from: "1.21.1"),
        // Already built for swift-certificates; the S3 backend hashes every request body with its SHA-256,
        // which uses the CPU's SHA extensions (libsodium's portable SHA-256 cost a backup to S3 0.8 s of CPU per GB).
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
    ],
    targets: [
        // C libraries from Debian's -dev packages, found through pkg-config.
        .systemLibrary(name: "CSodium", pkgConfig: "libsodium", providers: [.apt(["libsodium-dev"])]),
        .systemLibrary(name: "CZstd", pkgConfig: "libzstd", providers: [.apt(["libzstd-dev"])]),
        // libarchive (media) and libcurl (the S3 backend's HTTP client) are loaded with dlopen by the commands
        // that use them, so they are not linked: only their headers, on the default include path, are used.
        .systemLibrary(name: "CArchive", providers: [.apt(["libarchive-dev"])]),
        .systemLibrary(name: "CCurl", providers: [.apt(["libcurl4-openssl-dev"])]),

        // kura's own keyed BLAKE3 in C (portable, SSE4.1 and AVX2 levels, chosen at run time): -O2 even in debug
        // builds, like the Swift hot loops; the SIMD functions carry their own target attributes, so no -mavx2.
        .target(name: "CBlake3", cSettings: [.unsafeFlags(["-O2"], .when(configuration: .debug))]),

        // Each wraps one C library; nothing above them calls C directly.
        .target(name: "KuraCrypto", dependencies: ["CSodium", "CBlake3"], swiftSettings: optimizedInDebug),
        .target(name: "KuraCompression", dependencies: ["CZstd"], swiftSettings: optimizedInDebug),

        // Every system call kura makes (files, devices, processes, signals, host and user names, time).
        .target(name: "KuraSystem"),

        // Where a repository's objects live (local directory, S3): the seam below the repository.
        .target(name: "KuraStorage", dependencies: ["KuraSystem", "KuraCrypto", "CCurl", .product(name: "Crypto", package: "swift-crypto")]),

        // Text for people: display widths (East Asian Wide characters), aligned tables, local times and ages.
        .target(name: "KuraText", dependencies: ["KuraSystem"]),

        .target(
            name: "KuraRepository",
            dependencies: ["KuraCrypto", "KuraCompression", "KuraSystem", "KuraStorage"],
            swiftSettings: optimizedInDebug),

        .target(
            name: "KuraMedia",
            dependencies: ["CArchive", "KuraRepository", "KuraCrypto", "KuraSystem"],
            swiftSettings: optimizedInDebug),

        .target(
            name: "KuraCatalog",
            dependencies: [
                "KuraCrypto",
                "KuraSystem",
                .product(name: "GRDB", package: "GRDB.swift"),
                // X.509 chain verification for the catalog's trust anchor (custodian certificates).
                .product(name: "X509", package: "swift-certificates"),
            ],
            plugins: ["EmbedCatalogMigrations"]),

        .executableTarget(
            name: "kura",
            dependencies: [
                "KuraRepository",
                "KuraMedia",
                "KuraCatalog",
                "KuraText",
                "KuraSystem",
                "KuraStorage",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: testHooksInDebug),

        // Build-time tool: turns Catalog/NNNN_name.sql into Swift string literals in KuraCatalog.
        .executableTarget(name: "embed-migrations", path: "Sources/embed-migrations"),
        .plugin(
            name: "EmbedCatalogMigrations",
            capability: .buildTool(),
            dependencies: ["embed-migrations"],
            path: "Sources/EmbedCatalogMigrations"),

        // Fuzz targets for every parser of bytes kura did not write itself (scripts/fuzz builds them for libFuzzer),
        // and kura-fuzz-replay, which runs a corpus or the crashers found through them (Tests/Fuzz).
        .target(
            name: "KuraFuzzTargets",
            dependencies: ["KuraRepository", "KuraMedia", "KuraCrypto", "KuraCompression", "KuraStorage"],
            swiftSettings: [.swiftLanguageMode(.v6)]),
        .executableTarget(name: "kura-fuzz-replay", dependencies: ["KuraFuzzTargets"], swiftSettings: [.swiftLanguageMode(.v6)]),

        // bench/index-memory: what the in-memory index costs per chunk, measured on a million chunks.
        .executableTarget(name: "index-memory", dependencies: ["KuraRepository", "KuraCrypto"], path: "bench/index-memory"),

        // Resources/ holds BLAKE3 test vectors, read through #filePath.
        .testTarget(name: "KuraCryptoTests", dependencies: ["KuraCrypto"], exclude: ["Resources"]),
        .testTarget(name: "KuraCompressionTests", dependencies: ["KuraCompression"]),
        // A real S3 store (SeaweedFS) for the storage and end-to-end tests.
        .target(name: "KuraTestSupport", path: "Tests/KuraTestSupport"),
        .testTarget(name: "KuraStorageTests", dependencies: ["KuraStorage", "KuraSystem", "KuraCrypto", "KuraTestSupport"]),
        .testTarget(name: "KuraRepositoryTests", dependencies: ["KuraRepository", "KuraSystem", "KuraStorage"]),
        .testTarget(name: "KuraCatalogTests", dependencies: ["KuraCatalog"]),
        .testTarget(name: "KuraMediaTests", dependencies: ["KuraMedia", "KuraRepository"]),
        .testTarget(name: "KuraTextTests", dependencies: ["KuraText"]),
        .testTarget(name: "KuraSystemTests", dependencies: ["KuraSystem"]),
        .testTarget(name: "KuraEndToEndTests", dependencies: ["kura", "kura-fuzz-replay", "KuraRepository", "KuraMedia", "KuraSystem", "KuraStorage", "KuraTestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)

// The libFuzzer binary exists only in the builds scripts/fuzz makes (KURA_FUZZ=1, scratch path .build-fuzz,
// -sanitize=address with libFuzzer's coverage): it links libFuzzer without its main (KURA_FUZZ_RUNTIME, the
// toolchain's libclang_rt.fuzzer_no_main), since SwiftPM makes every executable's main its own.
if Context.environment["KURA_FUZZ"] == "1", let runtime = Context.environment["KURA_FUZZ_RUNTIME"] {
    package.targets.append(.executableTarget(
        name: "kura-fuzz",
        dependencies: ["KuraFuzzTargets"],
        swiftSettings: [.swiftLanguageMode(.v6)],
        linkerSettings: [.unsafeFlags(["-Xlinker", "--whole-archive", runtime, "-Xlinker", "--no-whole-archive", "-lstdc++"])]))
}
