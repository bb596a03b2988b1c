extension ChatText {
    /// What precedes a chat message's id in its event frame (`PROTOCOL.md`: the id
    /// comes first after the type).
    private static let idMarker = Array(#""type":"chat.message","id":"#.utf8)

    /// The id of the message in a `chat.message` event frame, read without a full
    /// decode (the member reacts to it, `--reaction-every`); nil if it is not there.
    static func messageID(inFrame frame: inout String) -> UInt64? {
        frame.withUTF8 { bytes in
            // The id follows "seq", "time" and the type: within the first 140 bytes.
            let head = UnsafeBufferPointer(rebasing: bytes[..<min(bytes.count, 140)])
            guard var index = end(of: idMarker, in: head) else { return nil }
            var value: UInt64 = 0
            var digits = 0
            while index < head.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(head[index]), digits < 19 {
                value = value * 10 + UInt64(head[index] - UInt8(ascii: "0"))
                index += 1
                digits += 1
            }
            return digits > 0 ? value : nil
        }
    }
}
