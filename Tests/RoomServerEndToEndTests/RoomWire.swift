import TransportTestSupport

/// What the room end-to-end tests share on the wire: waiting for a message and
/// writing a command as clients write it.
enum RoomWire {
    /// Reads until a text message containing `needle` arrives and returns it; nil
    /// after 5,000 other messages or 5 s without one (every wait bounded).
    static func waitFor(_ client: TestClient, _ needle: String) async -> String? {
        for _ in 0..<5000 {
            guard case .text(let text)? = await client.nextMessage(timeout: .seconds(5)) else { return nil }
            if text.contains(needle) { return text }
        }
        return nil
    }

    /// A client command as clients write it: one flat object, `fields` appended as given.
    static func command(_ type: String, _ id: String, _ fields: String = "") -> String {
        "{\"v\":1,\"type\":\"\(type)\",\"id\":\"\(id)\"\(fields.isEmpty ? "" : "," + fields)}"
    }
}
