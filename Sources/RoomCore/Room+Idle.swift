extension Room {
    /// Starts (or restarts) the idle watch of an admitted, connected member: on
    /// admission, on a facilitator's arrival, on a resume. Off unless the policy
    /// sets ``IdleLogoff/after``.
    mutating func watchIdle(_ id: MemberID) {
        guard let after = policy.idleLogoff.after, var state = members[id], state.isAdmitted,
            state.connection != nil
        else { return }
        state.lastActive = now
        state.idleWarned = false
        members[id] = state
        schedule(.idleCheck(id), at: now + (after - idleWarningLead(after)))
    }

    /// The member sent a command: someone is at the device. The pending check
    /// finds the newer time and moves itself, so no timer changes here.
    mutating func noteActivity(_ id: MemberID) {
        guard policy.idleLogoff.after != nil, var state = members[id] else { return }
        state.lastActive = now
        state.idleWarned = false
        members[id] = state
    }

    /// The idle check of `id` is due: too early (activity since) moves it on;
    /// within the warning lead warns once; at the deadline logs the member off
    /// (closed with its own code; they may come back with a fresh connection).
    mutating func idleCheckDue(_ id: MemberID) {
        guard let after = policy.idleLogoff.after, var state = members[id], state.isAdmitted,
            let connection = state.connection
        else { return }  // gone, or reconnecting: the reconnect window rules, and a resume restarts the watch
        let logoff = state.lastActive + after
        let warning = state.lastActive + (after - idleWarningLead(after))
        if now >= logoff {
            outbox.append(.disconnect(id, connection, .idleLoggedOff))
            depart(id, reason: .idleLoggedOff)
        } else if now >= warning {
            if !state.idleWarned {
                state.idleWarned = true
                members[id] = state
                emit(.idleWarning(logoffAt: logoff), to: .members([id]))
            }
            schedule(.idleCheck(id), at: logoff)
        } else {
            schedule(.idleCheck(id), at: warning)
        }
    }

    /// The warning lead, never longer than the idle time itself.
    private func idleWarningLead(_ after: Duration) -> Duration {
        min(max(policy.idleLogoff.warningBefore, .zero), after)
    }
}
