"""Users of the load benchmark (bench/load.py runs locust on this file, loopback only).

Three kinds of user share the load as the crisis rooms would: border guards reading the
picture and the event lists, registration officers reading their registrations and persons,
and API clients paging through events and daily figures with a bearer token. Each page user
signs in once through the real login form. The login page itself is the peer: a request that
touches no data, measured in the same run.
"""

from __future__ import annotations

import os
import re

from locust import HttpUser, between, task

PASSWORD = os.environ["BENCH_LOAD_PASSWORD"]
TOKEN = os.environ["BENCH_LOAD_TOKEN"]
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class _SignedIn(HttpUser):
    abstract = True
    username = ""

    def on_start(self) -> None:
        page = self.client.get("/accounts/login/", name="peer: login page")
        found = CSRF.search(page.text)
        token = found.group(1) if found else ""
        self.client.post(
            "/accounts/login/",
            data={"username": self.username, "password": PASSWORD, "csrfmiddlewaretoken": token},
            headers={"Referer": f"{self.host}/accounts/login/"},
            name="sign in",
        )


class BorderGuard(_SignedIn):
    weight = 3
    wait_time = between(0.5, 2)
    username = "guard.lt"

    @task(3)
    def picture(self) -> None:
        self.client.get("/", name="page: situational picture")

    @task(2)
    def events(self) -> None:
        self.client.get("/border/events/", name="page: event list")

    @task(1)
    def sections(self) -> None:
        self.client.get("/border/sections/", name="page: sections")

    @task(1)
    def peer(self) -> None:
        self.client.get("/accounts/login/", name="peer: login page")


class RegistrationOfficer(_SignedIn):
    weight = 2
    wait_time = between(0.5, 2)
    username = "registrar.lt"

    @task(3)
    def registrations(self) -> None:
        self.client.get("/registration/", name="page: registrations")

    @task(1)
    def search(self) -> None:
        self.client.get("/search/?q=ali", name="page: search")


class ApiClient(HttpUser):
    weight = 2
    wait_time = between(0.5, 2)

    def on_start(self) -> None:
        self.client.headers["Authorization"] = f"Bearer {TOKEN}"

    @task(3)
    def events(self) -> None:
        self.client.get("/api/border/events?limit=50", name="api: events, 50")

    @task(2)
    def daily(self) -> None:
        self.client.get("/api/picture/daily-figures", name="api: daily figures")

    @task(1)
    def persons(self) -> None:
        self.client.get("/api/registration/persons?limit=50", name="api: persons, 50")
