import Foundation
import RoomCore
import Testing

@testable import RoomProtocol

/// Drives a real RoomCore room through a short session and renders what goes over
/// the wire. `docs/PROTOCOL.md`'s example session was produced by this test
/// (run with `IOP_PRINT_EXAMPLE=1` to print it again).
@Suite("Example session")
struct ExampleSessionTests {
    static let start = Timestamp(millisecondsSinceEpoch: 1_764_000_000_000)
    static let facilitator = MemberIdentity(id: "f-81c2", alias: "Dana (facilitator)", role: .facilitator)
    static let participant = MemberIdentity(id: "p-4e07", alias: "River", role: .participant)

    static var configuration: RoomConfiguration {
        let breathing = Exercise(
            id: "box-breathing", name: "Box breathing",
            phases: Array(ExerciseCatalogue.boxBreathing.phases.prefix(2)))
        return RoomConfiguration(
            definition: RoomDefinition(id: "tue-evening", title: "Tuesday evening IOP", kind: .skills, capacity: 12),
            agreement: GroupAgreement(text: "What is said here stays here.", version: "2024-1"),
            checkInTemplates: [CheckInCatalogue.mood], exercises: [breathing],
            agenda: [AgendaItem(name: "Check-in", plannedDuration: .seconds(1200))])
    }

    /// One line of transcript: who, direction, the JSON text.
    struct Line {
        var who: String
        var arrow: String
        var text: String
    }

    static func transcript() -> [Line] {
        var room = Room(configuration: configuration, openedAt: start)
        var lines: [Line] = []
        var now = start
        var counter = 0
        let names: [MemberID: String] = [facilitator.id: "F", participant.id: "P"]

        func render(_ effects: [Effect]) {
            for effect in effects {
                switch effect {
                case .deliver(let delivery):
                    let who = delivery.recipients.compactMap { names[$0] }.joined(separator: ",")
                    lines.append(Line(who: who, arrow: "←", text: ServerMessageEncoder.event(delivery.envelope)))
                case .acknowledge(let id, let member):
                    lines.append(Line(who: names[member]!, arrow: "←", text: ServerMessageEncoder.acknowledgement(id)))
                case .refuse(let id, let member, let error):
                    lines.append(Line(who: names[member]!, arrow: "←", text: ServerMessageEncoder.refusal(id, error)))
                default: continue
                }
            }
        }
        func connect(_ identity: MemberIdentity, connection: UInt64) {
            lines.append(
                Line(
                    who: names[identity.id]!, arrow: "←",
                    text: ServerMessageEncoder.welcome(
                        member: identity.id, alias: identity.alias, role: identity.role, room: "tue-evening",
                        roomTitle: "Tuesday evening IOP")))
            render(room.memberConnected(identity, connection: ConnectionID(connection), at: now))
        }
        func send(_ identity: MemberIdentity, _ command: Command, after seconds: Int64 = 1) {
            now = now + .seconds(seconds)
            counter += 1
            let id = CommandID("\(names[identity.id]!.lowercased())\(counter)")
            let text = ClientMessageEncoder.encode(ClientEnvelope(id: id, command: command))
            lines.append(Line(who: names[identity.id]!, arrow: "→", text: text))
            let envelope = try! ClientMessageDecoder.decode(text).get()
            render(room.received(envelope.command, from: identity.id, id: envelope.id, at: now))
        }

        connect(facilitator, connection: 1)
        now = now + .seconds(30)
        connect(participant, connection: 2)
        send(participant, .acceptAgreement(version: "2024-1"))
        send(facilitator, .admit(participant.id), after: 5)
        send(facilitator, .startCheckIn(templateID: "mood", timeout: .seconds(300)))
        send(participant, .answerCheckIn(CheckInAnswer(["mood": .score(6), "word": .text("hopeful")])), after: 20)
        send(facilitator, .closeCheckIn, after: 10)
        send(participant, .sendChat(ConfidentialText("Glad to be here tonight.")))
        send(facilitator, .startExercise(exerciseID: "box-breathing"), after: 30)
        now = now + .seconds(4)
        render(room.timerFired(.exercisePhase(run: 1, phase: 0), at: now))
        now = now + .seconds(4)
        render(room.timerFired(.exercisePhase(run: 1, phase: 1), at: now))
        send(participant, .crisisAlert, after: 60)
        send(facilitator, .acknowledgeCrisis(AlertID(1)), after: 5)
        send(participant, .raiseHand, after: 1)
        send(participant, .sendChat(ConfidentialText("Me again")), after: 1)
        send(facilitator, .mute(participant.id))
        send(participant, .sendChat(ConfidentialText("Am I muted?")))
        send(facilitator, .endSession, after: 120)
        return lines
    }

    @Test("every line of the example session decodes on the receiving side")
    func exampleDecodes() throws {
        let lines = Self.transcript()
        if ProcessInfo.processInfo.environment["IOP_PRINT_EXAMPLE"] != nil {
            print(
                lines.map { "\($0.who.padding(toLength: 3, withPad: " ", startingAt: 0)) \($0.arrow) \($0.text)" }
                    .joined(separator: "\n"))
        }
        #expect(lines.count > 30)
        for line in lines {
            if line.arrow == "→" {
                #expect(throws: Never.self) { try ClientMessageDecoder.decode(line.text).get() }
            } else {
                #expect(throws: Never.self) { try ServerMessage.decode(line.text).get() }
            }
        }
    }
}
