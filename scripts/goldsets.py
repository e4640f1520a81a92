"""Readers of the shared gold-aligned sets, for the benchmark generators beside it."""


def read_lines(path):
    """The lines of a one-sentence-a-line file, without a last empty line."""
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    return lines[:-1] if lines and lines[-1] == "" else lines


def parse_align(path):
    """The beads of an `align` file as (Chinese indices, English indices) lists."""
    beads = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if line:
                zh, en = line.split("]:[")
                beads.append(([int(x) for x in zh.strip("[").split(",") if x],
                              [int(x) for x in en.strip("]").split(",") if x]))
    return beads
