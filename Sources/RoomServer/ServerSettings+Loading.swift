import Configuration
import SocketTransport
import SystemPackage

extension ServerSettings {
    /// Every configuration key, with its flag-friendly description, for `--help` and docs.
    public static let keys: [(key: String, meaning: String)] = [
        ("server.host", "address to listen on"),
        ("server.port", "TCP port"),
        ("server.echo", "serve the /echo endpoint"),
        ("server.eventLoops", "event loops (one thread each) for connections and rooms; 0 = one per CPU allowed"),
        (
            "server.shutdownGraceSeconds",
            "time for closing handshakes once a drain closes what remains (after server.drainGraceSeconds)"
        ),
        ("server.drainGraceSeconds", "time rooms get to finish their session when a drain begins"),
        ("limits.maxFrameBytes", "largest incoming frame on /echo"),
        ("limits.maxMessageBytes", "largest incoming message on /echo"),
        ("limits.maxQueuedBytes", "outbound bytes before a slow consumer is dropped"),
        (
            "limits.memoryBudgetBytes",
            "bytes buffered for all clients together (1013 or 503 beyond; see Memory)"
        ),
        ("limits.maxHeaderBytes", "largest HTTP request head (431 above)"),
        ("limits.maxConnections", "most open connections (503 above)"),
        (
            "limits.maxConnectionsPerAddress",
            "most open connections from one address, IPv6 /64 (503 above; 0 = no limit)"
        ),
        (
            "limits.handshakesPerSecondPerAddress",
            "new connections per second from one address (503 above; 0 = no limit)"
        ),
        ("limits.handshakeBurstPerAddress", "new connections one address may open at once"),
        ("timeouts.handshakeSeconds", "time allowed for the HTTP request and upgrade"),
        ("timeouts.pingIntervalSeconds", "ping a peer silent this long"),
        ("timeouts.idleSeconds", "close a peer silent this long"),
        ("timeouts.closeSeconds", "time allowed for the closing handshake"),
        ("server.dataDirectory", "folder for the signing secret and records"),
        ("server.nodeId", "this server's name among servers sharing a records database (letters, digits, -_.:)"),
        ("records.backend", "sqlite (records.sqlite in the data folder) or postgresql"),
        ("records.postgresqlURL", "libpq connection URI of the records database, with records.backend postgresql"),
        (
            "records.maxQueuedRecords",
            "records queued in memory while the records database is away past which new members are refused (503)"
        ),
        ("records.leaseMilliseconds", "a room's lease: another node may take the room this long after its renewal"),
        ("records.leaseRenewalMilliseconds", "how often a node renews its rooms' leases (a third of a lease at most)"),
        ("rooms.file", "rooms YAML file (three sample rooms if absent)"),
        ("rooms.catalogueFile", "exercises, check-in templates and agenda YAML (samples if absent)"),
        ("rooms.messagesPerSecond", "average commands per second per member"),
        ("rooms.burst", "commands per member in a burst"),
        ("rooms.bytesPerSecond", "average command bytes per second per member"),
        ("rooms.burstBytes", "command bytes per member in a burst"),
        ("rooms.strikesBeforeClose", "refusals in a row before closing with 1008"),
        ("rooms.maxQueuedBytes", "outbound backlog before a room member is dropped"),
        ("rooms.maxPendingCommands", "commands a room may have waiting before it answers server_busy"),
        ("rooms.maxRooms", "rooms hosted at most, the rooms file's and those created through the admin API"),
        ("auth.secret", "HS256 signing secret, 32+ bytes"),
        ("auth.maxTokenLifetimeHours", "longest lifetime of a member's token (exp - now, exp - iat)"),
        ("auth.maxOperatorTokenLifetimeHours", "longest lifetime of an operator's token"),
        ("auth.maxInvitationLifetimeDays", "longest lifetime of an invitation (kind: invitation), in days"),
        ("log.level", "trace, debug, info, notice, warning, error or critical"),
        ("tls.certificateFile", "PEM certificate chain (server first): serve wss:// (reloaded on SIGHUP)"),
        ("tls.privateKeyFile", "PEM private key of that certificate"),
        ("server.allowInsecure", "allow plain ws:// on a non-loopback address"),
        (
            "server.trustedProxies",
            "proxies (addresses, CIDR blocks) whose connections start with a PROXY protocol v2 header; empty = off"
        ),
        ("attendance.minimumHoursPerDay", "export flags a day attended less than this many hours"),
        ("attendance.minimumDaysPerWeek", "export flags a week with fewer days meeting the daily minimum"),
        ("attendance.timeZone", "time zone of the export's days and ISO weeks, e.g. America/Chicago"),
        ("rooms.idleLogoffMinutes", "log off a member who sent no command this long; 0 = off"),
        ("rooms.idleWarningSeconds", "warn that long before the idle log-off"),
        ("log.format", "text or json (one JSON object a line)"),
        ("server.compression", "accept permessage-deflate on rooms and /echo (leaks via lengths: see Compression)"),
        ("http2.enabled", "offer h2 in TLS ALPN and accept HTTP/2 (WebSockets over HTTP/2, RFC 8441)"),
        ("http2.cleartext", "h2c with prior knowledge: loopback (peers on loopback only), allowed or off"),
        ("http2.maxConcurrentStreams", "streams one HTTP/2 connection may have open (RST_STREAM beyond)"),
        ("http2.maxHeaderListBytes", "largest HTTP/2 request header list (the stream is reset beyond)"),
        ("http2.maxResetsPerWindow", "streams a client may reset per window (GOAWAY ENHANCE_YOUR_CALM beyond)"),
        ("http2.maxIdleFramesPerWindow", "PING, SETTINGS, PRIORITY and empty DATA frames per window (GOAWAY beyond)"),
        ("http2.floodWindowSeconds", "the window the two limits above count in"),
        ("http2.maxQueuedBytes", "bytes an HTTP/2 connection's socket may leave unread before it is closed"),
    ]

