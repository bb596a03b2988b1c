package main

import "testing"

func TestChatRoundTrip(t *testing.T) {
	b := appendChatSend(nil, 1234, 56, 7890123456, 7890123999, 120)
	s, k, at, w, ok := chatFields(b)
	if !ok || s != 1234 || k != 56 || at != 7890123456 || w != 7890123999 {
		t.Fatalf("parsed %v %d %d %d %d from %s", ok, s, k, at, w, b)
	}
	text := b[len(`{"v":1,"type":"chat.send","id":"c56","text":"`) : len(b)-2]
	if len(text) != 120 {
		t.Fatalf("text is %d bytes: %s", len(text), text)
	}
	event := []byte(`{"v":1,"type":"event","seq":9,"time":1,"event":{"type":"chat.message","id":3,"from":"a","alias":"A","role":"participant","scope":"group","text":"rig 7 8 9 10 xxxx","sentAt":1}}`)
	if s, k, at, w, ok := chatFields(event); !ok || s != 7 || k != 8 || at != 9 || w != 10 {
		t.Fatalf("event: %v %d %d %d %d", ok, s, k, at, w)
	}
	if eventType(event) != "chat.message" {
		t.Fatalf("event type %q", eventType(event))
	}
}

func TestNotChat(t *testing.T) {
	for _, f := range []string{`{"v":1,"type":"ack","id":"c1"}`, `{"text":"rig 1 2 3"}`, `{"text":"rig 1 2 x 4 "}`} {
		if _, _, _, _, ok := chatFields([]byte(f)); ok {
			t.Fatalf("%s read as chat", f)
		}
	}
}

func TestControlFrames(t *testing.T) {
	w := []byte(`{"v":1,"type":"event","seq":5,"time":1,"event":{"type":"waiting.room","waiting":[{"member":"p-1","alias":"A","since":1,"reconnecting":false},{"member":"p-2","alias":"B","since":1,"reconnecting":false}]}}`)
	got := allStrings(w, []byte(`"member":"`))
	if len(got) != 2 || got[0] != "p-1" || got[1] != "p-2" {
		t.Fatalf("members %v", got)
	}
	a := []byte(`{"v":1,"type":"event","seq":3,"time":1,"event":{"type":"agreement.required","text":"say \"version\":\"no\" here","version":"bench-1"}}`)
	if agreementVersion(a) != "bench-1" {
		t.Fatalf("version %q", agreementVersion(a))
	}
	r := []byte(`{"v":1,"type":"event","seq":19,"time":1,"event":{"type":"crisis.raised","alert":12,"member":"p","alias":"R","raisedAt":1}}`)
	if numberAfter(r, []byte(`"alert":`)) != 12 {
		t.Fatalf("alert %d", numberAfter(r, []byte(`"alert":`)))
	}
	if messageType([]byte(`{"v":1,"type":"welcome","member":"x"}`)) != "welcome" {
		t.Fatal("welcome")
	}
}
