extension Room {
    /// Starts an agenda item with a shared timer everyone sees; facilitators are
    /// told when its planned time is up.
    func checkStartAgendaItem(_ index: Int) throws(RoomError) -> CommandPlan {
        guard configuration.agenda.indices.contains(index) else { throw .unknownAgendaItem }
        return .startAgendaItem(index)
    }

    mutating func startAgendaItem(_ index: Int) {
        if let previous = agenda { cancel(.agendaItem(run: previous.run)) }
        let item = configuration.agenda[index]
        lastAgendaRun += 1
        let status = AgendaStatus(index: index, name: item.name, startedAt: now, endsAt: now + item.plannedDuration)
        agenda = AgendaRun(run: lastAgendaRun, status: status)
        schedule(.agendaItem(run: lastAgendaRun), at: status.endsAt)
        emit(.agenda(status), to: .group)
    }

    mutating func endAgenda() {
        guard let current = agenda else { return }
        cancel(.agendaItem(run: current.run))
        agenda = nil
        emit(.agenda(nil), to: .group)
    }

    mutating func agendaItemTimeUp(run: UInt64) {
        guard let current = agenda, current.run == run else { return }
        emit(.agendaTimeUp(current.status), to: .facilitators)
    }
}
