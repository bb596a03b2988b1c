// Why `ServerSettings` spans about 650 lines of extensions (over the ~500 the
// style allows): it is one value with a documented field per setting, and each
// concern around it has a file (the key table and defaults, loading, strict
// reading, TLS, auth, attendance; none over 205 lines). Next candidate: the
// strict reading as a `SettingsReader` of its own.
import RoomCore
import SocketTransport
import WebSocketCore

/// Everything `iopd` needs to run, decoded once at start-up from built-in
/// defaults, the YAML file, `IOPD_*` environment variables and flags (in that
/// order of precedence, lowest first), then validated.
public struct ServerSettings: Sendable, Hashable {
    /// Address to listen on. Default `127.0.0.1`: loopback until the operator says otherwise.
    public var host = "127.0.0.1"
    /// TCP port. Default 8080.
    public var port = 8080
    /// Whether `/echo` is served (RFC 6455 test suites and raw benchmarks).
    /// Default off: it takes messages from anyone, with no token, so it is
    /// opened only by an operator who wants it (tests and benchmarks do).
    public var echoEnabled = false
    /// Limits on what an echo peer may send. Default 64 KiB frames and
    /// messages: as large as the largest room command, so a benchmark of
    /// room-sized messages fits, while 4,096 peers each holding a full
    /// message fill only the default memory budget (256 MiB), not the machine.
    public var echoLimits = WebSocketLimits(maxFramePayloadLength: 64 << 10, maxMessageLength: 64 << 10)
    /// Outbound bytes an echo connection may have waiting before it is dropped
    /// as a slow consumer. Default 1 MiB: sixteen full echoes in flight.
    public var echoMaxQueuedBytes = 1 << 20
    /// Socket-layer limits and timeouts (see `TransportConfiguration` for defaults).
    public var transport = TransportConfiguration()
    /// Time given to open WebSockets to finish their closing handshake once a
    /// drain (SIGTERM, SIGINT or the admin API) closes what remains after
    /// `drainGracePeriod`. Default 5 s.
    public var shutdownGracePeriod: Duration = .seconds(5)
    /// Time rooms get to finish their session once a drain begins (SIGTERM,
    /// SIGINT or the admin API) before the rest are closed with 1001.
    /// Default 60 s: long enough to wrap up a group, short enough for a deploy.
    public var drainGracePeriod: Duration = .seconds(60)
    /// Folder for the signing secret and the records database (`records.sqlite`). Default `data`.
    public var dataDirectory = "data"
    /// The rooms file (YAML). Default `Config/rooms.yaml`; three sample rooms if it is absent.
    public var roomsFile = "Config/rooms.yaml"
    /// Exercises, check-in templates and agenda (YAML). Default `Config/catalogue.yaml`;
    /// RoomCore's standard samples if it is absent.
    public var catalogueFile = "Config/catalogue.yaml"
    /// The HS256 signing secret (32 bytes or more). Default none: one is
    /// generated on first run and kept in the data folder (mode 0600).
    public var authSecret: String?
    /// Per-member rate and garbage limits on room connections.
    public var session = SessionLimits()
    /// Frame and message limits on room connections. Default 1 MiB: commands are
    /// small (64 KiB at most), and anything bigger is refused with 1009.
    public var roomLimits = WebSocketLimits(maxFramePayloadLength: 1 << 20, maxMessageLength: 1 << 20)
    /// Outbound backlog before a room member is dropped as a slow consumer. Default 1 MiB.
    public var roomMaxQueuedBytes = 1 << 20
    /// Commands a room may have waiting for its executor before it answers `server_busy`.
    /// Default 1,024: a hundred times a full group's burst, reached only under overload.
    public var roomMaxPendingCommands = 1024
    /// Rooms hosted at most: the rooms file's and those created at run time. Default 500:
    /// a large clinic's groups many times over, and a bound on what an operator's
    /// script gone wrong can make the server hold (each room has its state and a timer).
    public var maxRooms = 500
    /// Log level name (trace, debug, info, notice, warning, error, critical). Default info.
    public var logLevel = "info"
    /// TLS certificate chain and key (`tls.certificateFile`, `tls.privateKeyFile`).
    /// Default none: plain `ws://`, which `validate` allows only on loopback.
    public var tls: TLSConfiguration?
    /// Serve plain `ws://` on a non-loopback address (`server.allowInsecure`).
    /// Default false: session content must not cross a network in clear text.
    public var allowInsecure = false
    /// Accept permessage-deflate (RFC 7692) on room routes and `/echo`
    /// (`server.compression`). Default false: compressing a member's secrets in
    /// the same context as text another member chose leaks them through
    /// message lengths even under TLS (CRIME/BREACH style); see docs/OPERATIONS.md.
    public var compression = false
    /// `server.trustedProxies` as written (`transport.trustedProxies` parsed), kept
    /// for `validate` to name a bad entry. Default none: the PROXY protocol is off.
    var trustedProxyEntries: [String] = []
    /// `http2.cleartext` as written, kept to name it if it is not a known value.
    var http2CleartextName = HTTP2Cleartext.loopback.rawValue
    /// The TLS file keys as read, kept so that one without the other is reported.
    var tlsCertificateFile: String?
    var tlsPrivateKeyFile: String?
    /// What the attendance export counts as enough, and the time zone of its days (`attendance.*`).
    public var attendance = AttendanceRules()
    /// Automatic log-off of unattended devices (`rooms.idleLogoffMinutes`, `rooms.idleWarningSeconds`). Default off.
    public var idleLogoff = IdleLogoff()
    /// Log line format (`log.format`). Default `text`.
    public var logFormat = LogFormat.text
    /// The attendance, idle and log-format values as read, kept for `validate`.
    var idleLogoffMinutes = 0.0
    var idleWarningSeconds = 120.0
    var logFormatName = "text"

