import SocketTransport

extension ServerSettings {
    /// The embedded default of a configuration key, as written in YAML or on a flag
    /// (`8080`, `true`, `1.5`, `(none)`); `nil` for a key this list does not know,
    /// which a test turns into a failure, so `iopd --help` and docs/OPERATIONS.md
    /// always show every default.
    public static func defaultValue(of key: String) -> String? {
        let d = ServerSettings()
        return switch key {
        case "server.host": d.host
        case "server.port": "\(d.port)"
        case "server.echo": "\(d.echoEnabled)"
        case "server.eventLoops": "0"
        case "server.shutdownGraceSeconds": seconds(d.shutdownGracePeriod)
        case "server.drainGraceSeconds": seconds(d.drainGracePeriod)
        case "server.dataDirectory": d.dataDirectory
        case "server.allowInsecure": "\(d.allowInsecure)"
        case "server.compression": "\(d.compression)"
        case "server.trustedProxies": "(none)"
        case "limits.maxFrameBytes": "\(d.echoLimits.maxFramePayloadLength)"
        case "limits.maxMessageBytes": "\(d.echoLimits.maxMessageLength)"
        case "limits.maxQueuedBytes": "\(d.echoMaxQueuedBytes)"
        case "limits.memoryBudgetBytes": "\(d.transport.memoryBudgetBytes)"
        case "limits.maxHeaderBytes": "\(d.transport.maxHeadLength)"
        case "limits.maxConnections": "\(d.transport.maxConnections)"
        case "limits.maxConnectionsPerAddress": "\(d.transport.maxConnectionsPerAddress)"
        case "limits.handshakesPerSecondPerAddress": number(d.transport.handshakesPerSecondPerAddress)
        case "limits.handshakeBurstPerAddress": number(d.transport.handshakeBurstPerAddress)
        case "timeouts.handshakeSeconds": seconds(d.transport.handshakeTimeout)
        case "timeouts.pingIntervalSeconds": seconds(d.transport.pingInterval)
        case "timeouts.idleSeconds": seconds(d.transport.idleTimeout)
        case "timeouts.closeSeconds": seconds(d.transport.closeTimeout)
        case "rooms.file": d.roomsFile
        case "rooms.catalogueFile": d.catalogueFile
        case "rooms.messagesPerSecond": number(d.session.messagesPerSecond)
        case "rooms.burst": number(d.session.burst)
        case "rooms.bytesPerSecond": number(d.session.bytesPerSecond)
        case "rooms.burstBytes": number(d.session.burstBytes)
        case "rooms.strikesBeforeClose": "\(d.session.strikesBeforeClose)"
        case "rooms.maxQueuedBytes": "\(d.roomMaxQueuedBytes)"
        case "rooms.maxPendingCommands": "\(d.roomMaxPendingCommands)"
        case "rooms.maxRooms": "\(d.maxRooms)"
        case "rooms.idleLogoffMinutes": number(d.idleLogoffMinutes)
        case "rooms.idleWarningSeconds": number(d.idleWarningSeconds)
        case "auth.secret": "(generated in the data folder)"
        case "auth.maxTokenLifetimeHours": number(d.tokenLifetimes.member / 3600)
        case "auth.maxOperatorTokenLifetimeHours": number(d.tokenLifetimes.operator / 3600)
        case "auth.maxInvitationLifetimeDays": number(d.tokenLifetimes.invitation / 86_400)
        case "log.level": d.logLevel
        case "log.format": d.logFormatName
        case "tls.certificateFile", "tls.privateKeyFile": "(none)"
        case "attendance.minimumHoursPerDay": number(d.attendance.minimumHoursPerDay)
        case "attendance.minimumDaysPerWeek": "\(d.attendance.minimumDaysPerWeek)"
        case "attendance.timeZone": d.attendance.timeZoneName
        default: http2DefaultValue(of: key) ?? recordsDefaultValue(of: key)
        }
    }

    private static func seconds(_ duration: Duration) -> String {
        number(Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18)
    }

    /// `5` for a whole number, `0.5` otherwise.
    private static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? "\(Int64(value))" : "\(value)"
    }
}
