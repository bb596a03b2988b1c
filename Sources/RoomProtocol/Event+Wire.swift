import RoomCore

/// The wire form of every RoomCore ``RoomEvent``: `{"type": …, …fields}`.
extension RoomEvent {
    /// Every event type of protocol v1, in documentation order.
    static let wireTypes: [String] = [
        "agreement.required", "admission.waiting", "waiting.room", "room.snapshot", "chat.backlog", "room.roster",
        "room.lock_changed", "chat.pause_changed", "chat.message", "chat.removed",
        "checkin.started", "checkin.response", "checkin.progress", "checkin.closed",
        "exercise.status", "exercise.ended",
        "crisis.raised", "crisis.received", "crisis.acknowledged",
        "agenda.changed", "agenda.time_up", "side_room.opened", "side_room.closed", "session.ended",
        "idle.warning", "poll.opened", "poll.progress", "poll.closed", "reaction.changed", "cue.changed",
        "breakout.status", "breakout.ended",
        "balance.report", "card.shown", "card.withdrawn", "card.fields", "card.shared",
        "absence.recorded",
    ]

    /// The `"type"` of this event and its fields.
    var wireForm: (type: String, fields: [(String, JSONValue)]) {
        switch self {
        case .agreementRequired(let agreement): ("agreement.required", agreement.wireFields)
        case .waitingForAdmission: ("admission.waiting", [])
        case .waitingRoom(let entries): ("waiting.room", [("waiting", entries.wireValue)])
        case .snapshot(let snapshot): ("room.snapshot", snapshot.wireFields)
        case .backlog(let messages): ("chat.backlog", [("messages", messages.wireValue)])
        case .roster(let roster): ("room.roster", roster.wireFields)
        case .lockChanged(let locked): ("room.lock_changed", [("locked", .bool(locked))])
        case .chatPauseChanged(let paused): ("chat.pause_changed", [("paused", .bool(paused))])
        case .message(let message): ("chat.message", message.wireFields)
        case .messageRemoved(let removal): ("chat.removed", removal.wireFields)
        case .checkInStarted(let info): ("checkin.started", info.wireFields)
        case .checkInResponse(let response): ("checkin.response", response.wireFields)
        case .checkInProgress(let progress): ("checkin.progress", progress.wireFields)
        case .checkInClosed(let summary): ("checkin.closed", summary.wireFields)
        case .exercise(let status): ("exercise.status", status.wireFields)
        case .exerciseEnded(let end): ("exercise.ended", end.wireFields)
        case .crisisAlertRaised(let alert): ("crisis.raised", alert.wireFields)
        case .crisisAlertReceived(let alert, let count):
            ("crisis.received", [("alert", .unsigned(alert.rawValue)), ("facilitatorsNotified", .number(count))])
        case .crisisAlertAcknowledged(let acknowledgement): ("crisis.acknowledged", acknowledgement.wireFields)
        case .agenda(let status): ("agenda.changed", status.map { [("item", $0.wireValue)] } ?? [])
        case .agendaTimeUp(let status): ("agenda.time_up", status.wireFields)
        case .sideRoomOpened(let info): ("side_room.opened", info.wireFields)
        case .sideRoomClosed(let info): ("side_room.closed", info.wireFields)
        case .sessionEnded: ("session.ended", [])
        case .idleWarning(let logoffAt): ("idle.warning", [("logoffAt", .time(logoffAt))])
        case .pollOpened(let info): ("poll.opened", info.wireFields)
        case .pollProgress(let progress): ("poll.progress", progress.wireFields)
        case .pollClosed(let results): ("poll.closed", results.wireFields)
        case .reactions(let tally): ("reaction.changed", tally.wireFields)
        case .cueChanged(let change): ("cue.changed", change.wireFields)
        case .balance(let report): ("balance.report", report.wireFields)
        case .breakout(let status): ("breakout.status", status.wireFields)
        case .breakoutEnded(let end): ("breakout.ended", end.wireFields)
        case .cardShown(let info): ("card.shown", info.wireFields)
        case .cardWithdrawn(let card): ("card.withdrawn", [("card", .unsigned(card))])
        case .cardFields(let fields): ("card.fields", fields.wireFields)
        case .cardShared(let share): ("card.shared", share.wireFields)
        case .absenceRecorded(let record): ("absence.recorded", record.wireFields)
        }
    }

