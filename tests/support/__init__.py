"""What the tests share: builders of the states the pages and services care about, made
through the services. Test modules import from here, never from each other; the fixtures
live in tests/conftest.py."""
