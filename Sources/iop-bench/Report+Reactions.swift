import BenchSupport

extension Report {
    /// Reactions (`--reaction-every`): what was sent and the `reaction.changed` events
    /// received in the window. Those events are deliveries of their own: chat's
    /// figures (`deliveries_per_second`, `server_cpu_us_per_delivery`, the latencies)
    /// stay chat's alone, as without reactions; `server_cpu_us_per_delivery_all`
    /// divides the server's CPU by chat deliveries and reaction updates together.
    mutating func addReactionFigures(_ figures: Figures, seconds: Double, serverCPU: Double?) {
        let sentRate = Double(figures.reactionsMeasured) / seconds
        add(
            "reactions_measured", .integer(figures.reactionsMeasured),
            "reactions sent in the window: \(figures.reactionsMeasured) (\(formatted(sentRate, decimals: 0))/s)")
        let updateRate = Double(figures.reactionUpdatesInWindow) / seconds
        add("reaction_updates_in_window", .integer(figures.reactionUpdatesInWindow), nil)
        add(
            "reaction_updates_per_second", .number(updateRate),
            "reaction updates/s (reaction.changed received, not counted in deliveries/s): "
                + formatted(updateRate, decimals: 0))
        guard let serverCPU else { return }
        let all = figures.deliveredInWindow + figures.reactionUpdatesInWindow
        let perDelivery = all > 0 ? serverCPU / Double(all) * 1e6 : .nan
        add(
            "server_cpu_us_per_delivery_all", .number(perDelivery),
            "server CPU per delivery, chat and reaction updates together: "
                + "\(formatted(perDelivery, decimals: 2)) µs (\(all) in the window)")
    }
}
