"""Runtime corrections to citeproc-py 0.11, applied inside our process only.

citeproc-py is the CSL processor we run; citeproc-js (Zotero, Mendeley) is the reference.
These patches close gaps that cannot be fixed from outside the processor. Each replaces
one method of one citeproc-py class, keeps the original reachable as ``_bibconv_orig_*``,
and is installed once by :func:`apply` (idempotent). The installed package files are never
edited, and nothing is patched until the citation writer is first used.

1. ``TextCased.case``: 78 bundled styles apply ``text-case`` to values that reach it as a
   plain ``str`` or ``int`` (locale terms, numbers), and citeproc-py then raises
   ``AttributeError: 'str' object has no attribute 'capitalize_first'``/``'words'``.
   The value is wrapped in citeproc-py's own ``String`` first. Labels and dates pass no
   language, so citeproc-py never title-cased them (``(ed.)`` for citeproc-js's
   ``(Ed.)``); they now use the style's language, as text elements do.
2. ``Substitute.add_to_repressed_list`` and ``Names.process``: the CSL spec says a
   variable used by ``cs:substitute`` is suppressed in the rest of the entry. citeproc-py
   suppresses it only when the substitute child is a bare ``<text variable>``; styles
   (APA, Chicago) substitute through macros, so the title or editors printed twice. We
   record every variable the substituting element calls (through macros) and skip them
   later in text and names elements.
3. ``Layout.render_bibliography``: with ``second-field-align`` (IEEE, Vancouver, ...)
   citeproc-js separates the label (``[1]``) from the rest of the entry by a space in
   text output; citeproc-py glued them (``[1]K. Jin``).
4. ``Choose.render`` and ``Group.process``: a group is suppressed when all the variables
   it calls are empty. citeproc-py counted a ``cs:choose`` as having printed a variable
   even when the branch it took printed a fixed value only, so APA printed
   ``(Publication)`` after thesis titles. The branch taken is remembered and asked.
5. ``Name.initialize``: ``initialize="false"`` (Chicago, MLA) keeps given names whole;
   otherwise given names become initials as in citeproc-js (:mod:`.initials`): Arabic,
   Hebrew and Thai names get initials, lower-case and other names are kept whole.
6. ``FormatNumber._format_last_page``: minimal page ranges keep the whole last page when
   the two ends differ in length (``1–12``, not ``1–2``).
7. ``Name.process``, ``Date.process``, ``Text.process``: a sort mode for
   :mod:`bibconv.citations.sorting` (names as ``family given`` with particles demoted,
   dates as ``1YYYYMMDD``, reaching nested macros).
8. ``Date.render_single_date``: a localized date keeps the locale's delimiter.
9. ``Label._is_plural``: a page range kept as written is one page (``p. 12.1-12.10``).
10. ``Name_Part.format_part``: plain strings, not MixedString (TypeError in 9 styles).
11. Caches for what is invariant per parsed style (XPath answers, child lookups, roots,
    terms, locale options, ``calls_variable``, ``cs:if`` tests) — speed only.
12. ``Date_Part.process``: year suffixes (2020a).
13. First names of an entry remembered for ``subsequent-author-substitute``.
14. ``If.render``: ``disambiguate="true"`` is false for unambiguous cites.
15. ``Label.process``: a standalone label only prints with a value.
16. Names rendered with the item's disambiguation (added names, initials, given names);
    bare names inside any ``cs:substitute`` inherit the substituted names' options;
    name suffixes follow ``initialize-with`` (``Jr`` after ``ML``); CJK names print their
    family name in short form.
Also: ``TextCased.case`` tolerates formatted pieces and ``StrippedPeriods`` numbers.
"""

from __future__ import annotations

import contextlib
from typing import Any

from .initials import initialize_given

__all__ = ["YEAR_SUFFIX", "apply", "begin_render", "called_variables", "first_names",
           "keep_alive"]

_applied = False
_NS = "{http://purl.org/net/xbiblio/csl}"
_TEXT = _NS + "text"
_NAMES = _NS + "names"
_DATE = _NS + "date"
_NUMBER = _NS + "number"
_LABEL = _NS + "label"
#: Key under which patch 2 keeps the suppressed variables in ``layout.repressed``.
SUPPRESSED = "bibconv:suppressed"
#: Key under which the engine stores an item's year suffix in its issued date (patch 12).
YEAR_SUFFIX = "bibconv_year_suffix"
#: Dates whose suffix was printed in the entry or citation being rendered.
_SUFFIXED: set[int] = set()
#: The (patched) Name.initialize, for module-level helpers.
original_initialize_ref: list[Any] = []
#: Per-render facts (patch 13): the first names printed.
_RENDER_STATE: dict[str, Any] = {}
FIRST_NAMES = "first-names"
AREA = "area"
PREDECESSOR = "predecessor"
SHARE_NAMES = "share-names"
#: The child of a cs:substitute element that printed (by element identity), for patch 2.
_SUBSTITUTED: dict[int, Any] = {}
#: The branch a cs:choose element took last (by element identity), for patch 4.
_BRANCH: dict[int, Any] = {}


