"""Text classification speed: Accord's ``classify`` end to end against the raw sentence encoder.

Takes N short comments from a synthetic world (``accord.synthetic``; realistic B2B comments of
one to three sentences), loads the trained classifier (training it first if
``ACCORD_TEXT_MODEL_DIR`` holds none; training is not timed) and the encoder, warms both up,
then alternates, ``--rounds`` times each:

* baseline — ``model.encode(texts, batch_size=B, normalize_embeddings=True)`` of the raw
  sentence-transformers model: tokenising and the transformer only;
* Accord — ``TextModel.predict(texts)`` with the embedding memo cleared: tokenising, encoding,
  TF-IDF features, six driver models with their thresholds and the sentiment model.

Prints the device, comments/s of each (median of the rounds) and the ratio Accord / baseline.
Target: ratio ≥ 0.8.

    python benchmarks/classify_bench.py                  # 2,000 comments, device from settings
    python benchmarks/classify_bench.py --n 5000 --device cuda --batch-size 256
"""

from __future__ import annotations

import argparse
import statistics
import time


def comments(n: int) -> list[str]:
    from accord.text.evaluate import synthetic_set

    texts: list[str] = []
    seed = 1
    while len(texts) < n:
        texts += synthetic_set(accounts=120, seed=seed)[0]
        seed += 1
    return texts[:n]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000, help="comments per run")
    parser.add_argument("--device", choices=["auto", "cpu", "cuda"], default=None)
    parser.add_argument("--batch-size", type=int, default=None)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    from accord.config import get_settings
    from accord.text import encoder, service

    settings = get_settings()
    if args.device:
        settings.text_device = args.device
    if args.batch_size:
        settings.text_batch_size = args.batch_size
    device = encoder.resolve_device(settings.text_device)
    batch = settings.text_batch_size

    import torch

    texts = comments(args.n)
    model = service.get_model()
    raw = encoder.get_encoder()
    print(f"device: {device} ({torch.get_num_threads()} CPU threads)"
          + (f", {torch.cuda.get_device_name(0)}" if device == "cuda" else ""))  # fmt: skip
    print(f"comments: {len(texts):,}, mean {statistics.mean(map(len, texts)):.0f} characters; "
          f"batch size {batch}; model {model.version}")  # fmt: skip

    def sync() -> None:
        if device == "cuda":
            torch.cuda.synchronize()

    def baseline() -> None:
        raw.encode(texts, batch_size=batch, normalize_embeddings=True, convert_to_numpy=True)
        sync()

    def accord() -> None:
        encoder.clear_memo()
        model.predict(texts)
        sync()

    raw.encode(texts[:batch], batch_size=batch)  # warm-up: lazy kernels, allocator
    encoder.clear_memo()
    model.predict(texts[:batch])
    times: dict[str, list[float]] = {"baseline": [], "accord": []}
    for _ in range(args.rounds):
        for name, run in (("baseline", baseline), ("accord", accord)):
            start = time.perf_counter()
            run()
            times[name].append(time.perf_counter() - start)
    rate = {name: len(texts) / statistics.median(t) for name, t in times.items()}
    print(f"raw encoder (baseline): {rate['baseline']:8,.0f} comments/s  "
          f"(runs: {', '.join(f'{t:.2f}s' for t in times['baseline'])})")  # fmt: skip
    print(f"Accord classify:        {rate['accord']:8,.0f} comments/s  "
          f"(runs: {', '.join(f'{t:.2f}s' for t in times['accord'])})")  # fmt: skip
    ratio = rate["accord"] / rate["baseline"]
    print(f"ratio: {ratio:.2f} (target ≥ 0.8: {'met' if ratio >= 0.8 else 'NOT met'})")


if __name__ == "__main__":
    main()
