/// Why `iop` will not join several rooms at once as asked, found before connecting.
public enum SeveralRoomsProblem: Sendable, Hashable {
    /// A room's token is a participant's (or another role's): several rooms are for
    /// facilitators; participants stay one room per `iop`.
    case notFacilitator
    /// A room's token could not be read (not a join token), so its role is unknown.
    case unreadableToken
    /// No token was found for a room (no `--token-file ROOM=FILE`, none in `--token-dir`,
    /// and no terminal to ask on).
    case missingToken
    /// A room was named twice.
    case repeatedRoom
    /// More rooms than ``SeveralRoomsProblem/maximumRooms``.
    case tooManyRooms
    /// A `--token-file` is not `ROOM=FILE` with ROOM one of the rooms named.
    case tokenFileForNoRoom
    /// `--token` carries one token, and a token admits to one room.
    case singleTokenOption

    /// The most rooms one `iop` joins: 9, one per Alt-digit key.
    public static let maximumRooms = 9

    /// A stable machine code.
    var code: String {
        switch self {
        case .notFacilitator: "several_rooms_not_facilitator"
        case .unreadableToken: "several_rooms_unreadable_token"
        case .missingToken: "missing_token"
        case .repeatedRoom: "several_rooms_repeated"
        case .tooManyRooms: "several_rooms_too_many"
        case .tokenFileForNoRoom: "several_rooms_token_file"
        case .singleTokenOption: "several_rooms_token_option"
        }
    }

    /// What is wrong, for the room `room` (or the option's value).
    func summary(_ room: String) -> String {
        switch self {
        case .notFacilitator:
            "The join token for \(room) is not a facilitator's. Several rooms at once are for facilitators."
        case .unreadableToken: "The join token for \(room) could not be read, so iop cannot tell whose it is."
        case .missingToken: "No join token was given for \(room)."
        case .repeatedRoom: "The room \(room) is named twice."
        case .tooManyRooms: "iop joins at most \(Self.maximumRooms) rooms at once."
        case .tokenFileForNoRoom: "“--token-file \(room)” does not say which room it is for."
        case .singleTokenOption: "--token gives one token, and a token admits to one room."
        }
    }

    /// What to do.
    var advice: String {
        switch self {
        case .notFacilitator: "Join one room per iop: iop join URL ROOM --token-file FILE."
        case .unreadableToken: "Check that the file holds the whole token from your program."
        case .missingToken, .tokenFileForNoRoom, .singleTokenOption:
            "Give each room its token: --token-file ROOM=FILE for each, or --token-dir FOLDER holding ROOM.token files."
        case .repeatedRoom: "Name each room once."
        case .tooManyRooms: "Run a second iop for the others."
        }
    }
}
