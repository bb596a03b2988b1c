/// The input line: text with a cursor, editing keys, history, and Tab completion
/// of slash commands and aliases.
public struct LineEditor: Sendable, Hashable {
    /// The text being typed.
    public private(set) var text: [Character] = []
    /// The cursor, as an index into `text`.
    public private(set) var cursor = 0
    /// Lines entered before, oldest first (in memory only; never written anywhere).
    public private(set) var history: [String] = []
    private var historyIndex: Int?
    /// The most history lines kept. Default 100.
    public var historyLimit = 100

    /// An empty line.
    public init() {}

    /// The text as a string.
    public var line: String { String(text) }

    /// Applies an editing key; returns the entered line on Enter.
    public mutating func handle(_ key: Key, completions: [String] = []) -> String? {
        switch key {
        case .character(let character): insert(character)
        case .backspace:
            if cursor > 0 {
                text.remove(at: cursor - 1)
                cursor -= 1
            }
        case .delete: if cursor < text.count { text.remove(at: cursor) }
        case .left, .control("b"): cursor = max(0, cursor - 1)
        case .right, .control("f"): cursor = min(text.count, cursor + 1)
        case .home, .control("a"): cursor = 0
        case .end, .control("e"): cursor = text.count
        case .control("u"):
            text.removeFirst(cursor)
            cursor = 0
        case .control("k"): text.removeLast(text.count - cursor)
        case .up: recall(-1)
        case .down: recall(1)
        case .tab: complete(with: completions)
        case .enter: return enter()
        default: break
        }
        return nil
    }

    /// Inserts a character at the cursor.
    public mutating func insert(_ character: Character) {
        text.insert(character, at: cursor)
        cursor += 1
    }

    private mutating func enter() -> String {
        let entered = line
        if !entered.isEmpty, history.last != entered {
            history.append(entered)
            if history.count > historyLimit { history.removeFirst() }
        }
        text = []
        cursor = 0
        historyIndex = nil
        return entered
    }

    private mutating func recall(_ step: Int) {
        guard !history.isEmpty else { return }
        let index = (historyIndex ?? history.count) + step
        if index >= history.count {
            historyIndex = nil
            text = []
        } else {
            historyIndex = max(0, index)
            text = Array(history[historyIndex ?? 0])
        }
        cursor = text.count
    }

    /// Completes the word before the cursor with the unique candidate it starts, or
    /// with the candidates' common prefix.
    private mutating func complete(with candidates: [String]) {
        let before = text[..<cursor]
        let start = before.lastIndex(of: " ").map { $0 + 1 } ?? 0
        let word = String(text[start..<cursor]).lowercased()
        guard !word.isEmpty else { return }
        let matches = candidates.filter { $0.lowercased().hasPrefix(word) }
        guard let first = matches.first else { return }
        var common = first
        for match in matches.dropFirst() {
            common = String(zip(common, match).prefix { $0.lowercased() == $1.lowercased() }.map(\.0))
        }
        let completion = matches.count == 1 ? first + " " : common
        guard completion.count >= word.count else { return }
        text.replaceSubrange(start..<cursor, with: Array(completion))
        cursor = start + completion.count
    }
}
