"""spamsieve next to datatrove's web-corpus filters, on the same labelled corpus.

``python -m pipelines.detection.compare`` prints, per page kind, what spamsieve catches or
rejects and what datatrove's Gopher repetition + FineWeb quality (+ Gopher quality, C4)
filters, configured for Chinese as FineWeb-2 does (see ``baseline_datatrove``), drop.
Needs the ``compare`` extra (datatrove, spacy, jieba).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pipelines.detection.evaluate import DEFAULT_CORPUS, evaluate


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--no-c4", action="store_true", help="leave datatrove's C4 filter out")
    args = parser.parse_args(argv)
    try:
        from pipelines.detection.baseline_datatrove import load_pages, run_baseline, summarize
    except ImportError as exc:
        print(f"compare: needs the 'compare' extra (pip install -e '.[compare]'): {exc}",
              file=sys.stderr)
        return 2
    ours = evaluate(args.corpus, seed=None)
    pages = load_pages(args.corpus)
    theirs = summarize(run_baseline(pages, with_c4=not args.no_c4), pages)["groups"]
    print(f"{'kind':<26}{'pages':>6}  {'spamsieve':>22}  {'datatrove (zh)':>16}")
    for kind, counts in ours["per_kind"].items():
        label = kind.split("/", 1)[0]
        group = theirs.get(f"kind:{kind}", {"dropped": 0, "n": counts["pages"]})
        if label == "polluted":
            mine = f"caught {counts.get('caught', 0)}/{counts['pages']}"
        else:
            mine = f"rejected {counts.get('rejected', 0)}/{counts['pages']}"
        print(f"{kind:<26}{counts['pages']:>6}  {mine:>22}  {'dropped ' + str(group['dropped']) + '/' + str(group['n']):>16}")
    pol, cln = theirs["label:polluted"], theirs["label:clean"]
    print()
    print(f"{'polluted caught':<32}{ours['polluted_caught']:>16.1%}  {pol['dropped'] / pol['n']:>16.1%}")
    print(f"{'clean rejected/dropped':<32}{ours['clean_rejected']:>16.1%}  {cln['dropped'] / cln['n']:>16.1%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
