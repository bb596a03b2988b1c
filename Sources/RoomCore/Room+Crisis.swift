extension Room {
    /// Alerts every facilitator privately. Allowed at any stage, muted or not:
    /// a participant in crisis must always reach someone.
    mutating func raiseCrisisAlert(by sender: MemberState) {
        lastAlertID += 1
        let info = CrisisAlertInfo(
            id: AlertID(lastAlertID), member: sender.id, alias: sender.identity.alias, raisedAt: now)
        alerts.append(CrisisAlert(info: info, acknowledged: false))
        let reached = emit(.crisisAlertRaised(info), to: .facilitators)
        let notified = reached.filter { members[$0]?.connection != nil }.count
        emit(.crisisAlertReceived(alert: info.id, facilitatorsNotified: notified), to: .members([sender.id]))
        audit(.crisisAlertRaised, by: sender.id, alert: info.id)
    }

    mutating func acknowledgeCrisis(_ id: AlertID, by sender: MemberState) throws(RoomError) {
        guard let index = alerts.firstIndex(where: { $0.info.id == id }) else { throw .unknownAlert }
        guard !alerts[index].acknowledged else { throw .alreadyAcknowledged }
        alerts[index].acknowledged = true
        let alert = alerts[index].info
        let acknowledgement = CrisisAcknowledgement(
            id: id, member: alert.member, by: sender.id, byAlias: sender.identity.alias, at: now)
        emit(.crisisAlertAcknowledged(acknowledgement), to: .members(facilitatorIDs + [alert.member]))
        audit(.crisisAlertAcknowledged, by: sender.id, target: alert.member, alert: id)
    }
}
