/// `GET /v1/admin/audit`: the hash chains of the records database the node
/// writes to, checked by the node (so `iopctl audit verify` works from any host).
public struct AdminAuditVerification: Codable, Sendable, Hashable {
    /// Whether every chain is intact.
    public var intact: Bool
    /// Rows found intact, by table.
    public var rowsChecked: [String: Int]
    /// The first broken row (`moderation_audit row 1: content_hash_mismatch`), if any.
    public var firstBreak: String?
    /// The node that checked (`server.nodeId`).
    public var node: String?

    /// Creates a value from all of its fields.
    public init(intact: Bool, rowsChecked: [String: Int], firstBreak: String?, node: String?) {
        self.intact = intact
        self.rowsChecked = rowsChecked
        self.firstBreak = firstBreak
        self.node = node
    }

    enum CodingKeys: String, CodingKey {
        case intact, node
        case rowsChecked = "rows_checked"
        case firstBreak = "first_break"
    }

    /// The compact JSON body.
    public var json: String {
        var fields: [(String, JSONValue)] = [
            ("intact", .bool(intact)),
            ("rows_checked", .object(rowsChecked.sorted { $0.key < $1.key }.map { ($0.key, .int(Int64($0.value))) })),
        ]
        if let firstBreak { fields.append(("first_break", .string(firstBreak))) }
        if let node { fields.append(("node", .string(node))) }
        return JSONWriter.string(.object(fields))
    }
}