def begin_render(area: str = "bibliography", share_names: bool = False) -> None:
    """Forget per-render state (call before rendering each entry or citation).

    ``area`` is "citation" or "bibliography"; ``share_names``: a bibliography entry shows
    as many names as its disambiguated citation (patch 16).
    """
    _SUFFIXED.clear()
    _RENDER_STATE.clear()
    _RENDER_STATE[AREA] = area
    _RENDER_STATE[SHARE_NAMES] = share_names


def first_names() -> tuple[tuple[Any, ...], str] | None:
    """The names the first cs:name element showed in the last entry rendered (as
    comparable tuples) and the text it printed."""
    found = _RENDER_STATE.get(FIRST_NAMES)
    return found if isinstance(found, tuple) else None


def _shown_names(element: Any, item: Any, variable: Any, context: Any) -> tuple[Any, ...]:
    """The names a cs:name element shows after et-al truncation, as tuples."""
    try:
        names = list(item.reference.get(variable) or [])
        et_al_min = element.get_option("et-al-min", context)
        use_first = element.get_option("et-al-use-first", context)
    except Exception:
        return ()
    try:
        from ..citations.disambiguation import NAMES_SHOWN

        override = item.get(NAMES_SHOWN) if _RENDER_STATE.get(SHARE_NAMES) else None
    except Exception:
        override = None
    if override:
        use_first = override  # names added to disambiguate the citation (patch 16)
    if et_al_min and use_first and len(names) > 1 and len(names) >= et_al_min:
        names = names[:use_first]
    return tuple(tuple(sorted((str(k), str(v)) for k, v in n.items())) if isinstance(n, dict)
                 else (str(n),) for n in names)


def called_variables(element: Any) -> set[str]:
    """Every variable an element (and the macros it calls, transitively) may render."""
    found: set[str] = set()
    seen_macros: set[str] = set()
    stack = [element]
    while stack:
        node = stack.pop()
        tag = getattr(node, "tag", None)
        if not isinstance(tag, str):
            continue
        if tag in (_TEXT, _NAMES, _DATE, _NUMBER) and node.get("variable"):
            found.update(node.get("variable").split())
        macro = node.get("macro") if tag == _TEXT else None
        if macro and macro not in seen_macros:
            seen_macros.add(macro)
            with contextlib.suppress(IndexError, AttributeError):
                stack.append(node.get_macro(macro))
        stack.extend(node.iterchildren())
    return found


