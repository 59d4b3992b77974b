"""`python -m tests.oidc_provider install`: the test provider's npm packages (make test)."""

import sys

from tests.oidc_provider import install

if sys.argv[1:] != ["install"]:
    sys.exit("usage: python -m tests.oidc_provider install")
install()
