// libFuzzer target for the room protocol's JSON decoding (client commands, and
// server messages as the terminal client decodes them).
// Build and run like the other targets (STYLE.md §5.8):
//   swift build -c release --product fuzz-json-command --sanitize=fuzzer -Xswiftc -sanitize=fuzzer,address
//   SWIFT_BACKTRACE=enable=no .build/release/fuzz-json-command <corpus-dir>
// Input: the bytes of one text frame; only valid UTF-8 is decoded (the transport
// refuses anything else before it reaches the decoder). Invariants, each a fatalError:
// no crash; the flat read (FlatObjectReader) and the general read through JSONDecoder
// (decodeGeneral) give the same result; an error has a documented code and, when it
// names a command id, a valid one; a decoded command re-encodes to text that decodes to
// the same envelope and encodes to the same bytes; a decoded server message is stable
// the same way for events.
import RoomCore
@_spi(Testing) import RoomProtocol

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSONCommand(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    guard let text = String(validating: bytes, as: UTF8.self) else { return 0 }
    let decoded = ClientMessageDecoder.decode(text)
    if decoded != ClientMessageDecoder.decodeGeneral(text) { fatalError("the flat and the general read disagree") }
    switch decoded {
    case .success(let envelope):
        let encoded = ClientMessageEncoder.encode(envelope)
        guard case .success(let again) = ClientMessageDecoder.decode(encoded, maxBytes: .max) else {
            fatalError("a decoded \(envelope.command) did not decode after re-encoding")
        }
        if again != envelope { fatalError("round trip changed the command: \(envelope.command) → \(again.command)") }
        if ClientMessageEncoder.encode(again) != encoded { fatalError("encoding is not deterministic") }
    case .failure(let error):
        if !ProtocolError.codes.contains(error.code) { fatalError("undocumented code \(error.code)") }
        if let id = error.commandID, id.rawValue.isEmpty || id.rawValue.utf8.count > 64 {
            fatalError("an error refers to an invalid id")
        }
    }
    if case .success(.event(let sequence, let time, let event)) = ServerMessage.decode(text) {
        let envelope = EventEnvelope(sequence: sequence, time: Timestamp(millisecondsSinceEpoch: time), event: event)
        let encoded = ServerMessageEncoder.event(envelope)
        guard case .success(.event(sequence, time, event)) = ServerMessage.decode(encoded) else {
            fatalError("a decoded event did not survive re-encoding")
        }
    }
    return 0
}
