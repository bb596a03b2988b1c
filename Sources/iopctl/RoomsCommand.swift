import ArgumentParser
import Foundation
import OperatorClient
import RoomProtocol

/// `iopctl rooms`: every room's load; with `--node`, every node's, as one cluster.
struct RoomsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rooms", abstract: "List the rooms with their load (members by role and state, messages).",
        discussion: """
            With --node (once per further node of a cluster), the rooms of --server and of every
            --node in one table, each row naming its node (server.nodeId): a room someone is in on
            a node is hosted there. --open leaves out the rooms nobody is in.
            """)

    @OptionGroup var admin: AdminOptions

    @Option(help: "Another node of the cluster (base URL), listed with --server; repeat for each.")
    var node: [String] = []

    @Flag(help: "Only the rooms someone is in (state open or in_session).")
    var open = false

    @Flag(help: "Print the server's JSON as is.")
    var json = false

    func run() async throws {
        try await reportingFailures {
            let client = try admin.client()
            if json {
                print(try await client.raw("/v1/admin/rooms"), terminator: "")
                return
            }
            var lists = [try await client.get("/v1/admin/rooms", as: AdminRoomList.self)]
            for server in node {
                let other = try AdminOptions.client(server: server, token: admin.bearer())
                lists.append(try await other.get("/v1/admin/rooms", as: AdminRoomList.self))
            }
            if open {
                for index in lists.indices { lists[index].rooms.removeAll { $0.state == "idle" } }
            }
            guard node.isEmpty, let list = lists.first else {
                for line in Self.clusterTable(lists) { print(line) }
                return
            }
            for line in TopView.table(list, rates: nil) { print(line) }
            if list.draining { print("(draining)") }
        }
    }

    /// One table of every node's rooms: a NODE column first (`?` for a node that does not say its id).
    static func clusterTable(_ lists: [AdminRoomList]) -> [String] {
        let names = lists.map { ($0.node ?? "?") + ($0.draining ? " (draining)" : "") }
        let width = max(6, (names.map(\.count).max() ?? 0) + 1)
        var lines: [String] = []
        for (list, name) in zip(lists, names) {
            let table = TopView.table(list, rates: nil)
            if lines.isEmpty, let header = table.first { lines.append(TopView.pad(["NODE", header], [width, 0])) }
            for row in table.dropFirst() { lines.append(TopView.pad([name, row], [width, 0])) }
        }
        return lines
    }
}

/// `iopctl room <id>`: one room's load and roster (member ids, roles, states; no aliases).
struct RoomCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "room", abstract: "Show one room's roster: member ids, roles and states, without content.")

    @Argument(help: "The room id.")
    var id: String

    @OptionGroup var admin: AdminOptions

    @Option(help: "Another node of the cluster (base URL): show the room where someone is in it; repeat.")
    var node: [String] = []

    @Flag(help: "Print the server's JSON as is.")
    var json = false

    func run() async throws {
        try await reportingFailures {
            let client = try admin.client()
            let path = "/v1/admin/rooms/\(id)"
            if json {
                print(try await client.raw(path), terminator: "")
                return
            }
            var detail = try await client.get(path, as: AdminRoomDetail.self)
            if !node.isEmpty {
                let hosts = try await ClusterNodes.hosting(id, among: ClusterNodes.clients(admin, nodes: node))
                print("node: \(hosts.map(\.server).joined(separator: ", ").nonEmpty ?? "none (nobody is in it)")")
                if let host = hosts.first { detail = host.detail }
            }
            for line in TopView.table(AdminRoomList(draining: false, rooms: [detail.room]), rates: nil) {
                print(line)
            }
            print("")
            print(TopView.pad(["MEMBER", "ROLE", "STATE", "MUTED", "TOKEN"], [24, 12, 16, 6, 0]))
            for entry in detail.roster {
                print(
                    TopView.pad(
                        [entry.member, entry.role, entry.state, entry.muted ? "yes" : "no", entry.tokenID ?? "-"],
                        [24, 12, 16, 6, 0]))
            }
            if detail.roster.isEmpty { print("(nobody present)") }
        }
    }
}

/// `iopctl close <id>`: ends a room's session (members get `session.ended` and 4003).
struct CloseRoomCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "close", abstract: "End a room's session now (audited with your operator id).")

    @Argument(help: "The room id.")
    var id: String

    @OptionGroup var admin: AdminOptions

    @Option(help: "Another node of the cluster (base URL): close the room where someone is in it; repeat.")
    var node: [String] = []

    func run() async throws {
        try await reportingFailures {
            guard !node.isEmpty else {
                _ = try await admin.client().post("/v1/admin/rooms/\(id)/close")
                print("closed \(id)")
                return
            }
            let clients = try ClusterNodes.clients(admin, nodes: node)
            let hosts = try await ClusterNodes.hosting(id, among: clients)
            guard !hosts.isEmpty else {
                throw AdminClientError(
                    status: 409, code: "no_session", message: "nobody is in \(id) on any of these nodes")
            }
            for host in hosts {
                let client = try AdminOptions.client(server: host.server, token: admin.bearer())
                _ = try await client.post("/v1/admin/rooms/\(id)/close")
                print("closed \(id) on \(host.server)")
            }
        }
    }
}

/// `iopctl drain`: starts a drain (as SIGTERM does).
struct DrainCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "drain",
        abstract: "Drain the server: refuse new members, tell rooms, let them finish, then exit.")

    @Option(
        help: ArgumentHelp(
            "Seconds rooms get to finish before their members are closed (default: the server's "
                + "server.drainGraceSeconds). 0 for a rolling restart: members move to another node at once.",
            valueName: "seconds"))
    var grace: Int?

    @OptionGroup var admin: AdminOptions

    func run() async throws {
        try await reportingFailures {
            let path = grace.map { "/v1/admin/drain?graceSeconds=\($0)" } ?? "/v1/admin/drain"
            let outcome = try await admin.client().post(path)
            let grace = Int(outcome.graceSeconds ?? 0)
            print(
                outcome.alreadyDraining == true
                    ? "already draining" : "draining: rooms have \(grace) s to finish, then the server exits")
        }
    }
}

/// `iopctl token revoke <jti>`: durable revocation through the admin API.
struct Revoke: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Revoke a token by its id (jti): refused from now on, its open connection closed (4006).",
        discussion:
            "The id is what `iopctl token issue --show-id` printed on stderr, or the TOKEN column of `iopctl room`.")

    @Argument(help: "The token id (jti).")
    var tokenID: String

    @OptionGroup var admin: AdminOptions

    func run() async throws {
        try await reportingFailures {
            let outcome = try await admin.client().post("/v1/admin/tokens/\(tokenID)/revoke")
            let closed = outcome.closedConnections ?? 0
            print(
                "revoked \(tokenID)\(outcome.alreadyRevoked == true ? " (already revoked)" : "");"
                    + " closed \(closed) connection\(closed == 1 ? "" : "s")")
        }
    }
}

extension String {
    /// Nil when empty.
    fileprivate var nonEmpty: String? { isEmpty ? nil : self }
}
