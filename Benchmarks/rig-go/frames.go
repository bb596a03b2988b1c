package main

import (
	"bytes"
	"strconv"
)

// The chat text is "rig <sender> <seq> <intended ns> <written ns> " padded
// with 'x': sender is the member's index in the run, seq counts its messages
// from 0, intended is when the schedule said to send it and written when the
// sender actually handed it to the socket (ns on the run's monotonic clock,
// shared by every member of this process). Receivers find
// it in any frame that carries it (iopd's chat.message event, or the peers'
// relayed chat.send) without a JSON decode.
var chatMarker = []byte(`"text":"rig `)

// appendChatSend appends a whole chat.send command with that text.
func appendChatSend(b []byte, sender int, seq int64, intended, written int64, textBytes int) []byte {
	b = append(b, `{"v":1,"type":"chat.send","id":"c`...)
	b = strconv.AppendInt(b, seq, 10)
	b = append(b, `","text":"rig `...)
	start := len(b) - 4
	b = strconv.AppendInt(b, int64(sender), 10)
	b = append(b, ' ')
	b = strconv.AppendInt(b, seq, 10)
	b = append(b, ' ')
	b = strconv.AppendInt(b, intended, 10)
	b = append(b, ' ')
	b = strconv.AppendInt(b, written, 10)
	b = append(b, ' ')
	for len(b)-start < textBytes {
		b = append(b, 'x')
	}
	return append(b, `"}`...)
}

// chatFields finds the rig's fields in a frame; ok is false when the frame
// carries no rig chat text.
func chatFields(frame []byte) (sender int, seq, intended, written int64, ok bool) {
	i := bytes.Index(frame, chatMarker)
	if i < 0 {
		return 0, 0, 0, 0, false
	}
	i += len(chatMarker)
	var v [4]int64
	for k := 0; k < 4; k++ {
		start := i
		for i < len(frame) && frame[i] >= '0' && frame[i] <= '9' {
			v[k] = v[k]*10 + int64(frame[i]-'0')
			i++
		}
		if i == start || i >= len(frame) || frame[i] != ' ' {
			return 0, 0, 0, 0, false
		}
		i++
	}
	return int(v[0]), v[1], v[2], v[3], true
}

var (
	ackPrefix   = []byte(`{"v":1,"type":"ack"`)
	errorPrefix = []byte(`{"v":1,"type":"error"`)
	eventPrefix = []byte(`{"v":1,"type":"event"`)
	typeMarker  = []byte(`"event":{"type":"`)
)

// eventType is event.type of an iopd event frame ("" for other frames). The
// server writes "v", "type", "seq", "time" then "event" (PROTOCOL.md), so the
// first "event":{"type":" is the event's.
func eventType(frame []byte) string {
	if !bytes.HasPrefix(frame, eventPrefix) {
		return ""
	}
	return stringAfter(frame, typeMarker)
}

// messageType is the top-level "type" of a non-event frame ("welcome", ...).
func messageType(frame []byte) string {
	return stringAfter(frame, []byte(`"type":"`))
}

// stringAfter is the JSON string (without escapes) that follows the first
// marker; "" when absent or escaped.
func stringAfter(frame, marker []byte) string {
	i := bytes.Index(frame, marker)
	if i < 0 {
		return ""
	}
	return stringAt(frame, i+len(marker))
}

func stringAt(frame []byte, start int) string {
	end := bytes.IndexByte(frame[start:], '"')
	if end < 0 || bytes.IndexByte(frame[start:start+end], '\\') >= 0 {
		return ""
	}
	return string(frame[start : start+end])
}

// allStrings is every string value following marker, in order.
func allStrings(frame, marker []byte) []string {
	var out []string
	for from := 0; from < len(frame); {
		i := bytes.Index(frame[from:], marker)
		if i < 0 {
			break
		}
		s := stringAt(frame, from+i+len(marker))
		if s != "" {
			out = append(out, s)
		}
		from += i + len(marker)
	}
	return out
}

// numberAfter is the non-negative integer after the first marker (-1 if none).
func numberAfter(frame, marker []byte) int64 {
	i := bytes.Index(frame, marker)
	if i < 0 {
		return -1
	}
	i += len(marker)
	var v int64 = -1
	for ; i < len(frame) && frame[i] >= '0' && frame[i] <= '9'; i++ {
		if v < 0 {
			v = 0
		}
		v = v*10 + int64(frame[i]-'0')
	}
	return v
}

// agreementVersion is the version of an agreement.required event: the last
// "version":" of the frame (it follows the text, in which a quote would be
// escaped, so the marker cannot match inside it).
func agreementVersion(frame []byte) string {
	m := []byte(`"version":"`)
	i := bytes.LastIndex(frame, m)
	if i < 0 {
		return ""
	}
	return stringAt(frame, i+len(m))
}
