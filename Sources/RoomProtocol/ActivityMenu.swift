import RoomCore

/// What a facilitator can start in a room: its exercises, check-in templates and
/// agenda items, by id and title. Sent to facilitators as `activities` after `welcome`,
/// so a client can complete `/exercise box-b…` and list what the room offers.
public struct ActivityMenu: Sendable, Hashable {
    /// One thing that can be started.
    public struct Item: Sendable, Hashable {
        /// What the command names: an exercise or template id, or an agenda index.
        public var id: String
        /// For a person.
        public var title: String
        /// How long it runs, when that is known in advance.
        public var duration: Duration?

        /// Creates an item.
        public init(id: String, title: String, duration: Duration? = nil) {
            self.id = id
            self.title = title
            self.duration = duration
        }
    }

    /// Exercises (`exercise.start`).
    public var exercises: [Item]
    /// Check-in templates (`checkin.start`).
    public var checkIns: [Item]
    /// Agenda items (`agenda.start`, by index).
    public var agenda: [Item]

    /// Creates a menu.
    public init(exercises: [Item] = [], checkIns: [Item] = [], agenda: [Item] = []) {
        self.exercises = exercises
        self.checkIns = checkIns
        self.agenda = agenda
    }

    /// The menu of a configured room.
    public init(_ configuration: RoomConfiguration) {
        exercises = configuration.exercises.map { Item(id: $0.id, title: $0.name, duration: $0.totalDuration) }
        checkIns = configuration.checkInTemplates.map { Item(id: $0.id, title: $0.title) }
        agenda = configuration.agenda.enumerated().map {
            Item(id: String($0.offset), title: $0.element.name, duration: $0.element.plannedDuration)
        }
    }
}

extension ActivityMenu {
    var wireMembers: [(String, JSONValue)] {
        [("exercises", Self.wire(exercises)), ("checkIns", Self.wire(checkIns)), ("agenda", Self.wire(agenda))]
    }

    private static func wire(_ items: [Item]) -> JSONValue {
        .array(
            items.map { item in
                var object = ObjectBuilder()
                object.put("id", .string(item.id))
                object.put("title", .string(item.title))
                object.put("durationMs", item.duration.map { .milliseconds($0) })
                return object.value
            })
    }

    init(wire: WireObject) throws(ProtocolError) {
        self.init(
            exercises: try Self.items(wire, "exercises"), checkIns: try Self.items(wire, "checkIns"),
            agenda: try Self.items(wire, "agenda"))
    }

    private static func items(_ wire: WireObject, _ key: String) throws(ProtocolError) -> [Item] {
        var items: [Item] = []
        for object in try wire.objects(key) {
            let duration = try object.optionalInt64("durationMs", in: 0 ... .max).map { Duration.milliseconds($0) }
            items.append(Item(id: try object.string("id"), title: try object.string("title"), duration: duration))
        }
        return items
    }
}
