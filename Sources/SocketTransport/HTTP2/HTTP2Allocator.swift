import CNghttp2
import Glibc

/// The `nghttp2_mem` of one HTTP/2 connection: every byte nghttp2 holds for
/// it (HPACK tables, frames in and out, stream state) is charged to the
/// connection's `BudgetAccount` (the server's memory budget), in 4 KiB
/// steps. When the budget refuses, the allocation returns NULL, nghttp2
/// fails with `NGHTTP2_ERR_NOMEM` and the connection is closed (GOAWAY when
/// one can still be sent).
///
/// Each block carries its size in a 16-byte prefix, so a free gives back
/// exactly what its allocation took. Must outlive the `nghttp2_session`
/// (freed after `nghttp2_session_del`).
final class HTTP2Allocator {
    // Used only on the connection's loop thread, where nghttp2 runs.

    /// The step the budget is charged in.
    static let chargeStep = 4096
    /// Bytes in front of each block, holding its size (16 keeps the alignment malloc gives).
    private static let prefix = 16

    private let account: BudgetAccount
    /// Bytes nghttp2 holds now, prefixes included.
    private(set) var held = 0
    /// Bytes reserved from the budget for `held`.
    private var charged = 0
    /// Allocations refused because the budget was spent.
    private(set) var refusals = 0

    init(account: BudgetAccount) {
        self.account = account
    }

    /// The C allocator; `mem_user_data` points at this object (unretained).
    func makeMem() -> nghttp2_mem {
        nghttp2_mem(
            mem_user_data: Unmanaged.passUnretained(self).toOpaque(),
            malloc: { size, user in HTTP2Allocator.from(user).allocate(size, zeroed: false) },
            free: { pointer, user in HTTP2Allocator.from(user).free(pointer) },
            calloc: { count, size, user in
                let (total, overflow) = count.multipliedReportingOverflow(by: size)
                return overflow ? nil : HTTP2Allocator.from(user).allocate(total, zeroed: true)
            },
            realloc: { pointer, size, user in HTTP2Allocator.from(user).reallocate(pointer, size) })
    }

    /// Gives back what is still charged (after `nghttp2_session_del`).
    func releaseAll() {
        held = 0
        _ = account.keepCharge(&charged, for: 0, step: Self.chargeStep)
    }

    private static func from(_ user: UnsafeMutableRawPointer?) -> HTTP2Allocator {
        Unmanaged<HTTP2Allocator>.fromOpaque(user!).takeUnretainedValue()
    }

    private func grow(by bytes: Int) -> Bool {
        guard account.keepCharge(&charged, for: held + bytes, step: Self.chargeStep) else {
            refusals += 1
            return false
        }
        held += bytes
        return true
    }

    private func shrink(by bytes: Int) {
        held -= bytes
        _ = account.keepCharge(&charged, for: held, step: Self.chargeStep)
    }

    private func allocate(_ size: Int, zeroed: Bool) -> UnsafeMutableRawPointer? {
        guard size <= Int.max - Self.prefix, grow(by: size + Self.prefix) else { return nil }
        let block = zeroed ? calloc(1, size + Self.prefix) : malloc(size + Self.prefix)
        guard let block else {
            shrink(by: size + Self.prefix)
            return nil
        }
        block.storeBytes(of: size, as: Int.self)
        return block + Self.prefix
    }

    private func free(_ pointer: UnsafeMutableRawPointer?) {
        guard let pointer else { return }
        let block = pointer - Self.prefix
        shrink(by: block.load(as: Int.self) + Self.prefix)
        Glibc.free(block)
    }

    private func reallocate(_ pointer: UnsafeMutableRawPointer?, _ size: Int) -> UnsafeMutableRawPointer? {
        guard let pointer else { return allocate(size, zeroed: false) }
        let block = pointer - Self.prefix
        let old = block.load(as: Int.self)
        guard size <= Int.max - Self.prefix else { return nil }
        if size > old, !grow(by: size - old) { return nil }
        guard let moved = Glibc.realloc(block, size + Self.prefix) else {
            if size > old { shrink(by: size - old) }
            return nil
        }
        if size < old { shrink(by: old - size) }
        moved.storeBytes(of: size, as: Int.self)
        return moved + Self.prefix
    }
}
