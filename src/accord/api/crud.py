"""Routes for a domain's records: list (filtered, paginated), get, create and update.

Every domain record has the same four endpoints; this builds them from the domain's schemas
and service functions so the behaviour (status codes, pagination, audit through the services)
stays identical across accounts, contacts, opportunities, fulfilments and feedback.
"""

# No `from __future__ import annotations` here: FastAPI reads the closures' annotations at
# runtime, and they name the classes passed in.
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Query, status
from pydantic import BaseModel

from accord.api.deps import ActorDep, SessionDep
from accord.schemas import PageOut


def add_record_routes(
    router: APIRouter,
    path: str,
    *,
    noun: str,
    read: type[BaseModel],
    create: type[BaseModel],
    update: type[BaseModel],
    filters: type[BaseModel],
    list_fn: Callable[..., Any],
    get_fn: Callable[..., Any],
    create_fn: Callable[..., Any],
    update_fn: Callable[..., Any],
) -> None:
    page_model = PageOut[read]  # type: ignore[valid-type]

    def list_records(
        session: SessionDep,
        actor: ActorDep,
        query: Annotated[filters, Query()],  # type: ignore[valid-type]
    ) -> Any:
        page = list_fn(session, actor, query, offset=query.offset, limit=query.limit)  # type: ignore[attr-defined]
        return page_model(
            items=[read.model_validate(r) for r in page.items],
            total=page.total,
            offset=page.offset,
            limit=page.limit,
        )

    def get_record(record_id: str, session: SessionDep, actor: ActorDep) -> Any:
        return read.model_validate(get_fn(session, actor, record_id))

    def create_record(body: create, session: SessionDep, actor: ActorDep) -> Any:  # type: ignore[valid-type]
        return read.model_validate(create_fn(session, actor, body))

    def update_record(record_id: str, body: update, session: SessionDep, actor: ActorDep) -> Any:  # type: ignore[valid-type]
        return read.model_validate(update_fn(session, actor, record_id, body))

    router.add_api_route(
        path, list_records, methods=["GET"], response_model=page_model, summary=f"List {noun}s"
    )
    router.add_api_route(
        f"{path}/{{record_id}}",
        get_record,
        methods=["GET"],
        response_model=read,
        summary=f"Get a {noun}",
    )
    router.add_api_route(
        path,
        create_record,
        methods=["POST"],
        response_model=read,
        status_code=status.HTTP_201_CREATED,
        summary=f"Create a {noun}",
    )
    router.add_api_route(
        f"{path}/{{record_id}}",
        update_record,
        methods=["PATCH"],
        response_model=read,
        summary=f"Update a {noun}",
    )
