"""Build the shipped register file from the raw Gemeindeverzeichnis extract.

    .venv/bin/python scripts/build_register.py ../shared/data/gemeindeverzeichnis-2019/gv-auszug-2019-12-31.csv

Reads and checks the CSV with the same code as ``zwk register load`` and writes
src/zwk/demography/register/data/gemeindeverzeichnis.parquet (the status date is taken from
the file name unless --stand is given). tests/demography/test_register.py checks that the
shipped file equals what this script makes from the raw extract.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from zwk.demography.register import SHIPPED, RegisterError, import_extract


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("extract", type=Path)
    parser.add_argument("--stand", type=date.fromisoformat, help="status date, YYYY-MM-DD")
    args = parser.parse_args()
    try:
        path, register = import_extract(args.extract, status_date=args.stand, target=SHIPPED)
    except RegisterError as error:
        print(f"Fehler: {error}", file=sys.stderr)
        return 2
    print(f"{len(register.municipalities)} Gemeinden, {len(register.kreise)} Kreise, "
          f"{register.status_label} → {path} ({path.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
