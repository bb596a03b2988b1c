import Dispatch
import Glibc
import Logging

/// SIGHUP re-reads the TLS certificate and key (after a renewal) through a
/// Dispatch signal source: new connections get the new certificate, open ones
/// keep the context they started with; if the files cannot be used, the old
/// certificate stays in service and the error is logged (docs/PROTOCOL.md).
public struct TLSReloadSignal {
    private let source: any DispatchSourceSignal

    /// Ignores SIGHUP's default action (ending the process) and reloads
    /// `application`'s certificate on each one until ``cancel()``.
    public init(application: ServerApplication, logger: Logger) {
        signal(SIGHUP, SIG_IGN)
        source = DispatchSource.makeSignalSource(signal: SIGHUP, queue: DispatchQueue(label: "iopd.sighup"))
        source.setEventHandler {
            do {
                try application.reloadTLS()
            } catch {
                logger.error(
                    "tls reload failed; still serving the previous certificate", metadata: ["error": "\(error)"])
            }
        }
        source.resume()
    }

    /// Stops reloading on SIGHUP (the signal stays ignored).
    public func cancel() { source.cancel() }
}
