"""Python gql 4: an integrator's script. It loads a .graphql file with several operations and
runs each by name (local validation against the introspected schema included), pages with
cursors, reads error codes from TransportQueryError, and subscribes to graphChanged over
WebSocket with the token in connection_init while it writes with the token over the same socket.
Prints one line per check and 'gql: N passed, N failed'."""

import asyncio
import os
import sys
import traceback
from pathlib import Path

from gql import Client, GraphQLRequest, gql
from gql.transport.aiohttp import AIOHTTPTransport
from gql.transport.exceptions import TransportQueryError
from gql.transport.websockets import WebsocketsTransport

URL = os.environ.get("SG_URL", "http://127.0.0.1:8080/graphql")
WS_URL = URL.replace("http", "ws", 1) + "/ws"
TOKEN = os.environ.get("SG_TOKEN", "")
OPS = Path(__file__).parent / "operations"

checks = []


def check(fn):
    checks.append(fn)
    return fn


def code_of(error: TransportQueryError) -> str:
    return (error.errors or [{}])[0].get("extensions", {}).get("code")


@check
async def shared_document_by_operation_name():
    shared = (OPS / "shared.graphql").read_text()
    transport = AIOHTTPTransport(url=URL)
    async with Client(transport=transport, fetch_schema_from_transport=True) as session:
        stats = await session.execute(GraphQLRequest(shared, operation_name="Stats"))
        assert stats["stats"]["skills"] > 0, stats
        role = await session.execute(
            GraphQLRequest(shared, operation_name="RoleById", variable_values={"id": "ai-engineer"})
        )
        assert role["role"]["id"] == "ai-engineer", role
        assert all(r["skill"]["id"] for r in role["role"]["requirements"])


@check
async def paging_with_cursors():
    page = gql((OPS / "skills-page.graphql").read_text())
    async with Client(transport=AIOHTTPTransport(url=URL)) as session:
        ids, after, total = [], None, None
        for _ in range(50):
            page.variable_values = {"first": 40, "after": after}
            data = (await session.execute(page))["skills"]
            total = data["totalCount"]
            ids += [n["id"] for n in data["nodes"]]
            if not data["pageInfo"]["hasNextPage"]:
                break
            after = data["pageInfo"]["endCursor"]
        assert len(ids) == total == len(set(ids)), (len(ids), total)
        page.variable_values = {"first": 2, "after": "10"}
        try:
            await session.execute(page)
            raise AssertionError("an offset was taken as a cursor")
        except TransportQueryError as e:
            assert code_of(e) == "INVALID_INPUT", e.errors


@check
async def error_codes():
    async with Client(transport=AIOHTTPTransport(url=URL)) as session:
        for query, code in [
            ('{ roleGap(from: {}, to: "nope") { readiness } }', "NOT_FOUND"),
            ('{ learningPath(to: {}) { stages } }', "INVALID_INPUT"),
            ("{ skills(first: 1000) { totalCount } }", "LIMIT_EXCEEDED"),
            ('mutation { deleteRole(id: "nope") }', "UNAUTHENTICATED"),
        ]:
            try:
                await session.execute(gql(query))
                raise AssertionError(f"{query} succeeded")
            except TransportQueryError as e:
                assert code_of(e) == code, (query, e.errors)


@check
async def subscription_and_mutation_over_websocket():
    transport = WebsocketsTransport(
        url=WS_URL,
        init_payload={"Authorization": f"Bearer {TOKEN}"},
        subprotocols=[WebsocketsTransport.GRAPHQLWS_SUBPROTOCOL],
    )
    async with Client(transport=transport) as session:
        changes = gql((OPS / "changes.graphql").read_text())
        got = asyncio.get_running_loop().create_future()

        async def listen():
            async for event in session.subscribe(changes):
                if "gql-checked" in event["graphChanged"]["ids"]:
                    got.set_result(event["graphChanged"])
                    return

        listener = asyncio.create_task(listen())
        await asyncio.sleep(0.2)
        # Something new each time: an upsert that changes nothing publishes nothing.
        write = gql("mutation ($n: String!) { upsertCategory(input: {id: \"gql-checked\", name: $n}) { id } }")
        for attempt in range(20):
            write.variable_values = {"n": f"gql checked {attempt}"}
            await session.execute(write)
            try:
                event = await asyncio.wait_for(asyncio.shield(got), 0.25)
                break
            except asyncio.TimeoutError:
                continue
        else:
            raise AssertionError("no graphChanged event")
        listener.cancel()
        assert event["kind"] == "CATEGORY_UPSERTED", event
    anonymous = WebsocketsTransport(url=WS_URL, subprotocols=[WebsocketsTransport.GRAPHQLWS_SUBPROTOCOL])
    async with Client(transport=anonymous) as session:
        try:
            await session.execute(write)
            raise AssertionError("a mutation without the token ran over WS")
        except TransportQueryError as e:
            assert code_of(e) == "UNAUTHENTICATED", e.errors


async def main() -> int:
    passed = failed = 0
    for fn in checks:
        try:
            await asyncio.wait_for(fn(), 30)
            print(f"ok {fn.__name__}")
            passed += 1
        except Exception:
            print(f"FAIL {fn.__name__}")
            traceback.print_exc()
            failed += 1
    print(f"gql: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
