import ServerTestSupport

@testable import RoomServer

extension ServerHarness {
    /// Returns after one more turn of every room's loop. A room publishes its
    /// load at the end of the turn that handed out an event, so once a client
    /// has seen that event and this returns, the load (and every count read
    /// from it) includes it: no need to poll.
    func roomsSettled() async {
        for host in application.rooms {
            await withCheckedContinuation { (turn: CheckedContinuation<Void, Never>) in
                host.loop.async { turn.resume() }
            }
        }
    }
}
