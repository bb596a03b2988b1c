/// Sessions missed, by recorded reason.
public struct AbsenceCounts: Hashable, Sendable {
    /// Excused absences.
    public var excused = 0
    /// Unexcused absences.
    public var unexcused = 0
    /// Absences because the member was rescheduled.
    public var rescheduled = 0
    /// Absences with no reason recorded.
    public var unrecorded = 0

    /// No absences.
    public init() {}

    /// All absences.
    public var total: Int { excused + unexcused + rescheduled + unrecorded }

    /// Counts one more session with `status` (attended ones change nothing).
    mutating func count(_ status: AttendanceStatus) {
        switch status {
        case .attended: break
        case .absent(.excused): excused += 1
        case .absent(.unexcused): unexcused += 1
        case .absent(.rescheduled): rescheduled += 1
        case .absent(nil): unrecorded += 1
        }
    }
}