def apply() -> None:
    """Install the patches (once per process)."""
    global _applied
    if _applied:
        return
    from citeproc import model
    from citeproc.string import String

    # 1. text-case on plain strings and numbers.
    original_case = model.TextCased.case

    def case(self: Any, text: Any, language: Any = None) -> Any:
        if text is None or str(text) == "":
            return text  # a missing name part (literal names have no given name)
        if not hasattr(text, "words"):
            text = String(str(text))
        if language is None:
            # Labels and dates pass no language; citeproc-py then never title-cases
            # them ("(ed.)" where citeproc-js prints "(Ed.)"). Use the style's, as
            # citeproc-py does for text elements.
            language = (self.get_root().get("default-locale") or "en")[:2]
        text_case = self.get("text-case")
        if text_case == "title" and language == "en":
            return _title_case(text, String)
        if text_case == "capitalize-first" and text is not None:
            # CSL: only a lower-case first word is capitalised ("arXiv" stays).
            words = str(text).split(" ", 1)
            if not words[0] or not words[0].islower():
                return text
        try:
            return original_case(self, text, language)
        except AttributeError:
            # A MixedString holding a formatted piece (our formatters make plain str
            # subclasses, which have no .words()): case the plain text instead.
            return original_case(self, String(str(text)), language)

    model.TextCased._bibconv_orig_case = original_case

    # 1b. strip-periods on a number (citation-number is an int).
    original_strip = model.StrippedPeriods.strip_periods

    def strip_periods(self: Any, string: Any) -> Any:
        if isinstance(string, int):
            string = str(string)
        return original_strip(self, string)

    model.StrippedPeriods._bibconv_orig_strip_periods = original_strip
    model.StrippedPeriods.strip_periods = strip_periods
    model.TextCased.case = case

    # 2. suppress substituted variables, also when substituted through a macro.
    original_substitute_render = model.Substitute.render

    original_add_repressed = model.Substitute.add_to_repressed_list

    def add_to_repressed_list(self: Any, child: Any, context: Any) -> None:
        original_add_repressed(self, child, context)
        _SUBSTITUTED[id(self)] = child  # the child that printed (read below)

    def substitute_render(self: Any, item: Any, context: Any = None, **kwargs: Any) -> Any:
        _SUBSTITUTED.pop(id(self), None)
        text = original_substitute_render(self, item, context=context, **kwargs)
        child = _SUBSTITUTED.pop(id(self), None)
        if text and context is not None and child is not None:
            # Suppress the variables whose values the substituting child actually
            # printed: a macro such as APA's "title" calls many variables but prints
            # one or two, and only the child that succeeded counts.
            shown = str(text).casefold()
            layout = context.get_layout()
            suppressed = layout.repressed.setdefault(SUPPRESSED, set())
            for variable in called_variables(child):
                # "author" is what other name variables substitute *for*; styles such as
                # APA render their author macro more than once, so it is never suppressed.
                if variable != "author" and _printed(item, variable, shown):
                    suppressed.add(variable)
            text_vars = layout.repressed.setdefault(_TEXT, [])
            text_vars.extend(sorted(suppressed))
        return text

    model.Substitute._bibconv_orig_add_to_repressed_list = original_add_repressed
    model.Substitute.add_to_repressed_list = add_to_repressed_list
    model.Substitute._bibconv_orig_render = original_substitute_render
    model.Substitute.render = substitute_render

    original_names_process = model.Names.process

    def names_process(self: Any, item: Any, names_context: Any = None, context: Any = None,
                      **kwargs: Any) -> Any:
        layout_context = context if context is not None else self
        try:
            repressed = layout_context.get_layout().repressed
        except AttributeError:
            repressed = {}
        suppressed = repressed.get(SUPPRESSED) if isinstance(repressed, dict) else None
        if suppressed and names_context is None:
            roles = (self.get("variable") or "").split()
            # A names element whose only variables with a value were substituted
            # prints nothing ("editor translator" after the editor stood in for the
            # author).
            if roles and all(role in suppressed or not _has_value(item, role)
                             for role in roles):
                raise model.VariableError
        if names_context is None and self.find("cs:name", self.nsmap) is None:
            # A bare <names variable="editor"/> anywhere inside a cs:substitute (also
            # inside a cs:choose there) inherits the substituted cs:names' name, et-al
            # and label; citeproc-py did this for direct children only (Chicago printed
            # "T. F. Gonzalez" for "Gonzalez, Teofilo F., ed.").
            outer = self.xpath_search("./ancestor::cs:substitute[1]/parent::cs:names[1]")
            if outer:
                names_context = outer[0]
        return original_names_process(self, item, names_context=names_context,
                                      context=context, **kwargs)

    model.Names._bibconv_orig_process = original_names_process
    model.Names.process = names_process

    # 5. initialize="false": keep given names whole (Chicago, MLA print "Kun Jin").
    #    Otherwise initials as citeproc-js makes them (.initials): citeproc-py took
    #    every word not starting with a capital for a particle, so Arabic, Hebrew and
    #    Thai names (no case) and "alice" printed as ". محمد .".
    original_initialize = model.Name.initialize

    def initialize(self: Any, given: Any, mark: Any, context: Any) -> Any:
        if _name_option(self, "initialize", context) == "false":
            return given
        try:
            hyphen = bool(self.get_option("initialize-with-hyphen", context))
        except Exception:
            hyphen = True  # the CSL default
        out = initialize_given(str(given), str(mark), hyphen)
        return type(given)(out) if isinstance(given, str) else out

    model.Name._bibconv_orig_initialize = original_initialize
    model.Name.initialize = initialize
    original_initialize_ref[:] = [initialize]

    # 6. page-range-format="minimal" on ranges whose ends differ in length: citeproc-py
    #    shortened 1-12 to "1–2"; citeproc-js (and the spec) keep "1–12".
    original_last_page = model.FormatNumber._format_last_page

    def format_last_page(self: Any, first: Any, last: Any) -> Any:
        if len(str(first)) != len(str(last)):
            return last
        return original_last_page(self, first, last)

    model.FormatNumber._bibconv_orig_format_last_page = original_last_page
    model.FormatNumber._format_last_page = format_last_page

    # 4. a group is suppressed when every variable it calls is empty; citeproc-py counted
    #    a cs:choose as "rendered a variable" even when the branch taken printed only a
    #    fixed value (APA printed "(Publication)" for theses without a number).
    original_choose_render = model.Choose.render

    def choose_render(self: Any, item: Any, context: Any = None, delimiter: str = "",
                      **kwargs: Any) -> Any:
        for child in self.getchildren():
            try:
                result = child.render(item, context=context, delimiter=delimiter, **kwargs)
            except model.ConditionFailed:
                continue
            _BRANCH[id(self)] = child
            return result
        _BRANCH[id(self)] = None
        return None

    def group_process(self: Any, item: Any, context: Any = None, **kwargs: Any) -> Any:
        output = []
        variable_called = False
        variable_rendered = False
        delimiter = self.get("delimiter", "")
        for child in self.iterchildren():
            child_text = None
            if isinstance(child, model.Choose):
                # Only the branch taken counts: a variable tested or printed in a branch
                # not taken does not make the group "call a variable" (IEEE's
                # "[Online]" group prints a term when `medium` is absent).
                try:
                    child_text = child.render(item, context=context, delimiter=delimiter,
                                              **kwargs)
                except model.VariableError:
                    child_text = None
                branch = _BRANCH.pop(id(child), None)
                calls = branch is not None and branch.calls_variable()
            else:
                calls = child.calls_variable()
                try:
                    child_text = child.render(item, context=context, **kwargs)
                except model.VariableError:
                    child_text = None
            variable_called = variable_called or calls
            if child_text is not None:
                output.append(child_text)
                variable_rendered = variable_rendered or calls
        output = [text for text in output if text is not None]
        if output and (not variable_called or variable_rendered):
            return self.join(output)
        raise model.VariableError

    model.Choose._bibconv_orig_render = original_choose_render
    model.Choose.render = choose_render
    model.Group._bibconv_orig_process = model.Group.process
    model.Group.process = group_process

    # 3. a space between the label and the entry under second-field-align.
    original_render_bibliography = model.Layout.render_bibliography

    def render_bibliography(self: Any, citation_items: Any) -> Any:
        if not self.getparent().get("second-field-align"):
            return original_render_bibliography(self, citation_items)
        output_items = []
        for item in citation_items:
            self.repressed = {}
            parts = []
            for child in self.iterchildren():
                try:
                    text = child.render(item)
                except model.VariableError:
                    continue
                if text is not None and str(text) != "":
                    parts.append(text)
            if not parts:
                continue
            body = parts[0]
            if len(parts) > 1:
                rest = model.join(parts[1:], "")
                body = body + String(" ") + rest if not str(rest).startswith(" ") else body + rest
            text = self.format(self.wrap(body))
            if text is not None:
                output_items.append(text)
        return output_items

    model.Layout._bibconv_orig_render_bibliography = original_render_bibliography
    model.Layout.render_bibliography = render_bibliography

    _apply_speed(model)

    # 7. sort mode (bibconv.citations.sorting): names and dates rendered as citeproc-js
    #    renders them inside sort keys.
    from ..citations.sorting import SORT_FLAG, date_key, name_key

    original_name_process = model.Name.process

    def name_process(self: Any, item: Any, variable: Any, context: Any = None,
                     sort_options: Any = None, **kwargs: Any) -> Any:
        if not (sort_options and sort_options.get(SORT_FLAG)):
            text = _with_disambiguation(self, item, variable, context, sort_options, kwargs,
                                        original_name_process)
            if text and FIRST_NAMES not in _RENDER_STATE:
                # 13. subsequent-author-substitute: the names the first cs:name of an
                #     entry showed (et-al truncation applied) and the text it printed.
                _RENDER_STATE[FIRST_NAMES] = (_shown_names(self, item, variable, context),
                                              str(text))
            return text

        def option(name: str) -> Any:
            try:
                return self.get_option(name, context, sort_options)
            except Exception:
                return None

        if option("form") == "count":
            return original_name_process(self, item, variable, context=context,
                                         sort_options=sort_options, **kwargs)
        names = item.reference.get(variable, [])
        demote = (self.get_root().get("demote-non-dropping-particle")
                  or "display-and-sort").lower()
        mark = option("initialize-with")
        initialize = None
        if mark is not None and _name_option(self, "initialize", context) != "false":
            def initialize(given: Any) -> Any:
                return model.Name.initialize(self, given, mark, context)
        if option("form") == "short":
            return " ".join(
                " ".join(str(p) for p in (_part(n, "non-dropping-particle"),
                                          _part(n, "family") or _part(n, "literal")) if p)
                for n in names[:option("et-al-use-first") or len(names)]) or None
        return name_key(names, demote, option("et-al-min"), option("et-al-use-first"),
                        initialize) or None

    model.Name._bibconv_orig_process = original_name_process
    model.Name.process = name_process

    # A cs:text calling a macro drops the sort options (citeproc-py passes only the
    # item and context), so names in nested macros were rendered for display.
    original_text_process = model.Text.process

    def text_process(self: Any, item: Any, context: Any = None, **kwargs: Any) -> Any:
        sort_options = kwargs.get("sort_options")
        if not (sort_options and sort_options.get(SORT_FLAG) and "macro" in self.attrib):
            text, language = original_text_process(self, item, context=context, **kwargs)
            if "macro" in self.attrib:
                return text, language
            if "value" in self.attrib and str(text) in (".", ","):
                # 18. punctuation written as text is not moved inside closing quotes
                #     (citations.post.FIXED_TEXT).
                text = String("\ue005" + str(text))
            if "term" in self.attrib and text and not _RENDER_STATE.get(PREDECESSOR) \
                    and _capitalizes_first_term(self):
                # 17. citeproc-js capitalises a term that is the first thing printed in
                #     an entry (Harvard's "(No date)"), except in in-text citations.
                plain = str(text)
                if plain[:1].islower():
                    text = type(text)(plain[0].upper() + plain[1:]) \
                        if isinstance(text, str) else String(plain[0].upper() + plain[1:])
            if text:
                _RENDER_STATE[PREDECESSOR] = True
            return text, language
        try:
            language = item.reference.language[:2]
        except Exception:
            language = (self.get_root().get("default-locale") or "en")[:2]
        text = self.get_macro(self.get("macro")).render(
            item, context if context is not None else self, sort_options=sort_options)
        return text, language

    model.Text._bibconv_orig_process = original_text_process
    model.Text.process = text_process

    original_date_process = model.Date.process

    def date_process(self: Any, item: Any, variable: Any = None, show_parts: Any = None,
                     context: Any = None, **kwargs: Any) -> Any:
        sort_options = kwargs.get("sort_options")
        if sort_options and sort_options.get(SORT_FLAG):
            name = (variable or self.get("variable") or "").replace("-", "_")
            parts = tuple((self.get("date-parts") or "year-month-day").split("-"))
            try:
                value = item.reference.get(name)
            except Exception:
                value = None
            return date_key(value, parts)
        return original_date_process(self, item, variable=variable, show_parts=show_parts,
                                     context=context, **kwargs)

    model.Date._bibconv_orig_process = original_date_process
    model.Date.process = date_process

    # 10. a cs:name-part with text-case but no font formatting returns a citeproc-py
    #     MixedString, which citeproc-py then str.join()s with the other name parts
    #     (TypeError in 9 styles). Our formatters produce str, so a plain str is right.
    original_format_part = model.Name_Part.format_part

    def format_part(self: Any, given: Any, family: Any) -> Any:
        given, family = original_format_part(self, given, family)
        if given is not None and not isinstance(given, str):
            given = str(given)
        if family is not None and not isinstance(family, str):
            family = str(family)
        return given, family

    model.Name_Part._bibconv_orig_format_part = original_format_part
    model.Name_Part.format_part = format_part

    # 12. year-suffix disambiguation (2020a/2020b), which citeproc-py does not
    #     implement: the engine marks the item's date with its letter (YEAR_SUFFIX) and
    #     the first year printed for the item in an entry or citation carries it.
    original_date_part = model.Date_Part.process

    def date_part_process(self: Any, date: Any, context: Any = None) -> Any:
        text = original_date_part(self, date, context)
        if self.get("name") == "year" and text is not None and isinstance(date, dict):
            letter = date.get(YEAR_SUFFIX)
            if letter and id(date) not in _SUFFIXED:
                _SUFFIXED.add(id(date))
                text = f"{text}{letter}"
        return text

    model.Date_Part._bibconv_orig_process = original_date_part
    model.Date_Part.process = date_part_process

    # 15. a standalone cs:label prints only when its variable has a value (CSL spec);
    #     citeproc-py printed the term anyway (Chicago: "n.d. Edition.").
    original_label_process = model.Label.process

    def label_process(self: Any, item: Any, variable: Any = None, plural: Any = None,
                      context: Any = None, **kwargs: Any) -> Any:
        own = self.get("variable")
        if variable is None and own and own != "locator" and not _has_value(item, own):
            return None
        return original_label_process(self, item, variable=variable, plural=plural,
                                      context=context, **kwargs)

    model.Label._bibconv_orig_process = original_label_process
    model.Label.process = label_process

    # 17 (continued). What names, dates, numbers and labels print also precedes a term.
    def noting_output(original: Any) -> Any:
        def process(self: Any, *args: Any, **kwargs: Any) -> Any:
            result = original(self, *args, **kwargs)
            if result:
                _RENDER_STATE[PREDECESSOR] = True
            return result
        return process

    for cls in (model.Names, model.Date, model.Number, model.Label):
        setattr(cls, "_bibconv_inner_process", cls.process)  # noqa: B010
        setattr(cls, "process", noting_output(cls.process))  # noqa: B010

    # 9. a page range kept as written (items.PAGE_HYPHEN) is one locator: singular label.
    original_is_plural = model.Label._is_plural

    def is_plural(self: Any, item: Any) -> Any:
        variable = self.get("variable") or ""
        if variable.startswith("page"):
            try:
                if "\ue002" in str(item.reference[variable.replace("-", "_")]):
                    return False
            except Exception:
                pass
        return original_is_plural(self, item)

    model.Label._bibconv_orig_is_plural = original_is_plural
    model.Label._is_plural = is_plural

    # 8. a localized date (form="text"/"numeric") joins its parts with the locale
    #    date's delimiter (NLM: "2020 Mar 15"); citeproc-py used the calling cs:date's
    #    (none), printing "2020Mar15".
    original_single = model.Date.render_single_date

    def render_single_date(self: Any, date: Any, show_parts: Any = None,
                           context: Any = None) -> Any:
        if (context is not None and context is not self and self.is_locale_date()
                and context.get("delimiter") is None and self.get("delimiter") is not None):
            parts = self.parts(date, show_parts, context)
            return self.join(parts) if parts else None
        return original_single(self, date, show_parts, context)

    model.Date._bibconv_orig_render_single_date = original_single
    model.Date.render_single_date = render_single_date
    _applied = True


