import RoomClient

/// A color from the 8-color ANSI palette (shown only when colors are allowed).
public enum TerminalColor: UInt8, Sendable, Hashable {
    /// ANSI colors 0–7.
    case black, red, green, yellow, blue, magenta, cyan, white
}

/// How a cell is drawn.
public struct CellStyle: Sendable, Hashable {
    /// Foreground color, or the terminal's default.
    public var foreground: TerminalColor?
    /// Background color, or the terminal's default.
    public var background: TerminalColor?
    /// Bold.
    public var bold = false
    /// Dim (faint).
    public var dim = false
    /// Reverse video (survives `NO_COLOR`, so alerts stay impossible to miss).
    public var reverse = false

    /// A style; the default is plain text.
    public init(
        foreground: TerminalColor? = nil, background: TerminalColor? = nil, bold: Bool = false, dim: Bool = false,
        reverse: Bool = false
    ) {
        self.foreground = foreground
        self.background = background
        self.bold = bold
        self.dim = dim
        self.reverse = reverse
    }

    /// Plain text.
    public static let plain = CellStyle()
}

/// One screen cell: a grapheme cluster (or "" for the right half of a wide one) and its style.
public struct Cell: Sendable, Hashable {
    /// The character drawn here; "" when the cell is covered by the wide character to its left.
    public var text: String
    /// The style.
    public var style: CellStyle

    /// A blank cell.
    public static let blank = Cell(text: " ", style: .plain)
}

/// A grid of cells: what the terminal should show. Rendering targets this, so it is
/// tested without a terminal.
public struct Screen: Sendable, Hashable {
    /// Columns.
    public let width: Int
    /// Rows.
    public let height: Int
    /// Row-major cells.
    public private(set) var cells: [Cell]
    /// Where the cursor should rest (row, column), or nil to hide it.
    public var cursor: (row: Int, column: Int)? {
        get { cursorRow.map { ($0, cursorColumn) } }
        set {
            cursorRow = newValue?.row
            cursorColumn = newValue?.column ?? 0
        }
    }
    private var cursorRow: Int?
    private var cursorColumn = 0

    /// A blank screen.
    public init(width: Int, height: Int) {
        self.width = max(0, width)
        self.height = max(0, height)
        cells = Array(repeating: .blank, count: self.width * self.height)
    }

    /// The cell at a position.
    public subscript(row: Int, column: Int) -> Cell {
        cells[row * width + column]
    }

    /// Writes `text` from (row, column), clipped to `limit` columns (default: to the
    /// right edge); a wide character that would straddle the limit becomes a space.
    /// The text is made safe first (``Swift/String/safeForTerminal``: controls,
    /// separators, bidi and other format characters become U+FFFD), so no cell ever
    /// holds one. Returns the columns used.
    @discardableResult
    public mutating func put(_ text: String, row: Int, column: Int, style: CellStyle = .plain, limit: Int? = nil) -> Int
    {
        guard row >= 0, row < height, column >= 0, column < width else { return 0 }
        let end = min(width, column + (limit ?? width))
        var x = column
        for character in text.safeForTerminal {
            let w = CellWidth.of(character)
            if w == 0 {
                if x > column { cells[row * width + x - 1].text.append(character) }  // combine with the previous
                continue
            }
            if x + w > end {
                if x < end { cells[row * width + x] = Cell(text: " ", style: style) }
                x = end
                break
            }
            cells[row * width + x] = Cell(text: String(character), style: style)
            if w == 2 { cells[row * width + x + 1] = Cell(text: "", style: style) }
            x += w
        }
        return x - column
    }

    /// Fills a row segment with spaces of `style`.
    public mutating func fill(row: Int, from column: Int = 0, to end: Int? = nil, style: CellStyle) {
        guard row >= 0, row < height else { return }
        for x in max(0, column)..<min(width, end ?? width) { cells[row * width + x] = Cell(text: " ", style: style) }
    }

    /// The text of each row (wide characters once, trailing spaces kept): for tests and screenshots.
    public var lines: [String] {
        (0..<height).map { row in (0..<width).map { self[row, $0].text }.joined() }
    }

    /// Equality of cells and cursor.
    public static func == (lhs: Screen, rhs: Screen) -> Bool {
        lhs.width == rhs.width && lhs.height == rhs.height && lhs.cells == rhs.cells && lhs.cursorRow == rhs.cursorRow
            && lhs.cursorColumn == rhs.cursorColumn
    }

    /// Hashes the cells.
    public func hash(into hasher: inout Hasher) { hasher.combine(cells) }
}
