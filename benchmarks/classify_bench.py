"""Text classification speed: Accord's ``classify`` end to end against the raw sentence encoder.

Takes N distinct short comments from synthetic worlds (``accord.synthetic``; realistic B2B
comments of one to three sentences), loads the trained classifier (training it first if
``ACCORD_TEXT_MODEL_DIR`` holds none; training is not timed) and the encoder, warms both up,
then alternates chunk by chunk (``--chunk`` comments, order swapped each chunk, so a machine
whose load changes slows both alike), ``--rounds`` times over all N comments:

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

    unique: dict[str, None] = {}  # distinct texts: Accord encodes a repeated text only once
    seed = 1
    while len(unique) < n:
        unique.update(dict.fromkeys(synthetic_set(accounts=120, seed=seed)[0]))
        seed += 1
    return list(unique)[:n]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000, help="comments per run")
    parser.add_argument("--device", choices=["auto", "cpu", "cuda"], default=None)
    parser.add_argument("--batch-size", type=int, default=None)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--chunk", type=int, default=256, help="comments per alternation")
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

    def baseline(chunk: list[str]) -> None:
        raw.encode(chunk, batch_size=batch, normalize_embeddings=True, convert_to_numpy=True)
        sync()

    def accord(chunk: list[str]) -> None:
        encoder.clear_memo()
        model.predict(chunk)
        sync()

    raw.encode(texts[:batch], batch_size=batch)  # warm-up: lazy kernels, allocator
    encoder.clear_memo()
    model.predict(texts[:batch])
    # The two alternate chunk by chunk (and swap order each chunk), so a machine whose load
    # changes during the run slows both alike; each run's time is the sum over its chunks.
    chunks = [texts[i : i + args.chunk] for i in range(0, len(texts), args.chunk)]
    times: dict[str, list[float]] = {"baseline": [], "accord": []}
    for _ in range(args.rounds):
        spent = {"baseline": 0.0, "accord": 0.0}
        for k, chunk in enumerate(chunks):
            pair = [("baseline", baseline), ("accord", accord)]
            for name, run in pair if k % 2 == 0 else pair[::-1]:
                start = time.perf_counter()
                run(chunk)
                spent[name] += time.perf_counter() - start
        for name, t in spent.items():
            times[name].append(t)
    rate = {name: len(texts) / statistics.median(t) for name, t in times.items()}
    print(f"raw encoder (baseline): {rate['baseline']:8,.0f} comments/s  "
          f"(runs: {', '.join(f'{t:.2f}s' for t in times['baseline'])})")  # fmt: skip
    print(f"Accord classify:        {rate['accord']:8,.0f} comments/s  "
          f"(runs: {', '.join(f'{t:.2f}s' for t in times['accord'])})")  # fmt: skip
    ratio = rate["accord"] / rate["baseline"]
    print(f"ratio: {ratio:.2f} (target ≥ 0.8: {'met' if ratio >= 0.8 else 'NOT met'})")


if __name__ == "__main__":
    main()
