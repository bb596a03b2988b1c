/*
 * c-libwebsockets: a peer server for `iop-bench --peer`, written with
 * libwebsockets (Debian's libwebsockets-dev 4.1) the way lws recommends.
 * It speaks the relay protocol described in ../README.md:
 *
 *   - listen on 127.0.0.1:PORT (PORT = argv[1]);
 *   - a member joins room <room> with a WebSocket upgrade to GET /peer/<room>,
 *     <room> = [A-Za-z0-9-]{1,64}; any other path is closed at once;
 *   - a text message from a member goes, unchanged, to every other member of
 *     the same room, then the sender gets {"v":1,"type":"ack"};
 *   - a closed or failed connection leaves its room; nothing is logged per
 *     message.
 *
 * Design, following lws's minimal-examples (ws-server/minimal-ws-server*):
 * one context, one vhost, one protocol (index 0, so it takes every upgrade
 * that offers no subprotocol), single-threaded lws service loop, no
 * extensions. Each member has a FIFO of pointers to refcounted shared
 * messages: a broadcast is one allocation (with LWS_PRE headroom) shared by
 * every recipient, and the ack is one message allocated per vhost and shared
 * by everyone. RECEIVE queues and asks for WRITEABLE; each WRITEABLE does a
 * single lws_write and asks again while the FIFO is not empty. A member whose
 * FIFO reaches MAX_QUEUE (a reader that does not read) is killed, so memory
 * stays bounded. A sender is not killed for out-running its own acks: lws
 * reads a whole rx buffer per POLLIN but writes one message per WRITEABLE, so
 * while a member has RX_PAUSE messages queued its input is paused with
 * lws_rx_flow_control() (lws's backpressure idiom) until the FIFO drains to
 * RX_RESUME. Fragmented messages are reassembled before they are relayed.
 * Binary messages are not part of the protocol and are dropped.
 *
 * SIGINT / SIGTERM leave the service loop; lws_context_destroy then closes
 * every connection and everything is freed.
 */

#include <libwebsockets.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_QUEUE   4096          /* queued messages per member before kill */
#define RX_PAUSE    1024          /* stop reading a member with this many queued */
#define RX_RESUME   256           /* ... and read it again at this many */
#define MAX_MESSAGE (1024 * 1024) /* largest reassembled message, bytes */
#define ROOM_MAX    64            /* longest room name */
#define ACK_TEXT    "{\"v\":1,\"type\":\"ack\"}"

/* A message as sent: LWS_PRE bytes of headroom, then the payload. Shared by
 * every member that has it queued; freed when the last one lets go. */
struct msg {
	unsigned int refs;
	size_t len;
	unsigned char buf[]; /* LWS_PRE + len (+ spare while reassembling) */
};

/* A member's outgoing FIFO: a ring of message pointers, grown on demand. */
struct queue {
	struct msg **slot;
	unsigned int cap, head, count;
};

struct room;

/* Per-session data: one per WebSocket connection. */
struct member {
	struct lws *wsi;              /* set once the member has joined */
	struct room *room;
	struct member *prev, *next;   /* the room's member list */
	struct queue q;
	struct msg *partial;          /* message being reassembled */
	size_t partial_cap;
	unsigned char partial_binary;
	unsigned char dead;           /* queue overflowed; being killed */
	unsigned char rx_paused;      /* lws_rx_flow_control(wsi, 0) in force */
};

struct room {
	struct room *prev, *next;
	struct member *members;
	char name[ROOM_MAX + 1];
};

/* Per-vhost data. */
struct vhd {
	struct room *rooms;
	struct msg *ack;
};

static volatile sig_atomic_t interrupted;

/* ---- messages ---------------------------------------------------------- */

static struct msg *msg_alloc(size_t cap)
{
	struct msg *m = malloc(sizeof(*m) + LWS_PRE + cap);

	if (m) {
		m->refs = 0;
		m->len = 0;
	}
	return m;
}

static void msg_unref(struct msg *m)
{
	if (--m->refs == 0)
		free(m);
}

/* ---- member FIFO ------------------------------------------------------- */

/* Appends m (taking a reference). Returns -1 if the FIFO is full or out of
 * memory; the caller then kills the member. */
static int queue_push(struct queue *q, struct msg *m)
{
	if (q->count == q->cap) {
		unsigned int cap = q->cap ? q->cap * 2 : 16, i;
		struct msg **slot;

		if (q->cap >= MAX_QUEUE)
			return -1;
		if (cap > MAX_QUEUE)
			cap = MAX_QUEUE;
		slot = malloc(cap * sizeof(*slot));
		if (!slot)
			return -1;
		for (i = 0; i < q->count; i++)
			slot[i] = q->slot[(q->head + i) % q->cap];
		free(q->slot);
		q->slot = slot;
		q->cap = cap;
		q->head = 0;
	}
	q->slot[(q->head + q->count) % q->cap] = m;
	q->count++;
	m->refs++;
	return 0;
}

