import RoomCore

extension InputParser {
    /// How long a breakout lasts when `/breakout` names no time.
    static let defaultBreakoutDuration: Duration = .seconds(10 * 60)

    /// `/breakout`, `/visit N`, `/broadcast TEXT`, `/return`.
    static func breakouts(_ name: String, _ rest: String, in model: RoomViewModel) -> ParsedInput {
        let text = rest.trimmingWhitespace()
        switch name {
        case "visit":
            guard let group = Int(text), group >= 1 else { return .invalid("Usage: /visit N (a group's number)") }
            return .command(.visitBreakout(group: group))
        case "broadcast":
            guard !text.isEmpty else { return .invalid("Usage: /broadcast TEXT (to every breakout group)") }
            return .command(.broadcastToBreakouts(ConfidentialText(text)))
        case "return": return .command(.endBreakout)
        default: return breakout(text, in: model)
        }
    }

    /// `/breakout 3 [random|balanced] [10m]`, or `/breakout assign alice,bob | carol,dan [10m]`.
    static func breakout(_ rest: String, in model: RoomViewModel) -> ParsedInput {
        let usage = ParsedInput.invalid(
            "Usage: /breakout N [random|balanced] [10m], or /breakout assign NAME,NAME | NAME,NAME [10m]")
        var words = rest.split(separator: " ").map(String.init)
        var duration = defaultBreakoutDuration
        if let last = words.last, words.count > 1, let time = Self.duration(last) {
            duration = time
            words.removeLast()
        }
        guard let first = words.first else { return usage }
        if first.lowercased() == "assign" {
            let lists = words.dropFirst().joined(separator: " ").split(separator: "|")
            var groups: [[MemberID]] = []
            for list in lists {
                var group: [MemberID] = []
                for name in list.split(separator: ",").map({ String($0).trimmingWhitespace() }) where !name.isEmpty {
                    guard let member = model.member(named: name) else {
                        return .invalid("Nobody called “\(name)” is here.")
                    }
                    group.append(member)
                }
                groups.append(group)
            }
            guard groups.count >= 2 else { return usage }
            return .command(.startBreakout(BreakoutRequest(split: .named(groups), duration: duration)))
        }
        guard let count = Int(first), count >= 2, words.count <= 2 else { return usage }
        switch words.count == 2 ? words[1].lowercased() : "random" {
        case "random":
            return .command(.startBreakout(BreakoutRequest(split: .random(count: count, seed: 0), duration: duration)))
        case "balanced":
            return .command(.startBreakout(BreakoutRequest(split: .balanced(count: count), duration: duration)))
        default: return usage
        }
    }
}
