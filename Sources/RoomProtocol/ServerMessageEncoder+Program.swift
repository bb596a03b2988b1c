extension ServerMessageEncoder {
    /// `{"v":1,"type":"schedule","timeZone":…,"waitingRoomOpen":…,"session":{…}|null}`: sent
    /// after `welcome` in a room with a program schedule (docs/PROTOCOL.md, "Program schedule").
    public static func schedule(_ schedule: SessionSchedule) -> String {
        var object = ObjectBuilder(type: "schedule", version: true)
        object.put(schedule.wireMembers)
        return JSONWriter.string(object.value)
    }

    /// `{"v":1,"type":"session_reminder",…}` (the same members): to facilitators, before the scheduled end.
    public static func sessionReminder(_ schedule: SessionSchedule) -> String {
        var object = ObjectBuilder(type: "session_reminder", version: true)
        object.put(schedule.wireMembers)
        return JSONWriter.string(object.value)
    }
}