def _apply_speed(model: Any) -> None:
    """Speed patches: cache what is invariant for a parsed style (11).

    citeproc-py answers the same XPath questions (which macro is called X, which
    cs:bibliography holds this name, ...) and walks the same subtrees
    (``calls_variable``) for every entry; a third of its time went there. Results are
    cached on the element itself; :func:`keep_alive` keeps the element proxies of a
    parsed style alive so that those caches last as long as the style.
    """
    original_xpath = model.CitationStylesElement.xpath_search

    def xpath_search(self: Any, expression: str) -> Any:
        cache = self.__dict__.get("_bibconv_xpath")
        if cache is None:
            cache = self.__dict__["_bibconv_xpath"] = {}
        found = cache.get(expression)
        if found is None:
            found = cache[expression] = original_xpath(self, expression)
        return found

    model.CitationStylesElement._bibconv_orig_xpath_search = original_xpath
    model.CitationStylesElement.xpath_search = xpath_search

    def cached_calls(original: Any) -> Any:
        def calls_variable(self: Any) -> Any:
            found = self.__dict__.get("_bibconv_calls")
            if found is None:
                found = self.__dict__["_bibconv_calls"] = original(self)
            return found
        return calls_variable

    for name in dir(model):
        cls: Any = getattr(model, name)
        if isinstance(cls, type) and "calls_variable" in cls.__dict__:
            original = cls.__dict__["calls_variable"]
            setattr(cls, "_bibconv_orig_calls_variable", original)  # noqa: B010
            setattr(cls, "calls_variable", cached_calls(original))  # noqa: B010

    element = model.CitationStylesElement

    def get_root(self: Any) -> Any:
        root = self.__dict__.get("_bibconv_root")
        if root is None:
            root = self.__dict__["_bibconv_root"] = self.getroottree().getroot()
        return root

    element._bibconv_orig_get_root = element.get_root
    element.get_root = get_root

    original_getattr = element.__getattr__

    def child_by_name(self: Any, name: str) -> Any:
        # `style.bibliography`, `layout`, ...: a child lookup whose answer never changes.
        if name.startswith("__") or name.startswith("_bibconv"):
            raise AttributeError(name)
        found = original_getattr(self, name)
        if found is not None:
            # Absent children are not remembered: citeproc-py inserts a default cs:name
            # into a cs:names that has none, and must find it the next time.
            self.__dict__[name] = found
        return found

    element._bibconv_orig_getattr = original_getattr
    element.__getattr__ = child_by_name

    original_term = element.get_term

    def get_term(self: Any, name: Any, form: Any = None, fallback_locale: bool = True,
                 zero_padded: bool = False) -> Any:
        root = self.get_root()
        cache = root.__dict__.get("_bibconv_terms")
        if cache is None:
            cache = root.__dict__["_bibconv_terms"] = {}
        key = (name, form, fallback_locale, zero_padded)
        if key in cache:
            return cache[key]
        found = cache[key] = original_term(self, name, form, fallback_locale, zero_padded)
        return found

    element._bibconv_orig_get_term = original_term
    element.get_term = get_term

    original_locale_option = element.get_locale_option

    def get_locale_option(self: Any, name: str) -> Any:
        root = self.get_root()
        cache = root.__dict__.get("_bibconv_locale_options")
        if cache is None:
            cache = root.__dict__["_bibconv_locale_options"] = {}
        if name in cache:
            return cache[name]
        found = cache[name] = original_locale_option(self, name)
        return found

    element._bibconv_orig_get_locale_option = original_locale_option
    element.get_locale_option = get_locale_option

    def if_type(self: Any, item: Any) -> Any:
        types = self.__dict__.get("_bibconv_types")
        if types is None:
            types = self.__dict__["_bibconv_types"] = [t.lower() for t in self.get("type").split()]
        kind = item.reference.type
        return [t == kind for t in types]

    def if_variable(self: Any, item: Any) -> Any:
        names = self.__dict__.get("_bibconv_vars")
        if names is None:
            names = self.__dict__["_bibconv_vars"] = [
                v.replace("-", "_") for v in self.get("variable").split()]
        reference = item.reference
        return [("locator" in item) if v == "locator" else (v in reference) for v in names]

    # 14. `disambiguate="true"` holds only for a cite still ambiguous after the other
    #     methods; citeproc-py ignored the test, so the branch always ran (MLA cites
    #     printed the title every time). Items are taken as unambiguous.
    original_if_render = model.If.render

    def if_render(self: Any, item: Any, context: Any = None, delimiter: str = "",
                  **kwargs: Any) -> Any:
        if "disambiguate" not in self.attrib:
            return original_if_render(self, item, context=context, delimiter=delimiter,
                                      **kwargs)
        results = [False]
        for attribute, test in (("type", self._type), ("variable", self._variable),
                                ("is-numeric", self._is_numeric),
                                ("is-uncertain-date", self._is_uncertain_date),
                                ("locator", self._locator)):
            if attribute in self.attrib:
                results += test(item)
        if "position" in self.attrib:
            results += self._position(item, context)
        match = self.get("match")
        result = any(results) if match == "any" else \
            (not any(results)) if match == "none" else all(results)
        if not result:
            raise model.ConditionFailed
        return self.render_children(item, context=context, delimiter=delimiter, **kwargs)

    model.If._bibconv_orig_render = original_if_render
    model.If.render = if_render

    model.If._bibconv_orig_type = model.If._type
    model.If._type = if_type
    model.If._bibconv_orig_variable = model.If._variable
    model.If._variable = if_variable


