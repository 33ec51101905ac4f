import os
import sys
from pathlib import Path

REPO_DIR = Path(__file__).resolve().parents[1]
if str(REPO_DIR) not in sys.path:
    sys.path.insert(0, str(REPO_DIR))
os.environ.setdefault("ZOOM_OPENAPI_DIR", str(REPO_DIR.parent / "shared" / "zoom-openapi"))

# tests/series compares the databases of both series' first passes: run by scripts/check_series_schema
# (which the test command calls after running both series), not within one series' pass.
collect_ignore = [] if os.environ.get("HERP_ZOOM_SERIES_DBS") else ["series"]
