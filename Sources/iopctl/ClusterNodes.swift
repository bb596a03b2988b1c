import ArgumentParser
import OperatorClient
import RoomProtocol

/// The nodes of a cluster a room command looks at: `--server` and every
/// `--node`. A room is hosted where someone is in it (HAProxy sends all of a
/// room's members to one node); everywhere else it is idle.
enum ClusterNodes {
    /// A client for `--server`, then one for each of `nodes`, with the same operator token.
    static func clients(_ admin: AdminOptions, nodes: [String]) throws -> [(server: String, client: AdminClient)] {
        let token = try admin.bearer()
        return try ([admin.server] + nodes).map { ($0, try AdminOptions.client(server: $0, token: token)) }
    }

    /// Room `id` on every node where someone is in it; none when it is idle everywhere.
    static func hosting(_ id: String, among clients: [(server: String, client: AdminClient)]) async throws
        -> [(server: String, detail: AdminRoomDetail)]
    {
        var found: [(server: String, detail: AdminRoomDetail)] = []
        for (server, client) in clients {
            let detail = try await client.get("/v1/admin/rooms/\(id)", as: AdminRoomDetail.self)
            if detail.room.state != "idle" { found.append((server, detail)) }
        }
        return found
    }
}
