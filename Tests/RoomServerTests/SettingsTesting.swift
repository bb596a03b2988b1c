import Foundation
import Testing

@testable import RoomServer

/// What the settings suites check alike: refusals that name their key, and the repository's docs.
enum SettingsTesting {
    /// Each case's overrides are refused at start-up with an error naming its key.
    static func expectRefused(
        _ cases: [([String: String], String)], sourceLocation: SourceLocation = #_sourceLocation
    ) async {
        for (overrides, key) in cases {
            do {
                _ = try await ServerSettings.load(configFile: nil, environment: [:], overrides: overrides)
                Issue.record("accepted \(overrides)", sourceLocation: sourceLocation)
            } catch {
                #expect(
                    "\(error)".contains("setting \(key) must be"), "\(overrides): \(error)",
                    sourceLocation: sourceLocation)
            }
        }
    }

    /// The text of `path` in the repository (e.g. `docs/OPERATIONS.md`, `Config/iopd.yaml`).
    static func repositoryFile(_ path: String) throws -> String {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        return try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
    }
}
