import ArgumentParser
import Glibc
import RoomClient
import SocketTransport
import TerminalUI

/// `iop`: the VirtualIOP terminal client.
struct IOP: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "iop",
        abstract: "Join a VirtualIOP group session from a terminal.",
        subcommands: [Join.self], defaultSubcommand: Join.self)
}

/// `iop join <server-url> <room> [<room>…]`.
struct Join: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Join a room.",
        discussion: """
            The join token is read from --token-file, the IOP_TOKEN environment variable, \
            --token (visible to other users of this computer: avoid), or a prompt. \
            Nothing you or others write is saved anywhere.

            Several rooms at once (facilitators only, at most 9): give each room its token with \
            --token-file ROOM=FILE (once per room) or --token-dir FOLDER (FOLDER/ROOM.token), or type \
            each when asked. Every token must be a facilitator's, or iop refuses before connecting (exit 2).

            Exit status: 0 the session ended or you left; 2 usage (or several rooms refused); 3 token refused; \
            4 no such room; 5 the room turned you away; 6 server unreachable or \
            connection lost for good; 7 protocol failure; 130/143 interrupted.
            """)

    @Argument(help: "The server, e.g. ws://iop.example.org:8080")
    var server: String

    @Argument(help: "The room, e.g. evening-process; facilitators may name several (at most 9).")
    var rooms: [String]

    @Option(help: "The join token (prefer --token-file or IOP_TOKEN: command lines are visible to others).")
    var token: String?

    @Option(help: "A file holding the join token; with several rooms ROOM=FILE, once per room.")
    var tokenFile: [String] = []

    @Option(help: "A folder holding each room's token as ROOM.token.")
    var tokenDir: String?

    @Option(help: "A PEM file of certificate authorities to trust for wss:// (default: the system's).")
    var caFile: String?

    @Flag(
        help: ArgumentHelp(
            "wss:// WITHOUT checking the server's certificate: for a local test server only.",
            discussion: "Anyone on the network path could read and change the session. Never for a real group."))
    var insecure = false

    @Flag(help: "Plain line mode even on a terminal (for screen readers and scripts).")
    var line = false

    @Flag(help: "Line mode printing every server message as one JSON line.")
    var json = false

    @Option(help: "Connection attempts before giving up when the server was never reached.")
    var attempts = 3

    @Option(
        help: ArgumentHelp(
            "HTTP/2: negotiate, prior-knowledge or off.",
            discussion: """
                negotiate (the default): over wss://, HTTP/2 when the server selects it, and then several \
                rooms share one connection. prior-knowledge: HTTP/2 over ws:// too (h2c), for a local iopd \
                or a proxy that speaks it. off: HTTP/1.1 only.
                """))
    var http2 = HTTP2ClientMode.negotiate

    func run() throws {
        let joins: [RoomJoin]
        switch resolve() {
        case .success(let resolved): joins = resolved
        case .failure(let failure):
            FileOutput.standardError.write("iop: \(failure.description)")
            throw ExitCode(failure.exitStatus)
        }
        if insecure {
            FileOutput.standardError.write(
                "iop: WARNING: --insecure: the server's certificate is NOT checked. Anyone on the network path "
                    + "can read and change this session. Use it only with a local test server.")
        }
        var options = RoomConnectionOptions()
        options.attemptsBeforeFirstConnection = max(1, attempts)
        if Terminal.isInteractive && !line && !json {
            options.pingInterval = .seconds(10)  // keeps the status line's round-trip time current
            throw ExitCode(TerminalApp(rooms: joins, options: options).run())
        }
        let session = LineSession(rooms: joins, options: options, json: json)
        throw ExitCode(session.run())
    }
}

extension Join {
    /// Each room's address and token, or why they cannot be had. Several rooms are
    /// checked whole before anything connects: distinct, at most 9, a facilitator's
    /// token for each.
    func resolve() -> Result<[RoomJoin], ClientFailure> {
        Result { () throws(ClientFailure) in
            guard let first = rooms.first else { throw .invalidRoom("") }
            var addresses: [ServerAddress] = []
            for room in rooms {
                var address = try ServerAddress(url: server, room: room, trustedCAFile: caFile)
                if insecure {
                    guard address.tls != nil else { throw .invalidAddress("\(server) (--insecure is for wss:// only)") }
                    address.tls = .insecureSkipVerification
                }
                address.http2 = http2
                addresses.append(address)
            }
            guard rooms.count > 1 else {
                let token = try TokenSource(option: token, file: singleTokenFile(room: first)).resolve()
                return [RoomJoin(address: addresses[0], token: token)]
            }
            let tokens = RoomTokens(rooms: rooms, files: tokenFile, directory: tokenDir)
            try tokens.checkRooms()
            if token != nil { throw .severalRooms("--token", .singleTokenOption) }
            return zip(addresses, try tokens.resolve()).map { RoomJoin(address: $0, token: $1) }
        }
    }

    /// The one room's token file: `--token-file FILE` (the last one given; `ROOM=FILE`
    /// is accepted too), else `FOLDER/ROOM.token` with `--token-dir`.
    func singleTokenFile(room: String) -> String? {
        guard let file = tokenFile.last else { return tokenDir.map { "\($0)/\(room).token" } }
        let prefix = room + "="
        if file.hasPrefix(prefix), access(file, F_OK) != 0 { return String(file.dropFirst(prefix.count)) }
        return file
    }
}

/// `--http2 negotiate|prior-knowledge|off`.
extension HTTP2ClientMode: ExpressibleByArgument {}

IOP.main()
