/// Placeholder: the screen model arrives with the terminal client work.
public enum TerminalUIPlaceholder {}
