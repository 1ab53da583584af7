"""Domain errors. Each carries the HTTP status the API answers with, so services stay HTTP-free
but the interface layers never have to guess."""

from __future__ import annotations


class AccordError(Exception):
    status_code = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(AccordError):
    status_code = 404


class Forbidden(AccordError):
    status_code = 403


class NotAuthenticated(AccordError):
    status_code = 401


class Conflict(AccordError):
    status_code = 409


class InvalidInput(AccordError):
    status_code = 422
