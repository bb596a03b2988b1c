/// Skills cards: a facilitator shows one card from the catalogue to the room;
/// every member of its scope sees it; a participant fills in its fields
/// privately (``CardRun``: memory only, seen by themselves alone) and may show
/// facilitators what they wrote by their own `card.share`. Nothing of a field's
/// text is ever recorded, audited or put in an error. One card at a time:
/// showing another withdraws the first, and withdrawing a card forgets what
/// was filled in on it.
extension Room {
    /// Who sees a card shown in `scope` (breakout groups add their audience here).
    func cardAudience(_ scope: CardScope) -> Audience {
        switch scope {
        case .room: .group
        }
    }

    /// Whether the member is among those who see the card on show.
    func seesCard(_ member: MemberID) -> Bool {
        guard let run = card else { return false }
        return resolve(cardAudience(run.info.scope)).contains(member)
    }

    func checkShowCard(_ id: String) throws(RoomError) -> CommandPlan {
        guard let skillsCard = configuration.skillsCards.first(where: { $0.id == id }) else { throw .unknownCard }
        return .showCard(skillsCard)
    }

    mutating func showCard(_ skillsCard: SkillsCard) {
        if card != nil { withdrawCard() }
        lastCard += 1
        let info = CardInfo(card: lastCard, skillsCard: skillsCard, scope: .room, shownAt: now)
        card = CardRun(info: info)
        emit(.cardShown(info), to: cardAudience(info.scope))
    }

    func checkWithdrawCard() throws(RoomError) -> CommandPlan {
        guard card != nil else { throw .noCard }
        return .withdrawCard
    }

    /// Takes the card down; what was filled in on it is forgotten.
    mutating func withdrawCard() {
        guard let run = card else { return }
        card = nil
        emit(.cardWithdrawn(card: run.info.card), to: cardAudience(run.info.scope))
    }

    /// A participant's value for one field of the card on show, within the field's limit
    /// (blank text clears the field).
    func checkFillCard(
        card number: UInt64, field: Int, text: ConfidentialText, by sender: MemberState
    ) throws(RoomError) -> CommandPlan {
        guard let run = card, run.info.card == number else { throw .noCard }
        guard seesCard(sender.id) else { throw inSideRoom(sender.id) ? .inSideRoom : .noCard }
        guard run.hasField(field) else { throw .unknownField }
        switch text.check(run.info.skillsCard.fields[field].limit) {
        case .accepted: return .fillCard(field: field, text)
        case .empty: return .fillCard(field: field, ConfidentialText(""))
        case .tooManyCharacters, .tooManyBytes, .characterTooComplex: throw .messageTooLong
        }
    }

    /// Keeps the value and echoes the participant's values to them alone.
    mutating func fillCard(_ field: Int, with text: ConfidentialText, by sender: MemberState) {
        card?.fill(field, with: text, by: sender.id)
        sendCardFields(to: sender.id)
    }

    func checkShareCard(card number: UInt64, by sender: MemberState) throws(RoomError) -> CommandPlan {
        guard let run = card, run.info.card == number else { throw .noCard }
        guard seesCard(sender.id) else { throw inSideRoom(sender.id) ? .inSideRoom : .noCard }
        return .shareCard
    }

    /// What the participant filled in, as it is now, to facilitators and to them.
    mutating func shareCard(by sender: MemberState) {
        guard let run = card else { return }
        let share = CardShare(
            card: run.info.card, member: sender.id, alias: sender.identity.alias, values: run.values(of: sender.id))
        emit(.cardShared(share), to: .members(facilitatorIDs + [sender.id]))
    }

    private mutating func sendCardFields(to member: MemberID) {
        guard let run = card else { return }
        emit(.cardFields(CardFields(card: run.info.card, values: run.values(of: member))), to: .members([member]))
    }

    /// With a snapshot: the card on show, and the member's own values if they filled any.
    mutating func sendCardState(to member: MemberState) {
        guard let run = card, seesCard(member.id) else { return }
        emit(.cardShown(run.info), to: .members([member.id]))
        if run.filled[member.id] != nil { sendCardFields(to: member.id) }
    }

    /// A member left the session: what they filled in goes with them.
    mutating func cardDeparted(_ member: MemberID) { card?.forget(member) }
}
