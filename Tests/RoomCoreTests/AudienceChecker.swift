import RoomCore
import Testing

/// The audience rules, checked against the member states before and after one input.
struct AudienceChecker {
    let room: Simulated
    let before: [MemberID: MemberStatus]
    let after: [MemberID: MemberStatus]
    /// Sequence numbers above this are fresh; at or below, a replay.
    let freshAfter: SequenceNumber
    let context: String
    /// Each member's breakout group (participants) or visited group (facilitators), before and after.
    var groupsBefore: [MemberID: Int] = [:]
    var groupsAfter: [MemberID: Int] = [:]

    /// Checks every effect; returns how many deliveries were checked.
    func check(_ effects: [Effect]) -> Int {
        #expect(!String(describing: effects).contains("secret-"), "content printed in effects: \(context)")
        #expect(!String(reflecting: effects).contains("secret-"), "content in debug output: \(context)")
        var count = 0
        for case .deliver(let delivery) in effects {
            check(delivery)
            count += 1
        }
        if room.harness.room.isEnded { #expect(room.harness.room.memberIDs.isEmpty, "not purged: \(context)") }
        return count
    }

    private func role(_ member: MemberID) -> Role? {
        (before[member] ?? after[member])?.identity.role
    }

    private func check(_ delivery: Delivery) {
        let event = delivery.envelope.event
        let fresh = delivery.envelope.sequence > freshAfter
        let where_ = "\(context) seq \(delivery.envelope.sequence) event \(event)"
        #expect(!delivery.recipients.isEmpty, "empty delivery: \(where_)")
        if !fresh {
            #expect(delivery.recipients.count == 1, "replay to several: \(where_)")
            if let original = room.firstDelivery[delivery.envelope.sequence], original != event {
                #expect(event.isWithdrawal, "replay differs from the original: \(where_)")
            }
        }
        if case .message(let message) = event {
            #expect(!room.withdrawn.contains(message.id), "withdrawn message delivered again: \(where_)")
        }
        for member in delivery.recipients {
            #expect(room.universe.contains(member), "recipient from another room: \(member) \(where_)")
            #expect(before[member] != nil || after[member] != nil, "recipient not present: \(member) \(where_)")
            #expect(!(before[member] == nil && room.harness.room.isBanned(member)), "banned: \(member) \(where_)")
            checkIdentityRules(event, member, where_)
            if fresh { checkStateRules(event, member, where_) }
        }
    }

    /// Rules that hold whenever the event was produced: who may ever see it.
    private func checkIdentityRules(_ event: RoomEvent, _ member: MemberID, _ where_: String) {
        let isFacilitator = role(member) == .facilitator
        switch event {
        case .waitingRoom, .lockChanged, .crisisAlertRaised, .checkInProgress, .agendaTimeUp, .pollProgress, .balance:
            #expect(isFacilitator, "facilitator-only event reached \(member): \(where_)")
        case .pollClosed(let results):
            if room.pollAudience[results.poll] == .facilitators, results.counts != nil {
                #expect(isFacilitator, "facilitators' poll results reached \(member): \(where_)")
            }
        case .cueChanged(let change):
            if room.harness.room.configuration.definition.policy.cues == .facilitatorsOnly {
                #expect(isFacilitator || member == change.member, "a cue reached \(member): \(where_)")
            }
        case .reactions(let tally):
            if room.harness.room.configuration.definition.policy.reactions != .named {
                let named = tally.counts.contains { !$0.aliases.isEmpty }
                #expect(!named, "reactors named: \(where_)")
            }
        case .message(let message):
            switch message.scope {
            case .backChannel: #expect(isFacilitator, "back-channel reached \(member): \(where_)")
            case .toFacilitators: #expect(isFacilitator || member == message.from, "\(member): \(where_)")
            case .direct(let to): #expect(member == to || member == message.from, "\(member): \(where_)")
            case .sideRoom(let participant):
                #expect(member == participant || isFacilitator, "side room reached \(member): \(where_)")
            case .group, .breakout, .breakoutBroadcast: break
            }
        case .checkInResponse(let response):
            if room.roundVisibility[response.round] == .facilitatorsOnly {
                #expect(isFacilitator || member == response.member, "private answer reached \(member): \(where_)")
            }
        case .checkInClosed(let summary):
            if room.roundVisibility[summary.round] == .facilitatorsOnly, summary.distribution != nil {
                #expect(isFacilitator, "private distribution reached \(member): \(where_)")
            }
        case .crisisAlertReceived(let alert, _):
            #expect(room.alertOwners[alert] == member, "alert receipt reached \(member): \(where_)")
        case .crisisAlertAcknowledged(let ack):
            #expect(isFacilitator || ack.member == member, "alert ack reached \(member): \(where_)")
        case .cardFields(let fields):
            for value in fields.values where value.utf8Count > 0 {
                let author = room.fieldAuthors[value.revealed]?.contains(member) == true
                #expect(author, "a field reached \(member): \(where_)")
            }
        case .cardShared(let share):
            #expect(isFacilitator || member == share.member, "a shared card reached \(member): \(where_)")
            for value in share.values where value.utf8Count > 0 {
                #expect(room.fieldAuthors[value.revealed]?.contains(share.member) == true, "\(where_)")
            }
        case .breakout(let status):
            checkBreakoutStatus(status, member, where_)
        case .roster(let roster):
            if !isFacilitator { #expect(!roster.entries.contains { $0.presence == .inSideRoom }, "\(where_)") }
        case .snapshot(let snapshot):
            #expect(snapshot.you == member, "someone else's snapshot: \(where_)")
            if !isFacilitator {
                #expect(snapshot.waiting.isEmpty && snapshot.openAlerts.isEmpty, "\(where_)")
                #expect(snapshot.sideRooms.allSatisfy { $0.participant == member }, "\(where_)")
            }
        default:
            break
        }
    }

    /// Rules about the member's state at the moment a fresh event is produced.
    private func checkStateRules(_ event: RoomEvent, _ member: MemberID, _ where_: String) {
        let stage = after[member]?.stage ?? before[member]?.stage
        switch event {
        case .agreementRequired, .waitingForAdmission:
            #expect(stage != .admitted, "admission event to admitted \(member): \(where_)")
        case .sessionEnded, .crisisAlertReceived, .crisisAlertAcknowledged:
            break
        default:
            #expect(
                stage == .admitted, "room event reached unadmitted \(member) (\(String(describing: stage))): \(where_)")
        }
        let inSideRoom = before[member]?.sideRoomHost != nil && after[member]?.sideRoomHost != nil
        switch event {
        case .message(let message) where message.scope.breakoutGroupNumber != nil:
            checkBreakoutMessage(of: message.scope.breakoutGroupNumber ?? 0, reached: member, where_)
        case .message(let message) where message.scope == .group:
            #expect(!inSideRoom, "group chat reached \(member) in a side room: \(where_)")
        case .exercise, .checkInStarted, .checkInResponse, .chatPauseChanged, .pollOpened, .reactions, .cardShown:
            #expect(!inSideRoom, "group activity reached \(member) in a side room: \(where_)")
        default:
            break
        }
    }
}

extension RoomEvent {
    /// Whether this is what a withdrawn message becomes in the replay buffer.
    var isWithdrawal: Bool {
        switch self {
        case .messageRemoved, .backlog: true
        default: false
        }
    }
}
