import Foundation
import RoomCore
import Testing

@testable import RoomProtocol

/// `docs/PROTOCOL.md` names every command, event and code, and its JSON examples decode.
@Suite("Protocol documentation")
struct DocumentationTests {
    static func document() throws -> String {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        return try String(contentsOf: root.appendingPathComponent("docs/PROTOCOL.md"), encoding: .utf8)
    }

    @Test("every command type, event type and error code is documented")
    func everythingNamed() throws {
        let document = try Self.document()
        let names = Command.wireTypes + RoomEvent.wireTypes + RoomError.all.map(\.code) + ProtocolError.codes
        for name in names {
            #expect(document.contains("| `\(name)` |"), "\(name) has no row in docs/PROTOCOL.md")
        }
    }

    @Test("every complete JSON message in the document decodes")
    func examplesDecode() throws {
        let lines = try Self.document().split(separator: "\n").filter { $0.contains(#"{"v":1,"#) && !$0.contains("…") }
        #expect(lines.count > 50)
        for line in lines {
            let json = String(line[line.firstIndex(of: "{")!...])
            let asCommand = ClientMessageDecoder.decode(json)
            let asServer = ServerMessage.decode(json)
            if line.contains("→") {
                #expect(throws: Never.self, "\(line.prefix(60))") { try asCommand.get() }
            } else if case .failure = asServer, case .failure = asCommand {
                Issue.record("does not decode: \(line.prefix(80))")
            }
        }
    }
}
