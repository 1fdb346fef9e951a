"""Peer of bench.ts's merge: pyarrow concatenating the same part summaries, one row group at a time,
into one zstd Parquet file, as the engine's merge does; prints its time and peak resident set size."""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path

import pyarrow.parquet as pq


def peak_rss_mib() -> float:
    """VmHWM on Linux: getrusage's ru_maxrss carries over the parent's size at fork (see peak-rss.ts)."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(out: str, parts: list[str]) -> None:
    start = time.perf_counter()
    writer: pq.ParquetWriter | None = None
    for part in parts:
        source = pq.ParquetFile(part)
        for group in range(source.num_row_groups):
            table = source.read_row_group(group)
            if writer is None:
                writer = pq.ParquetWriter(out, table.schema, compression="zstd")
            writer.write_table(table, row_group_size=65536)
    if writer is not None:
        writer.close()
    seconds = time.perf_counter() - start
    print(json.dumps({"seconds": seconds, "maxRssMiB": peak_rss_mib()}))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])
