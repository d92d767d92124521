"""What the benchmarks say of the machine they ran on."""

import time


def one_cpu_seconds(runs: int = 5) -> float:
    """How fast one of the machine's CPUs is: the fastest of `runs` pure-Python loops of ten
    million additions. Machines of the same name have run the same code at speeds 1.7 times
    apart (docs/benchmarks.md), and a target in milliseconds (search) depends on it as the
    ratios to the trivial view do not: this says which kind of machine a run had."""
    fastest = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        total = 0
        for number in range(10_000_000):
            total += number
        fastest = min(fastest, time.perf_counter() - started)
    return round(fastest, 2)