    /// Reads settings from the YAML file at `configFile` (if it exists), the
    /// environment (`IOPD_SERVER_PORT` for `server.port`) and `overrides`
    /// (flags, highest precedence), over the embedded defaults. A key that names
    /// no setting, or a value that does not parse, is an error naming the key.
    public static func load(
        configFile: String?, environment: [String: String], overrides: [String: String]
    ) async throws -> ServerSettings {
        try checkKnownKeys(configFile: configFile, environment: environment, overrides: overrides)
        var providers: [any ConfigProvider] = [
            // Flags go through the environment provider too, so "0" parses as an int.
            EnvironmentVariablesProvider(
                environmentVariables: Dictionary(
                    overrides.map { (environmentName(for: $0.key), $0.value) }, uniquingKeysWith: { $1 })
            ).prefixKeys(with: "iopd"),
            EnvironmentVariablesProvider(environmentVariables: environment).prefixKeys(with: "iopd"),
        ]
        if let configFile {
            do {
                providers.append(
                    try await FileProvider<YAMLSnapshot>(filePath: FilePath(configFile), allowMissing: true))
            } catch {
                throw SettingsError.unreadableFile(configFile, "\(error)")
            }
        }
        let recorder = SettingsAccessRecorder()
        let settings = ServerSettings(reading: ConfigReader(providers: providers, accessReporter: recorder))
        try recorder.check()
        try settings.validate()
        return settings
    }

    /// The environment variable for `key`: `limits.maxFrameBytes` → `IOPD_LIMITS_MAX_FRAME_BYTES`,
    /// `records.postgresqlURL` → `IOPD_RECORDS_POSTGRESQL_URL` (a `_` only where a lower-case letter
    /// meets an upper-case one, as swift-configuration's environment provider reads them).
    public static func environmentName(for key: String) -> String {
        var name = "IOPD_"
        var previous: Character?
        for character in key {
            if character == "." {
                name.append("_")
            } else if character.isUppercase {
                if previous?.isLowercase == true { name.append("_") }
                name.append(character)
            } else {
                name.append(character.uppercased())
            }
            previous = character
        }
        return name
    }

