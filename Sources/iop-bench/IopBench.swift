import ArgumentParser
import BenchSupport
import Foundation
import RoomCore
import SocketTransport

/// `iop-bench`: rooms of members speaking protocol v1 to a real `iopd`, each
/// sending chat on a fixed period; reports deliveries, latency, the server's
/// CPU and memory, and every error. Loopback only; every wait is bounded.
@main
struct IopBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "iop-bench",
        abstract: "Room load generator for iopd (loopback only).",
        discussion: """
            The server must host rooms <room-prefix>0001... with capacity >= --members and a rate
            limit above one command per --period-ms per member (Scripts/bench sets this up).
            Tokens are signed with the server's secret: IOPD_AUTH_SECRET, else <data-dir>/signing-secret.
            """)

    @Option(help: "Server address, host:port; loopback only.")
    var server = "127.0.0.1:8080"

    @Option(help: "The server's data folder (its signing secret), unless IOPD_AUTH_SECRET is set.")
    var dataDir = "data"

    @Option(help: "Rooms.")
    var rooms = 100

    @Option(help: "Members per room: one facilitator and members - 1 participants.")
    var members = 10

    @Option(help: "Each member sends one chat message every this many milliseconds.")
    var periodMs = 1000

    @Option(
        help: """
            Each member also reacts once every this many seconds to the last chat message it received \
            from another member (reaction.add; every member the message reached gets reaction.changed, \
            counted apart from chat deliveries). 0: no reactions.
            """)
    var reactionEvery: Double = 0

    @Option(help: "Bytes of chat text per message (the send time is inside).")
    var messageBytes = 120

    @Option(help: "Warm-up seconds: chat flows, nothing measured.")
    var warmup: Double = 2

    @Option(help: "Measured seconds (with --idle: seconds to hold the connections).")
    var duration: Double = 10

    @Flag(
        help: """
            No chat: everyone connects (and is greeted by its room) first, then accepts the agreement \
            and is admitted; the connections are held for --duration.
            """)
    var idle = false

    @Flag(
        help: """
            Facilitators end their sessions at the end (content purged, everyone closed with 4003), \
            and join before any participant (a room whose session ended reopens only for a facilitator).
            """)
    var endSession = false

    @Flag(
        help: """
            Speak the relay protocol of Benchmarks/peers instead of protocol v1: no tokens, connect to \
            /peer/<room>, send the same chat frames; the server relays each to the room's other members \
            and acknowledges it. For measuring other WebSocket servers under the same load.
            """)
    var peer = false

    @Flag(
        help: """
            Each member's WebSocket over HTTP/2 (RFC 8441): h2c with prior knowledge (iopd accepts it \
            from loopback), or h2 selected in ALPN with --ca-file. Each member has its own connection \
            unless --share is given.
            """)
    var http2 = false

    @Flag(
        help: """
            Offer no subprotocol: room protocol v1, where a sender gets an ack and its own copy of \
            each message. By default members offer iop.v2, where the own copy carrying the command's \
            id is the acknowledgement (one frame instead of two; docs/PROTOCOL.md, "Versions").
            """)
    var protocolV1 = false

    @Option(
        help: """
            With --http2: N members, each in a different room, share one connection per simulated \
            client (their rooms multiplexed as streams). Default 1: a connection per member.
            """)
    var share = 1

    @Option(help: "wss:// (TLS) verified against this PEM file of certificate authorities.")
    var caFile: String?

    @Option(help: "Server process id: its CPU time and memory are read from /proc.")
    var serverPid: Int32?

    @Option(help: "Room id prefix; rooms are <prefix>0001, <prefix>0002...")
    var roomPrefix = "bench-"

    @Option(help: "Number of the first room.")
    var firstRoom = 1

    @Option(help: "Event loops of the bench (default: the CPUs it may run on).")
    var loops: Int?

    @Option(help: "Most handshakes in flight at once.")
    var connectWindow = 1000

    @Option(help: "Seconds allowed for connecting and admitting everyone.")
    var joinSeconds: Double = 60

    @Option(help: "Give up after this many seconds: print what was measured and exit 1.")
    var maxSeconds: Double = 300

    @Flag(help: "Print one JSON object instead of one figure per line.")
    var json = false

    func validate() throws {
        guard let address = serverAddress else { throw ValidationError("--server must be host:port") }
        let host = address.host
        guard host == "localhost" || host == "::1" || host.hasPrefix("127.") else {
            throw ValidationError("--server must be a loopback address, got \(host)")
        }
        guard (1...10_000).contains(rooms) else { throw ValidationError("--rooms must be 1...10000") }
        guard (2...100).contains(members) else { throw ValidationError("--members must be 2...100") }
        guard rooms * members <= 60_000 else { throw ValidationError("at most 60,000 members in all") }
        guard (1...600_000).contains(periodMs) else { throw ValidationError("--period-ms must be 1...600000") }
        guard (40...1900).contains(messageBytes) else { throw ValidationError("--message-bytes must be 40...1900") }
        guard (0...600).contains(warmup), (0.1...3600).contains(duration) else {
            throw ValidationError("--warmup must be 0...600 and --duration 0.1...3600")
        }
        guard (1...3600).contains(joinSeconds), (1...7200).contains(maxSeconds) else {
            throw ValidationError("--join-seconds must be 1...3600 and --max-seconds 1...7200")
        }
        guard (1...64).contains(loops ?? 1) else { throw ValidationError("--loops must be 1...64") }
        guard (1...60_000).contains(connectWindow) else { throw ValidationError("--connect-window must be 1...60000") }
        if peer, endSession { throw ValidationError("--end-session needs protocol v1, not --peer") }
        guard reactionEvery == 0 || (0.001...3600).contains(reactionEvery) else {
            throw ValidationError("--reaction-every must be 0 (none) or 0.001...3600")
        }
        if peer, reactionEvery > 0 { throw ValidationError("--reaction-every needs protocol v1, not --peer") }
        guard (1...100).contains(share), share <= rooms else {
            throw ValidationError("--share must be 1...min(100, --rooms)")
        }
        if share > 1, !http2 { throw ValidationError("--share needs --http2") }
        if let serverPid, !ProcessProbe.exists(pid: serverPid) {
            throw ValidationError("no process with id \(serverPid)")
        }
    }

    /// `--server` split into host and port.
    var serverAddress: (host: String, port: Int)? {
        guard let colon = server.lastIndex(of: ":"), let port = Int(server[server.index(after: colon)...]),
            (1...65535).contains(port)
        else { return nil }
        var host = String(server[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        return (host, port)
    }

    func run() async throws {
        let total = rooms * members
        let needed = total + 64
        let limit = ProcessProbe.raiseOpenFileLimit(to: needed)
        guard limit >= needed else {
            throw ValidationError("RLIMIT_NOFILE is \(limit), \(needed) needed (raise the hard limit: ulimit -Hn)")
        }
        let plan =
            peer
            ? RoomPlan.unsigned(rooms: rooms, firstRoom: firstRoom, prefix: roomPrefix, membersPerRoom: members)
            : try await RoomPlan.make(
                rooms: rooms, firstRoom: firstRoom, prefix: roomPrefix, membersPerRoom: members,
                dataDirectory: dataDir, environment: ProcessInfo.processInfo.environment)
        let watchdog = Watchdog(seconds: maxSeconds + 15, name: "iop-bench")
        defer { withExtendedLifetime(watchdog) {} }
        let run = BenchRun(options: self, plan: plan)
        let report = run.execute()
        report.report.print(json: json)
        if !report.complete { throw ExitCode(1) }
    }
}
