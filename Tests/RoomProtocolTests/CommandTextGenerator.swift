import RoomCore

@testable import RoomProtocol

/// SplitMix64: a small seeded generator, so every run sees the same messages.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Client messages for comparing the flat read with the general one: valid commands of
/// every type, and the same commands subtly broken (members reordered, repeated, dropped,
/// nulled, of another kind, unknown, oddly spelled numbers, escapes, unicode).
struct CommandTextGenerator {
    /// One member as written: the key's JSON text (quotes included) and the value's.
    typealias Member = (key: String, value: String)

    var random: SeededGenerator

    /// Keys commands read (the envelope's and every field in the command table), keys
    /// spelled with escapes, and keys no command reads.
    static let keys =
        [#""v""#, #""id""#, #""type""#]
        + Set(CommandTable.all.flatMap(\.fields).map(\.name)).sorted().map { JSONWriter.string(.string($0)) }
        + [#""te\u0078t""#, #""\u0076""#, #""Text""#, #""future""#, #""""#, #""x\ud800""#]

    /// Values of every kind, valid for some field or subtly not.
    static let values = [
        "null", "true", "false", "0", "1", "-1", "7", "1.0", "1e0", "1E0", "10e-1", "0.1e1", "-0", "-0.0", "1.5",
        "2", "01", "1.", "86400000", "86400001", "2147483647", "2147483648", "9223372036854775807",
        "9223372036854775808", "18446744073709551615", "18446744073709551616", "1e300", "1e999", "-1e999",
        #""""#, #""c1""#, #""c 1""#, #""m-2""#, #""1""#, #""chat.send""#, #""hand.raise""#, #""checkin.answer""#,
        #""caf\u00e9""#, #""\ud83e\uddd8 calm""#, #""\ud800""#, #""\udc00x""#, #""\x""#, #""\u12""#,
        "\"a\u{1}b\"", #""\"quoted\" \\ \/ \n""#, "\"日本 🧘‍♀️ é\"", #""\u0000""#,
        "\"" + String(repeating: "a", count: 64) + "\"", "\"" + String(repeating: "a", count: 65) + "\"",
        "\"" + String(repeating: "é", count: 129) + "\"", "[]", "[1,\"a\"]", "{}", #"{"mood":7}"#,
        #"{"mood":7,"note":"better","skip":null}"#, #"{"mood":7,"mood":"x"}"#, #"{"mood":true}"#,
        #"{"mood":6.5}"#, #"{"mood":[1]}"#, #"{"a":{"b":[null]}}"#,
    ]

    /// The members of a valid command as ``ClientMessageEncoder`` writes them.
    static func members(of envelope: ClientEnvelope) -> [Member] {
        [
            (#""v""#, "1"), (#""type""#, JSONWriter.string(.string(envelope.command.wireType))),
            (#""id""#, JSONWriter.string(.string(envelope.id.rawValue))),
        ] + envelope.command.wireFields.map { (JSONWriter.string(.string($0.0)), JSONWriter.string($0.1)) }
    }

    /// A message: a sample command, valid as written or after up to three changes.
    mutating func next() -> String {
        let command = Samples.commands.randomElement(using: &random)!
        let id = CommandID("c-\(Int.random(in: 1...999, using: &random))")
        var members = Self.members(of: ClientEnvelope(id: id, command: command))
        for _ in 0..<Int.random(in: 0...3, using: &random) { change(&members) }
        let separator = Bool.random(using: &random) ? "," : " ,\n\t"
        return "{" + members.map { "\($0.key):\($0.value)" }.joined(separator: separator) + "}"
    }

    private mutating func change(_ members: inout [Member]) {
        guard let index = members.indices.randomElement(using: &random) else {
            members.append((Self.keys.randomElement(using: &random)!, Self.values.randomElement(using: &random)!))
            return
        }
        switch Int.random(in: 0..<7, using: &random) {
        case 0: members.shuffle(using: &random)
        case 1: members.insert(members[index], at: Int.random(in: 0...members.count, using: &random))
        case 2:
            let repeated = (members[index].key, Self.values.randomElement(using: &random)!)
            members.insert(repeated, at: Int.random(in: 0...members.count, using: &random))
        case 3: members.remove(at: index)
        case 4: members[index].value = Self.values.randomElement(using: &random)!
        case 5: members[index].value = "null"
        default:
            let extra = (Self.keys.randomElement(using: &random)!, Self.values.randomElement(using: &random)!)
            members.insert(extra, at: Int.random(in: 0...members.count, using: &random))
        }
    }
}
