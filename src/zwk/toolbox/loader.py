"""Load the topics and the shipped tools. Works with historical models (migrations) and real
ones; idempotent by slug, so running it twice changes nothing."""

from __future__ import annotations

from zwk.toolbox.search import refresh, search_text_of

__all__ = ["load_shipped_tools", "search_text_of"]


def load_shipped_tools(Topic, Tool) -> int:
    from zwk.toolbox.data.tools import TOOLS
    from zwk.toolbox.models import TOPICS

    existing = set(Tool.objects.filter(slug__in=[e["slug"] for e in TOOLS])
                   .values_list("slug", flat=True))
    if len(existing) == len(TOOLS) and Topic.objects.count() >= len(TOPICS):
        return 0
    topics = {}
    for position, (slug, name) in enumerate(TOPICS):
        topics[slug], _ = Topic.objects.get_or_create(slug=slug, defaults={
            "name": name, "position": position})
    created = 0
    for entry in TOOLS:
        if entry["slug"] in existing:
            continue
        data = {k: v for k, v in entry.items() if k not in ("topics", "stages", "commune_kinds")}
        tool = Tool(**data, stages=f",{entry['stages']},",
                    commune_kinds=f",{entry['commune_kinds']},", status="published")
        names = [topics[t].name for t in entry["topics"]]
        tool.search_text = search_text_of(tool, names)
        tool.save()
        tool.topics.set([topics[t] for t in entry["topics"]])
        refresh(tool, model=Tool)  # search_text and, on PostgreSQL, the weighted vector
        created += 1
    return created
