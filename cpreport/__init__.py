"""cpreport: the community policing programme's bilingual donor report, built from its field sheets."""

__version__ = "0.2.0"