/* Removes and returns the oldest message; the caller owns its reference. */
static struct msg *queue_pop(struct queue *q)
{
	struct msg *m = q->slot[q->head];

	q->head = (q->head + 1) % q->cap;
	q->count--;
	return m;
}

static void queue_free(struct queue *q)
{
	while (q->count)
		msg_unref(queue_pop(q));
	free(q->slot);
	q->slot = NULL;
	q->cap = q->head = 0;
}

/* Queues m for one member and asks for a writable callback. A member that
 * cannot take it (FIFO full: a reader that does not read) is dropped: its
 * queue is freed now and lws closes it asynchronously. */
static void deliver(struct member *pss, struct msg *m)
{
	if (pss->dead)
		return;
	if (queue_push(&pss->q, m)) {
		pss->dead = 1;
		queue_free(&pss->q);
		lws_set_timeout(pss->wsi, PENDING_TIMEOUT_USER_OK,
				LWS_TO_KILL_ASYNC);
		return;
	}
	lws_callback_on_writable(pss->wsi);
}

/* ---- rooms ------------------------------------------------------------- */

/* "/peer/<room>" with <room> = [A-Za-z0-9-]{1,64}; returns the room name or
 * NULL. */
static const char *room_name(const char *uri)
{
	const char *name = uri + 6, *p;

	if (strncmp(uri, "/peer/", 6))
		return NULL;
	for (p = name; *p; p++)
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		      (*p >= '0' && *p <= '9') || *p == '-'))
			return NULL;
	if (p == name || p - name > ROOM_MAX)
		return NULL;
	return name;
}

static struct room *room_join(struct vhd *vhd, const char *name,
			      struct member *pss)
{
	struct room *r;

	for (r = vhd->rooms; r; r = r->next)
		if (!strcmp(r->name, name))
			break;
	if (!r) {
		r = calloc(1, sizeof(*r));
		if (!r)
			return NULL;
		strcpy(r->name, name); /* length checked by room_name() */
		r->next = vhd->rooms;
		if (r->next)
			r->next->prev = r;
		vhd->rooms = r;
	}
	pss->room = r;
	pss->prev = NULL;
	pss->next = r->members;
	if (pss->next)
		pss->next->prev = pss;
	r->members = pss;
	return r;
}

static void room_leave(struct vhd *vhd, struct member *pss)
{
	struct room *r = pss->room;

	if (pss->prev)
		pss->prev->next = pss->next;
	else
		r->members = pss->next;
	if (pss->next)
		pss->next->prev = pss->prev;
	pss->room = NULL;

	if (!r->members) {
		if (r->prev)
			r->prev->next = r->next;
		else
			vhd->rooms = r->next;
		if (r->next)
			r->next->prev = r->prev;
		free(r);
	}
}

/* ---- receive ----------------------------------------------------------- */

/* Relays a complete text message to the other members of the sender's room
 * (one shared allocation), then acks the sender. Takes ownership of m. */
static void relay(struct vhd *vhd, struct member *pss, struct msg *m)
{
	struct member *o;

	m->refs = 1; /* ours, while fanning out */
	for (o = pss->room->members; o; o = o->next)
		if (o != pss)
			deliver(o, m);
	msg_unref(m);

	deliver(pss, vhd->ack);
	if (!pss->dead && !pss->rx_paused && pss->q.count >= RX_PAUSE) {
		pss->rx_paused = 1;
		lws_rx_flow_control(pss->wsi, 0);
	}
}

/* Collects one chunk of a message; relays it once the message is complete.
 * Returns -1 to close the connection. */
static int receive(struct vhd *vhd, struct member *pss, struct lws *wsi,
		   const void *in, size_t len)
{
	int final = lws_is_final_fragment(wsi);
	struct msg *m = pss->partial;

	if (!m) {
		/* First chunk: exactly sized if it is also the last one. */
		pss->partial_cap = final ? len : (len < 4096 ? 4096 : len * 2);
		if (pss->partial_cap > MAX_MESSAGE)
			goto too_big;
		m = msg_alloc(pss->partial_cap);
		if (!m)
			return -1;
		pss->partial = m;
		pss->partial_binary = (unsigned char)lws_frame_is_binary(wsi);
	} else if (m->len + len > pss->partial_cap) {
		size_t cap = pss->partial_cap * 2;
		struct msg *bigger;

		if (cap < m->len + len)
			cap = m->len + len;
		if (cap > MAX_MESSAGE) {
			if (m->len + len > MAX_MESSAGE)
				goto too_big;
			cap = MAX_MESSAGE;
		}
		bigger = realloc(m, sizeof(*m) + LWS_PRE + cap);
		if (!bigger)
			return -1;
		pss->partial = m = bigger;
		pss->partial_cap = cap;
	}

	memcpy(m->buf + LWS_PRE + m->len, in, len);
	m->len += len;
	if (!final)
		return 0;

	pss->partial = NULL;
	if (pss->partial_binary) /* not part of the relay protocol */
		free(m);
	else
		relay(vhd, pss, m);
	return 0;

too_big:
	lws_close_reason(wsi, LWS_CLOSE_STATUS_MESSAGE_TOO_LARGE, NULL, 0);
	return -1;
}

