"""Who changed what and when on sensitive objects (platform_rules.md §1.4). Filled in by issue 6."""
