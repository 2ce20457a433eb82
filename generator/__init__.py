"""guidegen: YAML how-to guides, run in a real browser and published as a help site."""

__version__ = "0.1.0"