/* ---- the protocol callback --------------------------------------------- */

static int callback_relay(struct lws *wsi, enum lws_callback_reasons reason,
			  void *user, void *in, size_t len)
{
	struct member *pss = (struct member *)user;
	struct vhd *vhd = (struct vhd *)lws_protocol_vh_priv_get(
		lws_get_vhost(wsi), lws_get_protocol(wsi));
	char uri[128];
	const char *name;
	struct msg *m;
	int n;

	switch (reason) {
	case LWS_CALLBACK_PROTOCOL_INIT:
		vhd = lws_protocol_vh_priv_zalloc(lws_get_vhost(wsi),
				lws_get_protocol(wsi), sizeof(struct vhd));
		if (!vhd)
			return -1;
		vhd->ack = msg_alloc(sizeof(ACK_TEXT) - 1);
		if (!vhd->ack)
			return -1;
		vhd->ack->refs = 1; /* the vhost's own reference */
		vhd->ack->len = sizeof(ACK_TEXT) - 1;
		memcpy(vhd->ack->buf + LWS_PRE, ACK_TEXT, vhd->ack->len);
		break;

	case LWS_CALLBACK_PROTOCOL_DESTROY:
		if (vhd && vhd->ack) {
			msg_unref(vhd->ack);
			vhd->ack = NULL;
		}
		break;

	case LWS_CALLBACK_ESTABLISHED:
		n = lws_hdr_copy(wsi, uri, sizeof(uri), WSI_TOKEN_GET_URI);
		name = n > 0 ? room_name(uri) : NULL;
		if (!name) {
			lws_close_reason(wsi, LWS_CLOSE_STATUS_POLICY_VIOLATION,
					 NULL, 0);
			return -1;
		}
		memset(pss, 0, sizeof(*pss));
		if (!room_join(vhd, name, pss))
			return -1;
		pss->wsi = wsi;
		break;

	case LWS_CALLBACK_CLOSED:
		if (!pss->wsi) /* never joined */
			break;
		room_leave(vhd, pss);
		queue_free(&pss->q);
		free(pss->partial);
		pss->partial = NULL;
		pss->wsi = NULL;
		break;

	case LWS_CALLBACK_RECEIVE:
		if (!pss->wsi || pss->dead)
			break;
		return receive(vhd, pss, wsi, in, len);

	case LWS_CALLBACK_SERVER_WRITEABLE:
		if (!pss->wsi || pss->dead)
			return pss->dead ? -1 : 0;
		if (!pss->q.count)
			break;
		/* one lws_write per writable callback */
		m = queue_pop(&pss->q);
		n = lws_write(wsi, m->buf + LWS_PRE, m->len, LWS_WRITE_TEXT);
		if (n < (int)m->len) {
			msg_unref(m);
			return -1;
		}
		msg_unref(m);
		if (pss->rx_paused && pss->q.count <= RX_RESUME) {
			pss->rx_paused = 0;
			lws_rx_flow_control(wsi, 1);
		}
		if (pss->q.count)
			lws_callback_on_writable(wsi);
		break;

	default:
		/* plain HTTP (no mounts): lws's default handling, 404 */
		return lws_callback_http_dummy(wsi, reason, user, in, len);
	}

	return 0;
}

static const struct lws_protocols protocols[] = {
	/* index 0: takes every ws upgrade that names no subprotocol */
	{ "relay", callback_relay, sizeof(struct member), 4096, 0, NULL, 0 },
	{ NULL, NULL, 0, 0, 0, NULL, 0 } /* terminator */
};

static void sigint_handler(int sig)
{
	(void)sig;
	interrupted = 1;
}

int main(int argc, const char **argv)
{
	struct lws_context_creation_info info;
	struct lws_context *context;
	char *end;
	long port;
	int n = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: %s PORT\n", argv[0]);
		return 2;
	}
	port = strtol(argv[1], &end, 10);
	if (*end || port < 1 || port > 65535) {
		fprintf(stderr, "%s: bad port %s\n", argv[0], argv[1]);
		return 2;
	}

	signal(SIGINT, sigint_handler);
	signal(SIGTERM, sigint_handler);
	lws_set_log_level(LLL_ERR | LLL_WARN, NULL);

	memset(&info, 0, sizeof(info));
	info.port = (int)port;
	info.iface = "127.0.0.1";
	info.protocols = protocols; /* no info.extensions: no permessage-deflate */
	info.options = LWS_SERVER_OPTION_DISABLE_IPV6;

	context = lws_create_context(&info);
	if (!context) {
		fprintf(stderr, "%s: lws_create_context failed\n", argv[0]);
		return 1;
	}

	while (n >= 0 && !interrupted)
		n = lws_service(context, 0);

	lws_context_destroy(context);
	return 0;
}
