// Peer for `iop-bench --peer`: the relay protocol (../README.md) on
// gorilla/websocket, structured like gorilla's chat example: one hub goroutine
// owning the rooms, and per connection a reader goroutine, a writer goroutine
// and a buffered send channel. A client whose channel is full is closed, so a
// slow client never stalls the hub or the others.
//
// Usage: server PORT (listens on 127.0.0.1:PORT, accepts /peer/<room>).
package main

import (
	"log"
	"net/http"
	"os"
	"regexp"
	"time"

	"github.com/gorilla/websocket"
)

const (
	writeWait      = 10 * time.Second
	pongWait       = 60 * time.Second
	pingPeriod     = (pongWait * 9) / 10
	maxMessageSize = 1 << 20
	// Messages queued per client before it counts as too slow and is closed.
	// The chat example's 256 is too few for check.py's 500-message burst.
	sendBuffer = 1024
)

var (
	roomPath = regexp.MustCompile(`^/peer/([A-Za-z0-9-]{1,64})$`)
	upgrader = websocket.Upgrader{
		EnableCompression: false,
		CheckOrigin:       func(*http.Request) bool { return true },
	}
	ack *websocket.PreparedMessage
)

// message is one text message from sender, already framed once for all
// recipients (PreparedMessage).
type message struct {
	sender *client
	data   *websocket.PreparedMessage
}

type client struct {
	hub  *hub
	room string
	conn *websocket.Conn
	send chan *websocket.PreparedMessage
}

type hub struct {
	rooms      map[string]map[*client]bool
	register   chan *client
	unregister chan *client
	relay      chan message
}

func (h *hub) run() {
	for {
		select {
		case c := <-h.register:
			members := h.rooms[c.room]
			if members == nil {
				members = make(map[*client]bool)
				h.rooms[c.room] = members
			}
			members[c] = true
		case c := <-h.unregister:
			h.remove(c)
		case m := <-h.relay:
			members := h.rooms[m.sender.room]
			if !members[m.sender] {
				continue // the sender was dropped meanwhile
			}
			for c := range members {
				if c != m.sender {
					h.deliver(c, m.data)
				}
			}
			h.deliver(m.sender, ack)
		}
	}
}

// deliver queues data for c without blocking; a client that is this far
// behind is closed, as in the chat example.
func (h *hub) deliver(c *client, data *websocket.PreparedMessage) {
	select {
	case c.send <- data:
	default:
		h.remove(c)
	}
}

func (h *hub) remove(c *client) {
	members := h.rooms[c.room]
	if !members[c] {
		return
	}
	delete(members, c)
	close(c.send)
	if len(members) == 0 {
		delete(h.rooms, c.room)
	}
}

// readPump relays each text message through the hub.
func (c *client) readPump() {
	defer func() {
		c.hub.unregister <- c
		c.conn.Close()
	}()
	c.conn.SetReadLimit(maxMessageSize)
	c.conn.SetReadDeadline(time.Now().Add(pongWait))
	c.conn.SetPongHandler(func(string) error {
		return c.conn.SetReadDeadline(time.Now().Add(pongWait))
	})
	for {
		kind, data, err := c.conn.ReadMessage()
		if err != nil {
			return
		}
		c.conn.SetReadDeadline(time.Now().Add(pongWait))
		if kind != websocket.TextMessage {
			continue
		}
		pm, err := websocket.NewPreparedMessage(websocket.TextMessage, data)
		if err != nil {
			return
		}
		c.hub.relay <- message{c, pm}
	}
}

// writePump writes each queued message as its own WebSocket message.
func (c *client) writePump() {
	ticker := time.NewTicker(pingPeriod)
	defer func() {
		ticker.Stop()
		c.conn.Close()
	}()
	for {
		select {
		case data, ok := <-c.send:
			c.conn.SetWriteDeadline(time.Now().Add(writeWait))
			if !ok {
				c.conn.WriteMessage(websocket.CloseMessage, []byte{})
				return
			}
			if err := c.conn.WritePreparedMessage(data); err != nil {
				return
			}
		case <-ticker.C:
			c.conn.SetWriteDeadline(time.Now().Add(writeWait))
			if err := c.conn.WriteMessage(websocket.PingMessage, nil); err != nil {
				return
			}
		}
	}
}

func serveWs(h *hub, w http.ResponseWriter, r *http.Request) {
	match := roomPath.FindStringSubmatch(r.URL.Path)
	if match == nil {
		http.NotFound(w, r)
		return
	}
	conn, err := upgrader.Upgrade(w, r, nil)
	if err != nil {
		return // Upgrade has already replied with an error
	}
	c := &client{hub: h, room: match[1], conn: conn, send: make(chan *websocket.PreparedMessage, sendBuffer)}
	h.register <- c
	go c.writePump()
	go c.readPump()
}

func main() {
	if len(os.Args) != 2 {
		log.Fatal("usage: server PORT")
	}
	var err error
	ack, err = websocket.NewPreparedMessage(websocket.TextMessage, []byte(`{"v":1,"type":"ack"}`))
	if err != nil {
		log.Fatal(err)
	}
	h := &hub{
		rooms:      make(map[string]map[*client]bool),
		register:   make(chan *client),
		unregister: make(chan *client),
		relay:      make(chan message),
	}
	go h.run()
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { serveWs(h, w, r) })
	log.Fatal(http.ListenAndServe("127.0.0.1:"+os.Args[1], nil))
}
