"""``accord classify``: driver tags and sentiment from free text (docs/text.md).

The classifier (PyTorch, scikit-learn) is imported inside the command: the other commands need
not load it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer
from rich.table import Table

from accord.cli.console import console, err
from accord.errors import AccordError


def _figures(report: dict[str, Any]) -> Table:
    table = Table(title=f"Held-out figures (n = {report['n']})")
    for col in ("method", "driver macro-F1", "sentiment accuracy"):
        table.add_column(col, justify="left" if col == "method" else "right")
    for name, label in (("classifier", "Accord classifier"), ("keywords", "keyword baseline"),
                        ("vader", "VADER")):  # fmt: skip
        row = report[name]
        f1 = row.get("macro_f1")
        acc = row.get("sentiment_accuracy")
        table.add_row(label, "—" if f1 is None else f"{f1:.3f}",
                      "—" if acc is None else f"{acc:.3f}")  # fmt: skip
    return table


def _by_driver(report: dict[str, Any]) -> Table:
    table = Table(title="F1 by driver")
    table.add_column("driver")
    table.add_column("classifier", justify="right")
    table.add_column("keywords", justify="right")
    for d, v in report["classifier"]["f1_by_driver"].items():
        table.add_row(d, f"{v:.3f}", f"{report['keywords']['f1_by_driver'][d]:.3f}")
    return table


def _read_lines(path: Path) -> list[str]:
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        err.print(f"[red]{path}: no such file[/red]", soft_wrap=True)
        raise typer.Exit(code=2) from None
    except (OSError, UnicodeDecodeError) as exc:
        err.print(f"[red]{path}: cannot read it ({exc})[/red]", soft_wrap=True)
        raise typer.Exit(code=2) from None
    return [line.strip() for line in raw.splitlines() if line.strip()]


def classify(
    text_file: Path | None = typer.Option(
        None, "--text-file", help="Classify each non-blank line of this UTF-8 file."
    ),
    pending: bool = typer.Option(False, "--pending", help="Tag feedback that has no tags yet."),
    train: bool = typer.Option(
        False, "--train", help="Retrain on the labelled set and stored corrections."
    ),
    evaluate: bool = typer.Option(False, "--evaluate", help="Print the held-out report."),
    synthetic: bool = typer.Option(
        True,
        "--synthetic/--no-synthetic",
        help="With --evaluate: also the out-of-domain check on a synthetic world.",
    ),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Driver tags (product, price, fulfilment, ease, presence, trust) and sentiment with a
    confidence, offline: classify a file's lines, tag pending feedback, retrain or evaluate."""
    chosen = [n for n, on in (("--text-file", text_file is not None), ("--pending", pending),
                              ("--train", train), ("--evaluate", evaluate)) if on]  # fmt: skip
    if len(chosen) != 1:
        err.print("[red]give exactly one of --text-file, --pending, --train, --evaluate[/red]")
        raise typer.Exit(code=2)
    try:
        if text_file is not None:
            _classify_file(text_file, as_json)
        elif pending:
            _pending(as_json)
        elif train:
            _train(as_json)
        else:
            _evaluate(as_json, synthetic)
    except AccordError as exc:
        err.print(f"[red]{exc.message}[/red]", soft_wrap=True)
        raise typer.Exit(code=1) from None


def _classify_file(path: Path, as_json: bool) -> None:
    texts = _read_lines(path)
    from accord.text import service

    tags = service.classify(texts, progress=not as_json and len(texts) > 200)
    if as_json:
        for text, tag in zip(texts, tags, strict=True):
            typer.echo(json.dumps({"text": text, "drivers": tag.drivers,
                                   "sentiment": tag.sentiment,
                                   "confidence": tag.confidence}, ensure_ascii=False))  # fmt: skip
        return
    table = Table(title=f"{len(texts)} comments")
    for col in ("text", "drivers", "sentiment", "confidence"):
        table.add_column(col, justify="right" if col == "confidence" else "left")
    for text, tag in zip(texts, tags, strict=True):
        table.add_row(text, ", ".join(tag.drivers) or "—", tag.sentiment, f"{tag.confidence:.2f}")
    console.print(table)


def _pending(as_json: bool) -> None:
    from accord.db import transaction
    from accord.text import service

    with transaction() as session:
        todo = service.count_pending(session)
        tagged = service.classify_pending(session, progress=not as_json)
    if as_json:
        typer.echo(json.dumps({"tagged": tagged}))
    else:
        console.print(f"[green]Tagged {tagged:,} of {todo:,} pending feedback items.[/green]")


def _train(as_json: bool) -> None:
    from sqlalchemy.exc import DBAPIError

    from accord.db import transaction
    from accord.text import service, store

    try:
        with transaction() as session:
            model = service.train_model(session)
    except DBAPIError as exc:
        err.print(f"[red]cannot read the stored corrections from the database ({exc.orig}); "
                  "run `accord db upgrade` first, or check ACCORD_DATABASE_URL[/red]",
                  soft_wrap=True)  # fmt: skip
        raise typer.Exit(code=1) from None
    if as_json:
        typer.echo(json.dumps(store.metadata(model), indent=2))
        return
    console.print(
        f"[green]Trained model {model.version}[/green] on {model.n_train:,} comments "
        f"({model.info['n_corrections']:,} user corrections); saved in {store.model_dir()}"
    )
    if model.info["held_out"]:
        console.print(_figures(model.info["held_out"]))


def _evaluate(as_json: bool, synthetic: bool) -> None:
    from accord.text import evaluate, service
    from accord.text.data import labelled_path, load_labelled

    model = service.get_model()  # no database needed: trained from the labelled set if absent
    from accord.config import get_settings

    setting = get_settings().text_labelled_path
    examples = load_labelled(labelled_path(setting) if setting else None)
    test = [ex for ex in examples if ex.split == "test"]
    report: dict[str, Any] = {"model_version": model.version,
                              "held_out": evaluate.held_out(model, test)}  # fmt: skip
    if synthetic:
        report["synthetic"] = evaluate.out_of_domain(model)
    if as_json:
        typer.echo(json.dumps(report, indent=2))
        return
    console.print(f"Model {model.version}, held-out split of the labelled set:")
    console.print(_figures(report["held_out"]))
    console.print(_by_driver(report["held_out"]))
    if synthetic:
        s = report["synthetic"]
        console.print(
            f"Out of domain: synthetic world ({s['world']['accounts']} accounts, seed "
            f"{s['world']['seed']}); {s['n_sentiment']:,} of {s['n']:,} comments have one polarity"
        )
        console.print(_figures(s))
