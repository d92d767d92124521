"""Cutting a long structured appendix into pieces for the pack (committee.appendices)."""

from committee.appendices import pack_pieces


def test_rows_are_cut_in_order_into_runs_of_about_the_budget():
    rows = [("CR1", 5), ("CR2", 4), ("CR3", 3), ("CR4", 6), ("CO1", 2)]
    pieces = pack_pieces(rows, size=lambda row: row[1], budget=10)
    assert [[name for name, _ in piece] for piece in pieces] == [["CR1", "CR2"], ["CR3", "CR4"], ["CO1"]]
    assert [row for piece in pieces for row in piece] == rows  # nothing lost, nothing twice


def test_a_row_longer_than_the_budget_is_a_piece_of_its_own():
    pieces = pack_pieces(["a", "b" * 30, "c"], size=len, budget=10)
    assert pieces == [["a"], ["b" * 30], ["c"]]


def test_a_short_appendix_stays_whole_and_an_empty_one_has_no_pieces():
    assert pack_pieces(["a", "b"], size=len, budget=10) == [["a", "b"]]
    assert pack_pieces(["", "b"], size=len, budget=10) == [["", "b"]]  # an empty first row
    assert pack_pieces([], size=len, budget=10) == []
