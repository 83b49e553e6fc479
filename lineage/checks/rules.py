"""The rules of `lineage check`, each a function from a trail to the problems it finds.

A rule yields `Hit`s (what, about which record, by which path); `check` turns
them into findings with the severity the policy gives the rule. Every rule reads
only the `Trail`, so the same facts back the check and the report.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, timedelta
from itertools import combinations, pairwise
from typing import NamedTuple

from lineage.checks.compatibility import osadl_matrix, steward_allows
from lineage.checks.findings import Severity
from lineage.checks.policy import Policy
from lineage.checks.tiers import EVIDENCE_RULES, evaluation_findings, tier_unmet
from lineage.checks.trail import DATA_RELATIONS, LicenceHolder, Trail
from lineage.governance.history import is_later
from lineage.licences import same_terms_key
from lineage.validation import parse_time


class Hit(NamedTuple):
    """A problem a rule found: the record it is about, one line, the evidence path.

    A named tuple: a large trail's check makes one per finding (over 100,000), and a
    frozen dataclass costs twice as much to make.
    """

    subject: str
    message: str
    path: tuple[str, ...]
    at_most: Severity | None = None
    """The most severe level this hit deserves, when milder than the rule's."""


@dataclass(frozen=True)
class Context:
    """What every rule may read besides the trail."""

    policy: Policy
    intended_use: str


RuleFunction = Callable[[Trail, Context], Iterator[Hit]]

# Operations that remove or mask personal data. Matched as parts of the operation
# name, so 'scrub-pii', 'pii-redaction' and 'anonymise-tickets' all count.
_PII_REMOVAL = re.compile(r"pii|anonymi[sz]|pseudonymi[sz]|de-?identif|redact", re.IGNORECASE)


