import RoomCore

extension Command {
    /// The command with the randomness the room may not draw itself: a random
    /// breakout split gets a seed from the system's generator here (the wire carries
    /// none, and RoomCore reads no random source). Every other command is unchanged.
    func withServerSeed() -> Command {
        guard case .startBreakout(var request) = self, case .random(let count, _) = request.split else { return self }
        request.split = .random(count: count, seed: UInt64.random(in: .min ... .max))
        return .startBreakout(request)
    }
}
