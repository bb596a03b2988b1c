extension Room {
    /// The shortest time between two `crisis.raised` of one open alert that a
    /// participant keeps raising: repeats in between are counted (`repeats`,
    /// `lastRaisedAt`) and reach facilitators with the next notice or snapshot.
    public static let crisisRepeatNoticeInterval: Duration = .seconds(10)

    /// Alerts every facilitator privately. Allowed at any stage, muted or not:
    /// a participant in crisis must always reach someone. A participant has at most
    /// one open alert: raising it again while it is open refreshes it (same id, no
    /// new audit row) instead of burying it under new ones; after an acknowledgement
    /// the next alert is a new, full one.
    mutating func raiseCrisisAlert(by sender: MemberState) {
        if let open = alerts.openIndex(of: sender.id) {
            repeatCrisisAlert(at: open, by: sender)
            return
        }
        let info = alerts.raise(by: sender.id, alias: sender.identity.alias, at: now)
        let reached = emit(.crisisAlertRaised(info), to: .facilitators)
        let notified = reached.filter { members[$0]?.connection != nil }.count
        emit(.crisisAlertReceived(alert: info.id, facilitatorsNotified: notified), to: .members([sender.id]))
        audit(.crisisAlertRaised, by: sender.id, alert: info.id)
    }

    /// Counts a repeat of an open alert; facilitators hear of it again at most once per
    /// ``crisisRepeatNoticeInterval`` (every connected one already knows the alert: it
    /// reached them when raised, or in their snapshot when they arrived).
    private mutating func repeatCrisisAlert(at index: Int, by sender: MemberState) {
        let (info, notify) = alerts.refresh(at: index, at: now, interval: Self.crisisRepeatNoticeInterval)
        if notify { emit(.crisisAlertRaised(info), to: .facilitators) }
        let notified = resolve(.facilitators).filter { members[$0]?.connection != nil }.count
        emit(.crisisAlertReceived(alert: info.id, facilitatorsNotified: notified), to: .members([sender.id]))
    }

    /// A member whose open alert came from another node's records is back: facilitators
    /// get it again under the alias they know (they saw it under the member's id).
    mutating func nameRestoredAlert(of identity: MemberIdentity) {
        guard let info = alerts.name(identity.id, alias: identity.alias) else { return }
        emit(.crisisAlertRaised(info), to: .facilitators)
    }

    func checkAcknowledgeCrisis(_ id: AlertID) throws(RoomError) -> CommandPlan {
        guard let index = alerts.index(of: id) else { throw .unknownAlert }
        guard !alerts.isAcknowledged(at: index) else { throw .alreadyAcknowledged }
        return .acknowledgeCrisis(index: index)
    }

    mutating func acknowledgeCrisis(at index: Int, by sender: MemberState) {
        let alert = alerts.acknowledge(at: index)
        let acknowledgement = CrisisAcknowledgement(
            id: alert.id, member: alert.member, by: sender.id, byAlias: sender.identity.alias, at: now)
        emit(.crisisAlertAcknowledged(acknowledgement), to: .members(facilitatorIDs + [alert.member]))
        audit(.crisisAlertAcknowledged, by: sender.id, target: alert.member, alert: alert.id)
    }
}