    /// Reads each key, falling back to the embedded default.
    init(reading config: ConfigReader) {
        let defaults = ServerSettings()
        self.init()
        host = config.string(forKey: "server.host", default: defaults.host)
        port = config.int(forKey: "server.port", default: defaults.port)
        echoEnabled = config.bool(forKey: "server.echo", default: defaults.echoEnabled)
        shutdownGracePeriod = .seconds(
            config.double(forKey: "server.shutdownGraceSeconds", default: 5))
        drainGracePeriod = .seconds(config.double(forKey: "server.drainGraceSeconds", default: 60))
        echoLimits.maxFramePayloadLength = config.int(
            forKey: "limits.maxFrameBytes", default: defaults.echoLimits.maxFramePayloadLength)
        echoLimits.maxMessageLength = config.int(
            forKey: "limits.maxMessageBytes", default: defaults.echoLimits.maxMessageLength)
        echoMaxQueuedBytes = config.int(forKey: "limits.maxQueuedBytes", default: defaults.echoMaxQueuedBytes)
        transport.memoryBudgetBytes = config.int(
            forKey: "limits.memoryBudgetBytes", default: defaults.transport.memoryBudgetBytes)
        transport.maxHeadLength = config.int(
            forKey: "limits.maxHeaderBytes", default: defaults.transport.maxHeadLength)
        let loops = config.int(forKey: "server.eventLoops", default: 0)
        if loops != 0 { transport.eventLoopCount = loops }
        transport.maxConnections = config.int(
            forKey: "limits.maxConnections", default: defaults.transport.maxConnections)
        transport.maxConnectionsPerAddress = config.int(
            forKey: "limits.maxConnectionsPerAddress", default: defaults.transport.maxConnectionsPerAddress)
        transport.handshakesPerSecondPerAddress = config.double(
            forKey: "limits.handshakesPerSecondPerAddress", default: defaults.transport.handshakesPerSecondPerAddress)
        transport.handshakeBurstPerAddress = config.double(
            forKey: "limits.handshakeBurstPerAddress", default: defaults.transport.handshakeBurstPerAddress)
        transport.handshakeTimeout = .seconds(config.double(forKey: "timeouts.handshakeSeconds", default: 10))
        transport.pingInterval = .seconds(config.double(forKey: "timeouts.pingIntervalSeconds", default: 30))
        transport.idleTimeout = .seconds(config.double(forKey: "timeouts.idleSeconds", default: 75))
        transport.closeTimeout = .seconds(config.double(forKey: "timeouts.closeSeconds", default: 5))
        logLevel = config.string(forKey: "log.level", default: defaults.logLevel)
        dataDirectory = config.string(forKey: "server.dataDirectory", default: defaults.dataDirectory)
        roomsFile = config.string(forKey: "rooms.file", default: defaults.roomsFile)
        catalogueFile = config.string(forKey: "rooms.catalogueFile", default: defaults.catalogueFile)
        session.messagesPerSecond = config.double(
            forKey: "rooms.messagesPerSecond", default: defaults.session.messagesPerSecond)
        session.burst = config.double(forKey: "rooms.burst", default: defaults.session.burst)
        session.bytesPerSecond = config.double(
            forKey: "rooms.bytesPerSecond", default: defaults.session.bytesPerSecond)
        session.burstBytes = config.double(forKey: "rooms.burstBytes", default: defaults.session.burstBytes)
        session.strikesBeforeClose = config.int(
            forKey: "rooms.strikesBeforeClose", default: defaults.session.strikesBeforeClose)
        roomMaxQueuedBytes = config.int(forKey: "rooms.maxQueuedBytes", default: defaults.roomMaxQueuedBytes)
        roomMaxPendingCommands = config.int(
            forKey: "rooms.maxPendingCommands", default: defaults.roomMaxPendingCommands)
        maxRooms = config.int(forKey: "rooms.maxRooms", default: defaults.maxRooms)
        authSecret = config.string(forKey: "auth.secret", isSecret: true)
        readAuthSettings(config)
        tlsCertificateFile = config.string(forKey: "tls.certificateFile")
        tlsPrivateKeyFile = config.string(forKey: "tls.privateKeyFile")
        if let tlsCertificateFile, let tlsPrivateKeyFile {
            tls = TLSConfiguration(certificateChainFile: tlsCertificateFile, privateKeyFile: tlsPrivateKeyFile)
        }
        allowInsecure = config.bool(forKey: "server.allowInsecure", default: defaults.allowInsecure)
        readAttendanceSettings(config)
        compression = config.bool(forKey: "server.compression", default: defaults.compression)
        readHTTP2Settings(config)
        readRecordsSettings(config)
        readProxySettings(config)
    }
}
