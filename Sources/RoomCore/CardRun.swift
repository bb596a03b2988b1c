/// The card on show and what each participant filled in, privately.
///
/// Bounded by construction: at most ``SkillsCard/maximumFields`` values per
/// member, each within its field's limit (checked by the room before
/// ``fill(_:with:by:)``), one card at a time, and a member's values go when they
/// leave, when the card is withdrawn or replaced, and at the session's end.
struct CardRun: Sendable, Equatable {
    /// The card and where it is shown.
    let info: CardInfo
    /// Each member's filled values by field index (a cleared field is removed).
    private(set) var filled: [MemberID: [Int: ConfidentialText]] = [:]

    init(info: CardInfo) { self.info = info }

    /// Whether `field` is an index of one of the card's fields.
    func hasField(_ field: Int) -> Bool { info.skillsCard.fields.indices.contains(field) }

    /// The member's values, one per field (empty when not filled in).
    func values(of member: MemberID) -> [ConfidentialText] {
        let own = filled[member] ?? [:]
        return info.skillsCard.fields.indices.map { own[$0] ?? ConfidentialText("") }
    }

    /// Keeps `text` as the member's value of `field`; an empty text clears it.
    mutating func fill(_ field: Int, with text: ConfidentialText, by member: MemberID) {
        if text.utf8Count == 0 {
            filled[member]?[field] = nil
            if filled[member]?.isEmpty == true { filled[member] = nil }
        } else {
            filled[member, default: [:]][field] = text
        }
    }

    /// Forgets what the member filled in (they left the session).
    mutating func forget(_ member: MemberID) { filled[member] = nil }
}
