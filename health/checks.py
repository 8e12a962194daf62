def run_checks() -> dict:
    return {"status": "ok"}
