"""The benchmark: how fast the tracker is, side by side with its limits (see bench/README.md)."""
