"""Licences as SPDX expressions: validate, normalise, and read the restrictions they carry.

A licence is an SPDX expression (``Apache-2.0 OR MIT``) or custom terms named
``LicenseRef-...`` (a crawl's terms of use, a model provider's terms). Parsing
and validation use ``license_expression`` and the ScanCode LicenseDB index it
ships; this module adds the restrictions a licence puts on training data.

"No licence recorded" is ``None`` and is a gap, not an error: callers handle it
before calling :func:`parse_licence`, which takes a string.

Deprecated SPDX ids are accepted and rewritten to the id the index names as
their successor (``GPL-3.0`` -> ``GPL-3.0-only``, ``BSD-2-Clause-NetBSD`` ->
``BSD-2-Clause``); deprecated ids without a successor (``wxWindows``) are kept
as written, so an old record stays valid and its expression shows what it meant.
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from lineage import vocabulary
from lineage.errors import InvalidLicence, InvalidRecord

if TYPE_CHECKING:
    import license_expression

# Defined once, in the vocabulary, and re-exported here beside the code that derives them.
RESTRICTIONS: tuple[str, ...] = vocabulary.RESTRICTIONS

# SPDX 2.3 Annex D: idstring = 1*(ALPHA / DIGIT / "-" / "." )
_CUSTOM_ID = re.compile(r"(?:DocumentRef-[A-Za-z0-9.-]+:)?LicenseRef-[A-Za-z0-9.-]+")
_CUSTOM_PREFIXES = ("LicenseRef-", "DocumentRef-")
_SEPARATORS = frozenset("-. ")

# Restrictions are derived, in order of preference, from:
#
# 1. The ScanCode LicenseDB category of the id (maintained upstream). "Copyleft"
#    and "Copyleft Limited" both oblige derivatives to stay under the same terms,
#    so both mean share-alike. "Copyleft Limited" scopes that to the licensed
#    files or library (LGPL, MPL-2.0, EPL-2.0, CC-BY-SA-*, CDLA-Sharing-1.0), and
#    a few in it make the obligation conditional (the Artistic licences let a
#    renamed modification carry other terms); ScanCode's judgement is followed.
#    "Source-available", "Free Restricted" and "Proprietary Free" say only that
#    some term restricts use, not which one, so they add nothing here; the
#    category stays on the Licence for reports to flag.
_SHARE_ALIKE_CATEGORIES = frozenset({"Copyleft", "Copyleft Limited"})

# 2. Creative Commons ids, whose official names spell out their terms
#    (https://creativecommons.org/licenses/): NC, ND and SA are the licence
#    elements, so CC-BY-NC-SA-4.0 is non-commercial and share-alike. ScanCode
#    files the NC and ND variants under "Source-available", which says nothing
#    about which restriction applies.
_CREATIVE_COMMONS_ELEMENTS: Mapping[str, str] = {
    "NC": "non-commercial",
    "ND": "no-derivatives",
    "SA": "share-alike",
}

# 3. SPDX ids whose terms restrict use in a way that neither source above says,
#    each read from the licence text. Ids not listed here claim nothing beyond 1
#    and 2; in particular, the SPDX list has no research-only or
#    no-competing-models licence (those come with custom LicenseRef terms, whose
#    restrictions the caller declares through validate_restrictions).
_RESTRICTIONS_BY_ID: Mapping[str, frozenset[str]] = {
    # "Noncommercial" is the licence's own name; it permits any noncommercial purpose.
    "PolyForm-Noncommercial-1.0.0": frozenset({"non-commercial"}),
    # UK Non-Commercial Government Licence: its grant excludes commercial use.
    "NCGL-UK-2.0": frozenset({"non-commercial"}),
    # SSPL is AGPL-3.0 with a wider section 13; modified versions must still be
    # conveyed under the SSPL (ScanCode files it under "Source-available").
    "SSPL-1.0": frozenset({"share-alike"}),
    # C-UDA-1.0 section 3.1.2 binds every recipient of redistributed data to the
    # C-UDA, as CDLA-Sharing-1.0 does (which ScanCode calls Copyleft Limited).
    # Its other term, "solely for Computational Use", has no name in RESTRICTIONS,
    # and section 2.2 leaves Results (a trained model) unrestricted.
    "C-UDA-1.0": frozenset({"share-alike"}),
}
# Not claimed, because their terms do not match a name in RESTRICTIONS:
# PolyForm-Small-Business-1.0.0 (commercial use by small businesses is allowed),
# BUSL-1.1 (what is restricted depends on each licensor's Additional Use Grant),
# Elastic-2.0 and SUL-1.0 (no hosted service / internal use only), FSL-1.1-*
# (no competing *software products*, lapsing after two years), and the
# field-of-use terms of Hippocratic-2.1 and the BSD-3-Clause-No-* variants.


@dataclass(frozen=True)
class Licence:
    """A validated licence expression and what the tool knows about its terms.

    `categories` is excluded from equality and hashing: it follows from `keys`.

    Example:
        >>> licence = parse_licence("cc-by-nc-sa-4.0 OR LicenseRef-crawl-terms")
        >>> licence.expression
        'CC-BY-NC-SA-4.0 OR LicenseRef-crawl-terms'
        >>> licence.keys
        ('CC-BY-NC-SA-4.0', 'LicenseRef-crawl-terms')
        >>> licence.custom
        ('LicenseRef-crawl-terms',)
        >>> dict(licence.categories)
        {'CC-BY-NC-SA-4.0': 'Source-available'}
    """

    expression: str
    """The normalised SPDX expression: canonical case of ids, deprecated ids replaced."""
    keys: tuple[str, ...]
    """The licence and exception ids it names, in order of appearance, without repeats."""
    custom: tuple[str, ...]
    """The `LicenseRef-` ids among `keys` (including `DocumentRef-x:LicenseRef-y`)."""
    restrictions: frozenset[str]
    """Restrictions known from the SPDX ids; custom terms contribute none."""
    categories: Mapping[str, str] = field(compare=False)
    """Id -> ScanCode LicenseDB category ('Permissive', 'Copyleft', ...), for ids it knows."""


def parse_licence(text: str) -> Licence:
    """Parse and validate an SPDX licence expression.

    Restrictions combine over the expression: `A AND B` carries both
    licences' restrictions; `A OR B` lets the licensee choose, so it carries
    only those common to every choice; `A WITH exception` carries those of `A`.

    Raises InvalidLicence if the expression is malformed or names an id that is
    neither a known SPDX id nor a well-formed `LicenseRef-` id.

    Example:
        >>> sorted(parse_licence("CC-BY-NC-4.0 AND MIT").restrictions)
        ['non-commercial']
        >>> parse_licence("CC-BY-NC-4.0 OR MIT").restrictions
        frozenset()
        >>> parse_licence("GPL-3.0").expression
        'GPL-3.0-only'
    """
    return _parse_cached(text)


@functools.lru_cache(maxsize=1024)  # a large trail asks of the same few expressions
def same_terms_key(text: str) -> str:
    """A key equal for licence expressions that name the same terms, whatever their order.

    `MIT OR Apache-2.0` and `Apache-2.0 OR MIT` (or `mit`) give the same key: AND and
    OR are commutative, so license-expression's simplify() orders their operands.
    Text that does not parse is its own key.

    Example:
        >>> same_terms_key("MIT OR Apache-2.0") == same_terms_key("apache-2.0 OR MIT")
        True
        >>> same_terms_key("MIT") == same_terms_key("MIT AND Apache-2.0")
        False
    """
    try:
        database = _database()
        parsed = _parse_expression(_written_as_name(text, database) or text, database)
    except InvalidLicence:
        return text
    return str(parsed.simplify())


def restrictions_of(licence: Licence) -> frozenset[str]:
    """Return the restrictions `licence` is known to carry.

    Example:
        >>> sorted(restrictions_of(parse_licence("CC-BY-NC-ND-4.0")))
        ['no-derivatives', 'non-commercial']
    """
    return licence.restrictions


def validate_restrictions(values: Iterable[str]) -> tuple[str, ...]:
    """Check restriction names against RESTRICTIONS; return them sorted, without repeats.

    A single string is taken as one name, not as a sequence of characters.

    Raises InvalidRecord naming the first unknown value and the allowed names.

    Example:
        >>> validate_restrictions(["share-alike", "non-commercial", "share-alike"])
        ('non-commercial', 'share-alike')
    """
    names = [values] if isinstance(values, str) else list(values)
    for name in names:
        if name not in RESTRICTIONS:
            # Records read from YAML may hold a number or null where a name belongs.
            hint = (
                _did_you_mean(name, {r: r for r in RESTRICTIONS}) if isinstance(name, str) else ""
            )
            raise InvalidRecord(
                f"{name!r} is not a known restriction{hint}; use one of: {', '.join(RESTRICTIONS)}"
            )
    return tuple(sorted(set(names)))


@dataclass(frozen=True)
class _LicenceDatabase:
    licensing: Any
    """A license_expression.Licensing over the index's SPDX keys."""
    categories: Mapping[str, str]
    licence_ids: Mapping[str, str]
    """Lower-cased SPDX licence id or deprecated alias -> current id, for suggestions."""
    exception_ids: Mapping[str, str]
    """The same for licence exception ids."""


