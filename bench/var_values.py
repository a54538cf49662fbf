"""Realistic terraform variable values for the synthetic stack generator (stdlib only)."""

from catalog_spec import TEAMS

INSTANCE_TYPES = ["t3.medium", "t3.large", "m6i.large", "m6i.xlarge", "c6i.large", "r6g.large"]
LOG_LEVELS = ["debug", "info", "warn", "error"]
VAR_POOL = [
    "instance_type", "min_size", "max_size", "desired_count", "retention_in_days",
    "deletion_protection", "encrypted", "kms_key_alias", "log_level", "port",
    "timeout_seconds", "engine_version", "multi_az", "allowed_cidr_blocks", "allowed_ports",
    "alarm_thresholds", "scaling", "labels", "description", "cpu", "memory",
    "health_check_path", "backup_window", "maintenance_window", "force_destroy",
    "versioning_enabled", "access_log_bucket", "feature_flags", "subnet_tier",
    "notification_emails", "sse_algorithm", "max_retries",
]


def make_var(rng, key, owner):
    """A realistic value for var `key` of component `owner`."""
    if key == "instance_type":
        return rng.choice(INSTANCE_TYPES)
    if key in ("min_size", "desired_count", "max_retries"):
        return rng.randint(1, 4)
    if key == "max_size":
        return rng.randint(4, 20)
    if key == "retention_in_days":
        return rng.choice([7, 14, 30, 90, 365])
    if key in ("deletion_protection", "encrypted", "multi_az", "force_destroy", "versioning_enabled"):
        return rng.random() < 0.5
    if key == "kms_key_alias":
        return f"alias/{owner}"
    if key == "log_level":
        return rng.choice(LOG_LEVELS)
    if key == "port":
        return rng.choice([443, 5432, 3306, 6379, 8080, 9200])
    if key == "timeout_seconds":
        return rng.choice([30, 60, 300, 900])
    if key == "engine_version":
        return f"{rng.randint(5, 16)}.{rng.randint(0, 9)}"
    if key == "allowed_cidr_blocks":
        return [f"10.{rng.randint(0, 255)}.0.0/16" for _ in range(rng.randint(1, 4))]
    if key == "allowed_ports":
        return sorted(rng.sample([22, 80, 443, 3306, 5432, 6379, 8080, 8443, 9200], rng.randint(1, 4)))
    if key == "alarm_thresholds":
        return {"cpu_percent": rng.randint(60, 95), "memory_percent": rng.randint(60, 95),
                "error_rate": round(rng.random() * 5, 2)}
    if key == "scaling":
        return {"min": rng.randint(1, 3), "max": rng.randint(4, 12),
                "cpu_target": rng.choice([50, 60, 70]), "scale_in_cooldown": rng.choice([60, 300])}
    if key == "labels":
        return {"team": rng.choice(TEAMS), "tier": rng.choice(["frontend", "backend", "data"])}
    if key == "description":
        return f"{owner} managed by the platform team ({rng.choice(['tier-1', 'tier-2', 'tier-3'])})"
    if key == "cpu":
        return rng.choice([256, 512, 1024, 2048])
    if key == "memory":
        return rng.choice([512, 1024, 2048, 4096])
    if key == "health_check_path":
        return rng.choice(["/health", "/healthz", "/status"])
    if key in ("backup_window", "maintenance_window"):
        return f"0{rng.randint(0, 5)}:00-0{rng.randint(6, 9)}:00"
    if key == "access_log_bucket":
        return f"{owner}-access-logs"
    if key == "feature_flags":
        return {f"flag_{i}": rng.random() < 0.5 for i in range(rng.randint(2, 5))}
    if key == "subnet_tier":
        return rng.choice(["private", "public", "isolated"])
    if key == "notification_emails":
        return [f"{t}-oncall@example.com" for t in rng.sample(TEAMS, rng.randint(1, 3))]
    if key == "sse_algorithm":
        return rng.choice(["AES256", "aws:kms"])
    raise KeyError(key)


def make_vars(rng, owner, count, extra=None):
    keys = rng.sample(VAR_POOL, count)
    out = {k: make_var(rng, k, owner) for k in keys}
    if extra:
        out.update(extra)
    return out
