"""Static files storage for production: WhiteNoise's compressed storage with hashed names.

The vendored builds (static/vendor) end with `sourceMappingURL` comments naming `.map` files
that are not vendored. Django's manifest storage rewrites those references to hashed names and
fails when the file is missing, so this storage leaves source-map comments alone: the CSS
`url()` and `@import` references, which pages need, are still rewritten and checked.
"""

from whitenoise.storage import CompressedManifestStaticFilesStorage


def _without_source_maps(patterns):
    kept = []
    for glob, rules in patterns:
        rules = tuple(
            rule
            for rule in rules
            if "sourceMappingURL" not in (rule[0] if isinstance(rule, tuple) else rule)
        )
        if rules:
            kept.append((glob, rules))
    return tuple(kept)


class StaticStorage(CompressedManifestStaticFilesStorage):
    patterns = _without_source_maps(CompressedManifestStaticFilesStorage.patterns)
