"""Unicode text to safe LaTeX for BibTeX/BibLaTeX fields, and back.

Everything a scraped value carries is *text*: the typeset result must read exactly as
the text scraped, and no value may run a TeX command, close its field early or start
a comment in the ``.bbl``. The rules, in the order :func:`to_latex` applies them:

* TeX math (``$\\ell_1$``, ``top-$k$``) is kept as math when it is *safe*: it uses
  only known math commands (:data:`MATH_COMMANDS`), its braces balance, and it holds
  no ``%``, ``#``, ``&`` or ``^^``. Anything else that looks like math is text.
* The specials ``& % $ # _`` become ``\\&`` and friends; ``\\``, ``~``, ``^``,
  ``<``, ``>``, ``|`` become text-mode commands in a brace group
  (``{\\textbackslash}``): a backslash in scraped text is a character, never a command.
* Braces: a ``{`` matched by a later ``}`` is written ``\\{`` ... ``\\}``; a lone
  brace gets a spelling whose raw braces balance (``{\\vphantom{\\{}}\\}``), because
  BibTeX and biber count braces even when escaped.
* TeX ligatures that would change the text (``--``, ``''``, ``<<``, ``!```) are
  broken with ``{}``; line breaks and control characters become spaces or vanish.
* Non-ASCII characters stay UTF-8 unless ``ascii=True``, which spells them with LaTeX
  accent macros (``{\\"u}``, ``{\\c{c}}``, ``{\\ss}``) and text symbols; characters
  with no ASCII spelling are kept as they are and reported to the caller.

Every command this module emits with a letter in its name sits inside a brace group
that starts with a backslash (a BibTeX "special character"), so a style's case change
(``change.case$``) never rewrites a command name.

:func:`protect_title` adds per-word case protection for titles (acronyms, mixed case,
eponyms; see its docstring); :func:`bibtex_name` writes one person for an ``author``
list; :func:`verbatim` prepares URL/DOI fields; :func:`to_text` decodes the LaTeX
this module writes (and ordinary accent macros) back to Unicode.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from functools import lru_cache
from operator import attrgetter

from .model import Person
from .text import MARKUP_TAG as _MARKUP_TAG
from .text import fold_lines, split_math, strip_controls

__all__ = [
    "LANGIDS",
    "LANGUAGE_TAGS",
    "MATH_COMMANDS",
    "PROPER_NOUNS",
    "VERBATIM_FIELDS",
    "bibtex_name",
    "braces_balanced",
    "is_safe_math",
    "langid",
    "language_tag",
    "math_char",
    "needs_protection",
    "protect_title",
    "to_latex",
    "to_text",
    "verbatim",
    "verbatim_text",
]


#: biblatex's verbatim fields (its data model's ``eprint``, ``file``, ``verba``, ``verbb``,
#: ``verbc``; ``pdf``, which biber reads as ``file``; biber's ``urlraw``). The reader keeps
#: them as written and the writer writes them so: no LaTeX is decoded or escaped in them.
#: (``url`` and ``doi`` are model fields with their own rules.)
VERBATIM_FIELDS = frozenset({"eprint", "file", "pdf", "verba", "verbb", "verbc", "urlraw"})
_LINE_BREAKS = re.compile(r"(?:[ \t]*[\r\n\u2028\u2029])+[ \t]*")


def verbatim_text(raw: str) -> str:
    """A verbatim field's value as kept: as written, with each line break (and the
    indentation around it) folded to one space and control characters removed."""
    return _LINE_BREAKS.sub(" ", strip_controls(raw)).strip()


#: BCP 47 language tags (CSL's ``language``) and the babel/polyglossia names biblatex's
#: ``langid`` takes: the tag with its region first, then its language alone.
LANGIDS: dict[str, str] = {
    "en": "english", "en-us": "american", "en-gb": "british", "en-ca": "canadian",
    "en-au": "australian", "en-nz": "newzealand", "de": "ngerman", "de-at": "naustrian",
    "de-ch": "nswissgerman", "fr": "french", "es": "spanish", "it": "italian",
    "pt": "portuguese", "pt-br": "brazilian", "nl": "dutch", "ru": "russian", "pl": "polish",
    "sv": "swedish", "da": "danish", "fi": "finnish", "nb": "norsk", "no": "norsk",
    "nn": "nynorsk", "cs": "czech", "sk": "slovak", "sl": "slovene", "hr": "croatian",
    "sr": "serbian", "bg": "bulgarian", "ro": "romanian", "el": "greek", "tr": "turkish",
    "ja": "japanese", "zh": "chinese", "ko": "korean", "uk": "ukrainian", "hu": "magyar",
    "ca": "catalan", "eu": "basque", "gl": "galician", "et": "estonian", "lv": "latvian",
    "lt": "lithuanian", "is": "icelandic", "ga": "irish", "cy": "welsh", "la": "latin",
    "he": "hebrew", "ar": "arabic",
}
#: The other way: a langid (or a language's English name, as many .bib files give it) to
#: its BCP 47 tag; old babel names too.
LANGUAGE_TAGS: dict[str, str] = {
    **{name: tag.split("-")[0] + tag[2:].upper() for tag, name in LANGIDS.items()},
    "norsk": "nb", "german": "de", "austrian": "de-AT", "swissgerman": "de-CH",
    "ukenglish": "en-GB", "usenglish": "en-US", "hungarian": "hu", "slovenian": "sl",
    "portuges": "pt", "brazil": "pt-BR", "francais": "fr", "frenchb": "fr",
}


def langid(language: str) -> str | None:
    """The biblatex ``langid`` of a BCP 47 tag (``en-GB`` -> ``british``, ``de`` ->
    ``ngerman``), or of a langid itself; None for a language it does not know."""
    lowered = language.strip().lower()
    if lowered in LANGUAGE_TAGS:
        return LANGIDS.get(LANGUAGE_TAGS[lowered].lower(), lowered)
    return LANGIDS.get(lowered) or LANGIDS.get(lowered.split("-")[0])


def language_tag(name: str) -> str:
    """The BCP 47 tag of a ``langid`` or ``language`` field (``english`` -> ``en``,
    ``british`` -> ``en-GB``); the text as it is when it names no language known."""
    return LANGUAGE_TAGS.get(name.strip().lower(), name)


def _words(text: str) -> frozenset[str]:
    """A word set written as one whitespace-separated string (easier to read and extend)."""
    return frozenset(text.split())


#: Math-mode control words kept inside ``$...$``; any other command makes the run text.
#: None of them reads files, writes files, defines macros or changes catcodes.
MATH_COMMANDS: frozenset[str] = _words(
    """alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa lambda
    mu nu xi pi varpi rho varrho sigma varsigma tau upsilon phi varphi chi psi omega Gamma
    Delta Theta Lambda Xi Pi Sigma Upsilon Phi Psi Omega ell infty partial nabla hbar imath
    jmath wp Re Im aleph emptyset varnothing forall exists nexists neg lnot top bot angle
    prime backslash sum prod coprod int iint oint bigcup bigcap bigoplus bigotimes bigvee
    bigwedge frac dfrac tfrac binom sqrt log ln lg exp sin cos tan cot sec csc arcsin arccos
    arctan sinh cosh tanh max min arg argmax argmin sup inf lim limsup liminf det dim ker deg
    gcd hom Pr mod bmod pmod mathbb mathcal mathbf mathrm mathit mathsf mathtt mathfrak
    boldsymbol mathnormal operatorname text textrm textit textbf hat bar tilde vec dot ddot
    breve check acute grave widehat widetilde overline underline overrightarrow cdot cdots
    ldots dots vdots ddots times div pm mp ast star circ bullet oplus ominus otimes odot
    oslash setminus cup cap sqcup sqcap vee wedge land lor leq le geq ge neq ne ll gg approx
    sim simeq cong equiv propto prec succ preceq succeq subset supset subseteq supseteq in
    notin ni mid nmid parallel perp models vdash dashv leftarrow rightarrow to gets
    Leftarrow Rightarrow leftrightarrow Leftrightarrow mapsto longrightarrow longleftarrow
    Longrightarrow implies iff uparrow downarrow langle rangle lfloor rfloor lceil rceil
    lvert rvert lVert rVert vert Vert left right big Big bigg Bigg quad qquad colon
    triangle triangleq dagger ddagger sharp flat natural mathop limits nolimits"""
)
# Control symbols (backslash + one non-letter) allowed in math.
_MATH_SYMBOLS = frozenset(",;:! |{}%#&_$")

#: Proper nouns (mostly eponyms) that titles in CS and maths use and that a style's
#: sentence case must not lower-case. Matched case-sensitively against letter runs.
PROPER_NOUNS: frozenset[str] = _words(
    """Wasserstein Procrustes Nash Stackelberg Pareto Bayes Bayesian Markov Markovian Gauss
    Gaussian Euclid Euclidean Riemann Riemannian Hilbert Banach Lipschitz Newton Langevin
    Boltzmann Hamilton Hamiltonian Lagrange Lagrangian Fourier Laplace Laplacian Monte Carlo
    Kalman Hessian Jacobian Bernoulli Poisson Dirichlet Wishart Bregman Kullback Leibler
    Shannon Turing Boolean Hebbian Hopfield Fisher Gibbs Metropolis Hastings Cauchy
    Chebyshev Lyapunov Nesterov Wolfe Sinkhorn Gromov Kantorovich Stein Weisfeiler Lehman
    Erdős Rényi Voronoi Delaunay Bellman Nyström Wiener Hawkes Ising Potts Huber Fréchet
    Kolmogorov Smirnov Vickrey Shapley Borda Condorcet Kemeny Myerson Hoeffding Chernoff
    Bernstein Rademacher Vapnik Chervonenkis Mahalanobis Hamming Levenshtein Jaccard
    Dijkstra Kruskal Prim Hungarian Gini Zipf Pólya Galois Abelian Cartesian Hermitian
    Jordan Krylov Lanczos Arnoldi Cholesky Householder Gram Schmidt Runge Kutta
    Euler Eulerian Navier Stokes Maxwell Schrödinger Heisenberg Dirac Einstein Minkowski
    Lorentz Coulomb Ohm Doppler Brownian Itô Stratonovich Feynman Kac Girsanov Radon
    Nikodym Lebesgue Borel Sobolev Besov Hölder Jensen Minkowski Hardy Ramsey
    Kolmogorov Hilbertian Sinai Shapiro Wilk Wilcoxon Mann Whitney Kendall Spearman
    Pearson Cox Kaplan Meier Weibull Pareto Zipfian Granger Durbin Watson Akaike Schwarz
    Internet Wikipedia Twitter Reddit Facebook Google YouTube Instagram Amazon Baidu
    Android Linux Python Java Bitcoin Ethereum Atari Minecraft StarCraft
    English Chinese Japanese Korean German French Spanish Arabic Hindi Russian Italian
    Portuguese Dutch Swedish European American African Asian Indian Beijing Shanghai
    Guangzhou Shenzhen Hong Kong Taiwan China Japan Korea Germany France Europe America
    Africa Asia India Australia Canada Brazil Mexico London Paris Tokyo York California
    Texas Boston Chicago COVID"""
)

_SPECIALS: dict[int, str] = {
    ord("&"): r"\&", ord("%"): r"\%", ord("$"): r"\$", ord("#"): r"\#", ord("_"): r"\_",
    ord("\\"): r"{\textbackslash}", ord("~"): r"{\textasciitilde}",
    ord("^"): r"{\textasciicircum}", ord("<"): r"{\textless}", ord(">"): r"{\textgreater}",
    ord("|"): r"{\textbar}", ord("{"): r"\{", ord("}"): r"\}",
    # Marks placed by the escaper before translation (see _break_ligatures, _braces).
    0x01: "{}", 0x02: r"\{{\vphantom{\}}}", 0x03: r"{\vphantom{\{}}\}",
}
_SPECIAL_CHARS = re.compile(r"[&%$#_\\~^<>|{}]")
_LIGATURE = re.compile(r"-(?=-)|`(?=`)|'(?=')|<(?=<)|>(?=>)|,(?=,)|!(?=`)|\?(?=`)")
_CONTROL_WORD = re.compile(r"\\([A-Za-z]+)|\\(.)", re.DOTALL)

# ASCII spellings (used with ascii=True). Letters first, then punctuation and symbols.
_ASCII_TABLE: dict[str, str] = {
    "ß": r"{\ss}", "æ": r"{\ae}", "Æ": r"{\AE}", "ø": r"{\o}", "Ø": r"{\O}", "œ": r"{\oe}",
    "Œ": r"{\OE}", "å": r"{\aa}", "Å": r"{\AA}", "ł": r"{\l}", "Ł": r"{\L}", "ı": r"{\i}",
    "ȷ": r"{\j}", "ð": r"{\dh}", "Ð": r"{\DH}", "þ": r"{\th}", "Þ": r"{\TH}", "đ": r"{\dj}",
    "Đ": r"{\DJ}", "ŋ": r"{\ng}", "Ŋ": r"{\NG}",
    "\u2013": "--", "\u2014": "---", "\u2012": "--", "\u2010": "-", "\u2011": "-",
    "\u2018": "`", "\u2019": "'", "\u201c": "``", "\u201d": "''", "\u201a": ",",
    "\u201e": ",,", "\u2026": r"{\ldots}", "\u00a0": "~", "\u2009": r"\,", "\u202f": r"\,",
    "\u00ab": r"{\guillemotleft}", "\u00bb": r"{\guillemotright}", "\u2039": r"{\guilsinglleft}",
    "\u203a": r"{\guilsinglright}",
    "\u00a1": r"{\textexclamdown}", "\u00bf": r"{\textquestiondown}",
    "\u00a7": r"{\S}", "\u00b6": r"{\P}", "\u00a9": r"{\textcopyright}",
    "\u00ae": r"{\textregistered}", "\u2122": r"{\texttrademark}", "\u00b0": r"{\textdegree}",
    "\u20ac": r"{\texteuro}", "\u00a3": r"{\pounds}", "\u00b7": r"{\textperiodcentered}",
    "\u2022": r"{\textbullet}", "\u2020": r"{\dag}", "\u2021": r"{\ddag}",
    "\u2030": r"{\textperthousand}", "\u00aa": r"{\textordfeminine}",
    "\u00ba": r"{\textordmasculine}",
    # textcomp's (in the LaTeX kernel since 2020), not math: a micro sign is no Greek mu,
    # and a superscript digit no digit.
    "\u00b5": r"{\textmu}", "\u00b2": r"{\texttwosuperior}", "\u00b3": r"{\textthreesuperior}",
    "\u00b9": r"{\textonesuperior}", "\u00bd": r"{\textonehalf}", "\u00bc": r"{\textonequarter}",
    "\u00be": r"{\textthreequarters}", "\u00a5": r"{\textyen}",
}
# Unicode math symbols and Greek letters -> math commands (wrapped in \ensuremath).
_MATH_CHARS: dict[str, str] = {
    "×": "times", "÷": "div", "±": "pm", "∓": "mp", "≤": "leq", "≥": "geq", "≠": "neq",
    "≈": "approx", "∼": "sim", "≡": "equiv", "∞": "infty", "∂": "partial", "∇": "nabla",
    "∑": "sum", "∏": "prod", "∫": "int", "√": "surd", "∈": "in", "∉": "notin", "⊂": "subset",
    "⊆": "subseteq", "⊃": "supset", "⊇": "supseteq", "∪": "cup", "∩": "cap", "∅": "emptyset",
    "∀": "forall", "∃": "exists", "¬": "neg", "∧": "wedge", "∨": "vee", "→": "rightarrow",
    "←": "leftarrow", "↔": "leftrightarrow", "⇒": "Rightarrow", "⇐": "Leftarrow",
    "⇔": "Leftrightarrow", "↦": "mapsto", "↑": "uparrow", "↓": "downarrow", "⟨": "langle",
    "⟩": "rangle", "∘": "circ", "⋅": "cdot", "∗": "ast", "⊕": "oplus", "⊗": "otimes",
    "∝": "propto", "≪": "ll", "≫": "gg", "ℓ": "ell", "ℏ": "hbar", "ℵ": "aleph", "′": "prime",
    "−": "-",
    # LaTeX's \epsilon and \phi are the lunate and loopless forms (ϵ, ϕ); ε and φ are
    # its \varepsilon and \varphi.
    "α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "ε": "varepsilon", "ϵ": "epsilon",
    "ζ": "zeta", "η": "eta", "θ": "theta", "ϑ": "vartheta", "ι": "iota", "κ": "kappa",
    "λ": "lambda", "μ": "mu", "ν": "nu", "ξ": "xi", "π": "pi", "ρ": "rho", "σ": "sigma",
    "ς": "varsigma", "τ": "tau", "υ": "upsilon", "φ": "varphi", "ϕ": "phi", "χ": "chi",
    "ψ": "psi", "ω": "omega", "Γ": "Gamma", "Δ": "Delta", "Θ": "Theta", "Λ": "Lambda",
    "Ξ": "Xi", "Π": "Pi", "Σ": "Sigma", "Υ": "Upsilon", "Φ": "Phi", "Ψ": "Psi", "Ω": "Omega",
}
# Combining marks -> accent commands. Symbol accents take a bare letter (\'e); letter
# accents need a brace argument (\c{c}).
_ACCENTS: dict[str, str] = {
    "\u0300": "`", "\u0301": "'", "\u0302": "^", "\u0303": "~", "\u0304": "=", "\u0306": "u",
    "\u0307": ".", "\u0308": '"', "\u030a": "r", "\u030b": "H", "\u030c": "v", "\u0323": "d",
    "\u0327": "c", "\u0328": "k", "\u0331": "b",
}


def _accented(ch: str) -> str | None:
    """``{\\"u}`` for ü: an ASCII letter plus known combining marks, else None."""
    decomposed = unicodedata.normalize("NFD", ch)
    base, marks = decomposed[0], decomposed[1:]
    if not (base.isascii() and base.isalpha()) or not marks:
        return None
    inner = base
    for mark in marks:
        command = _ACCENTS.get(mark)
        if command is None:
            return None
        if command.isalpha():
            inner = f"\\{command}{{{inner}}}"
        elif len(inner) == 1:
            inner = f"\\{command}{inner}"
        else:
            inner = f"\\{command}{{{inner}}}"
    return "{" + inner + "}"


def _ascii_char(ch: str) -> str | None:
    """The ASCII LaTeX spelling of one non-ASCII character, or None."""
    found = _ASCII_TABLE.get(ch)
    if found is not None:
        return found
    command = _MATH_CHARS.get(ch)
    if command is not None:
        return "{\\ensuremath{" + (command if command == "-" else "\\" + command) + "}}"
    accented = _accented(ch)
    if accented is not None:
        return accented
    folded = unicodedata.normalize("NFKC", ch)
    if folded != ch and folded.isascii() and folded.isprintable():
        # Ligatures and width variants (ﬁ, Ａ): their compatibility form is the text.
        return _SPECIAL_CHARS.sub(lambda m: _SPECIALS[ord(m.group())], folded)
    return None


_LIGATURE_PAIRS = frozenset({"--", "``", "''", "<<", ">>", ",,", "!`", "?`"})


def _to_ascii(text: str, unencodable: set[str] | None) -> str:
    out: list[str] = []
    for ch in text:
        if ch.isascii():
            spelled = ch
        else:
            found = _ascii_char(ch)
            if found is None:
                if unencodable is not None:
                    unencodable.add(ch)
                found = ch
            spelled = found
        # "–" + "–" spelled "--" + "--" would typeset as an em dash and a hyphen.
        if out and out[-1][-1] + spelled[0] in _LIGATURE_PAIRS:
            out.append("{}")
        out.append(spelled)
    return "".join(out)


def is_safe_math(piece: str) -> bool:
    """Whether a ``$...$`` run can be kept as math without any risk.

    Safe means: only :data:`MATH_COMMANDS` and harmless control symbols, no ``^^``
    (TeX's character-code notation can spell a backslash), no ``%``/``#``/``&``, and
    braces that balance both for TeX (unescaped) and for BibTeX (escaped ones too).
    """
    body = piece[1:-1]
    if "^^" in body or not body.strip():
        return False
    depth_tex = depth_all = 0
    pos = 0
    while pos < len(body):
        ch = body[pos]
        if ch == "\\":
            match = _CONTROL_WORD.match(body, pos)
            assert match is not None  # a backslash always starts a control sequence
            if match.group(1) is not None:
                if match.group(1) not in MATH_COMMANDS:
                    return False
            else:
                symbol = match.group(2)
                if symbol not in _MATH_SYMBOLS:
                    return False
                if symbol in "{}":
                    depth_all += 1 if symbol == "{" else -1
                    if depth_all < 0:
                        return False
            pos = match.end()
            continue
        if ch in "%#&\n":
            return False
        if ch == "{":
            depth_tex += 1
            depth_all += 1
        elif ch == "}":
            depth_tex -= 1
            depth_all -= 1
            if depth_tex < 0 or depth_all < 0:
                return False
        pos += 1
    return depth_tex == 0 and depth_all == 0


def _mark_braces(text: str) -> str:
    """Replace lone braces by marks 0x02/0x03 so that the rest can use ``\\{``/``\\}``."""
    if "{" not in text and "}" not in text:
        return text
    chars = list(text)
    opened: list[int] = []
    for i, ch in enumerate(chars):
        if ch == "{":
            opened.append(i)
        elif ch == "}":
            if opened:
                opened.pop()
            else:
                chars[i] = "\x03"
    for i in opened:
        chars[i] = "\x02"
    return "".join(chars)


def _escape_plain(text: str, ascii: bool, unencodable: set[str] | None) -> str:
    """Escape a run of text with no math in it (lone braces already marked)."""
    if text.isascii() and _ascii_plain(text):
        return text  # no special, mark or control, no ligature: nothing to escape
    return _escape_plain_general(text, ascii, unencodable)


def _escape_plain_general(text: str, ascii: bool, unencodable: set[str] | None) -> str:
    """:func:`_escape_plain` without its fast path."""
    if "--" in text or "`" in text or "''" in text or "<<" in text or ">>" in text or ",," in text:
        text = _LIGATURE.sub(lambda m: m.group() + "\x01", text)
    text = text.translate(_SPECIALS)
    if ascii and not text.isascii():
        text = _to_ascii(text, unencodable)
    return text


def _math(piece: str, ascii: bool, unencodable: set[str] | None) -> str:
    """A safe math run, braced so that no style changes its case."""
    if ascii and not piece.isascii():
        out: list[str] = []
        for ch in piece:
            if ch.isascii():
                out.append(ch)
            elif ch in _MATH_CHARS:
                command = _MATH_CHARS[ch]
                out.append(command if command == "-" else "{\\" + command + "}")
            else:
                if unencodable is not None:
                    unencodable.add(ch)
                out.append(ch)
        piece = "".join(out)
    return "{" + piece + "}"


def _clean(text: str) -> str:
    if text.isprintable():
        # No control or invisible character, and no whitespace but the plain space
        # (every other one is unprintable): strip_controls() would change nothing.
        if "  " not in text and text[:1] != " " and text[-1:] != " ":
            return text
        return fold_lines(text)
    return _clean_general(text)


def _clean_general(text: str) -> str:
    """:func:`_clean` without its fast path."""
    return fold_lines(strip_controls(text)).replace("\x01", "")


def _pieces(text: str) -> list[tuple[bool, str]]:
    """Math/text runs of clean text, unsafe math folded back into text."""
    if "$" not in text:
        return [(False, text)]
    out: list[tuple[bool, str]] = []
    for is_math, piece in split_math(text):
        safe = is_math and is_safe_math(piece)
        if not safe and out and not out[-1][0]:
            out[-1] = (False, out[-1][1] + piece)
        else:
            out.append((safe, piece))
    return out


def _escape_runs(runs: list[tuple[bool, str]], ascii: bool,
                 unencodable: set[str] | None) -> list[tuple[bool, str]]:
    """Escape each run; brace matching is done over all text runs together."""
    text_only = "\x04".join(piece for is_math, piece in runs if not is_math)
    marked = iter(_mark_braces(text_only).split("\x04"))
    out: list[tuple[bool, str]] = []
    for is_math, piece in runs:
        if is_math:
            out.append((True, _math(piece, ascii, unencodable)))
        else:
            out.append((False, _escape_plain(next(marked), ascii, unencodable)))
    return out


# Every character that can make to_latex() change a non-ASCII text: the controls and
# invisible (zero-width, bidirectional) characters _clean() strips, every whitespace
# character but the plain space (str.split() folds them; a test checks this list against
# str.isspace()), the specials, and the "`", "<", ">" of TeX ligatures. One character
# class, which the regex engine scans fast.
_NOT_PLAIN = re.compile(
    "[\x00-\x1f\x7f-\xa0\u1680\u2000-\u200f\u2028-\u202f\u205f\u2060\u2066-\u2069"
    "\u3000\u061c\ufeff\ufffe\uffff&%$#_\\\\~^<>|{}`]"
)


# ASCII text as flag bytes for _ascii_plain(): 0x80 for what to_latex() changes
# (controls, DEL, the specials, "`"), one bit each for " ", "-", "'" and "," (the
# characters that must not come twice in a row), 0 for everything else.
_PLAIN_FLAGS = bytes(
    0x80 if b < 0x20 or b >= 0x7F or chr(b) in "&%$#_\\~^<>|{}`"
    else 1 << " -',".index(chr(b)) if chr(b) in " -',"
    else 0
    for b in range(256)
)


def _ascii_plain(text: str) -> bool:
    """For ASCII text: no character to escape, strip or fold, and no ``  ``, ``--``,
    ``''`` or ``,,``. A few C-level passes however long the text (abstracts are)."""
    flags = text.encode("ascii").translate(_PLAIN_FLAGS)
    if b"\x80" in flags:
        return False
    # Two neighbours share a bit exactly when the same flagged character comes twice.
    bits = int.from_bytes(flags, "big")
    return not bits & (bits >> 8)


def _is_plain(text: str, ascii: bool) -> bool:
    """Whether :func:`to_latex` gives ``text`` back unchanged, decided in a few C scans.

    True when no character needs escaping, stripping or folding, no ligature pair
    (``--``, ``''``, ``,,``) occurs, spaces are single with none at either end, and,
    with ``ascii``, every character is ASCII. Most titles, names, venues and
    abstracts are plain; a hypothesis test holds this fast path to the general one.
    """
    if text.isascii():
        if not _ascii_plain(text):
            return False
    elif ascii or _NOT_PLAIN.search(text) is not None or "  " in text or "--" in text \
            or "''" in text or ",," in text:
        return False
    return text[:1] != " " and text[-1:] != " "


def to_latex(text: str, *, ascii: bool = False, unencodable: set[str] | None = None) -> str:
    """Any text as a safe BibTeX field value (without the outer braces).

    Line breaks fold to single spaces. With ``ascii`` non-ASCII characters are spelled
    with LaTeX macros; those that cannot be are kept and added to ``unencodable``.
    """
    if _is_plain(text, ascii):
        return text  # the common case: nothing to do
    return _to_latex(text, ascii, unencodable)


# CSL-JSON's rich-text markup (what Zotero and citeproc-js write in titles: "The <i>E.
# coli</i> genome", "H<sub>2</sub>O") and the LaTeX it becomes. While a value is
# escaped, each tag is a control character (none survives _clean, so none is the
# text's own), turned into its command at the end.
_MARKUP_OPEN = {"i": "\x10", "b": "\x11", "sup": "\x12", "sub": "\x13", "nocase": "\x14",
                "small-caps": "\x15"}
_MARKUP_CLOSE = "\x16"
_MARKUP_LATEX = str.maketrans({
    "\x10": "\\textit{", "\x11": "\\textbf{", "\x12": "\\textsuperscript{",
    "\x13": "\\textsubscript{", "\x14": "{", "\x15": "\\textsc{", "\x16": "}"})


def _markup(text: str) -> str | None:
    """Text whose CSL rich-text tags are each a control character, when the tags pair
    up (an ``<i>`` closed by ``</i>``, a ``<span ...>`` by ``</span>``); None when the
    text has none, or tags that do not pair (then they are text, escaped as such)."""
    pieces: list[str] = []
    opened: list[str] = []
    last = 0
    for match in _MARKUP_TAG.finditer(text):
        tag = match.group()
        if match.group(2) is not None:
            name = match.group(2)
            if match.group(1):  # </i>
                if not opened or opened.pop() != name:
                    return None
                code = _MARKUP_CLOSE
            else:
                opened.append(name)
                code = _MARKUP_OPEN[name]
        elif tag == "</span>":
            if not opened or opened.pop() != "span":
                return None
            code = _MARKUP_CLOSE
        else:
            opened.append("span")
            code = _MARKUP_OPEN["nocase" if "nocase" in tag else "small-caps"]
        pieces += [text[last:match.start()], code]
        last = match.end()
    if not pieces or opened:
        return None
    pieces.append(text[last:])
    return "".join(pieces)


def _with_markup(text: str, escape: Callable[[str], str]) -> str:
    """``escape(text)`` with CSL rich-text tags as LaTeX commands (``<i>x</i>`` ->
    ``\\textit{x}``, ``<span class="nocase">x</span>`` -> ``{x}``); the tags as text
    when they do not pair, or the result would not balance."""
    marked = _markup(text)
    if marked is not None:
        done = escape(marked).translate(_MARKUP_LATEX)
        if braces_balanced(done):
            return done
    return escape(text)


def _to_latex(text: str, ascii: bool, unencodable: set[str] | None) -> str:
    """:func:`to_latex` without its fast path: the general rules, for any text."""
    text = _clean(text)
    if _is_plain(text, ascii):
        return text  # clean text with nothing to escape (the spaces were folded)
    if "</" in text:
        return _with_markup(text, lambda t: "".join(
            piece for _, piece in _escape_runs(_pieces(t), ascii, unencodable)))
    return "".join(piece for _, piece in _escape_runs(_pieces(text), ascii, unencodable))


# --- capitalisation -------------------------------------------------------------------

_LETTER_RUN = re.compile(r"[^\W\d_]+")
_LEAD = "\"'“‘«([{<*\x10\x11\x12\x13\x14\x15"
_TRAIL = "\"'”’»)]}>.,;:!?*\x16"
_SENTENCE_END = re.compile(r"[:.?!]$")
_SMALL_WORDS = _words(
    """a an the and or but nor of on in at to for from by with without via into onto over
    under about as is are was were be vs versus per its it their our towards toward through
    between among upon using based"""
)


@lru_cache(maxsize=1 << 12)
def needs_protection(word: str) -> bool:
    """Whether a style's sentence case would wrongly lower-case this word.

    True for mixed case and acronyms (DensePure, FedAvg, iPhone, BERT, AAAI, GPT-4,
    PF-ODE), for single capital letters that are not the article "A" (3D, L2, O(1/T),
    X-ray, the pronoun I), and for the eponyms and proper nouns of :data:`PROPER_NOUNS`
    (Wasserstein, Procrustes). A hyphenated Title-Case word (Noise-Aware) is not.
    """
    runs = _LETTER_RUN.findall(word)
    for run in runs:
        if len(run) >= 2 and any(c.isupper() for c in run[1:]):
            return True
        if len(run) == 1 and run.isupper() and word != "A":
            return True
        if run in PROPER_NOUNS:
            return True
    return False


@lru_cache(maxsize=1 << 12)
def _split_word(token: str) -> tuple[str, str, str]:
    start = 0
    while start < len(token) and token[start] in _LEAD:
        start += 1
    end = len(token)
    while end > start and token[end - 1] in _TRAIL:
        end -= 1
    # Keep a closing bracket that pairs with one inside the word: "O(1/T)", "f(x)".
    while end < len(token) and token[end] in ")]" and \
            token[start:end].count("([" [token[end] == "]"]) > token[start:end].count(token[end]):
        end += 1
    return token[:start], token[start:end], token[end:]


def _starts_with_capital_letter(core: str) -> bool:
    letters = _LETTER_RUN.findall(core)
    return bool(letters) and letters[0][0].isupper()


def _is_sentence_case(words: list[str]) -> bool:
    """Whether a title is written in sentence case (most content words lower-case)."""
    lower = upper = 0
    for i, word in enumerate(words):
        if i == 0 or _SENTENCE_END.search(words[i - 1]):
            continue
        _, core, _ = _split_word(word)
        letters = _LETTER_RUN.findall(core)
        if not letters or core.lower() in _SMALL_WORDS:
            continue
        if letters[0][0].islower():
            lower += 1
        elif not needs_protection(core):
            upper += 1
    return lower >= 2 and lower > upper


def _brace(core: str) -> str:
    # A group starting with a backslash is a BibTeX "special character" whose letters
    # change case; an empty group first keeps the protection real.
    return "{{}" + core + "}" if core.startswith("\\") else "{" + core + "}"


def protect_title(text: str, *, ascii: bool = False, unencodable: set[str] | None = None) -> str:
    """A title as a safe field value with per-word case protection.

    A word is protected (``{DensePure}``) when :func:`needs_protection` says so, or, in
    a title written in sentence case, when it is capitalised in mid-title (there the
    capital marks a proper noun: "... model with {Baidu} {Search} {Index} for ...").
    Math is braced whole. The title as a whole is never double-braced, so styles
    can still apply their own capitalisation to the other words.
    """
    if _is_plain(text, ascii):
        return _protect_plain(text)
    return _protect_title(text, ascii, unencodable)


@lru_cache(maxsize=1 << 12)
def _title_word(word: str) -> tuple[int, bool, bool, bool, str]:
    """What :func:`_protect_title` decides about one word of a plain title, cached.

    ``(vote, protect, capital, stop, braced)``: the word's vote in
    :func:`_is_sentence_case` (-1 lower-case, 1 capitalised, 0 none), whether it is
    always protected, whether it is capitalised (protected mid-title in sentence
    case), whether it ends a sentence, and the word with its core braced.
    """
    lead, core, trail = _split_word(word)
    letters = _LETTER_RUN.findall(core)
    vote = 0
    if letters and core.lower() not in _SMALL_WORDS:
        if letters[0][0].islower():
            vote = -1
        elif not needs_protection(core):
            vote = 1
    protect = bool(core) and needs_protection(core)
    capital = bool(core) and core[:1].isupper() and _starts_with_capital_letter(core)
    stop = _SENTENCE_END.search(word) is not None
    return vote, protect, capital, stop, lead + _brace(core) + trail


def _protect_plain(text: str) -> str:
    """:func:`protect_title` of a title :func:`_is_plain` passed: words only, no escaping.

    The same decisions as :func:`_protect_title`, taken word by word from a cache.
    """
    if text.isascii():
        space = text.find(" ")
        rest = text[space:] if space > 0 else ""
        if rest == rest.lower():
            # No capital letter after the first word (ASCII: none of A-Z), so no later
            # word is protected: every protected word holds a capital, sentence case
            # or not (needs_protection() asks for one; so does a proper noun).
            head = _title_word(text[:space] if space > 0 else text)
            return head[4] + rest if head[1] else text
    words = text.split()
    infos = list(map(_title_word, words))
    lower = upper = 0
    first = True
    for vote, _, _, stop, _ in infos:
        if not first:
            if vote < 0:
                lower += 1
            elif vote > 0:
                upper += 1
        first = stop
    sentence = lower >= 2 and lower > upper
    out: list[str] = []
    first = True
    for word, (_, protect, capital, stop, braced) in zip(words, infos, strict=True):
        out.append(braced if protect or (sentence and capital and not first) else word)
        first = stop
    return " ".join(out)


def _protect_title(text: str, ascii: bool, unencodable: set[str] | None) -> str:
    """:func:`protect_title` without its fast path: the general rules, for any text."""
    text = _clean(text)
    if "</" in text:
        return _with_markup(text, lambda t: _protect_words(t, ascii, unencodable))
    return _protect_words(text, ascii, unencodable)


def _protect_words(text: str, ascii: bool, unencodable: set[str] | None) -> str:
    """:func:`_protect_title` of clean text (its rich-text tags, if any, as the control
    characters of :func:`_markup`: a word holding only half of a pair is not braced)."""
    runs = _pieces(text)
    words = [w for is_math, piece in runs if not is_math for w in piece.split()]
    sentence = _is_sentence_case(words)
    protected_runs: list[tuple[bool, str]] = []
    index = 0
    for is_math, piece in runs:
        if is_math:
            protected_runs.append((True, piece))
            continue
        parts = re.split(r"(\s+)", piece)
        for j, part in enumerate(parts):
            if not part or part.isspace():
                continue
            lead, core, trail = _split_word(part)
            first = index == 0 or _SENTENCE_END.search(words[index - 1]) is not None
            index += 1
            protect = bool(core) and (
                needs_protection(core)
                or (sentence and not first and core[:1].isupper()
                    and _starts_with_capital_letter(core))
            ) and (core.count(_MARKUP_CLOSE) == sum(map(core.count, _MARKUP_OPEN.values())))
            if protect:
                parts[j] = lead + "\x05" + core + "\x06" + trail
        protected_runs.append((False, "".join(parts)))
    escaped = _escape_runs(protected_runs, ascii, unencodable)
    out: list[str] = []
    for _, piece in escaped:
        if "\x05" in piece:
            piece = re.sub("\x05(.*?)\x06", lambda m: _brace(m.group(1)), piece)
        out.append(piece)
    return "".join(out)


# --- names ------------------------------------------------------------------------------

_AND = re.compile(r"(?i)(?:^|\s)and(?:\s|$)")


def _name_part(text: str, ascii: bool, unencodable: set[str] | None) -> str:
    """One name part, braced when BibTeX would otherwise split it (commas, "and")."""
    escaped = to_latex(text, ascii=ascii, unencodable=unencodable)
    if "," in escaped or _AND.search(escaped):
        return _brace(escaped)
    return escaped


def bibtex_name(person: Person, *, ascii: bool = False,
                unencodable: set[str] | None = None) -> str:
    """A person as one name of a BibTeX ``author``/``editor`` list (see :func:`_bibtex_name`)."""
    if not ascii:
        # UTF-8 output reports nothing as unencodable, so the result depends on the
        # person alone: cache it (the same names recur all over a corpus).
        return _bibtex_name_utf8(person)
    return _bibtex_name(person, ascii=True, unencodable=unencodable)


@lru_cache(maxsize=1 << 11)
def _bibtex_name_utf8(person: Person) -> str:
    return _bibtex_name(person, ascii=False, unencodable=None)


def _bibtex_name(person: Person, *, ascii: bool = False,
                 unencodable: set[str] | None = None) -> str:
    """A person as one name of a BibTeX ``author``/``editor`` list.

    ``von Last, Jr, First`` order keeps particles where BibTeX looks for them
    (``van Beethoven, Ludwig``; ``King, Jr., Martin Luther``). Literal names (mononyms,
    organisations) are braced whole so no style splits them (``{ATLAS Collaboration}``);
    so is a family name BibTeX would split (``{Da Silva}`` without a given name). The
    homonym number and ORCID are not part of the name and are never written.
    """
    if person.literal is not None or not person.family:
        literal = person.literal or person.display_name or "Anonymous"
        return _brace(to_latex(literal, ascii=ascii, unencodable=unencodable))
    particles = " ".join(p for p in (person.dropping_particle, person.particle) if p)
    von = ""
    family = person.family
    if particles:
        if particles[:1].islower():
            von = to_latex(particles, ascii=ascii, unencodable=unencodable) + " "
        else:
            # "De Gaulle": a capitalised particle is part of the family name for BibTeX.
            family = f"{particles} {family}"
    last = to_latex(family, ascii=ascii, unencodable=unencodable)
    words = family.split()
    if ("," in last or _AND.search(last)
            or (len(words) > 1 and (not person.given or any(w[:1].islower() for w in words)))):
        last = _brace(last)
    name = von + last
    if person.suffix:
        name += ", " + _name_part(person.suffix, ascii, unencodable) + ","
        if person.given:
            name += " " + _name_part(person.given, ascii, unencodable)
    elif person.given:
        name += ", " + _name_part(person.given, ascii, unencodable)
    return name


# The name parts _bibtex_name() reads (not the homonym number or the ORCID iD): a plain
# tuple of strings hashes and compares in C, where a Person's dataclass methods do not.
_NAME_PARTS = attrgetter("family", "given", "particle", "dropping_particle", "suffix", "literal")
_UTF8_NAMES: dict[tuple[str | None, ...], str] = {}
_UTF8_NAMES_MAX = 1 << 11  # as many as the lru_cache of bibtex_name() holds


def name_list(people: Iterable[Person], *, ascii: bool = False, others: bool = False,
              unencodable: set[str] | None = None) -> str:
    """An ``author``/``editor`` value: names joined by `` and `` (plus ``and others``)."""
    if ascii:
        names = [_bibtex_name(p, ascii=True, unencodable=unencodable) for p in people]
    else:
        # UTF-8 output depends on the name parts alone: cache them (names recur all
        # over a corpus). The cache is emptied when full, so memory stays bounded.
        names = []
        cache = _UTF8_NAMES
        for person in people:
            parts = _NAME_PARTS(person)
            name = cache.get(parts)
            if name is None:
                name = _bibtex_name(person)
                if len(cache) >= _UTF8_NAMES_MAX:
                    cache.clear()
                cache[parts] = name
            names.append(name)
    if others:
        names.append("others")
    return " and ".join(names)


# --- verbatim fields ------------------------------------------------------------------------

_URL_UNSAFE = re.compile(r"[\s{}\\^`\"<>|\x00-\x1f\x7f]")


def verbatim(value: str) -> str:
    """A URL or DOI as a verbatim field: unsafe characters percent-encoded.

    ``url`` and ``doi`` are verbatim fields (biblatex, and every BibTeX style that
    prints them wraps them in ``\\url``/``\\doi``), so ``%``, ``#``, ``_`` and ``~``
    stay as they are; braces, backslashes, ``^``, quotes, spaces and controls, which
    could end the field or spell a command, are percent-encoded.
    """
    value = value.strip()
    return _URL_UNSAFE.sub(lambda m: "".join(f"%{b:02X}" for b in m.group().encode("utf-8")),
                           value)


_BRACES = re.compile(r"[{}]")


def braces_balanced(value: str) -> bool:
    """Whether every raw brace of a value balances, as BibTeX counts them (escaped too)."""
    if "{" not in value and "}" not in value:
        return True
    depth = 0
    # Walk the braces only: a long abstract has few, and a Python loop per character is slow.
    for ch in _BRACES.findall(value):
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth < 0:
                return False
    return depth == 0


# --- decoding ---------------------------------------------------------------------------

_TEXT_COMMANDS: dict[str, str] = {
    "textbackslash": "\\", "textasciitilde": "~", "textasciicircum": "^", "textless": "<",
    "textgreater": ">", "textbar": "|", "textbraceleft": "{", "textbraceright": "}",
    "ldots": "…", "dots": "…", "textquotedbl": '"',
}
_REVERSE_ASCII = {v.strip("{}").lstrip("\\"): k for k, v in _ASCII_TABLE.items()
                  if v.startswith("{\\") and v[2:-1].isalpha()}
_REVERSE_ACCENT = {v: k for k, v in _ACCENTS.items()}
_REVERSE_MATH = {v: k for k, v in _MATH_CHARS.items() if v != "-"}


def math_char(command: str) -> str | None:
    """The character a math command this module writes in ``\\ensuremath`` stands for
    (``\\pm`` -> ``±``, ``-`` -> ``−``), or None."""
    command = command.strip()
    if command == "-":
        return "\u2212"
    if command.startswith("\\") and command[1:].isalpha():
        return _REVERSE_MATH.get(command[1:])
    return None


class _Decoder:
    """A small recursive-descent reader of the LaTeX subset :func:`to_latex` writes."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        # Math runs, kept as written; run() leaves a placeholder that to_text() restores.
        self.maths: list[str] = []

    def group(self) -> str:
        """Read a ``{...}`` argument (pos at the opening brace) or one character."""
        if self.pos < len(self.text) and self.text[self.pos] == "{":
            self.pos += 1
            inner = self.run(stop="}")
            self.pos += 1
            return inner
        while self.pos < len(self.text) and self.text[self.pos] == " ":
            self.pos += 1
        if self.pos < len(self.text) and self.text[self.pos] == "\\":
            return self.command()
        ch = self.text[self.pos : self.pos + 1]
        self.pos += 1
        return ch

    def command(self) -> str:
        match = _CONTROL_WORD.match(self.text, self.pos)
        assert match is not None
        self.pos = match.end()
        word, symbol = match.group(1), match.group(2)
        if symbol is not None:
            if symbol in _REVERSE_ACCENT:
                return unicodedata.normalize("NFC", self.group() + _REVERSE_ACCENT[symbol])
            return {" ": " ", ",": "\u202f"}.get(symbol, symbol)
        if self.text.startswith("{}", self.pos):
            self.pos += 2
        elif word not in _REVERSE_ACCENT and self.pos < len(self.text) and \
                self.text[self.pos] == " ":
            self.pos += 1  # a control word eats the space after it
        if word in _REVERSE_ACCENT:
            return unicodedata.normalize("NFC", self.group() + _REVERSE_ACCENT[word])
        if word == "vphantom":
            self.group()
            return ""
        if word == "ensuremath":
            inner = self.group()
            return "\u2212" if inner == "-" else _REVERSE_MATH.get(inner.lstrip("\\"), inner)
        if word in _TEXT_COMMANDS:
            return _TEXT_COMMANDS[word]
        if word in _REVERSE_ASCII:
            return _REVERSE_ASCII[word]
        if word in _REVERSE_MATH:
            return _REVERSE_MATH[word]
        reverse_table = {"guillemotleft": "«", "guillemotright": "»", "S": "§", "P": "¶",
                         "textcopyright": "©", "textregistered": "®", "pounds": "£",
                         "texttrademark": "™", "textdegree": "°", "texteuro": "€",
                         "textbullet": "•", "dag": "†", "ddag": "‡", "i": "ı", "j": "ȷ"}
        return reverse_table.get(word, "\\" + word)

    def run(self, stop: str = "") -> str:
        out: list[str] = []
        maths = self.maths
        text = self.text
        while self.pos < len(text):
            ch = text[self.pos]
            if stop and ch == stop:
                break
            if ch == "\\":
                out.append(self.command())
            elif ch == "{":
                out.append(self.group())
            elif ch == "$":
                end = text.find("$", self.pos + 1)
                while end > 0 and text[end - 1] == "\\":
                    end = text.find("$", end + 1)
                end = len(text) - 1 if end < 0 else end
                # Math is kept as written: park it so the ligature folding skips it.
                maths.append(text[self.pos : end + 1])
                out.append(f"\x08{len(maths) - 1}\x08")
                self.pos = end + 1
            elif ch == "~":
                out.append("\u00a0")
                self.pos += 1
            else:
                out.append(ch)
                self.pos += 1
        joined = "".join(out)
        for ascii_form, char in (("---", "—"), ("--", "–"), ("``", "“"), ("''", "”")):
            joined = joined.replace(ascii_form, char)
        return joined


def to_text(latex: str) -> str:
    """Decode a field value written by :func:`to_latex` (or plain accent-macro LaTeX).

    Braces used for grouping or case protection disappear, escaped characters and
    accent macros become Unicode, ``$...$`` math is kept as written, and an unknown
    command is kept with its backslash. Ligature breaks (``-{}-``) read back as the
    characters written.
    """
    # Ligature breaks are "{}" between two characters: turn them into a mark first so
    # the dash/quote folding in run() does not see "--" written as "-{}-".
    latex = re.sub(r"([-`',<>!?])\{\}(?=[-`',<>])", "\\1\x07", latex)
    decoder = _Decoder(latex)
    decoded = decoder.run().replace("\x07", "")
    if decoder.maths:
        decoded = re.sub("\x08(\\d+)\x08",
                         lambda m: _math_to_text(decoder.maths[int(m.group(1))]), decoded)
    return decoded


_MATH_MACRO = re.compile(r"\{\\([A-Za-z]+)\}")


def _math_to_text(math: str) -> str:
    """Math as written, except the ``{\\alpha}`` spellings ``--ascii`` gave Unicode symbols."""
    if "{\\" not in math:
        return math
    return _MATH_MACRO.sub(lambda m: _REVERSE_MATH.get(m.group(1), m.group()), math)
