import Foundation
import RoomCore
import Testing

@testable import RoomProtocol

/// The descriptor table is the one place a command's wire name and fields are written:
/// the decoder, the encoder and docs/PROTOCOL.md must all agree with it.
@Suite("Command descriptor table")
struct CommandTableTests {
    /// The first sample of each command type.
    static let sampleOfType = Dictionary(
        Samples.commands.map { ($0.wireType, $0) }, uniquingKeysWith: { first, _ in first })

    @Test("every type is listed once and found by its name; every sample's type is in the table")
    func typesAreUnique() {
        let types = CommandTable.all.map(\.type)
        #expect(Set(types).count == types.count)
        for type in types { #expect(CommandTable.descriptor(ofType: type)?.type == type) }
        #expect(Set(Self.sampleOfType.keys) == Set(types))
    }

    @Test("a sample writes its descriptor's fields, in the descriptor's order", arguments: Samples.commands)
    func encoderWritesTheDescribedFields(_ command: Command) throws {
        let descriptor = try #require(CommandTable.descriptor(ofType: command.wireType))
        let written = command.wireFields.map(\.0)
        let described = descriptor.fields.map(\.name)
        #expect(written == described.filter(written.contains), "\(command.wireType)")
        let required = descriptor.fields.filter(\.isRequired).map(\.name)
        #expect(required.allSatisfy(written.contains), "\(command.wireType)")
    }

    /// The members of `command` as the encoder writes them, with `change` applied to them.
    static func text(of command: Command, _ change: (inout [(String, JSONValue)]) -> Void) -> String {
        var members: [(String, JSONValue)] = [
            ("v", .int(1)), ("type", .string(command.wireType)), ("id", .string("c1")),
        ]
        members += command.wireFields
        change(&members)
        return JSONWriter.string(.object(members))
    }

    @Test("each field is checked as described: required ones missing, any of them of the wrong kind")
    func fieldsAreCheckedAsDescribed() throws {
        for descriptor in CommandTable.all {
            let sample = try #require(Self.sampleOfType[descriptor.type])
            for field in descriptor.fields {
                let without = Self.text(of: sample) { $0.removeAll { $0.0 == field.name } }
                if field.isRequired {
                    #expect(
                        ClientMessageDecoder.decode(without).failure
                            == .missingField(field.name, commandID: "c1"), "\(descriptor.type) \(field.name)")
                } else {
                    #expect(ClientMessageDecoder.decode(without).failure == nil, "\(descriptor.type) \(field.name)")
                }
                let wrong = Self.text(of: sample) { members in
                    members.removeAll { $0.0 == field.name }
                    members.append((field.name, .bool(true)))
                }
                let failure = ClientMessageDecoder.decode(wrong).failure
                #expect(failure?.code == "invalid_field", "\(descriptor.type) \(field.name)")
                #expect(failure?.message.hasPrefix("The field \"\(field.name)\" must be ") == true)
            }
        }
    }

    /// A value of the field's JSON type just outside its limits, or nil when every value
    /// of that type is valid (any string is a valid `text`).
    static func outOfLimits(_ field: WireFieldSpec) -> JSONValue? {
        switch field.type {
        case .string: field.limits == "a string" ? nil : .string("")
        case .number: .int(-1)
        case .object: .object((0...CheckInAnswer.maximumFields).map { ("f\($0)", .int(1)) })
        case .array: .array([.string("only one")])
        }
    }

    @Test("a value of the right JSON type outside a field's limits is refused with those limits")
    func limitsAreTheChecked() throws {
        var checked = 0
        for descriptor in CommandTable.all {
            let sample = try #require(Self.sampleOfType[descriptor.type])
            for field in descriptor.fields {
                guard let value = Self.outOfLimits(field) else { continue }
                let text = Self.text(of: sample) { members in
                    members.removeAll { $0.0 == field.name }
                    members.append((field.name, value))
                }
                let expected = ProtocolError.invalidField(field.name, expected: field.limits, commandID: "c1")
                #expect(ClientMessageDecoder.decode(text).failure == expected, "\(descriptor.type) \(field.name)")
                checked += 1
            }
        }
        #expect(checked == CommandTable.all.flatMap(\.fields).filter { $0.name != "text" }.count)
    }

    @Test("checkin.start checks timeoutMs before template, as protocol v1 always has")
    func checkInStartOrder() {
        let text = #"{"v":1,"id":"c1","type":"checkin.start","template":5,"timeoutMs":-1}"#
        #expect(
            ClientMessageDecoder.decode(text).failure
                == .invalidField("timeoutMs", expected: "a whole number from 0 to 86400000", commandID: "c1"))
        let private_ = #"{"v":1,"id":"c1","type":"chat.private","to":5,"text":5}"#
        #expect(ClientMessageDecoder.decode(private_).failure?.message.contains(#""to""#) == true)
    }

    @Test("docs/PROTOCOL.md's row of each command names its fields, and which are optional")
    func documentedFields() throws {
        let rows = try DocumentationTests.document().split(separator: "\n")
        for descriptor in CommandTable.all {
            let row = try #require(rows.first { $0.hasPrefix("| `\(descriptor.type)` |") }, "\(descriptor.type)")
            let fieldsColumn = row.split(separator: "|", omittingEmptySubsequences: false)[2]
            #expect(
                fieldsColumn.trimmingCharacters(in: .whitespaces).isEmpty == descriptor.fields.isEmpty,
                "\(descriptor.type)")
            for field in descriptor.fields {
                #expect(fieldsColumn.contains("`\(field.name)`"), "\(descriptor.type) does not name \(field.name)")
                if !field.isRequired {
                    #expect(
                        fieldsColumn.contains("`\(field.name)` (optional"),
                        "\(descriptor.type): \(field.name) is not said to be optional")
                }
            }
        }
    }
}
