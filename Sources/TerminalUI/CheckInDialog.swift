import RoomCore

/// The check-in dialog: arrow keys move a 0–10 scale, letters type a word, Enter
/// sends, `Ctrl-P` passes, Esc closes it for now.
public struct CheckInDialog: Sendable, Hashable {
    /// What a key did.
    public enum Action: Sendable, Hashable {
        /// Nothing to send yet.
        case none
        /// Send this answer.
        case submit(CheckInAnswer)
        /// Pass on the round.
        case pass
        /// Close the dialog without answering.
        case dismiss
    }

    /// The template being answered.
    public let template: CheckInTemplate
    /// The field being edited.
    public private(set) var field = 0
    /// Scores chosen, by field id.
    public private(set) var scores: [String: Int] = [:]
    /// Text typed, by field id.
    public private(set) var texts: [String: String] = [:]

    /// A dialog with every scale at its middle.
    public init(template: CheckInTemplate) {
        self.template = template
        for field in template.fields {
            if case .scale(let range) = field.kind { scores[field.id] = (range.lowerBound + range.upperBound) / 2 }
        }
    }

    /// Applies a key.
    public mutating func handle(_ key: Key) -> Action {
        let current = template.fields[field]
        switch (key, current.kind) {
        case (.escape, _): return .dismiss
        case (.control("p"), _): return .pass
        case (.up, _): field = max(0, field - 1)
        case (.down, _), (.tab, _): field = min(template.fields.count - 1, field + 1)
        case (.left, .scale(let range)): scores[current.id] = max(range.lowerBound, (scores[current.id] ?? 0) - 1)
        case (.right, .scale(let range)): scores[current.id] = min(range.upperBound, (scores[current.id] ?? 0) + 1)
        case (.character(let c), .scale(let range)):
            if let digit = c.wholeNumberValue, range.contains(digit) { scores[current.id] = digit }
        case (.character(let c), .word(let limit)), (.character(let c), .text(let limit)):
            var text = texts[current.id] ?? ""
            if text.count < limit, !(c == " " && isWord(current)) { text.append(c) }
            texts[current.id] = text
        case (.backspace, _): texts[current.id] = String((texts[current.id] ?? "").dropLast())
        case (.enter, _):
            if let answer = answer { return .submit(answer) }
            field = min(template.fields.count - 1, field + 1)
        default: break
        }
        return .none
    }

    /// The answer, once every text field has something in it.
    public var answer: CheckInAnswer? {
        var values: [String: CheckInValue] = [:]
        for field in template.fields {
            switch field.kind {
            case .scale: values[field.id] = .score(scores[field.id] ?? 0)
            case .word, .text:
                guard let text = texts[field.id], !text.isEmpty else { return nil }
                values[field.id] = .text(ConfidentialText(text))
            }
        }
        return CheckInAnswer(values)
    }

    private func isWord(_ field: CheckInField) -> Bool {
        if case .word = field.kind { return true }
        return false
    }
}
