/// Placeholder until the protocol lands.