@dataclass(frozen=True)
class _LicenceIds:
    """What a single SPDX id needs, without the parser (issue 17): building a Licensing
    over the whole index costs `lineage source add --license MIT` 25 ms."""

    categories: Mapping[str, str]
    """SPDX id -> ScanCode LicenseDB category, for every entry of the index with an id."""
    plain: frozenset[str]
    """The licence ids (not exceptions, not `LicenseRef-`) exactly as the index spells
    them: each parses to itself, alone (tests/test_licences.py checks every one)."""


@functools.cache
def _license_index() -> list[dict[str, Any]]:
    """The entries of the ScanCode LicenseDB index license_expression ships that have an
    SPDX id (the ones its SPDX Licensing is built from)."""
    import license_expression

    index: list[dict[str, Any]] = license_expression.get_license_index()
    return [entry for entry in index if entry.get("spdx_license_key")]


@functools.cache
def _licence_ids() -> _LicenceIds:
    entries = _license_index()
    return _LicenceIds(
        categories=MappingProxyType(
            {entry["spdx_license_key"]: entry["category"] for entry in entries}
        ),
        plain=frozenset(
            entry["spdx_license_key"]
            for entry in entries
            if not entry.get("is_exception")
            and not entry["spdx_license_key"].startswith(_CUSTOM_PREFIXES)
        ),
    )