def keep_alive(root: Any) -> list[Any]:
    """Every element proxy of a parsed style and its locales (hold the list to keep them
    alive: lxml otherwise recreates proxies and our per-element caches are lost)."""
    held = list(root.iter())
    for locale in getattr(root, "locales", None) or ():
        try:
            held.extend(locale.iter())
        except AttributeError:
            continue
    return held


#: Words title case leaves in lower case inside a title: the single-word entries of the
#: list citeproc-js uses (prepositions, conjunctions, articles, name particles).
_STOP_WORDS = frozenset((
    "about", "above", "across", "afore", "after", "against", "al", "along", "alongside",
    "amid", "amidst", "among", "amongst", "an", "and", "anenst", "apropos", "apud",
    "around", "as", "aside", "astride", "at", "athwart", "atop", "barring", "before",
    "behind", "below", "beneath", "beside", "besides", "between", "beyond", "but", "by",
    "c", "ca", "circa", "d'", "de", "despite", "down", "during", "et", "except", "for",
    "forenenst", "from", "given", "in", "inside", "into", "lest", "like", "modulo", "near",
    "next", "nor", "notwithstanding", "of", "off", "on", "onto", "or", "out", "over", "per",
    "plus", "pro", "qua", "sans", "since", "so", "than", "the", "through", "throughout",
    "thru", "thruout", "till", "to", "toward", "towards", "under", "underneath", "until",
    "unto", "up", "upon", "v", "v.", "van", "versus", "via", "vis-à-vis", "von", "vs",
    "vs.", "with", "within", "without", "yet", "a"))


