import ArgumentParser
import BenchSupport
import Dispatch
import Glibc
import SocketTransport

/// `echo-bench`: a load generator for the `/echo` endpoint, built on our own
/// client. Loopback only; every wait is bounded.
struct EchoBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "echo-bench",
        abstract: "Load generator for iopd's /echo endpoint (loopback only).",
        subcommands: [EchoCommand.self, IdleCommand.self])
}

/// Options both modes share.
struct CommonOptions: ParsableArguments {
    @Option(help: "Server address; loopback only (127.0.0.0/8, ::1, localhost).")
    var host = "127.0.0.1"

    @Option(help: "Server port.")
    var port: Int

    @Option(help: "Request path.")
    var path = "/echo"

    @Option(help: "Server process id: its CPU time, memory and threads are read from /proc.")
    var serverPid: Int32?

    @Option(help: "Event loops of the bench (default: the CPUs it may run on, e.g. 1 under taskset -c 1).")
    var loops: Int?

    @Option(help: "Most handshakes in flight at once, so the server's accept backlog is not flooded.")
    var connectWindow = 1000

    @Option(help: "Give up after this many seconds: print what was measured and exit 1.")
    var maxSeconds: Double = 120

    @Flag(help: "Print one JSON object instead of one figure per line.")
    var json = false

    @Option(help: "Connect with wss://, verifying the server against this CA file (PEM).")
    var tlsCa: String?

    func validate() throws {
        let loopback = host == "localhost" || host == "::1" || host.hasPrefix("127.")
        guard loopback else { throw ValidationError("--host must be a loopback address, got \(host)") }
        guard (1...65535).contains(port) else { throw ValidationError("--port must be 1...65535") }
        guard (1...3600).contains(maxSeconds) else { throw ValidationError("--max-seconds must be 1...3600") }
        guard (1...64).contains(loops ?? 1) else { throw ValidationError("--loops must be 1...64") }
        guard (1...60_000).contains(connectWindow) else { throw ValidationError("--connect-window must be 1...60000") }
        if let serverPid, !ProcessProbe.exists(pid: serverPid) {
            throw ValidationError("no process with id \(serverPid)")
        }
    }

    /// The loops to use.
    var loopCount: Int { loops ?? ProcessProbe.allowedCPUCount() }

    /// The request every connection makes.
    var request: WebSocketClientRequest {
        WebSocketClientRequest(
            host: host, port: port, path: path, tls: tlsCa.map { TLSClientConfiguration(trustedCAFile: $0) })
    }

    /// Raises the open-file limit for `connections` sockets, or fails.
    func prepareFileLimit(connections: Int) throws {
        let needed = connections + 64
        let limit = ProcessProbe.raiseOpenFileLimit(to: needed)
        guard limit >= needed else {
            throw ValidationError("RLIMIT_NOFILE is \(limit), \(needed) needed (raise the hard limit: ulimit -Hn)")
        }
    }

    /// The server's status, if a pid was given.
    func serverStatus() -> ProcessProbe.Status? {
        serverPid.flatMap { ProcessProbe.status(pid: $0) }
    }

    /// The server's CPU seconds, if a pid was given.
    func serverCPU() -> Double? {
        serverPid.flatMap { ProcessProbe.cpuSeconds(pid: $0) }
    }
}

extension Report {
    /// The connection phase's figures.
    mutating func addConnectFigures(control: RunControl, total: Int, startedAt: UInt64) {
        let opened = control.opened.load(ordering: .relaxed)
        let failed = control.failed.load(ordering: .relaxed)
        add("connections_opened", .integer(opened), "connections opened: \(opened) of \(total)")
        add("connections_failed", .integer(failed), "connections failed: \(failed)")
        let doneAt = control.allConnectedAt.load(ordering: .relaxed)
        if doneAt != 0 {
            let seconds = Double(doneAt - startedAt) / 1e9
            add("connect_seconds", .number(seconds), "connect all: \(formatted(seconds, decimals: 3)) s")
        } else {
            add("connect_seconds", .string("incomplete"), "connect all: incomplete")
        }
    }

    /// Why handshakes failed, if any did (one field, most frequent first).
    mutating func addFailures(_ failures: [String: Int]) {
        guard !failures.isEmpty else { return }
        let text = failures.sorted { $0.value > $1.value }.map { "\($0.value)× \($0.key)" }.joined(separator: "; ")
        add("failures", .string(text), "failures: \(text)")
    }
}
