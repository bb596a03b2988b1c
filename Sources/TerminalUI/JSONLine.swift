import Foundation

/// A flat JSON object of strings, written by hand (members sorted for stable output).
enum JSONLine {
    static func object(_ fields: [String: String]) -> String {
        let members = fields.sorted { $0.key < $1.key }.map { "\(quote($0.key)):\(quote($0.value))" }
        return "{" + members.joined(separator: ",") + "}"
    }

    static func quote(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case let c where c.value < 0x20: result += String(format: "\\u%04x", c.value)
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }
}
