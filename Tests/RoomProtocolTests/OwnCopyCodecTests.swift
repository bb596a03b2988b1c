import RoomCore
import Testing

@testable import RoomProtocol

/// `iop.v2`'s one wire difference: the sender's own copy of an event carries the
/// command's id as `"ack"` (docs/PROTOCOL.md, "Versions"). Vectors for the encoder,
/// the decoder and the subprotocol names.
@Suite("iop.v2: the own copy as acknowledgement")
struct OwnCopyCodecTests {
    static let envelope = EventEnvelope(sequence: 15, time: Samples.at, event: .message(Samples.message))

    @Test func theOwnCopyIsTheSharedBytesWithAckAppended() {
        let shared = #"{"v":1,"type":"event","seq":15,"time":1764000000000,"event":{"type":"session.ended"}}"#
        #expect(
            ServerMessageEncoder.ownCopy(shared, acknowledging: CommandID("c7"))
                == #"{"v":1,"type":"event","seq":15,"time":1764000000000,"event":{"type":"session.ended"},"ack":"c7"}"#)
        let text = ServerMessageEncoder.event(Self.envelope)
        let own = ServerMessageEncoder.ownCopy(text, acknowledging: CommandID("p6"))
        #expect(own == String(text.dropLast()) + #","ack":"p6"}"#)
    }

    @Test func anIdWithQuotesAndBackslashesIsEscaped() throws {
        let id = CommandID(#"a"b\c"#)  // printable ASCII: a valid command id
        let own = ServerMessageEncoder.ownCopy(ServerMessageEncoder.event(Self.envelope), acknowledging: id)
        #expect(own.hasSuffix(#","ack":"a\"b\\c"}"#))
        let frame = try ServerFrame.decode(own).get()
        #expect(frame.acknowledges == id)
    }

    @Test func theDecoderReadsTheAckOfAnEventAndOfAnAckMessage() throws {
        let own = ServerMessageEncoder.ownCopy(
            ServerMessageEncoder.event(Self.envelope), acknowledging: CommandID("c7"))
        let frame = try ServerFrame.decode(own).get()
        #expect(
            frame.message == .event(sequence: 15, time: Samples.at.millisecondsSinceEpoch, .message(Samples.message)))
        #expect(frame.acknowledges == CommandID("c7"))
        // A v1 reader sees the same event: the field is one it ignores.
        #expect(try ServerMessage.decode(own).get() == frame.message)

        let shared = try ServerFrame.decode(ServerMessageEncoder.event(Self.envelope)).get()
        #expect(shared.message == frame.message)
        #expect(shared.acknowledges == nil)

        let ack = try ServerFrame.decode(ServerMessageEncoder.acknowledgement(CommandID("c8"))).get()
        #expect(ack == ServerFrame(message: .ack(CommandID("c8")), acknowledges: CommandID("c8")))
        let error = try ServerFrame.decode(ServerMessageEncoder.refusal(CommandID("c9"), .muted)).get()
        #expect(error.acknowledges == nil)
    }

    @Test func aMalformedAckIsAnInvalidField() {
        let base = #"{"v":1,"type":"event","seq":1,"time":1,"event":{"type":"session.ended"},"ack":"#
        for bad in ["7", "true", "{}", "\"\(String(repeating: "x", count: 65))\""] {
            guard case .failure(let error) = ServerFrame.decode(base + bad + "}") else {
                Issue.record("accepted \(bad)")
                continue
            }
            #expect(error.code == "invalid_field")
        }
        #expect((try? ServerFrame.decode(base + "null}").get())?.acknowledges == nil)
    }

    @Test func theRevisionFollowsTheChosenSubprotocol() {
        #expect(RoomProtocolRevision(subprotocol: "iop.v2") == .v2)
        #expect(RoomProtocolRevision(subprotocol: nil) == .v1)
        #expect(RoomProtocolRevision(subprotocol: "IOP.V2") == .v1)
        #expect(RoomProtocolRevision(subprotocol: "foo") == .v1)
        #expect(RoomProtocolRevision.v2.ownCopyAcknowledges)
        #expect(!RoomProtocolRevision.v1.ownCopyAcknowledges)
        #expect(RoomProtocolRevision.subprotocols == ["iop.v2"])
    }
}
