import ArgumentParser
import Dispatch
import Foundation
import RoomProtocol

#if canImport(Glibc)
    import Glibc
#endif

/// `iopctl top`: a live view of rooms, members, message rates and fan-out
/// latency, and of each event loop's load, refreshed every second. Full
/// screen (the terminal's alternate screen, restored on exit and on Ctrl-C)
/// when stdout is a terminal; one block of lines per refresh otherwise, or
/// with `--once`.
struct TopCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "top", abstract: "Watch rooms, members, message rates, latency and loop load live (Ctrl-C quits).")

    @OptionGroup var admin: AdminOptions

    @Flag(help: "Print one block of lines and exit.")
    var once = false

    @Option(help: "Seconds between refreshes.")
    var interval = 1.0

    @Option(help: "Stop after this many refreshes (default: until Ctrl-C).")
    var iterations: Int?

    func validate() throws {
        guard interval >= 0.1, interval <= 3600 else { throw ValidationError("--interval must be 0.1 to 3600") }
        if let iterations, iterations < 1 { throw ValidationError("--iterations must be at least 1") }
    }

    func run() async throws {
        let client = try admin.client()
        let fullScreen = !once && isatty(STDOUT_FILENO) == 1
        let screen = fullScreen ? AlternateScreen() : nil
        defer { screen?.leave() }
        var previous: (list: AdminRoomList, at: Date)?
        var refreshes = 0
        while true {
            let list: AdminRoomList
            do {
                list = try await client.get("/v1/admin/rooms", as: AdminRoomList.self)
            } catch let error as AdminClientError {
                screen?.leave()
                FileHandle.standardError.write(Data("iopctl: \(error)\n".utf8))
                throw ExitCode.failure
            }
            let now = Date()
            let elapsed = previous.map { now.timeIntervalSince($0.at) } ?? 0
            let rates = RoomRates.between(previous?.list, list, elapsed: elapsed)
            let loads = RoomRates.loopLoads(previous?.list, list, elapsed: elapsed)
            let lines = TopView.screen(list, rates: rates, loopLoads: loads, server: admin.server, at: now)
            if let screen {
                screen.draw(lines)
            } else {
                FileHandle.standardOutput.write(Data((lines.joined(separator: "\n") + "\n\n").utf8))
            }
            refreshes += 1
            if once || refreshes == iterations { return }
            previous = (list, now)
            try await Task.sleep(for: .milliseconds(Int(interval * 1000)))
        }
    }
}

/// The terminal's alternate screen with the cursor hidden, left again on
/// `leave`, on Ctrl-C (SIGINT) and on SIGTERM, so the operator's shell comes
/// back as it was.
final class AlternateScreen: @unchecked Sendable {
    // `sources` is set once in `init`; `left` is only read and written under `lock`.
    private var sources: [any DispatchSourceSignal] = []
    private let lock = NSLock()
    private var left = false

    init() {
        write("\u{1B}[?1049h\u{1B}[?25l")
        for number in [SIGINT, SIGTERM] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [self] in
                leave()
                exit(0)
            }
            source.resume()
            sources.append(source)
        }
    }

    /// Clears the screen and draws `lines` from the top-left corner.
    func draw(_ lines: [String]) {
        write("\u{1B}[H\u{1B}[2J" + lines.joined(separator: "\r\n") + "\r\n")
    }

    /// Shows the cursor and returns to the normal screen (once).
    func leave() {
        let first = lock.withLock {
            defer { left = true }
            return !left
        }
        if first { write("\u{1B}[?25h\u{1B}[?1049l") }
    }

    private func write(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }
}
