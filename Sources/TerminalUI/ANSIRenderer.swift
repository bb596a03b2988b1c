/// Turns screens into ANSI escape sequences, redrawing only the rows that changed.
/// With `colors` false (`NO_COLOR`), colors are left out; bold, dim and reverse stay.
public struct ANSIRenderer: Sendable {
    /// Whether to emit colors. Default true; false when `NO_COLOR` is set.
    public var colors: Bool
    private var previous: Screen?

    /// A renderer; the first frame is drawn in full.
    public init(colors: Bool = true) { self.colors = colors }

    /// Forgets the last frame (after a resize or a redraw request).
    public mutating func invalidate() { previous = nil }

    /// The bytes that turn the last frame into `screen`.
    public mutating func frame(_ screen: Screen) -> String {
        var out = "\u{1B}[?25l"  // hide the cursor while drawing
        let full = previous == nil || previous?.width != screen.width || previous?.height != screen.height
        if full { out += "\u{1B}[0m\u{1B}[2J" }
        for row in 0..<screen.height {
            if !full, let previous, (0..<screen.width).allSatisfy({ previous[row, $0] == screen[row, $0] }) { continue }
            out += "\u{1B}[\(row + 1);1H"
            var style: CellStyle?
            for column in 0..<screen.width {
                let cell = screen[row, column]
                if cell.text.isEmpty { continue }  // covered by a wide character
                if cell.style != style {
                    out += sgr(cell.style)
                    style = cell.style
                }
                out += cell.text
            }
            out += "\u{1B}[0m"
        }
        if let cursor = screen.cursor { out += "\u{1B}[\(cursor.row + 1);\(cursor.column + 1)H\u{1B}[?25h" }
        previous = screen
        return out
    }

    /// The SGR sequence for a style (RFC-less: ECMA-48 §8.3.117).
    func sgr(_ style: CellStyle) -> String {
        var codes = ["0"]
        if style.bold { codes.append("1") }
        if style.dim { codes.append("2") }
        if style.reverse && !(colors && style.background != nil) { codes.append("7") }
        if colors {
            if let foreground = style.foreground { codes.append("\(30 + foreground.rawValue)") }
            if let background = style.background { codes.append("\(40 + background.rawValue)") }
        }
        return "\u{1B}[" + codes.joined(separator: ";") + "m"
    }
}
