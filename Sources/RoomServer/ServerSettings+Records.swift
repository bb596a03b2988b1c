import Configuration
import Foundation

/// Which engine keeps the records (`records.backend`).
public enum RecordBackend: String, Sendable, Hashable, CaseIterable {
    /// `records.sqlite` in the data folder: embedded, one server. The default.
    case sqlite
    /// A PostgreSQL database (`records.postgresqlURL`), which several servers may share.
    case postgresql
}

extension ServerSettings {
    /// The records and node keys (listed in ``keys`` with their meanings).
    public static let recordsKeys = [
        "records.backend", "records.postgresqlURL", "records.maxQueuedRecords", "server.nodeId",
        "records.leaseMilliseconds", "records.leaseRenewalMilliseconds",
    ]

    /// `records.maxQueuedRecords` by default: about 20 MB of queued records at
    /// most (twice this is the hard bound), minutes of a busy server's records.
    public static let defaultMaxQueuedRecords = 100_000
    /// The range `records.maxQueuedRecords` accepts.
    static let maxQueuedRecordsRange = 1...10_000_000

    /// The node id when `server.nodeId` is not set: the host's name (its
    /// first label) and the port, such as `clinic-a-8080`, stable across restarts.
    static func defaultNodeID(port: Int) -> String {
        let host = ProcessInfo.processInfo.hostName.split(separator: ".").first.map(String.init) ?? ""
        let name = String(host.filter { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }.prefix(48))
        return "\(name.isEmpty ? "node" : name)-\(port)"
    }

    /// Reads the `records.*` keys and `server.nodeId`.
    mutating func readRecordsSettings(_ config: ConfigReader) {
        recordsBackendName = config.string(forKey: "records.backend", default: RecordBackend.sqlite.rawValue)
        recordsBackend = RecordBackend(rawValue: recordsBackendName) ?? .sqlite
        // Secret: the URL may hold the password, so swift-configuration never shows the value.
        recordsPostgreSQLURL = config.string(forKey: "records.postgresqlURL", isSecret: true)
        nodeID = config.string(forKey: "server.nodeId", default: Self.defaultNodeID(port: port))
        recordsMaxQueued = config.int(forKey: "records.maxQueuedRecords", default: Self.defaultMaxQueuedRecords)
        let leases = RoomLeases.Timing()
        roomLeases.duration = .milliseconds(
            config.int(forKey: "records.leaseMilliseconds", default: Int(leases.duration.milliseconds)))
        roomLeases.renewal = .milliseconds(
            config.int(forKey: "records.leaseRenewalMilliseconds", default: Int(leases.renewal.milliseconds)))
    }

    /// Checks the keys ``readRecordsSettings(_:)`` read (whether the database
    /// can be reached is checked when the store opens, still before anything listens).
    func validateRecordsSettings() throws(SettingsError) {
        guard RecordBackend(rawValue: recordsBackendName) != nil else {
            throw .outOfRange("records.backend", RecordBackend.allCases.map(\.rawValue).joined(separator: " or "))
        }
        if recordsBackend == .postgresql, (recordsPostgreSQLURL ?? "").isEmpty {
            throw .outOfRange(
                "records.postgresqlURL",
                "a libpq connection URI such as postgresql://iop@db.internal/iop when records.backend is postgresql")
        }
        guard Self.maxQueuedRecordsRange.contains(recordsMaxQueued) else {
            throw .outOfRange("records.maxQueuedRecords", "an integer from 1 to 10000000")
        }
        let allowed = nodeID.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-_.:".contains($0)) }
        guard (1...64).contains(nodeID.count), allowed else {
            throw .outOfRange("server.nodeId", "1 to 64 letters, digits, '-', '_', '.' or ':'")
        }
        let lease = roomLeases.duration.milliseconds
        guard (1_000...60_000).contains(lease) else {
            throw .outOfRange("records.leaseMilliseconds", "1000...60000 (a dead node's rooms wait this long)")
        }
        guard roomLeases.renewal.milliseconds >= 100, roomLeases.renewal.milliseconds * 3 <= lease else {
            throw .outOfRange(
                "records.leaseRenewalMilliseconds", ">= 100 and at most a third of records.leaseMilliseconds")
        }
    }

    /// The embedded default of a `records.*` key or `server.nodeId`; nil for another key.
    static func recordsDefaultValue(of key: String) -> String? {
        switch key {
        case "records.backend": RecordBackend.sqlite.rawValue
        case "records.postgresqlURL": "(none)"
        case "records.maxQueuedRecords": String(defaultMaxQueuedRecords)
        case "server.nodeId": "(host name-port)"
        case "records.leaseMilliseconds": "\(RoomLeases.Timing().duration.milliseconds)"
        case "records.leaseRenewalMilliseconds": "\(RoomLeases.Timing().renewal.milliseconds)"
        default: nil
        }
    }
}