    /// Which engine keeps the records (`records.backend`). Default SQLite in the data folder.
    public var recordsBackend = RecordBackend.sqlite
    /// The PostgreSQL database's libpq connection URI (`records.postgresqlURL`),
    /// needed with the `postgresql` backend. Default none. Holds the password,
    /// if any: never logged, never in an error.
    public var recordsPostgreSQLURL: String?
    /// This server's name among the servers sharing a records database
    /// (`server.nodeId`). Default the host name and port (`clinic-a-8080`).
    public var nodeID = "local"
    /// How long a room's lease lasts and how often it is renewed
    /// (`records.leaseMilliseconds`, `records.leaseRenewalMilliseconds`). Default 4 s and 1 s.
    public var roomLeases = RoomLeases.Timing()
    /// `records.backend` as written, kept to name it if it is not a known value.
    var recordsBackendName = RecordBackend.sqlite.rawValue
    /// Records queued in memory while the records database is away past which
    /// new members are refused (`records.maxQueuedRecords`). Default 100,000.
    public var recordsMaxQueued = ServerSettings.defaultMaxQueuedRecords

    /// The longest token lifetimes accepted (`auth.maxTokenLifetimeHours`,
    /// `auth.maxOperatorTokenLifetimeHours`). Default 24 h and 12 h.
    public var tokenLifetimes = TokenLifetimes()

    /// The embedded defaults.
    public init() {}

    /// Checks every value; the first invalid one is reported.
    public func validate() throws(SettingsError) {
        guard (0...65_535).contains(port) else { throw .outOfRange("server.port", "0...65535") }
        guard echoLimits.maxFramePayloadLength > 0 else { throw .outOfRange("limits.maxFrameBytes", "> 0") }
        guard echoLimits.maxMessageLength >= echoLimits.maxFramePayloadLength else {
            throw .outOfRange("limits.maxMessageBytes", ">= limits.maxFrameBytes")
        }
        guard echoMaxQueuedBytes > 0 else { throw .outOfRange("limits.maxQueuedBytes", "> 0") }
        guard transport.memoryBudgetBytes > 0 else { throw .outOfRange("limits.memoryBudgetBytes", "> 0") }
        guard transport.maxHeadLength >= 1024 else { throw .outOfRange("limits.maxHeaderBytes", ">= 1024") }
        guard (1...256).contains(transport.eventLoopCount) else {
            throw .outOfRange("server.eventLoops", "0 (one per CPU) or 1...256")
        }
        guard drainGracePeriod >= .zero else { throw .outOfRange("server.drainGraceSeconds", ">= 0") }
        guard shutdownGracePeriod >= .zero else { throw .outOfRange("server.shutdownGraceSeconds", ">= 0") }
        guard transport.maxConnections > 0 else { throw .outOfRange("limits.maxConnections", "> 0") }
        guard transport.maxConnectionsPerAddress >= 0 else {
            throw .outOfRange("limits.maxConnectionsPerAddress", ">= 0 (0: no limit)")
        }
        guard transport.handshakesPerSecondPerAddress >= 0 else {
            throw .outOfRange("limits.handshakesPerSecondPerAddress", ">= 0 (0: no limit)")
        }
        guard transport.handshakeBurstPerAddress >= 1 else {
            throw .outOfRange("limits.handshakeBurstPerAddress", ">= 1")
        }
        guard transport.pingInterval < transport.idleTimeout else {
            throw .outOfRange("timeouts.pingIntervalSeconds", "< timeouts.idleSeconds")
        }
        guard session.messagesPerSecond > 0, session.burst >= 1 else {
            throw .outOfRange("rooms.messagesPerSecond / rooms.burst", "> 0 and >= 1")
        }
        guard session.bytesPerSecond > 0, session.burstBytes >= Double(session.maxCommandBytes) else {
            throw .outOfRange("rooms.bytesPerSecond / rooms.burstBytes", "> 0 and >= 65536 (the largest command)")
        }
        guard roomMaxPendingCommands >= 1 else { throw .outOfRange("rooms.maxPendingCommands", ">= 1") }
        guard (1...100_000).contains(maxRooms) else { throw .outOfRange("rooms.maxRooms", "1...100000") }
        guard session.strikesBeforeClose >= 1 else { throw .outOfRange("rooms.strikesBeforeClose", ">= 1") }
        let levels = ["trace", "debug", "info", "notice", "warning", "error", "critical"]
        guard levels.contains(logLevel) else { throw .outOfRange("log.level", levels.joined(separator: ", ")) }
        try validateTransportSecurity()
        try validateAttendanceSettings()
        try validateAuthSettings()
        try validateHTTP2Settings()
        try validateRecordsSettings()
        try validateProxySettings()
    }
}

