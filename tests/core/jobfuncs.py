"""Job functions used by tests (jobs run inline in tests)."""


def count_to(job, progress, n: int):
    for i in range(n):
        progress(i + 1, n, f"{i + 1}/{n}")
    return {"counted": n, "message": f"counted to {n}"}


def explode(job, progress, reason: str):
    progress(1, 2, "half way")
    raise ValueError(reason)
