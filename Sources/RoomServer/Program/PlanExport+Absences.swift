import ProgramCore

extension PlanExport {
    /// Why a file of absence notes was refused: its line (1-based) and what was wrong.
    public enum AbsenceFileProblem: Error, Hashable, Sendable, CustomStringConvertible {
        /// The line does not have three comma-separated fields.
        case fieldCount(line: Int)
        /// The reason is not `excused`, `unexcused` or `rescheduled`.
        case unknownReason(line: Int)
        /// A field is empty or too long (over 128 bytes).
        case badField(line: Int)

        /// One line for the operator (never the line's content: it names a member).
        public var description: String {
            switch self {
            case .fieldCount(let line): "absence notes line \(line): expected member,session,reason"
            case .unknownReason(let line):
                "absence notes line \(line): the reason must be excused, unexcused or rescheduled"
            case .badField(let line): "absence notes line \(line): an empty or over-long field"
            }
        }
    }

    /// Facilitators' absence notes, one per line: `member,session,reason`
    /// (`m-1842,2026-03-09T18:00,excused`); an optional header line
    /// `member,session,reason`, blank lines and `#` comments are skipped.
    public static func absences(csv text: String) throws(AbsenceFileProblem) -> [AbsenceNote] {
        var notes: [AbsenceNote] = []
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        for (index, raw) in lines.enumerated() {
            let line = raw.hasSuffix("\r") ? raw.dropLast() : raw
            if line.isEmpty || line.hasPrefix("#") || (index == 0 && line == "member,session,reason") { continue }
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard fields.count == 3 else { throw .fieldCount(line: index + 1) }
            guard fields.allSatisfy({ !$0.isEmpty && $0.utf8.count <= 128 }) else { throw .badField(line: index + 1) }
            guard let reason = AbsenceReason(rawValue: fields[2]) else { throw .unknownReason(line: index + 1) }
            notes.append(AbsenceNote(member: fields[0], occurrence: fields[1], reason: reason))
        }
        return notes
    }
}