@functools.cache
def _database() -> _LicenceDatabase:
    import license_expression

    entries = _license_index()
    # The index lists some LicenseRef- names as aliases of SPDX ids
    # ('LicenseRef-Apache' -> Apache-2.0, 'LicenseRef-AGPL' -> AGPL-3.0-or-later).
    # A LicenseRef- is defined by the document that uses it, so one recorded by
    # a user is kept verbatim instead of being turned into an SPDX licence whose
    # restrictions it may not share. Otherwise this is get_spdx_licensing().
    for_licensing = [
        {
            **entry,
            "other_spdx_license_keys": [
                alias
                for alias in entry.get("other_spdx_license_keys", [])
                if not alias.startswith(_CUSTOM_PREFIXES)
            ],
        }
        for entry in entries
    ]
    licence_ids: dict[str, str] = {}
    exception_ids: dict[str, str] = {}
    for entry in for_licensing:
        key = entry["spdx_license_key"]
        if key.startswith(_CUSTOM_PREFIXES):
            continue
        names = exception_ids if entry.get("is_exception") else licence_ids
        for name in (key, *entry["other_spdx_license_keys"]):
            names.setdefault(name.lower(), key)
    return _LicenceDatabase(
        licensing=license_expression.build_spdx_licensing(for_licensing),
        categories=_licence_ids().categories,
        licence_ids=MappingProxyType(licence_ids),
        exception_ids=MappingProxyType(exception_ids),
    )


_OPERATOR = re.compile(r"[()]|\s(?:and|or|with)\s", re.IGNORECASE)


def _written_as_name(text: str, database: _LicenceDatabase) -> str | None:
    """The SPDX id of a single licence written as its name with spaces ('CC BY-SA 3.0',
    'Apache 2.0'), when the name is the id with its hyphens spaced out; else None.

    Only an exact match is taken: a name that leaves out the version ('ODC-By') is
    not guessed, and the error then suggests the nearest id.
    """
    stripped = text.strip()
    if " " not in stripped or _OPERATOR.search(f" {stripped} "):
        return None
    return database.licence_ids.get(re.sub(r"\s+", "-", stripped).lower())


@functools.lru_cache(maxsize=1024)
def _parse_cached(text: str) -> Licence:
    ids = _licence_ids()
    if text in ids.plain:
        # A lone id, as the index spells it: what the parser would say, without it.
        return Licence(
            expression=text,
            keys=(text,),
            custom=(),
            restrictions=_restrictions_of_id(text),
            categories=MappingProxyType({text: ids.categories[text]}),
        )
    return _parse_expression_text(text)


