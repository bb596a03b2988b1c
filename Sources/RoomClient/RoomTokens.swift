/// The join tokens of a several-room join (`iop join URL room-a room-b …`), one per
/// room, each a facilitator's: `--token-file ROOM=FILE` (once per room), else
/// `--token-dir FOLDER` (the file `FOLDER/ROOM.token`), else a prompt per room on the
/// terminal with echo off. `--token` and `IOP_TOKEN` carry one token and are not used.
/// Every problem is found before any connection is opened.
public struct RoomTokens: Sendable {
    /// The rooms, in the order given (the order of the tabs).
    public let rooms: [String]
    /// The `--token-file` values, each `ROOM=FILE`.
    public let files: [String]
    /// `--token-dir`: a folder holding `ROOM.token` files.
    public let directory: String?
    /// Asks for a room's token (the question names the room); nil when there is no one
    /// to ask. Default: on the terminal with echo off.
    let ask: @Sendable (String) -> String?

    /// Tokens for `rooms` from `files` (`ROOM=FILE`) and `directory`, else from `ask`
    /// (by default a prompt on the terminal with echo off).
    public init(
        rooms: [String], files: [String], directory: String?,
        ask: (@Sendable (String) -> String?)? = nil
    ) {
        self.rooms = rooms
        self.files = files
        self.directory = directory
        self.ask = ask ?? { TokenSource.prompt($0) }
    }

    /// One token per room, in room order; refused (exit status 2) when a room is named
    /// twice, there are more than ``SeveralRoomsProblem/maximumRooms``, a file names no
    /// room of the join, a token is missing or unreadable, or a token is not a facilitator's.
    public func resolve() throws(ClientFailure) -> [String] {
        try checkRooms()
        var named: [String: String] = [:]
        for spec in files {
            guard let equals = spec.firstIndex(of: "="), rooms.contains(String(spec[..<equals])) else {
                throw .severalRooms(spec, .tokenFileForNoRoom)
            }
            named[String(spec[..<equals])] = String(spec[spec.index(after: equals)...])
        }
        var tokens: [String] = []
        for room in rooms {
            let token = try token(for: room, file: named[room])
            guard let claims = JoinTokenClaims(token: token) else { throw .severalRooms(room, .unreadableToken) }
            guard claims.isFacilitator else { throw .severalRooms(room, .notFacilitator) }
            tokens.append(token)
        }
        return tokens
    }

    /// The room names are distinct and few enough.
    public func checkRooms() throws(ClientFailure) {
        guard rooms.count <= SeveralRoomsProblem.maximumRooms else {
            throw .severalRooms(rooms[SeveralRoomsProblem.maximumRooms], .tooManyRooms)
        }
        var seen: Set<String> = []
        for room in rooms where !seen.insert(room).inserted { throw .severalRooms(room, .repeatedRoom) }
    }

    private func token(for room: String, file: String?) throws(ClientFailure) -> String {
        if let file {
            guard let text = TokenSource.read(file), !text.isEmpty else { throw .severalRooms(room, .missingToken) }
            return text
        }
        if let directory, let text = TokenSource.read(directory + "/" + room + ".token"), !text.isEmpty {
            return text
        }
        guard let prompted = ask("Join token for \(room) (not shown): "), !prompted.isEmpty else {
            throw .severalRooms(room, .missingToken)
        }
        return prompted
    }
}
