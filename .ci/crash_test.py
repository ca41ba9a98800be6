"""The parts of .ci/crash-test that are easier in Python: a loopback SMTP
sink that writes down every message it accepts, a client that posts
opt-outs concurrently and kills the server part-way, and the checks.

    crash_test.py sink PORT FILE
    crash_test.py load URL COUNT CONCURRENCY KILL_AFTER PID FILE
    crash_test.py check DATABASE ANSWERS MAIL RESTARTED_AT

Delivery is at least once, never exactly once: the SMTP server's "250" and
the database's record of it cannot be one step, so a letter accepted in the
instant before the kill and not yet recorded is sent again, under its one
Message-ID (which mail services use to show it once). The check allows
exactly those doubles and no others.
"""

import concurrent.futures
import email
import email.policy
import hashlib
import http.client
import json
import os
import signal
import sqlite3
import sys
import threading
import time
import urllib.parse


def sink(port, path):
    """Accepts every message on 127.0.0.1:PORT; one JSON line per message."""
    from aiosmtpd.controller import Controller

    out = open(path, "a", encoding="utf-8")
    lock = threading.Lock()

    class Keep:
        async def handle_DATA(self, server, session, envelope):
            message = email.message_from_bytes(envelope.content, policy=email.policy.default)
            line = json.dumps({
                "to": envelope.rcpt_tos,
                "message_id": str(message.get("Message-ID", "")).strip(),
                "subject": str(message.get("Subject", "")),
                "at": time.time(),
            })
            with lock:
                out.write(line + "\n")
                out.flush()
                os.fsync(out.fileno())
            return "250 OK queued"

    controller = Controller(Keep(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        signal.sigwait({signal.SIGTERM, signal.SIGINT})
    finally:
        controller.stop()


def form(i):
    return urllib.parse.urlencode({
        "full_name": f"Crash Customer {i}",
        "email": f"crash-{i}@example.com",
        "phone": "555-123-4567",
        "postal_address": "1 Test Road, Springfield",
        "account_number": f"A-{i:05d}",
        "scope": "all_sharing",
        "joint_account": "not_joint",
    })


def load(url, count, concurrency, kill_after, pid, path):
    """Posts COUNT opt-outs, CONCURRENCY at a time; once KILL_AFTER have
    been answered, kills PID with SIGKILL while the rest are in flight."""
    target = urllib.parse.urlsplit(url)
    answered = 0
    killed_at = None
    lock = threading.Lock()

    def post(i):
        nonlocal answered, killed_at
        try:
            connection = http.client.HTTPConnection(target.hostname, target.port, timeout=30)
            connection.request("POST", "/opt-out", body=form(i), headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Accept": "text/html",
            })
            response = connection.getresponse()
            response.read()
            answer = {"i": i, "status": response.status, "location": response.getheader("Location", "")}
            connection.close()
        except (OSError, http.client.HTTPException) as error:
            answer = {"i": i, "status": None, "error": type(error).__name__}
        with lock:
            if answer["status"] is not None:
                answered += 1
            if answered >= kill_after and killed_at is None:
                os.kill(pid, signal.SIGKILL)
                killed_at = time.monotonic()
        return answer

    started = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(max_workers=concurrency) as pool:
        answers = list(pool.map(post, range(count)))
    with open(path, "w", encoding="utf-8") as out:
        for answer in answers:
            out.write(json.dumps(answer) + "\n")
    statuses = {}
    for answer in answers:
        key = str(answer["status"] or answer.get("error"))
        statuses[key] = statuses.get(key, 0) + 1
    print(f"sent {count} opt-outs at {concurrency} at a time in {time.monotonic() - started:.1f} s; "
          f"killed the server after {kill_after} answers; answers: {statuses}")


# The most letters one worker holds claimed at once (BATCH in
# server/src/mail/worker.rs): the most that can be in doubt at a kill.
IN_DOUBT_AT_MOST = 20


def check(database, answers_path, mail_path, restarted_at):
    """Every 303 is a stored request with its history and its receipt, and
    every receipt the database holds arrived, once, or twice only when the
    first copy was accepted from the killed server and the second from the
    restarted one."""
    answers = [json.loads(line) for line in open(answers_path, encoding="utf-8")]
    delivered = [json.loads(line) for line in open(mail_path, encoding="utf-8")]
    db = sqlite3.connect(database)
    problems = []

    accepted = [a for a in answers if a["status"] == 303]
    other = [a for a in answers if a["status"] not in (303, None)]
    if other:
        problems.append(f"{len(other)} answers were neither 303 nor a dropped connection: "
                        f"{sorted({a['status'] for a in other})}")
    # Addresses are encrypted in the database: a request is matched to its
    # submission by its tracking link, and its receipt to an address by
    # what the SMTP sink received.
    address_of = {}
    for answer in accepted:
        token = answer["location"].split("/track/", 1)[-1].split("?", 1)[0]
        row = db.execute("SELECT id FROM requests WHERE tracking_hash = ?",
                         (hashlib.sha256(token.encode()).hexdigest(),)).fetchone()
        if row is None:
            problems.append(f"submission {answer['i']} was answered 303 but is not stored")
        else:
            address_of[row[0]] = f"crash-{answer['i']}@example.com"

    stored = db.execute("SELECT COUNT(*) FROM requests").fetchone()[0]
    without_event = db.execute(
        "SELECT COUNT(*) FROM requests r WHERE NOT EXISTS "
        "(SELECT 1 FROM request_events e WHERE e.request_id = r.id)").fetchone()[0]
    # A receipt of a request whose answer was lost to the kill may go to any
    # of the submissions' addresses, but to one only.
    receipts = {mid: address_of.get(request_id) for mid, request_id in db.execute(
        "SELECT message_id, request_id FROM outbox WHERE template = 'receipt'").fetchall()}
    without_receipt = db.execute(
        "SELECT COUNT(*) FROM requests r WHERE NOT EXISTS "
        "(SELECT 1 FROM outbox o WHERE o.request_id = r.id AND o.template = 'receipt')").fetchone()[0]
    unsent = db.execute("SELECT COUNT(*) FROM outbox WHERE status <> 'sent'").fetchone()[0]
    if without_event:
        problems.append(f"{without_event} stored requests have no history event")
    if without_receipt:
        problems.append(f"{without_receipt} stored requests have no receipt letter")
    if unsent:
        problems.append(f"{unsent} letters are not marked sent")

    arrivals = {}
    for message in delivered:
        arrivals.setdefault(message["message_id"], []).append(message)
    missing = [mid for mid in receipts if mid not in arrivals]
    twice = {mid: arrivals[mid] for mid in receipts if len(arrivals.get(mid, [])) > 1}
    in_doubt = {mid for mid, copies in twice.items()
                if len(copies) == 2 and copies[0]["at"] < restarted_at <= copies[1]["at"]}
    strangers = [mid for mid in arrivals if mid not in receipts]
    wrong_address = [mid for mid in receipts if mid in arrivals
                     and any(len(m["to"]) != 1
                             or m["to"][0] != (receipts[mid] or m["to"][0])
                             or not m["to"][0].startswith("crash-") for m in arrivals[mid])]
    if missing:
        problems.append(f"{len(missing)} receipts never arrived")
    if set(twice) - in_doubt:
        problems.append(f"{len(set(twice) - in_doubt)} receipts arrived more than once without a restart "
                        "between their copies")
    if len(in_doubt) > IN_DOUBT_AT_MOST:
        problems.append(f"{len(in_doubt)} receipts were sent again after the restart, more than the "
                        f"{IN_DOUBT_AT_MOST} one worker can hold claimed")
    if strangers:
        problems.append(f"{len(strangers)} messages arrived that the database does not hold")
    if wrong_address:
        problems.append(f"{len(wrong_address)} receipts went to another address")

    print(f"answered 303: {len(accepted)}; dropped by the kill: {sum(a['status'] is None for a in answers)}; "
          f"requests stored: {stored}; receipts stored: {len(receipts)}; messages delivered: {len(delivered)} "
          f"({len(arrivals)} distinct Message-IDs); sent again after the restart, under the same "
          f"Message-ID: {len(in_doubt)}")
    for problem in problems:
        print(f"FAILED: {problem}")
    if problems:
        sys.exit(1)
    print("every 303 is stored with its event and its receipt; every receipt arrived, and the only "
          "doubles are letters accepted just before the kill and not yet recorded")


if __name__ == "__main__":
    command, *args = sys.argv[1:]
    if command == "sink":
        sink(int(args[0]), args[1])
    elif command == "load":
        load(args[0], int(args[1]), int(args[2]), int(args[3]), int(args[4]), args[5])
    elif command == "check":
        check(args[0], args[1], args[2], float(open(args[3], encoding="utf-8").read()))
    else:
        sys.exit(__doc__)
