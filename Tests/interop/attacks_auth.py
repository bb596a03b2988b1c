"""The attack suite's token and alias phases (test_attack.py): forged and odd tokens,
signed with the test's own HS256 code, each refused at the upgrade as
docs/PROTOCOL.md ("Connecting") documents.
"""

from __future__ import annotations

import asyncio
import json
import time

from arena import ROOM_A, Arena, Phase
from attackkit import b64url, fresh_source, http, upgrade_request


def forged_tokens(arena: Arena) -> list[tuple[str, str | None, int, set[str]]]:
    """(what, token, status, codes): every one must be refused so."""
    now = time.time()
    claims = dict(role="participant", alias="Ola", member="tok-p")
    good = arena.token(**claims)
    head, body, _ = good.split(".")
    invalid = {"invalid_token"}
    algorithm = {"wrong_algorithm"}  # the header's alg must be the configured one (HS256)
    lifetime = {"token_lifetime_too_long"}  # exp beyond the longest lifetime the server accepts
    return [
        ("alg none, valid HS256 signature", arena.token(**claims, header={"alg": "none", "typ": "JWT"}), 401,
         algorithm),
        ("alg none, no signature", ".".join(arena.token(**claims, header={"alg": "none"}).split(".")[:2]) + ".",
         401, algorithm),
        ("alg RS256, valid HS256 signature", arena.token(**claims, header={"alg": "RS256", "typ": "JWT"}), 401,
         algorithm),
        ("alg HS512, valid HS256 signature", arena.token(**claims, header={"alg": "HS512"}), 401, algorithm),
        ("exp 1e300", arena.token(**claims, exp=1e300), 401, lifetime),
        ("exp 1e20", arena.token(**claims, exp=1e20), 401, lifetime),
        ("nbf in an hour", arena.token(**claims, nbf=now + 3600), 401, {"token_not_yet_valid"}),
        ("expired", arena.token(**claims, exp=now - 60), 401, {"expired_token"}),
        ("exp as a string", arena.token(**claims, exp=str(int(now + 600))), 401, invalid),
        ("sub as a number", arena.token(**claims, sub=7), 401, invalid),
        ("another secret", f"{head}.{body}.{b64url(bytes(32))}", 401, invalid),
        ("garbage", "a.b.c", 401, invalid),
        ("no dots", "x" * 2000, 401, invalid),
        ("empty bearer", "", 401, {"missing_token", "invalid_token"}),
        ("no token", None, 401, {"missing_token"}),
        ("wrong room", arena.token(**claims, room="canary-room"), 403, {"wrong_room"}),
        ("operator token", arena.token(role="operator", alias="Olu", member="tok-op", room="*"), 403, {"wrong_role"}),
        ("unknown role", arena.token(role="admin", alias="Olu", member="tok-adm"), 403, {"wrong_role"}),
    ]


async def token_attacks(arena: Arena, phase: Phase) -> None:
    source = fresh_source()
    path = f"/v1/rooms/{ROOM_A}"
    cases = forged_tokens(arena)
    with phase.step("forged tokens"):
        answers = await asyncio.gather(*(http(arena.port, source, upgrade_request(path, token=token))
                                         for _, token, _, _ in cases))
        for (what, _, status, codes), answer in zip(cases, answers):
            phase.expect(answer is not None and answer.status == status and answer.code in codes,
                         f"token {what}: expected {status} {sorted(codes)}, got "
                         f"{answer and (answer.status, answer.body[:60])}")
    with phase.step("room ids"):  # without a valid token, a room and a made-up id get byte-identical answers
        forged = arena.token(role="participant", alias="Ola", member="tok-p", header={"alg": "none"})
        for token in (None, "a.b.c", forged, arena.token(role="participant", alias="Ola", member="tok-p", exp=0)):
            known, unknown = await asyncio.gather(
                http(arena.port, source, upgrade_request(path, token=token)),
                http(arena.port, source, upgrade_request("/v1/rooms/no-such-room", token=token)))
            phase.expect(known and unknown and (known.head, known.body) == (unknown.head, unknown.body),
                         f"room ids leak (token {str(token)[:20]!r}): {known and known.status} for a room, "
                         f"{unknown and unknown.status} for none")
        valid = arena.token(role="participant", alias="Ola", member="tok-p", room="no-such-room")
        unknown = await http(arena.port, source, upgrade_request("/v1/rooms/no-such-room", token=valid))
        phase.expect(unknown is not None and unknown.status == 404 and unknown.code == "unknown_room",
                     f"a valid token for an unknown room: expected 404 unknown_room, got {unknown}")
    with phase.step("made-up rooms"):  # valid tokens for 100 rooms that do not exist: 404 each, nothing kept
        answers = await asyncio.gather(*(http(arena.port, source, upgrade_request(
            f"/v1/rooms/made-up-{i}", token=arena.token(role="participant", alias="Ola", member="tok-p",
                                                        room=f"made-up-{i}"))) for i in range(100)))
        phase.expect(all(a is not None and (a.status, a.code) == (404, "unknown_room") for a in answers),
                     f"made-up rooms: expected 404 unknown_room, got {sorted({a and a.status for a in answers}, key=str)}")
    with phase.step("admin API"):
        await admin_forgeries(arena, phase, source)
    with phase.step("forged-token flood"):  # 200 at once from 4 addresses: each refused
        flood = [cases[i % 12][1] for i in range(200)]
        sources = [fresh_source() for _ in range(4)]
        answers = await asyncio.gather(*(http(arena.port, sources[i % 4], upgrade_request(path, token=t))
                                         for i, t in enumerate(flood)))
        statuses = sorted({a and a.status for a in answers}, key=str)
        phase.notes["forged-token flood"]["statuses"] = statuses
        phase.expect(all(a is not None and a.status == 401 for a in answers), f"forged-token flood: {statuses}")


