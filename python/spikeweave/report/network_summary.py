"""The network as the run's own TOML describes it (populations, projections, records), for the
summary table. Python 3.11's tomllib parses it; without tomllib the table is left out."""
try:
    import tomllib
except ImportError:  # Python < 3.11
    tomllib = None


def parse_config(config_toml):
    """The configuration as a dict, or None when it cannot be parsed here."""
    if tomllib is None or not config_toml:
        return None
    try:
        return tomllib.loads(config_toml)
    except tomllib.TOMLDecodeError:
        return None


def population_rows(config):
    return [(p.get("name", "?"), p.get("size", "?"), p.get("model", "?"))
            for p in config.get("population", [])]


def projection_rows(config):
    rows = []
    for i, q in enumerate(config.get("projection", [])):
        connect = q.get("connect", {})
        plastic = q.get("plasticity", {})
        default_name = f"{q.get('source')}_to_{q.get('target')}"  # as the parser names it
        rows.append((q.get("name", default_name), f"{q.get('source')} -> {q.get('target')}",
                     connect.get("rule", "?") if isinstance(connect, dict) else "?",
                     plastic.get("rule", "static") if isinstance(plastic, dict) else "static"))
    return rows
