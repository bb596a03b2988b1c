import BenchSupport
import RoomCore
import RoomProtocol
import SocketTransport
import WebSocketCore

/// One bench member: speaks protocol v1 (offering iop.v2 unless `--protocol-v1`:
/// then its own copy of a message, carrying the command's id, is the ack) like a
/// real client. A participant
/// accepts the agreement and waits; a facilitator admits everyone who waits.
/// Once in the room it sends chat on its loop's schedule and records the
/// latency of every other member's message it receives.
final class MemberClient: WebSocketHandler, @unchecked Sendable {
    // Mutable fields are touched only on `state.loop` (every callback and the
    // schedule run there).

    /// The member's index in the run (its chat messages carry it).
    let index: Int
    /// The member's room (index into the run's rooms).
    let room: Int
    /// Facilitator or participant.
    let role: Role
    /// The loop this member runs on.
    let state: LoopState
    private let control: BenchControl
    private let messageBytes: Int
    /// Whether the server speaks the relay protocol (`--peer`): a member is in
    /// its room as soon as it is connected.
    private let speaksRelay: Bool
    /// Whether the member reacts (`--reaction-every`): it then keeps the id of the
    /// last chat message from another member it received.
    private let reacts: Bool
    /// The group message this member would react to next.
    private var lastReceived: UInt64?
    /// The message it last reacted to and how many reactions (kinds) it gave it.
    private var lastReacted: (message: UInt64, kinds: Int)?
    private var connection: WebSocketConnection?
    private var nextCommand = 0
    private var admitted: Set<MemberID> = []
    private var greeted = false
    /// The agreement version to accept once `control` stops holding agreements.
    private var heldAgreement: String?
    /// Whether the member is in the room (admitted, or a facilitator who arrived).
    private(set) var isInRoom = false
    /// Deliveries each of this member's messages should make (set when chat starts).
    var audience = 0

    init(
        index: Int, room: Int, role: Role, state: LoopState, control: BenchControl, messageBytes: Int,
        speaksRelay: Bool, reacts: Bool
    ) {
        self.index = index
        self.room = room
        self.role = role
        self.state = state
        self.control = control
        self.messageBytes = messageBytes
        self.speaksRelay = speaksRelay
        self.reacts = reacts
    }

    func webSocketDidOpen(_ connection: WebSocketConnection) {
        self.connection = connection
        if speaksRelay {
            noteGreeted()
            enterRoom()
        }
    }

    func webSocket(_ connection: WebSocketConnection, didReceive message: WebSocketMessage) {
        guard case .text(var text) = message else {
            state.figures.undecodable += 1
            return
        }
        if let chat = ChatText.find(inFrame: &text) {
            if reacts, chat.sender != index, let id = ChatText.messageID(inFrame: &text) { lastReceived = id }
            if chat.sender == index, ChatText.carriesAck(inFrame: &text) { state.figures.ownCopyAcks += 1 }
            received(chat)
        } else if text.hasPrefix(#"{"v":1,"type":"ack""#) {
            state.figures.acks += 1
        } else if text.hasPrefix(#"{"v":1,"type":"welcome""#) || text.hasPrefix(#"{"v":1,"type":"activities""#) {
            return  // who we are (the bench knows from the token), what a facilitator could start
        } else if let type = ChatText.eventType(inFrame: &text), !needsDecoding(type, &text) {
            switch type {
            case "room.snapshot":
                noteGreeted()
                enterRoom()  // nobody to admit: nothing to read but the fact
            case "reaction.changed":
                // A delivery of its own (one per member the message reached), counted apart from chat.
                state.figures.reactionUpdatesTotal += 1
                if control.phase == .measuring { state.figures.reactionUpdatesInWindow += 1 }
            case "agreement.required":
                if let version = ChatText.agreementVersion(inFrame: &text) {
                    agreementRequired(version: version)
                } else {
                    decode(text)
                }
            default:
                state.figures.skippedEvents += 1
            }
        } else {
            decode(text)
        }
    }

    private func decode(_ text: String) {
        switch ServerMessage.decode(text) {
        case .success(let decoded): handle(decoded)
        case .failure: state.figures.undecodable += 1
        }
    }

    /// Whether an event must be decoded: for a facilitator a snapshot with
    /// someone waiting, and the waiting room (whom to admit). The rest (the
    /// agreement's version, rosters...) is read or counted without a full
    /// decode, which would cost the bench more than the server spends sending them.
    private func needsDecoding(_ type: String, _ frame: inout String) -> Bool {
        switch type {
        case "room.snapshot": role == .facilitator && !ChatText.hasNobodyWaiting(inFrame: &frame)
        case "waiting.room": role == .facilitator
        default: false
        }
    }

