/// Placeholder: the room client arrives with the terminal client work.
public enum RoomClientPlaceholder {}
