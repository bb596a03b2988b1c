import ServerTestSupport

@testable import RoomServer

extension ServerHarness {
    /// Two whole servers in this process on one fresh PostgreSQL database, as nodes
    /// `node-a` and `node-b` of a cluster, sharing one signing secret (a token of one
    /// is good on the other); nil without a test PostgreSQL. The caller stops both.
    static func twoNodesOnPostgreSQL() async throws -> (ServerHarness, ServerHarness)? {
        guard var settings = try RecordBackends.settings(on: .postgresql) else { return nil }
        settings.authSecret = "one-secret-shared-by-both-test-nodes-of-32-bytes"
        settings.nodeID = "node-a"
        let nodeA = try await ServerHarness(settings: settings)
        settings.nodeID = "node-b"
        do {
            return (nodeA, try await ServerHarness(settings: settings))
        } catch {
            nodeA.stop()
            throw error
        }
    }
}
