"""The model's known simplifications and limits, read from docs/MODEL.md ("Known simplifications
and limits"), so that the report states them without a second copy in Python; and which of them
apply to one result."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

MODEL_DOC = Path(__file__).resolve().parents[2] / "docs" / "MODEL.md"
_SECTION = re.compile(r"^##\s+\d+\.\s+Known simplifications and limits\s*$", re.MULTILINE)


@dataclass(frozen=True)
class Limit:
    title: str      # the bullet's bold lead, e.g. "Legal"
    text: str       # the rest of the bullet, Markdown inline syntax as written


def read_limits(model_doc: Path = MODEL_DOC) -> list[Limit]:
    """Every bullet of the section, in order. Raises FileNotFoundError if the document is missing
    and ValueError if it has no such section."""
    text = Path(model_doc).read_text(encoding="utf-8")
    match = _SECTION.search(text)
    if match is None:
        raise ValueError(f"{model_doc} has no section 'Known simplifications and limits'")
    body = text[match.end():]
    end = re.search(r"^(#{1,2}\s|---\s*$)", body, re.MULTILINE)  # the next heading or a rule
    body = body[: end.start()] if end else body
    limits = []
    for bullet in re.split(r"^- ", body, flags=re.MULTILINE)[1:]:
        bullet = " ".join(line.strip() for line in bullet.strip().splitlines())
        lead = re.match(r"\*\*(.+?)\*\*:?\s*(.*)", bullet)
        limits.append(Limit(lead.group(1).rstrip(":"), lead.group(2)) if lead else Limit("", bullet))
    return limits


def _has_platform_events(results) -> bool:
    try:
        scenario = results.scenario_data() or {}
    except Exception:
        return True  # cannot tell: keep the limit
    return bool((scenario.get("platform") or {}).get("events"))


def applies(limit: Limit, results) -> bool:
    """Whether a limit bears on this result. Limits of parts of the model a scenario can leave out
    are dropped when it does: platform investments without platform events, the net attributable
    loss in a file without it. Every other limit applies to every run."""
    title = limit.title.lower()
    if title.startswith("platform investments"):
        return _has_platform_events(results)
    if title.startswith("attributable loss"):
        return "attributable_loss_cents" in results.summary_dataset.data_vars
    return True
