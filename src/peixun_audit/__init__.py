"""peixun-audit: audit vocational-training subsidy files against Guilin 市人社政规〔2020〕2号."""

__version__ = "0.1.0"
