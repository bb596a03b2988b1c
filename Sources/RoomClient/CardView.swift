import RoomCore

/// The skills card on show, as this client knows it: the card, this member's own
/// values (participants), and what participants shared (facilitators). In memory
/// only; forgotten when the card is withdrawn or replaced and at the session's end.
public struct CardView: Sendable, Hashable {
    /// The card on show, if any.
    public private(set) var card: CardInfo?
    /// This member's values, one per field (empty: not filled in).
    public private(set) var values: [ConfidentialText] = []
    /// What each participant shared of the card on show, in the order shared (facilitators).
    public private(set) var shares: [CardShare] = []

    /// An empty view.
    public init() {}

    /// Applies one room event; events of other kinds change nothing.
    public mutating func apply(_ event: RoomEvent) {
        switch event {
        case .cardShown(let info):
            if card?.card != info.card {
                values = info.skillsCard.fields.map { _ in ConfidentialText("") }
                shares = []
            }
            card = info
        case .cardWithdrawn(let number):
            if card?.card == number { self = CardView() }
        case .cardFields(let fields):
            if card?.card == fields.card { values = fields.values }
        case .cardShared(let share):
            guard card?.card == share.card else { return }
            shares.removeAll { $0.member == share.member }
            shares.append(share)
        case .snapshot, .sessionEnded:
            // A snapshot is followed by `card.shown` when a card is still on show.
            self = CardView()
        case .agreementRequired, .waitingForAdmission, .waitingRoom, .backlog, .roster, .lockChanged,
            .chatPauseChanged, .message, .messageRemoved, .checkInStarted, .checkInResponse, .checkInProgress,
            .checkInClosed, .exercise, .exerciseEnded, .crisisAlertRaised, .crisisAlertReceived,
            .crisisAlertAcknowledged, .agenda, .agendaTimeUp, .sideRoomOpened, .sideRoomClosed, .idleWarning,
            .pollOpened, .pollProgress, .pollClosed, .reactions, .cueChanged, .balance, .breakout, .breakoutEnded,
            .absenceRecorded:
            break
        }
    }

    /// The lines of the card as plain text: title, sections, the fields with this
    /// member's values (participants) or the shares (facilitators).
    public func lines(role: Role) -> [String] {
        guard let info = card else { return [] }
        let card = info.skillsCard
        var lines = ["Skills card: \(card.title)"]
        for section in card.sections {
            lines.append("  \(section.heading)")
            lines += section.lines.map { "    \($0)" }
        }
        guard !card.fields.isEmpty else { return lines }
        switch role {
        case .participant:
            lines.append("  Your fields (private; /fill N TEXT, /share to show the facilitators):")
            for (index, field) in card.fields.enumerated() {
                let value = values.indices.contains(index) ? values[index].revealed : ""
                lines.append("    \(index + 1)) \(field.label): \(value.isEmpty ? "…" : value)")
            }
        case .facilitator:
            lines.append(
                "  Fields: "
                    + card.fields.enumerated().map { "\($0.offset + 1)) \($0.element.label)" }
                    .joined(separator: "  "))
            for share in shares { lines += Self.shareLines(share, card: card) }
        }
        return lines
    }

    /// A participant's shared values, one line per field filled in.
    static func shareLines(_ share: CardShare, card: SkillsCard) -> [String] {
        var lines = ["  \(EventText.plain(share.alias)) shared:"]
        for (index, value) in share.values.enumerated() where !value.revealed.isEmpty && index < card.fields.count {
            lines.append("    \(card.fields[index].label): \(value.revealed)")
        }
        if lines.count == 1 { lines[0] += " nothing filled in yet." }
        return lines
    }
}