/// A setting that cannot be used, named by its configuration key.
public struct SettingsError: Error, Sendable, Hashable, CustomStringConvertible {
    private enum Kind: Sendable, Hashable {
        case outOfRange(key: String, allowed: String)
        case unreadableFile(path: String, reason: String)
        case insecureListener(host: String)
        case incompleteTLS(missing: String)
        case unknownKey(key: String, source: String, suggestion: String?)
        case badValue(key: String, expected: String)
        case unusableFile(path: String, role: String, reason: String)
        case unusableDatabase(key: String, reason: String)
    }

    private let kind: Kind

    /// `key` holds a value outside `allowed`.
    public static func outOfRange(_ key: String, _ allowed: String) -> Self {
        Self(kind: .outOfRange(key: key, allowed: allowed))
    }

    /// Plain `ws://` on `host`, which is not a loopback address, without `server.allowInsecure`.
    public static func insecureListener(_ host: String) -> Self { Self(kind: .insecureListener(host: host)) }

    /// Only one of `tls.certificateFile` and `tls.privateKeyFile` is set.
    public static func incompleteTLS(missing key: String) -> Self { Self(kind: .incompleteTLS(missing: key)) }

    /// `key`, named in `source` (the YAML file, `--set` or the environment), is no setting.
    public static func unknownKey(_ key: String, source: String, suggestion: String?) -> Self {
        Self(kind: .unknownKey(key: key, source: source, suggestion: suggestion))
    }

    /// `key` holds a value that does not parse as `expected`.
    public static func badValue(_ key: String, expected: String) -> Self {
        Self(kind: .badValue(key: key, expected: expected))
    }

    /// A file of the data folder (`role`: what it is for) cannot be used.
    public static func unusableFile(_ path: String, role: String, reason: String) -> Self {
        Self(kind: .unusableFile(path: path, role: role, reason: reason))
    }

    /// The records database that `key` names cannot be reached or migrated
    /// (`reason` is libpq's message, which never holds the URL's password).
    public static func unusableDatabase(_ key: String, _ reason: String) -> Self {
        Self(kind: .unusableDatabase(key: key, reason: reason))
    }

    /// The configuration file could not be read or parsed.
    public static func unreadableFile(_ path: String, _ reason: String) -> Self {
        Self(kind: .unreadableFile(path: path, reason: reason))
    }

    /// For the operator.
    public var description: String {
        switch kind {
        case .outOfRange(let key, let allowed): "setting \(key) must be \(allowed)"
        case .unreadableFile(let path, let reason): "cannot read configuration file \(path): \(reason)"
        case .insecureListener(let host):
            "refusing to serve plain ws:// on \(host), which is not a loopback address: session content would "
                + "cross the network unencrypted. Set tls.certificateFile and tls.privateKeyFile, or set "
                + "server.allowInsecure=true if TLS ends in front of iopd (a proxy on the same host)"
        case .incompleteTLS(let key): "TLS needs both tls.certificateFile and tls.privateKeyFile; \(key) is not set"
        case .unknownKey(let key, let source, let suggestion):
            "unknown setting \(key) in \(source)" + (suggestion.map { "; did you mean \($0)?" } ?? "")
                + " (`iopd --help` lists every key)"
        case .badValue(let key, let expected): "setting \(key) must be \(expected)"
        case .unusableFile(let path, let role, let reason): "cannot use the \(role) \(path): \(reason)"
        case .unusableDatabase(let key, let reason): "cannot use the records database of setting \(key): \(reason)"
        }
    }
}

extension ServerSettings {
    /// What WebSocket endpoints accept of permessage-deflate: zlib's defaults
    /// when `compression` is on, nothing otherwise.
    var compressionConfiguration: PerMessageDeflateConfiguration? {
        compression ? PerMessageDeflateConfiguration() : nil
    }
}
