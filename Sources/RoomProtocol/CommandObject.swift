import Foundation

/// A client message's top-level object, read by one `JSONDecoder` pass: typed when it
/// has exactly the members of one command (the fast path), else as ``JSONValue``s one by
/// one (the general read, as ``JSONValue/parse(_:)`` reads any object).
///
/// Both give the members that ``ClientMessageDecoder`` then checks and turns into a
/// command with the same code; only how the JSON is read differs. The typed read
/// (`decode(String.self)` for a string member, `decode(Int64.self)` for a number, no
/// failed tries, no key list) is taken only when it provably gives the same members:
///
/// - every member is one the command's `"type"` reads (``CommandField/fields(ofType:)``),
///   read as the kind it has in a valid command, and none is null;
/// - there are as many as ``JSONPrescan`` counted in the text, so no member is unknown
///   (it would not have been read: an unknown member may hold text that the general read
///   refuses, such as a lone surrogate escape) and no key is repeated.
///
/// Then the general read finds the same keys and, for each, the same value: it tries
/// null, then `String`, then `Int64` (``JSONValue/init(from:)``), so a member that
/// decoded typed as a string or an `Int64` gives the same case and value there, and
/// `answers` is read by that very initializer. Anything else (an unknown, repeated or
/// null member, another kind, an unknown `"type"`) takes the general read.
enum CommandObject: Decodable {
    /// The members, read typed.
    case typed([(String, JSONValue)])
    /// The members, read as ``JSONValue``s (the general read).
    case general([(String, JSONValue)])

    /// The object's members, however they were read.
    var members: [(String, JSONValue)] {
        switch self {
        case .typed(let members), .general(let members): members
        }
    }

    init(from decoder: any Decoder) throws {
        let object = try decoder.container(keyedBy: JSONValue.AnyKey.self)
        if let count = decoder.userInfo[.topLevelMembers] as? Int,
            let members = Self.typedMembers(of: object, count: count)
        {
            self = .typed(members)
        } else {
            self = .general(try JSONValue.members(of: object))
        }
    }

    /// The members read typed, or nil when the object has any member the command does not
    /// read, a repeated key, a null, or a member of another kind.
    private static func typedMembers(
        of object: KeyedDecodingContainer<JSONValue.AnyKey>, count: Int
    ) -> [(String, JSONValue)]? {
        guard let type = read(.type, from: object), case .string(let typeName) = type,
            let fields = CommandField.fields(ofType: typeName)
        else { return nil }
        var members: [(String, JSONValue)] = []
        members.reserveCapacity(count)
        members.append((CommandField.type.name, type))
        for field in CommandField.envelope {
            if let value = read(field, from: object) { members.append((field.name, value)) }
        }
        for field in fields {
            if let value = read(field, from: object) { members.append((field.name, value)) }
        }
        return members.count == count ? members : nil
    }

    /// The member as its field's kind; nil when absent, null, or of another kind.
    private static func read(_ field: CommandField, from object: KeyedDecodingContainer<JSONValue.AnyKey>)
        -> JSONValue?
    {
        let key = JSONValue.AnyKey(stringValue: field.name)
        switch field.kind {
        case .string:
            guard let text = try? object.decodeIfPresent(String.self, forKey: key) else { return nil }
            return .string(text)
        case .integer:
            guard let number = try? object.decodeIfPresent(Int64.self, forKey: key) else { return nil }
            return .int(number)
        case .any:
            // Exactly as the general read: a null is left to it, like any other null.
            guard let value = try? object.decodeIfPresent(JSONValue.self, forKey: key), value != .null else {
                return nil
            }
            return value
        }
    }
}
