"""Staff actions as a person feels them: the time from pressing a button to
the page that follows being in hand (the form's POST, its redirect, and the
page it lands on), one action after another over one kept-alive connection,
as a browser sends them. Run by .ci/bench-staff, which starts the server.

Usage: bench_staff.py BASE_URL MANAGER_EMAIL PASSWORD CASES
Prints a Markdown table and, last, one line per action: `name p99 max`.
"""

import datetime
import html
import http.client
import re
import sys
import time
import urllib.parse

BASE, EMAIL, PASSWORD, CASES = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
HOST = urllib.parse.urlsplit(BASE).netloc


class Browser:
    def __init__(self):
        self.connection = http.client.HTTPConnection(HOST, timeout=30)
        self.cookie = ""

    def send(self, method, path, form=None):
        headers = {"Cookie": self.cookie} if self.cookie else {}
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        self.connection.request(method, path, body=body, headers=headers)
        response = self.connection.getresponse()
        text = response.read().decode()
        for name, value in response.getheaders():
            if name.lower() == "set-cookie" and value.startswith("portal_staff="):
                self.cookie = value.split(";", 1)[0]
        return response.status, response.getheader("Location"), text

    def press(self, path, form):
        """A form's POST and the page it leads to: (seconds, status, page)."""
        started = time.perf_counter()
        status, location, page = self.send("POST", path, form)
        if status == 303:
            status, _, page = self.send("GET", location.split("#", 1)[0])
        return time.perf_counter() - started, status, page

    def open(self, path):
        started = time.perf_counter()
        status, _, page = self.send("GET", path)
        return time.perf_counter() - started, status, page


def hidden(page, name):
    found = re.search(r'name="%s" value="([^"]*)"' % re.escape(name), page)
    if not found:
        raise SystemExit(f"no {name} field on the page")
    return html.unescape(found.group(1))


TIMES = {}


def record(action, seconds, status, page, expect=200):
    if status != expect:
        raise SystemExit(f"{action} answered {status}:\n{page[:2000]}")
    TIMES.setdefault(action, []).append(seconds * 1000)
    return page


def new_request(customer, kind, n):
    stamp = f"{time.time_ns()}-{n}"
    common = {"full_name": "Rosa Mendoza", "email": f"staff-bench-{stamp}@example.com", "phone": "602-555-0142"}
    if kind == "opt-out":
        form = dict(common, postal_address="1 Main St, Phoenix, AZ 85001", account_number="", scope="all_sharing",
                    joint_account="not_joint")
    else:
        form = dict(common, account_number="M-1", date_of_birth="", category="insurance",
                    current_information="Acme Health", corrected_information="Springfield Mutual",
                    reason="New insurer", supporting_details="")
    status, location, page = customer.send("POST", f"/{kind}", form)
    if status != 303:
        raise SystemExit(f"the {kind} form answered {status}:\n{page[:2000]}")
    _, _, receipt = customer.send("GET", location)
    return re.search(r'class="reference">(PR-[A-Z0-9-]+)<', receipt).group(1)


def step(browser, case, page, action, **answers):
    form = {"csrf": hidden(page, "csrf"), "form": "step", "version": hidden(page, "version"), **answers}
    return record(action, *browser.press(f"{case}/step", form))


def main():
    staff, customer = Browser(), Browser()
    today = datetime.date.today().isoformat()
    for n in range(CASES):
        # Sign-in: a fresh session each time, as at the start of a day.
        staff.cookie = ""
        seconds, status, page = staff.press("/staff/sign-in", {"email": EMAIL, "password": PASSWORD, "next": "/staff"})
        record("sign in (to the queue)", seconds, status, page)

        reference = new_request(customer, "opt-out", n)
        case = f"/staff/requests/{reference}"
        page = record("open a case", *staff.open(case))
        csrf = hidden(page, "csrf")
        form = lambda name, **fields: {"csrf": csrf, "form": name, "version": hidden(page, "version"), **fields}
        page = record("assign to me", *staff.press(f"{case}/assign", form("assign", assignee="me")))
        page = record("add a note", *staff.press(f"{case}/note", {"csrf": csrf, "form": "note", "body": f"Note {n}"}))
        page = record("message the customer", *staff.press(
            f"{case}/message", {"csrf": csrf, "form": "message", "body": f"We are on it ({n})."}))
        page = step(staff, case, page, "start work", step="start_work")
        page = step(staff, case, page, "preview the outcome letter", step="resolve", effective_on=today)
        page = step(staff, case, page, "send the outcome letter", step="resolve", effective_on=today,
                    preview=hidden(page, "preview"), intent="send")
        if "This request is finished" not in page:
            raise SystemExit(f"the outcome was not recorded on {reference}")

        reference = new_request(customer, "amendment", n)
        case = f"/staff/requests/{reference}"
        page = record("open a case", *staff.open(case))
        page = step(staff, case, page, "mark identity verified", step="mark_verified")
        page = record("extend the deadline", *staff.press(
            f"{case}/extend", {"csrf": csrf, "form": "extend", "version": hidden(page, "version"),
                               "reason": "We need the insurer's records."}))
        page = step(staff, case, page, "ask the customer", step="ask_customer", what="A copy of the new card.")
        page = record("place a legal hold", *staff.press(
            f"{case}/hold", {"csrf": csrf, "form": "hold", "version": hidden(page, "version"), "reason": "Matter 7"}))
        page = record("lift the legal hold", *staff.press(
            f"{case}/release", {"csrf": csrf, "form": "release", "version": hidden(page, "version")}))
        record("open the queue", *staff.open("/staff"))
        record("search the queue", *staff.open(f"/staff?q={reference}"))

    print(f"{CASES} rounds; each time from the button to the next page in hand, in ms.")
    print()
    print("| action | samples | p50 | p99 | max |")
    print("|---|---|---|---|---|")
    summary = []
    for action, times in TIMES.items():
        ordered = sorted(times)
        p50 = ordered[len(ordered) // 2]
        p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
        print(f"| {action} | {len(ordered)} | {p50:.2f} | {p99:.2f} | {ordered[-1]:.2f} |")
        summary.append(f"{action}|{p99:.2f}|{ordered[-1]:.2f}")
    print()
    for line in summary:
        print("FIGURE", line)


main()
