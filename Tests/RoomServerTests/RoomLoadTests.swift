import RoomCore
import Testing

@testable import RoomServer

/// The load a room publishes for gauges and the admin API: every role and
/// state counted, reconnecting before stepped out, nothing once ended.
@Suite struct RoomLoadTests {
    private let start = Timestamp(millisecondsSinceEpoch: 1_704_067_200_000)
    private var lastCommand = 0

    private static func identity(_ id: String) -> MemberIdentity {
        MemberIdentity(id: MemberID(id), alias: id.uppercased(), role: id.hasPrefix("f") ? .facilitator : .participant)
    }

    private mutating func send(_ command: Command, from member: String, to room: inout Room) {
        lastCommand += 1
        let effects = room.received(command, from: MemberID(member), id: CommandID("c\(lastCommand)"), at: start)
        if case .refuse(_, _, let error)? = effects.first { Issue.record("\(command) refused: \(error)") }
    }

    @Test mutating func countsEveryRoleAndState() {
        var room = Room(
            configuration: RoomConfiguration(
                definition: RoomDefinition(
                    id: "room-a", title: "Group", kind: .process, capacity: 15, policy: RoomPolicy())), openedAt: start)
        #expect(RoomLoad(of: room, openCrisisAlerts: 0) == RoomLoad())
        for (index, id) in ["f1", "f2", "p1", "p2", "p3", "p4", "p5"].enumerated() {
            _ = room.memberConnected(
                Self.identity(id), connection: ConnectionID(UInt64(index + 1)), lastSequence: nil, at: start)
        }
        let version = room.configuration.agreement.version
        for id in ["p2", "p3", "p4", "p5"] { send(.acceptAgreement(version: version), from: id, to: &room) }
        for id in ["p3", "p4", "p5"] { send(.admit(MemberID(id)), from: "f1", to: &room) }
        send(.stepOut, from: "p4", to: &room)
        _ = room.memberDisconnected("p5", connection: ConnectionID(7), cause: .connectionLost, at: start)
        _ = room.memberDisconnected("f2", connection: ConnectionID(2), cause: .connectionLost, at: start)

        let load = RoomLoad(of: room, openCrisisAlerts: 2)
        #expect(load.isOpen)
        #expect(load.inSession)
        #expect(load.openCrisisAlerts == 2)
        #expect(
            load.members == [
                MemberLoadKey(role: .facilitator, state: .admitted): 1,
                MemberLoadKey(role: .facilitator, state: .reconnecting): 1,
                MemberLoadKey(role: .participant, state: .needsAgreement): 1,
                MemberLoadKey(role: .participant, state: .waiting): 1,
                MemberLoadKey(role: .participant, state: .admitted): 1,
                MemberLoadKey(role: .participant, state: .away): 1,
                MemberLoadKey(role: .participant, state: .reconnecting): 1,
            ])

        send(.endSession, from: "f1", to: &room)
        #expect(RoomLoad(of: room, openCrisisAlerts: 2) == RoomLoad())
    }

    @Test func aFacilitatorAloneIsOpenButNotInSession() {
        var room = Room(
            configuration: RoomConfiguration(
                definition: RoomDefinition(
                    id: "room-a", title: "Group", kind: .process, capacity: 15, policy: RoomPolicy())), openedAt: start)
        _ = room.memberConnected(Self.identity("f1"), connection: ConnectionID(1), lastSequence: nil, at: start)
        let load = RoomLoad(of: room, openCrisisAlerts: 0)
        #expect(load.isOpen && !load.inSession)
        #expect(load.members == [MemberLoadKey(role: .facilitator, state: .admitted): 1])
    }
}
