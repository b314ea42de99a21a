from hub.formats.en_GB.formats import *  # noqa: F403  (English without a region: the same)