def _title_case_word(word: str, first: bool) -> str:
    """Title case of one (possibly hyphenated or slashed) word, as citeproc-js does it:
    lower-case words and parts are capitalised except stop words in the middle of the
    title; a part that starts with anything but a letter (after opening quotes and
    brackets) is left alone (``<script>``)."""
    if "/" in word:
        pieces = word.split("/")
        return "/".join(_title_case_word(piece, first and index == 0) if index == 0
                        else _title_case_word(piece, True)
                        for index, piece in enumerate(pieces))
    parts = word.split("-")
    out = []
    for index, part in enumerate(parts):
        lead = first and index == 0
        if part.islower() and (lead or (index > 0 and part not in _STOP_WORDS)
                               or (index == 0 and part not in _STOP_WORDS)):
            # The first letter may follow an opening quote or bracket.
            for pos, char in enumerate(part):
                if char.isalpha():
                    part = part[:pos] + char.upper() + part[pos + 1:]
                    break
                if char not in _OPENERS:
                    break
        out.append(part)
    return "-".join(out)


_OPENERS = frozenset("\u201c\u2018\"'([{\ue000")


def _title_case(text: Any, string_class: Any) -> Any:
    """CSL title case of a citeproc-py string (``NoCase`` parts are left alone)."""
    from citeproc.string import MixedString

    if text is None:
        return text
    try:
        words = list(text.words())
    except AttributeError:
        words = [string_class(str(text))]
    output = []
    first = True
    for word in words:
        plain = str(word)
        if type(word).__name__ == "NoCase":
            output.append(word)
        else:
            output.append(word.__class__(_title_case_word(plain, first)))
        first = plain.endswith((":", ".", "?", "!")) or not plain.strip("\u201c\u2018(\"'")
    if len(output) < 2:
        return output[0] if output else string_class("")
    # One MixedString of words and spaces, built at once: adding the words one by one
    # made citeproc-py re-read the whole text at every seam (a 50,000-character title
    # took 14 s). Words hold no spaces, so the seams need none of its tidying.
    pieces: list[Any] = []
    for word in output:
        pieces.extend((string_class(" "), word))
    return MixedString(pieces[1:])