ADMIN_REFUSALS = [  # (what, claims or a raw token, status, error): docs/OPERATIONS.md, "Admin API", "Refusals"
    ("operator, alg none", dict(header={"alg": "none", "typ": "JWT"}), 401, "wrong_algorithm"),
    ("operator, alg RS256", dict(header={"alg": "RS256", "typ": "JWT"}), 401, "wrong_algorithm"),
    ("operator, exp 1e300", dict(exp=1e300), 401, "token_lifetime_too_long"),
    ("operator, expired", dict(exp=1), 401, "expired_token"),
    ("a facilitator's token", dict(role="facilitator", room=ROOM_A), 403, "wrong_role"),
    ("garbage", "a.b.c", 401, "invalid_token"),
]


async def admin_forgeries(arena: Arena, phase: Phase, source: str) -> None:
    """Forged and misused tokens against the admin API: each refused as documented."""
    for what, claims, status, code in ADMIN_REFUSALS:
        if isinstance(claims, str):
            token = claims
        else:
            fields = {"role": "operator", "alias": "Olu", "member": "tok-op", "room": "*", **claims}
            token = arena.token(**fields)
        answer = await http(arena.port, source, (
            f"GET /v1/admin/rooms HTTP/1.1\r\nHost: a\r\nAuthorization: Bearer {token}\r\n\r\n").encode())
        error = json.loads(answer.body).get("error") if answer and answer.body.startswith(b"{") else None
        phase.expect(answer is not None and (answer.status, error) == (status, code),
                     f"admin API, {what}: expected {status} {code}, got {answer and answer.status} {error}")


# -- aliases ----------------------------------------------------------------------------------

HOSTILE_ALIASES = [
    ("ESC", "\x1b[31mRed\x1b[0m"), ("BEL", "Bell\x07"), ("newline", "Line\nBreak"), ("C1", "Csi\x9b2J"),
    ("RLO U+202E", "Ann\u202eeil"), ("isolate U+2066", "\u2066Bo"), ("zero-width only", "\u200b\u200b"),
    ("11,000 bytes", "x" * 11_000), ("impersonation", "Dana (facilitator)"), ("staff word", "Facilitator Dana"),
]


async def alias_attacks(arena: Arena, phase: Phase) -> None:
    source = fresh_source()
    path = f"/v1/rooms/{ROOM_A}"
    control = await http(arena.port, source, upgrade_request(
        path, token=arena.token(role="participant", alias="River", member="alias-ok")))
    phase.expect(control is not None and control.status == 101, f"a plain alias was refused: {control}")
    tokens = [(what, arena.token(role="participant", alias=alias, member=f"alias-{i}"))
              for i, (what, alias) in enumerate(HOSTILE_ALIASES)]
    tokens.append(("ESC in a facilitator's alias", arena.token(role="facilitator", alias="\x1b]0;x\x07Lee",
                                                                 member="alias-fac")))
    with phase.step("hostile aliases"):
        answers = await asyncio.gather(*(http(arena.port, source, upgrade_request(path, token=token))
                                         for _, token in tokens))
        phase.notes["hostile aliases"]["answers"] = {what: a and f"{a.status} {a.code}"
                                                     for (what, _), a in zip(tokens, answers)}
        wrong = [what for (what, _), a in zip(tokens, answers)
                 if a is None or (a.status, a.code) != (403, "invalid_alias")]
        phase.expect(not wrong, f"hostile aliases not refused with 403 invalid_alias at the upgrade: {wrong}")
        echoed = [what for (what, _), a in zip(tokens, answers)
                  if a is not None and (b"Dana" in a.body or b"xxxxxxxx" in a.body)]
        phase.expect(not echoed, f"a refusal repeats the alias: {echoed}")
