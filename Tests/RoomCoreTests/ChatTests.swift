import RoomCore
import Testing

@Suite("Chat, private messages, redaction and confidentiality")
struct ChatTests {
    @Test func groupChatReachesExactlyTheAdmittedMembers() {
        var h = Harness.session(["p1", "p2"])
        h.connect("p3")  // not agreed
        h.connect("p4")
        h.send(.acceptAgreement(version: "2024-1"), from: "p4")  // waiting
        h.advance(.milliseconds(1500))
        let sequence = h.room.currentSequence
        let command = h.nextCommandID
        let effects = h.send(.sendChat(text("I had a hard week")), from: "p1")
        let message = ChatMessage(
            id: MessageID(1), from: "p1", alias: "P1", role: .participant, scope: .group,
            text: text("I had a hard week"), sentAt: h.now)
        #expect(
            effects == [
                .acknowledge(command, to: "p1"),
                .deliver(
                    Delivery(
                        envelope: EventEnvelope(sequence: sequence + 1, time: h.now, event: .message(message)),
                        recipients: ["f1", "p1", "p2"], ownCopy: OwnCopy(member: "p1", command: command))),
            ])
    }

    @Test func maximumLengthIsEnforcedExactlyAndEmptyIsRefused() {
        var h = Harness.session(["p1"], policy: RoomPolicy(maximumMessageLength: 10))
        #expect(h.send(.sendChat(text("0123456789")), from: "p1").refusals.isEmpty)
        #expect(h.send(.sendChat(text("0123456789A")), from: "p1").refusals == [.messageTooLong])
        #expect(h.send(.sendChat(text("é👍🏽é👍🏽é👍🏽é👍🏽é👍🏽")), from: "p1").refusals.isEmpty)
        #expect(h.send(.sendChat(text("  \n ")), from: "p1").refusals == [.emptyMessage])
        #expect(h.send(.messageFacilitators(text("0123456789AB")), from: "p1").refusals == [.messageTooLong])
    }

    @Test func privateMessageToFacilitatorsReachesAllFacilitatorsAndTheSenderOnly() {
        var h = Harness.session(["p1", "p2"])
        h.connect("f2")
        let effects = h.send(.messageFacilitators(text("can we talk after")), from: "p1")
        #expect(effects.deliveries.map(\.recipients) == [["f1", "p1", "f2"]])
        #expect(effects.deliveries.first?.envelope.event.chat?.scope == .toFacilitators)
    }

    @Test func facilitatorWhisperReachesOneParticipant() {
        var h = Harness.session(["p1", "p2"])
        let effects = h.send(.privateMessage(to: "p2", text("are you ok?")), from: "f1")
        #expect(effects.deliveries.map(\.recipients) == [["f1", "p2"]])
        #expect(
            h.send(.privateMessage(to: "f1", text("yes thanks")), from: "p2").deliveries.map(\.recipients) == [
                ["f1", "p2"]
            ])
        #expect(h.send(.privateMessage(to: "f1", text("me")), from: "f1").refusals == [.invalidTarget])
        #expect(h.send(.privateMessage(to: "ghost", text("x")), from: "f1").refusals == [.unknownMember])
    }

    @Test func participantToParticipantPrivateMessagesFollowThePolicy() {
        var off = Harness.session(["p1", "p2"])
        #expect(off.send(.privateMessage(to: "p2", text("hey")), from: "p1").refusals == [.privateMessagesDisabled])

        var on = Harness.session(["p1", "p2", "p3"], policy: RoomPolicy(participantPrivateMessages: true))
        #expect(
            on.send(.privateMessage(to: "p2", text("hey")), from: "p1").deliveries.map(\.recipients) == [["p1", "p2"]])
        on.send(.mute("p1"), from: "f1")
        #expect(on.send(.privateMessage(to: "p2", text("hey")), from: "p1").refusals == [.muted])
    }

    @Test func mutedAndPausedParticipantsCannotPostButCanReachFacilitators() {
        var h = Harness.session(["p1", "p2"])
        h.send(.mute("p1"), from: "f1")
        #expect(h.send(.sendChat(text("x")), from: "p1").refusals == [.muted])
        #expect(h.send(.messageFacilitators(text("help")), from: "p1").refusals.isEmpty)
        let pause = h.send(.pauseChat, from: "f1")
        #expect(pause.deliveries.map(\.recipients) == [["f1", "p1", "p2"]])
        #expect(pause.events(to: "p2") == [.chatPauseChanged(paused: true)])
        #expect(h.send(.sendChat(text("x")), from: "p2").refusals == [.chatPaused])
        #expect(h.send(.sendChat(text("facilitators may still post")), from: "f1").refusals.isEmpty)
        h.send(.resumeChat, from: "f1")
        #expect(h.send(.sendChat(text("x")), from: "p2").refusals.isEmpty)
    }

    @Test func lateJoinersSeeNoBacklogByDefault() {
        var h = Harness.session(["p1"])
        h.send(.sendChat(text("before you came")), from: "p1")
        let joined = h.join("p2")
        #expect(!joined.events(to: "p2").contains { if case .backlog = $0 { true } else { false } })
    }

    @Test func lateJoinersSeeBacklogWhenPolicyAllowsButNeverPrivateOrRedacted() {
        var h = Harness.session(["p1"], policy: RoomPolicy(lateJoinersSeeBacklog: true))
        h.send(.sendChat(text("one")), from: "p1")
        h.send(.sendChat(text("two")), from: "p1")
        h.send(.messageFacilitators(text("private")), from: "p1")
        h.send(.redactMessage(MessageID(2)), from: "f1")
        let joined = h.join("p2")
        let backlog = joined.events(to: "p2").compactMap { if case .backlog(let m) = $0 { m } else { nil } }
        #expect(backlog.map { $0.map(\.id) } == [[MessageID(1)]])
    }

    @Test func authorDeletesOwnMessageOnly() {
        var h = Harness.session(["p1", "p2"])
        h.send(.sendChat(text("oops")), from: "p1")
        #expect(h.send(.deleteMessage(MessageID(1)), from: "p2").refusals == [.notPermitted])
        let deleted = h.send(.deleteMessage(MessageID(1)), from: "p1")
        #expect(deleted.deliveries.map(\.recipients) == [["f1", "p1", "p2"]])
        #expect(deleted.events(to: "p2") == [.messageRemoved(MessageRemoval(message: MessageID(1), reason: .deleted))])
        #expect(deleted.moderation.map(\.action) == [.messageDeleted])
        #expect(h.send(.deleteMessage(MessageID(1)), from: "p1").refusals == [.unknownMessage])
    }

    @Test func facilitatorRedactsButCannotSeeParticipantPrivateMessages() {
        var h = Harness.session(["p1", "p2"], policy: RoomPolicy(participantPrivateMessages: true))
        h.send(.sendChat(text("something hurtful")), from: "p1")
        h.send(.privateMessage(to: "p2", text("just us")), from: "p1")
        let redacted = h.send(.redactMessage(MessageID(1)), from: "f1")
        #expect(
            redacted.events(to: "p2") == [.messageRemoved(MessageRemoval(message: MessageID(1), reason: .redacted))])
        #expect(
            redacted.moderation == [
                ModerationRecord(
                    actor: "f1", action: .messageRedacted, target: "p1", message: MessageID(1), alert: nil, at: h.now)
            ])
        #expect(h.send(.redactMessage(MessageID(2)), from: "f1").refusals == [.unknownMessage])
        #expect(h.send(.redactMessage(MessageID(1)), from: "p2").refusals == [.notPermitted])
    }

    @Test func confidentialTextNeverPrintsItsContent() {
        let canary = "CANARY-7f3a-secret"
        let secret = ConfidentialText(canary)
        #expect(secret.description == "<redacted 18 bytes>")
        #expect("\(secret)" == "<redacted 18 bytes>")
        #expect(String(reflecting: secret) == "<redacted 18 bytes>")
        var dumped = ""
        dump(secret, to: &dumped)
        #expect(!dumped.contains(canary))

        var h = Harness.session(["p1"])
        let effects = h.send(.sendChat(secret), from: "p1") + h.send(.redactMessage(MessageID(1)), from: "f1")
        #expect(!String(describing: effects).contains(canary))
        #expect(!String(reflecting: effects).contains(canary))
        #expect(!String(describing: effects.records).contains("CANARY"))
        #expect(effects.deliveries.first?.envelope.event.chat?.text.revealed == canary)
    }
}
