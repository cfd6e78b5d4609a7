"""What an import did, counted as it goes and printed at the end."""

from collections import Counter
from dataclasses import dataclass, field

EXAMPLES_PER_REASON = 5


@dataclass
class ImportTally:
    read: int = 0
    created: int = 0
    updated: int = 0
    rejections: Counter = field(default_factory=Counter)
    examples: dict[str, list[int]] = field(default_factory=dict)

    @property
    def rejected(self) -> int:
        return sum(self.rejections.values())

    def reject(self, reason: str, line: int) -> None:
        self.rejections[reason] += 1
        examples = self.examples.setdefault(reason, [])
        if len(examples) < EXAMPLES_PER_REASON:
            examples.append(line)

    def summary(self, *, name: str, seconds: float) -> list[str]:
        rate = self.read / seconds if seconds > 0 else 0.0
        lines = [
            f"Read {self.read:,} rows of {name} in {seconds:.2f} s ({rate:,.0f} rows/s).",
            f"  imported (created): {self.created:,}",
            f"  updated:            {self.updated:,}",
            f"  rejected:           {self.rejected:,}",
        ]
        if self.rejections:
            lines.append("Rejected rows, by reason (line numbers of the file, header = 1):")
            for reason, count in self.rejections.most_common():
                shown = ", ".join(str(n) for n in self.examples[reason])
                more = ", …" if count > len(self.examples[reason]) else ""
                word = "line" if count == 1 else "lines"
                lines.append(f"  {count:>9,}  {reason} ({word} {shown}{more})")
        return lines