    func webSocketDidClose(_ connection: WebSocketConnection, code: CloseCode?) {
        self.connection = nil
        control.closed.add(1, ordering: .relaxed)
        if control.phase < .stopping {
            LoopState.count(code.map { "\($0.value)" } ?? "none", in: &state.figures.closes)
        }
    }

    /// Sends one chat message stamped with the time and phase.
    func sendChat() {
        let phase = control.phase
        guard phase == .warmingUp || phase == .measuring, let connection else { return }
        let measured = phase == .measuring
        let chat = ChatText(measured: measured, sender: index, sentAt: monotonicNanoseconds())
        send(.sendChat(ConfidentialText(chat.text(size: messageBytes))), on: connection)
        if measured {
            state.figures.sentMeasured += 1
            state.figures.expectedMeasured += audience
        } else {
            state.figures.sentWarmup += 1
        }
    }

    /// Reacts to the last group message received from another member: `me_too`,
    /// or the next kind if it already reacted to that message (nothing once it gave
    /// every kind, or before it received any).
    func sendReaction() {
        let phase = control.phase
        guard phase == .warmingUp || phase == .measuring, let connection, let message = lastReceived else { return }
        let kinds = lastReacted?.message == message ? lastReacted?.kinds ?? 0 : 0
        guard kinds < ReactionKind.allCases.count else { return }
        lastReacted = (message, kinds + 1)
        send(.react(MessageID(message), ReactionKind.allCases[kinds]), on: connection)
        if phase == .measuring {
            state.figures.reactionsMeasured += 1
        } else {
            state.figures.reactionsWarmup += 1
        }
    }

    /// A facilitator ends the session: the room purges its content and closes
    /// every member with 4003, as at the end of a real group.
    func endSession() {
        guard role == .facilitator else { return }
        send(.endSession)
    }

    /// Starts the closing handshake.
    func close() {
        connection?.close(code: .normalClosure, reason: "bench done")
    }

    private func received(_ chat: ChatText) {
        guard chat.sender != index else {
            state.figures.ownCopies += 1
            return
        }
        state.figures.deliveredTotal += 1
        let now = monotonicNanoseconds()
        let latency = now > chat.sentAt ? now - chat.sentAt : 0
        if control.phase == .measuring {
            state.figures.deliveredInWindow += 1
            state.figures.windowHistogram.record(latency)
        }
        if chat.measured {
            state.figures.deliveredMeasured += 1
            state.figures.histogram.record(latency)
        }
    }

    private func handle(_ message: ServerMessage) {
        switch message {
        case .event(_, _, .agreementRequired(let agreement)):
            agreementRequired(version: agreement.version)
        case .event(_, _, .snapshot(let snapshot)):
            noteGreeted()
            enterRoom()
            admit(snapshot.waiting)
        case .event(_, _, .waitingRoom(let waiting)):
            admit(waiting)
        case .error(let code, _, _):
            LoopState.count(code, in: &state.figures.errors)
        case .goingAway:
            LoopState.count("going_away", in: &state.figures.errors)
        default:
            break
        }
    }

    private func agreementRequired(version: String) {
        noteGreeted()
        if control.holdingAgreements.load(ordering: .relaxed) {
            heldAgreement = version
        } else {
            send(.acceptAgreement(version: version))
        }
    }

    /// Accepts the agreement kept while `control` held agreements, if any.
    func acceptHeldAgreement() {
        guard let version = heldAgreement else { return }
        heldAgreement = nil
        send(.acceptAgreement(version: version))
    }

    private func noteGreeted() {
        guard !greeted else { return }
        greeted = true
        control.noteGreeted()
    }

    private func enterRoom() {
        guard !isInRoom else { return }
        isInRoom = true
        control.noteReady()
    }

    /// A facilitator admits everyone waiting whom it has not admitted yet.
    private func admit(_ waiting: [WaitingEntry]) {
        guard role == .facilitator else { return }
        for entry in waiting where !admitted.contains(entry.member) {
            admitted.insert(entry.member)
            send(.admit(entry.member))
        }
    }

    private func send(_ command: Command, on connection: WebSocketConnection? = nil) {
        guard let connection = connection ?? self.connection else { return }
        nextCommand += 1
        let envelope = ClientEnvelope(id: CommandID("c\(nextCommand)"), command: command)
        connection.send(WebSocketMessage.text(ClientMessageEncoder.encode(envelope)))
    }
}
