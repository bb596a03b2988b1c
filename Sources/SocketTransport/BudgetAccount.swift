import WebSocketCore

/// One connection's share of the server's `MemoryBudget`: every reservation
/// the connection makes (its state machine's message buffers, its zlib
/// contexts, its outbound queue) goes through here and is remembered, so
/// that `releaseAll` gives back exactly what is still held when the
/// connection ends, whoever forgot to. No budget: everything is granted.
package final class BudgetAccount: BufferAllowance, @unchecked Sendable {
    // `held` is touched only on the connection's event loop.

    /// The shared budget; nil when the connection has none (a client).
    let budget: MemoryBudget?
    /// Bytes this connection holds reserved now.
    private(set) var held = 0

    package init(_ budget: MemoryBudget?) {
        self.budget = budget
    }

    /// Reserves `bytes` from the budget; false if it refused them.
    package func reserve(_ bytes: Int) -> Bool {
        guard let budget else { return true }
        guard budget.reserve(bytes) else { return false }
        held += bytes
        return true
    }

    /// Gives back `bytes` (at most what is held).
    package func release(_ bytes: Int) {
        let amount = min(bytes, held)
        guard amount > 0 else { return }
        held -= amount
        budget?.release(amount)
    }

    /// Keeps the reservation of one buffer at `held` bytes rounded up to `step`:
    /// grows or shrinks `charged` (what the buffer has reserved) to that. Returns
    /// false, changing nothing, if the budget refused the growth.
    func keepCharge(_ charged: inout Int, for held: Int, step: Int) -> Bool {
        let wanted = (held + step - 1) / step * step
        if wanted > charged {
            guard reserve(wanted - charged) else { return false }
        } else if wanted < charged {
            release(charged - wanted)
        }
        charged = wanted
        return true
    }

    /// Gives back everything still held.
    func releaseAll() {
        release(held)
    }
}
