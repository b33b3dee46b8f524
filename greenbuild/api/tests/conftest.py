import pytest


@pytest.fixture
def two_per_minute(settings):
    """The per-address API rate at 2 a minute for one test, put back afterwards."""
    # Imported first: DRF's throttle classes copy the rates when their module is first imported, so
    # importing it after the settings change would keep 2/min for every later test in the process.
    from greenbuild.api.throttling import AddressRateThrottle

    old = AddressRateThrottle.THROTTLE_RATES
    rates = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "address": "2/min"}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    AddressRateThrottle.THROTTLE_RATES = rates
    yield
    AddressRateThrottle.THROTTLE_RATES = old
