import datetime as dt

from routesim.outcomes import COUNTRY_METRICS, OutcomeLedger


def test_country_totals_before_anything_is_counted_is_an_empty_table():
    ledger = OutcomeLedger(dt.date(2023, 1, 1), 3)
    table = ledger.country_totals()
    assert table.empty
    assert list(table.columns) == list(COUNTRY_METRICS)


def test_country_totals_sum_each_country_and_fill_the_rest_with_zero():
    ledger = OutcomeLedger(dt.date(2023, 1, 1), 3)
    ledger.add_country(0, "TUN", "arrivals", 5.0)
    ledger.add_country(2, "TUN", "arrivals", 2.0)
    ledger.add_country(1, "LBY", "departures", 4.0)
    table = ledger.country_totals()
    assert table.loc["TUN", "arrivals"] == 7.0
    assert table.loc["TUN", "departures"] == 0.0
    assert table.loc["LBY", "departures"] == 4.0
