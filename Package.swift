// swift-tools-version: 6.1
import PackageDescription

let strict: [SwiftSetting] = [
    .swiftLanguageMode(.v6)
]

let package = Package(
    name: "VirtualIOP",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "iopd", targets: ["iopd"]),
        .executable(name: "iopctl", targets: ["iopctl"]),
        .executable(name: "iop", targets: ["iop"]),
        .library(name: "WebSocketCore", targets: ["WebSocketCore"]),
        .library(name: "SocketTransport", targets: ["SocketTransport"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-collections.git", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-system.git", from: "1.8.1"),
        .package(url: "https://github.com/vapor/jwt-kit.git", from: "5.8.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(
            url: "https://github.com/apple/swift-configuration.git", from: "1.4.0",
            traits: [.defaults, "YAML"]),
        .package(url: "https://github.com/yaslab/CSV.swift.git", from: "2.5.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
    ],
    targets: [
        .target(
            name: "WebSocketCore",
            dependencies: [.product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strict),
        .systemLibrary(
            name: "COpenSSL", path: "Sources/COpenSSL", pkgConfig: "openssl", providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(
            name: "CNghttp2", path: "Sources/CNghttp2", pkgConfig: "libnghttp2", providers: [.apt(["libnghttp2-dev"])]),
        .systemLibrary(name: "CEpoll", path: "Sources/CEpoll"),
        // The PostgreSQL client library, for records in PostgreSQL (the Swift clients are built on SwiftNIO).
        .systemLibrary(name: "CLibpq", path: "Sources/CLibpq", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),
        .systemLibrary(name: "CMalloc", path: "Sources/CMalloc"),
        .target(
            name: "RoomCore", dependencies: [.product(name: "DequeModule", package: "swift-collections")],
            swiftSettings: strict),
        .target(name: "RoomProtocol", dependencies: ["RoomCore"], swiftSettings: strict),
        // The program around the rooms: schedules, enrolment, attendance against the plan (pure).
        .target(name: "ProgramCore", swiftSettings: strict),
        .target(
            name: "SocketTransport",
            dependencies: [
                "WebSocketCore", "COpenSSL", "CZlib", "CEpoll", "CNghttp2",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "HeapModule", package: "swift-collections"),
            ],
            swiftSettings: strict),
        .target(
            name: "RoomServer",
            dependencies: [
                "SocketTransport", "WebSocketCore", "RoomCore", "RoomProtocol", "ProgramCore", "CMalloc", "CLibpq",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "SystemPackage", package: "swift-system"),
                .product(name: "CSV", package: "CSV.swift"),
            ],
            swiftSettings: strict),
        .executableTarget(
            name: "iopd",
            dependencies: [
                "RoomServer", "SocketTransport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict),
        .target(
            name: "RoomClient", dependencies: ["WebSocketCore", "SocketTransport", "RoomProtocol", "RoomCore"],
            swiftSettings: strict),
        .target(
            name: "TerminalUI", dependencies: ["RoomClient", "RoomProtocol", "RoomCore", "SocketTransport"],
            swiftSettings: strict),
        .executableTarget(
            name: "iop",
            dependencies: [
                "RoomClient", "TerminalUI", .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict),
        // iopctl's library: the admin API client and the text of `rooms` and `top`.
        .target(name: "OperatorClient", dependencies: ["RoomProtocol"], swiftSettings: strict),
        .executableTarget(
            name: "iopctl",
            dependencies: [
                "RoomServer", "RoomProtocol", "OperatorClient", "ProgramCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict),
        // Test support in three layers, so a layer's tests build without the layers above it.
        .target(name: "TestSupportCore", dependencies: ["WebSocketCore"], swiftSettings: strict),
        .target(
            name: "TransportTestSupport",
            dependencies: [
                "SocketTransport", "WebSocketCore", "CNghttp2", .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict),
        .target(
            name: "ServerTestSupport",
            dependencies: [
                "TransportTestSupport", "SocketTransport", "WebSocketCore", "RoomServer", "RoomCore", "CLibpq",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict),
        .target(name: "BenchSupport", swiftSettings: strict),
        .executableTarget(
            name: "echo-bench",
            dependencies: [
                "SocketTransport", "WebSocketCore", "BenchSupport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict),
        .executableTarget(
            name: "iop-bench",
            dependencies: [
                "SocketTransport", "WebSocketCore", "RoomProtocol", "RoomCore", "RoomServer", "BenchSupport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict),
        .executableTarget(name: "fuzz-frame-parser", dependencies: ["WebSocketCore"], path: "Fuzz/fuzz-frame-parser"),
        .executableTarget(
            name: "fuzz-json-command", dependencies: ["RoomProtocol", "RoomCore"], path: "Fuzz/fuzz-json-command"),
        .executableTarget(
            name: "fuzz-http-parser", dependencies: ["SocketTransport", "WebSocketCore"], path: "Fuzz/fuzz-http-parser"),
        .executableTarget(
            name: "fuzz-deflate", dependencies: ["SocketTransport", "WebSocketCore"], path: "Fuzz/fuzz-deflate"),
        .executableTarget(
            name: "fuzz-text-rules", dependencies: ["RoomCore", "RoomClient"], path: "Fuzz/fuzz-text-rules"),
        .executableTarget(
            name: "fuzz-http2", dependencies: ["SocketTransport", "WebSocketCore"], path: "Fuzz/fuzz-http2"),
        .executableTarget(
            name: "fuzz-proxy-header", dependencies: ["SocketTransport"], path: "Fuzz/fuzz-proxy-header"),
        .testTarget(name: "RoomCoreTests", dependencies: ["RoomCore", "TestSupportCore"], swiftSettings: strict),
        .testTarget(name: "ProgramCoreTests", dependencies: ["ProgramCore"], swiftSettings: strict),
        .testTarget(
            name: "RoomServerTests",
            dependencies: [
                "RoomServer", "RoomCore", "ProgramCore", "SocketTransport", "TransportTestSupport", "ServerTestSupport",
                .product(name: "CSV", package: "CSV.swift"), .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "GRDB", package: "GRDB.swift"), .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict),
        // End to end: an in-process iopd, real sockets (Scripts/test runs it on its own).
        .testTarget(
            name: "RoomServerEndToEndTests",
            dependencies: [
                "RoomServer", "RoomCore", "RoomProtocol", "SocketTransport", "WebSocketCore", "ServerTestSupport",
                "TransportTestSupport", .product(name: "Logging", package: "swift-log"),
            ],
            // Hand-computed expected exports, read by path (WeekEndToEndTests).
            exclude: ["Fixtures"],
            swiftSettings: strict),
        .testTarget(
            name: "RoomClientTests", dependencies: ["RoomClient", "RoomCore", "RoomProtocol", "TestSupportCore"],
            swiftSettings: strict),
        // End to end: the client against an in-process iopd.
        .testTarget(
            name: "RoomClientEndToEndTests",
            dependencies: [
                "RoomClient", "RoomCore", "RoomProtocol", "RoomServer", "SocketTransport", "ServerTestSupport",
                "TransportTestSupport", "TestSupportCore", "TerminalUI",
            ],
            swiftSettings: strict),
        .testTarget(
            name: "TerminalUITests", dependencies: ["TerminalUI", "RoomClient", "RoomCore", "RoomProtocol"],
            swiftSettings: strict),
        .testTarget(name: "RoomProtocolTests", dependencies: ["RoomProtocol", "RoomCore"], swiftSettings: strict),
        .testTarget(
            name: "WebSocketCoreTests", dependencies: ["WebSocketCore", "TestSupportCore"],
            swiftSettings: strict),
        .testTarget(
            name: "SocketTransportTests",
            dependencies: ["SocketTransport", "WebSocketCore", "TestSupportCore", "TransportTestSupport"],
            swiftSettings: strict),
        // End to end: event loop threads, real sockets, a Python peer.
        .testTarget(
            name: "SocketTransportEndToEndTests",
            dependencies: [
                "SocketTransport", "WebSocketCore", "TestSupportCore", "TransportTestSupport",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict),
    ]
)
