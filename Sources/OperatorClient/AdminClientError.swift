/// What went wrong talking to the admin API, for the operator.
public struct AdminClientError: Error, CustomStringConvertible {
    /// The HTTP status, or nil when no answer came.
    public var status: Int?
    /// The code word (`wrong_role`...), or `unreachable`.
    public var code: String
    /// The sentence.
    public var message: String

    /// `404 unknown_room: ...`, or `unreachable: ...` without a status.
    public var description: String {
        status.map { "\($0) \(code): \(message)" } ?? "\(code): \(message)"
    }

    /// An error with these parts.
    public init(status: Int?, code: String, message: String) {
        self.status = status
        self.code = code
        self.message = message
    }
}
