"""Deterministic synthetic cluster corpora for benchmarks.

`generate(n, seed)` yields scraped-page text for n papers spread over clusters of a few
dozen papers each, with realistic venue lines, titles, 2-12 authors (particles,
suffixes, homonym numbers), and abstracts of 600-1,500 characters. The same n and
seed always give the same bytes.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

VENUES = [
    ("AAAI", "Conference", "Conference Paper"), ("NeurIPS", "Conference", "Conference Paper"),
    ("ICML", "Conference", "Conference Paper"), ("ICLR", "Conference", "Conference Paper"),
    ("IJCAI", "Conference", "Conference Paper"), ("ACM MM", "Conference", "Conference Paper"),
    ("CVPR", "Conference", "Conference Paper"), ("ACL", "Conference", "Conference Paper"),
    ("EAAI", "Journal", "Journal Article"), ("Nature Communications", "Journal", "Journal Article"),
    ("TPAMI", "Journal", "Journal Article"), ("arXiv", "Preprint", "Preprint"),
    ("KDD", "Conference", "Conference Paper"), ("JMLR", "Journal", "Journal Article"),
]
GIVEN = ["Kun", "Tian", "Yang", "Xueru", "Ada", "Alan", "Grace", "Ludwig", "José María", "Bo",
         "Mingyan", "Chaowei", "Anima", "Parinaz", "Yevgeniy", "Zhongzhu", "Weili", "Cathy"]
FAMILY = ["Jin", "Xie", "Liu", "Zhang", "Lovelace", "Turing", "Hopper", "van Beethoven",
          "Olazábal", "Li", "Xiao", "Anandkumar", "Naghizadeh", "Vorobeychik", "Chen", "Nie",
          "Xia", "de la Cruz", "King Jr.", "O'Neil", "Müller", "Ødegård"]
WORDS = [
    "diffusion", "model", "robust", "learning", "fairness", "performative", "prediction",
    "federated", "graph", "network", "attention", "retrieval", "optimal", "transport",
    "Wasserstein", "Procrustes", "adversarial", "certified", "purification", "latent", "reward",
    "preference", "optimization", "strategic", "manipulation", "recommender", "systems",
    "polarization", "games", "multi-scale", "structure", "BERT", "GPT-4", "sparse", "dense",
    "convex", "non-convex", "stochastic", "gradient",
]


MATH = ["top-$k$ retrieval", "an $\\ell_1$ penalty", "rate $O(1/T)$", "$\\epsilon$-greedy search"]


def records(n: int, seed: int = 7) -> Iterator[dict[str, Any]]:
    """The papers of the corpus as plain dicts (also the floor's input)."""
    rng = random.Random(seed)
    for i in range(n):
        venue, kind, ptype = rng.choice(VENUES)
        title_words = [rng.choice(WORDS) for _ in range(rng.randint(4, 12))]
        title = " ".join(title_words).capitalize() + (f" {i}" if i % 7 == 0 else "")
        authors = []
        for _ in range(rng.randint(2, 12)):
            name = f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}"
            if rng.random() < 0.05:
                name += f" {rng.randint(1, 99):04d}"
            authors.append(name)
        sentences = []
        while sum(len(s) for s in sentences) < rng.randint(600, 1500):
            sentences.append(" ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 20)))
                             .capitalize() + ".")
        # About one abstract in ten, and one title in thirty, carries TeX math, as on
        # real pages ("top-$k$", "$\ell_1$").
        if rng.random() < 0.1:
            sentences.append(rng.choice(MATH) + ".")
        if rng.random() < 0.03:
            title += " with " + rng.choice(MATH)
        yield {
            "venue": venue, "kind": kind, "year": rng.randint(1990, 2026), "type": ptype,
            "title": title, "authors": authors, "abstract": " ".join(sentences),
        }


def page_text(recs: list[dict[str, Any]], cluster: int) -> str:
    """One scraped cluster page holding the given records."""
    head = (f"Arrow Research search\n\nAuthor name cluster\n\nAuthor {cluster}\n\n"
            f"Possible papers associated with this exact author name.\n\n{len(recs)} papers\n"
            f"1 author rows\n\nPossible papers\n\n{len(recs)}\n\n")
    body = []
    for r in recs:
        authors = "\n".join(f"  • {a}" for a in r["authors"])
        body.append(f"{r['venue']} {r['kind']} {r['year']} {r['type']}\n\n{r['title']}\n\n"
                    f"{authors}\n\n{r['abstract']}\n\n")
    return head + "".join(body)


def write_corpus(path: Path, n: int, seed: int = 7, per_page: int = 40) -> Path:
    """Write an n-paper corpus of concatenated cluster pages to path."""
    with path.open("w", encoding="utf-8") as out:
        batch: list[dict[str, Any]] = []
        cluster = 0
        for record in records(n, seed):
            batch.append(record)
            if len(batch) == per_page:
                out.write(page_text(batch, cluster))
                cluster += 1
                batch = []
        if batch:
            out.write(page_text(batch, cluster))
    return path


def floor(src: str | Path, out: TextIO) -> None:
    """The floor every benchmark compares with: the simplest Python that does the job.

    Read the records from JSON Lines (the C decoder), map each to a CSL-like dict and
    ``json.dumps`` it, a line each.
    """
    import json

    with open(src, encoding="utf-8") as inp:
        for line in inp:
            r = json.loads(line)
            item = {"id": str(hash(r["title"])), "type": "paper-conference", "title": r["title"],
                    "author": [{"family": a.rsplit(" ", 1)[-1], "given": a.rsplit(" ", 1)[0]}
                               for a in r["authors"]],
                    "issued": {"date-parts": [[r["year"]]]}, "container-title": r["venue"],
                    "abstract": r["abstract"]}
            out.write(json.dumps(item, ensure_ascii=False))
            out.write("\n")