def _parse_expression_text(text: str) -> Licence:
    """`parse_licence` of any text, through license_expression's parser."""
    database = _database()
    text = _written_as_name(text, database) or text
    parsed = _parse_expression(text, database)
    keys = tuple(database.licensing.license_keys(parsed, unique=True))
    for key in keys:
        if key not in database.categories and not _CUSTOM_ID.fullmatch(key):
            raise InvalidLicence(_unknown_id_message(key, text, database.licence_ids))
    return Licence(
        expression=str(parsed),
        keys=keys,
        custom=tuple(key for key in keys if key.startswith(_CUSTOM_PREFIXES)),
        restrictions=_restrictions_in(parsed),
        categories=MappingProxyType(
            {key: database.categories[key] for key in keys if key in database.categories}
        ),
    )


def _parse_expression(text: str, database: _LicenceDatabase) -> Any:
    """Return the parsed expression tree of `text`, or raise InvalidLicence."""
    import license_expression

    invalid = f"{text!r} is not a valid SPDX licence expression"
    try:
        # strict: an exception id only after WITH, and only an exception id there.
        parsed = database.licensing.parse(text, strict=True)
    except license_expression.ExpressionParseError as error:
        raise InvalidLicence(_parse_error_message(error, text, database)) from error
    except license_expression.ExpressionError as error:
        raise InvalidLicence(f"{invalid}: {_one_line(error)}") from error
    except (IndexError, KeyError, AssertionError) as error:
        # boolean.py's parser fails this way on some malformed input, such as
        # '( )' or '( AND MIT', instead of raising ParseError
        # (https://github.com/bastikr/boolean.py/issues/47).
        raise InvalidLicence(f"{invalid}: misplaced parenthesis or operator") from error
    if parsed is None:
        raise InvalidLicence(f"{invalid}: it is empty")
    return parsed


def _parse_error_message(
    error: license_expression.ExpressionParseError, text: str, database: _LicenceDatabase
) -> str:
    import license_expression

    token = str(error.token_string or "")
    if error.error_code == license_expression.PARSE_INVALID_SYMBOL_AS_EXCEPTION:
        if token.lower() in database.licence_ids:
            reason = f"{token!r} is a licence, not a licence exception, so it cannot follow WITH"
        elif _custom_prefix(token) is not None:
            reason = f"{token!r} cannot follow WITH, where SPDX allows only exception ids"
        else:
            return _unknown_id_message(
                token, text, database.exception_ids, kind="licence exception id"
            )
    elif error.error_code == license_expression.PARSE_INVALID_EXCEPTION:
        reason = f"{token!r} is a licence exception and can only follow WITH"
    else:
        reason = _one_line(error)
    return f"{text!r} is not a valid SPDX licence expression: {reason}"


def _unknown_id_message(
    key: str, text: str, known: Mapping[str, str], *, kind: str = "licence id"
) -> str:
    where = "" if key == text.strip() else f" in {text!r}"
    prefix = _custom_prefix(key)
    if prefix is not None and key.startswith(prefix):
        return (
            f"{key!r}{where} is not a valid LicenseRef id:"
            " only letters, digits, '.' and '-' may follow 'LicenseRef-'"
        )
    if prefix is not None:
        hint = f" (did you mean {prefix + key[len(prefix) :]!r}?)"
    else:
        hint = _did_you_mean(key, known)
    return f"{key!r}{where} is not a known SPDX {kind}{hint}"


def _custom_prefix(key: str) -> str | None:
    """Return 'LicenseRef-' or 'DocumentRef-' if `key` starts so, in any case."""
    return next((p for p in _CUSTOM_PREFIXES if key.lower().startswith(p.lower())), None)


def _did_you_mean(name: str, known: Mapping[str, str]) -> str:
    """Return ' (did you mean X?)' for the known name closest to `name`, or ''.

    `known` maps lower-cased names to the name to suggest.
    """
    lowered = name.lower()
    # An id with a suffix tacked on ('MIT-ish') is nearest the id itself, which
    # difflib would rank below longer look-alikes ('MIT-feh'); take the longest.
    stems = [
        candidate
        for candidate in known
        if lowered.startswith(candidate)
        and lowered[len(candidate) : len(candidate) + 1] in _SEPARATORS
    ]
    if stems:
        return f" (did you mean {known[max(stems, key=len)]!r}?)"
    # Compared without separators, 'GPL3' comes out nearest the alias GPL-3.0
    # (suggested as GPL-3.0-only) instead of 'NGPL'.
    squashed: dict[str, str] = {}
    for candidate, suggestion in known.items():
        squashed.setdefault(_squash(candidate), suggestion)
    close = difflib.get_close_matches(_squash(lowered), squashed, n=1)
    return f" (did you mean {squashed[close[0]]!r}?)" if close else ""