    /// `{"type": …, …fields}`.
    var wireValue: JSONValue {
        let form = wireForm
        return .object([("type", .string(form.type))] + form.fields)
    }

    /// Reads an event object, or `nil` when its type is unknown (a newer server).
    static func decode(type: String, from wire: WireObject) throws(ProtocolError) -> RoomEvent? {
        switch type {
        case "agreement.required": return .agreementRequired(try GroupAgreement(wire: wire))
        case "admission.waiting": return .waitingForAdmission
        case "waiting.room": return .waitingRoom(try wire.decodeArray("waiting"))
        case "room.snapshot": return .snapshot(try RoomSnapshot(wire: wire))
        case "chat.backlog": return .backlog(try wire.decodeArray("messages"))
        case "room.roster": return .roster(try Roster(wire: wire))
        case "room.lock_changed": return .lockChanged(locked: try wire.bool("locked"))
        case "chat.pause_changed": return .chatPauseChanged(paused: try wire.bool("paused"))
        case "chat.message": return .message(try ChatMessage(wire: wire))
        case "chat.removed": return .messageRemoved(try MessageRemoval(wire: wire))
        case "checkin.started": return .checkInStarted(try CheckInRoundInfo(wire: wire))
        case "checkin.response": return .checkInResponse(try CheckInResponse(wire: wire))
        case "checkin.progress": return .checkInProgress(try CheckInProgress(wire: wire))
        case "checkin.closed": return .checkInClosed(try CheckInSummary(wire: wire))
        case "exercise.status": return .exercise(try ExerciseStatus(wire: wire))
        case "exercise.ended": return .exerciseEnded(try ExerciseEnd(wire: wire))
        case "crisis.raised": return .crisisAlertRaised(try CrisisAlertInfo(wire: wire))
        case "crisis.received":
            return .crisisAlertReceived(
                alert: AlertID(try wire.uint64("alert")), facilitatorsNotified: try wire.int("facilitatorsNotified"))
        case "crisis.acknowledged": return .crisisAlertAcknowledged(try CrisisAcknowledgement(wire: wire))
        case "agenda.changed": return .agenda(try wire.optionalDecode("item"))
        case "agenda.time_up": return .agendaTimeUp(try AgendaStatus(wire: wire))
        case "side_room.opened": return .sideRoomOpened(try SideRoomInfo(wire: wire))
        case "side_room.closed": return .sideRoomClosed(try SideRoomInfo(wire: wire))
        case "session.ended": return .sessionEnded
        case "idle.warning": return .idleWarning(logoffAt: try wire.timestamp("logoffAt"))
        case "poll.opened": return .pollOpened(try PollInfo(wire: wire))
        case "poll.progress": return .pollProgress(try PollProgress(wire: wire))
        case "poll.closed": return .pollClosed(try PollResults(wire: wire))
        case "reaction.changed": return .reactions(try ReactionTally(wire: wire))
        case "cue.changed": return .cueChanged(try CueChange(wire: wire))
        case "balance.report": return .balance(try BalanceReport(wire: wire))
        case "breakout.status": return .breakout(try BreakoutStatus(wire: wire))
        case "breakout.ended": return .breakoutEnded(try BreakoutEnd(wire: wire))
        case "card.shown": return .cardShown(try CardInfo(wire: wire))
        case "card.withdrawn": return .cardWithdrawn(card: try wire.uint64("card"))
        case "card.fields": return .cardFields(try CardFields(wire: wire))
        case "card.shared": return .cardShared(try CardShare(wire: wire))
        case "absence.recorded": return .absenceRecorded(try AbsenceRecord(wire: wire))
        default: return nil
        }
    }
}
