"""Weighted progress roll-up: measure → goal (→ parent goal …) → action field. Pure functions."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class GoalNode:
    id: int
    parent_id: int | None
    action_field_id: int
    weight: float = 1.0


@dataclass(frozen=True)
class MeasureNode:
    goal_id: int
    progress: float
    weight: float = 1.0


@dataclass(frozen=True)
class Rollup:
    goals: dict[int, float | None]
    action_fields: dict[int, float | None]


def _mean(pairs: Iterable[tuple[float, float | None]]) -> float | None:
    total = weights = 0.0
    for weight, value in pairs:
        if value is None:
            continue
        total += float(weight) * float(value)
        weights += float(weight)
    return round(total / weights, 1) if weights > 0 else None


def rollup(goals: Iterable[GoalNode], measures: Iterable[MeasureNode], *,
           weighted: bool = True) -> Rollup:
    """Progress of every goal (its measures and sub-goals, by weight) and every action field
    (its top-level goals, by weight). Without measures below it, a goal has no progress (None)
    and does not count. `weighted=False` treats every weight as 1."""
    goals = list(goals)
    w = (lambda x: float(x)) if weighted else (lambda x: 1.0)
    own: dict[int, list[tuple[float, float | None]]] = {g.id: [] for g in goals}
    for m in measures:
        if m.goal_id in own:
            own[m.goal_id].append((w(m.weight), float(m.progress)))
    children: dict[int | None, list[GoalNode]] = {}
    for g in goals:
        children.setdefault(g.parent_id, []).append(g)
    result: dict[int, float | None] = {}

    def visit(goal: GoalNode, seen: frozenset[int]) -> float | None:
        if goal.id in result:
            return result[goal.id]
        if goal.id in seen:  # defensive: a parent loop counts as no progress
            return None
        pairs = list(own[goal.id])
        for child in children.get(goal.id, []):
            pairs.append((w(child.weight), visit(child, seen | {goal.id})))
        result[goal.id] = _mean(pairs)
        return result[goal.id]

    for g in goals:
        visit(g, frozenset())
    known = {g.id for g in goals}
    fields: dict[int, list[tuple[float, float | None]]] = {}
    for g in goals:
        if g.parent_id is None or g.parent_id not in known:
            fields.setdefault(g.action_field_id, []).append((w(g.weight), result[g.id]))
    return Rollup(goals=result, action_fields={k: _mean(v) for k, v in fields.items()})


def dependency_cycle(edges: Mapping[int, Iterable[int]], measure_id: int,
                     dependencies: Iterable[int]) -> list[int] | None:
    """If `measure_id` depending on `dependencies` closes a cycle in `edges` (measure → the
    measures it depends on), return the path measure_id → … → measure_id, else None."""
    graph = {k: set(v) for k, v in edges.items()}
    graph[measure_id] = set(dependencies)
    stack: list[tuple[int, list[int]]] = [(d, [measure_id, d]) for d in graph[measure_id]]
    seen: set[int] = set()
    while stack:
        node, path = stack.pop()
        if node == measure_id:
            return path
        if node in seen:
            continue
        seen.add(node)
        stack.extend((n, path + [n]) for n in graph.get(node, ()))
    return None


def dependency_cycles(edges: Mapping[int, Iterable[int]], order: Iterable[int]) -> list[list[int]]:
    """Every dependency cycle of the graph `edges` (node → the nodes it depends on), one path
    per strongly connected component, in linear time: the path starts at the component's first
    node in `order` (n → … → n). Used by the import, where checking each of thousands of rows
    with `dependency_cycle` would walk the whole graph once per row."""
    component = _components(edges)
    sizes: dict[int, int] = {}
    for c in component.values():
        sizes[c] = sizes.get(c, 0) + 1
    cycles, reported = [], set()
    for node in order:
        found = component.get(node)
        if found is None or found in reported:
            continue
        c = found
        if sizes[c] > 1 or node in edges.get(node, ()):
            reported.add(c)
            cycles.append(_path_back(edges, node, component))
    return cycles


def _components(edges: Mapping[int, Iterable[int]]) -> dict[int, int]:
    """Tarjan's strongly connected components, iterative: node → component number."""
    index: dict[int, int] = {}
    low: dict[int, int] = {}
    on_stack: set[int] = set()
    stack: list[int] = []
    component: dict[int, int] = {}
    nodes = set(edges) | {d for ds in edges.values() for d in ds}
    for root in nodes:
        if root in index:
            continue
        work = [(root, iter(edges.get(root, ())))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(edges.get(child, ()))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component[member] = index[node]
                    if member == node:
                        break
    return component


def _path_back(edges: Mapping[int, Iterable[int]], start: int,
               component: dict[int, int]) -> list[int]:
    """Shortest path start → … → start inside start's component (breadth first)."""
    came_from: dict[int, int] = {}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for child in edges.get(node, ()):
            if child == start:
                back = [node]
                while back[-1] != start:
                    back.append(came_from[back[-1]])
                return [start, *reversed(back[:-1]), start]
            if component.get(child) == component[start] and child not in came_from:
                came_from[child] = node
                queue.append(child)
    return [start, start]  # pragma: no cover - start lies on a cycle by construction


def as_float(value: Decimal | float | int | None) -> float | None:
    return None if value is None else float(value)
