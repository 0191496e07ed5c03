"""The pure roll-up and cycle functions."""

from zwk.plan.progress import GoalNode, MeasureNode, dependency_cycle, rollup


def test_weighted_rollup_measure_goal_field():
    goals = [GoalNode(1, None, 10, 1), GoalNode(2, 1, 10, 3), GoalNode(3, None, 10, 1),
             GoalNode(4, None, 20, 1)]
    measures = [MeasureNode(1, 100, 1), MeasureNode(2, 0, 1), MeasureNode(2, 100, 3),
                MeasureNode(3, 50, 2)]
    result = rollup(goals, measures)
    assert result.goals[2] == 75.0                       # (0·1 + 100·3) / 4
    assert result.goals[1] == round((100 * 1 + 75 * 3) / 4, 1)  # own measure + sub-goal weight 3
    assert result.goals[3] == 50.0
    assert result.goals[4] is None                       # no measures: no progress
    assert result.action_fields[10] == round((81.2 + 50) / 2, 1)
    assert result.action_fields[20] is None


def test_unweighted_rollup_treats_every_weight_as_one():
    goals = [GoalNode(1, None, 10, 5), GoalNode(2, None, 10, 1)]
    measures = [MeasureNode(1, 100, 9), MeasureNode(1, 0, 1), MeasureNode(2, 20, 1)]
    assert rollup(goals, measures).goals[1] == 90.0
    result = rollup(goals, measures, weighted=False)
    assert result.goals[1] == 50.0
    assert result.action_fields[10] == 35.0


def test_zero_weights_give_no_progress():
    result = rollup([GoalNode(1, None, 10, 1)], [MeasureNode(1, 80, 0)])
    assert result.goals[1] is None


def test_dependency_cycle_found_and_path_given():
    edges = {1: {2}, 2: {3}}
    assert dependency_cycle(edges, 3, [1]) == [3, 1, 2, 3]
    assert dependency_cycle(edges, 3, [4]) is None
    assert dependency_cycle({}, 5, [5]) == [5, 5]