def _name_option(element: Any, name: str, context: Any) -> str | None:
    """An inheritable name option from the name element, its citation/bibliography or the style."""
    value = element.get(name)
    if value is not None:
        return str(value)
    try:
        scope = (context if context is not None else element).xpath_search(
            "./ancestor::*[self::cs:citation or self::cs:bibliography][1]")
        for holder in (*scope, element.get_root()):
            value = holder.get(name)
            if value is not None:
                return str(value)
    except Exception:
        return None
    return None


def _with_suffix_marks(element: Any, item: Any, variable: Any, context: Any,
                       sort_options: Any, kwargs: dict[str, Any], render: Any) -> Any:
    """Render names with their suffixes' abbreviation periods replaced by the style's
    initialize-with mark, as citeproc-js does ("King ML Jr" in NLM and Springer, whose
    mark is empty; "Jr." where it is ". ")."""
    try:
        mark = element.get_option("initialize-with", context, sort_options)
        names = item.reference.get(variable)
        form = element.get_option("form", context, sort_options)
    except Exception:
        mark, names, form = None, None, None
    if form == "short" and names and any(
            isinstance(n, dict) and "\ue003" in str(n.get("literal") or "") for n in names):
        # A CJK name (items.CJK_SPLIT) in short form is its family name alone.
        short = [type(n)(literal=str(n.get("literal")).split("\ue003")[0])
                 if isinstance(n, dict) and "\ue003" in str(n.get("literal") or "") else n
                 for n in names]
        return _swap_names(element, item, variable, context, sort_options, kwargs, render,
                           short)
    dotted = names and any(isinstance(n, dict) and "." in str(n.get("suffix") or "")
                           for n in names)
    if mark is None or not dotted or str(mark).strip() == ".":
        return render(element, item, variable, context=context, sort_options=sort_options,
                      **kwargs)
    stop = str(mark).strip()
    changed = []
    for name in names:
        suffix = name.get("suffix") if isinstance(name, dict) else None
        if suffix and "." in str(suffix):
            copy = type(name)(**{k: v for k, v in name.items()})
            copy["suffix"] = " ".join(w[:-1] + stop if w.endswith(".") else w
                                      for w in str(suffix).split())
            changed.append(copy)
        else:
            changed.append(name)
    return _swap_names(element, item, variable, context, sort_options, kwargs, render, changed)


