// swift-tools-version:6.0
// FlyingFox peer for iop-bench --peer (relay protocol in ../README.md).
import PackageDescription

let package = Package(
    name: "swift-flyingfox-peer",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(url: "https://github.com/swhitty/FlyingFox.git", from: "0.27.1")
    ],
    targets: [
        .executableTarget(
            name: "Peer",
            dependencies: [.product(name: "FlyingFox", package: "FlyingFox")]
        )
    ]
)
