from tests.property.helpers import prop  # noqa: F401  (the fixture)