def _squash(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


def _restrictions_in(node: Any) -> frozenset[str]:
    """Return the restrictions of an expression tree from license_expression."""
    import license_expression

    if isinstance(node, license_expression.LicenseWithExceptionSymbol):
        # An exception only grants extra permissions (linking, font embedding),
        # so the licence's own restrictions stand.
        return _restrictions_of_id(node.license_symbol.key)
    if isinstance(node, license_expression.LicenseSymbol):
        return _restrictions_of_id(node.key)
    parts = [_restrictions_in(argument) for argument in node.args]
    if isinstance(node, license_expression.AND):
        return frozenset[str]().union(*parts)
    if isinstance(node, license_expression.OR):
        # The licensee picks one option, so only what every option imposes is certain.
        return frozenset.intersection(*parts)
    raise TypeError(f"unexpected node in a licence expression: {node!r}")


@functools.cache
def _restrictions_of_id(key: str) -> frozenset[str]:
    if key.startswith(_CUSTOM_PREFIXES):
        return frozenset()
    found = set(_RESTRICTIONS_BY_ID.get(key, ()))
    if _licence_ids().categories.get(key) in _SHARE_ALIKE_CATEGORIES:
        found.add("share-alike")
    if key.startswith("CC-"):
        found.update(
            _CREATIVE_COMMONS_ELEMENTS[part]
            for part in key.split("-")
            if part in _CREATIVE_COMMONS_ELEMENTS
        )
    return frozenset(found)


def _one_line(error: Exception) -> str:
    return " ".join(str(error).split()).rstrip(".")


# Duties (what a user of the data must do, as opposed to what it may not do), derived
# from the same sources as restrictions: Creative Commons' licence elements (the legal
# code, section 3: Attribution and ShareAlike), the ScanCode category of other ids, and
# a few ids whose texts add a duty of their own.
_DUTY_ATTRIBUTION = (
    "attribution: credit the creator, name the licence (with a link) and say whether "
    "the material was changed"
)
_DUTY_SHARE_ALIKE = (
    "share-alike notice: adaptations must carry the same licence (or one its steward "
    "declares compatible), and say so"
)
_DUTY_TEXT = "licence text: include the licence text and keep the copyright notices"
_DUTIES_BY_ID: Mapping[str, tuple[str, ...]] = {
    # Apache-2.0 section 4: modified files carry change notices; a NOTICE file is passed on.
    "Apache-2.0": ("notices: state changes made and pass on the NOTICE file, if any",),
    # ODC-By-1.0 section 4.3 and ODbL-1.0 section 4.3: notices with any produced work.
    "ODC-By-1.0": (
        "attribution: keep the database's attribution notice with what is made from it",
    ),
    "ODbL-1.0": ("attribution: keep the database's attribution notice with what is made from it",),
}


def duties_of(key: str) -> tuple[str, ...]:
    """What licence id `key` obliges a user to do (attribution, notices, licence text).

    Example:
        >>> [d.split(":")[0] for d in duties_of("CC-BY-SA-4.0")]
        ['attribution', 'share-alike notice']
    """
    if key.startswith(_CUSTOM_PREFIXES):
        return ("read the terms: custom terms are not machine-readable",)
    category = _licence_ids().categories.get(key)
    if key.startswith("CC-BY"):
        duties = [_DUTY_ATTRIBUTION]
        if "SA" in key.split("-"):
            duties.append(_DUTY_SHARE_ALIKE)
        return tuple(duties)
    if category == "Public Domain" or key.startswith(("CC0", "PDDL")):
        return ()
    duties = [_DUTY_TEXT] if category in ("Permissive", *_SHARE_ALIKE_CATEGORIES) else []
    if category in _SHARE_ALIKE_CATEGORIES or "share-alike" in _RESTRICTIONS_BY_ID.get(key, ()):
        duties.append(_DUTY_SHARE_ALIKE)
    duties.extend(_DUTIES_BY_ID.get(key, ()))
    return tuple(duties) or ("read the licence text: its duties are not classified here",)
