"""The memory of the ModernGov import's map of kept ids (`moderngov.services.Ids`), measured
by itself: N ModernGov id rows shaped like the full archive's (docs/moderngov.md: a tenth
meetings, each with its ModernGov status in `original`, the rest agenda items) written into
an empty database, then the map built once under tracemalloc. Prints JSON: what the map
holds once built, and the peak while it was built (the rows read from the database too).

    DATABASE_URL=postgres://…/quorum_bench_ids python -m bench.moderngov_ids [--ids 50000]

The database's ModernGov ids are replaced: its name must contain "bench".
"""

import argparse
import hashlib
import json
import os
import sys
import tracemalloc

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from moderngov.models import Kind, ModernGovId  # noqa: E402
from moderngov.services import Ids  # noqa: E402


def fill(count: int) -> None:
    ModernGovId.objects.all().delete()
    rows = []
    for n in range(1, count + 1):
        meeting = n % 10 == 0
        rows.append(
            ModernGovId(
                kind=Kind.MEETING if meeting else Kind.AGENDA_ITEM,
                moderngov_id=n,
                object_id=n,
                fingerprint=hashlib.sha256(str(n).encode()).hexdigest(),
                original={"status": "Meeting held"} if meeting else {},
            )
        )
    ModernGovId.objects.bulk_create(rows, batch_size=5_000)


def measure() -> tuple[int, int, int]:
    """The ids kept, the bytes the map holds once built, and the peak while it was built."""
    connection.ensure_connection()  # the connection's own memory is not the map's
    tracemalloc.start()
    ids = Ids()
    held, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return len(ids.rows), held, peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ids", type=int, default=50_000)
    args = parser.parse_args()
    if "bench" not in connection.settings_dict["NAME"]:
        sys.exit("DATABASE_URL must name a database with 'bench' in its name: its ModernGov ids are replaced.")
    call_command("migrate", verbosity=0)
    fill(args.ids)
    count, held, peak = measure()
    print(
        json.dumps(
            {
                "ids": count,
                "held_mb": round(held / 1e6, 1),
                "peak_mb": round(peak / 1e6, 1),
                "bytes_an_id": round(held / count),
            }
        )
    )


if __name__ == "__main__":
    main()