def _joined(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _use_phrase(use: str) -> str:
    return {
        "commercial": "commercial use",
        "internal": "internal use",
        "research": "research",
        "non-commercial": "non-commercial use",
    }.get(use, use)


def _terms(holder: LicenceHolder, origins: Sequence[str] = ()) -> str:
    """How a holder's terms are named: its licence and which licence that is (concluded,
    or declared or claimed when none is concluded), or its recorded terms; where from."""
    name = _licence_used(holder)
    return f"{name}, from {_joined(list(origins))}" if origins else name


def _licence_used(holder: LicenceHolder) -> str:
    if holder.expression is None:
        return "its recorded terms"
    if holder.basis == "concluded":
        return f"the concluded licence {holder.expression}"
    return f"{holder.expression}, {holder.basis_text}"


def _first_run(path: Sequence[str]) -> str | None:
    return next((node for node in path[1:] if node.startswith("activity:")), None)


# -- provenance -------------------------------------------------------------------


def unknown_provenance(trail: Trail, context: Context) -> Iterator[Hit]:
    """Origins with no licence or owner, and sources with no origin URI."""
    # The dict behind `trail.facts` and the wanted facts made once: this runs for each
    # of tens of thousands of origins.
    facts_of, path = trail.facts_lookup(), trail.path
    of_entity = (("license", "licence"), ("owner", "owner"))
    of_source = (*of_entity, ("uri", "origin URI"))
    for node in trail.origins():
        facts = facts_of(node)
        wanted = of_source if facts["kind"] == "source" else of_entity
        missing = [f"no {label}" for key, label in wanted if not facts.get(key)]
        if missing == ["no origin URI"]:
            # Who holds the data and under which terms is known; only where it was
            # published is not: worth fixing, not an unknown provenance.
            yield Hit(
                node,
                f"{node} has no origin URI recorded (its owner, {facts['owner']}, and "
                "licence are known)",
                path(node),
                at_most="warning",
            )
        elif missing:
            yield Hit(
                node,
                f"{node} has {_joined(missing)} recorded: its provenance is unknown",
                path(node),
            )


def licence_not_allowed(trail: Trail, context: Context) -> Iterator[Hit]:
    """Licences the policy forbids, or leaves out of its allowed list."""
    forbidden = {key for expr in context.policy.forbidden_licenses for key in _ids(expr)}
    allowed = {key for expr in context.policy.allowed_licenses for key in _ids(expr)}
    if not forbidden and not allowed:
        return
    for holder in trail.licence_holders():
        if holder.licence is None:
            continue
        expression = holder.licence.expression
        used = "" if holder.basis == "concluded" else f" ({holder.basis_text})"
        if forbidden and not satisfiable(expression, lambda key: key not in forbidden):
            named = [key for key in holder.licence.keys if key in forbidden]
            yield Hit(
                holder.id,
                f"{holder.id} is licensed {expression}{used}, which the policy "
                f"forbids ({_joined(named)})",
                trail.path(holder.id),
            )
        elif allowed and not satisfiable(expression, lambda key: key in allowed):
            yield Hit(
                holder.id,
                f"{holder.id} is licensed {expression}{used}, which is not among the "
                "licences the policy allows",
                trail.path(holder.id),
            )


# -- restrictions against the intended use -------------------------------------------


def _bound_by(trail: Trail, restriction: str) -> Iterator[tuple[LicenceHolder, tuple[str, ...]]]:
    """Holders whose terms carry `restriction`, each with the holders its terms come from.

    Terms travel with the data: synthetic data derived from a model under the
    same terms is one fact, not two. A holder whose path to the target passes
    another holder with the restriction is reported once, at that other holder,
    with the origin of the terms named there.
    """
    holders = [h for h in trail.licence_holders() if restriction in h.restrictions]
    ids = {h.id for h in holders}
    covered: dict[str, list[str]] = {}
    for holder in holders:
        downstream = next((n for n in trail.path(holder.id)[1:] if n in ids), None)
        if downstream is not None:
            covered.setdefault(downstream, []).append(holder.id)
    for holder in holders:
        if any(holder.id in origins for origins in covered.values()):
            continue
        yield holder, tuple(sorted(covered.get(holder.id, ())))


def _terms_owner(trail: Trail, holder: LicenceHolder, origins: Sequence[str]) -> str | None:
    """Whose terms these are: the owner of the record they come from, else the holder's."""
    for node in (*origins, holder.id):
        owner = trail.facts(node).get("owner")
        if owner:
            return str(owner)
    return None


def non_commercial(trail: Trail, context: Context) -> Iterator[Hit]:
    """Non-commercial terms reaching a target meant for commercial (or internal) use."""
    if context.intended_use not in ("commercial", "internal"):
        return
    for holder, origins in _bound_by(trail, "non-commercial"):
        yield Hit(
            holder.id,
            f"{holder.id} is non-commercial ({_terms(holder, origins)}) but "
            f"{trail.target} is meant for {_use_phrase(context.intended_use)}",
            trail.path(holder.id),
        )


def research_only(trail: Trail, context: Context) -> Iterator[Hit]:
    """Research-only terms reaching a target meant for anything but research."""
    if context.intended_use == "research":
        return
    for holder, origins in _bound_by(trail, "research-only"):
        yield Hit(
            holder.id,
            f"{holder.id} may be used for research only ({_terms(holder, origins)}) "
            f"but {trail.target} is meant for {_use_phrase(context.intended_use)}",
            trail.path(holder.id),
        )


def no_derivatives(trail: Trail, context: Context) -> Iterator[Hit]:
    """No-derivatives terms on data that a run transformed."""
    for holder, origins in _bound_by(trail, "no-derivatives"):
        path = trail.path(holder.id)
        run = _first_run(path)
        if run is not None:
            yield Hit(
                holder.id,
                f"{holder.id} forbids derivatives ({_terms(holder, origins)}) but "
                f"was transformed by {run}",
                path,
            )


def not_training_mix(trail: Trail) -> bool:
    """True when the target is an audit or catalogue of datasets reviewed, not trained
    on (recorded with `not_training_mix`): rules about mixing data skip it."""
    attrs = trail.facts(trail.target).get("attrs")
    return isinstance(attrs, dict) and attrs.get("not_training_mix") is True


_OR_LATER = re.compile(r"(?P<family>[A-Za-z]+)-(?P<version>\d+(?:\.\d+)?)-or-later")
_VERSIONED = re.compile(r"(?P<family>[A-Za-z]+)-(?P<version>\d+(?:\.\d+)?)-(?:only|or-later)")


def or_later_allows(part: str, leading: str) -> bool:
    """True when `part` is an 'or later' licence and `leading` a later (or the same)
    version of it: 'GPL-2.0-or-later' material may be carried on under 'GPL-3.0-only'.

    Example:
        >>> or_later_allows("GPL-2.0-or-later", "GPL-3.0-only")
        True
        >>> or_later_allows("GPL-2.0-only", "GPL-3.0-only")
        False
        >>> or_later_allows("LGPL-2.1-or-later", "GPL-3.0-only")
        False
    """
    found, lead = _OR_LATER.fullmatch(part), _VERSIONED.fullmatch(leading)
    if found is None or lead is None or found["family"] != lead["family"]:
        return False
    return float(lead["version"]) >= float(found["version"])


def share_alike(trail: Trail, context: Context) -> Iterator[Hit]:
    """Share-alike terms that the target's own licence does not carry forward."""
    if not_training_mix(trail):
        return  # a catalogue lists the data; it is no derivative of it
    target_licence = trail.facts(trail.target).get("license")
    target_ids = set(_ids(target_licence)) if target_licence else set()
    for holder, origins in _bound_by(trail, "share-alike"):
        if holder.licence is not None and target_ids & set(holder.licence.keys):
            continue
        if holder.licence is not None and any(
            steward_allows(key, target) for key in holder.licence.keys for target in target_ids
        ):
            continue  # the target's licence is one the steward lets adaptations carry
        if holder.licence is not None and any(
            or_later_allows(key, target) for key in holder.licence.keys for target in target_ids
        ):
            continue  # 'GPL-2.0-or-later' material may be carried on under GPL-3.0
        now = f"is licensed {target_licence}" if target_licence else "has no licence recorded"
        yield Hit(
            holder.id,
            f"{holder.id} is share-alike ({_terms(holder, origins)}): derivatives "
            f"must carry the same licence, but {trail.target} {now}",
            trail.path(holder.id),
        )


def no_competing_models(trail: Trail, context: Context) -> Iterator[Hit]:
    """Terms that forbid training models that compete with the provider's."""
    for holder, origins in _bound_by(trail, "no-competing-models"):
        owner = _terms_owner(trail, holder, origins)
        whose = f"{owner}'s" if owner else "those of whoever set the terms"
        yield Hit(
            holder.id,
            f"{holder.id} comes with terms ({_terms(holder, origins)}) that forbid "
            f"training models that compete with {whose}: whether {trail.target} competes "
            "needs a legal review",
            trail.path(holder.id),
        )


# -- licences that cannot be combined -------------------------------------------------


@dataclass(frozen=True)
class _Group:
    """Holders under the same terms; pairs of groups are judged once."""

    licence: str | None
    restrictions: frozenset[str]
    members: tuple[str, ...]

    @property
    def label(self) -> str:
        what = self.licence or "no licence"
        first = self.members[0]
        more = f" and {len(self.members) - 1} more" if len(self.members) > 1 else ""
        return f"{what} ({first}{more})"


def licence_conflict(trail: Trail, context: Context) -> Iterator[Hit]:
    """Share-alike terms combined with terms they cannot absorb.

    A share-alike licence requires the combined work under its own terms. It
    cannot absorb data nobody licensed, nor terms that add restrictions it does
    not have; and where both licences are in the OSADL matrix, the matrix decides.
    A catalogue (`not_training_mix`) combines nothing and is skipped.
    """
    if not_training_mix(trail):
        return
    by_terms: dict[tuple[str | None, frozenset[str]], list[str]] = {}
    for holder in trail.licence_holders():
        by_terms.setdefault((holder.expression, holder.restrictions), []).append(holder.id)
    groups = [
        # Members nearest the target first: they name the group in messages.
        _Group(lic, rs, tuple(sorted(ms, key=lambda m: (len(trail.path(m)), m))))
        for (lic, rs), ms in sorted(
            by_terms.items(), key=lambda item: (item[0][0] or "", sorted(item[0][1]))
        )
    ]
    copyleft = [g for g in groups if "share-alike" in g.restrictions]
    if not copyleft:
        return
    pairs: list[tuple[_Group, _Group, str]] = []
    for first, second in combinations(groups, 2):
        # The pair can be combined when either licence can lead the combined work.
        reasons = [
            (lead, other, _conflict(lead, other))
            for lead, other in ((first, second), (second, first))
            if "share-alike" in lead.restrictions
        ]
        if reasons and all(reason for _, _, reason in reasons):
            lead, other, reason = reasons[0]
            pairs.append((lead, other, str(reason)))
    if not pairs:
        return
    meeting = _meeting_points(trail, [(lead, other) for lead, other, _ in pairs])
    for lead, other, reason in pairs:
        where = meeting.get((lead.members[0], other.members[0]))
        place = f"; they are combined in {where}" if where else ""
        yield Hit(
            lead.members[0],
            f"{lead.label} cannot be combined with {other.label}: {reason}{place}",
            trail.path(lead.members[0]),
        )


def _conflict(lead: _Group, other: _Group) -> str | None:
    """Why share-alike `lead` cannot absorb `other`, or None when it can (or nobody knows)."""
    if other.licence is None and not other.restrictions:
        return "nobody licensed the latter, so it cannot be relicensed under share-alike terms"
    if lead.licence and other.licence and lead.licence == other.licence:
        return None
    if lead.licence and other.licence and steward_allows(other.licence, lead.licence):
        return None  # e.g. CC BY-SA 3.0 material adapted under CC BY-SA 4.0
    matrix = osadl_matrix()
    if (
        lead.licence
        and other.licence
        and matrix.knows(lead.licence)
        and matrix.knows(other.licence)
    ):
        found = matrix.combinable(lead.licence, other.licence)
        return f"{found.explanation} (OSADL matrix)" if found.verdict == "no" else None
    added = sorted(other.restrictions - lead.restrictions - {"share-alike"})
    if added:
        return f"share-alike terms forbid adding restrictions, and the latter adds {_joined(added)}"
    if "share-alike" in other.restrictions:
        return (
            "each requires derivatives under its own terms, and no compatibility statement "
            "in the OSADL matrix covers the pair"
        )
    return None


def _meeting_points(
    trail: Trail, pairs: Sequence[tuple[_Group, _Group]]
) -> dict[tuple[str, str], str]:
    """For each pair of groups, the first record (in dependency order) both reach."""
    bit_of: dict[str, int] = {}
    for index, (lead, other) in enumerate(pairs):
        for member in lead.members:
            bit_of[member] = bit_of.get(member, 0) | (1 << (2 * index))
        for member in other.members:
            bit_of[member] = bit_of.get(member, 0) | (1 << (2 * index + 1))
    masks: dict[str, int] = {}
    found: dict[tuple[str, str], str] = {}
    succ = trail.graph.succ
    for node in trail.data_order():
        mask = bit_of.get(node, 0)
        for child, edge in succ[node].items():
            if edge["relation"] in DATA_RELATIONS:
                mask |= masks.get(child, 0)
        if mask:
            masks[node] = mask
            for index, (lead, other) in enumerate(pairs):
                both = 0b11 << (2 * index)
                key = (lead.members[0], other.members[0])
                if mask & both == both and key not in found:
                    found[key] = node
    return found


# -- personal data ---------------------------------------------------------------------


def pii_no_legal_basis(trail: Trail, context: Context) -> Iterator[Hit]:
    """Personal data with no recorded legal basis."""
    for node in trail.origins():
        facts = trail.facts(node)
        if facts.get("personal_data") == "yes" and not facts.get("legal_basis"):
            categories = facts.get("personal_data_categories") or ()
            what = f" ({', '.join(categories)})" if categories else ""
            yield Hit(
                node,
                f"{node} holds personal data{what} but no legal basis is recorded",
                trail.path(node),
            )


_UNSPECIFIED = "personal data of unrecorded categories"


@dataclass(frozen=True)
class _Carried:
    """Personal data of one record on its way to the target along some path: the
    categories no run on the path recorded removing, and whether a run matched only
    by its operation's name lay on the path."""

    categories: frozenset[str]
    by_name: str | None  # the first run judged to remove personal data by its name only


def removed_categories(facts: Mapping[str, object]) -> frozenset[str]:
    """The personal-data categories a run records removing (`--removes-personal-data`)."""
    attrs = facts.get("attrs")
    listed = attrs.get("removes_personal_data") if isinstance(attrs, dict) else None
    return frozenset(str(c).casefold() for c in listed or ())


def pii_not_removed(trail: Trail, context: Context) -> Iterator[Hit]:
    """Personal data whose categories reach the target with no run that removed them.

    Each run says which categories it removed (`removes_personal_data`); every path
    from a record holding personal data to the target is followed, and the
    categories left on any path are reported. A run that records none but whose
    operation is named like a PII-removal step (`scrub-pii`, `redact-...`, the
    policy's `pii_removal_operations`) is trusted on its name alone, as a warning.
    """
    extra = {op.lower() for op in context.policy.pii_removal_operations}
    graph = trail.graph
    # The dict of attributes itself: the view costs a step per record.
    holders = {n for n, facts in graph._node.items() if facts.get("personal_data") == "yes"}
    if not holders:
        return  # no record holds personal data: there is no path to look for

    def by_name(facts: Mapping[str, object]) -> bool:
        operation = str(facts.get("operation") or "")
        return bool(_PII_REMOVAL.search(operation)) or operation.lower() in extra

    # Forward over the records in dependency order: each record holds, per holder of
    # personal data, the distinct states in which that data arrives there (one per
    # kind of path), each with the record and state it came from (to name a path).
    arriving: dict[str, dict[str, dict[_Carried, _Step]]] = {}
    for node in trail.data_order():
        states: dict[str, dict[_Carried, _Step]] = {}
        for used in trail.depends_on(node):
            for origin, carried in arriving.get(used, {}).items():
                mine = states.setdefault(origin, {})
                for state in carried:
                    mine.setdefault(state, (used, state))
        facts = graph.nodes[node]
        if node in holders:
            listed = facts.get("personal_data_categories") or ()
            categories = frozenset(str(c).casefold() for c in listed) or frozenset({_UNSPECIFIED})
            states.setdefault(node, {})[_Carried(categories, None)] = None
        if states and facts["kind"] == "activity":
            removed = removed_categories(facts)
            named = not removed and by_name(facts)
            states = {
                origin: {
                    _Carried(
                        state.categories - removed, state.by_name or (node if named else None)
                    ): step
                    for state, step in reversed(carried.items())
                }
                for origin, carried in states.items()
            }
        if states:
            arriving[node] = states
    for origin, carried in sorted(arriving.get(trail.target, {}).items()):
        if origin == trail.target:
            continue  # the target's own data is the target's own business
        left = [state for state in carried if state.categories]
        if not left:
            continue
        plain = [state for state in left if state.by_name is None]
        if plain:
            remaining = set().union(*(state.categories for state in plain))
            path = _path_of(arriving, trail.target, origin, plain[0])
            partial = [
                f"{node} removed {_joined(sorted(removed_categories(graph.nodes[node])))}"
                for node in path
                if node.startswith("activity:") and removed_categories(graph.nodes[node])
            ]
            done = f" ({'; '.join(partial)})" if partial else ""
            yield Hit(
                origin,
                f"personal data from {origin} reaches {trail.target} with "
                f"{_categories(remaining)} not removed by any run on {_way(path)}{done}",
                path,
            )
            continue
        judged = set().union(*(state.categories for state in left))
        runs = sorted({str(state.by_name) for state in left})
        yield Hit(
            origin,
            f"personal data from {origin} ({_categories(judged)}) reaches {trail.target} "
            f"through {_joined(runs)}, judged to remove personal data by its operation's "
            "name only: record what it removed (--removes-personal-data)",
            _path_of(arriving, trail.target, origin, left[0]),
            at_most="warning",
        )


_Step = tuple[str, _Carried] | None


def _categories(found: set[str]) -> str:
    named = sorted(found - {_UNSPECIFIED})
    text = _joined(named)
    if _UNSPECIFIED in found:
        return f"{text} and {_UNSPECIFIED}" if text else _UNSPECIFIED
    return text


def _way(path: Sequence[str]) -> str:
    run = _first_run(path)
    return f"the path through {run}" if run else "its path"


def _path_of(
    arriving: Mapping[str, Mapping[str, Mapping[_Carried, _Step]]],
    target: str,
    origin: str,
    state: _Carried,
) -> tuple[str, ...]:
    """The path by which `origin`'s data reaches `target` in `state`, origin first."""
    path = [target]
    node: str = target
    step = arriving[node][origin][state]
    while step is not None:
        node, state = step
        path.append(node)
        step = arriving[node][origin][state]
    return tuple(reversed(path))


def personal_data_unknown(trail: Trail, context: Context) -> Iterator[Hit]:
    """Origins that do not say whether they hold personal data."""
    facts_of = trail.facts_lookup()
    for node in trail.origins():
        facts = facts_of(node)
        if facts["kind"] == "model":
            continue
        status = facts.get("personal_data")
        if status in (None, "unknown"):
            said = "says it is unknown" if status else "does not say"
            yield Hit(
                node,
                f"whether {node} holds personal data is not known (the record {said})",
                trail.path(node),
            )


# -- collection --------------------------------------------------------------------------


def opt_out_not_honoured(trail: Trail, context: Context) -> Iterator[Hit]:
    """Crawled sources with no record that text-and-data-mining opt-outs were honoured."""
    facts_of = trail.facts_lookup()
    for node in trail.of_kind("source"):
        facts = facts_of(node)
        if facts.get("obtained") != "crawled" or facts.get("opt_outs") == "honoured":
            continue
        status = facts.get("opt_outs")
        if status == "not-honoured":
            message = f"{node} was crawled and its record says opt-outs were not honoured"
        else:
            message = (
                f"{node} was crawled with no record that text-and-data-mining opt-outs "
                f"were honoured (opt_outs: {status or 'not recorded'})"
            )
        yield Hit(node, message, trail.path(node))


# -- content digests ---------------------------------------------------------------------


def digest_missing(trail: Trail, context: Context) -> Iterator[Hit]:
    """Sources, datasets and the target with no content digest."""
    wanted = trail.of_kind("source") + trail.of_kind("dataset")
    if trail.target_kind == "model":
        wanted.append(trail.target)
    facts_of, path = trail.facts_lookup(), trail.path
    for node in sorted(wanted):  # sorted runs: a merge, not a sort
        if not facts_of(node).get("digest"):
            yield Hit(
                node,
                f"{node} has no content digest: nobody can show later which data it was",
                path(node),
            )


def digest_mismatch(trail: Trail, context: Context) -> Iterator[Hit]:
    """Recorded digests that the content no longer matches, or content that is gone."""
    for node, result in sorted(trail.digests.items()):
        if result.status not in ("mismatch", "missing", "unreadable"):
            continue
        if result.status == "mismatch":
            message = (
                f"{node}: the content at {result.path} no longer matches the recorded "
                f"digest {result.recorded} (now {result.found})"
            )
        else:
            why = "is gone" if result.status == "missing" else "cannot be read"
            message = f"{node}: {result.path} {why}, so its recorded digest cannot be verified"
        path = trail.path(node) if node in trail.graph else (node,)
        yield Hit(node, message, path)


# -- approvals ------------------------------------------------------------------------------


def approval_missing(trail: Trail, context: Context) -> Iterator[Hit]:
    """A model with no approval in force (meeting the policy tier's requirements, if any)."""
    policy = context.policy
    if not policy.require_approval or trail.target_kind != "model":
        return
    granting = [a for a in trail.approvals if a.grants]
    tier = policy.approval_tier
    if tier:
        granting = [a for a in granting if a.tier == tier]
    at = f" for tier {tier}" if tier else ""
    if granting:
        if tier:
            unmet = tier_unmet(trail, policy.requirement(tier), granting)
            if unmet:
                yield Hit(
                    trail.target,
                    f"{trail.target} has no approval{at} that meets its requirements: {unmet}",
                    (trail.target,),
                )
        return
    if not trail.approvals:
        message = f"{trail.target} has no recorded approval{at}"
    else:
        latest = trail.approvals[-1]
        if latest.status == "valid":
            state = f"is for tier {latest.tier or 'none named'}"
        elif latest.status == "expired":
            state = f"expired on {latest.expires}"
        elif latest.status == "not yet effective":
            state = f"takes effect on {latest.effective}"
        elif latest.status in ("stale", "revoked-data"):
            state = f"is {latest.status}: {'; '.join(latest.problems)}"
        else:
            state = f"is {latest.status}"
        message = (
            f"{trail.target} has no approval in force{at}: the latest, {latest.id} "
            f"({latest.decision}), {state}"
        )
    yield Hit(trail.target, message, (trail.target,))


def monitoring_overdue(trail: Trail, context: Context) -> Iterator[Hit]:
    """Recorded content not verified clean recently enough for the policy's tier."""
    tier = context.policy.approval_tier
    if not tier or trail.target_kind != "model":
        return
    days = context.policy.requirement(tier).verified_within_days
    if days is None:
        return
    since = (trail.moment - timedelta(days=days)).astimezone(UTC)
    overdue: list[str] = []
    for node in sorted(trail.graph):
        facts = trail.facts(node)
        if facts["kind"] not in ("source", "dataset", "model") or not facts.get("path"):
            continue
        latest = trail.verifications.get(node)
        if (
            latest is None
            or latest.status != "matching"
            or latest.recorded != facts.get("digest")  # a run before the record was amended
            or parse_time(latest.at) < since
        ):
            overdue.append(node)
    if overdue:
        shown = ", ".join(overdue[:5]) + (
            f" and {len(overdue) - 5} more" if len(overdue) > 5 else ""
        )
        yield Hit(
            trail.target,
            f"tier {tier} needs continuous monitoring: {len(overdue)} recorded paths upstream "
            f"have no clean 'lineage verify' within {days} days ({shown})",
            (trail.target,),
        )


# -- revocation --------------------------------------------------------------------------------


def revoked_data(trail: Trail, context: Context) -> Iterator[Hit]:
    """Revoked records (consent withdrawn, licence ended, takedown) in the target's lineage."""
    today = trail.moment.astimezone(UTC).date().isoformat()
    for revocation in sorted(trail.revocations, key=lambda r: (r.subject, r.id)):
        node = revocation.subject
        when = "from" if revocation.in_force(today) else "with effect from"
        target = "it is the target" if node == trail.target else f"{trail.target} is built from it"
        copy = f", as it holds the same content as {revocation.via}" if revocation.via else ""
        yield Hit(
            node,
            f"{node} was revoked {when} {revocation.effective} ({revocation.reason}; "
            f"{revocation.id}{copy}): {target}",
            trail.path(node),
        )


# -- claims and history ------------------------------------------------------------------


def licence_disagreement(trail: Trail, context: Context) -> Iterator[Hit]:
    """Records whose concluded licence, declared licence and claims name different licences."""
    attributes = trail.graph._node  # the dict itself: a view makes an object per lookup
    # Only a record with a declared licence or a claim states two licences: the others
    # (most of a large trail) are left out before sorting.
    stating = set(trail.claims)
    for kind in ("source", "dataset", "model"):
        stating.update(n for n in trail.of_kind(kind) if attributes[n].get("declared_license"))
    for node in sorted(stating):
        facts = attributes.get(node)
        if facts is None:
            continue
        sides: list[tuple[str, str]] = []
        if facts.get("license"):
            sides.append((str(facts["license"]), "concluded"))
        if facts.get("declared_license"):
            sides.append((str(facts["declared_license"]), "declared by its publisher"))
        for claim in trail.claims.get(node, ()):
            sides.append((claim.license, f"claimed by {claim.who}"))
        # One side cannot disagree with itself (most records: a concluded licence only).
        if len(sides) < 2 or len({same_terms_key(licence) for licence, _ in sides}) < 2:
            continue
        named = "; ".join(f"{licence} ({who})" for licence, who in sides)
        yield Hit(node, f"the licences stated for {node} disagree: {named}", trail.path(node))


# The facts that describe content rather than a copy of it: two records of one content
# (one digest) must agree on them.
_CONTENT_FACTS = ("license", "personal_data", "restrictions")


def _content_fact(column: str, value: object) -> object:
    """A fact in the form two records are compared in; None when it is not known.

    Restrictions are compared even when one side records none: a copy does not shed
    the terms of its content."""
    if column == "restrictions":
        items = json.loads(value) if isinstance(value, str) else value
        return tuple(sorted(str(i) for i in items)) if isinstance(items, list | tuple) else ()
    if value is None or value == "" or (column == "personal_data" and value == "unknown"):
        return None
    if column == "license":
        return same_terms_key(str(value))
    return value


def same_content(trail: Trail, context: Context) -> Iterator[Hit]:
    """Records of one content (one digest) whose licence, personal data or restrictions
    disagree."""
    seen: set[tuple[str, str]] = set()
    for node in sorted(trail.copies):
        facts = trail.graph.nodes[node]
        for copy in trail.copies[node]:
            pair = (min(node, copy.id), max(node, copy.id))
            if pair in seen:
                continue
            seen.add(pair)
            differ: list[str] = []
            for column in _CONTENT_FACTS:
                mine = _content_fact(column, facts.get(column))
                theirs = _content_fact(column, copy.row.get(column))
                if mine is not None and theirs is not None and mine != theirs:
                    shown = column.replace("_", " ").replace("license", "licence")
                    differ.append(
                        f"{shown} {_shown(facts.get(column))} vs {_shown(copy.row.get(column))}"
                    )
            if differ:
                yield Hit(
                    node,
                    f"{node} and {copy.id} hold the same content ({copy.digest}) but their "
                    f"recorded facts disagree: {'; '.join(differ)}",
                    trail.path(node),
                )


def _shown(value: object) -> str:
    if value is None:
        return "none"
    if isinstance(value, str) and value.startswith("["):
        value = json.loads(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(str(v) for v in value) + "]"
    return str(value)


def version_out_of_order(trail: Trail, context: Context) -> Iterator[Hit]:
    """Runs that read a dataset version which a write recorded after them superseded."""
    for read in trail.version_reads:
        if read.problem == "out-of-order":
            yield Hit(
                read.read,
                f"{read.run} read {read.read}, but dataset:{read.current} was current at its "
                f"start ({read.when}); that write was recorded after the run, which keeps "
                "the version it was recorded with",
                (read.run, read.read),
            )


def read_after_drop(trail: Trail, context: Context) -> Iterator[Hit]:
    """Runs that read a dataset after it was dropped."""
    for read in trail.version_reads:
        if read.problem == "dropped":
            yield Hit(
                read.read,
                f"{read.run} read {read.read}, which was dropped at {read.when}, before the run",
                (read.run, read.read),
            )


def changed_after_use(trail: Trail, context: Context) -> Iterator[Hit]:
    """Records amended, revoked or found changed after a run used them."""
    changes: dict[str, list[tuple[str, str]]] = {}
    for node, versions in trail.histories.items():
        for before, after in pairwise(versions):
            changed = [
                f"{column} {before.facts.get(column) or 'unset'} -> {after.facts.get(column)}"
                if after.facts.get(column) is not None
                else f"{column} {before.facts.get(column)} cleared"
                for column in sorted(set(before.facts) | set(after.facts))
                if before.facts.get(column) != after.facts.get(column)
            ]
            what = "; ".join(changed) or "no fact changed"
            when = f"effective {after.effective}" if after.effective else after.recorded_at
            changes.setdefault(node, []).append(
                (
                    after.since,
                    f"{node} was amended (version {after.version}, {when}: "
                    f"{after.reason or 'no reason given'}; {what})",
                )
            )
    for revocation in trail.revocations:
        changes.setdefault(revocation.subject, []).append(
            (
                revocation.effective,
                f"{revocation.subject} was revoked from {revocation.effective} "
                f"({revocation.reason}; {revocation.id})",
            )
        )
    for node, found in trail.verifications.items():
        if found.status in ("changed", "missing"):
            state = f"changed (now {found.found})" if found.status == "changed" else "missing"
            changes.setdefault(node, []).append(
                (found.at, f"{found.verification} found the content of {node} {state}")
            )
    for node in sorted(changes):
        if node not in trail.graph:
            continue
        runs = [
            (run, ran)
            for run in trail.depended_on_by(node, ("used",))
            if (ran := _ran_at(trail, run)) is not None
        ]
        for since, message in changes[node]:
            earlier = [f"{run} ({ran})" for run, ran in runs if is_later(since, ran)]
            if earlier:
                yield Hit(node, f"{message} after {_joined(earlier)} used it", trail.path(node))


def _ran_at(trail: Trail, run: str) -> str | None:
    """When a run ran: its end, else its start, else when it was recorded."""
    facts = trail.graph.nodes[run]
    found = facts.get("ended") or facts.get("started") or trail.recorded.get(run)
    return str(found) if found else None


# -- SPDX expressions -------------------------------------------------------------------------

_TOKEN = re.compile(r"\(|\)|[^\s()]+")


def _ids(expression: str) -> list[str]:
    """The licence ids an expression names (not exceptions, not operators)."""
    tokens = _TOKEN.findall(expression)
    ids: list[str] = []
    after_with = False
    for token in tokens:
        if token in ("(", ")", "AND", "OR"):
            after_with = False
        elif token == "WITH":
            after_with = True
        elif not after_with:
            ids.append(token.rstrip("+"))
        else:
            after_with = False
    return ids


def satisfiable(expression: str, ok: Callable[[str], bool]) -> bool:
    """True when the licensee can comply with `expression` using only ids for which `ok`.

    `A AND B` needs both, `A OR B` either (the licensee chooses), `A WITH e` needs A.
    """
    tokens = _TOKEN.findall(expression)
    position = 0

    def parse_or() -> bool:
        nonlocal position
        value = parse_and()
        while position < len(tokens) and tokens[position] == "OR":
            position += 1
            right = parse_and()
            value = value or right
        return value

    def parse_and() -> bool:
        nonlocal position
        value = parse_atom()
        while position < len(tokens) and tokens[position] == "AND":
            position += 1
            right = parse_atom()
            value = value and right
        return value

    def parse_atom() -> bool:
        nonlocal position
        token = tokens[position]
        position += 1
        if token == "(":
            value = parse_or()
            position += 1  # the closing parenthesis
            return value
        if position < len(tokens) and tokens[position] == "WITH":
            position += 2
        return ok(token.rstrip("+"))

    return parse_or()


# -- evaluations (see lineage.checks.tiers) ------------------------------------------------


def _evidence_rule(rule: str) -> RuleFunction:
    def run(trail: Trail, context: Context) -> Iterator[Hit]:
        for finding in evaluation_findings(trail, context.policy):
            if finding.rule == rule:
                yield Hit(finding.subject, finding.message, finding.path)

    run.__name__ = rule.replace("-", "_")
    run.__doc__ = f"The {rule} findings of the evaluations of a model."
    return run


RULE_FUNCTIONS: Mapping[str, RuleFunction] = {
    **{rule: _evidence_rule(rule) for rule in EVIDENCE_RULES},
    "unknown-provenance": unknown_provenance,
    "licence-not-allowed": licence_not_allowed,
    "non-commercial": non_commercial,
    "research-only": research_only,
    "no-derivatives": no_derivatives,
    "share-alike": share_alike,
    "no-competing-models": no_competing_models,
    "licence-conflict": licence_conflict,
    "pii-no-legal-basis": pii_no_legal_basis,
    "pii-not-removed": pii_not_removed,
    "personal-data-unknown": personal_data_unknown,
    "opt-out-not-honoured": opt_out_not_honoured,
    "digest-missing": digest_missing,
    "digest-mismatch": digest_mismatch,
    "approval-missing": approval_missing,
    "monitoring-overdue": monitoring_overdue,
    "revoked-data": revoked_data,
    "licence-disagreement": licence_disagreement,
    "same-content": same_content,
    "changed-after-use": changed_after_use,
    "version-out-of-order": version_out_of_order,
    "read-after-drop": read_after_drop,
}
