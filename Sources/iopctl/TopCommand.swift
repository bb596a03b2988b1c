import ArgumentParser
import Foundation
import OperatorClient
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

    @Option(help: "Another node of the cluster (base URL): its rooms someone is in join the view as NODE/ROOM; repeat.")
    var node: [String] = []

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
        let clients = try ClusterNodes.clients(admin, nodes: node).map(\.client)
        let fullScreen = !once && isatty(STDOUT_FILENO) == 1
        let screen = fullScreen ? AlternateScreen() : nil
        defer { screen?.leave() }
        var previous: (list: AdminRoomList, at: Date)?
        var refreshes = 0
        while true {
            let list: AdminRoomList
            do {
                var lists: [AdminRoomList] = []
                for client in clients { lists.append(try await client.get("/v1/admin/rooms", as: AdminRoomList.self)) }
                list = Self.cluster(lists)
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

    /// One node's list as it is; several nodes' as one: the rooms someone is in, named
    /// `node/room`, and every node's event loops one after the other.
    static func cluster(_ lists: [AdminRoomList]) -> AdminRoomList {
        guard lists.count > 1 else { return lists.first ?? AdminRoomList(draining: false, rooms: []) }
        let rooms = lists.flatMap { list in
            list.rooms.filter { $0.state != "idle" }.map { room in
                var named = room
                named.id = "\(list.node ?? "?")/\(room.id)"
                return named
            }
        }
        return AdminRoomList(
            draining: lists.contains { $0.draining }, rooms: rooms,
            loopBusySeconds: lists.flatMap { $0.loopBusySeconds ?? [] })
    }
}
