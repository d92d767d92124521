"""`make bench-web`: page latency and throughput on a ten-year archive (see docs/benchmarks.md)."""
