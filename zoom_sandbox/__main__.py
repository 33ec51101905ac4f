import argparse
import logging

from .server import SandboxServer
from .validation import SpecMissing


def main():
    parser = argparse.ArgumentParser(prog="python -m zoom_sandbox", description="A Zoom on loopback.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8071)
    parser.add_argument("--seed", help="JSON file with accounts, users and apps (default: the demo seed)")
    parser.add_argument("--openapi-dir", help="Zoom's OpenAPI descriptions (default: $ZOOM_OPENAPI_DIR)")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        server = SandboxServer(args.host, args.port, openapi_dir=args.openapi_dir, seed=args.seed)
    except SpecMissing as missing:
        parser.exit(2, f"{parser.prog}: {missing}\n")
    print(f"Zoom sandbox on {server.url} (API {server.api_url}); Ctrl-C stops it", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()


if __name__ == "__main__":
    main()
