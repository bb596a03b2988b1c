import Foundation
import Logging
import SocketTransport
import Testing

@testable import RoomServer

/// `log.format: json`: one JSON object a line with time, level, label, message, metadata.
@Suite struct JSONLogHandlerTests {
    /// Lines written by a handler, collected under a lock.
    final class Lines: Sendable {
        let lines = LockedValue([String]())
        var all: [String] { lines.withLock { $0 } }
        func append(_ line: String) { lines.withLock { $0.append(line) } }
    }

    static let fixed = Date(timeIntervalSince1970: 1_764_000_000.123)

    func handler(_ lines: Lines, provider: Logger.MetadataProvider? = nil) -> JSONLogHandler {
        JSONLogHandler(label: "iopd", metadataProvider: provider, clock: { Self.fixed }) { lines.append($0) }
    }

    func object(_ line: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
    }

    @Test("one line per event with exactly time, level, label, message and metadata")
    func shape() throws {
        let lines = Lines()
        var logger = Logger(label: "iopd") { _ in handler(lines) }
        logger[metadataKey: "node"] = "a"
        logger.info(
            "closing member for policy",
            metadata: ["room": "evening-process", "strikes": "\(10)", "peer": .array(["x"])])
        let line = try #require(lines.all.first)
        #expect(lines.all.count == 1)
        #expect(line.hasSuffix("}\n") && line.dropLast().firstIndex(of: "\n") == nil)
        let json = try object(line)
        #expect(Set(json.keys) == ["time", "level", "label", "message", "metadata"])
        #expect(json["time"] as? String == "2025-11-24T16:00:00.123Z")
        #expect(json["level"] as? String == "info")
        #expect(json["label"] as? String == "iopd")
        #expect(json["message"] as? String == "closing member for policy")
        let metadata = try #require(json["metadata"] as? [String: Any])
        #expect(metadata["room"] as? String == "evening-process")
        #expect(metadata["strikes"] as? String == "10")
        #expect(metadata["node"] as? String == "a")
        #expect(metadata["peer"] as? [String] == ["x"])
    }

    @Test("levels below the handler's are dropped; line breaks and quotes stay inside one line")
    func levelsAndEscaping() throws {
        let lines = Lines()
        var logger = Logger(label: "iopd") { _ in handler(lines) }
        logger.logLevel = .notice
        logger.info("not written")
        logger.error("two\nlines \"quoted\"", metadata: ["error": "disk\nfull"])
        #expect(lines.all.count == 1)
        let line = try #require(lines.all.first)
        #expect(line.filter { $0 == "\n" }.count == 1)
        let json = try object(line)
        #expect(json["level"] as? String == "error")
        #expect(json["message"] as? String == "two\nlines \"quoted\"")
    }

    @Test("the call's metadata wins over the provider's, which wins over the handler's")
    func metadataOrder() throws {
        let lines = Lines()
        let provider = Logger.MetadataProvider { ["room": "from-provider", "request": "r1"] }
        var logger = Logger(label: "iopd") { _ in handler(lines, provider: provider) }
        logger[metadataKey: "room"] = "from-handler"
        logger.warning("x", metadata: ["request": "r2"])
        let metadata = try #require(try object(lines.all[0])["metadata"] as? [String: Any])
        #expect(metadata["room"] as? String == "from-provider")
        #expect(metadata["request"] as? String == "r2")
    }

    @Test("log.format reads text or json and refuses anything else")
    func setting() async throws {
        let json = try await ServerSettings.load(configFile: nil, environment: [:], overrides: ["log.format": "json"])
        #expect(json.logFormat == .json)
        let text = try await ServerSettings.load(configFile: nil, environment: [:], overrides: [:])
        #expect(text.logFormat == .text)
        await #expect(throws: SettingsError.outOfRange("log.format", "text or json")) {
            try await ServerSettings.load(configFile: nil, environment: [:], overrides: ["log.format": "xml"])
        }
    }
}
