/// The session's crisis alerts, open and acknowledged, with their ids. A small
/// state machine the room composes: one open alert per participant (a repeat
/// refreshes it), each acknowledged once. Who is told is the room's business.
struct CrisisAlerts: Sendable, Equatable {
    /// A crisis alert and whether it was acknowledged.
    struct Alert: Sendable, Equatable {
        var info: CrisisAlertInfo
        var acknowledged: Bool
        /// When facilitators were last sent `crisis.raised` for it.
        var notifiedAt: Timestamp
        /// Restored from another node's records, which keep no alias: shown under the
        /// member's id until they are back.
        var awaitsAlias = false
    }

    private(set) var all: [Alert] = []
    private var lastID: UInt64 = 0

    /// The alerts not yet acknowledged, oldest first.
    var open: [CrisisAlertInfo] { all.filter { !$0.acknowledged }.map(\.info) }

    /// How many alerts are not yet acknowledged.
    var openCount: Int { all.count { !$0.acknowledged } }

    /// The index of `member`'s open alert, if any.
    func openIndex(of member: MemberID) -> Int? {
        all.firstIndex { $0.info.member == member && !$0.acknowledged }
    }

    /// The index of the alert with this id, if any.
    func index(of id: AlertID) -> Int? { all.firstIndex { $0.info.id == id } }

    /// Whether the alert at `index` was acknowledged.
    func isAcknowledged(at index: Int) -> Bool { all[index].acknowledged }

    /// A new open alert of `member`, raised (and notified) at `now`.
    mutating func raise(by member: MemberID, alias: String, at now: Timestamp) -> CrisisAlertInfo {
        lastID += 1
        let info = CrisisAlertInfo(id: AlertID(lastID), member: member, alias: alias, raisedAt: now)
        all.append(Alert(info: info, acknowledged: false, notifiedAt: now))
        return info
    }

    /// Counts a repeat of the open alert at `index`; `notify` is true when facilitators
    /// were last told `interval` or more ago (and are now told again).
    mutating func refresh(at index: Int, at now: Timestamp, interval: Duration) -> (CrisisAlertInfo, notify: Bool) {
        all[index].info.repeats += 1
        all[index].info.lastRaisedAt = now
        let notify = now >= all[index].notifiedAt + interval
        if notify { all[index].notifiedAt = now }
        return (all[index].info, notify)
    }

    /// Marks the alert at `index` acknowledged.
    mutating func acknowledge(at index: Int) -> CrisisAlertInfo {
        all[index].acknowledged = true
        return all[index].info
    }

    /// Takes the alerts another node left open (a takeover): each is open again,
    /// notified at `now` (facilitators get it in their snapshot as they arrive), and
    /// new alerts are numbered after them and after `highestID` (the highest id
    /// the session used). The alias is the member's id until
    /// ``name(_:alias:)`` learns the real one.
    mutating func restore(_ places: [OpenAlertPlace], after highestID: UInt64, at now: Timestamp) {
        lastID = max(lastID, highestID)
        for place in places.sorted(by: { $0.id.rawValue < $1.id.rawValue }) where index(of: place.id) == nil {
            let info = CrisisAlertInfo(
                id: place.id, member: place.member, alias: place.member.rawValue, raisedAt: place.raisedAt)
            all.append(Alert(info: info, acknowledged: false, notifiedAt: now, awaitsAlias: true))
            lastID = max(lastID, place.id.rawValue)
        }
    }

    /// Shows `member`'s restored open alert under their alias, now known: the alert
    /// as it now reads, or nil when there was no restored alert awaiting it.
    mutating func name(_ member: MemberID, alias: String) -> CrisisAlertInfo? {
        guard let index = openIndex(of: member), all[index].awaitsAlias else { return nil }
        all[index].awaitsAlias = false
        all[index].info.alias = alias
        return all[index].info
    }

    /// Forgets every alert (session end); ids keep counting.
    mutating func removeAll() { all.removeAll() }
}
