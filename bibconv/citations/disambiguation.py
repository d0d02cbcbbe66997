"""Disambiguation of in-text citations, in the order the CSL specification gives it.

citeproc-py implements none of it; citeproc-js (Zotero) does, and it changes what
readers see: ``(T. Xia, Vorobeychik, Liu, et al., 1996)`` instead of two identical
``(Xia et al., 1996)``, ``2020a``/``2020b``, and in styles whose bibliography shares the
citation's et-al settings (Harvard, MLA) the added names in the entries too.

For a whole bibliography (it needs every item, so only sorted bibliographies get it):

1. global given-name rules (``givenname-disambiguation-rule`` ``all-names``,
   ``primary-name`` and their ``-with-initials`` forms, with
   ``disambiguate-add-givenname``): a family name shared by different people is shown
   with initials, or the full given name when initials do not tell them apart;
2. ``disambiguate-add-names``: for cites that still read the same, names hidden by et-al
   are added, for the whole set at once, while that separates more of them;
3. ``by-cite`` given names: names of still-identical cites get initials, then given names;
4. ``disambiguate="true"`` conditions become true for cites still identical;
5. ``disambiguate-add-year-suffix``: the rest get a, b, c... in bibliography order.

The results are stored on each citeproc-py citation item (keys below) and applied by the
name patch in :mod:`bibconv.citeproc_fixes` when the item is rendered.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..citeproc_fixes.initials import initialize_given

__all__ = ["AMBIGUOUS", "GIVEN", "NAMES_SHOWN", "disambiguate", "suffix_letter"]

#: citation-item keys read by the citeproc-py patches
NAMES_SHOWN = "bibconv_names_shown"   # how many names the cite shows (et-al override)
GIVEN = "bibconv_given"               # {name position: 1 initials | 2 full given name}
AMBIGUOUS = "bibconv_ambiguous"       # the cite is still ambiguous (disambiguate="true")

_NAME_VARS = ("author", "editor", "translator", "composer", "director", "interviewer",
              "illustrator", "collection_editor", "container_author")


def suffix_letter(position: int) -> str:
    """a, b, ..., z, aa, ab, ... for the 0-based position in an ambiguous group."""
    letters = ""
    position += 1
    while position:
        position, rest = divmod(position - 1, 26)
        letters = chr(ord("a") + rest) + letters
    return letters


def cite_names(reference: Any) -> list[Any]:
    """The names a citation shows first (author, or what substitutes for it)."""
    for variable in _NAME_VARS:
        names = reference.get(variable)
        if names:
            return list(names)
    return []


def _family(name: Any) -> str:
    parts = [name.get("non-dropping-particle"), name.get("family") or name.get("literal")]
    return " ".join(str(p) for p in parts if p).casefold()


def _initials(given: str) -> str:
    """What initialising leaves of a given name (``Jean-paul`` "J", ``jean-Paul``
    "jean-P": different people to citeproc-js, since one is not initialised)."""
    return initialize_given(given, "").casefold()


def _shown(names: list[Any], et_al: tuple[int | None, int | None]) -> list[Any]:
    """The names a citation shows under its et-al rule."""
    et_al_min, use_first = et_al
    if et_al_min and use_first and len(names) > 1 and len(names) >= et_al_min:
        return names[:use_first]
    return names


def _global_levels(citems: list[Any], rule: str, et_al: tuple[int | None, int | None]) -> None:
    """Step 1: given-name levels from the names the document's citations show (only
    the first of each with the primary-name rules)."""
    initials_only = rule.endswith("with-initials")
    primary = rule.startswith("primary-name")

    def candidates(citem: Any) -> list[Any]:
        names = _shown(cite_names(citem.reference), et_al)
        return names[:1] if primary else names

    people: dict[str, set[str]] = {}
    for citem in citems:
        for name in candidates(citem):
            if isinstance(name, dict) and name.get("family"):
                people.setdefault(_family(name), set()).add(str(name.get("given") or ""))
    for citem in citems:
        levels: dict[int, int] = {}
        for position, name in enumerate(candidates(citem)):
            if not isinstance(name, dict) or not name.get("family"):
                continue
            givens = people.get(_family(name), set())
            if len(givens) < 2:
                continue
            given = str(name.get("given") or "")
            same_initials = [g for g in givens if _initials(g) == _initials(given)]
            levels[position] = 1 if len(same_initials) < 2 or initials_only else 2
        if levels:
            citem[GIVEN] = levels


def disambiguate(citems: list[Any], render: Callable[[Any], str], citation: Any,
                 et_al: tuple[int | None, int | None], explicit_suffix: bool) -> None:
    """Run the style's disambiguation over all items (in bibliography order).

    ``render`` renders one item's in-text citation (with the current settings);
    ``citation`` is the style's cs:citation element; ``et_al`` its (min, use-first);
    ``explicit_suffix``: the style prints the year-suffix variable itself (otherwise the
    suffix follows the first year printed).
    """
    def flag(name: str) -> bool:
        return str(citation.get(name, "false")).lower() == "true"

    add_names, add_given = flag("disambiguate-add-names"), flag("disambiguate-add-givenname")
    add_suffix = flag("disambiguate-add-year-suffix")
    rule = str(citation.get("givenname-disambiguation-rule") or "by-cite")
    if add_given and rule != "by-cite":
        _global_levels(citems, rule, et_al)
    texts = {id(c): _safe(render, c) for c in citems}

    def ambiguous_groups() -> list[list[Any]]:
        groups: dict[str, list[Any]] = {}
        for citem in citems:
            text = texts[id(citem)]
            if text:
                groups.setdefault(text, []).append(citem)
        return [group for group in groups.values() if len(group) > 1]

    et_al_min, use_first = et_al
    by_cite = add_given and rule == "by-cite"
    if (add_names and et_al_min and use_first) or by_cite:
        for group in ambiguous_groups():
            _resolve_group(group, render, texts, add_names, by_cite, et_al)
    groups = ambiguous_groups()
    if groups and citation.xpath(".//cs:if[@disambiguate] | .//cs:else-if[@disambiguate]",
                                 namespaces=citation.nsmap):
        for group in groups:
            for citem in group:
                citem[AMBIGUOUS] = True
                texts[id(citem)] = _safe(render, citem)
        groups = ambiguous_groups()
    if add_suffix:
        from ..citeproc_fixes import YEAR_SUFFIX

        for group in groups:
            dated = [c for c in group if isinstance(c.reference.get("issued"), dict)
                     and "year" in c.reference.get("issued")]
            for position, citem in enumerate(dated):
                if explicit_suffix:
                    citem.reference["year_suffix"] = suffix_letter(position)
                else:
                    citem.reference["issued"][YEAR_SUFFIX] = suffix_letter(position)


def _resolve_group(group: list[Any], render: Callable[[Any], str], texts: dict[int, str],
                   add_names: bool, by_cite: bool,
                   et_al: tuple[int | None, int | None]) -> None:
    """Steps 2 and 3 for one set of identical cites: given names of the shown names that
    differ within the set (by-cite rule), then one more name for the whole set, while
    that tells more cites apart."""
    def distinct(members: list[Any]) -> int:
        return len({texts[id(c)] for c in members})

    def rerender(members: list[Any]) -> None:
        for citem in members:
            texts[id(citem)] = _safe(render, citem)

    et_al_min, use_first = et_al
    truncates = bool(et_al_min and use_first)
    longest = max(len(cite_names(c.reference)) for c in group)
    shown = use_first if truncates and use_first else longest
    pending = group
    while len(pending) > 1:
        if by_cite:
            saved = {id(c): (dict(c.get(GIVEN) or {}), texts[id(c)]) for c in pending}
            before = distinct(pending)
            _expand_differing(pending, shown)
            rerender(pending)
            if distinct(pending) <= before:
                for citem in pending:
                    levels, text = saved[id(citem)]
                    if levels:
                        citem[GIVEN] = levels
                    else:
                        citem.pop(GIVEN, None)
                    texts[id(citem)] = text
        groups: dict[str, list[Any]] = {}
        for citem in pending:
            groups.setdefault(texts[id(citem)], []).append(citem)
        still = [c for members in groups.values() if len(members) > 1 for c in members]
        if not still or not (add_names and truncates) or shown >= longest:
            return
        before = distinct(still)
        # Adding names all these cites share changes none of them alike: go straight to
        # the first count that may tell them apart (one render, not one per name: lists
        # of thousands of authors made this quadratic).
        shown = min(_next_telling(members, shown, longest)
                    for members in groups.values() if len(members) > 1)
        saved_texts = {id(c): texts[id(c)] for c in still}
        for citem in still:
            citem[NAMES_SHOWN] = shown
        rerender(still)
        if distinct(still) <= before and shown >= longest:
            for citem in still:  # adding names did not help: undo
                citem.pop(NAMES_SHOWN, None)
                texts[id(citem)] = saved_texts[id(citem)]
            return
        pending = still


def _name_key(name: Any) -> tuple[str, ...]:
    """A name as a comparable value."""
    if isinstance(name, dict):
        return tuple(f"{key}\x00{value}" for key, value in sorted(name.items()))
    return (str(name),)


def _next_telling(members: list[Any], shown: int, longest: int) -> int:
    """How many names the identical cites of ``members`` (showing ``shown``) must show
    before they may differ: up to the first place where their name lists differ or
    one of them ends, else ``longest``.

    Showing fewer adds the same names to each cite, and every list still continues
    (each cite still ends in "et al."), so cites that read the same still do.
    """
    lists = [cite_names(c.reference) for c in members]
    ends = {len(names) for names in lists}
    for count in range(shown + 1, longest + 1):
        position = count - 1
        if count in ends or any(len(names) <= position for names in lists):
            return count
        first = _name_key(lists[0][position])
        if any(_name_key(names[position]) != first for names in lists[1:]):
            return count
    return longest


def _expand_differing(members: list[Any], shown: int) -> None:
    """Give initials (or full given names, when initials agree) to the shown names whose
    family name is shared within ``members`` by different people."""
    lists = [cite_names(c.reference) for c in members]
    for position in range(shown):
        people: dict[str, set[str]] = {}
        for names in lists:
            if position < len(names) and isinstance(names[position], dict) \
                    and names[position].get("family"):
                name = names[position]
                people.setdefault(_family(name), set()).add(str(name.get("given") or ""))
        for citem, names in zip(members, lists, strict=True):
            if position >= len(names) or not isinstance(names[position], dict):
                continue
            name = names[position]
            givens = people.get(_family(name), set())
            if len(givens) < 2:
                continue
            given = str(name.get("given") or "")
            same = [g for g in givens if _initials(g) == _initials(given)]
            levels = dict(citem.get(GIVEN) or {})
            levels[position] = max(levels.get(position, 0), 1 if len(same) < 2 else 2)
            citem[GIVEN] = levels


def _safe(render: Callable[[Any], str], citem: Any) -> str:
    try:
        return render(citem)
    except Exception:
        return ""
