/// The text of a bench chat message: `iopb <sent ns> <m|w> <sender> ` padded
/// with `x` to the wanted size. The send time is the sender's monotonic clock,
/// which every receiver in this process shares.
struct ChatText {
    /// Sent while measuring (`m`) or warming up (`w`).
    var measured: Bool
    /// The sender's member index.
    var sender: Int
    /// When it was sent (monotonic ns).
    var sentAt: UInt64

    /// The text, at least `size` bytes long.
    func text(size: Int) -> String {
        var text = "iopb \(sentAt) \(measured ? "m" : "w") \(sender) "
        let missing = size - text.utf8.count
        if missing > 0 { text += String(repeating: "x", count: missing) }
        return text
    }

    /// What `"text":"iopb ` looks like inside a server frame.
    private static let marker = Array(#""text":"iopb "#.utf8)

    /// The bench fields of a `chat.message` event frame, found without a full
    /// JSON decode (the receive path must cost the bench little); nil for any
    /// other frame, which then goes through `ServerMessage.decode`.
    static func find(inFrame frame: inout String) -> ChatText? {
        frame.withUTF8 { bytes in
            guard let start = Self.end(of: marker, in: bytes) else { return nil }
            var index = start
            guard let sentAt = Self.number(bytes, &index), index + 2 < bytes.count else { return nil }
            let flag = bytes[index]
            guard flag == UInt8(ascii: "m") || flag == UInt8(ascii: "w"), bytes[index + 1] == UInt8(ascii: " ")
            else { return nil }
            index += 2
            guard let sender = Self.number(bytes, &index) else { return nil }
            return ChatText(measured: flag == UInt8(ascii: "m"), sender: Int(sender), sentAt: sentAt)
        }
    }

    /// Whether an event frame ends with an `"ack"` member (iop.v2: the sender's own
    /// copy, carrying its command's id; the server appends it last).
    static func carriesAck(inFrame frame: inout String) -> Bool {
        // Within the last 80 bytes: the marker, an id of at most 64 bytes, `"}`. Outside a
        // string the marker's quotes are bare, so it cannot come from escaped chat text.
        frame.withUTF8 { bytes in
            var index = max(0, bytes.count - 80)
            while index + ackMarker.count <= bytes.count {
                if bytes[index..<(index + ackMarker.count)].elementsEqual(ackMarker) { return true }
                index += 1
            }
            return false
        }
    }

    private static let ackMarker = Array(#","ack":""#.utf8)

    /// How an event frame starts, up to its sequence number.
    private static let eventPrefix = Array(#"{"v":1,"type":"event","seq":"#.utf8)
    /// What precedes the event's type.
    private static let typeMarker = Array(#""event":{"type":""#.utf8)

    /// The `event.type` of an event frame as the server writes it (members in
    /// a fixed order, `PROTOCOL.md`); nil for anything else.
    static func eventType(inFrame frame: inout String) -> String? {
        frame.withUTF8 { bytes in
            guard bytes.count > eventPrefix.count, bytes.starts(with: eventPrefix) else { return nil }
            // The type follows "seq" and "time": within the first 100 bytes.
            let head = UnsafeBufferPointer(rebasing: bytes[..<min(bytes.count, 100)])
            guard let start = Self.end(of: typeMarker, in: head) else { return nil }
            guard let close = head[start...].firstIndex(of: UInt8(ascii: "\"")) else { return nil }
            return String(decoding: head[start..<close], as: UTF8.self)
        }
    }

    /// What precedes the agreement's version (after its text, `PROTOCOL.md`).
    private static let versionMarker = Array(#""version":""#.utf8)

    /// The version in an `agreement.required` frame: the string after the
    /// last `"version":"` (inside the text a quote is escaped, so the marker
    /// cannot match there); nil if it holds an escape.
    static func agreementVersion(inFrame frame: inout String) -> String? {
        frame.withUTF8 { bytes in
            var start: Int?
            var from = 0
            while let found = Self.end(of: versionMarker, in: UnsafeBufferPointer(rebasing: bytes[from...])) {
                start = from + found
                from += found
            }
            guard let start, let close = bytes[start...].firstIndex(of: UInt8(ascii: "\"")),
                !bytes[start..<close].contains(UInt8(ascii: "\\"))
            else { return nil }
            return String(decoding: bytes[start..<close], as: UTF8.self)
        }
    }

    /// An empty waiting list as the server writes it.
    private static let nobodyWaiting = Array(#""waiting":[]"#.utf8)

    /// Whether a snapshot frame's waiting list is empty (inside a string a
    /// quote is escaped, so the marker cannot match there).
    static func hasNobodyWaiting(inFrame frame: inout String) -> Bool {
        frame.withUTF8 { Self.end(of: nobodyWaiting, in: $0) != nil }
    }

    /// The index just after the first occurrence of `marker`, if any.
    static func end(of marker: [UInt8], in bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        let count = marker.count
        guard bytes.count >= count else { return nil }
        let first = marker[0]
        var index = 0
        while index <= bytes.count - count {
            if bytes[index] == first {
                var matched = 1
                while matched < count, bytes[index + matched] == marker[matched] { matched += 1 }
                if matched == count { return index + count }
            }
            index += 1
        }
        return nil
    }

    /// Decimal digits followed by one space; `index` ends after the space.
    private static func number(_ bytes: UnsafeBufferPointer<UInt8>, _ index: inout Int) -> UInt64? {
        var value: UInt64 = 0
        var digits = 0
        while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]), digits < 19 {
            value = value * 10 + UInt64(bytes[index] - UInt8(ascii: "0"))
            index += 1
            digits += 1
        }
        guard digits > 0, index < bytes.count, bytes[index] == UInt8(ascii: " ") else { return nil }
        index += 1
        return value
    }
}
