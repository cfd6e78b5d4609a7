import secrets
from pathlib import Path


def read_or_create_secret(path: Path) -> str:
    """Created once, readable by its owner only; it survives restarts so sessions stay valid."""
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        value = secrets.token_urlsafe(50)
        path.touch(mode=0o600)
        path.write_text(value)
        return value
