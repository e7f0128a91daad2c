"""The published site's address and Colab's address for its notebooks, from GitHub's own
environment, as ``KEY=value`` lines for ``$GITHUB_ENV`` (so nothing is set by hand).

``GITHUB_REPOSITORY`` (``owner/repo``) names the repository; ``PAGES_BASE_URL`` (the
configure-pages action's ``base_url`` output) is the Pages address when known, else GitHub's
default for a project site. The workflow pushes the built notebooks to the ``notebooks``
branch under ``playbooks/``, which is where Colab opens them.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping

NOTEBOOK_BRANCH = "notebooks"


def deploy_env(environ: Mapping[str, str]) -> dict[str, str]:
    """SITE_URL and COLAB_BASE for a repository (empty dict outside GitHub Actions)."""
    repository = environ.get("GITHUB_REPOSITORY", "")
    if "/" not in repository:
        return {}
    owner, name = repository.split("/", 1)
    site = environ.get("PAGES_BASE_URL") or f"https://{owner.lower()}.github.io/{name}"
    return {
        "SITE_URL": site.rstrip("/") + "/",
        "COLAB_BASE": (
            f"https://colab.research.google.com/github/{repository}/blob/{NOTEBOOK_BRANCH}/playbooks"
        ),
    }


def main() -> None:
    values = deploy_env(os.environ)
    if not values:
        sys.exit("deploy_env: GITHUB_REPOSITORY (owner/repo) is not set")
    for key, value in values.items():
        print(f"{key}={value}")


if __name__ == "__main__":
    main()
