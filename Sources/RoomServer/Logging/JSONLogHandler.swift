import Foundation
import Logging

/// A swift-log handler that writes one JSON object a line: `time` (ISO 8601,
/// UTC, milliseconds), `level`, `label`, `message` and `metadata` (the
/// handler's, the provider's and the call's, merged in that order). Made for
/// log collectors (`log.format: json`). Like every logger call in the server,
/// it is given ids, codes, counts and times only: never content, never aliases.
public struct JSONLogHandler: LogHandler {
    /// The lowest level written. Default `info`.
    public var logLevel: Logger.Level = .info
    /// Metadata on every line of this handler.
    public var metadata: Logger.Metadata = [:]
    /// Adds contextual metadata to every line.
    public var metadataProvider: Logger.MetadataProvider?

    private let label: String
    private let clock: @Sendable () -> Date
    private let write: @Sendable (String) -> Void

    /// A handler that writes each line with one `write(2)` to standard error.
    public static func standardError(label: String, metadataProvider: Logger.MetadataProvider? = nil) -> Self {
        Self(label: label, metadataProvider: metadataProvider) { line in
            FileHandle.standardError.write(Data(line.utf8))
        }
    }

    /// A handler that hands each finished line (ending in `\n`) to `write`;
    /// `clock` gives the time of each line (tests pass a fixed one).
    public init(
        label: String, metadataProvider: Logger.MetadataProvider? = nil,
        clock: @escaping @Sendable () -> Date = { Date() }, write: @escaping @Sendable (String) -> Void
    ) {
        self.label = label
        self.metadataProvider = metadataProvider
        self.clock = clock
        self.write = write
    }

    /// Gets or sets one metadata value of this handler.
    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// Writes `event` as one JSON line.
    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { $1 } }
        if let given = event.metadata { merged.merge(given) { $1 } }
        let object: [String: Any] = [
            "time": Self.timestamp(clock()), "level": event.level.rawValue, "label": label,
            "message": event.message.description, "metadata": merged.mapValues(Self.json),
        ]
        guard
            let data = try? JSONSerialization.data(
                withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        else { return }
        write(String(decoding: data, as: UTF8.self) + "\n")
    }

    /// A metadata value as a JSON value: strings, arrays and objects.
    private static func json(_ value: Logger.Metadata.Value) -> Any {
        switch value {
        case .string(let text): text
        case .stringConvertible(let convertible): convertible.description
        case .array(let values): values.map(json)
        case .dictionary(let values): values.mapValues(json)
        }
    }

    /// `2026-11-24T12:00:00.123Z`.
    static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: date)
    }
}
