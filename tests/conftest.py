import os
import sys
from pathlib import Path

REPO_DIR = Path(__file__).resolve().parents[1]
if str(REPO_DIR) not in sys.path:
    sys.path.insert(0, str(REPO_DIR))
os.environ.setdefault("ZOOM_OPENAPI_DIR", str(REPO_DIR.parent / "shared" / "zoom-openapi"))
