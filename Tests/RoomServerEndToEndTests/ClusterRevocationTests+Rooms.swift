import Foundation
import RoomCore
import ServerTestSupport
import Testing
import TransportTestSupport

@testable import RoomServer

/// Rooms and programs changed through one node's admin API reach the other node
/// at once (the same change feed as revocations): HAProxy may send a room's
/// members to either node, so both must know the room and its roster.
extension ClusterRevocationTests {
    /// Two nodes on one PostgreSQL database, both change feeds listening.
    func twoNodes() async throws -> (ServerHarness, ServerHarness)? {
        guard let (nodeA, nodeB) = try await ServerHarness.twoNodesOnPostgreSQL() else { return nil }
        try await waitUntil("both feeds listen") {
            nodeA.application.changeFeed?.isListening == true && nodeB.application.changeFeed?.isListening == true
        }
        return (nodeA, nodeB)
    }

    @Test func aRoomCreatedOnOneNodeIsJoinableOnTheOther() async throws {
        guard let (nodeA, nodeB) = try await twoNodes() else { return }
        defer {
            nodeA.stop()
            nodeB.stop()
        }
        let adminA = AdminFixture(harness: nodeA)
        let operatorToken = try await adminA.token(member: "op-1")
        let created = try await adminA.request(
            "POST", "/v1/admin/rooms/late-group/create?room=\(RoomDefinitionTests.room(capacity: 12))",
            token: operatorToken)
        #expect(created.status == 200)
        try await waitUntil("node B hosts the new room") {
            nodeB.application.directory.host("late-group")?.configuration.definition.capacity == 12
        }
        let facilitator = try await RoomDefinitionTests.join(nodeB, AdminFixture(harness: nodeB), room: "late-group")
        try await AdminFixture(harness: nodeB).waitFor(facilitator, "room.snapshot")
        // A change made on node A while the room is in use on node B is refused: nothing changes anywhere.
        let changed = try await adminA.request(
            "POST", "/v1/admin/rooms/late-group/update?room=\(RoomDefinitionTests.room(capacity: 8))",
            token: operatorToken)
        #expect(changed.status == 409 && changed.body.contains("room_occupied"))
        #expect(nodeB.application.directory.host("late-group")?.configuration.definition.capacity == 12)
    }

    @Test func anEnrolmentOnOneNodeIsKnownOnTheOther() async throws {
        guard let (nodeA, nodeB) = try await twoNodes() else { return }
        defer {
            nodeA.stop()
            nodeB.stop()
        }
        let adminA = AdminFixture(harness: nodeA)
        let enrol = "/v1/admin/rooms/evening-process/enrol?member=m-42&enrolled=\(AdminProgramTests.today())"
        #expect(try await adminA.request("POST", enrol, token: adminA.token(member: "op-1")).status == 200)
        let programs = try #require(nodeB.application.programRegistry)
        try await waitUntil("node B knows the enrolment") {
            programs.isEnrolled("m-42", in: "evening-process", at: Date())
        }
    }
}