def _with_disambiguation(element: Any, item: Any, variable: Any, context: Any,
                         sort_options: Any, kwargs: dict[str, Any], render: Any) -> Any:
    """16. Render names with the item's disambiguation (bibconv.citations.disambiguation):
    more names than et-al allows, initials or given names in short forms."""
    from ..citations.disambiguation import GIVEN, NAMES_SHOWN, cite_names

    area = _RENDER_STATE.get(AREA)
    try:
        shown = item.get(NAMES_SHOWN)
        levels = item.get(GIVEN)
    except Exception:
        shown, levels = None, None
    if area != "citation":
        if not _RENDER_STATE.get(SHARE_NAMES):
            shown, levels = None, None
        elif levels:
            # Entries keep their own name form; a full given name added to tell cites
            # apart shows there too ("Chen, Chaowei et al.").
            return _bibliography_givens(element, item, variable, context, sort_options,
                                        kwargs, render, shown, levels)
    names = item.reference.get(variable) if (shown or levels) else None
    if not names or [*names] != cite_names(item.reference):
        return _with_suffix_marks(element, item, variable, context, sort_options, kwargs, render)
    options = dict(sort_options or {})
    if shown:
        if shown >= len(names):
            options["et-al-min"] = 0  # every name, no "et al."
        else:
            options["et-al-use-first"] = shown
    changed = list(names)
    if levels:
        mark = element.get_option("initialize-with", context, sort_options)
        for position, level in levels.items():
            if mark is None or _name_option(element, "initialize", context) == "false":
                level = 2  # a style that never initialises shows the given name
            if position >= len(changed) or not isinstance(changed[position], dict):
                continue
            name = changed[position]
            given = str(name.get("given") or "")
            if not given or name.get("literal"):
                continue
            if level == 1:
                given = str(original_initialize_ref[0](element, given, mark, context)).strip()
            family = " ".join(str(p) for p in (name.get("dropping-particle"),
                                                name.get("non-dropping-particle"),
                                                name.get("family")) if p)
            suffix = str(name.get("suffix") or "")
            changed[position] = type(name)(
                literal=f"{given} {family}" + (f" {suffix}" if suffix else ""))
    return _swap_names(element, item, variable, context, options, kwargs,
                       lambda *a, **k: _with_suffix_marks(
                           a[0], a[1], a[2], k.pop("context"), k.pop("sort_options"), k, render),
                       changed)


def _bibliography_givens(element: Any, item: Any, variable: Any, context: Any,
                         sort_options: Any, kwargs: dict[str, Any], render: Any,
                         shown: int | None, levels: dict[int, int]) -> Any:
    """A bibliography entry sharing its citation's disambiguation: added names, and
    full given names (kept whole by marking them so initialisation leaves them)."""
    names = list(item.reference.get(variable) or [])
    options = dict(sort_options or {})
    if shown:
        if shown >= len(names):
            options["et-al-min"] = 0
        else:
            options["et-al-use-first"] = shown
    changed = list(names)
    for position, level in levels.items():
        if level == 2 and position < len(changed) and isinstance(changed[position], dict) \
                and changed[position].get("given"):
            name = type(changed[position])(**dict(changed[position].items()))
            name["given"] = "\ue004" + str(name["given"])
            changed[position] = name
    return _swap_names(element, item, variable, context, options, kwargs,
                       lambda *a, **k: _with_suffix_marks(
                           a[0], a[1], a[2], k.pop("context"), k.pop("sort_options"), k, render),
                       changed)


def _swap_names(element: Any, item: Any, variable: Any, context: Any, sort_options: Any,
                kwargs: dict[str, Any], render: Any, changed: list[Any]) -> Any:
    """Render ``variable`` with ``changed`` standing in for the item's names."""
    reference = item.reference
    names = reference.get(variable)
    reference[variable] = changed
    try:
        return render(element, item, variable, context=context, sort_options=sort_options,
                      **kwargs)
    finally:
        reference[variable] = names


def _capitalizes_first_term(element: Any) -> bool:
    """Whether a term printed first is capitalised here (not in in-text citations)."""
    if _RENDER_STATE.get(AREA) != "citation":
        return True
    return str(element.get_root().get("class") or "") != "in-text"


def _part(name: Any, part: str) -> str | None:
    """One part of a citeproc-py name (None when absent)."""
    try:
        value = name.get(part)
    except AttributeError:
        value = getattr(name, part, None)
    return str(value) if value else None


def _has_value(item: Any, variable: str) -> bool:
    """Whether the item has a (non-empty) value for a variable."""
    try:
        return bool(item.reference.get(variable.replace("-", "_")))
    except Exception:
        return False


def _printed(item: Any, variable: str, shown: str) -> bool:
    """Whether the value of a text or names variable of the item appears in ``shown``."""
    try:
        value = item.reference.get(variable.replace("-", "_"))
    except Exception:
        return False
    if value is None:
        return False
    # Names are lists of Name dicts; MixedString (a text value) is a list too.
    if isinstance(value, list) and value and isinstance(value[0], dict):
        for name in value:
            part = getattr(name, "family", None) or getattr(name, "literal", None)
            if not part:
                try:
                    part = name.get("family") or name.get("literal")
                except AttributeError:
                    part = None
            if part and str(part).casefold() in shown:
                return True
        return False
    # Text values arrive as citeproc-py String/MixedString objects, not plain str.
    text = str(value).casefold()
    return bool(text) and text[:40] in shown
