/// One room to join: where it is and the token that admits to it.
public struct RoomJoin: Sendable {
    /// The room's address.
    public var address: ServerAddress
    /// The join token (never printed).
    public var token: String

    /// A room and its token.
    public init(address: ServerAddress, token: String) {
        self.address = address
        self.token = token
    }
}
