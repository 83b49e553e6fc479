"""Evaluation results as the tools write them: a Hugging Face model card's `model-index`,
an lm-evaluation-harness results JSON, and a CSV of `evaluation add` options.

Each reader turns a file into `EvaluationInput`s with the file and line each came
from; a bad file raises one `ManifestError` or `InvalidRecord` naming the file, the
line and the field, before anything is written.

Formats, as their tools define them:
- model card: `huggingface/hub-docs` `modelcard.md` (YAML front matter of README.md,
  `model-index: [{name, results: [{task, dataset {type, name, config, split}, metrics
  [{type, value, name, verified}]}]}]`). The card has no slice, threshold or date:
  a dataset `config` written as `attr=value` is read as the slice, and lineage reads
  the optional metric keys `slice`, `category`, `threshold`, `direction`, `tier`,
  `records` and `ci` when present.
- lm-evaluation-harness (`EleutherAI/lm-evaluation-harness`, `results*.json` of 0.4):
  `results {task: {"METRIC,FILTER": value, "METRIC_stderr,FILTER": stderr}}`,
  `higher_is_better {task: {METRIC: bool}}`, `n-samples {task: {effective}}`,
  `configs {task: {dataset_path, metadata}}`, `date` (Unix time), `model_name`. A
  task's `metadata` may name `slice`, `category`, `threshold`, `direction` and `tier`
  (each a value, or a mapping of metric to value); the
  confidence interval is value ± 1.96 standard errors.
- CSV: a header naming `evaluation add` options (model, dataset, metric, value,
  slice, category, threshold, direction, ci, records, by, run, tier, date, name,
  description), one result per row.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import orjson
from pydantic import ValidationError

from lineage.errors import InvalidRecord, ManifestError
from lineage.ingest.manifest import LineDict, _parse_with_lines, line_of, parse_manifest, read_text
from lineage.validation import EvaluationInput, describe_error

Item = tuple[EvaluationInput, str]

CSV_COLUMNS = (
    "model",
    "dataset",
    "metric",
    "value",
    "slice",
    "category",
    "threshold",
    "direction",
    "ci",
    "records",
    "by",
    "run",
    "tier",
    "date",
    "name",
    "description",
)
_CARD_KEYS = ("slice", "category", "threshold", "direction", "tier", "records", "ci")
_METADATA_KEYS = ("slice", "category", "threshold", "direction", "tier")


def read_evaluation_file(
    path: str, *, model: str | None = None, dataset: str | None = None, by: str | None = None
) -> list[Item]:
    """The evaluations in `path`, told apart by name and content (see the module).

    `model`, `dataset` and `by` are the names in the store; they take precedence over
    what the file says (tools name models and data their own way).
    """
    text = read_text(path)
    given = {"model": model, "dataset": dataset, "by": by}
    overrides = {k: v for k, v in given.items() if v}
    lowered = path.lower()
    stripped = text.lstrip("\ufeff")
    if lowered.endswith(".csv"):
        items = _from_csv(path, stripped)
    elif lowered.endswith(".md") or stripped.startswith("---"):
        items = _from_model_card(path, stripped)
    elif lowered.endswith(".json") or stripped.lstrip()[:1] == "{":
        items = _from_harness(path, stripped)
    else:
        raise ManifestError(
            f"{path}: not an evaluation file: expected a model card (README.md with "
            "model-index), an lm-evaluation-harness results JSON, or a CSV"
        )
    if not items:
        raise ManifestError(f"{path}: holds no evaluation results")
    return [_validated(path, line, data, overrides) for line, data in items]


def _validated(
    path: str, line: int | None, data: dict[str, Any], overrides: dict[str, str]
) -> Item:
    where = f"{path}:{line}" if line else path
    merged = {**data, **overrides}
    for field in ("model", "dataset"):
        if not merged.get(field):
            raise InvalidRecord(
                f"{where}: field {field!r}: not given in the file; name it with --{field}",
                (field,),
            )
    try:
        return EvaluationInput.model_validate(merged), where
    except ValidationError as error:
        message, loc = describe_error(error)
        raise InvalidRecord(f"{where}: {message}", loc) from None


# -- CSV -----------------------------------------------------------------------------------


def _from_csv(path: str, text: str) -> list[tuple[int | None, dict[str, Any]]]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = reader.fieldnames or []
    if not header:
        raise ManifestError(f"{path}:1: no header row (expected columns such as model, metric)")
    for column in header:
        if column not in CSV_COLUMNS:
            raise ManifestError(
                f"{path}:1: field {column!r}: unknown column; the columns are the options of "
                f"'lineage evaluation add': {', '.join(CSV_COLUMNS)}"
            )
    out: list[tuple[int | None, dict[str, Any]]] = []
    try:
        for row in reader:
            if None in row:
                raise ManifestError(
                    f"{path}:{reader.line_num}: more cells than the header has columns"
                )
            data: dict[str, Any] = {}
            for column, cell in row.items():
                if cell is None or not cell.strip():
                    continue
                value: Any = cell.strip()
                if column == "records" and value.isdigit():
                    value = int(value)
                data[column] = value
            out.append((reader.line_num, data))
    except csv.Error as error:
        raise ManifestError(f"{path}:{reader.line_num}: not valid CSV: {error}") from None
    return out


# -- Hugging Face model card ----------------------------------------------------------------


def _front_matter(path: str, text: str) -> str:
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        raise ManifestError(f"{path}:1: no YAML front matter (a model card starts with ---)")
    for index, line in enumerate(lines[1:], start=1):
        if line.strip() == "---":
            # Blank first line keeps YAML's line numbers those of the file.
            return "\n".join(["", *lines[1:index]])
    raise ManifestError(f"{path}:1: the YAML front matter is not closed by ---")


def _from_model_card(path: str, text: str) -> list[tuple[int | None, dict[str, Any]]]:
    data = parse_manifest(path, _front_matter(path, text) or "\n")
    if not isinstance(data, dict) or "model-index" not in data:
        raise ManifestError(f"{path}:1: field 'model-index': the model card has none")
    index = data["model-index"]
    where = _Where(path, data)
    if not isinstance(index, list):
        raise ManifestError(f"{where.at(('model-index',))}: field 'model-index': must be a list")
    out: list[tuple[int | None, dict[str, Any]]] = []
    for i, entry in enumerate(index):
        base: tuple[str | int, ...] = ("model-index", i)
        entry = _mapping_at(where, base, entry)
        results = entry.get("results")
        if not isinstance(results, list):
            raise ManifestError(
                f"{where.at(base)}: field {_field(base, 'results')}: must be a list"
            )
        for j, result in enumerate(results):
            at = (*base, "results", j)
            result = _mapping_at(where, at, result)
            dataset = result.get("dataset") or {}
            if not isinstance(dataset, dict):
                raise ManifestError(
                    f"{where.at(at)}: field {_field(at, 'dataset')}: must be a mapping"
                )
            metrics = result.get("metrics")
            if not isinstance(metrics, list):
                raise ManifestError(
                    f"{where.at(at)}: field {_field(at, 'metrics')}: must be a list"
                )
            for k, metric in enumerate(metrics):
                mat = (*at, "metrics", k)
                metric = _mapping_at(where, mat, metric)
                for key in ("type", "value"):
                    if key not in metric:
                        raise ManifestError(
                            f"{where.at(mat)}: field {_field(mat, key)}: required field is missing"
                        )
                if isinstance(metric["value"], bool) or not isinstance(
                    metric["value"], int | float
                ):
                    raise ManifestError(
                        f"{where.at((*mat, 'value'))}: field {_field(mat, 'value')}: "
                        f"{metric['value']!r} is not a number"
                    )
                item: dict[str, Any] = {
                    "model": entry.get("name"),
                    "dataset": dataset.get("name") or dataset.get("type"),
                    "metric": metric["type"],
                    "value": metric["value"],
                }
                config = dataset.get("config")
                if isinstance(config, str) and "=" in config:
                    item["slice"] = config
                for key in _CARD_KEYS:
                    if key in metric:
                        item[key] = metric[key]
                task = result.get("task") or {}
                notes = {
                    "source": "model-index",
                    "task": task.get("type") if isinstance(task, dict) else None,
                    "split": dataset.get("split"),
                    "metric_name": metric.get("name"),
                    "verified": metric.get("verified"),
                }
                item["attrs"] = {k: v for k, v in notes.items() if v is not None}
                out.append((where.line(mat), item))
    return out


# -- lm-evaluation-harness ------------------------------------------------------------------


def _from_harness(path: str, text: str) -> list[tuple[int | None, dict[str, Any]]]:
    try:
        data = orjson.loads(text)
    except orjson.JSONDecodeError as error:
        raise ManifestError(f"{path}:{error.lineno}: not valid JSON: {error.msg}") from None
    where = _Where(path, data, text)
    if not isinstance(data, dict) or not isinstance(data.get("results"), dict):
        raise ManifestError(
            f"{where.at(('results',))}: field 'results': an lm-evaluation-harness results "
            "file has a mapping of task -> metrics"
        )
    higher = data.get("higher_is_better") or {}
    samples = data.get("n-samples") or {}
    configs = data.get("configs") or {}
    model = data.get("model_name") or _pretrained(data.get("config") or {})
    date = data.get("date")
    when = None
    if isinstance(date, int | float) and not isinstance(date, bool):
        when = datetime.fromtimestamp(date, UTC).isoformat().replace("+00:00", "Z")
    out: list[tuple[int | None, dict[str, Any]]] = []
    for task, metrics in data["results"].items():
        at: tuple[str | int, ...] = ("results", task)
        if not isinstance(metrics, dict):
            raise ManifestError(f"{where.at(at)}: field 'results.{task}': must be a mapping")
        config = _dict(configs.get(task))
        metadata = _dict(config.get("metadata"))
        count = _dict(samples.get(task))
        for key, value in metrics.items():
            name, _, filter_ = key.partition(",")
            if key == "alias" or name.endswith("_stderr") or key in ("samples", "name"):
                continue
            if isinstance(value, bool) or not isinstance(value, int | float):
                if value in ("N/A", None):
                    continue
                raise ManifestError(
                    f"{where.at((*at, key))}: field 'results.{task}.{key}': "
                    f"{value!r} is not a number"
                )
            item: dict[str, Any] = {
                "model": model,
                "dataset": config.get("dataset_path") or task,
                "metric": name,
                "value": value,
            }
            better = (higher.get(task) or {}).get(name) if isinstance(higher, dict) else None
            for meta in _METADATA_KEYS:
                if meta in metadata:
                    given = metadata[meta]
                    # A mapping gives one value per metric ({acc: 0.8, refusal_rate: 0.05}).
                    if isinstance(given, dict):
                        if name not in given:
                            continue
                        given = given[name]
                    item[meta] = given
            if "threshold" in item and "direction" not in item and isinstance(better, bool):
                item["direction"] = "higher-is-better" if better else "lower-is-better"
            stderr = metrics.get(f"{name}_stderr,{filter_}" if filter_ else f"{name}_stderr")
            if isinstance(stderr, int | float) and not isinstance(stderr, bool) and stderr > 0:
                item["ci"] = (value - 1.96 * stderr, value + 1.96 * stderr)
            effective = count.get("effective")
            if isinstance(effective, int) and not isinstance(effective, bool):
                item["records"] = effective
            if when:
                item["date"] = when
            notes = {
                "source": "lm-evaluation-harness",
                "task": task,
                "filter": filter_ or None,
                "higher_is_better": better,
            }
            item["attrs"] = {k: v for k, v in notes.items() if v is not None}
            out.append((where.line((*at, key)), item))
    return out


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _pretrained(config: Mapping[str, Any]) -> str | None:
    args = config.get("model_args")
    if isinstance(args, str):
        for part in args.split(","):
            key, _, value = part.partition("=")
            if key.strip() == "pretrained" and value.strip():
                return os.path.basename(value.strip().rstrip("/"))
    return None


# -- where things are -----------------------------------------------------------------------


class _Where:
    """Lines of fields; JSON is parsed again with line numbers only when asked."""

    def __init__(self, path: str, data: Any, text: str | None = None) -> None:
        self.path, self.data, self.text = path, data, text
        self._lines: Any = data if isinstance(data, LineDict) else None

    def line(self, loc: tuple[str | int, ...]) -> int | None:
        if self._lines is None and self.text is not None:
            try:
                self._lines = _parse_with_lines(self.path, self.text)
            except ManifestError:
                self._lines = {}
        return line_of(self._lines, loc) if self._lines is not None else None

    def at(self, loc: tuple[str | int, ...]) -> str:
        line = self.line(loc)
        return f"{self.path}:{line}" if line else self.path


def _field(base: tuple[str | int, ...], key: str) -> str:
    return repr(".".join(str(part) for part in (*base, key)))


def _mapping_at(where: _Where, loc: tuple[str | int, ...], value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        name = ".".join(str(part) for part in loc)
        raise ManifestError(f"{where.at(loc)}: field {name!r}: must be a mapping")
    return value
