"""Users of the load benchmark (bench/load.py runs locust on this file, loopback only).

Three kinds of user share the load as the crisis rooms would: border guards reading the
picture, the bulletin and the event list (paging back through older events by the page's
"Older" link, as one looks for a past incident), registration officers reading their
registrations and the persons registered, and API clients (a state's own systems) paging
through events and persons by `next_cursor` and reading the daily figures with a bearer token.
Each page user signs in once through the real login form; a page that lands on the login form
counts as a failure. The login page itself is the peer: a request that touches no data,
measured in the same run.

Think time is 1-5 s between requests: a person reads a page for seconds before the next click
(and a script that pages through a list waits on its own processing), so 50 users offer about
15-20 requests a second, which is what 50 people at work would ask of the server; without it
50 users would be 50 scripts hammering it, a different test (capacity, not experience).
"""

from __future__ import annotations

import html
import os
import random
import re
from typing import Any

from locust import HttpUser, between, task

PASSWORD = os.environ["BENCH_LOAD_PASSWORD"]
TOKEN = os.environ["BENCH_LOAD_TOKEN"]
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
OLDER = re.compile(r'<a href="([^"]*)" rel="next">')
PERSON = re.compile(r'href="(/registration/persons/\d+/)"')
THINK = between(1, 5)
PAGES_DEEP = 10  # a guard walks the event list at most this many pages back
API_PAGES_DEEP = 20  # an API client follows next_cursor at most this many times


class _SignedIn(HttpUser):
    abstract = True
    wait_time = THINK
    username = ""

    def on_start(self) -> None:
        page = self.client.get("/accounts/login/", name="peer: login page")
        found = CSRF.search(page.text)
        token = found.group(1) if found else ""
        with self.client.post(
            "/accounts/login/",
            data={"username": self.username, "password": PASSWORD, "csrfmiddlewaretoken": token},
            headers={"Referer": f"{self.host}/accounts/login/"},
            name="sign in",
            catch_response=True,
        ) as response:
            if "/accounts/login/" in response.url:
                response.failure("still on the login form")

    def page(self, url: str, name: str) -> Any:
        """GET a page; landing on the login form (session lost) is a failure."""
        with self.client.get(url, name=name, catch_response=True) as response:
            if response.ok and "/accounts/login/" in response.url:
                response.failure("redirected to the login form")
            return response


class BorderGuard(_SignedIn):
    weight = 3
    username = "guard.lt"
    older: str | None = None
    depth = 0

    @task(3)
    def picture(self) -> None:
        self.page("/", "page: situational picture")

    @task(1)
    def bulletin(self) -> None:
        self.page("/bulletin/", "page: bulletin")

    @task(3)
    def events(self) -> None:
        """The first page, or the next older one while walking back (up to PAGES_DEEP)."""
        if self.older and self.depth < PAGES_DEEP:
            response = self.page(self.older, "page: event list, older pages")
            self.depth += 1
        else:
            response = self.page("/border/events/", "page: event list")
            self.depth = 0
        found = OLDER.search(response.text or "")
        self.older = html.unescape(found.group(1)) if found else None
        if self.older and self.older.startswith("?"):
            self.older = "/border/events/" + self.older

    @task(1)
    def sections(self) -> None:
        self.page("/border/sections/", "page: sections")

    @task(1)
    def peer(self) -> None:
        self.client.get("/accounts/login/", name="peer: login page")


class RegistrationOfficer(_SignedIn):
    weight = 2
    username = "registrar.lt"
    persons: list[str]

    def on_start(self) -> None:
        super().on_start()
        response = self.page("/registration/", "page: registrations")
        self.persons = sorted(set(PERSON.findall(response.text or "")))

    @task(2)
    def registrations(self) -> None:
        self.page("/registration/", "page: registrations")

    @task(3)
    def person(self) -> None:
        if self.persons:
            self.page(random.choice(self.persons), "page: person")

    @task(1)
    def search(self) -> None:
        self.page("/search/?q=ali", "page: search")


class ApiClient(HttpUser):
    weight = 2
    wait_time = THINK
    cursors: dict[str, str | None]
    depth: dict[str, int]

    def on_start(self) -> None:
        self.client.headers["Authorization"] = f"Bearer {TOKEN}"
        self.cursors = {}
        self.depth = {}

    def walk(self, path: str, label: str) -> None:
        """The first page of a list, or the next by `next_cursor` (up to API_PAGES_DEEP)."""
        cursor = self.cursors.get(path)
        if cursor and self.depth.get(path, 0) < API_PAGES_DEEP:
            params = {"limit": "50", "cursor": cursor}
            name = f"api: {label}, next_cursor"
            self.depth[path] = self.depth.get(path, 0) + 1
        else:
            params, name = {"limit": "50"}, f"api: {label}, first page"
            self.depth[path] = 0
        with self.client.get(path, params=params, name=name, catch_response=True) as response:
            try:
                self.cursors[path] = response.json()["next_cursor"]
            except (ValueError, KeyError, TypeError):
                self.cursors[path] = None
                if response.ok:
                    response.failure("no next_cursor in the answer")

    @task(4)
    def events(self) -> None:
        self.walk("/api/border/events", "events")

    @task(2)
    def daily(self) -> None:
        self.client.get("/api/picture/daily-figures", name="api: daily figures, 30 days")

    @task(1)
    def daily_year(self) -> None:
        self.client.get(
            "/api/picture/daily-figures?start=2021-01-01&end=2021-12-31",
            name="api: daily figures, 2021",
        )

    @task(2)
    def persons(self) -> None:
        self.walk("/api/registration/persons", "persons")
