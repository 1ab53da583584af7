"""POST /api/import: the import contract over HTTP (multipart upload, field ``files``)."""

from __future__ import annotations

import tempfile
from pathlib import Path, PurePath

from fastapi import APIRouter, Request, UploadFile
from fastapi.responses import JSONResponse

from accord.api.deps import ActorDep
from accord.auth.access import require_role
from accord.errors import InvalidInput
from accord.schemas import ERROR_RESPONSES
from accord.vocabulary import UserRole

router = APIRouter(prefix="/api", responses=ERROR_RESPONSES)
CHUNK = 1 << 20


@router.post("/import")
async def import_upload(request: Request, files: list[UploadFile], actor: ActorDep) -> JSONResponse:
    """Import accounts, contacts, opportunities, fulfilments, feedback and influence profiles.

    Same rules as ``accord import``: one transaction per file, every bad row reported as
    ``file:line: field: reason``, a bad file changes nothing. Answers 200 when every file was
    imported and 422 with the report when any was refused.
    """
    require_role(actor, UserRole.admin, UserRole.cx_manager)
    from starlette.concurrency import run_in_threadpool

    from accord.imports import import_files

    with tempfile.TemporaryDirectory(prefix="accord-upload-") as tmp:
        paths: list[Path] = []
        names: dict[Path, str] = {}
        for i, upload in enumerate(files):
            name = PurePath(upload.filename or f"upload-{i}").name
            if not name or name.startswith("."):
                raise InvalidInput(f"files[{i}]: missing or unusable file name")
            # A per-file folder keeps the original name (it tells the file kind) without clashes.
            path = Path(tmp) / str(i) / name
            path.parent.mkdir()
            with path.open("wb") as out:
                while chunk := await upload.read(CHUNK):
                    out.write(chunk)
            paths.append(path)
            names[path] = name
        report = await run_in_threadpool(
            import_files, request.app.state.engine, paths, actor=actor.email, display_names=names
        )
    return JSONResponse(report.to_dict(), status_code=200 if report.ok else 422)
